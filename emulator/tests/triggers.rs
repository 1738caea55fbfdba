//! Lambda triggers over HTTP: a local trigger server records every event the emulator sends
//! and answers as a Lambda function would. Every event has exactly the members of the
//! checked-in example for its trigger (`tests/triggers/*.json`), and the answers take effect:
//! PreSignUp auto-confirms, PreTokenGeneration V2 changes both tokens (not their reserved
//! claims), UserMigration brings a user in, the custom-auth triggers run a challenge, and a
//! failing or silent trigger gives Cognito's errors.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:";
const PASSWORD: &str = "Passw0rd!";

type Events = Arc<Mutex<Vec<Value>>>;

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// How the recording server answers an event (its `response` member).
fn answer(path: &str, event: &Value) -> Result<Value, (u16, Value)> {
    let source = event["triggerSource"].as_str().unwrap_or_default();
    let user = event["userName"].as_str().unwrap_or_default();
    if path == "/fail" || (user == "blocked" && source.starts_with("PreAuthentication")) {
        return Err((
            500,
            json!({"errorType": "Error", "errorMessage": "blocked by policy"}),
        ));
    }
    Ok(match source {
        "PreSignUp_SignUp" if user == "tina" => {
            json!({"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false})
        }
        s if s.starts_with("CustomMessage_") => json!({
            "emailMessage": "Hello {username}, your code is {####}", "emailSubject": "Your code",
            "smsMessage": "code {####}"}),
        s if s.starts_with("TokenGeneration_") && event["version"] == "2" => json!({
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"tier": "gold", "sub": "forged"},
                                  "claimsToSuppress": ["email_verified"]},
            "accessTokenGeneration": {"claimsToAddOrOverride": {"plan": {"seats": 5}, "client_id": "forged"},
                                      "scopesToAdd": ["orders/read"]},
            "groupOverrideDetails": {"groupsToOverride": ["vip"]}
        }}),
        s if s.starts_with("TokenGeneration_") => json!({
            "claimsOverrideDetails": {"claimsToAddOrOverride": {"legacy": "v1"}}}),
        "UserMigration_Authentication" if user == "legacy" => json!({
            "userAttributes": {"email": "legacy@example.com", "email_verified": "true"},
            "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}),
        "DefineAuthChallenge_Authentication" => {
            let session = event["request"]["session"].as_array().unwrap();
            match session.last() {
                Some(last) if last["challengeResult"] == true => {
                    json!({"issueTokens": true, "failAuthentication": false})
                }
                Some(_) if session.len() >= 2 => {
                    json!({"issueTokens": false, "failAuthentication": true})
                }
                _ => {
                    json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
                }
            }
        }
        "CreateAuthChallenge_Authentication" => json!({
            "publicChallengeParameters": {"question": "6 x 7?"},
            "privateChallengeParameters": {"answer": "42"},
            "challengeMetadata": "QUESTION-1"}),
        "VerifyAuthChallengeResponse_Authentication" => json!({
            "answerCorrect": event["request"]["challengeAnswer"] == event["request"]["privateChallengeParameters"]["answer"]}),
        _ => event["response"].clone(),
    })
}

/// A trigger server on a free port: records each event, answers with `answer`. `/slow` never
/// answers within Cognito's 5 seconds.
async fn trigger_server(events: Events) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let events = events.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, body) = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(split) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..split]).to_string();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap();
                    if buf.len() >= split + 4 + len {
                        break (head, buf[split + 4..split + 4 + len].to_vec());
                    }
                };
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let mut event: Value = serde_json::from_slice(&body).unwrap();
                events.lock().unwrap().push(event.clone());
                if path == "/slow" {
                    tokio::time::sleep(std::time::Duration::from_secs(8)).await;
                }
                let (status, reply) = match answer(&path, &event) {
                    Ok(response) => {
                        event["response"] = response;
                        (200, event)
                    }
                    Err((status, body)) => (status, body),
                };
                let reply = reply.to_string();
                let _ = stream
                    .write_all(format!("HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}", reply.len()).as_bytes())
                    .await;
            });
        }
    });
    url
}

fn lambda_config(pre_token_version: Option<&str>) -> Value {
    let mut config = json!({});
    for t in [
        "PreSignUp",
        "PostConfirmation",
        "PreAuthentication",
        "PostAuthentication",
        "CustomMessage",
        "UserMigration",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallengeResponse",
    ] {
        config[t] = json!(format!("{ARN}{t}"));
    }
    match pre_token_version {
        Some(v) => {
            config["PreTokenGenerationConfig"] =
                json!({"LambdaVersion": v, "LambdaArn": format!("{ARN}PreToken{v}")})
        }
        None => config["PreTokenGeneration"] = json!(format!("{ARN}PreTokenV1")),
    }
    config
}

/// The members of an object, for comparing an event with its example.
fn members(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn example_for(event: &Value) -> Value {
    let source = event["triggerSource"].as_str().unwrap();
    let name = match source.split('_').next().unwrap() {
        "TokenGeneration" if event["version"] == "2" => "PreTokenGeneration_V2",
        "TokenGeneration" => "PreTokenGeneration_V1",
        other => other,
    };
    let path = repo_root().join(format!("emulator/tests/triggers/{name}.json"));
    serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn triggers_get_cognitos_events_and_their_answers_count() {
    let events: Events = Arc::default();
    let server = trigger_server(events.clone()).await;
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    for t in [
        "PreSignUp",
        "PostConfirmation",
        "PreAuthentication",
        "PostAuthentication",
        "CustomMessage",
        "UserMigration",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallengeResponse",
        "PreTokenV2_0",
        "PreTokenV1",
    ] {
        emu.set_trigger_url(&format!("{ARN}{t}"), &format!("{server}/{t}"));
    }
    let pool_id = pool(&url, json!({"LambdaConfig": lambda_config(Some("V2_0"))})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;

    // PreSignUp auto-confirms tina and verifies her email: no code is sent.
    let out = call(&url, "SignUp", json!({"ClientId": client_id, "Username": "tina", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "tina@example.com"}],
        "ValidationData": [{"Name": "referrer", "Value": "test"}], "ClientMetadata": {"campaign": "x"}})).await;
    assert_eq!(out["UserConfirmed"], true);
    let tina = call(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "tina"}),
    )
    .await;
    assert_eq!(tina["UserStatus"], "CONFIRMED");
    assert!(emu.sent_codes(&pool_id, "tina").is_empty());

    // uma is not: CustomMessage writes her confirmation message; PostConfirmation follows.
    call(
        &url,
        "SignUp",
        json!({"ClientId": client_id, "Username": "uma", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "uma@example.com"}]}),
    )
    .await;
    let sent = emu.sent_codes(&pool_id, "uma").pop().unwrap();
    assert_eq!(
        sent.message.as_deref(),
        Some(format!("Hello uma, your code is {}", sent.code).as_str())
    );
    assert_eq!(sent.subject.as_deref(), Some("Your code"));
    call(
        &url,
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": "uma", "ConfirmationCode": sent.code}),
    )
    .await;

    // SRP sign-in: PreAuthentication, PostAuthentication, PreTokenGeneration V2.
    let idp = client(&url);
    let Login::Tokens(t) = srp_login(&idp, &pool_id, &client_id, None, "tina", PASSWORD)
        .await
        .unwrap()
    else {
        panic!()
    };
    let id = claims(t.id_token.as_deref().unwrap());
    let access = claims(t.access_token.as_deref().unwrap());
    assert_eq!(id["tier"], "gold");
    assert_ne!(id["sub"], "forged", "reserved claims cannot be overridden");
    assert!(id.get("email_verified").is_none(), "suppressed");
    assert_eq!(id["cognito:groups"], json!(["vip"]));
    assert_eq!(access["plan"], json!({"seats": 5}));
    assert_eq!(access["client_id"], client_id.as_str());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin orders/read");
    assert_eq!(access["cognito:groups"], json!(["vip"]));
    // A refresh runs PreTokenGeneration again (TokenGeneration_RefreshTokens).
    let refreshed = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id,
        "AuthParameters": {"REFRESH_TOKEN": t.refresh_token}}),
    )
    .await;
    assert_eq!(
        claims(
            refreshed["AuthenticationResult"]["IdToken"]
                .as_str()
                .unwrap()
        )["tier"],
        "gold"
    );

    // UserMigration brings in a user the pool did not have, with the password given.
    let migrated = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "legacy", "PASSWORD": "Legacy-Passw0rd"}}),
    )
    .await;
    assert!(
        migrated["AuthenticationResult"]["AccessToken"].is_string(),
        "{migrated}"
    );
    let legacy = call(
        &url,
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "legacy"}),
    )
    .await;
    assert_eq!(legacy["UserStatus"], "CONFIRMED");
    let (code, _) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "stranger", "PASSWORD": "Whatever-1"}}),
    )
    .await;
    assert_eq!(code, "UserNotFoundException");

    // CUSTOM_AUTH through Define/Create/Verify: a wrong answer, then the right one.
    let start = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "tina"}}),
    )
    .await;
    assert_eq!(start["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(start["ChallengeParameters"]["question"], "6 x 7?");
    let again = call(
        &url,
        "RespondToAuthChallenge",
        json!({"ClientId": client_id, "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": start["Session"], "ChallengeResponses": {"USERNAME": "tina", "ANSWER": "41"}}),
    )
    .await;
    assert_eq!(again["ChallengeName"], "CUSTOM_CHALLENGE");
    let done = call(
        &url,
        "RespondToAuthChallenge",
        json!({"ClientId": client_id, "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": again["Session"], "ChallengeResponses": {"USERNAME": "tina", "ANSWER": "42"}}),
    )
    .await;
    assert!(
        done["AuthenticationResult"]["IdToken"].is_string(),
        "{done}"
    );

    // ForgotPassword: CustomMessage; ConfirmForgotPassword: PostConfirmation.
    call(
        &url,
        "ForgotPassword",
        json!({"ClientId": client_id, "Username": "uma"}),
    )
    .await;
    let reset = emu.sent_codes(&pool_id, "uma").pop().unwrap();
    assert!(reset.message.unwrap().ends_with(&reset.code));
    call(
        &url,
        "ConfirmForgotPassword",
        json!({"ClientId": client_id, "Username": "uma",
        "ConfirmationCode": reset.code, "Password": "New-Passw0rd"}),
    )
    .await;

    // A trigger that fails refuses the call with its message.
    user(&url, &pool_id, "blocked", PASSWORD, json!([])).await;
    let (code, message) = call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "blocked", "PASSWORD": PASSWORD}}),
    )
    .await;
    assert_eq!(code, "UserLambdaValidationException");
    assert_eq!(
        message,
        "PreAuthentication failed with error blocked by policy."
    );

    // A pool with PreTokenGeneration V1: only the ID token changes.
    let v1_pool = pool(
        &url,
        json!({"LambdaConfig": {"PreTokenGeneration": format!("{ARN}PreTokenV1")}}),
    )
    .await;
    let (v1_client, _) = app_client(&url, &v1_pool, false, ALL_FLOWS).await;
    user(&url, &v1_pool, "vera", PASSWORD, json!([])).await;
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": v1_client,
        "AuthParameters": {"USERNAME": "vera", "PASSWORD": PASSWORD}}),
    )
    .await;
    assert_eq!(
        claims(out["AuthenticationResult"]["IdToken"].as_str().unwrap())["legacy"],
        "v1"
    );
    assert!(
        claims(out["AuthenticationResult"]["AccessToken"].as_str().unwrap())
            .get("legacy")
            .is_none()
    );

    // A trigger that does not answer in time, and an ARN with no endpoint.
    emu.set_trigger_url(&format!("{ARN}Slow"), &format!("{server}/slow"));
    let slow_pool = pool(
        &url,
        json!({"LambdaConfig": {"PreSignUp": format!("{ARN}Slow"),
        "PostConfirmation": format!("{ARN}Nowhere")}}),
    )
    .await;
    let (slow_client, _) = app_client(&url, &slow_pool, false, ALL_FLOWS).await;
    let started = std::time::Instant::now();
    let (code, message) = call_err(
        &url,
        "SignUp",
        json!({"ClientId": slow_client, "Username": "sam", "Password": PASSWORD}),
    )
    .await;
    assert_eq!(code, "UnexpectedLambdaException", "{message}");
    assert!(
        message.contains("PreSignUp") && message.contains("timeout"),
        "{message}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(5));
    assert!(
        call_err(
            &url,
            "AdminGetUser",
            json!({"UserPoolId": slow_pool, "Username": "sam"})
        )
        .await
        .0 == "UserNotFoundException"
    );
    let nowhere = pool(
        &url,
        json!({"LambdaConfig": {"PostConfirmation": format!("{ARN}Nowhere")}}),
    )
    .await;
    let (nowhere_client, _) = app_client(&url, &nowhere, false, ALL_FLOWS).await;
    call(
        &url,
        "SignUp",
        json!({"ClientId": nowhere_client, "Username": "nia", "Password": PASSWORD}),
    )
    .await;
    let (code, message) = call_err(
        &url,
        "AdminConfirmSignUp",
        json!({"UserPoolId": nowhere, "Username": "nia"}),
    )
    .await;
    assert_eq!(code, "UnexpectedLambdaException");
    assert!(message.contains("--trigger"), "{message}");

    // Every event has exactly the members of its documented example.
    let events = events.lock().unwrap().clone();
    let mut sources = BTreeSet::new();
    for e in &events {
        let example = example_for(e);
        let source = e["triggerSource"].as_str().unwrap().to_owned();
        for part in ["", "callerContext", "request", "response"] {
            let (got, want) = if part.is_empty() {
                (e, &example)
            } else {
                (&e[part], &example[part])
            };
            let (mut got_m, want_m) = (members(got), members(want));
            // The password is only in a sign-in migration, not a ForgotPassword one.
            if source == "UserMigration_ForgotPassword" && part == "request" {
                got_m.insert("password".into());
            }
            assert_eq!(got_m, want_m, "{source}: members of {part:?}\n{e}");
        }
        assert_eq!(
            e["userPoolId"].as_str().unwrap().split('_').next(),
            e["region"].as_str()
        );
        sources.insert(source);
    }
    let expected = [
        "PreSignUp_SignUp",
        "CustomMessage_SignUp",
        "PostConfirmation_ConfirmSignUp",
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
        "UserMigration_Authentication",
        "DefineAuthChallenge_Authentication",
        "CreateAuthChallenge_Authentication",
        "VerifyAuthChallengeResponse_Authentication",
        "CustomMessage_ForgotPassword",
        "PostConfirmation_ConfirmForgotPassword",
        "PreSignUp_AdminCreateUser",
    ];
    for s in expected {
        assert!(sources.contains(s), "no {s} event; saw {sources:?}");
    }
    emu.shutdown().await;
}
