//! Every operation of the model is a method of the crate's `Client`: a dependent can call any of
//! them without generating its own client. The list below is checked against the model, so an
//! operation added to (or dropped from) the model fails here until the list follows.

/// Each name becomes a reference to both entry points, so a missing method fails to compile.
macro_rules! operations {
    ($($method:ident => $call:ident),* $(,)?) => {{
        $( let _ = cognito_idp::Client::$method; let _ = cognito_idp::Client::$call; )*
        vec![$(stringify!($method)),*]
    }};
}

#[test]
fn every_model_operation_is_a_client_method() {
    let listed = operations![
        add_custom_attributes => call_add_custom_attributes,
        add_user_pool_client_secret => call_add_user_pool_client_secret,
        admin_add_user_to_group => call_admin_add_user_to_group,
        admin_confirm_sign_up => call_admin_confirm_sign_up,
        admin_create_user => call_admin_create_user,
        admin_delete_user => call_admin_delete_user,
        admin_delete_user_attributes => call_admin_delete_user_attributes,
        admin_disable_provider_for_user => call_admin_disable_provider_for_user,
        admin_disable_user => call_admin_disable_user,
        admin_enable_user => call_admin_enable_user,
        admin_forget_device => call_admin_forget_device,
        admin_get_device => call_admin_get_device,
        admin_get_user => call_admin_get_user,
        admin_initiate_auth => call_admin_initiate_auth,
        admin_link_provider_for_user => call_admin_link_provider_for_user,
        admin_list_devices => call_admin_list_devices,
        admin_list_groups_for_user => call_admin_list_groups_for_user,
        admin_list_user_auth_events => call_admin_list_user_auth_events,
        admin_remove_user_from_group => call_admin_remove_user_from_group,
        admin_reset_user_password => call_admin_reset_user_password,
        admin_respond_to_auth_challenge => call_admin_respond_to_auth_challenge,
        admin_set_user_mfa_preference => call_admin_set_user_mfa_preference,
        admin_set_user_password => call_admin_set_user_password,
        admin_set_user_settings => call_admin_set_user_settings,
        admin_update_auth_event_feedback => call_admin_update_auth_event_feedback,
        admin_update_device_status => call_admin_update_device_status,
        admin_update_user_attributes => call_admin_update_user_attributes,
        admin_user_global_sign_out => call_admin_user_global_sign_out,
        associate_software_token => call_associate_software_token,
        change_password => call_change_password,
        complete_web_authn_registration => call_complete_web_authn_registration,
        confirm_device => call_confirm_device,
        confirm_forgot_password => call_confirm_forgot_password,
        confirm_sign_up => call_confirm_sign_up,
        create_group => call_create_group,
        create_identity_provider => call_create_identity_provider,
        create_managed_login_branding => call_create_managed_login_branding,
        create_resource_server => call_create_resource_server,
        create_terms => call_create_terms,
        create_user_import_job => call_create_user_import_job,
        create_user_pool => call_create_user_pool,
        create_user_pool_client => call_create_user_pool_client,
        create_user_pool_domain => call_create_user_pool_domain,
        delete_group => call_delete_group,
        delete_identity_provider => call_delete_identity_provider,
        delete_managed_login_branding => call_delete_managed_login_branding,
        delete_resource_server => call_delete_resource_server,
        delete_terms => call_delete_terms,
        delete_user => call_delete_user,
        delete_user_attributes => call_delete_user_attributes,
        delete_user_pool => call_delete_user_pool,
        delete_user_pool_client => call_delete_user_pool_client,
        delete_user_pool_client_secret => call_delete_user_pool_client_secret,
        delete_user_pool_domain => call_delete_user_pool_domain,
        delete_web_authn_credential => call_delete_web_authn_credential,
        describe_identity_provider => call_describe_identity_provider,
        describe_managed_login_branding => call_describe_managed_login_branding,
        describe_managed_login_branding_by_client => call_describe_managed_login_branding_by_client,
        describe_resource_server => call_describe_resource_server,
        describe_risk_configuration => call_describe_risk_configuration,
        describe_terms => call_describe_terms,
        describe_user_import_job => call_describe_user_import_job,
        describe_user_pool => call_describe_user_pool,
        describe_user_pool_client => call_describe_user_pool_client,
        describe_user_pool_domain => call_describe_user_pool_domain,
        forget_device => call_forget_device,
        forgot_password => call_forgot_password,
        get_csv_header => call_get_csv_header,
        get_device => call_get_device,
        get_group => call_get_group,
        get_identity_provider_by_identifier => call_get_identity_provider_by_identifier,
        get_log_delivery_configuration => call_get_log_delivery_configuration,
        get_signing_certificate => call_get_signing_certificate,
        get_tokens_from_refresh_token => call_get_tokens_from_refresh_token,
        get_ui_customization => call_get_ui_customization,
        get_user => call_get_user,
        get_user_attribute_verification_code => call_get_user_attribute_verification_code,
        get_user_auth_factors => call_get_user_auth_factors,
        get_user_pool_mfa_config => call_get_user_pool_mfa_config,
        global_sign_out => call_global_sign_out,
        initiate_auth => call_initiate_auth,
        list_devices => call_list_devices,
        list_groups => call_list_groups,
        list_identity_providers => call_list_identity_providers,
        list_resource_servers => call_list_resource_servers,
        list_tags_for_resource => call_list_tags_for_resource,
        list_terms => call_list_terms,
        list_user_import_jobs => call_list_user_import_jobs,
        list_user_pool_client_secrets => call_list_user_pool_client_secrets,
        list_user_pool_clients => call_list_user_pool_clients,
        list_user_pools => call_list_user_pools,
        list_users => call_list_users,
        list_users_in_group => call_list_users_in_group,
        list_web_authn_credentials => call_list_web_authn_credentials,
        resend_confirmation_code => call_resend_confirmation_code,
        respond_to_auth_challenge => call_respond_to_auth_challenge,
        revoke_token => call_revoke_token,
        set_log_delivery_configuration => call_set_log_delivery_configuration,
        set_risk_configuration => call_set_risk_configuration,
        set_ui_customization => call_set_ui_customization,
        set_user_mfa_preference => call_set_user_mfa_preference,
        set_user_pool_mfa_config => call_set_user_pool_mfa_config,
        set_user_settings => call_set_user_settings,
        sign_up => call_sign_up,
        start_user_import_job => call_start_user_import_job,
        start_web_authn_registration => call_start_web_authn_registration,
        stop_user_import_job => call_stop_user_import_job,
        tag_resource => call_tag_resource,
        untag_resource => call_untag_resource,
        update_auth_event_feedback => call_update_auth_event_feedback,
        update_device_status => call_update_device_status,
        update_group => call_update_group,
        update_identity_provider => call_update_identity_provider,
        update_managed_login_branding => call_update_managed_login_branding,
        update_resource_server => call_update_resource_server,
        update_terms => call_update_terms,
        update_user_attributes => call_update_user_attributes,
        update_user_pool => call_update_user_pool,
        update_user_pool_client => call_update_user_pool_client,
        update_user_pool_domain => call_update_user_pool_domain,
        verify_software_token => call_verify_software_token,
        verify_user_attribute => call_verify_user_attribute,
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
    assert_eq!(model.len(), 122);
    assert_eq!(listed, model);
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
