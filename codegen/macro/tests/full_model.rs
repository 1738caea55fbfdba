//! The full official model (with its HTML documentation), all 122 operations, expands and
//! compiles; its `smithy.api#examples` deserialize into the generated types and serialize back
//! to equal JSON. This is AWS's published model (../shared/models/, beside the repository), not
//! the project's: it tests the generator on HTML documentation the project's model does not carry.
//! A missing file is a compile error naming it, so the test cannot pass without it.

#[allow(dead_code, clippy::all)]
mod official {
    awsjson_codegen_macro::generate!("../../../shared/models/cognito-identity-provider.json");
}

use serde_json::Value;

include!("../../tests/support/examples_round_trip.rs");

#[test]
fn examples_round_trip() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/models/cognito-identity-provider.json"
    );
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    use official::operation::*;
    let seen = round_trip!(&model,
        "InitiateAuth" => initiate_auth::InitiateAuthInput, initiate_auth::InitiateAuthOutput;
        "AdminCreateUser" => admin_create_user::AdminCreateUserInput, admin_create_user::AdminCreateUserOutput;
        "CreateUserPool" => create_user_pool::CreateUserPoolInput, create_user_pool::CreateUserPoolOutput;
        "CreateUserPoolClient" => create_user_pool_client::CreateUserPoolClientInput, create_user_pool_client::CreateUserPoolClientOutput;
        "ListUsers" => list_users::ListUsersInput, list_users::ListUsersOutput;
    );
    assert_eq!(seen, 5);
}

#[test]
fn all_operations_are_methods() {
    // A few spot checks of aws-sdk-rust spellings across the whole service.
    let _ = official::Client::admin_set_user_mfa_preference;
    let _ = official::Client::get_tokens_from_refresh_token;
    let _ = official::operation::get_tokens_from_refresh_token::GetTokensFromRefreshTokenInput::send_with;
    let _ = official::Client::initiate_auth;
    let _: Option<
        official::operation::admin_set_user_mfa_preference::AdminSetUserMfaPreferenceError,
    > = None;
    assert_eq!(
        official::types::AuthFlowType::AdminNoSrpAuth.as_str(),
        "ADMIN_NO_SRP_AUTH"
    );
}
