//! Refresh-token rotation (an app client's `RefreshTokenRotation`), as Cognito documents it:
//! with `Feature: ENABLED`, every GetTokensFromRefreshToken returns a new refresh token that
//! lasts as long as the one it replaces had left; the replaced one keeps working for
//! `RetryGracePeriodSeconds` (0 to 60) so a client can retry, and is refused after that.
//! REFRESH_TOKEN_AUTH is refused on such clients. Presenting a rotated-out token after its grace
//! period is taken as theft: the whole family (every token descended from the same sign-in,
//! sharing its `origin_jti`) is revoked, with the access tokens issued from it.

use super::context::Ctx;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::store::{AppClient, RevokedFamily, RotatedOut, Store};
use crate::tokens::fingerprint;

/// An app client's rotation setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rotation {
    pub grace_secs: i64,
}

/// The client's rotation, if enabled (its `RefreshTokenRotation` setting, which the model's
/// constraints checked when the client was created or updated: grace 0 to 60 seconds).
pub(crate) fn rotation(client: &AppClient) -> Option<Rotation> {
    let setting = client.config.refresh_token_rotation.as_ref()?;
    (setting.feature.as_str() == "ENABLED").then(|| Rotation {
        grace_secs: setting
            .retry_grace_period_seconds
            .map(i64::from)
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
    let fp = fingerprint(token);
    if let Some(record) = store.refresh_tokens.get(&fp) {
        if store
            .rotation
            .revoked_families
            .contains_key(&record.origin_jti)
        {
            return Err(ApiError::not_authorized("Refresh Token has been revoked"));
        }
    }
    let Some(out) = store.rotation.rotated_out.get(&fp) else {
        return Ok(());
    };
    if now - out.at <= rotation.grace_secs {
        return Ok(());
    }
    let (family, expires) = (out.family.clone(), out.expires);
    revoke_family(store, &family, now, expires);
    Err(invalid())
}

fn revoke_family(store: &mut Store, family: &str, now: i64, expires: i64) {
    store.refresh_tokens.retain(|_, r| r.origin_jti != family);
    store.access_tokens.retain(|_, r| r.origin_jti != family);
    store
        .rotation
        .revoked_families
        .insert(family.to_owned(), RevokedFamily { at: now, expires });
}

/// After a successful rotating refresh: a new refresh token in the family of `token`, with the
/// lifetime `token` had left; `token` is rotated out (once: a retry in the grace period keeps
/// the first rotation time). Returns the new token.
pub(super) fn rotate(ctx: &Ctx<'_>, store: &mut Store, token: &str) -> ApiResult<String> {
    let now = ctx.now();
    let fp = fingerprint(token);
    // The same record (every field of it) under the new token's fingerprint.
    let replacement = store.refresh_tokens.get(&fp).ok_or_else(invalid)?.clone();
    let next = format!(
        "{}.{}",
        crate::ids::opaque(32).map_err(no_randomness)?,
        crate::ids::opaque(96).map_err(no_randomness)?
    );
    let rotated = RotatedOut {
        at: now,
        family: replacement.origin_jti.clone(),
        expires: replacement.expires,
    };
    store.refresh_tokens.insert(fingerprint(&next), replacement);
    if !store.rotation.rotated_out.contains_key(&fp) {
        store.rotation.rotated_out.insert(fp, rotated);
    }
    Ok(next)
}
