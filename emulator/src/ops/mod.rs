//! The operations, one file per group, and what they share: the request context, SECRET_HASH,
//! password policy and storage, user serialization.

mod account;
mod auth;
mod auth_challenge;
mod challenges;
mod custom;
mod devices;
mod flow;
mod groups;
pub(crate) mod hosted;
mod issue;
mod lambda;
mod mfa;
mod migration;
mod password;
mod request;
pub(crate) mod seed;
mod setup;
mod srp;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use srp_core::Verifier;

use crate::error::{ApiError, ApiResult};
use crate::input::Input;
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
    op: &str,
    handler: Handler,
    input: &Input<'_>,
) -> ApiResult<Value> {
    let ctx = Ctx::new(shared, region_hint, op);
    let out = handler(&ctx, input);
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

pub(crate) type Handler = fn(&Ctx<'_>, &Input<'_>) -> ApiResult<Value>;

/// Every operation served, with its handler.
const OPERATIONS: &[(&str, Handler)] = &[
    ("CreateUserPool", setup::create_user_pool),
    ("DescribeUserPool", setup::describe_user_pool),
    ("DeleteUserPool", setup::delete_user_pool),
    ("ListUserPools", setup::list_user_pools),
    ("CreateUserPoolClient", setup::create_user_pool_client),
    ("DescribeUserPoolClient", setup::describe_user_pool_client),
    ("DeleteUserPoolClient", setup::delete_user_pool_client),
    ("AdminCreateUser", setup::admin_create_user),
    ("AdminSetUserPassword", setup::admin_set_user_password),
    ("AdminGetUser", setup::admin_get_user),
    ("AdminDeleteUser", setup::admin_delete_user),
    ("AdminConfirmSignUp", setup::admin_confirm_sign_up),
    (
        "AdminUpdateUserAttributes",
        setup::admin_update_user_attributes,
    ),
    ("AdminDisableUser", setup::admin_disable_user),
    ("AdminEnableUser", setup::admin_enable_user),
    ("ListUsers", setup::list_users),
    ("SignUp", setup::sign_up),
    ("ConfirmSignUp", setup::confirm_sign_up),
    (
        "AdminSetUserMFAPreference",
        mfa::admin_set_user_mfa_preference,
    ),
    ("SetUserMFAPreference", mfa::set_user_mfa_preference),
    ("AssociateSoftwareToken", mfa::associate_software_token),
    ("VerifySoftwareToken", mfa::verify_software_token),
    ("InitiateAuth", auth::initiate_auth),
    ("AdminInitiateAuth", auth::admin_initiate_auth),
    (
        "RespondToAuthChallenge",
        challenges::respond_to_auth_challenge,
    ),
    (
        "AdminRespondToAuthChallenge",
        challenges::admin_respond_to_auth_challenge,
    ),
    ("ConfirmDevice", devices::confirm_device),
    ("UpdateDeviceStatus", devices::update_device_status),
    ("ForgetDevice", devices::forget_device),
    ("GetUser", account::get_user),
    ("GlobalSignOut", account::global_sign_out),
    ("RevokeToken", account::revoke_token),
    (
        "GetTokensFromRefreshToken",
        auth::get_tokens_from_refresh_token,
    ),
    ("ForgotPassword", password::forgot_password),
    ("ConfirmForgotPassword", password::confirm_forgot_password),
    ("ChangePassword", password::change_password),
    ("ResendConfirmationCode", password::resend_confirmation_code),
    ("CreateGroup", groups::create_group),
    ("GetGroup", groups::get_group),
    ("ListGroups", groups::list_groups),
    ("UpdateGroup", groups::update_group),
    ("DeleteGroup", groups::delete_group),
    ("AdminAddUserToGroup", groups::admin_add_user_to_group),
    (
        "AdminRemoveUserFromGroup",
        groups::admin_remove_user_from_group,
    ),
    ("AdminListGroupsForUser", groups::admin_list_groups_for_user),
    ("ListUsersInGroup", groups::list_users_in_group),
    ("CreateUserPoolDomain", oauth::create_user_pool_domain),
    ("DescribeUserPoolDomain", oauth::describe_user_pool_domain),
    ("UpdateUserPoolDomain", oauth::update_user_pool_domain),
    ("DeleteUserPoolDomain", oauth::delete_user_pool_domain),
    ("CreateResourceServer", oauth::create_resource_server),
    ("DescribeResourceServer", oauth::describe_resource_server),
    ("ListResourceServers", oauth::list_resource_servers),
    ("UpdateResourceServer", oauth::update_resource_server),
    ("DeleteResourceServer", oauth::delete_resource_server),
];

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

pub(crate) fn handler(op: &str) -> Option<Handler> {
    OPERATIONS
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, h)| *h)
}

/// The names of the operations served, sorted.
pub(crate) fn served() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = OPERATIONS.iter().map(|(name, _)| *name).collect();
    all.sort_unstable();
    all
}

/// Checks SECRET_HASH for clients with a secret, computed over `username` as sent.
pub(crate) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(provided) = provided else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.id
        )));
    };
    if constant_time_eq(
        srp_core::secret_hash(secret, username, &client.id).as_bytes(),
        provided.as_bytes(),
    ) {
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
    if client.secret.is_some() && provided.is_none() {
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

pub(crate) fn attributes_json(user: &User) -> Value {
    Value::Array(
        std::iter::once(("sub", user.sub.as_str()))
            .chain(
                user.attributes
                    .iter()
                    .filter(|(k, _)| k.as_str() != "sub")
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            )
            .map(|(k, v)| json!({"Name": k, "Value": v}))
            .collect(),
    )
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
