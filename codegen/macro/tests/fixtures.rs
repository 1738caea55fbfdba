//! Tiny fixture models through the macro: every shape type, keyword names, unions, intEnums,
//! sensitive shapes. Compiled against the real runtime; requests go to an in-memory HTTP client
//! that records them and answers with an unmodeled error.

use awsjson_runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use awsjson_runtime::REDACTED;
use awsjson_runtime::{
    idempotency_token, Config, Credentials, ErrorMeta, OperationError, Validator,
};
use std::sync::{Arc, Mutex};

#[allow(dead_code)]
mod all {
    awsjson_codegen_macro::generate!("../tests/fixtures/all_shapes.json");
}
#[allow(dead_code)]
mod kw {
    awsjson_codegen_macro::generate!("../tests/fixtures/keywords.json");
}
#[allow(dead_code)]
mod len {
    awsjson_codegen_macro::generate!("../tests/fixtures/lenient_maps.json");
}
#[allow(dead_code)]
mod sec {
    awsjson_codegen_macro::generate!("../tests/fixtures/sensitive.json", operations = ["Login"]);
}

use serde_json::json;

#[test]
fn every_shape_type_round_trips() {
    use all::operation::put_everything::*;
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
    use all::operation::put_everything::*;
    let out: PutEverythingOutput = serde_json::from_str("{}").unwrap();
    assert_eq!(out.stored, 0);
    let err = PutEverythingInput::builder().build().unwrap_err();
    assert_eq!(err.member(), "Text");
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
    use all::operation::put_everything::*;
    let input: PutEverythingInput = serde_json::from_value(json!({
        "Text": "much too long", "Count": 11, "Names": ["a", "b", "c", "d"], "Tree": {"Name": ""}
    }))
    .unwrap();
    // The stub this test once compiled against skipped `@pattern`; the real runtime checks it.
    let problems = Validator::check(&input).unwrap_err();
    assert_eq!(
        problems.to_string(),
        "5 validation problem(s): Text: length 13 is outside [1, 8]; \
         Text: value does not match the pattern ^[a-z]+$; \
         Count: value is outside the range [0, 10]; Names: length 4 is outside [.., 3]; \
         Tree.Name: length 0 is outside [1, ..]"
    );
}

#[test]
fn errors_and_unit_operations() {
    use all::operation::put_everything::PutEverythingError;
    let e = <PutEverythingError as OperationError>::from_modeled(
        &ErrorMeta::new(400, "Throttled", None, None),
        br#"{"message":"slow down"}"#,
    )
    .unwrap();
    assert!(e.is_retryable());
    assert_eq!(e.to_string(), "Throttled: slow down");
    let b = <PutEverythingError as OperationError>::from_modeled(
        &ErrorMeta::new(400, "BadInput", Some("m".into()), None),
        br#"{"Field":"f"}"#,
    )
    .unwrap();
    assert!(!b.is_retryable());
    assert_eq!(b.meta().map(|m| m.code()), Some("BadInput"));
    let _unit_in = all::operation::ping::PingInput::builder().build().unwrap();
    let _: fn(&all::Client) -> all::operation::ping::builders::PingFluentBuilder =
        all::Client::ping;
    assert_eq!(all::__private::SERVICE.service_shape_name, "AllShapes");
    assert_eq!(all::__private::SERVICE.signing_name, "allshapes");
}

#[test]
fn keyword_and_digit_names() {
    use kw::operation::r#match::*;
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
    let _: fn(&kw::Client) -> kw::operation::r#match::builders::MatchFluentBuilder =
        kw::Client::r#match;
}

#[test]
fn sensitive_members_and_shapes_are_redacted() {
    use sec::operation::login::*;
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
        sec::types::error::Denied::from_body(&ErrorMeta::default(), br#"{"Hint":"hint-secret"}"#)
            .unwrap();
    assert!(!format!("{denied:?}").contains("hint-secret"));
}

#[test]
fn paginated_operations_get_a_paginator() {
    use all::operation::put_everything::PutEverythingError;
    let (client, _) = recording_client();
    // A missing required member is reported before any page is fetched, as its own variant.
    match client.put_everything().into_paginator() {
        Err(PutEverythingError::Validation(v)) => {
            assert_eq!(
                v.to_string(),
                "1 validation problem(s): Text: required member is missing"
            )
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
        "the in-memory server answers with an unmodeled error"
    );
    assert!(
        block_on(pages.next_page()).is_none(),
        "stops after an error"
    );
}

#[test]
fn idempotency_tokens_are_filled_when_unset() {
    let (client, recorder) = recording_client();
    let sent = |b: all::operation::put_everything::builders::PutEverythingFluentBuilder| {
        let _ = block_on(b.send());
        let body = recorder
            .last_body
            .lock()
            .unwrap()
            .take()
            .expect("a body was sent");
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()
    };
    let auto = sent(client.put_everything().text("abc"));
    let token = auto["Token"].as_str().expect("a token was filled in");
    assert_eq!(token.len(), idempotency_token().len(), "{token}");
    let given = sent(client.put_everything().text("abc").token("mine"));
    assert_eq!(given["Token"], "mine");
}

/// Records the last request body; answers every request with an error code no operation models.
#[derive(Default)]
struct Recorder {
    last_body: Mutex<Option<Vec<u8>>>,
}

impl HttpClient for Recorder {
    fn send(
        &self,
        request: HttpRequest,
        _max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        *self.last_body.lock().unwrap() = Some(request.into_body());
        let response = http::Response::builder()
            .status(400)
            .header("content-type", "application/x-amz-json-1.1")
            .body(br#"{"__type":"NotInTheModel"}"#.to_vec())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn recording_client() -> (all::Client, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .credentials(Credentials::new("AKIDEXAMPLE", "not-a-real-secret", None))
        .http_client(recorder.clone())
        .build()
        .unwrap();
    (all::Client::new(config).unwrap(), recorder)
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn strings(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// What a client decodes (outputs, errors, what they reach) keeps a non-string value of a map
/// of strings as its JSON text, wherever the map sits: a member, a required member, a list, a
/// sparse map or list, a map of maps, a union variant, a structure shared with an input.
#[test]
fn decoded_string_maps_keep_non_string_values_as_json_text() {
    use len::operation::exchange::ExchangeOutput;
    use len::types::*;
    let out: ExchangeOutput = serde_json::from_value(json!({
        "Params": {"MFAS_CAN_SETUP": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"], "N": 5, "S": "s", "Gone": null},
        "Required": {"B": true},
        "Rows": [{"a": "1"}, {"b": {"c": 2}}],
        "Sparse": {"x": null, "y": [1]},
        "SparseRows": [null, {"z": false}],
        "Nested": {"outer": {"inner": 1.5}},
        "Counts": {"n": 3},
        "Choice": {"Map": {"k": [true]}},
        "Shared": {"Labels": {"l": {}}}
    }))
    .unwrap();
    assert_eq!(
        out.params,
        Some(strings(&[
            ("MFAS_CAN_SETUP", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#),
            ("N", "5"),
            ("S", "s"),
        ]))
    );
    assert_eq!(out.required, strings(&[("B", "true")]));
    assert_eq!(
        out.rows,
        Some(vec![
            strings(&[("a", "1")]),
            strings(&[("b", r#"{"c":2}"#)])
        ])
    );
    let sparse = out.sparse.unwrap();
    assert_eq!(
        (sparse["x"].as_deref(), sparse["y"].as_deref()),
        (None, Some("[1]"))
    );
    assert_eq!(
        out.sparse_rows,
        Some(vec![None, Some(strings(&[("z", "false")]))])
    );
    assert_eq!(out.nested.unwrap()["outer"], strings(&[("inner", "1.5")]));
    assert_eq!(out.choice, Some(Choice::Map(strings(&[("k", "[true]")]))));
    assert_eq!(out.shared.unwrap().labels, Some(strings(&[("l", "{}")])));

    // Absent and null members are still `None`; a missing required map is still an error.
    let out: ExchangeOutput =
        serde_json::from_value(json!({"Required": {}, "Params": null})).unwrap();
    assert_eq!((out.params, out.rows, out.choice), (None, None, None));
    let missing = serde_json::from_value::<ExchangeOutput>(json!({})).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `Required`"),
        "{missing}"
    );

    // Modeled errors are decoded the same way.
    let e: len::types::error::Refused =
        serde_json::from_value(json!({"Details": {"why": ["x"]}})).unwrap();
    assert_eq!(e.details, Some(strings(&[("why", r#"["x"]"#)])));
}

/// Leniency covers maps of strings only, and only what a client decodes: a map of numbers, a
/// value that is no map, and an input-only member (what a server built on these types reads)
/// are refused as the model says.
#[test]
fn lenient_decoding_stops_where_the_model_is_not_a_string_map() {
    use len::operation::exchange::{ExchangeInput, ExchangeOutput};
    for body in [
        json!({"Required": {}, "Counts": {"n": [3]}}),
        json!({"Required": {}, "Params": ["a"]}),
        json!({"Required": {}, "Rows": {"a": "b"}}),
        json!({"Required": {}, "Choice": {"Text": 5}}),
        json!({"Required": {"k": "v"}, "Nested": {"outer": "flat"}}),
    ] {
        assert!(
            serde_json::from_value::<ExchangeOutput>(body.clone()).is_err(),
            "{body}"
        );
    }
    let strict = serde_json::from_value::<ExchangeInput>(json!({"Params": {"k": ["v"]}}));
    assert!(strict.is_err(), "input-only maps stay strict");
    let ok: ExchangeInput = serde_json::from_value(json!({"Params": {"k": "v"}})).unwrap();
    assert_eq!(ok.params, Some(strings(&[("k", "v")])));
    // A structure an output also reaches has one decoder: lenient on both sides.
    let shared: ExchangeInput =
        serde_json::from_value(json!({"Shared": {"Labels": {"k": 1}}})).unwrap();
    assert_eq!(shared.shared.unwrap().labels, Some(strings(&[("k", "1")])));
}

/// A pattern the matcher implements is checked through its member's static; one with syntax
/// beyond it (a lookahead) is documented as left to the service and not checked.
#[test]
fn patterns_beyond_the_matcher_are_left_to_the_service() {
    use len::operation::exchange::ExchangeInput;
    let input = ExchangeInput::builder()
        .name("UPPER")
        .tag("aws:reserved")
        .build()
        .unwrap();
    let problems = Validator::check(&input).unwrap_err();
    assert_eq!(
        problems.to_string(),
        "1 validation problem(s): Name: value does not match the pattern ^[a-z]+$"
    );
    let fine = ExchangeInput::builder().name("lower").build().unwrap();
    assert!(Validator::check(&fine).is_ok());
}
