//! The model's `smithy.api#examples` deserialize into the generated types and serialize back
//! to equal JSON (project model, real runtime support types).

use serde_json::Value;

include!("../../codegen/tests/support/examples_round_trip.rs");

#[test]
fn examples_round_trip() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/model/cognito-identity-provider.json"
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
