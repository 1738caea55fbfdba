//! Event streams are not supported yet: "all operations" leaves an event-stream operation out
//! and the client's docs say which and why; naming one is an error that says so. The macro's
//! compile error is in codegen/macro/tests/ui/event_stream_named.rs.

use awsjson_codegen::{expand, to_ir, Options};
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn all_operations_leave_event_streams_out_and_say_so() {
    let model = read("tests/fixtures/event_stream.json");
    let ir = to_ir(&model, &Options::default()).expect("the service generates");
    let ops: Vec<&str> = ir.operations.iter().map(|o| o.wire_name.as_str()).collect();
    assert_eq!(ops, ["PutThing"]);
    assert_eq!(ir.omitted_operations.len(), 1);
    assert_eq!(ir.omitted_operations[0].0, "Subscribe");
    assert!(
        ir.types
            .iter()
            .all(|t| !format!("{t:?}").contains("\"Events\"")),
        "the stream's union is not generated"
    );
    let text = expand(&model, &Options::default()).unwrap().to_string();
    assert!(
        text.contains("Not generated"),
        "the client docs list what was left out"
    );
    assert!(
        text.contains("`Subscribe`: its output member `Events` is an event stream, which is not supported yet"),
        "{text}"
    );
}

#[test]
fn naming_an_event_stream_operation_is_an_error() {
    let model = read("tests/fixtures/event_stream.json");
    let opts = Options {
        operations: Some(vec!["PutThing".into(), "Subscribe".into()]),
        endpoint_tests: false,
    };
    let diags = to_ir(&model, &opts).unwrap_err();
    let text = diags.to_string();
    assert_eq!(diags.len(), 1, "{text}");
    assert!(
        text.contains("operation `Subscribe` cannot be generated: its output member `Events` is an event stream, and event streams are not supported yet"),
        "{text}"
    );
}

#[test]
fn kinesis_and_cloudwatch_logs_generate_without_their_streams() {
    for (model, op) in [
        ("kinesis", "SubscribeToShard"),
        ("cloudwatch-logs", "StartLiveTail"),
    ] {
        let text = read(&format!("../../shared/models/aws/{model}.json"));
        let ir = to_ir(&text, &Options::default())
            .unwrap_or_else(|d| panic!("{model} does not generate:\n{d}"));
        let omitted: Vec<&str> = ir
            .omitted_operations
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(omitted, [op], "{model}");
        assert!(ir.operations.iter().all(|o| o.wire_name != op));
    }
}
