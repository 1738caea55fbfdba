//! The emulator against guessing and replay, as Cognito behaves: lockout with back-off after
//! failed sign-ins (password or SRP claim, and wrong MFA codes), codes that expire and allow a
//! few tries, challenge sessions that expire after 3 minutes and work once.

mod common;

use cognito_emulator::Emulator;
use common::*;
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("start emulator")
}

/// Calls an operation; the output, or the error's (type, message).
async fn post(url: &str, op: &str, body: Value) -> Result<Value, (String, String)> {
    let target = format!("AWSCognitoIdentityProviderService.{op}");
    let r = post_raw(url, Some(&target), body.to_string().as_bytes()).await;
    if r.status == 200 {
        Ok(r.json())
    } else {
        Err((r.error_type(), r.message()))
    }
}

async fn password_login(
    url: &str,
    client_id: &str,
    name: &str,
    password: &str,
) -> Result<Value, (String, String)> {
    let body = json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": name, "PASSWORD": password}});
    post(url, "InitiateAuth", body).await
}

/// USER_SRP_AUTH, then the PASSWORD_VERIFIER answer at the emulator's time.
async fn srp_login(
    emu: &Emulator,
    pool_id: &str,
    client_id: &str,
    name: &str,
    password: &str,
) -> Result<Value, (String, String)> {
    let url = emu.endpoint_url();
    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": name, "SRP_A": srp.srp_a()}}),
    )
    .await;
    let (body, _) = verifier_answer(emu, pool_id, client_id, name, password, &srp, &out);
    respond(&url, body).await
}

fn verifier_answer(
    emu: &Emulator,
    pool_id: &str,
    client_id: &str,
    name: &str,
    password: &str,
    srp: &srp_core::SrpClient,
    out: &Value,
) -> (Value, String) {
    let p = &out["ChallengeParameters"];
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let now = srp_core::Timestamp::from_unix_seconds(emu.clock().now()).unwrap();
    let claim = srp
        .user_password_claim(
            pool_id.split('_').nth(1).unwrap(),
            name,
            password,
            &challenge,
            &now,
        )
        .unwrap();
    let body = json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id, "Session": out["Session"],
        "ChallengeResponses": {"USERNAME": name, "PASSWORD_CLAIM_SECRET_BLOCK": claim.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": claim.signature, "TIMESTAMP": claim.timestamp}});
    (body, out["Session"].as_str().unwrap_or_default().to_owned())
}

async fn respond(url: &str, body: Value) -> Result<Value, (String, String)> {
    post(url, "RespondToAuthChallenge", body).await
}

fn refused(r: Result<Value, (String, String)>) -> String {
    match r {
        Ok(v) => panic!("expected a refusal, got {v}"),
        Err((code, message)) => {
            assert_eq!(code, "NotAuthorizedException", "{message}");
            message
        }
    }
}

const WRONG: &str = "Incorrect username or password.";
const LOCKED: &str = "Password attempts exceeded";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_lock_the_user_out_with_back_off() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "lena", "Passw0rd!", json!([])).await;
    user(&url, &pool_id, "otto", "Passw0rd!", json!([])).await;
    emu.clock().stop_at(1_800_000_000);

    // Five wrong answers, by password and by SRP claim, are refused as wrong.
    for _ in 0..3 {
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    for _ in 0..2 {
        assert_eq!(
            refused(srp_login(&emu, &pool_id, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    // Now locked for 1 s: even the right password is refused, by both flows, unchecked.
    assert_eq!(
        refused(password_login(&url, &client_id, "lena", "Passw0rd!").await),
        LOCKED
    );
    assert_eq!(
        refused(srp_login(&emu, &pool_id, &client_id, "lena", "Passw0rd!").await),
        LOCKED
    );
    // Another user is not affected.
    assert!(password_login(&url, &client_id, "otto", "Passw0rd!")
        .await
        .is_ok());

    // Each further failure doubles the lockout: 2 s, 4 s, 8 s.
    let mut lock = 1;
    for _ in 0..3 {
        emu.clock().advance(lock);
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
        lock *= 2;
        emu.clock().advance(lock - 1);
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Passw0rd!").await),
            LOCKED
        );
    }
    // Attempts during a lockout do not lengthen it: after 8 s the right password works.
    emu.clock().advance(1);
    let out = password_login(&url, &client_id, "lena", "Passw0rd!")
        .await
        .unwrap();
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    // The sign-in reset the history: four failures are free again.
    for _ in 0..4 {
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    assert!(password_login(&url, &client_id, "lena", "Passw0rd!")
        .await
        .is_ok());

    // The lockout stops growing at about 15 minutes (attempts during each lockout keep the
    // quiet-period reset away).
    for _ in 0..5 {
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    let mut lock: i64 = 1;
    for _ in 0..12 {
        emu.clock().advance(lock / 2);
        if lock >= 2 {
            assert_eq!(
                refused(password_login(&url, &client_id, "lena", "Passw0rd!").await),
                LOCKED
            );
        }
        emu.clock().advance(lock - lock / 2);
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
        lock = (lock * 2).min(900);
    }
    emu.clock().advance(450);
    assert_eq!(
        refused(password_login(&url, &client_id, "lena", "Passw0rd!").await),
        LOCKED
    );
    emu.clock().advance(449);
    assert_eq!(
        refused(password_login(&url, &client_id, "lena", "Passw0rd!").await),
        LOCKED
    );
    emu.clock().advance(1);
    assert!(password_login(&url, &client_id, "lena", "Passw0rd!")
        .await
        .is_ok());

    // 15 minutes without any attempt reset the history: 4 + 4 failures lock nothing.
    for _ in 0..4 {
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    emu.clock().advance(900);
    for _ in 0..4 {
        assert_eq!(
            refused(password_login(&url, &client_id, "lena", "Wrong-pass1").await),
            WRONG
        );
    }
    assert!(password_login(&url, &client_id, "lena", "Passw0rd!")
        .await
        .is_ok());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_mfa_codes_count_towards_the_lockout() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({"MfaConfiguration": "OPTIONAL"})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(
        &url,
        &pool_id,
        "mia",
        "Passw0rd!",
        json!([{"Name": "phone_number", "Value": "+15550001234"}]),
    )
    .await;
    call(
        &url,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": pool_id, "Username": "mia", "SMSMfaSettings": {"Enabled": true}}),
    )
    .await;
    emu.clock().stop_at(1_800_000_000);
    let mfa = |session: &Value, code: &str| {
        json!({"ChallengeName": "SMS_MFA", "ClientId": client_id, "Session": session,
            "ChallengeResponses": {"USERNAME": "mia", "SMS_MFA_CODE": code}})
    };
    // Two sign-ins, five wrong codes in all (a wrong code may be retried in its session).
    let mut wrong = 0;
    for _ in 0..2 {
        let out = password_login(&url, &client_id, "mia", "Passw0rd!")
            .await
            .unwrap();
        assert_eq!(out["ChallengeName"], "SMS_MFA");
        for _ in 0..(if wrong == 0 { 3 } else { 2 }) {
            let (code, _) = respond(&url, mfa(&out["Session"], "000000"))
                .await
                .unwrap_err();
            assert_eq!(code, "CodeMismatchException");
            wrong += 1;
        }
    }
    assert_eq!(wrong, 5);
    // Locked: the right password is refused now.
    assert_eq!(
        refused(password_login(&url, &client_id, "mia", "Passw0rd!").await),
        LOCKED
    );
    emu.clock().advance(1);
    let out = password_login(&url, &client_id, "mia", "Passw0rd!")
        .await
        .unwrap();
    let sent = emu.last_code(&pool_id, "mia").unwrap();
    let done = respond(&url, mfa(&out["Session"], &sent)).await.unwrap();
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    // The used session cannot be answered again.
    let (code, message) = respond(&url, mfa(&out["Session"], &sent))
        .await
        .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Invalid session for the user.")
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn challenge_sessions_expire_after_three_minutes_and_work_once() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "noor", "Passw0rd!", json!([])).await;
    emu.clock().stop_at(1_800_000_000);

    // Answered within 3 minutes: tokens. The same answer again: refused.
    let srp = srp_core::SrpClient::new().unwrap();
    let initiate = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "noor", "SRP_A": srp.srp_a()}});
    let out = call(&url, "InitiateAuth", initiate.clone()).await;
    emu.clock().advance(179);
    let (body, _) = verifier_answer(&emu, &pool_id, &client_id, "noor", "Passw0rd!", &srp, &out);
    assert!(respond(&url, body.clone()).await.unwrap()["AuthenticationResult"].is_object());
    assert_eq!(
        refused(respond(&url, body.clone()).await),
        "Invalid session for the user."
    );
    // Replayed without Session (found by SECRET_BLOCK, as moto-era clients answer): refused too.
    let mut no_session = body.clone();
    no_session.as_object_mut().unwrap().remove("Session");
    let (code, _) = respond(&url, no_session).await.unwrap_err();
    assert!(
        code == "NotAuthorizedException" || code == "InvalidParameterException",
        "{code}"
    );

    // Answered after 3 minutes: expired.
    let out = call(&url, "InitiateAuth", initiate).await;
    emu.clock().advance(181);
    let (body, _) = verifier_answer(&emu, &pool_id, &client_id, "noor", "Passw0rd!", &srp, &out);
    assert_eq!(
        refused(respond(&url, body).await),
        "Invalid session for the user, session is expired."
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_expire_allow_few_tries_and_work_once() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    emu.clock().stop_at(1_800_000_000);
    let confirm =
        |code: &str| json!({"ClientId": client_id, "Username": "pia", "ConfirmationCode": code});

    call(
        &url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "pia", "Password": "Passw0rd!",
        "UserAttributes": [{"Name": "email", "Value": "pia@example.com"}]}),
    )
    .await;
    let first = emu.last_code(&pool_id, "pia").unwrap();
    let wrong = if first == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let (code, _) = call_err(&url, "ConfirmSignUp", confirm(wrong)).await;
        assert_eq!(code, "CodeMismatchException");
    }
    // Out of tries: even the right code is refused until a new one is sent.
    let (code, message) = call_err(&url, "ConfirmSignUp", confirm(&first)).await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time."
        )
    );

    // A new code, valid for 24 hours.
    call(
        &url,
        "ResendConfirmationCode",
        json!({"ClientId": client_id, "Username": "pia"}),
    )
    .await;
    let second = emu.last_code(&pool_id, "pia").unwrap();
    emu.clock().advance(24 * 3600 + 1);
    let (code, _) = call_err(&url, "ConfirmSignUp", confirm(&second)).await;
    assert_eq!(code, "ExpiredCodeException");
    call(
        &url,
        "ResendConfirmationCode",
        json!({"ClientId": client_id, "Username": "pia"}),
    )
    .await;
    let third = emu.last_code(&pool_id, "pia").unwrap();
    emu.clock().advance(24 * 3600 - 1);
    call(&url, "ConfirmSignUp", confirm(&third)).await;

    // ForgotPassword codes: 1 hour, once.
    let reset = |code: &str, password: &str| json!({"ClientId": client_id, "Username": "pia", "ConfirmationCode": code, "Password": password});
    call(
        &url,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "pia"}),
    )
    .await;
    let code_one = emu.last_code(&pool_id, "pia").unwrap();
    emu.clock().advance(3601);
    let (code, _) = call_err(
        &url,
        "ConfirmForgotPassword",
        reset(&code_one, "Newpassw0rd"),
    )
    .await;
    assert_eq!(code, "ExpiredCodeException");
    call(
        &url,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "pia"}),
    )
    .await;
    let code_two = emu.last_code(&pool_id, "pia").unwrap();
    emu.clock().advance(3599);
    call(
        &url,
        "ConfirmForgotPassword",
        reset(&code_two, "Newpassw0rd"),
    )
    .await;
    let (code, _) = call_err(
        &url,
        "ConfirmForgotPassword",
        reset(&code_two, "Otherpassw0rd"),
    )
    .await;
    assert_eq!(code, "CodeMismatchException");
    assert!(password_login(&url, &client_id, "pia", "Newpassw0rd")
        .await
        .is_ok());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_auth_password_choice_is_locked_out_too() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(
        &url,
        json!({"Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}}}),
    )
    .await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "ravi", "Passw0rd!", json!([])).await;
    emu.clock().stop_at(1_800_000_000);
    let attempt = |password: &str| {
        json!({"AuthFlow": "USER_AUTH", "ClientId": client_id, "AuthParameters":
            {"USERNAME": "ravi", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password}})
    };
    for _ in 0..5 {
        assert_eq!(
            refused(post(&url, "InitiateAuth", attempt("Wrong-pass1")).await),
            WRONG
        );
    }
    assert_eq!(
        refused(post(&url, "InitiateAuth", attempt("Passw0rd!")).await),
        LOCKED
    );
    emu.clock().advance(1);
    let out = post(&url, "InitiateAuth", attempt("Passw0rd!"))
        .await
        .unwrap();
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}
