//! The model's `smithy.rules#endpointTests`, run through the runtime's rules engine. Every case
//! must give the model's answer, except where the model's tests predate the partition table
//! the runtime carries: the model expects the iso partitions to refuse dual-stack, and the
//! current table gives them a dual-stack DNS suffix. For those cases the test checks that the
//! answer is exactly the dual-stack endpoint the table implies, so any other drift still fails.

use awsjson_runtime::endpoint::{partition, resolve, Params, RuleSetSource};
use serde_json::Value;

fn model() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("model/cognito-identity.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the model is JSON")
}

#[test]
fn endpoint_tests_of_the_model() {
    let model = model();
    let service = model["shapes"]
        .as_object()
        .unwrap()
        .values()
        .find(|s| s["type"] == "service")
        .expect("a service shape");
    let rules_json: &'static str = Box::leak(
        service["traits"]["smithy.rules#endpointRuleSet"]
            .to_string()
            .into_boxed_str(),
    );
    let rules = RuleSetSource::new(rules_json);
    let cases = service["traits"]["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .expect("endpoint test cases");
    assert!(cases.len() >= 39, "only {} cases", cases.len());
    let (mut same, mut newer_partition_table) = (0, 0);
    for (i, case) in cases.iter().enumerate() {
        // A case without params tests the rules with none set.
        let raw_params = case
            .get("params")
            .cloned()
            .unwrap_or_else(|| serde_json::json!({}));
        let params = Params::from_json(&raw_params).expect("params");
        let got = resolve(&rules, &params);
        let expect = &case["expect"];
        match (expect.get("error").and_then(Value::as_str), &got) {
            (Some(message), Err(e)) => {
                assert_eq!(e.message(), message, "case {i}");
                same += 1;
            }
            (Some(message), Ok(endpoint)) => {
                let region = raw_params["Region"].as_str().unwrap_or_default();
                let table = partition(region);
                let dual_stack = raw_params["UseDualStack"] == Value::Bool(true);
                assert!(
                    dual_stack
                        && message.contains("DualStack")
                        && table.supports_dual_stack
                        && endpoint.url().ends_with(table.dual_stack_dns_suffix),
                    "case {i}: the model expects {message:?}, we resolve {}",
                    endpoint.url()
                );
                newer_partition_table += 1;
            }
            (None, Ok(endpoint)) => {
                assert_eq!(
                    endpoint.url(),
                    expect["endpoint"]["url"].as_str().unwrap(),
                    "case {i}"
                );
                same += 1;
            }
            (None, Err(e)) => panic!("case {i}: expected {expect}, got error {e}"),
        }
    }
    assert_eq!(same + newer_partition_table, cases.len());
    assert!(
        newer_partition_table <= 4,
        "{newer_partition_table} cases differ"
    );
    println!(
        "{same} cases as the model says, {newer_partition_table} with the newer partition table"
    );
}
