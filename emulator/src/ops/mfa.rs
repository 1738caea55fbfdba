//! MFA settings and the software token: AdminSetUserMFAPreference / SetUserMFAPreference,
//! AssociateSoftwareToken and VerifySoftwareToken (with an access token, or with the Session of
//! an MFA_SETUP challenge).

use super::context::Ctx;
use super::flow::{present, take_session};
use super::issue::check_access_token;
use super::step::Step;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::store::{MfaKind, Stage, User};
use crate::totp;

/// One method's settings of an MFA preference request: (enabled, preferred).
type Preference = (Option<bool>, Option<bool>);

fn apply_preferences(
    user: &mut User,
    settings: [(Option<Preference>, MfaKind); 3],
) -> ApiResult<()> {
    for (setting, kind) in settings {
        let Some((enabled, preferred_flag)) = setting else {
            continue;
        };
        let preferred = preferred_flag.unwrap_or(false);
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
            if kind == MfaKind::Sms {
                user.mfa.sms_option = false;
            }
        }
        if preferred {
            user.mfa.preferred = Some(kind);
        } else if user.mfa.preferred == Some(kind) && preferred_flag == Some(false) {
            user.mfa.preferred = None;
        }
    }
    Ok(())
}

macro_rules! preferences {
    ($input:expr) => {
        [
            (
                $input
                    .sms_mfa_settings
                    .map(|s| (s.enabled, s.preferred_mfa)),
                MfaKind::Sms,
            ),
            (
                $input
                    .software_token_mfa_settings
                    .map(|s| (s.enabled, s.preferred_mfa)),
                MfaKind::Totp,
            ),
            (
                $input
                    .email_mfa_settings
                    .map(|s| (s.enabled, s.preferred_mfa)),
                MfaKind::Email,
            ),
        ]
    };
}

pub(super) fn admin_set_user_mfa_preference(
    ctx: &Ctx<'_>,
    input: m::AdminSetUserMfaPreferenceInput,
) -> ApiResult<m::AdminSetUserMfaPreferenceOutput> {
    let mut store = ctx.store();
    let user = store
        .pool_mut(&input.user_pool_id)?
        .user_mut(&input.username)?;
    apply_preferences(user, preferences!(input))?;
    Ok(m::AdminSetUserMfaPreferenceOutput::builder().build()?)
}

pub(super) fn set_user_mfa_preference(
    ctx: &Ctx<'_>,
    input: m::SetUserMfaPreferenceInput,
) -> ApiResult<m::SetUserMfaPreferenceOutput> {
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    apply_preferences(user, preferences!(input))?;
    Ok(m::SetUserMfaPreferenceOutput::builder().build()?)
}

/// PreferredMfaSetting and UserMFASettingList for AdminGetUser / GetUser.
pub(super) fn mfa_fields(user: &User) -> (Option<String>, Option<Vec<String>>) {
    let list: Vec<String> = super::flow::usable_mfa(user)
        .iter()
        .map(|k| k.challenge().to_owned())
        .collect();
    (
        user.mfa.preferred.map(|p| p.challenge().to_owned()),
        (!list.is_empty()).then_some(list),
    )
}

fn new_secret() -> ApiResult<String> {
    Ok(totp::encode_secret(
        &ids::random_bytes(20).map_err(no_randomness)?,
    ))
}

/// The secret and, for an MFA_SETUP session, the session that continues it.
pub(crate) fn associate(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    session: Option<&str>,
) -> ApiResult<(String, Option<String>)> {
    let secret = new_secret()?;
    let mut store = ctx.store();
    if let Some(token) = access_token {
        let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
        let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
        user.mfa.pending_totp_secret = Some(secret.clone());
        return Ok((secret, None));
    }
    let session_id = session
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
    let next = session_of(present(ctx, &mut store, session)?);
    Ok((secret, next))
}

fn session_of(step: Step) -> Option<String> {
    match step {
        Step::Challenge { session, .. } => Some(session),
        _ => None,
    }
}

pub(super) fn associate_software_token(
    ctx: &Ctx<'_>,
    input: m::AssociateSoftwareTokenInput,
) -> ApiResult<m::AssociateSoftwareTokenOutput> {
    let (secret, session) =
        associate(ctx, input.access_token.as_deref(), input.session.as_deref())?;
    let mut out = m::AssociateSoftwareTokenOutput::builder().secret_code(secret);
    if let Some(s) = session {
        out = out.session(s);
    }
    Ok(out.build()?)
}

/// Checks the first code of a new authenticator; for an MFA_SETUP session, returns the
/// session that continues the sign-in.
pub(crate) fn verify(
    ctx: &Ctx<'_>,
    access_token: Option<&str>,
    session: Option<&str>,
    code: &str,
) -> ApiResult<Option<String>> {
    let now = ctx.now();
    let mismatch = || {
        ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        )
    };
    let mut store = ctx.store();
    if let Some(token) = access_token {
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
        return Ok(None);
    }
    let session_id = session
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
    Ok(session_of(present(ctx, &mut store, session)?))
}

pub(super) fn verify_software_token(
    ctx: &Ctx<'_>,
    input: m::VerifySoftwareTokenInput,
) -> ApiResult<m::VerifySoftwareTokenOutput> {
    let session = verify(
        ctx,
        input.access_token.as_deref(),
        input.session.as_deref(),
        &input.user_code,
    )?;
    let mut out =
        m::VerifySoftwareTokenOutput::builder().status(m::VerifySoftwareTokenResponseType::Success);
    if let Some(s) = session {
        out = out.session(s);
    }
    Ok(out.build()?)
}
