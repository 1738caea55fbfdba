//! RespondToAuthChallenge: finds the session (by Session, or by the SECRET_BLOCK for clients that
//! answer PASSWORD_VERIFIER without one), checks USERNAME and SECRET_HASH, and answers the stage.

use std::collections::BTreeMap;

use super::checks::{check_secret_hash, known};
use super::context::Ctx;
use super::flow::{advance, check_user_state, present, present_mfa, retry_or_fail, take_session};
use super::passwords::{check_policy, make_password};
use super::request::param;
use super::shapes::sorted;
use super::srp::{check_srp_a, enter_verifier_stage, verify_claim, Claimant};
use super::step::{step_output, Step};
use crate::error::{ApiError, ApiResult};
use crate::guard::constant_time_eq;
use crate::model as m;
use crate::store::{ChallengeResult, MfaKind, Session, Stage, UserStatus};
use crate::totp;

pub(super) fn admin_respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    input: m::AdminRespondToAuthChallengeInput,
) -> ApiResult<m::AdminRespondToAuthChallengeOutput> {
    if ctx.store().client_pool_id(&input.client_id)? != input.user_pool_id {
        return Err(ApiError::unknown_client(&input.client_id));
    }
    known("challengeName", &input.challenge_name)?;
    let step = respond(
        ctx,
        &input.client_id,
        input.challenge_name.as_str(),
        sorted(input.challenge_responses),
        input.session.as_deref(),
    )?;
    step_output!(m::AdminRespondToAuthChallengeOutput, step)
}

pub(super) fn respond_to_auth_challenge(
    ctx: &Ctx<'_>,
    input: m::RespondToAuthChallengeInput,
) -> ApiResult<m::RespondToAuthChallengeOutput> {
    known("challengeName", &input.challenge_name)?;
    let step = respond(
        ctx,
        &input.client_id,
        input.challenge_name.as_str(),
        sorted(input.challenge_responses),
        input.session.as_deref(),
    )?;
    step_output!(m::RespondToAuthChallengeOutput, step)
}

/// Answers the challenge a session is at (for the API and the managed login pages).
pub(crate) fn respond(
    ctx: &Ctx<'_>,
    client_id: &str,
    challenge: &str,
    responses: BTreeMap<String, String>,
    session_id: Option<&str>,
) -> ApiResult<Step> {
    let client_id = client_id.to_owned();

    let mut store = ctx.store();
    let pool_id = store.client_pool_id(&client_id)?;
    let id = match session_id {
        Some(s) => s.to_owned(),
        None => responses
            .get("PASSWORD_CLAIM_SECRET_BLOCK")
            .and_then(|b| store.secret_blocks.get(b))
            .cloned()
            .ok_or_else(|| ApiError::invalid_parameter("Missing required parameter Session"))?,
    };
    let username = param(&responses, "USERNAME")?.to_owned();
    // Checked before the session is taken, so a malformed answer does not end the sign-in.
    {
        let session = store
            .sessions
            .get(&id)
            .filter(|s| s.client_id == client_id)
            .ok_or_else(|| ApiError::not_authorized("Invalid session for the user."))?;
        if session.stage.challenge_name() != challenge {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid challenge name: the session expects {}",
                session.stage.challenge_name()
            )));
        }
        let pool = store.pool(&pool_id)?;
        let client = pool.client(&client_id)?;
        // USERNAME may be the internal name or an alias of the same user.
        if pool.resolve(&username) != pool.resolve(&session.username) {
            return Err(ApiError::not_authorized("Invalid session for the user."));
        }
        check_secret_hash(
            client,
            &username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
    }
    let session = take_session(ctx, &mut store, &id, &client_id)?;

    match session.stage {
        Stage::PasswordVerifier { .. } => {
            drop(store);
            password_verifier(ctx, session, &responses)
        }
        Stage::DevicePasswordVerifier { .. } => {
            drop(store);
            device_password_verifier(ctx, session, &responses)
        }
        Stage::DeviceSrpAuth => {
            drop(store);
            device_srp_auth(ctx, session, &responses)
        }
        Stage::NewPasswordRequired => {
            drop(store);
            new_password(ctx, session, &responses)
        }
        Stage::Mfa { .. } => {
            drop(store);
            mfa_code(ctx, session, &responses)
        }
        Stage::SelectMfa { ref options } => {
            let answer = param(&responses, "ANSWER")?;
            let kind = MfaKind::from_answer(answer)
                .filter(|k| options.contains(k))
                .ok_or_else(|| {
                    ApiError::invalid_parameter(format!("Invalid MFA type: {answer}"))
                })?;
            present_mfa(ctx, &mut store, session, kind)
        }
        Stage::MfaSetup => {
            let mut session = session;
            match (session.totp_verified, session.totp_secret.clone()) {
                (true, Some(secret)) => {
                    let pool = store.pool_mut(&pool_id)?;
                    let user = pool.user_mut(&session.username)?;
                    user.mfa.totp_secret = Some(secret);
                    if !user.mfa.enabled.contains(&MfaKind::Totp) {
                        user.mfa.enabled.push(MfaKind::Totp);
                    }
                    user.mfa.preferred = Some(MfaKind::Totp);
                    session.mfa_done = true;
                    advance(ctx, &mut store, session)
                }
                _ => Err(ApiError::invalid_parameter(
                    "Software token has not been verified for this session. Call AssociateSoftwareToken and VerifySoftwareToken first.",
                )),
            }
        }
        Stage::Custom { .. } => {
            drop(store);
            super::custom::answer_custom(ctx, session, &responses)
        }
        Stage::SelectChallenge { .. } => {
            drop(store);
            super::custom::answer_select(ctx, session, &responses)
        }
        Stage::EmailOtp { .. } => {
            drop(store);
            super::custom::answer_email_otp(ctx, session, &responses)
        }
    }
}

fn password_verifier(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let Stage::PasswordVerifier {
        ref server,
        ref srp_a,
        ref secret_block,
    } = session.stage
    else {
        return Err(ApiError::internal("stage"));
    };
    let realm = session
        .pool_id
        .split_once('_')
        .map(|(_, n)| n.to_owned())
        .unwrap_or_default();
    // Locked out: refused before the claim is checked, so guessing learns nothing.
    ctx.store()
        .guard
        .check_sign_in(&session.pool_id, &session.username, ctx.now())?;
    let outcome = verify_claim(
        ctx,
        server,
        srp_a,
        secret_block,
        &realm,
        &session.username,
        responses,
    );
    let mut store = ctx.store();
    if matches!(&outcome, Err(e) if e.message == crate::error::INCORRECT_CREDENTIALS) {
        super::security::sign_in_failed(&mut store, &session.pool_id, &session.username, ctx.now());
    }
    if session.custom {
        let ok = outcome.is_ok();
        if let Err(e) = &outcome {
            if e.code != "NotAuthorizedException" {
                return Err(e.clone());
            }
        }
        session.custom_history.push(ChallengeResult {
            challenge_name: "PASSWORD_VERIFIER".into(),
            challenge_result: ok,
            challenge_metadata: None,
        });
        outcome?;
        check_user_state(ctx, store.pool(&session.pool_id)?.user(&session.username)?)?;
        return super::custom::next_custom(ctx, store, session);
    }
    outcome?;
    check_user_state(ctx, store.pool(&session.pool_id)?.user(&session.username)?)?;
    if let Some(d) = responses.get("DEVICE_KEY") {
        session.device_key = Some(d.clone());
    }
    advance(ctx, &mut store, session)
}

fn device_srp_auth(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let device_key = param(responses, "DEVICE_KEY")?.to_owned();
    let srp_a = param(responses, "SRP_A")?.to_owned();
    if session.device_key.as_deref() != Some(device_key.as_str()) {
        return Err(ApiError::resource_not_found("Device does not exist."));
    }
    check_srp_a(&srp_a)?;
    let verifier = {
        let store = ctx.store();
        let user = store.pool(&session.pool_id)?.user(&session.username)?;
        let device = user
            .devices
            .get(&device_key)
            .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?;
        device
            .verifier
            .clone()
            .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?
    };
    enter_verifier_stage(&mut session, &verifier, srp_a, Claimant::Device(device_key))?;
    let mut store = ctx.store();
    present(ctx, &mut store, session)
}

fn device_password_verifier(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let Stage::DevicePasswordVerifier {
        ref server,
        ref srp_a,
        ref secret_block,
        ref device_key,
    } = session.stage
    else {
        return Err(ApiError::internal("stage"));
    };
    let group_key = {
        let store = ctx.store();
        let user = store.pool(&session.pool_id)?.user(&session.username)?;
        user.devices
            .get(device_key)
            .map(|d| d.group_key.clone())
            .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?
    };
    verify_claim(
        ctx,
        server,
        srp_a,
        secret_block,
        &group_key,
        device_key,
        responses,
    )?;
    let device_key = device_key.clone();
    let now = ctx.now();
    let mut store = ctx.store();
    if let Ok(user) = store
        .pool_mut(&session.pool_id)
        .and_then(|p| p.user_mut(&session.username))
    {
        if let Some(d) = user.devices.get_mut(&device_key) {
            d.last_authenticated = now;
        }
    }
    session.device_done = true;
    session.mfa_done = true;
    advance(ctx, &mut store, session)
}

fn new_password(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let mut store = ctx.store();
    let given: Vec<(String, String)> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.")
                .map(|a| (a.to_owned(), v.clone()))
        })
        .collect();
    // A password the policy refuses or a missing attribute leaves the session usable.
    let checked = (|| {
        let password = param(responses, "NEW_PASSWORD")?;
        let pool = store.pool(&session.pool_id)?;
        let user = pool.user(&session.username)?;
        check_policy(pool, password)?;
        for required in &pool.required_attributes {
            if !user.attributes.contains_key(required) && !given.iter().any(|(k, _)| k == required)
            {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid attributes given, {required} is missing"
                )));
            }
        }
        if given.iter().any(|(k, _)| k == "sub") {
            return Err(ApiError::invalid_parameter(
                "Cannot modify an attribute that is not mutable: sub",
            ));
        }
        make_password(pool.srp_realm(), &user.username, password, None)
    })();
    let stored = match checked {
        Ok(stored) => stored,
        Err(e) => return Err(retry_or_fail(&mut store, session, e)),
    };
    let now = ctx.now();
    let user = store
        .pool_mut(&session.pool_id)?
        .user_mut(&session.username)?;
    user.password = Some(stored);
    user.status = UserStatus::Confirmed;
    user.modified = now;
    for (k, v) in given {
        user.attributes.insert(k, v);
    }
    session.new_password_done = true;
    if let Some(d) = responses.get("DEVICE_KEY") {
        session.device_key = Some(d.clone());
    }
    advance(ctx, &mut store, session)
}

fn mfa_code(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let Stage::Mfa { kind, ref code } = session.stage else {
        return Err(ApiError::internal("stage"));
    };
    let member = match kind {
        MfaKind::Sms => "SMS_MFA_CODE",
        MfaKind::Totp => "SOFTWARE_TOKEN_MFA_CODE",
        MfaKind::Email => "EMAIL_OTP_CODE",
    };
    let answer = param(responses, member)?;
    let mut store = ctx.store();
    // Wrong MFA codes count towards the same lockout as wrong passwords.
    if let Err(e) = store
        .guard
        .check_sign_in(&session.pool_id, &session.username, ctx.now())
    {
        return Err(retry_or_fail(&mut store, session, e));
    }
    let ok = match kind {
        MfaKind::Totp => {
            let user = store.pool(&session.pool_id)?.user(&session.username)?;
            user.mfa
                .totp_secret
                .as_deref()
                .is_some_and(|s| totp::verify(s, answer, ctx.now()))
        }
        _ => code
            .as_deref()
            .is_some_and(|c| constant_time_eq(c.as_bytes(), answer.as_bytes())),
    };
    if !ok {
        super::security::sign_in_failed(&mut store, &session.pool_id, &session.username, ctx.now());
        return Err(retry_or_fail(
            &mut store,
            session,
            ApiError::code_mismatch(),
        ));
    }
    session.mfa_done = true;
    if let Some(d) = responses.get("DEVICE_KEY") {
        session.device_key = Some(d.clone());
    }
    advance(ctx, &mut store, session)
}
