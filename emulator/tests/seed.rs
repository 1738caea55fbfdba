//! `--seed FILE`: the documented example seed (`examples/seed.yaml`) gives pools, clients with
//! pinned ids and secrets, groups and users that sign in, and an identity pool with roles; applying it again changes nothing;
//! a bad seed file is refused with the path of the bad member.

mod common;

use common::*;
use serde_json::{json, Value};

const POOL: &str = "us-east-1_SeedPool1";
const WEB: &str = "seedwebclient0000000000001";
const SERVER: &str = "seedserverclient0000000001";
const SECRET: &str = "seed-client-secret-pinned-for-tests-0123456789abcd";
const IDENTITY_POOL: &str = "us-east-1:5eed0000-0000-4000-8000-000000000001";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_SeedPool1";

fn seed_file() -> String {
    repo_root()
        .join("emulator/examples/seed.yaml")
        .to_string_lossy()
        .into_owned()
}

/// Everything the API shows about the seeded pool, dates included.
async fn everything(url: &str) -> Value {
    let mut users = Vec::new();
    for u in ["alice", "bob", "carol", "dave"] {
        let mut user = call(
            url,
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": u}),
        )
        .await;
        user["groups"] = call(
            url,
            "AdminListGroupsForUser",
            json!({"UserPoolId": POOL, "Username": u}),
        )
        .await;
        users.push(user);
    }
    json!({
        "pool": call(url, "DescribeUserPool", json!({"UserPoolId": POOL})).await,
        "web": call(url, "DescribeUserPoolClient", json!({"UserPoolId": POOL, "ClientId": WEB})).await,
        "server": call(url, "DescribeUserPoolClient", json!({"UserPoolId": POOL, "ClientId": SERVER})).await,
        "groups": call(url, "ListGroups", json!({"UserPoolId": POOL})).await,
        "users": users,
        "identity_pool": call_service(url, IDENTITY_POOLS, "DescribeIdentityPool",
            json!({"IdentityPoolId": IDENTITY_POOL})).await,
        "identity_roles": call_service(url, IDENTITY_POOLS, "GetIdentityPoolRoles",
            json!({"IdentityPoolId": IDENTITY_POOL})).await,
    })
}

/// alice's identity in the seeded identity pool, from her ID token.
async fn alice_identity(url: &str, id_token: &str) -> String {
    let got = call_service(
        url,
        IDENTITY_POOLS,
        "GetId",
        json!({"IdentityPoolId": IDENTITY_POOL, "Logins": {PROVIDER: id_token}}),
    )
    .await;
    got["IdentityId"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_seed_signs_users_in_and_applying_it_again_changes_nothing() {
    let dir = TempDir::new("seed");
    let args = ["--state", dir.arg(), "--seed", &seed_file()];
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &args);
    let url = emu.endpoint.clone();

    // Pinned ids and secret; SRP sign-in; groups in the token.
    let idp = client(&url);
    let Login::Tokens(t) = srp_login(&idp, POOL, WEB, None, "alice", "Alice-Passw0rd")
        .await
        .unwrap()
    else {
        panic!("alice signs in")
    };
    let id = t.id_token.unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            id.split('.').nth(1).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["cognito:groups"], json!(["admins", "readers"]));
    assert_eq!(claims["name"], "Alice");
    // The seeded identity pool takes her ID token and gives credentials for its role.
    let identity = alice_identity(&url, &id).await;
    call_service(
        &url,
        IDENTITY_POOLS,
        "GetCredentialsForIdentity",
        json!({"IdentityId": identity, "Logins": {PROVIDER: id}}),
    )
    .await;
    let roles = call_service(
        &url,
        IDENTITY_POOLS,
        "GetIdentityPoolRoles",
        json!({"IdentityPoolId": IDENTITY_POOL}),
    )
    .await;
    assert_eq!(
        roles["Roles"]["authenticated"],
        "arn:aws:iam::123456789012:role/seed-signed-in"
    );
    let server = call(
        &url,
        "DescribeUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": SERVER}),
    )
    .await;
    assert_eq!(server["UserPoolClient"]["ClientSecret"], SECRET);
    let hash = srp_core::secret_hash(SECRET, "alice", SERVER);
    let admin = call(&url, "AdminInitiateAuth", json!({"UserPoolId": POOL, "ClientId": SERVER,
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd", "SECRET_HASH": hash}})).await;
    assert!(admin["AuthenticationResult"]["AccessToken"].is_string());
    // bob has TOTP: the code his app shows for the seeded secret lets him in.
    let step = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": WEB,
        "AuthParameters": {"USERNAME": "bob", "PASSWORD": "Bob-Passw0rd1"}}),
    )
    .await;
    assert_eq!(step["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let code = test_support::cognito::totp(
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        test_support::cognito::now(),
    );
    let done = call(&url, "RespondToAuthChallenge", json!({"ClientId": WEB, "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": step["Session"], "ChallengeResponses": {"USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": code}})).await;
    assert!(
        done["AuthenticationResult"]["IdToken"].is_string(),
        "{done}"
    );
    // carol must choose a password; dave is disabled.
    let step = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": WEB,
        "AuthParameters": {"USERNAME": "carol", "PASSWORD": "Carol-Temp-Passw0rd"}}),
    )
    .await;
    assert_eq!(step["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let dave = call(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "dave"}),
    )
    .await;
    assert_eq!(dave["Enabled"], false);

    let before = everything(&url).await;
    assert!(emu.terminate());
    // Later than any date the first start wrote, so a rewrite would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &args);
    let after = everything(&emu.endpoint).await;
    assert_eq!(before, after, "applying the seed again changed something");
    // Applying it again kept the identity pool's identities.
    assert_eq!(alice_identity(&emu.endpoint, &id).await, identity);
    assert!(matches!(
        srp_login(
            &client(&emu.endpoint),
            POOL,
            WEB,
            None,
            "alice",
            "Alice-Passw0rd"
        )
        .await,
        Ok(Login::Tokens(_))
    ));
    assert!(emu.terminate());
    // Without --state too: the same ids every start.
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--seed", &seed_file()]);
    let fresh = everything(&emu.endpoint).await;
    assert_eq!(fresh["web"]["UserPoolClient"]["ClientId"], WEB);
    assert_eq!(fresh["server"]["UserPoolClient"]["ClientSecret"], SECRET);
}

fn refused(seed: &str, ext: &str) -> String {
    let dir = TempDir::new("badseed");
    let file = dir.path().join(format!("seed.{ext}"));
    std::fs::write(&file, seed).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--port", "0", "--seed", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a bad seed must be refused");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_bad_seed_is_refused_with_the_path_of_the_bad_member() {
    let pool =
        |users: &str| format!("pools:\n  - id: us-east-1_Bad1\n    name: p\n    users:\n{users}");
    let e = refused(&pool("      - {username: a, status: SLEEPING}\n"), "yaml");
    assert!(
        e.contains("pools[0].users[0].status") && e.contains("SLEEPING"),
        "{e}"
    );
    let e = refused(&pool("      - {username: a, pasword: x}\n"), "yaml");
    assert!(
        e.contains("pools[0].users[0]") && e.contains("pasword"),
        "{e}"
    );
    let e = refused(&pool("      - {username: a, password: short}\n"), "yaml");
    assert!(
        e.contains("pools[0].users[0].password") && e.contains("InvalidPasswordException"),
        "{e}"
    );
    let e = refused(&pool("      - {username: a, groups: [nope]}\n"), "yaml");
    assert!(
        e.contains("pools[0].users[0].groups[0]") && e.contains("nope"),
        "{e}"
    );
    let e = refused(r#"{"pools": [{"id": "nope", "name": "p"}]}"#, "json");
    assert!(e.contains("pools[0].id"), "{e}");
    let e = refused(
        r#"{"pools": [{"id": "us-east-1_J1", "name": "p", "settings": {"MfaConfiguration": "SOMETIMES"}}]}"#,
        "json",
    );
    assert!(
        e.contains("pools[0].settings") && e.contains("mfaConfiguration"),
        "{e}"
    );
    let identity_pool = |members: &str| {
        format!(
            r#"{{"identity_pools": [{{"id": "us-east-1:5eed0000-0000-4000-8000-000000000009", "name": "i"{members}}}]}}"#
        )
    };
    let e = refused(&identity_pool(r#", "settings": {}"#), "json");
    assert!(
        e.contains("identity_pools[0].settings") && e.contains("allowUnauthenticatedIdentities"),
        "{e}"
    );
    let allowed = r#", "settings": {"AllowUnauthenticatedIdentities": false}"#;
    let e = refused(
        &identity_pool(&format!(
            r#"{allowed}, "roles": {{"authenticated": "not-an-arn"}}"#
        )),
        "json",
    );
    assert!(
        e.contains("identity_pools[0].roles") && e.contains("not-an-arn"),
        "{e}"
    );
    let e = refused(
        &identity_pool(&format!(r#"{allowed}, "rolse": {{}}"#)),
        "json",
    );
    assert!(
        e.contains("identity_pools[0]") && e.contains("rolse"),
        "{e}"
    );
    let e = refused(
        r#"{"identity_pools": [{"id": "us-east-1_NotThisKind", "name": "i", "settings": {"AllowUnauthenticatedIdentities": false}}]}"#,
        "json",
    );
    assert!(e.contains("identity_pools[0].id"), "{e}");
    let e = refused(r#"{"pools": [{"id": "us-east-1_J1", "name": 7}]}"#, "json");
    assert!(e.contains("pools[0].name"), "{e}");
    let e = refused(
        r#"{"pools": [{"id": "us-east-1_J1", "name": "p", "clients": [{"id": "c", "name": "c", "settings": {"ExplicitAuthFlows": ["FLY"]}}]}]}"#,
        "json",
    );
    assert!(
        e.contains("pools[0].clients[0].settings") && e.contains("FLY"),
        "{e}"
    );
}
