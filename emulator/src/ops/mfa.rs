//! MFA settings and the software token: AdminSetUserMFAPreference / SetUserMFAPreference,
//! AssociateSoftwareToken and VerifySoftwareToken (with an access token, or with the Session of
//! an MFA_SETUP challenge).

use serde_json::{json, Value};

use super::flow::{present, take_session};
use super::issue::check_access_token;
use super::{internal, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::input::Input;
use crate::store::{MfaKind, Stage, User};
use crate::totp;

fn apply_preferences(user: &mut User, input: &Input<'_>) -> ApiResult<()> {
    for (member, kind) in [
        ("SMSMfaSettings", MfaKind::Sms),
        ("SoftwareTokenMfaSettings", MfaKind::Totp),
        ("EmailMfaSettings", MfaKind::Email),
    ] {
        let Some(settings) = input.opt_object(member)? else {
            continue;
        };
        let enabled = settings.opt_bool("Enabled")?;
        let preferred = settings.opt_bool("PreferredMfa")?.unwrap_or(false);
        if enabled == Some(true) || preferred {
            match kind {
                MfaKind::Totp if user.mfa.totp_secret.is_none() => {
                    return Err(ApiError::invalid_parameter(
                        "User has not verified software token mfa",
                    ))
                }
                MfaKind::Sms if user.attribute("phone_number").is_none() => {
                    return Err(ApiError::invalid_parameter(
                        "User does not have a phone number for SMS MFA",
                    ))
                }
                MfaKind::Email if user.attribute("email").is_none() => {
                    return Err(ApiError::invalid_parameter(
                        "User does not have an email address for email MFA",
                    ))
                }
                _ => {}
            }
            if !user.mfa.enabled.contains(&kind) {
                user.mfa.enabled.push(kind);
            }
        } else if enabled == Some(false) {
            user.mfa.enabled.retain(|k| *k != kind);
            if user.mfa.preferred == Some(kind) {
                user.mfa.preferred = None;
            }
        }
        if preferred {
            user.mfa.preferred = Some(kind);
        } else if user.mfa.preferred == Some(kind)
            && settings.opt_bool("PreferredMfa")? == Some(false)
        {
            user.mfa.preferred = None;
        }
    }
    Ok(())
}

pub(super) fn admin_set_user_mfa_preference(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    apply_preferences(user, input)?;
    Ok(json!({}))
}

pub(super) fn set_user_mfa_preference(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    apply_preferences(user, input)?;
    Ok(json!({}))
}

/// PreferredMfaSetting and UserMFASettingList for AdminGetUser / GetUser.
pub(super) fn add_mfa_fields(body: &mut Value, user: &User) {
    let list: Vec<&str> = super::flow::usable_mfa(user)
        .iter()
        .map(|k| k.challenge())
        .collect();
    if !list.is_empty() {
        body["UserMFASettingList"] = json!(list);
    }
    if let Some(p) = user.mfa.preferred {
        body["PreferredMfaSetting"] = json!(p.challenge());
    }
}

fn new_secret() -> ApiResult<String> {
    Ok(totp::encode_secret(
        &ids::random_bytes(20).map_err(internal)?,
    ))
}

pub(super) fn associate_software_token(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let secret = new_secret()?;
    let mut store = ctx.store();
    if let Some(token) = input.opt_str("AccessToken")? {
        let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
        let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
        user.mfa.pending_totp_secret = Some(secret.clone());
        return Ok(json!({ "SecretCode": secret }));
    }
    let session_id = input
        .opt_str("Session")?
        .ok_or_else(|| ApiError::invalid_parameter("Either AccessToken or Session is required"))?;
    let client_id = store
        .sessions
        .get(session_id)
        .map(|s| s.client_id.clone())
        .ok_or_else(|| ApiError::not_authorized("Invalid session for the user."))?;
    let mut session = take_session(ctx, &mut store, session_id, &client_id)?;
    if !matches!(session.stage, Stage::MfaSetup) {
        return Err(ApiError::not_authorized("Invalid session for the user."));
    }
    session.totp_secret = Some(secret.clone());
    session.totp_verified = false;
    let out = present(ctx, &mut store, session)?;
    Ok(json!({ "SecretCode": secret, "Session": out["Session"] }))
}

pub(super) fn verify_software_token(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let code = input.str("UserCode")?;
    let now = ctx.now();
    let mismatch = || {
        ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        )
    };
    let mut store = ctx.store();
    if let Some(token) = input.opt_str("AccessToken")? {
        let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
        let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
        let secret = user.mfa.pending_totp_secret.clone().ok_or_else(|| {
            ApiError::invalid_parameter("User has not associated a software token")
        })?;
        if !totp::verify(&secret, code, now) {
            return Err(mismatch());
        }
        user.mfa.totp_secret = Some(secret);
        user.mfa.pending_totp_secret = None;
        return Ok(json!({ "Status": "SUCCESS" }));
    }
    let session_id = input
        .opt_str("Session")?
        .ok_or_else(|| ApiError::invalid_parameter("Either AccessToken or Session is required"))?;
    let client_id = store
        .sessions
        .get(session_id)
        .map(|s| s.client_id.clone())
        .ok_or_else(|| ApiError::not_authorized("Invalid session for the user."))?;
    let mut session = take_session(ctx, &mut store, session_id, &client_id)?;
    let ok = session
        .totp_secret
        .as_deref()
        .is_some_and(|s| totp::verify(s, code, now));
    if !ok {
        let err = mismatch();
        return Err(super::flow::retry_or_fail(&mut store, session, err));
    }
    session.totp_verified = true;
    let out = present(ctx, &mut store, session)?;
    Ok(json!({ "Status": "SUCCESS", "Session": out["Session"] }))
}
