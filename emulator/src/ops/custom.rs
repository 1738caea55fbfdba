//! CUSTOM_AUTH through the pluggable hook (with or without SRP_A first) and USER_AUTH's choice
//! of first factor (PASSWORD, PASSWORD_SRP, EMAIL_OTP; PREFERRED_CHALLENGE or SELECT_CHALLENGE).

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use super::auth_challenge;
use super::context::Ctx;
use super::flow::{advance, check_user_state, present, retry_or_fail};
use super::lambda::EventUser;
use super::passwords::password_matches;
use super::request::{param, start, AuthRequest};
use super::shapes::mask_email;
use super::srp::{check_srp_a, enter_verifier_stage, user_srp_auth, Claimant};
use super::step::Step;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::guard::constant_time_eq;
use crate::hooks::Define;
use crate::ids;
use crate::store::{ChallengeResult, CodeKind, SentCode, Session, Stage, Store};

pub(super) fn custom_auth(ctx: &Ctx<'_>, req: &AuthRequest) -> ApiResult<Step> {
    {
        let store = ctx.store();
        let pool_id = store.client_pool_id(&req.client_id)?;
        auth_challenge::for_pool(ctx, &store, &pool_id)?;
    }
    if req.params.get("CHALLENGE_NAME").map(String::as_str) == Some("SRP_A") {
        return user_srp_auth(ctx, req, true);
    }
    let (pool_id, username) = start(&ctx.store(), req, Some("CUSTOM_AUTH"))?;
    super::lambda::pre_authentication(ctx, &req.client_id, &username, None, Some(&req.metadata))?;
    let store = ctx.store();
    let user = store.pool(&pool_id)?.user(&username)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.custom = true;
    session.password_factor = false;
    session.client_metadata = req.metadata.clone();
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    next_custom(ctx, store, session)
}

/// Asks DefineAuthChallenge what comes next and does it. The triggers run with the store
/// lock released (it is taken again to register the session).
pub(super) fn next_custom(
    ctx: &Ctx<'_>,
    store: MutexGuard<'_, Store>,
    mut session: Session,
) -> ApiResult<Step> {
    let challenges = auth_challenge::for_pool(ctx, &store, &session.pool_id)?;
    let user = EventUser::of(store.pool(&session.pool_id)?.user(&session.username)?);
    drop(store);
    match auth_challenge::define(ctx, &challenges, &session, &user)? {
        Define::Fail => Err(ApiError::incorrect_credentials()),
        Define::IssueTokens => {
            session.mfa_done = true;
            advance(ctx, &mut ctx.store(), session)
        }
        Define::Challenge(name) if name == "CUSTOM_CHALLENGE" => {
            let created = auth_challenge::create(ctx, &challenges, &session, &user, &name)?;
            session.params = created.public.clone();
            session.stage = Stage::Custom {
                private: created.private,
                metadata: created.metadata,
            };
            present(ctx, &mut ctx.store(), session)
        }
        Define::Challenge(name) => Err(ApiError::invalid_parameter(format!(
            "DefineAuthChallenge returned an unsupported challenge: {name}"
        ))),
    }
}

pub(super) fn answer_custom(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let answer = param(responses, "ANSWER")?;
    let Stage::Custom {
        ref private,
        ref metadata,
    } = session.stage
    else {
        return Err(ApiError::internal("stage"));
    };
    let (challenges, user) = {
        let store = ctx.store();
        let challenges = auth_challenge::for_pool(ctx, &store, &session.pool_id)?;
        let user = EventUser::of(store.pool(&session.pool_id)?.user(&session.username)?);
        (challenges, user)
    };
    let ok = auth_challenge::verify(ctx, &challenges, &session, &user, private, answer)?;
    let metadata = metadata.clone();
    session.custom_history.push(ChallengeResult {
        challenge_name: "CUSTOM_CHALLENGE".into(),
        challenge_result: ok,
        challenge_metadata: metadata,
    });
    next_custom(ctx, ctx.store(), session)
}

/// The first factors USER_AUTH offers this user.
fn available(store: &Store, session: &Session) -> ApiResult<Vec<String>> {
    let pool = store.pool(&session.pool_id)?;
    let user = pool.user(&session.username)?;
    let mut out = Vec::new();
    for f in &pool.first_factors {
        match f.as_str() {
            "PASSWORD" if user.password.is_some() => {
                out.push("PASSWORD".to_owned());
                out.push("PASSWORD_SRP".to_owned());
            }
            "EMAIL_OTP" if user.attribute("email").is_some() => out.push("EMAIL_OTP".to_owned()),
            _ => {}
        }
    }
    Ok(out)
}

pub(super) fn user_auth(ctx: &Ctx<'_>, req: &AuthRequest) -> ApiResult<Step> {
    let mut store = ctx.store();
    let (pool_id, username) = start(&store, req, Some("USER_AUTH"))?;
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.client_metadata = req.metadata.clone();
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    let options = available(&store, &session)?;
    match req.params.get("PREFERRED_CHALLENGE") {
        Some(p) if options.contains(p) => {
            let p = p.clone();
            choose(ctx, store, session, &p, &req.params, req)
        }
        _ => {
            session.stage = Stage::SelectChallenge { options };
            present(ctx, &mut store, session)
        }
    }
}

/// Starts the chosen first factor. `values` holds PASSWORD or SRP_A when the factor needs it.
fn choose(
    ctx: &Ctx<'_>,
    mut store: std::sync::MutexGuard<'_, Store>,
    mut session: Session,
    choice: &str,
    values: &BTreeMap<String, String>,
    req: &AuthRequest,
) -> ApiResult<Step> {
    match choice {
        "PASSWORD" => {
            let password = param(values, "PASSWORD")?;
            store
                .guard
                .check_sign_in(&session.pool_id, &session.username, ctx.now())?;
            let user = store.pool(&session.pool_id)?.user(&session.username)?;
            if !password_matches(user, password) {
                super::security::sign_in_failed(
                    &mut store,
                    &session.pool_id,
                    &session.username,
                    ctx.now(),
                );
                return Err(ApiError::incorrect_credentials());
            }
            let user = store.pool(&session.pool_id)?.user(&session.username)?;
            check_user_state(ctx, user)?;
            advance(ctx, &mut store, session)
        }
        "PASSWORD_SRP" => {
            drop(store);
            let mut srp_req = AuthRequest {
                client_id: req.client_id.clone(),
                flow: "USER_AUTH".into(),
                params: req.params.clone(),
                metadata: req.metadata.clone(),
            };
            srp_req
                .params
                .insert("SRP_A".into(), param(values, "SRP_A")?.to_owned());
            srp_req
                .params
                .insert("USERNAME".into(), session.username.clone());
            srp_after_choice(ctx, &srp_req, session)
        }
        "EMAIL_OTP" => {
            let user = store.pool(&session.pool_id)?.user(&session.username)?;
            if !user.enabled {
                return Err(ApiError::not_authorized("User is disabled."));
            }
            let email = user.attribute("email").unwrap_or_default().to_owned();
            let name = user.username.clone();
            let code = ids::numeric_code().map_err(no_randomness)?;
            ctx.record_code(
                &mut store,
                &session.pool_id,
                &name,
                SentCode {
                    kind: CodeKind::Email,
                    code: code.clone(),
                    destination: email.clone(),
                    message: None,
                    subject: None,
                },
            );
            session.password_factor = false;
            session.params.clear();
            session
                .params
                .insert("CODE_DELIVERY_DELIVERY_MEDIUM".into(), "EMAIL".into());
            session
                .params
                .insert("CODE_DELIVERY_DESTINATION".into(), mask_email(&email));
            session.stage = Stage::EmailOtp { code };
            present(ctx, &mut store, session)
        }
        other => Err(ApiError::invalid_parameter(format!(
            "Invalid challenge answer: {other}"
        ))),
    }
}

/// PASSWORD_SRP inside USER_AUTH: a PASSWORD_VERIFIER like USER_SRP_AUTH's, keeping the
/// session's device key and metadata.
fn srp_after_choice(ctx: &Ctx<'_>, req: &AuthRequest, session: Session) -> ApiResult<Step> {
    let srp_a = param(&req.params, "SRP_A")?.to_owned();
    check_srp_a(&srp_a)?;
    let verifier = {
        let store = ctx.store();
        let user = store.pool(&session.pool_id)?.user(&session.username)?;
        user.password
            .as_ref()
            .map(|p| p.verifier.clone())
            .ok_or_else(ApiError::incorrect_credentials)?
    };
    let mut session = session;
    enter_verifier_stage(&mut session, &verifier, srp_a, Claimant::User)?;
    let mut store = ctx.store();
    present(ctx, &mut store, session)
}

pub(super) fn answer_select(
    ctx: &Ctx<'_>,
    session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let answer = param(responses, "ANSWER")?.to_owned();
    let Stage::SelectChallenge { ref options } = session.stage else {
        return Err(ApiError::internal("stage"));
    };
    if !options.contains(&answer) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid challenge answer: {answer}"
        )));
    }
    let req = AuthRequest {
        client_id: session.client_id.clone(),
        flow: "USER_AUTH".into(),
        params: responses.clone(),
        metadata: session.client_metadata.clone(),
    };
    let store = ctx.store();
    choose(ctx, store, session, &answer, responses, &req)
}

pub(super) fn answer_email_otp(
    ctx: &Ctx<'_>,
    mut session: Session,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Step> {
    let answer = param(responses, "EMAIL_OTP_CODE")?;
    let Stage::EmailOtp { ref code } = session.stage else {
        return Err(ApiError::internal("stage"));
    };
    let ok = constant_time_eq(code.as_bytes(), answer.as_bytes());
    let mut store = ctx.store();
    if !ok {
        return Err(retry_or_fail(
            &mut store,
            session,
            ApiError::code_mismatch(),
        ));
    }
    check_user_state(ctx, store.pool(&session.pool_id)?.user(&session.username)?)?;
    session.mfa_done = true;
    advance(ctx, &mut store, session)
}
