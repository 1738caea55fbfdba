//! Every problem is reported, together, naming the shape and member; nothing panics on a model.

use awsjson_codegen::Options;

fn errors(model: &str, ops: Option<&[&str]>) -> Vec<String> {
    let opts = Options {
        operations: ops.map(|o| o.iter().map(|s| s.to_string()).collect()),
        endpoint_tests: true,
    };
    match awsjson_codegen::expand(model, &opts) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|d| d.to_string()).collect(),
    }
}

fn service(protocol: &str, extra_shapes: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "ex#Svc": {{"type": "service", "version": "1", "operations": [{{"target": "ex#Get"}}], "traits": {{"{protocol}": {{}}}}}},
            "ex#Get": {{"type": "operation", "input": {{"target": "ex#GetInput"}}}}
            {extra_shapes}
        }}}}"#
    )
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let e = errors("{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}", None);
    assert_eq!(
        e,
        vec!["line 3, column 14: invalid model JSON: key must be a string"]
    );
}

#[test]
fn not_a_model() {
    assert_eq!(
        errors("{}", None)[0],
        "not a Smithy JSON AST model: no `smithy` version"
    );
    assert_eq!(
        errors("[]", None),
        vec!["a Smithy JSON AST model is a JSON object"]
    );
    assert!(errors(r#"{"smithy":"2.0","shapes":{}}"#, None)
        .contains(&"the model has no service shape".to_owned()));
}

#[test]
fn malformed_shape_names_its_id() {
    let e = errors(
        &service(
            "aws.protocols#awsJson1_1",
            r#", "ex#GetInput": {"type": "structure", "members": {"A": {"traget": "x"}}}"#,
        ),
        None,
    );
    assert!(
        e.iter()
            .any(|m| m.starts_with("ex#GetInput: malformed shape: missing field `target`")),
        "{e:?}"
    );
}

#[test]
fn unknown_operation_suggests() {
    let e = errors(
        &service(
            "aws.protocols#awsJson1_0",
            r#", "ex#GetInput": {"type": "structure"}"#,
        ),
        Some(&["Gte", "Zzzzzzzz"]),
    );
    assert_eq!(
        e,
        vec![
            "ex#Svc: unknown operation `Gte`: the service has no such operation; did you mean `Get`?",
            "ex#Svc: unknown operation `Zzzzzzzz`: the service has no such operation",
        ]
    );
}

#[test]
fn everything_is_reported_at_once() {
    let extra = r#",
        "ex#GetInput": {"type": "structure", "members": {
            "Id": {"target": "ex#Missing"},
            "When": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "iso-week"}},
            "Type": {"target": "smithy.api#String"},
            "type": {"target": "smithy.api#String"}
        }},
        "ex#Other": {"type": "list"},
        "ex#Odd": {"type": "apply"}"#;
    let e = errors(&service("aws.protocols#restJson1", extra), None);
    let expect = [
        "ex#Odd: `apply` shapes are not supported",
        "ex#Other: list shape has no `member`",
        "ex#GetInput$Id: target `ex#Missing` does not exist",
        "ex#Svc: unsupported protocol `aws.protocols#restJson1`",
        "ex#GetInput$When: `smithy.api#timestampFormat` must be \"date-time\", \"http-date\" or \"epoch-seconds\", not \"iso-week\"",
        "ex#GetInput$type: `Type` and `type` both become `type` in Rust",
    ];
    for want in expect {
        assert!(
            e.iter().any(|m| m.starts_with(want)),
            "missing {want:?} in {e:#?}"
        );
    }
    assert_eq!(e.len(), expect.len(), "{e:#?}");
}

#[test]
fn type_name_collisions_after_recasing() {
    let extra = r#",
        "ex#GetInput": {"type": "structure", "members": {"A": {"target": "ex#SMSConfig"}, "B": {"target": "ex#SmsConfig"}}},
        "ex#SMSConfig": {"type": "structure"},
        "ex#SmsConfig": {"type": "structure"}"#;
    let e = errors(&service("aws.protocols#awsJson1_1", extra), None);
    assert!(
        e.iter()
            .any(|m| m.contains("both become the Rust type `SmsConfig`")),
        "{e:?}"
    );
}

#[test]
fn two_services_are_refused() {
    let extra = r#", "ex#GetInput": {"type": "structure"}, "ex#Svc2": {"type": "service", "traits": {"aws.protocols#awsJson1_1": {}}}"#;
    let e = errors(&service("aws.protocols#awsJson1_1", extra), None);
    assert!(e[0].starts_with("the model has 2 service shapes"), "{e:?}");
}

/// Damage the real model in many ways; every result is diagnostics or code, never a panic.
#[test]
fn never_panics_on_damaged_models() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/all_shapes.json"
    ))
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let opts = Options::default();
    // Truncations at many points.
    for cut in (0..text.len()).step_by(97) {
        let _ = awsjson_codegen::expand(&text[..cut], &opts);
    }
    // Every shape and member in turn: retarget, retype, strip, or replace with junk.
    let shapes = value["shapes"].as_object().unwrap().clone();
    let junk = [
        serde_json::json!(null),
        serde_json::json!(42),
        serde_json::json!("x"),
        serde_json::json!({"type": "structure"}),
    ];
    for (id, _) in &shapes {
        for j in &junk {
            let mut m = value.clone();
            m["shapes"][id] = j.clone();
            let _ = awsjson_codegen::expand(&m.to_string(), &opts);
        }
        for kind in [
            "string",
            "list",
            "map",
            "union",
            "enum",
            "intEnum",
            "operation",
            "service",
            "resource",
            "structure",
        ] {
            let mut m = value.clone();
            m["shapes"][id]["type"] = serde_json::json!(kind);
            let _ = awsjson_codegen::expand(&m.to_string(), &opts);
        }
        if let Some(members) = shapes[id]["members"].as_object() {
            for name in members.keys() {
                for target in [
                    "smithy.api#Unit",
                    "ex#Nope",
                    "example.all#AllShapes",
                    "example.all#PutEverything",
                ] {
                    let mut m = value.clone();
                    m["shapes"][id]["members"][name]["target"] = serde_json::json!(target);
                    let _ = awsjson_codegen::expand(&m.to_string(), &opts);
                }
                let mut m = value.clone();
                m["shapes"][id]["members"][name]["traits"] = serde_json::json!({"smithy.api#enumValue": [], "smithy.api#length": "x", "smithy.api#default": {"a": 1}});
                let _ = awsjson_codegen::expand(&m.to_string(), &opts);
            }
        }
    }
}

#[test]
fn trait_values_ids_bindings_and_enum_values_are_checked() {
    let extra = r#",
        "ex#GetInput": {"type": "structure", "members": {
            "A": {"target": "smithy.api#String", "traits": {"smithy.api#length": "five", "smithy.api#pattern": 42}},
            "B": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": "zero"}, "smithy.api#default": "ten", "smithy.api#required": {}}},
            "C": {"target": "ex#M"},
            "D": {"target": "ex#E"},
            "F": {"target": "bad-id"}
        }},
        "ex#M": {"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "smithy.api#String"}},
        "ex#E": {"type": "enum", "members": {"X": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}}, "Y": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}}}},
        "ex#Oops": {"type": "structure", "traits": {"smithy.api#error": "teapot"}},
        "bad-id": {"type": "structure"}"#;
    let e = errors(&service("aws.protocols#awsJson1_1", extra), None);
    for want in [
        "ex#GetInput$A: trait `smithy.api#length` must be an object",
        "ex#GetInput$A: trait `smithy.api#pattern` must be a string",
        "ex#GetInput$B: trait `smithy.api#range` must be an object with numeric",
        "ex#GetInput$B: trait `smithy.api#default` does not fit the member's type",
        "ex#M$key: map keys must be strings, not a integer",
        "ex#E$Y: enum value \"x\" is used twice",
        "ex#Oops: trait `smithy.api#error` must be \"client\" or \"server\"",
        "bad-id: not a valid shape id",
    ] {
        assert!(
            e.iter().any(|m| m.starts_with(want)),
            "missing {want:?} in {e:#?}"
        );
    }
}
