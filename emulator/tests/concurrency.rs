//! What must hold now that SRP verification and token signing run without the store lock: a
//! PASSWORD_VERIFIER answer (by Session or by SECRET_BLOCK alone) gets tokens once however many
//! copies race, concurrent logins of many users all succeed, and every access token handed out
//! was recorded (GetUser accepts it) before the response left.

mod common;

use cognito_emulator::Emulator;
use common::*;
use serde_json::{json, Value};

const PASSWORD: &str = "Passw0rd!";

/// InitiateAuth (raw) and the PASSWORD_VERIFIER answer it calls for, not yet sent.
async fn answer(url: &str, pool_id: &str, client_id: &str, username: &str) -> (String, Value) {
    let srp = srp_core::SrpClient::new().unwrap();
    let out = call(
        url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a()}}),
    )
    .await;
    let p = &out["ChallengeParameters"];
    let text = |k: &str| p[k].as_str().unwrap().to_owned();
    let claim = srp
        .user_password_claim(
            srp_core::pool_name(pool_id).unwrap(),
            &text("USER_ID_FOR_SRP"),
            PASSWORD,
            &srp_core::PasswordVerifierChallenge {
                salt: &text("SALT"),
                srp_b: &text("SRP_B"),
                secret_block: &text("SECRET_BLOCK"),
            },
            &srp_core::Timestamp::now().unwrap(),
        )
        .unwrap();
    let responses = json!({
        "USERNAME": text("USERNAME"),
        "PASSWORD_CLAIM_SECRET_BLOCK": claim.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": claim.signature,
        "TIMESTAMP": claim.timestamp,
    });
    (out["Session"].as_str().unwrap().to_owned(), responses)
}

async fn respond(url: String, body: Value) -> Raw {
    post_raw(
        &url,
        Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge"),
        body.to_string().as_bytes(),
    )
    .await
}

/// Sends `body` `copies` times at once; returns the access tokens and the error types.
async fn race(url: &str, body: Value, copies: usize) -> (Vec<String>, Vec<String>) {
    let handles: Vec<_> = (0..copies)
        .map(|_| tokio::spawn(respond(url.to_owned(), body.clone())))
        .collect();
    let (mut tokens, mut errors) = (Vec::new(), Vec::new());
    for h in handles {
        let r = h.await.unwrap();
        match r.json()["AuthenticationResult"]["AccessToken"].as_str() {
            Some(t) if r.status == 200 => tokens.push(t.to_owned()),
            _ => errors.push(r.error_type()),
        }
    }
    (tokens, errors)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_verifier_answer_gets_tokens_once_however_many_copies_race() {
    cognito_emulator::warm_up_signing_key().unwrap();
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    user(&url, &pool_id, "alice", PASSWORD, json!([])).await;

    for by_session in [true, false] {
        let (session, responses) = answer(&url, &pool_id, &client_id, "alice").await;
        let mut body = json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
                              "ChallengeResponses": responses});
        if by_session {
            body["Session"] = json!(session);
        }
        let (tokens, errors) = race(&url, body, 8).await;
        assert_eq!(tokens.len(), 1, "by_session={by_session}: {errors:?}");
        assert!(
            errors.iter().all(|e| e == "NotAuthorizedException"
                || (!by_session && e == "InvalidParameterException")),
            "{errors:?}"
        );
        let me = call(&url, "GetUser", json!({"AccessToken": tokens[0]})).await;
        assert_eq!(me["Username"], "alice");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_logins_of_many_users_all_get_recorded_tokens() {
    cognito_emulator::warm_up_signing_key().unwrap();
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let names: Vec<String> = (0..12).map(|i| format!("user{i}")).collect();
    for n in &names {
        user(&url, &pool_id, n, PASSWORD, json!([])).await;
    }
    let handles: Vec<_> = names
        .iter()
        .map(|n| {
            let (url, pool_id, client_id, n) =
                (url.clone(), pool_id.clone(), client_id.clone(), n.clone());
            tokio::spawn(async move {
                let (session, responses) = answer(&url, &pool_id, &client_id, &n).await;
                let r = respond(
                    url.clone(),
                    json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
                           "Session": session, "ChallengeResponses": responses}),
                )
                .await;
                assert_eq!(r.status, 200, "{n}: {}", String::from_utf8_lossy(&r.body));
                let token = r.json()["AuthenticationResult"]["AccessToken"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let me = call(&url, "GetUser", json!({"AccessToken": token})).await;
                assert_eq!(me["Username"], n.as_str());
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    emu.shutdown().await;
}
