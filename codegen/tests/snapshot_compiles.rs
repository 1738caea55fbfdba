//! The checked-in snapshots are real Rust: they compile against the real `awsjson-runtime`
//! (progenitor's `tests/output` idea: this test crate depends on the runtime users get) and
//! behave as the generator promises.

use awsjson_runtime::{Config, ErrorMeta, OperationError, REDACTED};

#[allow(dead_code, clippy::all)]
mod cognito {
    include!("snapshots/cognito_small.rs");
}
#[allow(dead_code, clippy::all)]
mod all_shapes {
    include!("snapshots/all_shapes.rs");
}
#[allow(dead_code, clippy::all)]
mod keywords {
    include!("snapshots/keywords.rs");
}
#[allow(dead_code, clippy::all)]
mod sensitive {
    include!("snapshots/sensitive.rs");
}
/// Shapes named `Result`, `Option`, `Box`, `String`, `Vec`, `Client`, `Builder`, `Unknown`,
/// `Self`, `GetError` beside operation `Get`, ...: the expansion compiles (calls against a
/// server: `codegen/macro/tests/hostile_names.rs`).
#[allow(dead_code, clippy::all)]
mod hostile {
    include!("snapshots/hostile_names.rs");
}

use cognito::operation::initiate_auth::InitiateAuthInput;
use cognito::types::{AuthFlowType, AuthenticationResultType};

#[test]
fn builder_names_the_missing_required_member() {
    let err = InitiateAuthInput::builder()
        .client_id("abc")
        .build()
        .unwrap_err();
    assert_eq!(err.member(), "AuthFlow");
    let ok = InitiateAuthInput::builder()
        .client_id("abc")
        .auth_flow(AuthFlowType::UserSrpAuth)
        .build()
        .unwrap();
    assert_eq!(ok.client_id, "abc");
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(
        AuthFlowType::from("USER_SRP_AUTH"),
        AuthFlowType::UserSrpAuth
    );
    let new: AuthFlowType = serde_json::from_str("\"QUANTUM_AUTH\"").unwrap();
    assert_eq!(new, AuthFlowType::Unknown("QUANTUM_AUTH".to_owned()));
    assert_eq!(serde_json::to_string(&new).unwrap(), "\"QUANTUM_AUTH\"");
    assert!(AuthFlowType::values().contains(&"ADMIN_NO_SRP_AUTH"));
    assert_eq!(AuthFlowType::AdminNoSrpAuth.as_str(), "ADMIN_NO_SRP_AUTH");
}

#[test]
fn debug_redacts_sensitive_members() {
    let r: AuthenticationResultType = serde_json::from_str(
        r#"{"AccessToken":"secret-a","IdToken":"secret-i","ExpiresIn":3600,"Unknown":1}"#,
    )
    .unwrap();
    let shown = format!("{r:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains(REDACTED), "{shown}");
    assert!(shown.contains("3600"));
}

#[test]
fn serde_uses_model_names_and_omits_absent_optionals() {
    let input = InitiateAuthInput::builder()
        .client_id("c")
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c"}"#
    );
}

#[test]
fn modeled_errors_decode_by_code() {
    use cognito::operation::initiate_auth::InitiateAuthError;
    let meta = ErrorMeta::new(
        400,
        "NotAuthorizedException",
        Some("Incorrect username or password.".into()),
        None,
    );
    let e = <InitiateAuthError as OperationError>::from_modeled(
        &meta,
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    )
    .unwrap();
    assert!(matches!(e, InitiateAuthError::NotAuthorizedException(_)));
    assert_eq!(
        e.to_string(),
        "NotAuthorizedException: Incorrect username or password."
    );
    assert!(<InitiateAuthError as OperationError>::from_modeled(
        &ErrorMeta::new(400, "Nope", None, None),
        b"{}"
    )
    .is_none());
    let throttled = <InitiateAuthError as OperationError>::from_modeled(
        &ErrorMeta::new(429, "TooManyRequestsException", None, None),
        b"{}", // the runtime passes `{}` for an empty or non-JSON body
    )
    .unwrap();
    assert!(matches!(
        throttled,
        InitiateAuthError::TooManyRequestsException(_)
    ));
}

#[test]
fn validation_runs_before_sending() {
    // Nothing listens on port 9: a request that were sent would fail as a transport error.
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .build()
        .unwrap();
    let client = cognito::Client::new(config).unwrap();
    let long = "x".repeat(200);
    let fut = client
        .initiate_auth()
        .client_id(long)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .send();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = runtime.block_on(fut).unwrap_err();
    assert!(
        matches!(
            err,
            cognito::operation::initiate_auth::InitiateAuthError::Validation(_)
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("ClientId"), "{err}");
}

#[test]
fn fixture_snapshots_decode_what_they_encode() {
    // A union member and a unit member round-trip; an unknown member decodes as `Unknown`.
    use all_shapes::types::Choice;
    let c: Choice = serde_json::from_str(r#"{"Nested":{"Name":"n"},"__type":"x"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#"{"Nested":{"Name":"n"}}"#
    );
    let unit: Choice = serde_json::from_str(r#"{"Nothing":{}}"#).unwrap();
    assert_eq!(unit, Choice::Nothing);
    assert_eq!(serde_json::to_string(&unit).unwrap(), r#"{"Nothing":{}}"#);
    let unknown: Choice = serde_json::from_str(r#"{"SomethingNew":1}"#).unwrap();
    assert!(matches!(unknown, Choice::Unknown));
    assert!(serde_json::to_string(&unknown).is_err());
    assert!(serde_json::from_str::<Choice>(r#"{}"#).is_err());
}

#[test]
fn hostile_names_keep_their_own_types() {
    use hostile::operation::get::{GetError, GetInput};
    use hostile::types;
    // The model's `GetInput`, `GetError`, `Result`, `Option`... are shapes of `types`; the
    // operation's own input and error enum live in `operation::get`.
    let shape = types::GetInput::builder().value("v").build().unwrap();
    let input = GetInput::builder()
        .name("n")
        .set_name_value("s")
        .build_value("b")
        .send_value("x")
        .send_with_value("w")
        .wait_value(3)
        .into_paginator_value(true)
        .result(types::Result::builder().value("r").build().unwrap())
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        serde_json::json!({
            "Name": "n", "SetName": "s", "build": "b", "send": "x", "sendWith": "w",
            "wait": 3, "intoPaginator": true, "Result": {"Value": "r"}
        })
    );
    assert_eq!(shape.value.as_deref(), Some("v"));
    assert_eq!(
        types::Status::from("UNKNOWN"),
        types::Status::UnknownValue,
        "the model's UNKNOWN is not the catch-all"
    );
    assert_eq!(
        types::Status::from("NEW"),
        types::Status::Unknown("NEW".to_owned())
    );
    let meta = ErrorMeta::new(400, "Unhandled", None, None);
    let e = <GetError as OperationError>::from_modeled(&meta, br#"{"meta":"m"}"#).unwrap();
    let GetError::UnhandledErrorError(modeled) = e else {
        panic!("{e:?}")
    };
    assert_eq!(modeled.meta.as_deref(), Some("m"));
    assert_eq!(modeled.meta().status(), 400);
}
