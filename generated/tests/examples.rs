//! The model's `smithy.api#examples` deserialize into the generated types and serialize back
//! to equal JSON (project model, real runtime support types).

use serde_json::Value;

fn examples(model: &Value, op: &str) -> Vec<(Value, Value)> {
    let id = format!("com.amazonaws.cognitoidentityprovider#{op}");
    let list = model["shapes"][&id]["traits"]["smithy.api#examples"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.into_iter()
        .map(|e| (e["input"].clone(), e["output"].clone()))
        .collect()
}

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

#[test]
fn examples_round_trip() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/cognito-identity-provider.json"
    );
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    use cognito_idp::types::*;
    let seen = round_trip!(&model,
        "InitiateAuth" => InitiateAuthInput, InitiateAuthOutput;
        "AdminCreateUser" => AdminCreateUserInput, AdminCreateUserOutput;
        "CreateUserPool" => CreateUserPoolInput, CreateUserPoolOutput;
        "CreateUserPoolClient" => CreateUserPoolClientInput, CreateUserPoolClientOutput;
        "ListUsers" => ListUsersInput, ListUsersOutput;
    );
    assert_eq!(seen, 5);
}
