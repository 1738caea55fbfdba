//! The generated client through the real runtime, with an in-memory HTTP client:
//! what goes on the wire, how successes and modeled errors come back.

use cognito_idp::error::InitiateAuthError;
use cognito_idp::runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use cognito_idp::runtime::Config;
use cognito_idp::types::{AuthFlowType, ChallengeNameType};
use cognito_idp::Client;
use std::sync::{Arc, Mutex};

struct Canned {
    status: u16,
    body: &'static str,
    seen: Mutex<Vec<HttpRequest>>,
}

impl HttpClient for Canned {
    fn send(
        &self,
        request: HttpRequest,
        _max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.seen.lock().unwrap().push(request);
        let response = http::Response::builder()
            .status(self.status)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amzn-requestid", "req-1")
            .body(self.body.as_bytes().to_vec())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn client(status: u16, body: &'static str) -> (Client, Arc<Canned>) {
    let canned = Arc::new(Canned {
        status,
        body,
        seen: Mutex::new(Vec::new()),
    });
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .http_client(canned.clone())
        .build()
        .unwrap();
    (Client::new(config).unwrap(), canned)
}

fn params() -> std::collections::HashMap<String, String> {
    [
        ("USERNAME".to_owned(), "alice".to_owned()),
        ("SRP_A".to_owned(), "abc".to_owned()),
    ]
    .into_iter()
    .collect()
}

#[tokio::test]
async fn fluent_call_sends_awsjson_and_decodes_the_output() {
    let (client, canned) = client(
        200,
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"00"},"Session":"s","NewField":1}"#,
    );
    let out = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id("client1")
        .set_auth_parameters(Some(params()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name,
        Some(ChallengeNameType::PasswordVerifier)
    );
    assert_eq!(out.session.as_deref(), Some("s"));
    let seen = canned.seen.lock().unwrap();
    let req = &seen[0];
    assert_eq!(
        req.headers()["x-amz-target"],
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(body["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(body["ClientId"], "client1");
    assert!(
        body.get("Session").is_none(),
        "absent optionals are omitted: {body}"
    );
}

#[tokio::test]
async fn modeled_error_becomes_its_variant() {
    let (client, _) = client(
        400,
        r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    );
    let err = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id("client1")
        .send()
        .await
        .unwrap_err();
    match &err {
        InitiateAuthError::NotAuthorizedException(e) => {
            assert_eq!(
                e.message.as_deref(),
                Some("Incorrect username or password.")
            );
            assert_eq!(e.meta().code(), "NotAuthorizedException");
        }
        other => panic!("expected NotAuthorizedException, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
}

#[tokio::test]
async fn missing_required_member_never_sends() {
    let (client, canned) = client(200, "{}");
    let err = client
        .initiate_auth()
        .client_id("client1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, InitiateAuthError::Unhandled(_)));
    assert!(err.to_string().contains("AuthFlow"), "{err}");
    let too_long = client
        .initiate_auth()
        .client_id("x".repeat(300))
        .auth_flow(AuthFlowType::UserSrpAuth)
        .send()
        .await
        .unwrap_err();
    assert!(too_long.to_string().contains("ClientId"), "{too_long}");
    assert!(canned.seen.lock().unwrap().is_empty());
}

#[test]
fn sensitive_output_is_redacted_in_debug() {
    let out: cognito_idp::types::InitiateAuthOutput =
        serde_json::from_str(r#"{"Session":"session-secret","AuthenticationResult":{"AccessToken":"access-secret","ExpiresIn":3600}}"#)
            .unwrap();
    let shown = format!("{out:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains(cognito_idp::runtime::REDACTED));
}
