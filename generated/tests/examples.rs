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
    use cognito_idp::operation::*;
    let seen = round_trip!(&model,
        "InitiateAuth" => initiate_auth::InitiateAuthInput, initiate_auth::InitiateAuthOutput;
        "AdminCreateUser" => admin_create_user::AdminCreateUserInput, admin_create_user::AdminCreateUserOutput;
        "CreateUserPool" => create_user_pool::CreateUserPoolInput, create_user_pool::CreateUserPoolOutput;
        "CreateUserPoolClient" => create_user_pool_client::CreateUserPoolClientInput, create_user_pool_client::CreateUserPoolClientOutput;
        "ListUsers" => list_users::ListUsersInput, list_users::ListUsersOutput;
    );
    assert_eq!(seen, 5);
}
