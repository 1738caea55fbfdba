//! What follows a verified first factor, in Cognito's order: NEW_PASSWORD_REQUIRED, then the
//! device (a remembered device skips MFA), MFA (or MFA_SETUP), DEVICE_SRP_AUTH, then tokens.
//! Also how a session is registered and a challenge presented.

use std::collections::BTreeMap;

use serde_json::json;

use super::context::Ctx;
use super::issue::{issue, Grant};
use super::shapes::{mask_email, mask_phone};
use super::step::Step;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::store::{
    CodeKind, MfaKind, MfaMode, SentCode, Session, Stage, Store, User, UserStatus,
    SESSION_VALIDITY_SECS,
};

/// Registers `session` under a fresh id and returns the challenge response for its stage.
pub(super) fn present(ctx: &Ctx<'_>, store: &mut Store, mut session: Session) -> ApiResult<Step> {
    session.id = ids::opaque(96).map_err(no_randomness)?;
    session.created = ctx.now();
    session.validity_secs = store
        .pool(&session.pool_id)
        .and_then(|p| p.client(&session.client_id))
        .map(|c| c.session_validity_secs)
        .unwrap_or(SESSION_VALIDITY_SECS);
    let mut params = session.params.clone();
    params
        .entry("USERNAME".into())
        .or_insert_with(|| session.username.clone());
    let available = match &session.stage {
        Stage::SelectChallenge { options } => Some(options.clone()),
        _ => None,
    };
    let out = Step::Challenge {
        name: session.stage.challenge_name().to_owned(),
        session: session.id.clone(),
        parameters: params,
        available,
    };
    match &session.stage {
        Stage::PasswordVerifier { secret_block, .. }
        | Stage::DevicePasswordVerifier { secret_block, .. } => {
            store
                .secret_blocks
                .insert(secret_block.clone(), session.id.clone());
        }
        _ => {}
    }
    if store.sessions.len() % 512 == 511 {
        store.sweep(ctx.now());
    }
    store.sessions.insert(session.id.clone(), session);
    Ok(out)
}

/// Takes a session out of the store for answering: unknown, expired or another client's
/// sessions are refused the way Cognito refuses them.
pub(super) fn take_session(
    ctx: &Ctx<'_>,
    store: &mut Store,
    id: &str,
    client_id: &str,
) -> ApiResult<Session> {
    let invalid = || ApiError::not_authorized("Invalid session for the user.");
    let session = store.sessions.get(id).ok_or_else(invalid)?;
    if session.client_id != client_id {
        return Err(invalid());
    }
    let session = store.sessions.remove(id).ok_or_else(invalid)?;
    if ctx.now() - session.created > session.validity_secs {
        return Err(ApiError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    if let Stage::PasswordVerifier { secret_block, .. }
    | Stage::DevicePasswordVerifier { secret_block, .. } = &session.stage
    {
        store.secret_blocks.remove(secret_block);
    }
    Ok(session)
}

fn user_of<'s>(store: &'s Store, session: &Session) -> ApiResult<&'s User> {
    store.pool(&session.pool_id)?.user(&session.username)
}

/// Refusals that depend on the user's state, checked once the password is known to be right
/// (so they do not reveal anything to someone without it).
pub(super) fn check_user_state(ctx: &Ctx<'_>, user: &User) -> ApiResult<()> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    match user.status {
        UserStatus::Unconfirmed => Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        )),
        UserStatus::ForceChangePassword => {
            match user.password.as_ref().and_then(|p| p.temporary_expires) {
                Some(exp) if exp < ctx.now() => Err(ApiError::not_authorized(
                    "Temporary password has expired and must be reset by an administrator.",
                )),
                _ => Ok(()),
            }
        }
        UserStatus::Confirmed => Ok(()),
        UserStatus::ResetRequired => Err(ApiError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        )),
    }
}

/// The next step after a verified factor (or answered challenge).
pub(super) fn advance(ctx: &Ctx<'_>, store: &mut Store, mut session: Session) -> ApiResult<Step> {
    session.params.clear();
    session.failures = 0;
    let user = user_of(store, &session)?;
    let pool = store.pool(&session.pool_id)?;

    if user.status == UserStatus::ForceChangePassword && !session.new_password_done {
        let attrs: BTreeMap<&str, &str> = user
            .attributes
            .iter()
            .filter(|(k, _)| k.as_str() != "sub")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let required: Vec<String> = pool
            .required_attributes
            .iter()
            .filter(|a| !user.attributes.contains_key(a.as_str()))
            .map(|a| format!("userAttributes.{a}"))
            .collect();
        session
            .params
            .insert("userAttributes".into(), json!(attrs).to_string());
        session
            .params
            .insert("requiredAttributes".into(), json!(required).to_string());
        session
            .params
            .insert("USER_ID_FOR_SRP".into(), user.username.clone());
        session.stage = Stage::NewPasswordRequired;
        return present(ctx, store, session);
    }

    // The device the client named, if any: it must be one of this user's.
    let (confirmed_device, remembered) = match &session.device_key {
        Some(key) => match user.devices.get(key) {
            Some(d) => (
                d.verifier.is_some(),
                d.verifier.is_some() && d.remembered == Some(true),
            ),
            None => return Err(ApiError::resource_not_found("Device does not exist.")),
        },
        None => (false, false),
    };
    let pool_tracks_devices = pool.device().is_some();
    let username = user.username.clone();

    if !session.mfa_done && session.password_factor && !session.custom && !remembered {
        if let Some(value) = start_mfa(ctx, store, &mut session)? {
            return Ok(value);
        }
    }
    session.mfa_done = true;

    if confirmed_device && !session.device_done {
        session.stage = Stage::DeviceSrpAuth;
        return present(ctx, store, session);
    }

    super::security::signed_in(store, &session.pool_id, &username, ctx.now());
    let new_device = pool_tracks_devices && session.device_key.is_none();
    let device_key = if session.device_done {
        session.device_key.clone()
    } else {
        None
    };
    issue(
        ctx,
        store,
        Grant {
            pool_id: &session.pool_id,
            client_id: &session.client_id,
            username: &username,
            device_key: device_key.as_deref(),
            auth_time: ctx.now(),
            refreshing: None,
            new_device,
            source: if session.new_password_done {
                "TokenGeneration_NewPasswordChallenge"
            } else if session.device_done {
                "TokenGeneration_AuthenticateDevice"
            } else {
                "TokenGeneration_Authentication"
            },
            client_metadata: Some(&session.client_metadata),
            oauth: None,
        },
    )
}

/// The MFA methods a user can be asked for now.
pub(super) fn usable_mfa(user: &User) -> Vec<MfaKind> {
    user.mfa
        .enabled
        .iter()
        .copied()
        .filter(|k| match k {
            MfaKind::Totp => user.mfa.totp_secret.is_some(),
            MfaKind::Sms => user.attribute("phone_number").is_some(),
            MfaKind::Email => user.attribute("email").is_some(),
        })
        .collect()
}

/// Whether the pool offers an MFA method: a pool never given SetUserPoolMfaConfig offers all
/// of them; after it, the methods it enabled.
pub(super) fn pool_offers(pool: &crate::store::Pool, kind: MfaKind) -> bool {
    let c = &pool.config;
    if c.software_token_mfa.is_none() && c.sms_mfa.is_none() && c.email_mfa.is_none() {
        return true;
    }
    match kind {
        MfaKind::Totp => c.software_token_mfa.as_ref().and_then(|s| s.enabled) == Some(true),
        MfaKind::Sms => c.sms_mfa.is_some(),
        MfaKind::Email => c.email_mfa.is_some(),
    }
}

/// Presents the MFA challenge the pool and user call for; None if there is none.
fn start_mfa(ctx: &Ctx<'_>, store: &mut Store, session: &mut Session) -> ApiResult<Option<Step>> {
    let pool = store.pool(&session.pool_id)?;
    if pool.mfa == MfaMode::Off {
        return Ok(None);
    }
    let user = pool.user(&session.username)?;
    let usable: Vec<MfaKind> = usable_mfa(user)
        .into_iter()
        .filter(|k| pool_offers(pool, *k))
        .collect();
    let kind = if usable.is_empty() {
        if pool.mfa == MfaMode::On {
            session.params.insert(
                "MFAS_CAN_SETUP".into(),
                json!(["SOFTWARE_TOKEN_MFA"]).to_string(),
            );
            session.stage = Stage::MfaSetup;
            let s = std::mem::replace(session, Session::new("", "", "", 0));
            return present(ctx, store, s).map(Some);
        }
        return Ok(None);
    } else if let Some(p) = user.mfa.preferred.filter(|p| usable.contains(p)) {
        p
    } else if usable.len() == 1 {
        usable[0]
    } else {
        let names: Vec<&str> = usable.iter().map(|k| k.challenge()).collect();
        session
            .params
            .insert("MFAS_CAN_CHOOSE".into(), json!(names).to_string());
        session.stage = Stage::SelectMfa { options: usable };
        let s = std::mem::replace(session, Session::new("", "", "", 0));
        return present(ctx, store, s).map(Some);
    };
    let s = std::mem::replace(session, Session::new("", "", "", 0));
    present_mfa(ctx, store, s, kind).map(Some)
}

/// Sends the code (SMS, email) if the method needs one and presents the MFA challenge.
pub(super) fn present_mfa(
    ctx: &Ctx<'_>,
    store: &mut Store,
    mut session: Session,
    kind: MfaKind,
) -> ApiResult<Step> {
    let user = user_of(store, &session)?;
    session
        .params
        .insert("USER_ID_FOR_SRP".into(), user.username.clone());
    let code = match kind {
        MfaKind::Totp => {
            session
                .params
                .insert("FRIENDLY_DEVICE_NAME".into(), "TOTP".into());
            None
        }
        MfaKind::Sms | MfaKind::Email => {
            let (attr, medium, code_kind) = if kind == MfaKind::Sms {
                ("phone_number", "SMS", CodeKind::Sms)
            } else {
                ("email", "EMAIL", CodeKind::Email)
            };
            let destination = user.attribute(attr).unwrap_or_default().to_owned();
            let masked = if kind == MfaKind::Sms {
                mask_phone(&destination)
            } else {
                mask_email(&destination)
            };
            session
                .params
                .insert("CODE_DELIVERY_DELIVERY_MEDIUM".into(), medium.into());
            session
                .params
                .insert("CODE_DELIVERY_DESTINATION".into(), masked);
            let code = ids::numeric_code().map_err(no_randomness)?;
            let name = user.username.clone();
            ctx.record_code(
                store,
                &session.pool_id,
                &name,
                SentCode {
                    kind: code_kind,
                    code: code.clone(),
                    destination,
                    message: None,
                    subject: None,
                },
            );
            Some(code)
        }
    };
    session.stage = Stage::Mfa { kind, code };
    present(ctx, store, session)
}

/// A code challenge answered wrongly: the session stays usable for a few more tries.
pub(super) fn retry_or_fail(store: &mut Store, mut session: Session, err: ApiError) -> ApiError {
    session.failures += 1;
    if session.failures < 5 {
        store.sessions.insert(session.id.clone(), session);
    }
    err
}
