//! The checked-in snapshot is real Rust: it compiles (against the contract's runtime surface)
//! and behaves as the generator promises.

extern crate self as awsjson_runtime;
include!("support/runtime_stub.rs");

#[allow(dead_code, clippy::all)]
mod cognito {
    include!("snapshots/cognito_small.rs");
}

use cognito::types::{AuthFlowType, AuthenticationResultType, InitiateAuthInput};

#[test]
fn builder_names_the_missing_required_member() {
    let err = InitiateAuthInput::builder()
        .client_id("abc")
        .build()
        .unwrap_err();
    assert_eq!(err.member, "AuthFlow");
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
    use cognito::error::InitiateAuthError;
    let meta = ErrorMeta {
        code: "NotAuthorizedException".into(),
        message: Some("Incorrect username or password.".into()),
    };
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
        &ErrorMeta {
            code: "Nope".into(),
            message: None
        },
        b"{}"
    )
    .is_none());
    let throttled = <InitiateAuthError as OperationError>::from_modeled(
        &ErrorMeta {
            code: "TooManyRequestsException".into(),
            message: None,
        },
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
    let client = cognito::Client::new(Config).unwrap();
    let long = "x".repeat(200);
    let fut = client
        .initiate_auth()
        .client_id(long)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .send();
    let err = block_on(fut).unwrap_err();
    assert!(err.to_string().contains("ClientId"), "{err}");
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    // The stub runtime's futures complete on the first poll.
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
