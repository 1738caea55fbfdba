//! Calls made with an access token or refresh token: GetUser, GetUserAuthFactors,
//! GlobalSignOut, RevokeToken, DeleteUser, SetUserSettings.

use super::context::Ctx;
use super::issue::check_access_token;
use super::shapes::{attributes, mfa_options};
use crate::error::{ApiError, ApiResult};
use crate::model as m;

pub(super) fn get_user(ctx: &Ctx<'_>, input: m::GetUserInput) -> ApiResult<m::GetUserOutput> {
    let store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let user = store.pool(&pool_id)?.user(&username)?;
    let (preferred, list) = super::mfa::mfa_fields(user);
    let mut out = m::GetUserOutput::builder()
        .username(user.username.clone())
        .set_user_attributes(Some(attributes(user)));
    if let Some(o) = mfa_options(user) {
        out = out.set_mfa_options(Some(o));
    }
    if let Some(p) = preferred {
        out = out.preferred_mfa_setting(p);
    }
    if let Some(l) = list {
        out = out.set_user_mfa_setting_list(Some(l));
    }
    Ok(out.build()?)
}

/// The sign-in factors the user has set up: PASSWORD with a password, EMAIL_OTP / SMS_OTP
/// where the pool allows them as first factors and the user has the address.
pub(super) fn get_user_auth_factors(
    ctx: &Ctx<'_>,
    input: m::GetUserAuthFactorsInput,
) -> ApiResult<m::GetUserAuthFactorsOutput> {
    let store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let pool = store.pool(&pool_id)?;
    let user = pool.user(&username)?;
    let mut factors = Vec::new();
    if user.password.is_some() {
        factors.push(m::AuthFactorType::Password);
    }
    let allows = |f: &str| pool.first_factors.iter().any(|x| x == f);
    if allows("EMAIL_OTP") && user.attribute("email").is_some() {
        factors.push(m::AuthFactorType::EmailOtp);
    }
    if allows("SMS_OTP") && user.attribute("phone_number").is_some() {
        factors.push(m::AuthFactorType::SmsOtp);
    }
    let (preferred, list) = super::mfa::mfa_fields(user);
    let mut out = m::GetUserAuthFactorsOutput::builder()
        .username(user.username.clone())
        .set_configured_user_auth_factors(Some(factors));
    if let Some(p) = preferred {
        out = out.preferred_mfa_setting(p);
    }
    if let Some(l) = list {
        out = out.set_user_mfa_setting_list(Some(l));
    }
    Ok(out.build()?)
}

/// Signs the user out everywhere: every refresh and access token issued so far stops working.
pub(super) fn global_sign_out(
    ctx: &Ctx<'_>,
    input: m::GlobalSignOutInput,
) -> ApiResult<m::GlobalSignOutOutput> {
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    super::users::sign_out_everywhere(&mut store, &pool_id, &username)?;
    Ok(m::GlobalSignOutOutput::builder().build()?)
}

/// DeleteUser: the user deletes themself.
pub(super) fn delete_user(
    ctx: &Ctx<'_>,
    input: m::DeleteUserInput,
) -> ApiResult<m::DeleteUserOutput> {
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    super::users::remove_user(&mut store, &pool_id, &username)?;
    Ok(m::DeleteUserOutput::builder().build()?)
}

pub(super) fn set_user_settings(
    ctx: &Ctx<'_>,
    input: m::SetUserSettingsInput,
) -> ApiResult<m::SetUserSettingsOutput> {
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    super::users::apply_mfa_options(user, &input.mfa_options)?;
    Ok(m::SetUserSettingsOutput::builder().build()?)
}

/// Revokes a refresh token and the access tokens issued from it.
pub(crate) fn revoke_token(
    ctx: &Ctx<'_>,
    input: m::RevokeTokenInput,
) -> ApiResult<m::RevokeTokenOutput> {
    let client_id = input.client_id.as_str();
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let client = store.pool(&pool_id)?.client(client_id)?;
    if client.has_secret() {
        match input.client_secret.as_deref() {
            Some(given) if client.secret_matches(given) => {}
            _ => {
                return Err(ApiError::not_authorized(format!(
                    "Unable to verify secret hash for client {client_id}"
                )))
            }
        }
    }
    if client.config.enable_token_revocation == Some(false) {
        return Err(ApiError::new(
            "UnsupportedOperationException",
            "Token revocation is not enabled for this app client.",
        ));
    }
    let token = input.token.as_str();
    if crate::tokens::claims(token).is_some() {
        return Err(ApiError::new(
            "UnsupportedTokenTypeException",
            "Only refresh tokens can be revoked",
        ));
    }
    let fingerprint = crate::tokens::fingerprint(token);
    let Some(record) = store.refresh_tokens.get(&fingerprint) else {
        return Ok(m::RevokeTokenOutput::builder().build()?);
    };
    if record.client_id != client_id {
        return Err(ApiError::new(
            "UnauthorizedException",
            "The token was not issued to this client",
        ));
    }
    let origin = record.origin_jti.clone();
    // Every refresh token of the sign-in (a rotating client's family shares the origin).
    store.refresh_tokens.retain(|_, r| r.origin_jti != origin);
    store.access_tokens.retain(|_, r| r.origin_jti != origin);
    Ok(m::RevokeTokenOutput::builder().build()?)
}
