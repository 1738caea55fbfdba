//! Refresh-token rotation (an app client's `RefreshTokenRotation`), as Cognito documents it:
//! with `Feature: ENABLED`, every GetTokensFromRefreshToken returns a new refresh token that
//! lasts as long as the one it replaces had left; the replaced one keeps working for
//! `RetryGracePeriodSeconds` (0 to 60) so a client can retry, and is refused after that.
//! REFRESH_TOKEN_AUTH is refused on such clients. Presenting a rotated-out token after its grace
//! period is taken as theft: the whole family (every token descended from the same sign-in,
//! sharing its `origin_jti`) is revoked, with the access tokens issued from it.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::{internal, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::store::{AppClient, RefreshRecord, Store};

/// Rotated-out refresh tokens and revoked families: its own struct, kept in the store.
#[derive(Default)]
pub struct RotationState {
    /// A refresh token that was rotated out -> when, and its family.
    pub rotated_out: HashMap<String, RotatedOut>,
    /// Families revoked because a rotated-out token was reused.
    pub revoked_families: HashSet<String>,
}

pub struct RotatedOut {
    pub at: i64,
    pub family: String,
    /// When the token would have expired anyway (the entry is dropped then).
    pub expires: i64,
}

/// An app client's rotation setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rotation {
    pub grace_secs: i64,
}

/// Validates `RefreshTokenRotation` of CreateUserPoolClient / UpdateUserPoolClient.
pub(super) fn check_setting(input: &Input<'_>) -> ApiResult<()> {
    let Some(setting) = input.opt_object("RefreshTokenRotation")? else {
        return Ok(());
    };
    match setting.opt_str("Feature")? {
        Some("ENABLED" | "DISABLED") => {}
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'refreshTokenRotation.feature' \
                 failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"
            )))
        }
        None => return Err(ApiError::missing_member("RefreshTokenRotation.Feature")),
    }
    if let Some(grace) = setting.opt_i64("RetryGracePeriodSeconds")? {
        if !(0..=60).contains(&grace) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{grace}' at \
                 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: \
                 Member must have value between 0 and 60"
            )));
        }
    }
    Ok(())
}

/// The client's rotation, if enabled (read from the settings it was created with).
pub(crate) fn rotation(client: &AppClient) -> Option<Rotation> {
    let setting = client.echo.get("RefreshTokenRotation")?;
    (setting.get("Feature").and_then(Value::as_str) == Some("ENABLED")).then(|| Rotation {
        grace_secs: setting
            .get("RetryGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0),
    })
}

/// REFRESH_TOKEN_AUTH on a rotating client.
pub(super) fn refresh_token_auth_refused() -> ApiError {
    ApiError::invalid_parameter(
        "REFRESH_TOKEN_AUTH flow not enabled for this client: it rotates refresh tokens, \
         refresh with GetTokensFromRefreshToken",
    )
}

fn invalid() -> ApiError {
    ApiError::not_authorized("Invalid Refresh Token")
}

/// Before a rotating refresh: refuses a token of a revoked family, and a rotated-out token
/// past its grace period (which revokes its family).
pub(super) fn check_before_refresh(
    store: &mut Store,
    token: &str,
    rotation: Rotation,
    now: i64,
) -> ApiResult<()> {
    if let Some(record) = store.refresh_tokens.get(token) {
        if store.rotation.revoked_families.contains(&record.origin_jti) {
            return Err(ApiError::not_authorized("Refresh Token has been revoked"));
        }
    }
    let Some(out) = store.rotation.rotated_out.get(token) else {
        return Ok(());
    };
    if now - out.at <= rotation.grace_secs {
        return Ok(());
    }
    let family = out.family.clone();
    revoke_family(store, &family);
    Err(invalid())
}

fn revoke_family(store: &mut Store, family: &str) {
    store.refresh_tokens.retain(|_, r| r.origin_jti != family);
    store.access_tokens.retain(|_, r| r.origin_jti != family);
    store.rotation.revoked_families.insert(family.to_owned());
}

/// After a successful rotating refresh: a new refresh token in the family of `token`, with the
/// lifetime `token` had left; `token` is rotated out (once: a retry in the grace period keeps
/// the first rotation time). Returns the new token.
pub(super) fn rotate(ctx: &Ctx<'_>, store: &mut Store, token: &str) -> ApiResult<String> {
    let now = ctx.now();
    let record = store.refresh_tokens.get(token).ok_or_else(invalid)?;
    let next = format!(
        "{}.{}",
        crate::ids::opaque(32).map_err(internal)?,
        crate::ids::opaque(96).map_err(internal)?
    );
    let replacement = RefreshRecord {
        pool_id: record.pool_id.clone(),
        client_id: record.client_id.clone(),
        username: record.username.clone(),
        origin_jti: record.origin_jti.clone(),
        device_key: record.device_key.clone(),
        auth_time: record.auth_time,
        expires: record.expires,
        generation: record.generation,
    };
    let family = record.origin_jti.clone();
    let expires = record.expires;
    store.refresh_tokens.insert(next.clone(), replacement);
    store
        .rotation
        .rotated_out
        .entry(token.to_owned())
        .or_insert(RotatedOut {
            at: now,
            family,
            expires,
        });
    store.rotation.rotated_out.retain(|_, r| r.expires > now);
    Ok(next)
}

/// Puts the new refresh token into an operation's AuthenticationResult.
pub(super) fn add_refresh_token(out: &mut Value, token: String) {
    if let Some(result) = out
        .get_mut("AuthenticationResult")
        .and_then(Value::as_object_mut)
    {
        result.insert("RefreshToken".into(), json!(token));
    }
}
