//! The sign-in flows end to end against an in-process emulator: the project's own client
//! (generated `cognito-idp` + `srp-core`) and raw awsJson calls.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::{CodeKind, Emulator, FixedAnswer};
use common::*;
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("start emulator")
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("json")
}

/// PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) answer for challenge parameters `p`.
fn claim(
    srp: &srp_core::SrpClient,
    realm: &str,
    identity: &str,
    password: &str,
    p: &Value,
    timestamp: &str,
) -> (String, String) {
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let ts = srp_core::Timestamp::parse(timestamp)
        .unwrap_or_else(|_| srp_core::Timestamp::now().unwrap());
    let c = srp
        .user_password_claim(realm, identity, password, &challenge, &ts)
        .unwrap();
    (c.signature, c.secret_block)
}

/// Raw USER_SRP_AUTH: returns the RespondToAuthChallenge output (or error) for a TIMESTAMP.
async fn srp_raw(
    url: &str,
    pool_id: &str,
    client_id: &str,
    login: &str,
    password: &str,
    timestamp: Option<&str>,
    extra: &[(&str, &str)],
) -> Result<Value, (String, String)> {
    let srp = srp_core::SrpClient::new().unwrap();
    let mut params = json!({"USERNAME": login, "SRP_A": srp.srp_a()});
    for (k, v) in extra {
        params[*k] = json!(v);
    }
    let out = call(
        url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": params}),
    )
    .await;
    assert_eq!(out["ChallengeName"], "PASSWORD_VERIFIER");
    let p = &out["ChallengeParameters"];
    assert_eq!(p["USER_ID_FOR_SRP"], p["USERNAME"]);
    let now = srp_core::Timestamp::now().unwrap();
    let ts = timestamp.unwrap_or(now.as_str()).to_owned();
    let realm = pool_id.split('_').nth(1).unwrap();
    let (sig, block) = claim(
        &srp,
        realm,
        p["USER_ID_FOR_SRP"].as_str().unwrap(),
        password,
        p,
        &ts,
    );
    let mut responses = json!({"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts});
    for (k, v) in extra {
        if *k != "SECRET_HASH" {
            responses[*k] = json!(v);
        }
    }
    let r = post_raw(
        url,
        Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge"),
        json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
               "Session": out["Session"], "ChallengeResponses": responses})
        .to_string()
        .as_bytes(),
    )
    .await;
    if r.status == 200 {
        Ok(r.json())
    } else {
        Err((r.error_type(), r.message()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_login_with_the_generated_client_and_wrong_password() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (plain, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let (with_secret, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    user(
        &url,
        &pool_id,
        "alice",
        "Passw0rd!",
        json!([{"Name": "email", "Value": "alice@example.com"}]),
    )
    .await;
    let c = client(&url);

    let Login::Tokens(t) = srp_login(&c, &pool_id, &plain, None, "alice", "Passw0rd!")
        .await
        .unwrap()
    else {
        panic!("expected tokens")
    };
    let access = claims(t.access_token.as_deref().unwrap());
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["username"], "alice");
    assert_eq!(access["client_id"], plain.as_str());
    assert_eq!(
        access["iss"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}")
    );
    for claim in ["sub", "exp", "iat", "auth_time", "jti", "origin_jti"] {
        assert!(!access[claim].is_null(), "{claim} missing");
    }
    let id = claims(t.id_token.as_deref().unwrap());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["aud"], plain.as_str());
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert!(t.refresh_token.is_some());

    let err = srp_login(&c, &pool_id, &plain, None, "alice", "wrong-Passw0rd")
        .await
        .unwrap_err();
    assert!(
        err.contains("NotAuthorizedException") && err.contains("Incorrect username or password."),
        "{err}"
    );

    let ok = srp_login(
        &c,
        &pool_id,
        &with_secret,
        secret.as_deref(),
        "alice",
        "Passw0rd!",
    )
    .await
    .unwrap();
    assert!(matches!(ok, Login::Tokens(_)));
    let err = srp_login(&c, &pool_id, &with_secret, None, "alice", "Passw0rd!")
        .await
        .unwrap_err();
    assert!(err.contains("SECRET_HASH was not received"), "{err}");
    let err = srp_login(
        &c,
        &pool_id,
        &with_secret,
        Some("not-the-secret"),
        "alice",
        "Passw0rd!",
    )
    .await
    .unwrap_err();
    assert!(err.contains("Unable to verify secret hash"), "{err}");

    let jwks = get_raw(&url, &format!("/{pool_id}/.well-known/jwks.json")).await;
    assert_eq!(jwks.status, 200);
    assert_eq!(jwks.json()["keys"][0]["alg"], "RS256");
    assert_eq!(
        get_raw(&url, "/us-east-1_nope/.well-known/jwks.json")
            .await
            .status,
        404
    );
    let oidc = get_raw(
        &url,
        &format!("/{pool_id}/.well-known/openid-configuration"),
    )
    .await
    .json();
    assert_eq!(
        oidc["issuer"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}")
    );
    assert_eq!(
        oidc["jwks_uri"],
        format!("{url}/{pool_id}/.well-known/jwks.json")
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alias_logins_return_the_internal_username() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    // Sign in by email: the internal username is the sub.
    let pool_id = pool(&url, json!({"UsernameAttributes": ["email"]})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "bob@example.com", "Passw0rd!", json!([])).await;
    let out = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "bob@example.com",
        "Passw0rd!",
        None,
        &[],
    )
    .await
    .unwrap();
    let access = claims(out["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    assert_eq!(access["username"], access["sub"]);

    // Alias attributes: a verified email signs in, the username stays the internal name.
    let pool2 = pool(&url, json!({"AliasAttributes": ["email", "phone_number"]})).await;
    let (client2, _) = app_client(&url, &pool2, false, ALL_FLOWS).await;
    user(&url, &pool2, "carol", "Passw0rd!", json!([
        {"Name": "email", "Value": "carol@example.com"}, {"Name": "email_verified", "Value": "true"},
        {"Name": "phone_number", "Value": "+15550001111"}, {"Name": "phone_number_verified", "Value": "true"}])).await;
    for login in ["carol@example.com", "+15550001111", "carol"] {
        let out = srp_raw(&url, &pool2, &client2, login, "Passw0rd!", None, &[])
            .await
            .unwrap();
        let access = claims(out["AuthenticationResult"]["AccessToken"].as_str().unwrap());
        assert_eq!(access["username"], "carol", "login {login}");
    }
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client2,
        "AuthParameters": {"USERNAME": "nobody", "SRP_A": "02"}}),
    )
    .await;
    assert_eq!(code, "UserNotFoundException");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timestamp_format_and_skew_are_checked() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "dave", "Passw0rd!", json!([])).await;
    // Known instant: Tue Mar 5 07:04:09 UTC 2024.
    emu.clock().set(1_709_622_249);
    let ok = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "dave",
        "Passw0rd!",
        Some("Tue Mar 5 07:04:09 UTC 2024"),
        &[],
    )
    .await;
    assert!(ok.is_ok(), "{ok:?}");
    let padded = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "dave",
        "Passw0rd!",
        Some("Tue Mar 05 07:04:09 UTC 2024"),
        &[],
    )
    .await;
    assert_eq!(padded.unwrap_err().0, "NotAuthorizedException");
    let weekday = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "dave",
        "Passw0rd!",
        Some("Wed Mar 5 07:04:09 UTC 2024"),
        &[],
    )
    .await;
    assert_eq!(weekday.unwrap_err().0, "NotAuthorizedException");
    let format = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "dave",
        "Passw0rd!",
        Some("2024-03-05T07:04:09Z"),
        &[],
    )
    .await;
    assert_eq!(
        format.unwrap_err(),
        (
            "InvalidParameterException".into(),
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.".into()
        )
    );
    emu.clock().advance(3600);
    let skew = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "dave",
        "Passw0rd!",
        Some("Tue Mar 5 07:04:09 UTC 2024"),
        &[],
    )
    .await;
    assert_eq!(skew.unwrap_err().0, "NotAuthorizedException");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_refresh_signout_and_revocation() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    let secret = secret.unwrap();
    let (srp_only, _) = app_client(&url, &pool_id, false, &["ALLOW_USER_SRP_AUTH"]).await;
    user(&url, &pool_id, "erin", "Passw0rd!", json!([])).await;
    let hash = srp_core::secret_hash(&secret, "erin", &client_id);

    let (code, msg) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": srp_only,
        "AuthParameters": {"USERNAME": "erin", "PASSWORD": "Passw0rd!"}}),
    )
    .await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        (
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client"
        )
    );
    let (code, msg) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "erin", "PASSWORD": "nope", "SECRET_HASH": hash}}),
    )
    .await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("NotAuthorizedException", "Incorrect username or password.")
    );

    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "erin", "PASSWORD": "Passw0rd!", "SECRET_HASH": hash}}),
    )
    .await;
    let result = &out["AuthenticationResult"];
    let refresh = result["RefreshToken"].as_str().unwrap().to_owned();
    let access = result["AccessToken"].as_str().unwrap().to_owned();
    let me = call(&url, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(me["Username"], "erin");

    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": refresh}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    let again = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": refresh, "SECRET_HASH": hash}}),
    )
    .await;
    let r = &again["AuthenticationResult"];
    assert!(
        r["RefreshToken"].is_null(),
        "refresh must not return a new refresh token"
    );
    let a2 = claims(r["AccessToken"].as_str().unwrap());
    assert_eq!(a2["origin_jti"], claims(&access)["origin_jti"]);

    call(&url, "GlobalSignOut", json!({"AccessToken": access})).await;
    let (code, msg) = call_err(&url, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("NotAuthorizedException", "Access Token has been revoked")
    );
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": refresh, "SECRET_HASH": hash}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");

    // RevokeToken: the refresh token and the access tokens issued from it stop working.
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "erin", "PASSWORD": "Passw0rd!", "SECRET_HASH": hash}}),
    )
    .await;
    let refresh = out["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = out["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = call_err(
        &url,
        "RevokeToken",
        json!({"Token": refresh, "ClientId": client_id}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    call(
        &url,
        "RevokeToken",
        json!({"Token": refresh, "ClientId": client_id, "ClientSecret": secret}),
    )
    .await;
    assert_eq!(
        call_err(&url, "GetUser", json!({"AccessToken": access}))
            .await
            .0,
        "NotAuthorizedException"
    );
    let (code, msg) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": refresh, "SECRET_HASH": hash}}),
    )
    .await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("NotAuthorizedException", "Invalid Refresh Token")
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_with_a_readable_code_and_new_password_required() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(
        &url,
        json!({"Schema": [{"Name": "name", "AttributeDataType": "String", "Required": true}]}),
    )
    .await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let (code, _) = call_err(
        &url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "frank", "Password": "Passw0rd!"}),
    )
    .await;
    assert_eq!(code, "InvalidParameterException");
    let (code, _) = call_err(
        &url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "frank", "Password": "short",
        "UserAttributes": [{"Name": "name", "Value": "Frank"}]}),
    )
    .await;
    assert_eq!(code, "InvalidPasswordException");
    let out = call(&url, "SignUp", json!({"ClientId": client_id, "Username": "frank", "Password": "Passw0rd!",
        "UserAttributes": [{"Name": "name", "Value": "Frank"}, {"Name": "email", "Value": "frank@example.com"}]})).await;
    assert_eq!(out["UserConfirmed"], false);
    let (code, msg) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "frank", "PASSWORD": "Passw0rd!"}}),
    )
    .await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("UserNotConfirmedException", "User is not confirmed.")
    );
    let sent = emu.sent_codes(&pool_id, "frank");
    assert_eq!(sent.last().unwrap().kind, CodeKind::SignUpConfirmation);
    let code = emu.last_code(&pool_id, "frank").unwrap();
    assert_eq!(
        call_err(
            &url,
            "ConfirmSignUp",
            json!({"ClientId": client_id, "Username": "frank", "ConfirmationCode": "000000x"})
        )
        .await
        .0,
        "CodeMismatchException"
    );
    call(
        &url,
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "frank", "ConfirmationCode": code}),
    )
    .await;
    let u = call(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "frank"}),
    )
    .await;
    assert_eq!(u["UserStatus"], "CONFIRMED");
    srp_raw(&url, &pool_id, &client_id, "frank", "Passw0rd!", None, &[])
        .await
        .unwrap();

    // Admin-created user without the required attribute: NEW_PASSWORD_REQUIRED asks for it.
    call(&url, "AdminCreateUser", json!({"UserPoolId": pool_id, "Username": "gina", "TemporaryPassword": "Temp0rary!",
        "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "email", "Value": "gina@example.com"}]})).await;
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "gina", "PASSWORD": "Temp0rary!"}}),
    )
    .await;
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let p = &out["ChallengeParameters"];
    let required: Vec<String> =
        serde_json::from_str(p["requiredAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(required, vec!["userAttributes.name"]);
    let attrs: BTreeMap<String, String> =
        serde_json::from_str(p["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(attrs["email"], "gina@example.com");
    let (code, _) = call_err(&url, "RespondToAuthChallenge", json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": client_id,
        "Session": out["Session"], "ChallengeResponses": {"USERNAME": "gina", "NEW_PASSWORD": "N3wPassword!"}})).await;
    assert_eq!(code, "InvalidParameterException");
    let done = call(&url, "RespondToAuthChallenge", json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": client_id,
        "Session": out["Session"], "ChallengeResponses": {"USERNAME": "gina", "NEW_PASSWORD": "N3wPassword!", "userAttributes.name": "Gina"}})).await;
    assert!(done["AuthenticationResult"]["IdToken"].is_string());
    assert_eq!(
        claims(done["AuthenticationResult"]["IdToken"].as_str().unwrap())["name"],
        "Gina"
    );
    srp_raw(
        &url,
        &pool_id,
        &client_id,
        "gina",
        "N3wPassword!",
        None,
        &[],
    )
    .await
    .unwrap();
    emu.shutdown().await;
}

async fn answer(
    url: &str,
    client_id: &str,
    name: &str,
    session: &Value,
    responses: Value,
) -> Value {
    call(
        url,
        "RespondToAuthChallenge",
        json!({"ChallengeName": name, "ClientId": client_id,
        "Session": session, "ChallengeResponses": responses}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_setup_then_software_token_mfa() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({"MfaConfiguration": "ON"})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "hank", "Passw0rd!", json!([])).await;
    let out = srp_raw(&url, &pool_id, &client_id, "hank", "Passw0rd!", None, &[])
        .await
        .unwrap();
    assert_eq!(out["ChallengeName"], "MFA_SETUP");
    let can: Vec<String> = serde_json::from_str(
        out["ChallengeParameters"]["MFAS_CAN_SETUP"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(can, vec!["SOFTWARE_TOKEN_MFA"]);
    let assoc = call(
        &url,
        "AssociateSoftwareToken",
        json!({"Session": out["Session"]}),
    )
    .await;
    let secret = assoc["SecretCode"].as_str().unwrap();
    let (code, _) = call_err(
        &url,
        "VerifySoftwareToken",
        json!({"Session": assoc["Session"], "UserCode": "000000"}),
    )
    .await;
    assert_eq!(code, "EnableSoftwareTokenMFAException");
    let verified = call(
        &url,
        "VerifySoftwareToken",
        json!({"Session": assoc["Session"], "UserCode": emu.totp_for_secret(secret)}),
    )
    .await;
    assert_eq!(verified["Status"], "SUCCESS");
    let done = answer(
        &url,
        &client_id,
        "MFA_SETUP",
        &verified["Session"],
        json!({"USERNAME": "hank"}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());

    let out = srp_raw(&url, &pool_id, &client_id, "hank", "Passw0rd!", None, &[])
        .await
        .unwrap();
    assert_eq!(out["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let (code, _) = call_err(&url, "RespondToAuthChallenge", json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": client_id,
        "Session": out["Session"], "ChallengeResponses": {"USERNAME": "hank", "SOFTWARE_TOKEN_MFA_CODE": "12345x"}})).await;
    assert_eq!(code, "CodeMismatchException");
    // The session survives a wrong code.
    let code = emu.totp_code(&pool_id, "hank").unwrap();
    let done = answer(
        &url,
        &client_id,
        "SOFTWARE_TOKEN_MFA",
        &out["Session"],
        json!({"USERNAME": "hank", "SOFTWARE_TOKEN_MFA_CODE": code}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    let u = call(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "hank"}),
    )
    .await;
    assert_eq!(u["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_email_and_select_mfa_type() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({"MfaConfiguration": "OPTIONAL"})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(
        &url,
        &pool_id,
        "ivy",
        "Passw0rd!",
        json!([{"Name": "email", "Value": "ivy@example.com"},
        {"Name": "phone_number", "Value": "+15550009999"}]),
    )
    .await;
    // OPTIONAL and nothing enabled: straight to tokens.
    let out = srp_raw(&url, &pool_id, &client_id, "ivy", "Passw0rd!", None, &[])
        .await
        .unwrap();
    assert!(out["AuthenticationResult"].is_object());

    call(
        &url,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": pool_id, "Username": "ivy",
        "SMSMfaSettings": {"Enabled": true}}),
    )
    .await;
    let out = srp_raw(&url, &pool_id, &client_id, "ivy", "Passw0rd!", None, &[])
        .await
        .unwrap();
    assert_eq!(out["ChallengeName"], "SMS_MFA");
    assert_eq!(
        out["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "SMS"
    );
    let sent = emu.sent_codes(&pool_id, "ivy").pop().unwrap();
    assert_eq!(
        (sent.kind, sent.destination.as_str()),
        (CodeKind::Sms, "+15550009999")
    );
    let done = answer(
        &url,
        &client_id,
        "SMS_MFA",
        &out["Session"],
        json!({"USERNAME": "ivy", "SMS_MFA_CODE": sent.code}),
    )
    .await;
    assert!(done["AuthenticationResult"].is_object());

    call(
        &url,
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": pool_id, "Username": "ivy",
        "EmailMfaSettings": {"Enabled": true}}),
    )
    .await;
    let out = srp_raw(&url, &pool_id, &client_id, "ivy", "Passw0rd!", None, &[])
        .await
        .unwrap();
    assert_eq!(out["ChallengeName"], "SELECT_MFA_TYPE");
    let choose: Vec<String> = serde_json::from_str(
        out["ChallengeParameters"]["MFAS_CAN_CHOOSE"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(choose, vec!["SMS_MFA", "EMAIL_OTP"]);
    let next = answer(
        &url,
        &client_id,
        "SELECT_MFA_TYPE",
        &out["Session"],
        json!({"USERNAME": "ivy", "ANSWER": "EMAIL_OTP"}),
    )
    .await;
    assert_eq!(next["ChallengeName"], "EMAIL_OTP");
    let sent = emu.sent_codes(&pool_id, "ivy").pop().unwrap();
    assert_eq!(sent.kind, CodeKind::Email);
    let done = answer(
        &url,
        &client_id,
        "EMAIL_OTP",
        &next["Session"],
        json!({"USERNAME": "ivy", "EMAIL_OTP_CODE": sent.code}),
    )
    .await;
    assert!(done["AuthenticationResult"].is_object());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_tracking_and_device_srp() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(
        &url,
        json!({"DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true,
        "DeviceOnlyRememberedOnUserPrompt": true}}),
    )
    .await;
    let (client_id, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    let secret = secret.unwrap();
    user(&url, &pool_id, "jack", "Passw0rd!", json!([])).await;
    let hash = srp_core::secret_hash(&secret, "jack", &client_id);
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "jack", "PASSWORD": "Passw0rd!", "SECRET_HASH": hash}}),
    )
    .await;
    let result = &out["AuthenticationResult"];
    let meta = &result["NewDeviceMetadata"];
    let device_key = meta["DeviceKey"].as_str().unwrap().to_owned();
    let group_key = meta["DeviceGroupKey"].as_str().unwrap().to_owned();
    assert!(device_key.starts_with("us-east-1_"));
    let access = result["AccessToken"].as_str().unwrap();
    let reg = srp_core::DeviceRegistration::generate(&group_key, &device_key).unwrap();
    let confirmed = call(&url, "ConfirmDevice", json!({"AccessToken": access, "DeviceKey": device_key,
        "DeviceName": "test", "DeviceSecretVerifierConfig": {"PasswordVerifier": reg.password_verifier(), "Salt": reg.salt()}})).await;
    assert_eq!(confirmed["UserConfirmationNecessary"], true);
    call(
        &url,
        "UpdateDeviceStatus",
        json!({"AccessToken": access, "DeviceKey": device_key,
        "DeviceRememberedStatus": "remembered"}),
    )
    .await;

    // SRP login with DEVICE_KEY: password verifier, then the device's own SRP.
    let out = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "jack",
        "Passw0rd!",
        None,
        &[("DEVICE_KEY", &device_key), ("SECRET_HASH", &hash)],
    )
    .await;
    // The PASSWORD_VERIFIER answer needs SECRET_HASH too.
    assert_eq!(out.unwrap_err().0, "NotAuthorizedException");

    let srp = srp_core::SrpClient::new().unwrap();
    let init = call(&url, "InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "jack", "SRP_A": srp.srp_a(), "SECRET_HASH": hash, "DEVICE_KEY": device_key}})).await;
    let p = &init["ChallengeParameters"];
    let realm = pool_id.split('_').nth(1).unwrap();
    let now = srp_core::Timestamp::now().unwrap();
    let (sig, block) = claim(&srp, realm, "jack", "Passw0rd!", p, now.as_str());
    let step = answer(&url, &client_id, "PASSWORD_VERIFIER", &init["Session"], json!({"USERNAME": "jack",
        "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str(),
        "SECRET_HASH": hash, "DEVICE_KEY": device_key})).await;
    assert_eq!(step["ChallengeName"], "DEVICE_SRP_AUTH");
    let dev = srp_core::SrpClient::new().unwrap();
    let step = answer(
        &url,
        &client_id,
        "DEVICE_SRP_AUTH",
        &step["Session"],
        json!({"USERNAME": "jack",
        "DEVICE_KEY": device_key, "SRP_A": dev.srp_a(), "SECRET_HASH": hash}),
    )
    .await;
    assert_eq!(step["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    let p = &step["ChallengeParameters"];
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    // A wrong device password is refused.
    let wrong = dev
        .device_password_claim(
            &group_key,
            &device_key,
            "not-the-device-password",
            &challenge,
            &now,
        )
        .unwrap();
    let (code, _) = call_err(&url, "RespondToAuthChallenge", json!({"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ClientId": client_id,
        "Session": step["Session"], "ChallengeResponses": {"USERNAME": "jack", "PASSWORD_CLAIM_SECRET_BLOCK": wrong.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": wrong.signature, "TIMESTAMP": wrong.timestamp, "SECRET_HASH": hash, "DEVICE_KEY": device_key}})).await;
    assert_eq!(code, "NotAuthorizedException");

    // Again, with the right device password.
    let srp = srp_core::SrpClient::new().unwrap();
    let init = call(&url, "InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "jack", "SRP_A": srp.srp_a(), "SECRET_HASH": hash, "DEVICE_KEY": device_key}})).await;
    let (sig, block) = claim(
        &srp,
        realm,
        "jack",
        "Passw0rd!",
        &init["ChallengeParameters"],
        now.as_str(),
    );
    let step = answer(&url, &client_id, "PASSWORD_VERIFIER", &init["Session"], json!({"USERNAME": "jack",
        "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str(),
        "SECRET_HASH": hash, "DEVICE_KEY": device_key})).await;
    let dev = srp_core::SrpClient::new().unwrap();
    let step = answer(
        &url,
        &client_id,
        "DEVICE_SRP_AUTH",
        &step["Session"],
        json!({"USERNAME": "jack",
        "DEVICE_KEY": device_key, "SRP_A": dev.srp_a(), "SECRET_HASH": hash}),
    )
    .await;
    let p = &step["ChallengeParameters"];
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p["SALT"].as_str().unwrap(),
        srp_b: p["SRP_B"].as_str().unwrap(),
        secret_block: p["SECRET_BLOCK"].as_str().unwrap(),
    };
    let c = dev
        .device_password_claim(
            &group_key,
            &device_key,
            reg.device_password(),
            &challenge,
            &now,
        )
        .unwrap();
    let done = answer(&url, &client_id, "DEVICE_PASSWORD_VERIFIER", &step["Session"], json!({"USERNAME": "jack",
        "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block, "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp,
        "SECRET_HASH": hash, "DEVICE_KEY": device_key})).await;
    let r = &done["AuthenticationResult"];
    assert!(r["NewDeviceMetadata"].is_null());
    assert_eq!(
        claims(r["AccessToken"].as_str().unwrap())["device_key"],
        device_key.as_str()
    );

    // Refresh with DEVICE_KEY keeps the device in the token.
    let refreshed = call(&url, "InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": r["RefreshToken"], "SECRET_HASH": hash, "DEVICE_KEY": device_key}})).await;
    assert_eq!(
        claims(
            refreshed["AuthenticationResult"]["AccessToken"]
                .as_str()
                .unwrap()
        )["device_key"],
        device_key.as_str()
    );

    // An unknown device: ResourceNotFoundException mentioning the device, as clients expect.
    let srp = srp_core::SrpClient::new().unwrap();
    let init = call(&url, "InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "jack", "SRP_A": srp.srp_a(), "SECRET_HASH": hash, "DEVICE_KEY": "us-east-1_gone"}})).await;
    let (sig, block) = claim(
        &srp,
        realm,
        "jack",
        "Passw0rd!",
        &init["ChallengeParameters"],
        now.as_str(),
    );
    let (code, msg) = call_err(&url, "RespondToAuthChallenge", json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id,
        "Session": init["Session"], "ChallengeResponses": {"USERNAME": "jack", "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str(), "SECRET_HASH": hash, "DEVICE_KEY": "us-east-1_gone"}})).await;
    assert_eq!(code, "ResourceNotFoundException");
    assert!(msg.contains("Device"));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_auth_through_the_hook() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "kim", "Passw0rd!", json!([])).await;
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "kim"}}),
    )
    .await;
    assert_eq!(code, "InvalidParameterException");
    emu.set_custom_auth(Arc::new(FixedAnswer::new("42")));

    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "kim"}}),
    )
    .await;
    assert_eq!(out["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(out["ChallengeParameters"]["question"], "answer?");
    let wrong = answer(
        &url,
        &client_id,
        "CUSTOM_CHALLENGE",
        &out["Session"],
        json!({"USERNAME": "kim", "ANSWER": "41"}),
    )
    .await;
    assert_eq!(wrong["ChallengeName"], "CUSTOM_CHALLENGE");
    let done = answer(
        &url,
        &client_id,
        "CUSTOM_CHALLENGE",
        &wrong["Session"],
        json!({"USERNAME": "kim", "ANSWER": "42"}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());

    // With SRP_A first: PASSWORD_VERIFIER, then the custom challenge.
    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "kim", "SRP_A": srp.srp_a(), "CHALLENGE_NAME": "SRP_A"}}),
    )
    .await;
    assert_eq!(out["ChallengeName"], "PASSWORD_VERIFIER");
    let now = srp_core::Timestamp::now().unwrap();
    let (sig, block) = claim(
        &srp,
        pool_id.split('_').nth(1).unwrap(),
        "kim",
        "Passw0rd!",
        &out["ChallengeParameters"],
        now.as_str(),
    );
    let next = answer(&url, &client_id, "PASSWORD_VERIFIER", &out["Session"], json!({"USERNAME": "kim",
        "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str()})).await;
    assert_eq!(next["ChallengeName"], "CUSTOM_CHALLENGE");
    let done = answer(
        &url,
        &client_id,
        "CUSTOM_CHALLENGE",
        &next["Session"],
        json!({"USERNAME": "kim", "ANSWER": "42"}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_auth_choices() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({"Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let (no_user_auth, _) = app_client(&url, &pool_id, false, &["ALLOW_USER_SRP_AUTH"]).await;
    user(
        &url,
        &pool_id,
        "lee",
        "Passw0rd!",
        json!([{"Name": "email", "Value": "lee@example.com"}]),
    )
    .await;
    assert_eq!(
        call_err(
            &url,
            "InitiateAuth",
            json!({"AuthFlow": "USER_AUTH", "ClientId": no_user_auth,
        "AuthParameters": {"USERNAME": "lee"}})
        )
        .await
        .0,
        "InvalidParameterException"
    );

    let out = call(&url, "InitiateAuth", json!({"AuthFlow": "USER_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "lee", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Passw0rd!"}})).await;
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());

    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(&url, "InitiateAuth", json!({"AuthFlow": "USER_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "lee", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": srp.srp_a()}})).await;
    assert_eq!(out["ChallengeName"], "PASSWORD_VERIFIER");
    let now = srp_core::Timestamp::now().unwrap();
    let (sig, block) = claim(
        &srp,
        pool_id.split('_').nth(1).unwrap(),
        "lee",
        "Passw0rd!",
        &out["ChallengeParameters"],
        now.as_str(),
    );
    let done = answer(&url, &client_id, "PASSWORD_VERIFIER", &out["Session"], json!({"USERNAME": "lee",
        "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str()})).await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());

    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "lee"}}),
    )
    .await;
    assert_eq!(out["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        out["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    let next = answer(
        &url,
        &client_id,
        "SELECT_CHALLENGE",
        &out["Session"],
        json!({"USERNAME": "lee", "ANSWER": "EMAIL_OTP"}),
    )
    .await;
    assert_eq!(next["ChallengeName"], "EMAIL_OTP");
    let code = emu.last_code(&pool_id, "lee").unwrap();
    let done = answer(
        &url,
        &client_id,
        "EMAIL_OTP",
        &next["Session"],
        json!({"USERNAME": "lee", "EMAIL_OTP_CODE": code}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());

    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "lee"}}),
    )
    .await;
    let done = answer(
        &url,
        &client_id,
        "SELECT_CHALLENGE",
        &out["Session"],
        json!({"USERNAME": "lee", "ANSWER": "PASSWORD", "PASSWORD": "Passw0rd!"}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_calls_through_the_generated_client() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let c = client(&url);
    let pool = c.create_user_pool().pool_name("gen").send().await.unwrap();
    let pool_id = pool.user_pool.unwrap().id.unwrap();
    let app = c
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("a")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let app = app.user_pool_client.unwrap();
    assert!(app.client_secret.is_some());
    let described = c
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(app.client_id.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool_client.unwrap().client_secret,
        app.client_secret
    );
    c.admin_create_user()
        .user_pool_id(&pool_id)
        .username("mo")
        .send()
        .await
        .unwrap();
    let got = c
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("mo")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.user_status.map(|s| s.as_str().to_owned()).as_deref(),
        Some("FORCE_CHANGE_PASSWORD")
    );
    let listed = c.list_users().user_pool_id(&pool_id).send().await.unwrap();
    assert_eq!(listed.users.unwrap_or_default().len(), 1);
    c.admin_delete_user()
        .user_pool_id(&pool_id)
        .username("mo")
        .send()
        .await
        .unwrap();
    let err = c
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("mo")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("UserNotFoundException"), "{err}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pools_live_in_the_region_of_the_signing_scope() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let config = cognito_idp::runtime::Config::builder()
        .region("eu-west-1")
        .endpoint_url(&url)
        .credentials(cognito_idp::runtime::Credentials::new(
            "AKIDTEST", "secret", None,
        ))
        .max_attempts(1)
        .build()
        .unwrap();
    let c = cognito_idp::Client::new(config).unwrap();
    let pool = c.create_user_pool().pool_name("eu").send().await.unwrap();
    let pool_id = pool.user_pool.unwrap().id.unwrap();
    assert!(pool_id.starts_with("eu-west-1_"), "{pool_id}");
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "nina", "Passw0rd!", json!([])).await;
    let out = srp_raw(&url, &pool_id, &client_id, "nina", "Passw0rd!", None, &[])
        .await
        .unwrap();
    let access = claims(out["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    assert_eq!(
        access["iss"],
        format!("https://cognito-idp.eu-west-1.amazonaws.com/{pool_id}")
    );
    // A call signed for another region does not see it.
    let us = client(&url);
    let err = us
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("nina")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("ResourceNotFoundException"),
        "{err}"
    );
    c.admin_get_user()
        .user_pool_id(&pool_id)
        .username("nina")
        .send()
        .await
        .unwrap();
    // A us-east-1 listing does not see it.
    let listed = call(&url, "ListUserPools", json!({"MaxResults": 10})).await;
    assert_eq!(listed["UserPools"], json!([]));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_and_legacy_flows_keep_srp() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (legacy, _) = app_client(&url, &pool_id, false, &["USER_PASSWORD_AUTH"]).await;
    user(&url, &pool_id, "olga", "Passw0rd!", json!([])).await;
    // Legacy ExplicitAuthFlows: SRP and password both work.
    srp_raw(&url, &pool_id, &legacy, "olga", "Passw0rd!", None, &[])
        .await
        .unwrap();
    call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": legacy,
        "AuthParameters": {"USERNAME": "olga", "PASSWORD": "Passw0rd!"}}),
    )
    .await;

    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": legacy,
        "AuthParameters": {"USERNAME": "olga", "SRP_A": srp.srp_a()}}),
    )
    .await;
    emu.clock().advance(181);
    let now = srp_core::Timestamp::from_unix_seconds(emu.clock().now()).unwrap();
    let (sig, block) = claim(
        &srp,
        pool_id.split('_').nth(1).unwrap(),
        "olga",
        "Passw0rd!",
        &out["ChallengeParameters"],
        now.as_str(),
    );
    let (code, msg) = call_err(&url, "RespondToAuthChallenge", json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": legacy,
        "Session": out["Session"], "ChallengeResponses": {"USERNAME": "olga", "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": now.as_str()}})).await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        (
            "NotAuthorizedException",
            "Invalid session for the user, session is expired."
        )
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_needs_the_secret_hash_of_secret_clients() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    let body = json!({"ClientId": client_id, "Username": "pat", "Password": "Passw0rd!"});
    let (code, msg) = call_err(&url, "SignUp", body.clone()).await;
    assert_eq!(code, "NotAuthorizedException");
    assert_eq!(
        msg,
        format!("Client {client_id} is configured for secret but secret was not received")
    );
    let mut with_hash = body;
    with_hash["SecretHash"] = json!(srp_core::secret_hash(
        secret.as_deref().unwrap(),
        "pat",
        &client_id
    ));
    call(&url, "SignUp", with_hash).await;
    let code = emu.last_code(&pool_id, "pat").unwrap();
    let (c, _) = call_err(
        &url,
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "pat", "ConfirmationCode": code}),
    )
    .await;
    assert_eq!(c, "NotAuthorizedException");
    call(
        &url,
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "pat", "ConfirmationCode": code,
        "SecretHash": srp_core::secret_hash(secret.as_deref().unwrap(), "pat", &client_id)}),
    )
    .await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_change_password_and_get_tokens_from_refresh_token() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    let secret = secret.unwrap();
    user(
        &url,
        &pool_id,
        "quinn",
        "Passw0rd!",
        json!([{"Name": "email", "Value": "q@example.com"}]),
    )
    .await;
    let hash = srp_core::secret_hash(&secret, "quinn", &client_id);

    let out = call(
        &url,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "quinn", "SecretHash": hash}),
    )
    .await;
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let sent = emu.sent_codes(&pool_id, "quinn").pop().unwrap();
    assert_eq!(sent.kind, CodeKind::PasswordReset);
    let (code, _) = call_err(
        &url,
        "ConfirmForgotPassword",
        json!({"ClientId": client_id, "Username": "quinn",
        "SecretHash": hash, "ConfirmationCode": "nope", "Password": "N3wPassword!"}),
    )
    .await;
    assert_eq!(code, "CodeMismatchException");
    call(
        &url,
        "ConfirmForgotPassword",
        json!({"ClientId": client_id, "Username": "quinn",
        "SecretHash": hash, "ConfirmationCode": sent.code, "Password": "N3wPassword!"}),
    )
    .await;
    srp_raw(
        &url,
        &pool_id,
        &client_id,
        "quinn",
        "N3wPassword!",
        None,
        &[("SECRET_HASH", &hash)],
    )
    .await
    .unwrap_err();
    let c = client(&url);
    let Login::Tokens(t) = srp_login(
        &c,
        &pool_id,
        &client_id,
        Some(&secret),
        "quinn",
        "N3wPassword!",
    )
    .await
    .unwrap() else {
        panic!("tokens")
    };
    let access = t.access_token.unwrap();
    let (code, _) = call_err(
        &url,
        "ChangePassword",
        json!({"AccessToken": access, "PreviousPassword": "wrong",
        "ProposedPassword": "Th1rdPassword!"}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    call(
        &url,
        "ChangePassword",
        json!({"AccessToken": access, "PreviousPassword": "N3wPassword!",
        "ProposedPassword": "Th1rdPassword!"}),
    )
    .await;
    assert!(matches!(
        srp_login(
            &c,
            &pool_id,
            &client_id,
            Some(&secret),
            "quinn",
            "Th1rdPassword!"
        )
        .await
        .unwrap(),
        Login::Tokens(_)
    ));

    let refresh = t.refresh_token.unwrap();
    let (code, _) = call_err(
        &url,
        "GetTokensFromRefreshToken",
        json!({"ClientId": client_id, "RefreshToken": refresh}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    let out = call(
        &url,
        "GetTokensFromRefreshToken",
        json!({"ClientId": client_id, "RefreshToken": refresh,
        "ClientSecret": secret}),
    )
    .await;
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_on_the_emulator_clock() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let out = call(
        &url,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "short",
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": 5, "RefreshTokenValidity": 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "RefreshToken": "minutes"}}),
    )
    .await;
    let client_id = out["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    user(&url, &pool_id, "rita", "Passw0rd!", json!([])).await;
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "rita", "PASSWORD": "Passw0rd!"}}),
    )
    .await;
    let r = &out["AuthenticationResult"];
    assert_eq!(r["ExpiresIn"], 300);
    let access = r["AccessToken"].as_str().unwrap();
    let c = claims(access);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 300);
    emu.clock().advance(301);
    let (code, msg) = call_err(&url, "GetUser", json!({"AccessToken": access})).await;
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("NotAuthorizedException", "Access Token has expired")
    );
    let again = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": r["RefreshToken"]}}),
    )
    .await;
    call(
        &url,
        "GetUser",
        json!({"AccessToken": again["AuthenticationResult"]["AccessToken"]}),
    )
    .await;
    emu.clock().advance(3600);
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": r["RefreshToken"]}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prevent_user_existence_errors_gives_unknown_users_a_decoy_challenge() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let out = call(&url, "CreateUserPoolClient", json!({"UserPoolId": pool_id, "ClientName": "p",
        "PreventUserExistenceErrors": "ENABLED",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})).await;
    let client_id = out["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    user(&url, &pool_id, "sam", "Passw0rd!", json!([])).await;
    let unknown = srp_raw(&url, &pool_id, &client_id, "ghost", "Passw0rd!", None, &[])
        .await
        .unwrap_err();
    let wrong = srp_raw(
        &url,
        &pool_id,
        &client_id,
        "sam",
        "Wr0ngPassword",
        None,
        &[],
    )
    .await
    .unwrap_err();
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.1, "Incorrect username or password.");
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "ghost", "PASSWORD": "x"}}),
    )
    .await;
    assert_eq!(code, "NotAuthorizedException");
    srp_raw(&url, &pool_id, &client_id, "sam", "Passw0rd!", None, &[])
        .await
        .unwrap();
    emu.shutdown().await;
}
