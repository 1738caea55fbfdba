//! The generated client through the real runtime, with an in-memory HTTP client:
//! what goes on the wire, how successes and modeled errors come back.

use cognito_idp::operation::admin_create_user::AdminCreateUserInput;
use cognito_idp::operation::initiate_auth::{
    InitiateAuthError, InitiateAuthInput, InitiateAuthOutput,
};
use cognito_idp::runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use cognito_idp::runtime::{Config, ValidationRule};
use cognito_idp::types::{AttributeType, AuthFlowType, ChallengeNameType, DeliveryMediumType};
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
async fn missing_or_invalid_members_are_the_validation_variant_and_never_send() {
    let (client, canned) = client(200, "{}");
    let err = client
        .initiate_auth()
        .client_id("client1")
        .send()
        .await
        .unwrap_err();
    match &err {
        InitiateAuthError::Validation(v) => {
            assert_eq!(
                (v.member(), v.rule()),
                ("AuthFlow", &ValidationRule::Required)
            );
            assert_eq!(v.problems().len(), 1);
        }
        other => panic!("expected the Validation variant, got {other:?}"),
    }
    assert!(err.to_string().contains("AuthFlow"), "{err}");
    assert_eq!(err.request_id(), None, "nothing was sent");
    let too_long = client
        .initiate_auth()
        .client_id("x".repeat(300))
        .auth_flow(AuthFlowType::UserSrpAuth)
        .send()
        .await
        .unwrap_err();
    match &too_long {
        InitiateAuthError::Validation(v) => assert_eq!(
            (v.member(), v.rule()),
            (
                "ClientId",
                &ValidationRule::Length {
                    actual: 300,
                    min: Some(1),
                    max: Some(128)
                }
            )
        ),
        other => panic!("expected the Validation variant, got {other:?}"),
    }
    let bad_pattern = client
        .initiate_auth()
        .client_id("not allowed!")
        .auth_flow(AuthFlowType::UserSrpAuth)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&bad_pattern, InitiateAuthError::Validation(v)
            if v.member() == "ClientId" && matches!(v.rule(), ValidationRule::Pattern { .. })),
        "{bad_pattern:?}"
    );
    // The input-struct call validates the same way.
    let input = InitiateAuthInput::builder()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id("x".repeat(129))
        .build()
        .unwrap();
    assert!(matches!(
        input.send_with(&client).await,
        Err(InitiateAuthError::Validation(_))
    ));
    assert!(canned.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn map_entries_and_list_items_one_at_a_time_and_whole_values_with_set() {
    let (client, canned) = client(200, "{}");
    client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id("client1")
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("SRP_A", String::from("abc"))
        .client_metadata("k", "v")
        .set_client_metadata(None)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_slice(canned.seen.lock().unwrap()[0].body()).unwrap();
    assert_eq!(
        body["AuthParameters"],
        serde_json::json!({"USERNAME": "alice", "SRP_A": "abc"})
    );
    assert!(
        body.get("ClientMetadata").is_none(),
        "set_x(None) clears: {body}"
    );

    let attribute = |name: &str| AttributeType {
        name: name.to_owned(),
        value: Some("v".to_owned()),
    };
    let input = AdminCreateUserInput::builder()
        .user_pool_id("us-east-1_Ab")
        .username("alice")
        .user_attributes(attribute("email"))
        .user_attributes(attribute("name"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .build()
        .unwrap();
    let names: Vec<&str> = input
        .user_attributes
        .iter()
        .flatten()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["email", "name"]);
    assert_eq!(
        input.desired_delivery_mediums,
        Some(vec![DeliveryMediumType::Email])
    );
    let replaced = AdminCreateUserInput::builder()
        .user_pool_id("us-east-1_Ab")
        .username("alice")
        .user_attributes(attribute("email"))
        .set_user_attributes(Some(vec![attribute("phone_number")]))
        .build()
        .unwrap();
    assert_eq!(replaced.user_attributes.unwrap()[0].name, "phone_number");
}

/// InitiateAuth with the two required members.
async fn srp_start(client: Client) -> Result<InitiateAuthOutput, InitiateAuthError> {
    client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id("client1")
        .send()
        .await
}

#[tokio::test]
async fn every_output_and_error_gives_the_request_id() {
    let out = srp_start(client(200, r#"{"Session":"s"}"#).0)
        .await
        .unwrap();
    assert_eq!(out.request_id(), Some("req-1"));
    // Unit output (GlobalSignOut returns no members) carries it too.
    let (c, _) = client(200, "");
    let out = c
        .global_sign_out()
        .access_token("token")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id(), Some("req-1"));
    // A modeled error, an unmodeled one (Unhandled) and an undecodable body.
    for (body, modeled) in [
        (
            r#"{"__type":"NotAuthorizedException","message":"no"}"#,
            true,
        ),
        (r#"{"__type":"SomethingNewException","message":"?"}"#, false),
    ] {
        let err = srp_start(client(400, body).0).await.unwrap_err();
        assert_eq!(err.request_id(), Some("req-1"), "{err:?}");
        assert_eq!(matches!(err, InitiateAuthError::Unhandled(_)), !modeled);
        if let InitiateAuthError::NotAuthorizedException(e) = &err {
            assert_eq!(e.request_id(), Some("req-1"));
        }
    }
    let err = srp_start(client(200, "[1, 2]").0).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-1"), "{err:?}");
    // Built by hand, an output has none.
    let built = InitiateAuthOutput::builder().build().unwrap();
    assert_eq!(built.request_id(), None);
}

#[test]
fn sensitive_output_is_redacted_in_debug() {
    let out: InitiateAuthOutput =
        serde_json::from_str(r#"{"Session":"session-secret","AuthenticationResult":{"AccessToken":"access-secret","ExpiresIn":3600}}"#)
            .unwrap();
    let shown = format!("{out:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains(cognito_idp::runtime::REDACTED));
}
