//! `--state DIR`: what was answered survives a clean stop (SIGTERM) and a crash (`kill -9`),
//! the signing key with it; a directory of a newer format is refused, an older one migrated.

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

/// Checks an RS256 token's signature against a JWKS document.
fn verifies(token: &str, jwks: &Value) -> bool {
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let Some(key) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
    else {
        return false;
    };
    let part = |name: &str| URL_SAFE_NO_PAD.decode(key[name].as_str().unwrap()).unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    ring::signature::RsaPublicKeyComponents {
        n: part("n"),
        e: part("e"),
    }
    .verify(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(sig).unwrap(),
    )
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
    let emu = EmulatorProcess::start_with(&["--state", dir.arg()]);
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
    let keys_before = jwks(&url, &pool_id).await;
    assert!(verifies(&id_token, &keys_before));
    assert!(emu.terminate(), "SIGTERM should stop the emulator cleanly");

    let emu = EmulatorProcess::start_with(&["--state", dir.arg()]);
    let url = emu.endpoint.clone();
    // Same key, same kid: tokens issued before the restart still verify.
    let keys_after = jwks(&url, &pool_id).await;
    assert_eq!(keys_after, keys_before);
    assert!(verifies(&id_token, &keys_after));
    assert!(verifies(&access, &keys_after));
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
    assert!(verifies(new_access, &keys_after));
    // SRP sign-in (verifier kept), and the device's SRP (device verifier kept).
    let idp = client(&url);
    assert!(matches!(
        srp_login(&idp, &pool_id, &client_id, None, "bob", PASSWORD)
            .await
            .unwrap(),
        Login::Tokens(_)
    ));
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
    assert!(emu.terminate());
}
