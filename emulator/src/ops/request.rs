//! The parts of a sign-in request every flow reads, and the checks every flow that starts from
//! a USERNAME makes (client, flow enabled, SECRET_HASH, user exists).

use std::collections::BTreeMap;

use super::checks::check_secret_hash;
use crate::error::{ApiError, ApiResult};
use crate::store::Store;

/// The parts of an InitiateAuth request every flow reads.
pub(super) struct AuthRequest {
    pub client_id: String,
    pub flow: String,
    pub params: BTreeMap<String, String>,
    pub metadata: BTreeMap<String, String>,
}

pub(super) fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> ApiResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}

/// Client, pool and flow checks shared by the flows that start from a USERNAME: returns
/// (pool id, internal username). `flow` is `None` for the managed login pages, which the
/// client's ExplicitAuthFlows do not govern.
pub(super) fn start(
    store: &Store,
    req: &AuthRequest,
    flow: Option<&str>,
) -> ApiResult<(String, String)> {
    let pool_id = store.client_pool_id(&req.client_id)?;
    let pool = store.pool(&pool_id)?;
    let client = pool.client(&req.client_id)?;
    if let Some(flow) = flow.filter(|f| !client.allows(f)) {
        return Err(ApiError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )));
    }
    let username = param(&req.params, "USERNAME")?;
    check_secret_hash(
        client,
        username,
        req.params.get("SECRET_HASH").map(String::as_str),
    )?;
    match pool.resolve(username) {
        Some(key) => {
            let user = pool.user(&key)?;
            Ok((pool_id, user.username.clone()))
        }
        None if client.prevent_user_existence_errors => Err(ApiError::incorrect_credentials()),
        None => Err(ApiError::user_not_found()),
    }
}
