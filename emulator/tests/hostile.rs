//! Hostile and malformed input: every bad request gets the error AWS gives, nothing panics, and
//! a bad request never disturbs another sign-in in progress.

mod common;

use cognito_emulator::Emulator;
use common::*;
use serde_json::json;

const INITIATE: &str = "AWSCognitoIdentityProviderService.InitiateAuth";

async fn setup() -> (Emulator, String, String, String) {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "alice", "Passw0rd!", json!([])).await;
    (emu, url, pool_id, client_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_and_targets() {
    let (emu, url, _, client_id) = setup().await;
    for body in [
        &b"{"[..],
        b"not json",
        b"[1,2]",
        b"\"str\"",
        b"\xff\xfe{}",
        b"{\"a\":1}}",
    ] {
        let r = post_raw(&url, Some(INITIATE), body).await;
        assert_eq!(r.status, 400, "{body:?}");
        assert_eq!(r.error_type(), "SerializationException", "{body:?}");
        assert_eq!(r.header("x-amzn-errortype"), Some("SerializationException"));
    }
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = post_raw(&url, Some(INITIATE), deep.as_bytes()).await;
    assert_eq!(r.error_type(), "SerializationException");

    let r = post_raw(
        &url,
        Some("AWSCognitoIdentityProviderService.NoSuchOperation"),
        b"{",
    )
    .await;
    assert_eq!(r.error_type(), "UnknownOperationException");
    let r = post_raw(&url, None, b"{}").await;
    assert_eq!(r.error_type(), "UnknownOperationException");
    let r = post_raw(&url, Some("SomeOtherService.InitiateAuth"), b"{}").await;
    assert_eq!(r.error_type(), "UnknownOperationException");

    let big = vec![b' '; cognito_emulator::MAX_BODY_BYTES + 1];
    let r = post_raw(&url, Some(INITIATE), &big).await;
    assert_eq!(r.status, 413);

    // Still serving.
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": "x"}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_types_and_missing_members() {
    let (emu, url, pool_id, client_id) = setup().await;
    let cases = [
        ("InitiateAuth", json!({}), "InvalidParameterException"),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH"}),
            "InvalidParameterException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": 7, "ClientId": client_id}),
            "SerializationException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": ["x"]}),
            "SerializationException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": "x"}),
            "SerializationException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": 1}}),
            "SerializationException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": {"USERNAME": "alice"}}),
            "InvalidParameterException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "NO_SUCH_FLOW", "ClientId": client_id}),
            "InvalidParameterException",
        ),
        (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "nope", "AuthParameters": {"USERNAME": "alice", "SRP_A": "02"}}),
            "ResourceNotFoundException",
        ),
        (
            "RespondToAuthChallenge",
            json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "Session": "garbage".repeat(4),
            "ChallengeResponses": {"USERNAME": "alice"}}),
            "NotAuthorizedException",
        ),
        // The model's Session is 20 to 2048 characters.
        (
            "RespondToAuthChallenge",
            json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "Session": "garbage",
            "ChallengeResponses": {"USERNAME": "alice"}}),
            "InvalidParameterException",
        ),
        (
            "RespondToAuthChallenge",
            json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "Session": 5}),
            "SerializationException",
        ),
        (
            "CreateUserPool",
            json!({"PoolName": "x", "Policies": {"PasswordPolicy": {"MinimumLength": "8"}}}),
            "SerializationException",
        ),
        (
            "CreateUserPool",
            json!({"PoolName": "x", "MfaConfiguration": "SOMETIMES"}),
            "InvalidParameterException",
        ),
        (
            "CreateUserPoolClient",
            json!({"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_EVERYTHING"]}),
            "InvalidParameterException",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": "u", "UserAttributes": [{"Value": "x"}]}),
            "InvalidParameterException",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": "us-east-1_none", "Username": "u"}),
            "ResourceNotFoundException",
        ),
        (
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": "alice"}),
            "UsernameExistsException",
        ),
        (
            "AdminGetUser",
            json!({"UserPoolId": pool_id, "Username": "nobody"}),
            "UserNotFoundException",
        ),
        (
            "ListUsers",
            json!({"UserPoolId": pool_id, "Filter": "email"}),
            "InvalidParameterException",
        ),
        (
            "GetUser",
            json!({"AccessToken": "a.b.c"}),
            "NotAuthorizedException",
        ),
        (
            "ConfirmDevice",
            json!({"AccessToken": "x", "DeviceKey": "k", "DeviceSecretVerifierConfig": {"PasswordVerifier": "!!", "Salt": "AA=="}}),
            "InvalidParameterException",
        ),
    ];
    for (op, body, expected) in cases {
        let (code, msg) = call_err(&url, op, body.clone()).await;
        assert_eq!(code, expected, "{op} {body}: {msg}");
    }
    let (_, msg) = call_err(&url, "InitiateAuth", json!({"ClientId": client_id})).await;
    assert_eq!(msg, "1 validation error detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn illegal_srp_values() {
    let (emu, url, pool_id, client_id) = setup().await;
    let n = srp_core::N_HEX.to_owned();
    let two_n = {
        let v = num_bigint::BigUint::parse_bytes(n.as_bytes(), 16).unwrap() * 2u32;
        v.to_str_radix(16)
    };
    for a in [
        "0",
        "00",
        n.as_str(),
        two_n.as_str(),
        "zz",
        "",
        "-5",
        "0x10",
        "12 34",
    ] {
        let (code, _) = call_err(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": "alice", "SRP_A": a}}),
        )
        .await;
        assert_eq!(code, "InvalidParameterException", "SRP_A {a:?}");
    }
    // Garbage claims: refused as a wrong password, never a panic.
    let srp = srp_core::SrpClient::new().unwrap();
    for (block, sig, ts) in [
        (None, "!!!not base64", None),
        (None, "", None),
        (Some("AAAA"), "AAAA", None),
        (None, "zIm5kbwlo6461o1FvHLcSN36A68yBgHdSjENJ1aGzrs=", None),
        (None, "AAAA", Some("")),
    ] {
        let out = call(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": "alice", "SRP_A": srp.srp_a()}}),
        )
        .await;
        let issued = out["ChallengeParameters"]["SECRET_BLOCK"].as_str().unwrap();
        let now = srp_core::Timestamp::now().unwrap();
        let (code, _) = call_err(
            &url,
            "RespondToAuthChallenge",
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
            "Session": out["Session"], "ChallengeResponses": {"USERNAME": "alice",
            "PASSWORD_CLAIM_SECRET_BLOCK": block.unwrap_or(issued), "PASSWORD_CLAIM_SIGNATURE": sig,
            "TIMESTAMP": ts.unwrap_or(now.as_str())}}),
        )
        .await;
        assert!(
            code == "NotAuthorizedException" || code == "InvalidParameterException",
            "{code}"
        );
    }
    let _ = pool_id;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_do_not_disturb_another_sign_in() {
    let (emu, url, pool_id, client_id) = setup().await;
    user(&url, &pool_id, "mallory", "Passw0rd!", json!([])).await;
    // Alice starts an SRP sign-in.
    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "SRP_A": srp.srp_a()}}),
    )
    .await;
    let session = out["Session"].clone();
    let p = out["ChallengeParameters"].clone();

    // Meanwhile: garbage, someone else's failed logins, and wrong answers to Alice's session
    // that are refused before they consume it.
    for _ in 0..3 {
        post_raw(&url, Some(INITIATE), b"{{{").await;
        call_err(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": "mallory", "PASSWORD": "wrong"}}),
        )
        .await;
    }
    let (code, _) = call_err(
        &url,
        "RespondToAuthChallenge",
        json!({"ChallengeName": "SMS_MFA", "ClientId": client_id,
        "Session": session, "ChallengeResponses": {"USERNAME": "alice"}}),
    )
    .await;
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = call_err(
        &url,
        "RespondToAuthChallenge",
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
        "Session": session, "ChallengeResponses": {"USERNAME": "mallory"}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");

    // Alice finishes.
    let now = srp_core::Timestamp::now().unwrap();
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let c = srp
        .user_password_claim(
            pool_id.split('_').nth(1).unwrap(),
            "alice",
            "Passw0rd!",
            &challenge,
            &now,
        )
        .unwrap();
    let done = call(&url, "RespondToAuthChallenge", json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
        "Session": session, "ChallengeResponses": {"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp}})).await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_verifier_without_session_uses_the_secret_block() {
    let (emu, url, pool_id, client_id) = setup().await;
    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "SRP_A": srp.srp_a()}}),
    )
    .await;
    let p = &out["ChallengeParameters"];
    let now = srp_core::Timestamp::now().unwrap();
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let c = srp
        .user_password_claim(
            pool_id.split('_').nth(1).unwrap(),
            "alice",
            "Passw0rd!",
            &challenge,
            &now,
        )
        .unwrap();
    let done = call(
        &url,
        "RespondToAuthChallenge",
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
        "ChallengeResponses": {"USERNAME": "alice", "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp}}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}

#[test]
fn binary_prints_its_address_first_and_serves() {
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    assert!(
        emu.endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        emu.endpoint
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = rt.block_on(call(
        &emu.endpoint,
        "CreateUserPool",
        json!({"PoolName": "bin"}),
    ));
    assert!(out["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .starts_with("us-east-1_"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_logins_amid_garbage() {
    let (emu, url, pool_id, client_id) = setup().await;
    for i in 0..6 {
        user(&url, &pool_id, &format!("user{i}"), "Passw0rd!", json!([])).await;
    }
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (u, p, cid) = (url.clone(), pool_id.clone(), client_id.clone());
        tasks.push(tokio::spawn(async move {
            let (url, pool_id, client_id) = (u, p, cid);
            let c = client(&url);
            for _ in 0..8 {
                let r = srp_login(
                    &c,
                    &pool_id,
                    &client_id,
                    None,
                    &format!("user{i}"),
                    "Passw0rd!",
                )
                .await;
                assert!(matches!(r, Ok(Login::Tokens(_))), "{r:?}");
            }
        }));
        let url = url.clone();
        let client_id = client_id.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..8 {
                post_raw(
                    &url,
                    Some(INITIATE),
                    format!("{{\"AuthFlow\": {j}").as_bytes(),
                )
                .await;
                let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                    "AuthParameters": {"USERNAME": format!("user{i}"), "SRP_A": "0"}});
                post_raw(&url, Some(INITIATE), body.to_string().as_bytes()).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_are_readable_over_http_for_the_binary() {
    let (emu, url, pool_id, client_id) = setup().await;
    call(
        &url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "x+1@example.com", "Password": "Passw0rd!",
        "UserAttributes": [{"Name": "email", "Value": "x+1@example.com"}]}),
    )
    .await;
    let r = get_raw(
        &url,
        &format!("/_emulator/codes/{pool_id}/x%2B1%40example.com"),
    )
    .await;
    assert_eq!(r.status, 200);
    let codes = r.json()["codes"].clone();
    assert_eq!(
        codes[0]["code"].as_str(),
        emu.last_code(&pool_id, "x+1@example.com").as_deref()
    );
    assert_eq!(get_raw(&url, "/_emulator/codes/nothing").await.status, 404);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strange_timestamps_are_client_errors() {
    let (emu, url, _, client_id) = setup().await;
    let long = "9".repeat(10_000);
    for ts in [
        "",
        " ",
        "a b c d e f",
        "Tue Mar 5 07:04:09 UTC 99999",
        "Tue Mar 5 07:04:09 UTC -001",
        "Tüe Mär 5 07:04:09 UTC 2024",
        "Tue Mar 5 7:4:9 UTC 2024",
        "Tue Mar 5 07:04:09 GMT 2024",
        "Tue Mar 31 07:04:09 UTC 2024",
        "Tue Feb 30 07:04:09 UTC 2024",
        "Tue Mar 5 24:00:00 UTC 2024",
        "Tue Mar ٥ 07:04:09 UTC 2024",
        long.as_str(),
    ] {
        let srp = srp_core::SrpClient::new().unwrap();
        let out = call(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": "alice", "SRP_A": srp.srp_a()}}),
        )
        .await;
        let r = post_raw(&url, Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge"),
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id, "Session": out["Session"],
                "ChallengeResponses": {"USERNAME": "alice", "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": "AAAA",
                "PASSWORD_CLAIM_SECRET_BLOCK": out["ChallengeParameters"]["SECRET_BLOCK"]}}).to_string().as_bytes()).await;
        assert_eq!(
            r.status,
            400,
            "{ts:?}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let t = r.error_type();
        assert!(
            t == "InvalidParameterException" || t == "NotAuthorizedException",
            "{ts:?}: {t}"
        );
    }
    emu.shutdown().await;
}

#[test]
fn background_emulator_serves_synchronous_callers() {
    let emu = cognito_emulator::BackgroundEmulator::start("127.0.0.1:0").unwrap();
    let url = emu.endpoint_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pool_id = rt.block_on(pool(&url, json!({})));
    assert!(pool_id.starts_with("us-east-1_"));
    drop(emu);
    let refused = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    assert!(
        refused.is_err()
            || rt.block_on(async {
                // The listener may linger for a moment after shutdown; it must stop answering.
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                tokio::net::TcpStream::connect(url.trim_start_matches("http://"))
                    .await
                    .is_err()
            })
    );
}
