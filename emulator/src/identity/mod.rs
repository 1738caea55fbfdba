//! Identity pools (the Cognito Identity API, `X-Amz-Target: AWSCognitoIdentityService.<Op>`),
//! served on the same port as the user pools: pool administration, identities, the enhanced
//! flow's credentials and the basic flow's OpenID token. `Logins` tokens from this emulator's
//! user pools are verified as Cognito does: signature (the JWKS), issuer, audience, expiry.
//!
//! The state is one struct (`state::IdentityState`) inside the store: identity pools (with their
//! roles) and identities are `Tracked` maps, persisted with the rest of the store (tables
//! `identity_pool` and `identity` in `persist::records`); the login index is rebuilt from the
//! identities on load, and the record of issued credentials lives in memory only.

mod credentials;
mod identities;
mod input;
mod logins;
mod pools;
mod region_ids;
mod roles;
pub(crate) mod state;

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::ops::context::Ctx;
use crate::ops::run::run_with;
use crate::shared::Shared;
use region_ids::region_of;
use state::unknown_pool;

pub(crate) use input::Input;
pub(crate) use pools::seeded_pool;
pub use state::IssuedCredentials;

/// The `X-Amz-Target` prefix of the Cognito Identity service.
pub(crate) const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// A Cognito Identity operation's handler: it reads its members through [`Input`] (the
/// user-pool operations decode the generated inputs of `cognito-idp` instead; the identity
/// model's types are not built into the emulator).
type Handler = fn(&Ctx<'_>, &Input<'_>) -> ApiResult<Value>;

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
    let handler = handler(op).ok_or_else(|| ApiError::unknown_operation(op))?;
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
    run_with(shared, region_hint, op, |ctx| handler(ctx, &input))
}
