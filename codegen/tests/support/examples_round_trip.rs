// Shared by codegen/macro/tests/full_model.rs (official model, real runtime) and
// generated/tests/examples.rs (project model, real runtime): the model's `smithy.api#examples`
// deserialize into the generated types and serialize back to equal JSON.

fn examples(model: &serde_json::Value, op: &str) -> Vec<(serde_json::Value, serde_json::Value)> {
    let id = format!("com.amazonaws.cognitoidentityprovider#{op}");
    let list = model["shapes"][&id]["traits"]["smithy.api#examples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.into_iter()
        .map(|e| (e["input"].clone(), e["output"].clone()))
        .collect()
}

/// Round-trips every example of the listed operations; evaluates to how many were seen.
macro_rules! round_trip {
    ($model:expr, $($op:literal => $input:ty, $output:ty;)*) => {{
        let mut seen = 0;
        $(
            for (input, output) in examples($model, $op) {
                let i: $input = serde_json::from_value(input.clone()).unwrap_or_else(|e| panic!("{} input: {e}", $op));
                assert_eq!(serde_json::to_value(&i).unwrap(), input, "{} input", $op);
                let o: $output = serde_json::from_value(output.clone()).unwrap_or_else(|e| panic!("{} output: {e}", $op));
                assert_eq!(serde_json::to_value(&o).unwrap(), output, "{} output", $op);
                seen += 1;
            }
        )*
        seen
    }};
}
