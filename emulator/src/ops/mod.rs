//! The operations, one file per group, and what they share: the request context, SECRET_HASH,
//! password policy and storage, user serialization.

mod account;
mod attributes;
mod auth;
mod auth_challenge;
pub(crate) mod branding;
mod challenges;
mod clients;
mod custom;
mod devices;
pub(crate) mod flow;
mod groups;
pub(crate) mod hosted;
pub(crate) mod imports;
mod issue;
mod lambda;
mod mfa;
mod migration;
mod password;
mod pools;
mod providers;
mod request;
pub(crate) mod rotation;
mod schema;
mod security;
pub(crate) mod seed;
mod shapes;
mod signup;
mod srp;
mod users;

pub(crate) use pools::ACCOUNT;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use srp_core::Verifier;

use crate::error::{ApiError, ApiResult};
use crate::oauth::admin as oauth;
use crate::store::{AppClient, Password, Pool, Store, User};
use crate::Shared;

pub(crate) struct Ctx<'a> {
    pub shared: &'a Shared,
    /// The region of the request's SigV4 credential scope, if it was signed.
    pub region_hint: Option<&'a str>,
    /// The operation's name (`SignUp`, ...).
    pub op: &'a str,
    /// Tokens an operation granted under the store lock, signed by `run` once the operation
    /// has returned and released the lock (RSA signing is the costliest step of a sign-in).
    pending: std::cell::RefCell<Option<issue::Unsigned>>,
    /// Codes the operation "sent" (pool id, internal username), for the CustomMessage trigger.
    sent: std::cell::RefCell<Vec<(String, String)>>,
    /// Set for the managed login pages: a completed sign-in is recorded here instead of
    /// issuing tokens (the token endpoint issues them, with the OAuth grant's scopes).
    hosted_sign_in: Option<std::cell::RefCell<Option<crate::oauth::state::SignedIn>>>,
    /// Whether `finish` made the changes durable (else dropping the context does).
    committed: std::cell::Cell<bool>,
}

/// Runs an operation, then signs the tokens it granted with the store lock released and
/// records the access token.
pub(crate) fn run(
    shared: &Shared,
    region_hint: Option<&str>,
    operation: &Operation,
    members: Map<String, Value>,
) -> ApiResult<Value> {
    run_with(shared, region_hint, operation.name, |ctx| {
        (operation.run)(ctx, members)
    })
}

/// Runs operation `op` of either service through `handler`, then does what `run` does after
/// it (triggers, signing, durability).
pub(crate) fn run_with(
    shared: &Shared,
    region_hint: Option<&str>,
    op: &str,
    handler: impl FnOnce(&Ctx<'_>) -> ApiResult<Value>,
) -> ApiResult<Value> {
    let ctx = Ctx::new(shared, region_hint, op);
    let out = handler(&ctx);
    ctx.finish_result(out)
}

impl<'a> Ctx<'a> {
    pub fn new(shared: &'a Shared, region_hint: Option<&'a str>, op: &'a str) -> Self {
        Ctx {
            shared,
            region_hint,
            op,
            pending: Default::default(),
            sent: Default::default(),
            hosted_sign_in: None,
            committed: Default::default(),
        }
    }

    fn for_hosted_ui(shared: &'a Shared) -> Self {
        let mut ctx = Ctx::new(shared, None, "HostedUI");
        ctx.hosted_sign_in = Some(Default::default());
        ctx
    }

    /// The operation's triggers that run after it (CustomMessage, PostAuthentication,
    /// PreTokenGeneration), the tokens it granted signed into its output, and its changes
    /// made durable.
    fn finish(self, out: Value) -> ApiResult<Value> {
        self.finish_result(Ok(out))
    }

    fn finish_result(self, out: ApiResult<Value>) -> ApiResult<Value> {
        let out = out
            .and_then(|out| issue::write_messages(&self).map(|()| out))
            .and_then(|out| match self.pending.take() {
                Some(unsigned) => issue::before_signing(&self, unsigned)
                    .and_then(|unsigned| issue::sign_and_record(self.shared, unsigned, out)),
                None => Ok(out),
            });
        // Also after an error: what the operation changed before failing is state too.
        self.committed.set(true);
        self.shared.commit()?;
        out
    }

    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.shared.store()
    }

    /// Records a code "sent" to a user (readable by tests; CustomMessage writes its text).
    pub fn record_code(
        &self,
        store: &mut Store,
        pool_id: &str,
        username: &str,
        code: crate::store::SentCode,
    ) {
        store.record_code(pool_id, username, code);
        self.sent
            .borrow_mut()
            .push((pool_id.to_owned(), username.to_owned()));
    }

    /// The region for calls that create a pool: the signing region, else us-east-1.
    pub fn region(&self) -> &str {
        self.region_hint.unwrap_or("us-east-1")
    }
}

/// One served operation: its name, and its handler behind the generated input and output.
pub(crate) struct Operation {
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
    GetUserPoolMfaConfig => pools::get_user_pool_mfa_config,
    SetUserPoolMfaConfig => pools::set_user_pool_mfa_config,
    AddCustomAttributes => pools::add_custom_attributes,
    GetCSVHeader => pools::get_csv_header,
    GetSigningCertificate => pools::get_signing_certificate,
    TagResource => pools::tag_resource,
    UntagResource => pools::untag_resource,
    ListTagsForResource => pools::list_tags_for_resource,
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

/// Contexts used without `finish` (the managed login pages drive the sign-in operations
/// directly) still make their changes durable before the page answers.
impl Drop for Ctx<'_> {
    fn drop(&mut self) {
        if !self.committed.get() {
            if let Err(e) = self.shared.commit() {
                eprintln!("cognito-emulator: {}", e.message);
            }
        }
    }
}

pub(crate) fn operation(op: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == op)
}

/// The answer to an operation this emulator does not serve (named, so the caller knows which).
pub(crate) fn not_served(op: &str) -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        format!("Operation {op} is not supported by this service"),
    )
}

/// The names of the operations served, sorted.
pub(crate) fn served() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = OPERATIONS.iter().map(|o| o.name).collect();
    all.sort_unstable();
    all
}

/// Refuses a value of a model enum that the model does not know, as Cognito does.
pub(crate) fn known<E: crate::model::ModelEnum>(path: &str, value: &E) -> ApiResult<()> {
    if value.is_known() {
        Ok(())
    } else {
        Err(ApiError::not_in_enum(path, value.wire(), E::known_values()))
    }
}

/// Checks SECRET_HASH for clients with a secret, computed over `username` as sent.
pub(crate) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    if !client.has_secret() {
        return Ok(());
    }
    let Some(provided) = provided else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.id
        )));
    };
    if client.secret_hash_matches(username, provided) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// SignUp and ConfirmSignUp take the hash as `SecretHash` and word the missing case differently.
pub(crate) fn check_sign_up_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    if client.has_secret() && provided.is_none() {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    }
    check_secret_hash(client, username, provided)
}

pub(crate) use crate::guard::constant_time_eq;

/// Checks a new password against the pool's policy, with Cognito's messages.
pub(crate) fn check_policy(pool: &Pool, password: &str) -> ApiResult<()> {
    let p = &pool.policy;
    let fail = |why: &str| {
        Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        ))
    };
    if password.chars().count() < p.minimum_length {
        return fail("Password not long enough");
    }
    if p.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if p.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if p.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if p.require_symbols
        && !password
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// Stores a password: its SRP verifier (identity = internal username) and a salted digest.
pub(crate) fn make_password(
    realm: &str,
    username: &str,
    password: &str,
    temporary_expires: Option<i64>,
) -> ApiResult<Password> {
    let verifier = Verifier::generate(realm, username, password)
        .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let salt = crate::ids::random_bytes(16).map_err(|_| ApiError::internal("no randomness"))?;
    Ok(Password {
        digest: digest(&salt, password),
        salt,
        verifier,
        temporary_expires,
    })
}

fn digest(salt: &[u8], password: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(password.as_bytes());
    h.finalize().into()
}

pub(crate) fn password_matches(user: &User, password: &str) -> bool {
    match &user.password {
        Some(p) => constant_time_eq(&digest(&p.salt, password), &p.digest),
        None => false,
    }
}

pub(crate) fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!(
            "{}***@{}***",
            local.chars().next().unwrap_or('*'),
            domain.chars().next().unwrap_or('*')
        ),
        None => "***".into(),
    }
}

pub(crate) fn mask_phone(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("+*******{tail}")
}

pub(crate) fn internal(_: getrandom::Error) -> ApiError {
    ApiError::internal("The random number generator failed")
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
