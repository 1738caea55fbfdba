//! Identity pools (the Cognito Identity API, `X-Amz-Target: AWSCognitoIdentityService.<Op>`),
//! served on the same port as the user pools: pool administration, identities, the enhanced
//! flow's credentials and the basic flow's OpenID token. `Logins` tokens from this emulator's
//! user pools are verified as Cognito does: signature (the JWKS), issuer, audience, expiry.
//!
//! The state is one struct ([`IdentityState`]) inside the store: identity pools (with their
//! roles) and identities are `Tracked` maps, persisted with the rest of the store (tables
//! `identity_pool` and `identity` in `persist::records`); the login index is rebuilt from the
//! identities on load, and the record of issued credentials lives in memory only.

mod credentials;
mod identities;
mod input;
mod logins;
mod pools;
mod roles;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::ops;
use crate::store::Tracked;
use crate::Shared;

pub use credentials::IssuedCredentials;
pub(crate) use input::Input;
pub(crate) use pools::seeded_pool;

/// The `X-Amz-Target` prefix of the Cognito Identity service.
pub(crate) const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// Everything about identity pools.
#[derive(Default)]
pub struct IdentityState {
    /// identity pool id -> pool
    pub pools: Tracked<String, IdentityPool>,
    /// identity id -> identity
    pub identities: Tracked<String, Identity>,
    /// (identity pool id, provider name, subject) -> identity id: one identity per user.
    /// Derived from the identities' logins (rebuilt on load).
    pub by_login: HashMap<(String, String, String), String>,
    /// access key id -> what the credentials were issued for (in memory only: the emulator
    /// serves no STS that would honour them after a restart).
    pub issued: HashMap<String, IssuedCredentials>,
}

/// A user pool app client an identity pool accepts tokens from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPoolProvider {
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>`
    pub provider_name: String,
    pub client_id: String,
    pub server_side_token_check: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityPool {
    pub id: String,
    pub name: String,
    pub allow_unauthenticated: bool,
    pub allow_classic_flow: bool,
    pub providers: Vec<UserPoolProvider>,
    pub supported_login_providers: BTreeMap<String, String>,
    pub developer_provider_name: Option<String>,
    pub open_id_connect_provider_arns: Vec<String>,
    pub saml_provider_arns: Vec<String>,
    pub tags: BTreeMap<String, String>,
    /// `authenticated` / `unauthenticated` -> role ARN
    pub roles: BTreeMap<String, String>,
    /// provider name -> RoleMapping as sent (validated by SetIdentityPoolRoles)
    pub role_mappings: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Identity {
    pub id: String,
    pub pool_id: String,
    /// provider name -> subject
    pub logins: BTreeMap<String, String>,
    pub created: i64,
    pub modified: i64,
}

impl IdentityState {
    pub fn pool(&self, id: &str) -> ApiResult<&IdentityPool> {
        self.pools.get(id).ok_or_else(|| unknown_pool(id))
    }

    /// The pool, recorded as changed.
    pub fn pool_mut(&mut self, id: &str) -> ApiResult<&mut IdentityPool> {
        self.pools.get_mut(id).ok_or_else(|| unknown_pool(id))
    }

    /// Rebuilds the login index from the identities (after loading them).
    pub fn reindex(&mut self) {
        self.by_login = self
            .identities
            .values()
            .flat_map(|i| {
                i.logins.iter().map(|(provider, subject)| {
                    (
                        (i.pool_id.clone(), provider.clone(), subject.clone()),
                        i.id.clone(),
                    )
                })
            })
            .collect();
    }

    /// Drops expired records of issued credentials.
    pub fn sweep(&mut self, now: i64) {
        self.issued.retain(|_, c| c.expiration > now);
    }

    pub fn forget_changes(&mut self) {
        self.pools.take_touched();
        self.identities.take_touched();
    }
}

pub(crate) fn unknown_pool(id: &str) -> ApiError {
    ApiError::resource_not_found(format!("IdentityPool '{id}' not found."))
}

pub(crate) fn unknown_identity(id: &str) -> ApiError {
    ApiError::resource_not_found(format!("Identity '{id}' not found."))
}

/// A Cognito Identity operation's handler: it reads its members through [`Input`] (the
/// user-pool operations decode the generated inputs of `cognito-idp` instead; the identity
/// model's types are not built into the emulator).
type Handler = fn(&ops::Ctx<'_>, &Input<'_>) -> ApiResult<Value>;

/// Every Cognito Identity operation served, with its handler.
const OPERATIONS: &[(&str, Handler)] = &[
    ("CreateIdentityPool", pools::create_identity_pool),
    ("DescribeIdentityPool", pools::describe_identity_pool),
    ("UpdateIdentityPool", pools::update_identity_pool),
    ("ListIdentityPools", pools::list_identity_pools),
    ("DeleteIdentityPool", pools::delete_identity_pool),
    ("SetIdentityPoolRoles", roles::set_identity_pool_roles),
    ("GetIdentityPoolRoles", roles::get_identity_pool_roles),
    ("GetId", identities::get_id),
    ("DescribeIdentity", identities::describe_identity),
    ("ListIdentities", identities::list_identities),
    ("DeleteIdentities", identities::delete_identities),
    ("UnlinkIdentity", identities::unlink_identity),
    (
        "GetCredentialsForIdentity",
        credentials::get_credentials_for_identity,
    ),
    ("GetOpenIdToken", credentials::get_open_id_token),
];

fn handler(op: &str) -> Option<Handler> {
    OPERATIONS
        .iter()
        .find(|(name, _)| *name == op)
        .map(|(_, h)| *h)
}

/// The names of the Cognito Identity operations served, sorted.
pub(crate) fn served() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = OPERATIONS.iter().map(|(name, _)| *name).collect();
    all.sort_unstable();
    all
}

/// One Cognito Identity operation (the part of the target after the prefix).
pub(crate) fn call(
    shared: &Shared,
    op: &str,
    body: &[u8],
    region_hint: Option<&str>,
) -> ApiResult<Value> {
    let handler = handler(op).ok_or_else(|| ops::not_served(op))?;
    let members = crate::protocol::parse_members(body)?;
    let input = Input::new(&members);
    // A signed call reaches only the identity pools of its own region.
    if let (Some(region), Some(Value::String(pool_id))) =
        (region_hint, members.get("IdentityPoolId"))
    {
        if region_of(pool_id) != region {
            return Err(unknown_pool(pool_id));
        }
    }
    ops::run_with(shared, region_hint, op, |ctx| handler(ctx, &input))
}

/// The region an identity pool or identity id starts with (`us-east-1:...`).
pub(crate) fn region_of(id: &str) -> &str {
    id.split(':').next().unwrap_or_default()
}

/// `<region>:<uuid>`, the shape of identity pool ids and identity ids.
pub(crate) fn new_id(region: &str) -> ApiResult<String> {
    let uuid = crate::ids::uuid_v4().map_err(|_| ApiError::internal("no randomness"))?;
    Ok(format!("{region}:{uuid}"))
}

/// Checks an id member against `<region>:<uuid>` (the model's pattern), with AWS's message.
pub(crate) fn check_id(member: &str, value: &str) -> ApiResult<()> {
    let ok = value.len() <= 55
        && value.split_once(':').is_some_and(|(region, rest)| {
            !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{}' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
            lower_camel(member)
        )))
    }
}

/// `MaxResults` of the list operations: required, 1 to 60.
pub(crate) fn max_results(input: &Input<'_>) -> ApiResult<usize> {
    match input.opt_i64("MaxResults")? {
        Some(n) if (1..=60).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy \
             constraint: Member must have value between 1 and 60"
        ))),
        None => Err(ApiError::missing_member("MaxResults")),
    }
}

fn lower_camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
