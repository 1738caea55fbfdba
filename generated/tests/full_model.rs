//! The full official model (with its HTML documentation), all 122 operations, generates and
//! compiles against the real runtime. The model sits beside the repository root.

#[allow(dead_code, clippy::all)]
mod official {
    awsjson_codegen_macro::generate!(
        "../../shared/models/cognito-identity-provider.json",
        endpoint_tests = true
    );
}

#[test]
fn whole_service_is_generated() {
    let _ = official::Client::admin_set_user_mfa_preference;
    let _ = official::Client::call_list_user_pools;
    let _ = official::Client::get_tokens_from_refresh_token;
    assert_eq!(official::SERVICE.signing_name, "cognito-idp");
}
