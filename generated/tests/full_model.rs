//! Every operation of the model is a method of the crate's `Client` and a module of
//! `operation`: a dependent can call any of them without generating its own client. The list
//! below is checked against the model, so an operation added to (or dropped from) the model fails
//! here until the list follows.

/// Each name becomes a reference to the method and to the operation's module, so a missing one
/// fails to compile.
macro_rules! operations {
    ($($method:ident),* $(,)?) => {{
        $(
            let _ = cognito_idp::Client::$method;
            { #[allow(unused_imports)] use cognito_idp::operation::$method as _; }
        )*
        vec![$(stringify!($method)),*]
    }};
}

#[test]
fn every_model_operation_is_a_client_method() {
    let listed = operations![
        add_custom_attributes,
        add_user_pool_client_secret,
        admin_add_user_to_group,
        admin_confirm_sign_up,
        admin_create_user,
        admin_delete_user,
        admin_delete_user_attributes,
        admin_disable_provider_for_user,
        admin_disable_user,
        admin_enable_user,
        admin_forget_device,
        admin_get_device,
        admin_get_user,
        admin_initiate_auth,
        admin_link_provider_for_user,
        admin_list_devices,
        admin_list_groups_for_user,
        admin_list_user_auth_events,
        admin_remove_user_from_group,
        admin_reset_user_password,
        admin_respond_to_auth_challenge,
        admin_set_user_mfa_preference,
        admin_set_user_password,
        admin_set_user_settings,
        admin_update_auth_event_feedback,
        admin_update_device_status,
        admin_update_user_attributes,
        admin_user_global_sign_out,
        associate_software_token,
        change_password,
        complete_web_authn_registration,
        confirm_device,
        confirm_forgot_password,
        confirm_sign_up,
        create_group,
        create_identity_provider,
        create_managed_login_branding,
        create_resource_server,
        create_terms,
        create_user_import_job,
        create_user_pool,
        create_user_pool_client,
        create_user_pool_domain,
        delete_group,
        delete_identity_provider,
        delete_managed_login_branding,
        delete_resource_server,
        delete_terms,
        delete_user,
        delete_user_attributes,
        delete_user_pool,
        delete_user_pool_client,
        delete_user_pool_client_secret,
        delete_user_pool_domain,
        delete_web_authn_credential,
        describe_identity_provider,
        describe_managed_login_branding,
        describe_managed_login_branding_by_client,
        describe_resource_server,
        describe_risk_configuration,
        describe_terms,
        describe_user_import_job,
        describe_user_pool,
        describe_user_pool_client,
        describe_user_pool_domain,
        forget_device,
        forgot_password,
        get_csv_header,
        get_device,
        get_group,
        get_identity_provider_by_identifier,
        get_log_delivery_configuration,
        get_signing_certificate,
        get_tokens_from_refresh_token,
        get_ui_customization,
        get_user,
        get_user_attribute_verification_code,
        get_user_auth_factors,
        get_user_pool_mfa_config,
        global_sign_out,
        initiate_auth,
        list_devices,
        list_groups,
        list_identity_providers,
        list_resource_servers,
        list_tags_for_resource,
        list_terms,
        list_user_import_jobs,
        list_user_pool_client_secrets,
        list_user_pool_clients,
        list_user_pools,
        list_users,
        list_users_in_group,
        list_web_authn_credentials,
        resend_confirmation_code,
        respond_to_auth_challenge,
        revoke_token,
        set_log_delivery_configuration,
        set_risk_configuration,
        set_ui_customization,
        set_user_mfa_preference,
        set_user_pool_mfa_config,
        set_user_settings,
        sign_up,
        start_user_import_job,
        start_web_authn_registration,
        stop_user_import_job,
        tag_resource,
        untag_resource,
        update_auth_event_feedback,
        update_device_status,
        update_group,
        update_identity_provider,
        update_managed_login_branding,
        update_resource_server,
        update_terms,
        update_user_attributes,
        update_user_pool,
        update_user_pool_client,
        update_user_pool_domain,
        verify_software_token,
        verify_user_attribute,
    ];
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/model/cognito-identity-provider.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the crate's model {path}: {e}"));
    let ir = awsjson_codegen::to_ir(&text, &awsjson_codegen::Options::default())
        .unwrap_or_else(|d| panic!("{d}"));
    let model: Vec<&str> = ir.operations.iter().map(|op| op.method.as_str()).collect();
    let modules: Vec<&str> = ir.operations.iter().map(|op| op.module.as_str()).collect();
    assert_eq!(model.len(), 122);
    assert_eq!(listed, model);
    assert_eq!(listed, modules, "no Cognito operation is renamed");
}

/// The crate builds the runtime without its `compression` feature (no flate2 for dependents):
/// that is only right while no operation of the model asks for request compression.
#[test]
fn no_operation_asks_for_request_compression() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/model/cognito-identity-provider.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the crate's model {path}: {e}"));
    let ir = awsjson_codegen::to_ir(&text, &awsjson_codegen::Options::default())
        .unwrap_or_else(|d| panic!("{d}"));
    let compressed: Vec<&str> = ir
        .operations
        .iter()
        .filter(|op| !op.request_compression.is_empty())
        .map(|op| op.wire_name.as_str())
        .collect();
    assert!(
        compressed.is_empty(),
        "these operations are @requestCompression: turn on awsjson-runtime's `compression` \
         feature in generated/Cargo.toml: {compressed:?}"
    );
}
