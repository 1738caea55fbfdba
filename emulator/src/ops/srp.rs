//! The SRP stage that USER_SRP_AUTH, CUSTOM_AUTH (after SRP_A), USER_AUTH's PASSWORD_SRP and
//! DEVICE_SRP_AUTH share: SRP_A checked, B made, the PASSWORD_VERIFIER challenge parameters
//! (SALT, SRP_B, SECRET_BLOCK) set on the session, and the PASSWORD_CLAIM checked later.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigUint;
use num_traits::Zero;
use srp_core::{SrpError, SrpServer, Timestamp, Verifier};

use super::context::Ctx;
use super::flow::present;
use super::request::{param, start, AuthRequest};
use super::step::Step;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::store::{ChallengeResult, Session, Stage};

/// How far a TIMESTAMP may be from the emulator's clock.
pub(super) const TIMESTAMP_SKEW_SECS: i64 = 300;

/// Whose verifier the stage checks.
pub(super) enum Claimant {
    /// A user's password: USER_ID_FOR_SRP (and USERNAME) name the internal username.
    User,
    /// A remembered device's secret.
    Device(String),
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

/// Puts `session` at the PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) stage for `verifier`:
/// a fresh server ephemeral and SECRET_BLOCK, and the challenge parameters the client needs.
/// The modular exponentiation runs here: call it without the store lock.
pub(super) fn enter_verifier_stage(
    session: &mut Session,
    verifier: &Verifier,
    srp_a: String,
    claimant: Claimant,
) -> ApiResult<()> {
    check_srp_a(&srp_a)?;
    let server = SrpServer::new(verifier).map_err(|e| ApiError::internal(e.to_string()))?;
    let secret_block = ids::secret_block().map_err(no_randomness)?;
    let username = session.username.clone();
    let params = &mut session.params;
    params.clear();
    params.insert("SALT".into(), verifier.salt_hex());
    params.insert("SRP_B".into(), server.srp_b().to_owned());
    params.insert("SECRET_BLOCK".into(), secret_block.clone());
    params.insert("USERNAME".into(), username.clone());
    session.stage = match claimant {
        Claimant::User => {
            params.insert("USER_ID_FOR_SRP".into(), username);
            Stage::PasswordVerifier {
                server,
                srp_a,
                secret_block,
            }
        }
        Claimant::Device(device_key) => Stage::DevicePasswordVerifier {
            server,
            srp_a,
            secret_block,
            device_key,
        },
    };
    Ok(())
}

/// A verifier for a name that is not a user (PreventUserExistenceErrors): its salt is stable per
/// name, so probing twice cannot tell it from a real user; the claim against it always fails.
pub(super) fn decoy_verifier(pool_id: &str, realm: &str, login: &str) -> ApiResult<Verifier> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(pool_id.as_bytes())
        .chain_update([0u8])
        .chain_update(login.as_bytes())
        .finalize();
    let salt: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let password = ids::opaque(32).map_err(no_randomness)?;
    let identity = if login.is_empty() { "-" } else { login };
    Verifier::from_known_salt(&salt, realm, identity, &password)
        .map_err(|e| ApiError::internal(e.to_string()))
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
    if !crate::guard::constant_time_eq(block.as_bytes(), issued_block.as_bytes()) {
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

/// USER_SRP_AUTH, and CUSTOM_AUTH that starts with SRP_A: the PASSWORD_VERIFIER challenge.
pub(super) fn user_srp_auth(ctx: &Ctx<'_>, req: &AuthRequest, custom: bool) -> ApiResult<Step> {
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
        Ok(v) => {
            super::lambda::pre_authentication(
                ctx,
                &req.client_id,
                &username,
                None,
                Some(&req.metadata),
            )?;
            v
        }
        Err(realm) => decoy_verifier(&pool_id, &realm, &username)?,
    };
    let mut session = Session::new(&pool_id, &req.client_id, &username, ctx.now());
    session.device_key = req.params.get("DEVICE_KEY").cloned();
    session.client_metadata = req.metadata.clone();
    session.custom = custom;
    if custom {
        session.custom_history.push(ChallengeResult {
            challenge_name: "SRP_A".into(),
            challenge_result: true,
            challenge_metadata: None,
        });
    }
    // The modular exponentiation runs without the store lock.
    enter_verifier_stage(&mut session, &verifier, srp_a, Claimant::User)?;
    let mut store = ctx.store();
    present(ctx, &mut store, session)
}
