//! Calls made with an access token or refresh token: GetUser, GlobalSignOut, RevokeToken.

use serde_json::{json, Value};

use super::issue::check_access_token;
use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;

pub(super) fn get_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let user = store.pool(&pool_id)?.user(&username)?;
    let mut body = json!({
        "Username": user.username,
        "UserAttributes": super::attributes_json(user),
    });
    super::mfa::add_mfa_fields(&mut body, user);
    Ok(body)
}

/// Signs the user out everywhere: every refresh and access token issued so far stops working.
pub(super) fn global_sign_out(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    user.token_generation += 1;
    store
        .refresh_tokens
        .retain(|_, r| !(r.pool_id == pool_id && r.username == username));
    Ok(json!({}))
}

/// Revokes a refresh token and the access tokens issued from it.
pub(super) fn revoke_token(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("Token")?;
    let client_id = input.str("ClientId")?;
    let client_secret = input.opt_str("ClientSecret")?;
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let client = store.pool(&pool_id)?.client(client_id)?;
    if let Some(secret) = &client.secret {
        match client_secret {
            Some(given) if super::constant_time_eq(given.as_bytes(), secret.as_bytes()) => {}
            _ => {
                return Err(ApiError::not_authorized(format!(
                    "Unable to verify secret hash for client {client_id}"
                )))
            }
        }
    }
    if crate::tokens::claims(token).is_some() {
        return Err(ApiError::new(
            "UnsupportedTokenTypeException",
            "Only refresh tokens can be revoked",
        ));
    }
    let fingerprint = crate::tokens::fingerprint(token);
    let Some(record) = store.refresh_tokens.get(&fingerprint) else {
        return Ok(json!({}));
    };
    if record.client_id != client_id {
        return Err(ApiError::new(
            "UnauthorizedException",
            "The token was not issued to this client",
        ));
    }
    let origin = record.origin_jti.clone();
    store.refresh_tokens.remove(&fingerprint);
    store.access_tokens.retain(|_, r| r.origin_jti != origin);
    Ok(json!({}))
}
