//! Tiny fixture models through the macro: every shape type, keyword names, unions, intEnums,
//! sensitive shapes. Compiled against the contract's runtime surface (the stub).

extern crate self as awsjson_runtime;
include!("../../tests/support/runtime_stub.rs");

#[allow(dead_code)]
mod all {
    awsjson_codegen_macro::generate!("../tests/fixtures/all_shapes.json");
}
#[allow(dead_code)]
mod kw {
    awsjson_codegen_macro::generate!("../tests/fixtures/keywords.json");
}
#[allow(dead_code)]
mod sec {
    awsjson_codegen_macro::generate!("../tests/fixtures/sensitive.json", operations = ["Login"]);
}

use serde_json::json;

#[test]
fn every_shape_type_round_trips() {
    use all::types::*;
    let wire = json!({
        "Text": "abc", "Flag": true, "Tiny": 7, "Small": -3, "Count": 4, "Big": 9007199254740993i64,
        "Ratio": 0.5, "Precise": 1.25, "Huge": 12345678901234567890u64, "Exact": 1.5, "Data": "aGk=",
        "When": 1700000000.5, "Anything": {"a": [1, null]}, "Names": ["x"], "Holes": [1, null, 3],
        "Labels": {"k": {"Name": "leaf"}}, "Color": "dark-blue", "OldColor": "light yellow", "Level": 10,
        "Choice": {"Nested": {"Name": "n", "Next": {"Name": "m"}}}, "Tree": {"Name": "root", "Children": [{"Name": "c"}]},
        "Retries": 2, "Enabled": true, "Token": "t", "NextToken": "n", "Legacy": "old"
    });
    let v: PutEverythingInput = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(v.color, Some(Color::DarkBlue));
    assert_eq!(v.old_color, Some(OldColor::LightYellow));
    assert_eq!(v.level, Some(Level::High));
    assert_eq!(v.holes, Some(vec![Some(1), None, Some(3)]));
    assert!(
        matches!(&v.choice, Some(Choice::Nested(n)) if n.next.as_ref().map(|b| b.name.as_str()) == Some("m"))
    );
    assert_eq!(serde_json::to_value(&v).unwrap(), wire);
}

#[test]
fn int_enum_and_union_forward_compatible() {
    use all::types::{Choice, Level};
    assert_eq!(
        serde_json::from_str::<Level>("99").unwrap(),
        Level::Unknown(99)
    );
    assert_eq!(Level::values(), &[1, 10]);
    assert_eq!(
        serde_json::from_str::<Choice>(r#"{"Shiny":1}"#).unwrap(),
        Choice::Unknown
    );
    assert_eq!(
        serde_json::from_str::<Choice>(r#"{"Nothing":{}}"#).unwrap(),
        Choice::Nothing
    );
    assert_eq!(
        serde_json::to_string(&Choice::Nothing).unwrap(),
        r#"{"Nothing":{}}"#
    );
    assert!(serde_json::from_str::<Choice>(r#"{"Number":1,"Word":"w"}"#).is_err());
    assert!(serde_json::to_string(&Choice::Unknown).is_err());
}

#[test]
fn defaults_required_and_builders() {
    use all::types::*;
    let out: PutEverythingOutput = serde_json::from_str("{}").unwrap();
    assert_eq!(out.stored, 0);
    let err = PutEverythingInput::builder().build().unwrap_err();
    assert_eq!(err.member, "Text");
    let input = PutEverythingInput::builder().text("abc").build().unwrap();
    assert_eq!(input.enabled, None);
    assert_eq!(input.retries, 0);
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"Text": "abc", "Retries": 0})
    );
}

#[test]
fn validation_collects_every_problem() {
    use all::types::*;
    let input: PutEverythingInput = serde_json::from_value(json!({
        "Text": "much too long", "Count": 11, "Names": ["a", "b", "c", "d"], "Tree": {"Name": ""}
    }))
    .unwrap();
    let mut v = Validator::default();
    input.validate(&mut v);
    assert_eq!(v.problems.len(), 4, "{:?}", v.problems);
}

#[test]
fn errors_and_unit_operations() {
    use all::error::*;
    let e = <PutEverythingError as OperationError>::from_modeled(
        &ErrorMeta {
            code: "Throttled".into(),
            message: None,
        },
        br#"{"message":"slow down"}"#,
    )
    .unwrap();
    assert!(e.is_retryable());
    assert_eq!(e.to_string(), "Throttled: slow down");
    let b = <PutEverythingError as OperationError>::from_modeled(
        &ErrorMeta {
            code: "BadInput".into(),
            message: Some("m".into()),
        },
        br#"{"Field":"f"}"#,
    )
    .unwrap();
    assert!(!b.is_retryable());
    assert_eq!(b.meta().map(|m| m.code()), Some("BadInput"));
    let _unit_in = all::types::PingInput::builder().build().unwrap();
    let _: fn(&all::Client) -> all::fluent::PingFluentBuilder = all::Client::ping;
    assert_eq!(all::__private::SERVICE.service_shape_name, "AllShapes");
    assert_eq!(all::__private::SERVICE.signing_name, "allshapes");
}

#[test]
fn keyword_and_digit_names() {
    use kw::types::*;
    let m = MatchInput {
        r#type: Some("t".into()),
        self_: Some("s".into()),
        r#match: Some(true),
        _1st_choice: Some("1".into()),
        crate_: None,
        super_: None,
        r#async: Some(1),
        kind: Some(Self_::Self_),
    };
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(
        v,
        json!({"Type": "t", "Self": "s", "Match": true, "1stChoice": "1", "async": 1, "Kind": "self"})
    );
    assert_eq!(Self_::from("unknown"), Self_::UnknownValue);
    assert_eq!(Self_::from("3d"), Self_::_3d);
    assert_eq!(Self_::from("other"), Self_::Unknown("other".into()));
    let r: Result = serde_json::from_str(r#"{"Unknown":"x"}"#).unwrap();
    assert_eq!(r, Result::UnknownValue("x".into()));
    let _ = MatchInput::builder()
        .r#type("t")
        .self_("s")
        .r#match(true)
        .build()
        .unwrap();
    let _: fn(&kw::Client) -> kw::fluent::MatchFluentBuilder = kw::Client::r#match;
}

#[test]
fn sensitive_members_and_shapes_are_redacted() {
    use sec::types::*;
    let req: LoginInput = serde_json::from_value(json!({
        "User": "alice", "Password": "hunter2", "OldPasswords": ["old-secret"], "Note": "note-secret",
        "Creds": {"Key": "key-secret"}, "Secret": {"Pin": "pin-secret"}
    }))
    .unwrap();
    let shown = format!("{req:?}");
    assert!(shown.contains("alice"), "{shown}");
    for secret in [
        "hunter2",
        "old-secret",
        "note-secret",
        "key-secret",
        "pin-secret",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert_eq!(
        format!(
            "{:?}",
            Credentials {
                key: Some("k".into())
            }
        ),
        format!("{REDACTED}")
    );
    assert_eq!(
        format!("{:?}", Secret::Label("visible".into())),
        "Label(\"visible\")"
    );
    let out: LoginOutput = serde_json::from_str(r#"{"Token":"tok-secret"}"#).unwrap();
    assert!(!format!("{out:?}").contains("tok-secret"));
    let denied =
        sec::error::Denied::from_body(&ErrorMeta::default(), br#"{"Hint":"hint-secret"}"#).unwrap();
    assert!(!format!("{denied:?}").contains("hint-secret"));
}

#[test]
fn paginated_operations_get_a_paginator() {
    use all::error::PutEverythingError;
    let client = all::Client::new(Config).unwrap();
    // A missing required member is reported before any page is fetched, as its own variant.
    match client.put_everything().into_paginator() {
        Err(PutEverythingError::Validation(v)) => {
            assert_eq!(v.0, ["Text: required member is missing"])
        }
        other => panic!("expected the Validation variant, got {:?}", other.err()),
    }
    let mut pages = client
        .put_everything()
        .text("abc")
        .into_paginator()
        .unwrap();
    let first = block_on(pages.next_page()).unwrap();
    assert!(
        matches!(first, Err(PutEverythingError::Unhandled(_))),
        "the stub sends nothing"
    );
    assert!(
        block_on(pages.next_page()).is_none(),
        "stops after an error"
    );
}

#[test]
fn idempotency_tokens_are_filled_when_unset() {
    let client = all::Client::new(Config).unwrap();
    let sent = |b: all::fluent::PutEverythingFluentBuilder| {
        let _ = block_on(b.send());
        let body = LAST_BODY
            .with(|b| b.borrow_mut().take())
            .expect("a body was serialized");
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    };
    let auto = sent(client.put_everything().text("abc"));
    assert_eq!(auto["Token"], idempotency_token());
    let given = sent(client.put_everything().text("abc").token("mine"));
    assert_eq!(given["Token"], "mine");
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
