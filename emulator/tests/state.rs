//! `--state DIR`: what was answered survives a clean stop (SIGTERM) and a crash (`kill -9`),
//! the signing key with it, identity pools and identities, and the rotation state (a rotated-out
//! refresh token stays refused); a directory of a newer format is refused, an older one migrated,
//! and settings as they were written before are read back.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::{json, Value};

const PASSWORD: &str = "Passw0rd!";

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json")
}

/// Whether a token (ID or access) of the app client verifies against a JWKS document, with
/// every check cognito-verify makes (RS256 signature, kid, issuer, expiry, token use, client).
fn verifies(token: &str, jwks: &Value, pool_id: &str, client_id: &str) -> bool {
    cognito_verify::Verifier::builder(pool_id)
        .token_use(cognito_verify::TokenUse::Either)
        .client_id(client_id)
        .with_jwks(jwks.to_string())
        .build()
        .expect("a verifier")
        .verify_sync(token)
        .is_ok()
}

async fn jwks(url: &str, pool_id: &str) -> Value {
    get_raw(url, &format!("/{pool_id}/.well-known/jwks.json"))
        .await
        .json()
}

async fn respond(url: &str, client_id: &str, name: &str, session: &Value, r: Value) -> Value {
    call(
        url,
        "RespondToAuthChallenge",
        json!({"ChallengeName": name, "ClientId": client_id, "Session": session,
               "ChallengeResponses": r}),
    )
    .await
}

/// USER_SRP_AUTH with a DEVICE_KEY, answered through DEVICE_SRP_AUTH with the device's
/// registration: the whole remembered-device sign-in.
async fn device_srp_login(
    url: &str,
    pool_id: &str,
    client_id: &str,
    username: &str,
    device_key: &str,
    reg: &srp_core::DeviceRegistration,
    group_key: &str,
) -> Value {
    let srp = srp_core::SrpClient::new().unwrap();
    let init = call(
        url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a(), "DEVICE_KEY": device_key}}),
    )
    .await;
    let p = &init["ChallengeParameters"];
    let now = srp_core::Timestamp::now().unwrap();
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let c = srp
        .user_password_claim(
            pool_id.split('_').nth(1).unwrap(),
            p["USER_ID_FOR_SRP"].as_str().unwrap(),
            PASSWORD,
            &challenge,
            &now,
        )
        .unwrap();
    let step = respond(url, client_id, "PASSWORD_VERIFIER", &init["Session"],
        json!({"USERNAME": username, "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
               "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp, "DEVICE_KEY": device_key})).await;
    assert_eq!(step["ChallengeName"], "DEVICE_SRP_AUTH", "{step}");
    let dev = srp_core::SrpClient::new().unwrap();
    let step = respond(
        url,
        client_id,
        "DEVICE_SRP_AUTH",
        &step["Session"],
        json!({"USERNAME": username, "DEVICE_KEY": device_key, "SRP_A": dev.srp_a()}),
    )
    .await;
    assert_eq!(step["ChallengeName"], "DEVICE_PASSWORD_VERIFIER", "{step}");
    let p = &step["ChallengeParameters"];
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let c = dev
        .device_password_claim(
            group_key,
            device_key,
            reg.device_password(),
            &challenge,
            &now,
        )
        .unwrap();
    let done = respond(url, client_id, "DEVICE_PASSWORD_VERIFIER", &step["Session"],
        json!({"USERNAME": username, "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
               "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp, "DEVICE_KEY": device_key})).await;
    done["AuthenticationResult"].clone()
}

async fn codes(url: &str, pool_id: &str, username: &str) -> Vec<String> {
    get_raw(url, &format!("/_emulator/codes/{pool_id}/{username}"))
        .await
        .json()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_restart_keeps_users_devices_refresh_tokens_and_the_signing_key() {
    let dir = TempDir::new("restart");
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    let pool_id = pool(
        &url,
        json!({"DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true}}),
    )
    .await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;

    // Users who signed up and confirmed with the code they were sent.
    for name in ["ann", "bob"] {
        call(
            &url,
            "SignUp",
            json!({"ClientId": client_id, "Username": name, "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]}),
        )
        .await;
        let code = codes(&url, &pool_id, name).await.pop().unwrap();
        call(
            &url,
            "ConfirmSignUp",
            json!({"ClientId": client_id, "Username": name, "ConfirmationCode": code}),
        )
        .await;
    }
    // A remembered device for ann, and her tokens.
    let idp = client(&url);
    let Login::Tokens(first) = srp_login(&idp, &pool_id, &client_id, None, "ann", PASSWORD)
        .await
        .unwrap()
    else {
        panic!("tokens expected")
    };
    let meta = first
        .new_device_metadata
        .clone()
        .expect("NewDeviceMetadata");
    let (device_key, group_key) = (meta.device_key.unwrap(), meta.device_group_key.unwrap());
    let access = first.access_token.clone().unwrap();
    let id_token = first.id_token.clone().unwrap();
    let refresh = first.refresh_token.clone().unwrap();
    let reg = srp_core::DeviceRegistration::generate(&group_key, &device_key).unwrap();
    call(&url, "ConfirmDevice", json!({"AccessToken": access, "DeviceKey": device_key,
        "DeviceSecretVerifierConfig": {"PasswordVerifier": reg.password_verifier(), "Salt": reg.salt()}})).await;
    call(
        &url,
        "UpdateDeviceStatus",
        json!({"AccessToken": access, "DeviceKey": device_key,
        "DeviceRememberedStatus": "remembered"}),
    )
    .await;
    call(
        &url,
        "CreateGroup",
        json!({"UserPoolId": pool_id, "GroupName": "admins", "Precedence": 1,
        "RoleArn": "arn:aws:iam::123456789012:role/admins"}),
    )
    .await;
    call(
        &url,
        "AdminAddUserToGroup",
        json!({"UserPoolId": pool_id, "Username": "bob", "GroupName": "admins"}),
    )
    .await;
    // Managed login configuration: a domain and a resource server.
    call(
        &url,
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool_id, "Domain": "restart-test"}),
    )
    .await;
    call(
        &url,
        "CreateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "https://api.example.com",
        "Name": "api", "Scopes": [{"ScopeName": "read", "ScopeDescription": "reading"}]}),
    )
    .await;
    // An identity pool that takes the app client's ID tokens, with a role, and ann's identity.
    let provider = format!(
        "cognito-idp.{}.amazonaws.com/{pool_id}",
        pool_id.split('_').next().unwrap()
    );
    let created = call_service(
        &url,
        IDENTITY_POOLS,
        "CreateIdentityPool",
        json!({"IdentityPoolName": "restart identities", "AllowUnauthenticatedIdentities": false,
               "CognitoIdentityProviders": [{"ProviderName": provider, "ClientId": client_id}]}),
    )
    .await;
    let identity_pool_id = created["IdentityPoolId"].as_str().unwrap().to_owned();
    let roles = json!({"authenticated": "arn:aws:iam::123456789012:role/signed-in"});
    call_service(
        &url,
        IDENTITY_POOLS,
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": identity_pool_id, "Roles": roles}),
    )
    .await;
    let logins = json!({ provider.as_str(): id_token });
    let get_id = json!({"IdentityPoolId": identity_pool_id, "Logins": logins});
    let identity_id = call_service(&url, IDENTITY_POOLS, "GetId", get_id.clone()).await
        ["IdentityId"]
        .as_str()
        .unwrap()
        .to_owned();
    // A client that rotates refresh tokens (no grace period): bob's first refresh token is
    // rotated out, and the second is the one to use.
    let rotating = call(&url, "CreateUserPoolClient", json!({"UserPoolId": pool_id,
        "ClientName": "rotating", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}})).await
        ["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let Login::Tokens(bob_first) = srp_login(&idp, &pool_id, &rotating, None, "bob", PASSWORD)
        .await
        .unwrap()
    else {
        panic!("tokens expected")
    };
    let rotated_out = bob_first.refresh_token.unwrap();
    let refresh_with = |token: &str| json!({"ClientId": rotating, "RefreshToken": token});
    let current = call(
        &url,
        "GetTokensFromRefreshToken",
        refresh_with(&rotated_out),
    )
    .await["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(current, rotated_out);
    // Past the grace period (whole seconds) before the restart.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let keys_before = jwks(&url, &pool_id).await;
    assert!(verifies(&id_token, &keys_before, &pool_id, &client_id));
    assert!(emu.terminate(), "SIGTERM should stop the emulator cleanly");

    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    // Same key, same kid: tokens issued before the restart still verify.
    let keys_after = jwks(&url, &pool_id).await;
    assert_eq!(keys_after, keys_before);
    assert!(verifies(&id_token, &keys_after, &pool_id, &client_id));
    assert!(verifies(&access, &keys_after, &pool_id, &client_id));
    // The old access token still works, and so does the old refresh token.
    let me = call(&url, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(me["Username"], "ann");
    let refreshed = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": refresh, "DEVICE_KEY": device_key}}),
    )
    .await;
    let new_access = refreshed["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    assert_eq!(
        claims(new_access)["origin_jti"],
        claims(&access)["origin_jti"]
    );
    assert!(verifies(new_access, &keys_after, &pool_id, &client_id));
    // SRP sign-in (verifier kept), and the device's SRP (device verifier kept).
    let idp = client(&url);
    let Login::Tokens(bob) = srp_login(&idp, &pool_id, &client_id, None, "bob", PASSWORD)
        .await
        .unwrap()
    else {
        panic!("tokens expected")
    };
    // Groups and membership were kept, and so were the domain and the resource server.
    let id = claims(bob.id_token.as_deref().unwrap());
    assert_eq!(id["cognito:groups"], json!(["admins"]));
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::123456789012:role/admins"
    );
    let listed = call(
        &url,
        "ListUsersInGroup",
        json!({"UserPoolId": pool_id, "GroupName": "admins"}),
    )
    .await;
    assert_eq!(listed["Users"][0]["Username"], "bob");
    let domain = call(
        &url,
        "DescribeUserPoolDomain",
        json!({"Domain": "restart-test"}),
    )
    .await;
    assert_eq!(domain["DomainDescription"]["UserPoolId"], pool_id.as_str());
    let rs = call(
        &url,
        "DescribeResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "https://api.example.com"}),
    )
    .await;
    assert_eq!(rs["ResourceServer"]["Scopes"][0]["ScopeName"], "read");
    let r = device_srp_login(
        &url,
        &pool_id,
        &client_id,
        "ann",
        &device_key,
        &reg,
        &group_key,
    )
    .await;
    assert_eq!(
        claims(r["AccessToken"].as_str().unwrap())["device_key"],
        device_key.as_str()
    );
    assert!(r["NewDeviceMetadata"].is_null());
    // A wrong password is still wrong.
    assert!(
        srp_login(&idp, &pool_id, &client_id, None, "bob", "Wrong-Passw0rd")
            .await
            .is_err()
    );

    // The identity pool, its roles and ann's identity were kept: her ID token from before
    // the restart finds the same identity, which gets credentials for the pool's role.
    let described = call_service(
        &url,
        IDENTITY_POOLS,
        "DescribeIdentityPool",
        json!({"IdentityPoolId": identity_pool_id}),
    )
    .await;
    assert_eq!(described, created);
    let got = call_service(
        &url,
        IDENTITY_POOLS,
        "GetIdentityPoolRoles",
        json!({"IdentityPoolId": identity_pool_id}),
    )
    .await;
    assert_eq!(got["Roles"], roles);
    let again = call_service(&url, IDENTITY_POOLS, "GetId", get_id).await;
    assert_eq!(again["IdentityId"], identity_id.as_str());
    let listed = call_service(
        &url,
        IDENTITY_POOLS,
        "ListIdentities",
        json!({"IdentityPoolId": identity_pool_id, "MaxResults": 10}),
    )
    .await;
    assert_eq!(listed["Identities"].as_array().unwrap().len(), 1);
    assert_eq!(listed["Identities"][0]["IdentityId"], identity_id.as_str());
    assert_eq!(listed["Identities"][0]["Logins"], json!([provider]));
    let credentials = call_service(
        &url,
        IDENTITY_POOLS,
        "GetCredentialsForIdentity",
        json!({"IdentityId": identity_id, "Logins": logins}),
    )
    .await;
    assert_eq!(credentials["IdentityId"], identity_id.as_str());
    assert!(credentials["Credentials"]["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("ASIA"));

    // Rotation state was kept: the current refresh token rotates on; the one rotated out
    // before the restart is still refused, and presenting it revokes its whole family.
    let next = call(&url, "GetTokensFromRefreshToken", refresh_with(&current)).await
        ["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, message) = call_err(
        &url,
        "GetTokensFromRefreshToken",
        refresh_with(&rotated_out),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
    for token in [&current, &next] {
        let (code, _) = call_err(&url, "GetTokensFromRefreshToken", refresh_with(token)).await;
        assert_eq!(code, "NotAuthorizedException");
    }
    assert!(emu.terminate());

    // After a second restart the family is still revoked, and the rotated-out token still
    // refused.
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    for token in [&rotated_out, &current, &next] {
        let (code, _) = call_err(&url, "GetTokensFromRefreshToken", refresh_with(token)).await;
        assert_eq!(code, "NotAuthorizedException");
    }
    assert!(emu.terminate());
    // The state directory knows refresh tokens by fingerprint only, rotated-out ones too.
    let mut state_text = String::new();
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        state_text.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry.path()).unwrap(),
        ));
    }
    for token in [&refresh, &rotated_out, &current, &next] {
        assert!(
            !state_text.contains(token.as_str()),
            "a refresh token in the state directory"
        );
    }
    for table in ["identity_pool", "identity", "rotated_out", "revoked_family"] {
        assert!(
            state_text.contains(&format!("{{\"t\":\"{table}\"")),
            "no {table} record in the state directory"
        );
    }
}

/// One request on its own connection that may fail any way a killed server fails: None then.
async fn try_call(url: &str, op: &str, body: &Value) -> Option<(u16, Value)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let body = body.to_string();
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body.as_bytes()).await.ok()?;
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.ok()?;
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let status: u16 = std::str::from_utf8(&buf[..split])
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()?;
    let length: usize = std::str::from_utf8(&buf[..split])
        .ok()?
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })?;
    let body = buf.get(split + 4..split + 4 + length)?;
    Some((status, serde_json::from_slice(body).ok()?))
}

fn random_below(n: u64) -> u64 {
    let mut b = [0u8; 8];
    getrandom::getrandom(&mut b).expect("random");
    u64::from_le_bytes(b) % n
}

#[derive(Clone, Copy, PartialEq)]
enum Made {
    SignedUp,
    AdminCreated,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_a_write_storm_loses_no_answered_user() {
    use std::sync::{Arc, Mutex};
    const ROUNDS: usize = 20;
    const CLIENTS: usize = 8;
    let dir = TempDir::new("crash");
    // A small compaction limit, so that crashes also land in and around compactions.
    let args = ["--state", dir.arg(), "--state-compact-bytes", "300000"];
    let mut emu = EmulatorProcess::start_with(EMULATOR_BIN, &args);
    let pool_id = pool(&emu.endpoint, json!({})).await;
    let (client_id, _) = app_client(&emu.endpoint, &pool_id, false, ALL_FLOWS).await;
    let answered: Arc<Mutex<Vec<(String, Made)>>> = Arc::default();

    for round in 0..ROUNDS {
        // Everything answered so far is there after the crash before.
        let before: Vec<(String, Made)> = answered.lock().unwrap().clone();
        for (name, _) in &before {
            call(
                &emu.endpoint,
                "AdminGetUser",
                json!({"UserPoolId": pool_id, "Username": name}),
            )
            .await;
        }
        let mut tasks = Vec::new();
        for c in 0..CLIENTS {
            let (url, pool_id, client_id, answered) = (
                emu.endpoint.clone(),
                pool_id.clone(),
                client_id.clone(),
                answered.clone(),
            );
            tasks.push(tokio::spawn(async move {
                for n in 0.. {
                    let name = format!("r{round}c{c}n{n}");
                    let (op, body, made) = if c % 2 == 0 {
                        (
                            "SignUp",
                            json!({"ClientId": client_id, "Username": name, "Password": PASSWORD}),
                            Made::SignedUp,
                        )
                    } else {
                        (
                            "AdminCreateUser",
                            json!({"UserPoolId": pool_id, "Username": name,
                            "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS"}),
                            Made::AdminCreated,
                        )
                    };
                    match try_call(&url, op, &body).await {
                        Some((200, _)) => answered.lock().unwrap().push((name, made)),
                        Some((status, body)) => panic!("{op} answered {status}: {body}"),
                        None => return,
                    }
                }
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100 + random_below(400))).await;
        emu.kill9();
        for t in tasks {
            t.await.expect("client task");
        }
        emu = EmulatorProcess::start_with(EMULATOR_BIN, &args);
    }

    let all: Vec<(String, Made)> = answered.lock().unwrap().clone();
    assert!(
        all.len() > 5 * ROUNDS,
        "too few writes to mean anything: {}",
        all.len()
    );
    let url = emu.endpoint.clone();
    let listed = call(&url, "DescribeUserPool", json!({"UserPoolId": pool_id})).await;
    assert!(
        listed["UserPool"]["EstimatedNumberOfUsers"]
            .as_u64()
            .unwrap()
            >= all.len() as u64
    );
    for (i, (name, made)) in all.iter().enumerate() {
        let got = call(
            &url,
            "AdminGetUser",
            json!({"UserPoolId": pool_id, "Username": name}),
        )
        .await;
        if *made == Made::SignedUp {
            assert_eq!(got["UserStatus"], "UNCONFIRMED", "{name}");
            call(
                &url,
                "AdminConfirmSignUp",
                json!({"UserPoolId": pool_id, "Username": name}),
            )
            .await;
        } else {
            assert_eq!(got["UserStatus"], "FORCE_CHANGE_PASSWORD", "{name}");
        }
        let out = call(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
        )
        .await;
        match made {
            Made::SignedUp => assert!(
                out["AuthenticationResult"]["AccessToken"].is_string(),
                "{name}: {out}"
            ),
            Made::AdminCreated => assert_eq!(
                out["ChallengeName"], "NEW_PASSWORD_REQUIRED",
                "{name}: {out}"
            ),
        }
        // The SRP verifier came back too: an SRP sign-in for some of them.
        if *made == Made::SignedUp && i % 25 == 0 {
            let idp = client(&url);
            assert!(
                matches!(
                    srp_login(&idp, &pool_id, &client_id, None, name, PASSWORD).await,
                    Ok(Login::Tokens(_))
                ),
                "SRP sign-in of {name}"
            );
        }
    }
    eprintln!(
        "{} users answered across {ROUNDS} crashes, all there",
        all.len()
    );
    assert!(emu.terminate());
}

fn frame(json: &str) -> String {
    format!("{:08x} {json}\n", crc32fast::hash(json.as_bytes()))
}

/// Rewrites every framed line of `path` through `edit` (None drops the line).
fn rewrite(path: &std::path::Path, mut edit: impl FnMut(usize, Value) -> Option<Value>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let (_, json) = line.split_once(' ').unwrap();
        if let Some(v) = edit(i, serde_json::from_str(json).unwrap()) {
            out.push_str(&frame(&v.to_string()));
        }
    }
    std::fs::write(path, out).unwrap();
}

fn start_fails(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--port", "0"])
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success(), "should refuse to start");
    assert!(out.stdout.is_empty(), "announced a URL: {:?}", out.stdout);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_format_is_refused_an_older_one_migrated_and_damage_never_ignored() {
    let dir = TempDir::new("format");
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "old", PASSWORD, json!([])).await;
    call(
        &url,
        "CreateGroup",
        json!({"UserPoolId": pool_id, "GroupName": "g"}),
    )
    .await;
    assert!(emu.terminate());
    let snapshot = dir.path().join("snapshot");
    let original = std::fs::read(&snapshot).unwrap();

    // Written by a newer emulator: refused, and left as it was.
    rewrite(&snapshot, |i, mut v| {
        if i == 0 {
            v["cognito-emulator-state"] = json!(99);
        }
        Some(v)
    });
    let written = std::fs::read(&snapshot).unwrap();
    let err = start_fails(&["--state", dir.arg()]);
    assert!(
        err.contains("state format 99") && err.contains("newer cognito-emulator"),
        "{err}"
    );
    assert_eq!(std::fs::read(&snapshot).unwrap(), written);
    std::fs::write(&snapshot, &original).unwrap();

    // Damage in the middle of the log (not a torn last write) is refused too.
    let log = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("log."))
        .unwrap();
    let good_log = std::fs::read(&log).unwrap();
    let mut damaged = good_log.clone();
    let second_line = damaged.iter().position(|b| *b == b'\n').unwrap() + 20;
    damaged[second_line] ^= 0x01;
    std::fs::write(&log, &damaged).unwrap();
    let err = start_fails(&["--state", dir.arg()]);
    assert!(err.contains("is damaged at byte"), "{err}");
    std::fs::write(&log, &good_log).unwrap();

    // What format 1 looked like: no groups anywhere. It is migrated on start.
    let to_format_1 = |i: usize, mut v: Value| {
        if i == 0 {
            for header in ["cognito-emulator-state", "cognito-emulator-log"] {
                if v.get(header).is_some() {
                    v[header] = json!(1);
                }
            }
            return Some(v);
        }
        let records: Vec<Value> = v
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["t"] != "group")
            .cloned()
            .map(|mut r| {
                if r["t"] == "user" {
                    if let Some(u) = r["v"].as_object_mut() {
                        u.remove("groups");
                    }
                }
                r
            })
            .collect();
        (!records.is_empty()).then(|| json!(records))
    };
    rewrite(&snapshot, to_format_1);
    rewrite(&log, to_format_1);
    assert!(!std::fs::read_to_string(&log)
        .unwrap()
        .contains("\"groups\""));
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    let got = call(
        &url,
        "AdminListGroupsForUser",
        json!({"UserPoolId": pool_id, "Username": "old"}),
    )
    .await;
    assert_eq!(got["Groups"], json!([]));
    let idp = client(&url);
    assert!(matches!(
        srp_login(&idp, &pool_id, &client_id, None, "old", PASSWORD).await,
        Ok(Login::Tokens(_))
    ));
    assert!(emu.terminate());
    // Rewritten in the current format before serving.
    let header = std::fs::read_to_string(&snapshot).unwrap();
    let header: Value =
        serde_json::from_str(header.lines().next().unwrap().split_once(' ').unwrap().1).unwrap();
    assert_eq!(
        header["cognito-emulator-state"],
        cognito_emulator::STATE_FORMAT
    );

    // Formats 4 (main's lockout guard, before identity pools and rotation state) and 3
    // (settings as the raw request members, one client secret) are migrated: served, then
    // rewritten in the current format.
    assert_eq!(cognito_emulator::STATE_FORMAT, 5);
    for older in [4, 3] {
        let log = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("log."))
            .unwrap();
        let to_older = |i: usize, mut v: Value| {
            if i == 0 {
                for header in ["cognito-emulator-state", "cognito-emulator-log"] {
                    if v.get(header).is_some() {
                        v[header] = json!(older);
                    }
                }
                return Some(v);
            }
            let mut newer = vec!["identity_pool", "identity", "rotated_out", "revoked_family"];
            if older == 3 {
                newer.extend(["lockout", "code", "resource"]);
            }
            let records: Vec<Value> = v
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| !newer.contains(&r["t"].as_str().unwrap_or_default()))
                .cloned()
                .map(|mut r| {
                    let t = r["t"].as_str().unwrap_or_default().to_owned();
                    if older == 3 && (t == "pool" || t == "client") {
                        if let Some(record) = r["v"].as_object_mut() {
                            if let Some(config) = record.remove("config") {
                                record.insert("echo".into(), config);
                            }
                            if let Some(secrets) = record.remove("secrets") {
                                let first = secrets[0]["value"].clone();
                                record.insert("secret".into(), first);
                            }
                        }
                    }
                    r
                })
                .collect();
            (!records.is_empty()).then(|| json!(records))
        };
        rewrite(&snapshot, to_older);
        rewrite(&log, to_older);
        let text = std::fs::read_to_string(&snapshot).unwrap();
        assert_eq!(text.contains("\"echo\""), older == 3, "{older}");
        let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
        assert!(matches!(
            srp_login(
                &client(&emu.endpoint),
                &pool_id,
                &client_id,
                None,
                "old",
                PASSWORD
            )
            .await,
            Ok(Login::Tokens(_))
        ));
        let got = call(
            &emu.endpoint,
            "DescribeUserPoolClient",
            json!({"UserPoolId": pool_id, "ClientId": client_id}),
        )
        .await;
        assert_eq!(got["UserPoolClient"]["ClientId"], json!(client_id));
        assert!(emu.terminate());
        let header = std::fs::read_to_string(&snapshot).unwrap();
        let header: Value =
            serde_json::from_str(header.lines().next().unwrap().split_once(' ').unwrap().1)
                .unwrap();
        assert_eq!(header["cognito-emulator-state"], 5, "from format {older}");
    }
}

async fn emulator_on(dir: &TempDir) -> cognito_emulator::Emulator {
    let options = cognito_emulator::Options::default().state_dir(dir.path());
    cognito_emulator::Emulator::start_with("127.0.0.1:0", options)
        .await
        .unwrap()
}

async fn password_login(
    url: &str,
    client_id: &str,
    name: &str,
    password: &str,
) -> (String, String) {
    call_err(
        url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": name, "PASSWORD": password}}),
    )
    .await
}

/// What the guard holds survives a restart, as Cognito keeps it: a lockout after failed
/// sign-ins, and a code's count of wrong tries (a restart must not give a guesser new tries).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lockout_and_a_codes_wrong_tries_survive_a_restart() {
    const LOCKED: &str = "Password attempts exceeded";
    const T0: i64 = 1_800_000_000;
    let dir = TempDir::new("guard");
    let emu = emulator_on(&dir).await;
    let url = emu.endpoint_url();
    emu.clock().stop_at(T0);
    let pool_id = pool(&url, json!({"AutoVerifiedAttributes": ["email"]})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "lena", PASSWORD, email_of("lena")).await;
    user(&url, &pool_id, "otto", PASSWORD, email_of("otto")).await;
    // Six failures: locked for 2 s (the sixth after the first 1 s lockout).
    for _ in 0..5 {
        password_login(&url, &client_id, "lena", "Wrong-pass1").await;
    }
    emu.clock().advance(1);
    password_login(&url, &client_id, "lena", "Wrong-pass1").await;
    assert_eq!(
        password_login(&url, &client_id, "lena", PASSWORD).await.1,
        LOCKED
    );
    // Four wrong tries at otto's reset code (one is left).
    call(
        &url,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "otto"}),
    )
    .await;
    let confirm = |code: &str| {
        json!({"ClientId": client_id, "Username": "otto", "ConfirmationCode": code,
               "Password": "Newpassw0rd!"})
    };
    for _ in 0..4 {
        let (kind, _) = call_err(&url, "ConfirmForgotPassword", confirm("000000")).await;
        assert_eq!(kind, "CodeMismatchException");
    }
    let code = emu.last_code(&pool_id, "otto").unwrap();
    emu.shutdown().await;

    let emu = emulator_on(&dir).await;
    let url = emu.endpoint_url();
    emu.clock().stop_at(T0 + 1);
    // Still locked (the right password is refused unchecked), until the 2 s are over.
    assert_eq!(
        password_login(&url, &client_id, "lena", PASSWORD).await.1,
        LOCKED
    );
    emu.clock().advance(1);
    assert_eq!(
        password_login(&url, &client_id, "lena", PASSWORD).await.1,
        LOCKED
    );
    emu.clock().advance(1);
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": "lena", "PASSWORD": PASSWORD}}),
    )
    .await;
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    // The fifth wrong try uses the code up: even the right code is refused after it.
    let (kind, _) = call_err(&url, "ConfirmForgotPassword", confirm("000000")).await;
    assert_eq!(kind, "CodeMismatchException");
    let (kind, message) = call_err(&url, "ConfirmForgotPassword", confirm(&code)).await;
    assert_eq!(kind, "LimitExceededException", "{message}");
    emu.shutdown().await;
}

fn email_of(name: &str) -> Value {
    json!([{"Name": "email", "Value": format!("{name}@example.com")},
           {"Name": "email_verified", "Value": "true"}])
}

/// Pool and app client settings as state format 5 wrote them before their members were named
/// by `rename_all` (the text of `tests/state/*-settings-v5.json`, which the unit test in
/// `store/pool.rs` pins byte for byte): a state directory holding exactly that text is read
/// back with every setting in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_written_before_rename_all_are_read_back() {
    let pool_text = include_str!("state/pool-settings-v5.json").trim_end();
    let client_text = include_str!("state/client-settings-v5.json").trim_end();
    let dir = TempDir::new("settings");
    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    assert!(emu.terminate());

    // Every pool and client record of the directory gets the old text as its settings, spliced
    // in as written (not re-serialized, which could reorder it).
    let mut replaced = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name != "snapshot" && !name.starts_with("log.") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            let (_, json) = line.split_once(' ').unwrap();
            let mut v: Value = serde_json::from_str(json).unwrap();
            if i > 0 {
                for r in v.as_array_mut().unwrap() {
                    let slot = match r["t"].as_str() {
                        Some("pool") => "@pool-settings@",
                        Some("client") => "@client-settings@",
                        _ => continue,
                    };
                    if let Some(record) = r["v"].as_object_mut() {
                        record.insert("config".into(), json!(slot));
                        replaced += 1;
                    }
                }
            }
            let line = v
                .to_string()
                .replace("\"@pool-settings@\"", pool_text)
                .replace("\"@client-settings@\"", client_text);
            out.push_str(&frame(&line));
        }
        std::fs::write(&path, out).unwrap();
    }
    assert!(replaced >= 2, "{replaced} settings records");

    let emu = EmulatorProcess::start_with(EMULATOR_BIN, &["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    let pool_settings: Value = serde_json::from_str(pool_text).unwrap();
    let described = call(&url, "DescribeUserPool", json!({"UserPoolId": pool_id})).await;
    for member in [
        "SmsVerificationMessage",
        "EmailVerificationMessage",
        "EmailVerificationSubject",
        "SmsAuthenticationMessage",
        "AutoVerifiedAttributes",
        "UserPoolTags",
        "UserPoolTier",
        "DeletionProtection",
    ] {
        assert!(!pool_settings[member].is_null(), "{member} in the old text");
        assert_eq!(
            described["UserPool"][member], pool_settings[member],
            "{member}"
        );
    }
    let mfa = call(&url, "GetUserPoolMfaConfig", json!({"UserPoolId": pool_id})).await;
    for member in [
        "SoftwareTokenMfaConfiguration",
        "SmsMfaConfiguration",
        "EmailMfaConfiguration",
    ] {
        assert!(!pool_settings[member].is_null(), "{member} in the old text");
        assert_eq!(mfa[member], pool_settings[member], "{member}");
    }
    let client_settings: Value = serde_json::from_str(client_text).unwrap();
    let described = call(
        &url,
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": client_id}),
    )
    .await;
    for member in [
        "ReadAttributes",
        "WriteAttributes",
        "SupportedIdentityProviders",
        "CallbackURLs",
        "LogoutURLs",
        "DefaultRedirectURI",
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "AllowedOAuthFlowsUserPoolClient",
        "EnableTokenRevocation",
        "RefreshTokenRotation",
    ] {
        assert!(
            !client_settings[member].is_null(),
            "{member} in the old text"
        );
        assert_eq!(
            described["UserPoolClient"][member], client_settings[member],
            "{member}"
        );
    }
    assert!(emu.terminate());
}

/// Dropping a `BackgroundEmulator` releases its state directory before `drop` returns, also
/// while a snapshot is being written in the background (a tiny compaction limit makes every
/// write start one): opening the directory right after never finds it locked, and finds
/// every user.
#[test]
fn a_dropped_background_emulator_can_be_reopened_at_once() {
    let dir = TempDir::new("reopen");
    use test_support::emulator::in_process::call;
    let open = || {
        let options = cognito_emulator::Options::default()
            .state_dir(dir.path())
            .compact_above_bytes(1);
        cognito_emulator::BackgroundEmulator::start_with("127.0.0.1:0", options)
            .unwrap_or_else(|e| panic!("reopening the state directory: {e}"))
    };
    let emu = open();
    let pool = call(&emu, "CreateUserPool", json!({"PoolName": "reopen"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    drop(emu);
    for round in 0..5 {
        let emu = open();
        for i in 0..20 {
            call(
                &emu,
                "AdminCreateUser",
                json!({"UserPoolId": pool_id, "Username": format!("u{round}-{i}"),
                       "MessageAction": "SUPPRESS"}),
            );
        }
        let listed = call(
            &emu,
            "ListUsers",
            json!({"UserPoolId": pool_id, "Limit": 60}),
        );
        let users = listed["Users"].as_array().unwrap().len();
        assert!(
            users == (round + 1) * 20 || listed["PaginationToken"].is_string(),
            "round {round}: {users} users"
        );
        drop(emu);
    }
    let emu = open();
    let mut names = 0;
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pool_id, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = call(&emu, "ListUsers", body);
        names += page["Users"].as_array().unwrap().len();
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(names, 100);
}
