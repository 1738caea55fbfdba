//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN(_AUTH); CUSTOM_AUTH and
//! USER_AUTH live in `custom`. Also the SRP pieces shared with the challenge answers.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigUint;
use num_traits::Zero;
use serde_json::Value;
use srp_core::{SrpError, SrpServer, Timestamp, Verifier};

use super::flow::{advance, check_user_state, present};
use super::issue::{issue, Grant};
use super::{check_secret_hash, internal, password_matches, Ctx};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::input::Input;
use crate::store::{Session, Stage, Store};

/// How far a TIMESTAMP may be from the emulator's clock.
pub(super) const TIMESTAMP_SKEW_SECS: i64 = 300;

/// The parts of an InitiateAuth request every flow reads.
pub(super) struct AuthRequest {
    pub client_id: String,
    pub flow: String,
    pub params: BTreeMap<String, String>,
    pub metadata: BTreeMap<String, String>,
}

pub(super) fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> ApiResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}

pub(super) fn initiate_auth(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let req = AuthRequest {
        flow: input.str("AuthFlow")?.to_owned(),
        client_id: input.str("ClientId")?.to_owned(),
        params: input.opt_string_map("AuthParameters")?.unwrap_or_default(),
        metadata: input.opt_string_map("ClientMetadata")?.unwrap_or_default(),
    };
    match req.flow.as_str() {
        "USER_SRP_AUTH" => user_srp_auth(ctx, &req, false),
        "USER_PASSWORD_AUTH" => user_password_auth(ctx, &req, Some("USER_PASSWORD_AUTH")),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh(ctx, &req),
        "CUSTOM_AUTH" => super::custom::custom_auth(ctx, &req),
        "USER_AUTH" => super::custom::user_auth(ctx, &req),
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
        ))),
    }
}

/// AdminInitiateAuth: the admin flows check the password directly; the others behave as in
/// InitiateAuth (the pool id must match the client's).
pub(super) fn admin_initiate_auth(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let req = AuthRequest {
        flow: input.str("AuthFlow")?.to_owned(),
        client_id: input.str("ClientId")?.to_owned(),
        params: input.opt_string_map("AuthParameters")?.unwrap_or_default(),
        metadata: input.opt_string_map("ClientMetadata")?.unwrap_or_default(),
    };
    if ctx.store().client_pool_id(&req.client_id)? != pool_id {
        return Err(ApiError::unknown_client(&req.client_id));
    }
    match req.flow.as_str() {
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => {
            user_password_auth(ctx, &req, Some("ADMIN_USER_PASSWORD_AUTH"))
        }
        _ => initiate_auth(ctx, input),
    }
}

/// Client, pool and flow checks shared by the flows that start from a USERNAME: returns
/// (pool id, internal username). `flow` is `None` for the managed login pages, which the
/// client's ExplicitAuthFlows do not govern.
pub(super) fn start(
    store: &Store,
    req: &AuthRequest,
    flow: Option<&str>,
) -> ApiResult<(String, String)> {
    let pool_id = store.client_pool_id(&req.client_id)?;
    let pool = store.pool(&pool_id)?;
    let client = pool.client(&req.client_id)?;
    if let Some(flow) = flow.filter(|f| !client.allows(f)) {
        return Err(ApiError::invalid_parameter(format!(
            "{flow} flow not enabled for this client"
        )));
    }
    let username = param(&req.params, "USERNAME")?;
    check_secret_hash(
        client,
        username,
        req.params.get("SECRET_HASH").map(String::as_str),
    )?;
    match pool.resolve(username) {
        Some(key) => {
            let user = pool.user(&key)?;
            Ok((pool_id, user.username.clone()))
        }
        None if client.prevent_user_existence_errors => Err(ApiError::incorrect_credentials()),
        None => Err(ApiError::user_not_found()),
    }
}

fn decoy_verifier(pool_id: &str, realm: &str, login: &str) -> ApiResult<Verifier> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(pool_id.as_bytes())
        .chain_update([0u8])
        .chain_update(login.as_bytes())
        .finalize();
    let salt: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let password = ids::opaque(32).map_err(internal)?;
    let identity = if login.is_empty() { "-" } else { login };
    Verifier::from_known_salt(&salt, realm, identity, &password)
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Checks SRP_A before any work: hex, and not a multiple of N.
pub(super) fn check_srp_a(srp_a: &str) -> ApiResult<()> {
    let a = srp_core::encoding::parse_unsigned_hex("SRP_A", srp_a)
        .map_err(|_| ApiError::invalid_parameter("Invalid SRP_A: not a hex integer"))?;
    let n = BigUint::parse_bytes(srp_core::N_HEX.as_bytes(), 16)
        .ok_or_else(|| ApiError::internal("group constant"))?;
    if (a % n).is_zero() {
        return Err(ApiError::invalid_parameter("SRP_A cannot be 0 mod N"));
    }
    Ok(())
}

/// A new SRP server side for `verifier`, and a fresh SECRET_BLOCK.
pub(super) fn srp_stage(verifier: &Verifier) -> ApiResult<(SrpServer, String)> {
    let server = SrpServer::new(verifier).map_err(|e| ApiError::internal(e.to_string()))?;
    let block = ids::secret_block().map_err(internal)?;
    Ok((server, block))
}

pub(super) fn user_srp_auth(ctx: &Ctx<'_>, req: &AuthRequest, custom: bool) -> ApiResult<Value> {
    let srp_a = param(&req.params, "SRP_A")?.to_owned();
    let flow = if custom {
        "CUSTOM_AUTH"
    } else {
        "USER_SRP_AUTH"
    };
    // Looked up under the store lock; the decoy verifier (a modular exponentiation) is made
    // after it is released.
    let (pool_id, username, verifier) = {
        let store = ctx.store();
        match start(&store, req, Some(flow)) {
            Ok((pool_id, username)) => {
                let pool = store.pool(&pool_id)?;
                let user = pool.user(&username)?;
                let verifier = match &user.password {
                    Some(p) => Ok(p.verifier.clone()),
                    None => return Err(ApiError::incorrect_credentials()),
                };
                (pool_id, username, verifier)
            }
            // PreventUserExistenceErrors: an unknown user gets a decoy challenge (with a salt
            // that is stable per name) and fails only at the password claim, like a wrong
            // password does.
            Err(e) if e.message == crate::error::INCORRECT_CREDENTIALS => {
                let pool_id = store.client_pool_id(&req.client_id)?;
                let realm = store.pool(&pool_id)?.srp_realm().to_owned();
                let typed = param(&req.params, "USERNAME")?.to_owned();
                (pool_id, typed, Err(realm))
            }
            Err(e) => return Err(e),
        }
    };
    let verifier = match verifier {
        Ok(v) => v,
        Err(realm) => decoy_verifier(&pool_id, &realm, &username)?,
    };
    check_srp_a(&srp_a)?;
    // The modular exponentiation runs without the store lock.
    let (server, secret_block) = srp_stage(&verifier)?;
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    session.client_metadata = req.metadata.clone();
    session.custom = custom;
    if custom {
        session.custom_history.push(crate::store::ChallengeResult {
            challenge_name: "SRP_A".into(),
            challenge_result: true,
            challenge_metadata: None,
        });
    }
    session.params.insert("SALT".into(), verifier.salt_hex());
    session
        .params
        .insert("SRP_B".into(), server.srp_b().to_owned());
    session
        .params
        .insert("SECRET_BLOCK".into(), secret_block.clone());
    session
        .params
        .insert("USER_ID_FOR_SRP".into(), username.clone());
    session.params.insert("USERNAME".into(), username);
    session.stage = Stage::PasswordVerifier {
        server,
        srp_a,
        secret_block,
    };
    let mut store = ctx.store();
    present(ctx, &mut store, session)
}

/// Checks a PASSWORD_CLAIM (user or device): the secret block must be the one issued, the
/// TIMESTAMP well-formed and near the emulator's clock, the signature right.
#[allow(clippy::too_many_arguments)]
pub(super) fn verify_claim(
    ctx: &Ctx<'_>,
    server: &SrpServer,
    srp_a: &str,
    issued_block: &str,
    realm: &str,
    identity: &str,
    responses: &BTreeMap<String, String>,
) -> ApiResult<()> {
    let block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    if !super::constant_time_eq(block.as_bytes(), issued_block.as_bytes()) {
        return Err(ApiError::incorrect_credentials());
    }
    let ts = match Timestamp::parse(timestamp) {
        Ok(ts) => ts,
        Err(SrpError::InvalidTimestamp { reason })
            if reason.contains("padding") || reason.contains("weekday") =>
        {
            return Err(ApiError::incorrect_credentials())
        }
        Err(_) => {
            return Err(ApiError::invalid_parameter(
                "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
            ))
        }
    };
    if (ts.unix_seconds() - ctx.now()).abs() > TIMESTAMP_SKEW_SECS {
        return Err(ApiError::incorrect_credentials());
    }
    let block_bytes = STANDARD
        .decode(issued_block)
        .map_err(|_| ApiError::internal("secret block"))?;
    match server.verify_claim(srp_a, realm, identity, &block_bytes, timestamp, signature) {
        Ok(()) => Ok(()),
        Err(SrpError::SignatureMismatch) => Err(ApiError::incorrect_credentials()),
        Err(e) => Err(ApiError::invalid_parameter(e.to_string())),
    }
}

/// USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH; `flow` `None` for the managed login pages.
pub(super) fn user_password_auth(
    ctx: &Ctx<'_>,
    req: &AuthRequest,
    flow: Option<&str>,
) -> ApiResult<Value> {
    let password = param(&req.params, "PASSWORD")?;
    let mut store = ctx.store();
    let (pool_id, username) = start(&store, req, flow)?;
    store.guard.check_sign_in(&pool_id, &username, ctx.now())?;
    let user = store.pool(&pool_id)?.user(&username)?;
    if !password_matches(user, password) {
        store.guard.sign_in_failed(&pool_id, &username, ctx.now());
        return Err(ApiError::incorrect_credentials());
    }
    let user = store.pool(&pool_id)?.user(&username)?;
    check_user_state(ctx, user)?;
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    session.client_metadata = req.metadata.clone();
    advance(ctx, &mut store, session)
}

fn refresh(ctx: &Ctx<'_>, req: &AuthRequest) -> ApiResult<Value> {
    let token = param(&req.params, "REFRESH_TOKEN")?;
    refresh_with(
        ctx,
        &req.client_id,
        token,
        req.params.get("DEVICE_KEY").map(String::as_str),
        |client, pool, username| {
            if client.secret.is_none() {
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
pub(super) fn get_tokens_from_refresh_token(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("RefreshToken")?;
    let client_id = input.str("ClientId")?;
    let given = input.opt_str("ClientSecret")?;
    let device_key = input.opt_str("DeviceKey")?;
    let mut out = refresh_with(ctx, client_id, token, device_key, |client, _, _| {
        match (&client.secret, given) {
            (None, _) => Ok(()),
            (Some(secret), Some(g)) if super::constant_time_eq(secret.as_bytes(), g.as_bytes()) => {
                Ok(())
            }
            _ => Err(ApiError::not_authorized(format!(
                "Unable to verify secret hash for client {client_id}"
            ))),
        }
    })?;
    if let Some(m) = out.as_object_mut() {
        m.remove("ChallengeParameters");
    }
    Ok(out)
}

pub(super) fn refresh_with(
    ctx: &Ctx<'_>,
    client_id: &str,
    token: &str,
    device_key: Option<&str>,
    check_secret: impl FnOnce(&crate::store::AppClient, &crate::store::Pool, &str) -> ApiResult<()>,
) -> ApiResult<Value> {
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
    let record = store.refresh_tokens.get(token).ok_or_else(invalid)?;
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
            oauth: None,
        },
    )
}
