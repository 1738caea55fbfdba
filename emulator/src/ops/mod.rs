//! The user-pool operations: the table of every operation served (name -> handler on the
//! generated input and output types) and the entry point that decodes a request and runs it.
//! Below it, one file per group of operations, and what they share, in leaf modules that
//! import nothing from here: the request context (`context`), running and finishing an
//! operation (`run`), request checks (`checks`), passwords (`passwords`), the model's shapes
//! of the store's entities (`shapes`), where a sign-in stands (`step`), tokens awaiting their
//! signature (`unsigned`), page tokens (`paging`).

mod account;
mod attributes;
mod auth;
mod auth_challenge;
pub(crate) mod branding;
mod challenges;
mod checks;
mod clients;
pub(crate) mod context;
mod custom;
mod devices;
mod flow;
mod groups;
pub(crate) mod hosted;
pub(crate) mod imports;
mod issue;
mod lambda;
mod mfa;
mod migration;
mod paging;
mod password;
mod passwords;
mod pool_mfa;
mod pools;
mod providers;
mod request;
mod rotation;
pub(crate) mod run;
mod schema;
mod security;
pub(crate) mod seed;
mod shapes;
mod signup;
mod srp;
mod step;
mod tags;
mod unsigned;
mod users;

pub(crate) use tags::ACCOUNT;

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::oauth::admin as oauth;
use crate::shared::Shared;
use context::Ctx;

/// One user-pool operation (the part of the target after the prefix): the body decoded and
/// run. A signed call reaches only the pools of its own region, as each AWS region is separate.
pub(crate) fn call(
    shared: &Shared,
    op: &str,
    body: &[u8],
    region_hint: Option<&str>,
) -> ApiResult<Value> {
    let operation = operation(op).ok_or_else(|| ApiError::unknown_operation(op))?;
    let members = crate::protocol::parse_members(body)?;
    if let (Some(region), Some(Value::String(pool_id))) = (region_hint, members.get("UserPoolId")) {
        if crate::store::region_of(pool_id) != region {
            return Err(ApiError::unknown_pool(pool_id));
        }
    }
    run(shared, region_hint, operation, members)
}

/// Runs an operation, then signs the tokens it granted with the store lock released and
/// records the access token.
fn run(
    shared: &Shared,
    region_hint: Option<&str>,
    operation: &Operation,
    members: Map<String, Value>,
) -> ApiResult<Value> {
    run::run_with(shared, region_hint, operation.name, |ctx| {
        (operation.run)(ctx, members)
    })
}

/// One served operation: its name, and its handler behind the generated input and output.
struct Operation {
    pub name: &'static str,
    run: fn(&Ctx<'_>, Map<String, Value>) -> ApiResult<Value>,
    /// The Rust names of the handler's input and output types (a test checks they are this
    /// operation's).
    #[cfg_attr(not(test), allow(dead_code))]
    types: fn() -> [&'static str; 2],
}

/// Decodes the request into the generated input, runs the handler, encodes its output.
fn serve<I, O>(
    ctx: &Ctx<'_>,
    members: Map<String, Value>,
    handler: fn(&Ctx<'_>, I) -> ApiResult<O>,
) -> ApiResult<Value>
where
    I: serde::de::DeserializeOwned + crate::model::Validate,
    O: serde::Serialize,
{
    let input = crate::protocol::decode::<I>(ctx.op, members)?;
    let output = handler(ctx, input)?;
    crate::protocol::encode(&output)
}

fn type_names<I, O>(_: fn(&Ctx<'_>, I) -> ApiResult<O>) -> [&'static str; 2] {
    [std::any::type_name::<I>(), std::any::type_name::<O>()]
}

macro_rules! operations {
    ($($name:ident => $handler:path,)*) => {
        /// Every operation served, with its handler.
        const OPERATIONS: &[Operation] = &[$(Operation {
            name: stringify!($name),
            run: |ctx, members| serve(ctx, members, $handler),
            types: || type_names($handler),
        },)*];
    };
}

operations! {
    // pools
    CreateUserPool => pools::create_user_pool,
    DescribeUserPool => pools::describe_user_pool,
    UpdateUserPool => pools::update_user_pool,
    DeleteUserPool => pools::delete_user_pool,
    ListUserPools => pools::list_user_pools,
    GetUserPoolMfaConfig => pool_mfa::get_user_pool_mfa_config,
    SetUserPoolMfaConfig => pool_mfa::set_user_pool_mfa_config,
    AddCustomAttributes => pools::add_custom_attributes,
    GetCSVHeader => pools::get_csv_header,
    GetSigningCertificate => pools::get_signing_certificate,
    TagResource => tags::tag_resource,
    UntagResource => tags::untag_resource,
    ListTagsForResource => tags::list_tags_for_resource,
    // app clients
    CreateUserPoolClient => clients::create_user_pool_client,
    DescribeUserPoolClient => clients::describe_user_pool_client,
    UpdateUserPoolClient => clients::update_user_pool_client,
    DeleteUserPoolClient => clients::delete_user_pool_client,
    ListUserPoolClients => clients::list_user_pool_clients,
    AddUserPoolClientSecret => clients::add_user_pool_client_secret,
    ListUserPoolClientSecrets => clients::list_user_pool_client_secrets,
    DeleteUserPoolClientSecret => clients::delete_user_pool_client_secret,
    // users, by an administrator
    AdminCreateUser => users::admin_create_user,
    AdminSetUserPassword => users::admin_set_user_password,
    AdminGetUser => users::admin_get_user,
    AdminDeleteUser => users::admin_delete_user,
    AdminConfirmSignUp => users::admin_confirm_sign_up,
    AdminDisableUser => users::admin_disable_user,
    AdminEnableUser => users::admin_enable_user,
    AdminResetUserPassword => users::admin_reset_user_password,
    AdminUserGlobalSignOut => users::admin_user_global_sign_out,
    AdminSetUserSettings => users::admin_set_user_settings,
    ListUsers => users::list_users,
    AdminUpdateUserAttributes => attributes::admin_update_user_attributes,
    AdminDeleteUserAttributes => attributes::admin_delete_user_attributes,
    // sign-up and the user's own account
    SignUp => signup::sign_up,
    ConfirmSignUp => signup::confirm_sign_up,
    GetUser => account::get_user,
    GetUserAuthFactors => account::get_user_auth_factors,
    GlobalSignOut => account::global_sign_out,
    RevokeToken => account::revoke_token,
    DeleteUser => account::delete_user,
    SetUserSettings => account::set_user_settings,
    UpdateUserAttributes => attributes::update_user_attributes,
    DeleteUserAttributes => attributes::delete_user_attributes,
    VerifyUserAttribute => attributes::verify_user_attribute,
    GetUserAttributeVerificationCode => attributes::get_user_attribute_verification_code,
    ForgotPassword => password::forgot_password,
    ConfirmForgotPassword => password::confirm_forgot_password,
    ChangePassword => password::change_password,
    ResendConfirmationCode => password::resend_confirmation_code,
    // MFA
    AdminSetUserMFAPreference => mfa::admin_set_user_mfa_preference,
    SetUserMFAPreference => mfa::set_user_mfa_preference,
    AssociateSoftwareToken => mfa::associate_software_token,
    VerifySoftwareToken => mfa::verify_software_token,
    // sign-in
    InitiateAuth => auth::initiate_auth,
    AdminInitiateAuth => auth::admin_initiate_auth,
    RespondToAuthChallenge => challenges::respond_to_auth_challenge,
    AdminRespondToAuthChallenge => challenges::admin_respond_to_auth_challenge,
    GetTokensFromRefreshToken => auth::get_tokens_from_refresh_token,
    // devices
    ConfirmDevice => devices::confirm_device,
    UpdateDeviceStatus => devices::update_device_status,
    ForgetDevice => devices::forget_device,
    GetDevice => devices::get_device,
    ListDevices => devices::list_devices,
    AdminGetDevice => devices::admin_get_device,
    AdminListDevices => devices::admin_list_devices,
    AdminForgetDevice => devices::admin_forget_device,
    AdminUpdateDeviceStatus => devices::admin_update_device_status,
    // groups
    CreateGroup => groups::create_group,
    GetGroup => groups::get_group,
    ListGroups => groups::list_groups,
    UpdateGroup => groups::update_group,
    DeleteGroup => groups::delete_group,
    AdminAddUserToGroup => groups::admin_add_user_to_group,
    AdminRemoveUserFromGroup => groups::admin_remove_user_from_group,
    AdminListGroupsForUser => groups::admin_list_groups_for_user,
    ListUsersInGroup => groups::list_users_in_group,
    // identity providers
    CreateIdentityProvider => providers::create_identity_provider,
    DescribeIdentityProvider => providers::describe_identity_provider,
    GetIdentityProviderByIdentifier => providers::get_identity_provider_by_identifier,
    UpdateIdentityProvider => providers::update_identity_provider,
    DeleteIdentityProvider => providers::delete_identity_provider,
    ListIdentityProviders => providers::list_identity_providers,
    AdminLinkProviderForUser => providers::admin_link_provider_for_user,
    AdminDisableProviderForUser => providers::admin_disable_provider_for_user,
    // user import
    CreateUserImportJob => imports::create_user_import_job,
    DescribeUserImportJob => imports::describe_user_import_job,
    ListUserImportJobs => imports::list_user_import_jobs,
    StartUserImportJob => imports::start_user_import_job,
    StopUserImportJob => imports::stop_user_import_job,
    // managed login's look, the hosted UI's customization, terms
    CreateManagedLoginBranding => branding::create_managed_login_branding,
    DescribeManagedLoginBranding => branding::describe_managed_login_branding,
    DescribeManagedLoginBrandingByClient => branding::describe_managed_login_branding_by_client,
    UpdateManagedLoginBranding => branding::update_managed_login_branding,
    DeleteManagedLoginBranding => branding::delete_managed_login_branding,
    SetUICustomization => branding::set_ui_customization,
    GetUICustomization => branding::get_ui_customization,
    CreateTerms => branding::create_terms,
    DescribeTerms => branding::describe_terms,
    ListTerms => branding::list_terms,
    UpdateTerms => branding::update_terms,
    DeleteTerms => branding::delete_terms,
    // threat protection and logging
    AdminListUserAuthEvents => security::admin_list_user_auth_events,
    AdminUpdateAuthEventFeedback => security::admin_update_auth_event_feedback,
    UpdateAuthEventFeedback => security::update_auth_event_feedback,
    SetRiskConfiguration => security::set_risk_configuration,
    DescribeRiskConfiguration => security::describe_risk_configuration,
    SetLogDeliveryConfiguration => security::set_log_delivery_configuration,
    GetLogDeliveryConfiguration => security::get_log_delivery_configuration,
    // domains and resource servers (managed login, OAuth)
    CreateUserPoolDomain => oauth::create_user_pool_domain,
    DescribeUserPoolDomain => oauth::describe_user_pool_domain,
    UpdateUserPoolDomain => oauth::update_user_pool_domain,
    DeleteUserPoolDomain => oauth::delete_user_pool_domain,
    CreateResourceServer => oauth::create_resource_server,
    DescribeResourceServer => oauth::describe_resource_server,
    ListResourceServers => oauth::list_resource_servers,
    UpdateResourceServer => oauth::update_resource_server,
    DeleteResourceServer => oauth::delete_resource_server,
}

fn operation(op: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == op)
}

/// The names of the operations served, sorted.
pub(crate) fn served() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = OPERATIONS.iter().map(|o| o.name).collect();
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    /// `AdminSetUserMFAPreference` -> `AdminSetUserMfaPreference`, `GetCSVHeader` ->
    /// `GetCsvHeader`: how the generated crate spells operation names in Rust.
    fn rust_name(op: &str) -> String {
        let chars: Vec<char> = op.chars().collect();
        let mut out = String::new();
        for (i, c) in chars.iter().enumerate() {
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if c.is_uppercase() && prev_upper && !next_lower {
                out.extend(c.to_lowercase());
            } else {
                out.push(*c);
            }
        }
        out
    }

    #[test]
    fn every_handler_takes_its_operations_input_and_answers_its_output() {
        assert_eq!(rust_name("GetCSVHeader"), "GetCsvHeader");
        assert_eq!(
            rust_name("AdminSetUserMFAPreference"),
            "AdminSetUserMfaPreference"
        );
        assert_eq!(rust_name("GetUICustomization"), "GetUiCustomization");
        for op in super::OPERATIONS {
            let [input, output] = (op.types)();
            let name = rust_name(op.name);
            assert!(
                input.ends_with(&format!("::{name}Input")),
                "{}: {input}",
                op.name
            );
            assert!(
                output.ends_with(&format!("::{name}Output")),
                "{}: {output}",
                op.name
            );
        }
    }
}
