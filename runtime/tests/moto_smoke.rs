//! Optional smoke test against a real moto_server: runs only when `AWSJSON_MOTO_URL` is set
//! (`scripts/peers.sh moto-start 5000` then `AWSJSON_MOTO_URL=http://127.0.0.1:5000`).
//! Checks the runtime's wire format and error decoding against a real peer; the full Cognito
//! flows are tested with the generated client.

mod common;

use awsjson_runtime::endpoint::RuleSetSource;
use awsjson_runtime::{AuthRequirement, Credentials, JsonProtocol, OperationMeta, ServiceMeta};
use common::*;
use serde::Serialize;

static COGNITO: ServiceMeta = ServiceMeta {
    service_shape_name: "AWSCognitoIdentityProviderService",
    sdk_id: "Cognito Identity Provider",
    signing_name: "cognito-idp",
    protocol: JsonProtocol::AwsJson1_1,
    api_version: "2016-04-18",
    endpoint_rules: RuleSetSource::new(RULES),
};

static INITIATE_AUTH: OperationMeta = OperationMeta {
    name: "InitiateAuth",
    auth: AuthRequirement::None,
};

static ADMIN_GET_USER: OperationMeta = OperationMeta {
    name: "AdminGetUser",
    auth: AuthRequirement::SigV4,
};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_flow: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_pool_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'static str>,
}

impl awsjson_runtime::Validate for Input {
    fn validate(&self, _v: &mut awsjson_runtime::Validator) {}
}

#[tokio::test]
async fn moto_answers_unsigned_and_signed_calls() {
    let Ok(url) = std::env::var("AWSJSON_MOTO_URL") else {
        eprintln!("AWSJSON_MOTO_URL not set: skipping");
        return;
    };
    let h = handle(
        config(&url)
            .max_attempts(1)
            .credentials(Credentials::new("testing", "testing", None)),
    );
    let unsigned = Input {
        auth_flow: Some("USER_PASSWORD_AUTH"),
        client_id: Some("no-such-client"),
        user_pool_id: None,
        username: None,
    };
    let r = h
        .invoke::<_, DoThingOutput, DoThingError>(&COGNITO, &INITIATE_AUTH, &unsigned)
        .await;
    match r {
        Err(DoThingError::ResourceNotFound(e)) => {
            assert_eq!(e.meta.message(), Some("no-such-client"));
            assert!(e.meta.request_id().is_some());
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let signed = Input {
        auth_flow: None,
        client_id: None,
        user_pool_id: Some("us-east-1_nopool"),
        username: Some("alice"),
    };
    let r = h
        .invoke::<_, DoThingOutput, DoThingError>(&COGNITO, &ADMIN_GET_USER, &signed)
        .await;
    assert!(
        matches!(r, Err(DoThingError::ResourceNotFound(_))),
        "expected ResourceNotFoundException, got {r:?}"
    );
}
