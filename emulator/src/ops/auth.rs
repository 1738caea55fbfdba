//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN(_AUTH); CUSTOM_AUTH and
//! USER_AUTH live in `custom`, the SRP stage in `srp`.

use super::checks::{check_secret_hash, known};
use super::context::Ctx;
use super::flow::{advance, check_user_state};
use super::issue::{issue, Grant};
use super::passwords::password_matches;
use super::request::{param, start, AuthRequest};
use super::rotation;
use super::shapes::sorted;
use super::step::{step_output, Step};
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::Session;

pub(super) fn initiate_auth(
    ctx: &Ctx<'_>,
    input: m::InitiateAuthInput,
) -> ApiResult<m::InitiateAuthOutput> {
    known("authFlow", &input.auth_flow)?;
    let req = AuthRequest {
        flow: input.auth_flow.as_str().to_owned(),
        client_id: input.client_id,
        params: sorted(input.auth_parameters),
        metadata: sorted(input.client_metadata),
    };
    let step = initiate(ctx, &req)?;
    step_output!(m::InitiateAuthOutput, step, available)
}

fn initiate(ctx: &Ctx<'_>, req: &AuthRequest) -> ApiResult<Step> {
    match req.flow.as_str() {
        "USER_SRP_AUTH" => super::srp::user_srp_auth(ctx, req, false),
        "USER_PASSWORD_AUTH" => user_password_auth(ctx, req, Some("USER_PASSWORD_AUTH")),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh(ctx, req),
        "CUSTOM_AUTH" => super::custom::custom_auth(ctx, req),
        "USER_AUTH" => super::custom::user_auth(ctx, req),
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        other => Err(ApiError::not_in_enum(
            "authFlow",
            other,
            m::AuthFlowType::values(),
        )),
    }
}

/// AdminInitiateAuth: the admin flows check the password directly; the others behave as in
/// InitiateAuth (the pool id must match the client's).
pub(super) fn admin_initiate_auth(
    ctx: &Ctx<'_>,
    input: m::AdminInitiateAuthInput,
) -> ApiResult<m::AdminInitiateAuthOutput> {
    known("authFlow", &input.auth_flow)?;
    let req = AuthRequest {
        flow: input.auth_flow.as_str().to_owned(),
        client_id: input.client_id,
        params: sorted(input.auth_parameters),
        metadata: sorted(input.client_metadata),
    };
    if ctx.store().client_pool_id(&req.client_id)? != input.user_pool_id {
        return Err(ApiError::unknown_client(&req.client_id));
    }
    let step = match req.flow.as_str() {
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => {
            user_password_auth(ctx, &req, Some("ADMIN_USER_PASSWORD_AUTH"))
        }
        _ => initiate(ctx, &req),
    }?;
    step_output!(m::AdminInitiateAuthOutput, step, available)
}

/// USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH; `flow` `None` for the managed login pages.
pub(super) fn user_password_auth(
    ctx: &Ctx<'_>,
    req: &AuthRequest,
    flow: Option<&str>,
) -> ApiResult<Step> {
    let password = param(&req.params, "PASSWORD")?;
    // The triggers run without the store lock: find the user first.
    let found = start(&ctx.store(), req, flow);
    match found {
        Ok(_) => {}
        Err(e)
            if e.code == "UserNotFoundException"
                || e.message == crate::error::INCORRECT_CREDENTIALS =>
        {
            let typed = param(&req.params, "USERNAME")?;
            let source = "UserMigration_Authentication";
            if !super::migration::migrate(
                ctx,
                &req.client_id,
                typed,
                Some(password),
                source,
                Some(&req.metadata),
            )? {
                return Err(e);
            }
        }
        Err(e) => return Err(e),
    }
    super::lambda::pre_authentication(
        ctx,
        &req.client_id,
        param(&req.params, "USERNAME")?,
        None,
        Some(&req.metadata),
    )?;
    let mut store = ctx.store();
    let (pool_id, username) = start(&store, req, flow)?;
    store.guard.check_sign_in(&pool_id, &username, ctx.now())?;
    let user = store.pool(&pool_id)?.user(&username)?;
    if !password_matches(user, password) {
        super::security::sign_in_failed(&mut store, &pool_id, &username, ctx.now());
        return Err(ApiError::incorrect_credentials());
    }
    let user = store.pool(&pool_id)?.user(&username)?;
    check_user_state(ctx, user)?;
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    session.client_metadata = req.metadata.clone();
    advance(ctx, &mut store, session)
}

fn refresh(ctx: &Ctx<'_>, req: &AuthRequest) -> ApiResult<Step> {
    let token = param(&req.params, "REFRESH_TOKEN")?;
    {
        let store = ctx.store();
        let pool_id = store.client_pool_id(&req.client_id)?;
        if rotation::rotation(store.pool(&pool_id)?.client(&req.client_id)?).is_some() {
            return Err(rotation::refresh_token_auth_refused());
        }
    }
    refresh_with(
        ctx,
        &req.client_id,
        token,
        req.params.get("DEVICE_KEY").map(String::as_str),
        |client, pool, username| {
            if !client.has_secret() {
                return Ok(());
            }
            let provided = req.params.get("SECRET_HASH").map(String::as_str);
            // Over the internal username; a USERNAME that names the same user also counts.
            match check_secret_hash(client, username, provided) {
                Ok(()) => Ok(()),
                Err(e) => match req.params.get("USERNAME") {
                    Some(u) if pool.resolve(u) == pool.resolve(username) => {
                        check_secret_hash(client, u, provided)
                    }
                    _ => Err(e),
                },
            }
        },
    )
}

/// GetTokensFromRefreshToken: the client secret itself instead of SECRET_HASH.
pub(super) fn get_tokens_from_refresh_token(
    ctx: &Ctx<'_>,
    input: m::GetTokensFromRefreshTokenInput,
) -> ApiResult<m::GetTokensFromRefreshTokenOutput> {
    let client_id = input.client_id.as_str();
    let token = input.refresh_token.as_str();
    let given = input.client_secret.as_deref();
    let rotation = {
        let mut store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        let rotation = rotation::rotation(store.pool(&pool_id)?.client(client_id)?);
        if let Some(r) = rotation {
            rotation::check_before_refresh(&mut store, token, r, ctx.now())?;
        }
        rotation
    };
    let step = refresh_with(
        ctx,
        client_id,
        token,
        input.device_key.as_deref(),
        |client, _, _| match given {
            _ if !client.has_secret() => Ok(()),
            Some(g) if client.secret_matches(g) => Ok(()),
            _ => Err(ApiError::not_authorized(format!(
                "Unable to verify secret hash for client {client_id}"
            ))),
        },
    )?;
    let mut out = m::GetTokensFromRefreshTokenOutput::builder();
    if let Step::Tokens(mut result) = step {
        if rotation.is_some() {
            result.refresh_token = Some(rotation::rotate(ctx, &mut ctx.store(), token)?);
        }
        out = out.authentication_result(result);
    }
    Ok(out.build()?)
}

pub(super) fn refresh_with(
    ctx: &Ctx<'_>,
    client_id: &str,
    token: &str,
    device_key: Option<&str>,
    check_secret: impl FnOnce(&crate::store::AppClient, &crate::store::Pool, &str) -> ApiResult<()>,
) -> ApiResult<Step> {
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let pool = store.pool(&pool_id)?;
    let client = pool.client(client_id)?;
    if !client.allows("REFRESH_TOKEN_AUTH") {
        return Err(ApiError::invalid_parameter(
            "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ));
    }
    let invalid = || ApiError::not_authorized("Invalid Refresh Token");
    let record = store
        .refresh_tokens
        .get(&crate::tokens::fingerprint(token))
        .ok_or_else(invalid)?;
    if record.client_id != client_id {
        return Err(invalid());
    }
    if record.expires <= ctx.now() {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    let user = pool.user(&record.username).map_err(|_| invalid())?;
    if user.token_generation != record.generation {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    check_secret(client, pool, &user.username)?;
    let device_key = match device_key {
        Some(d) => {
            if !user.devices.contains_key(d) {
                return Err(ApiError::not_authorized("Invalid device key given."));
            }
            Some(d.to_owned())
        }
        None => record.device_key.clone(),
    };
    let username = user.username.clone();
    let origin = record.origin_jti.clone();
    let auth_time = record.auth_time;
    issue(
        ctx,
        &mut store,
        Grant {
            pool_id: &pool_id,
            client_id,
            username: &username,
            device_key: device_key.as_deref(),
            auth_time,
            refreshing: Some(origin),
            new_device: false,
            source: "TokenGeneration_RefreshTokens",
            client_metadata: None,
            oauth: None,
        },
    )
}
