//! GetCredentialsForIdentity (the enhanced flow: temporary credentials for the identity's role)
//! and GetOpenIdToken (the basic flow's token for STS).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::identities::{check_unauthenticated, link, logins_do_not_match, verify_all};
use super::logins::{logins_member, verify_signatures, SignedLogins, VerifiedLogin};
use super::region_ids::check_id;
use super::roles::role_for;
use super::state::{unknown_identity, IssuedCredentials};
use crate::error::{ApiError, ApiResult};
use crate::identity::Input;
use crate::ops::context::Ctx;
use crate::store::Store;

/// How long issued credentials last (Cognito's default is one hour).
pub const CREDENTIALS_VALIDITY_SECS: i64 = 3600;
/// How long a GetOpenIdToken token lasts (Cognito's is ten minutes).
pub const OPEN_ID_TOKEN_VALIDITY_SECS: i64 = 600;

const KEY_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn random_text(alphabet: &[u8], len: usize) -> ApiResult<String> {
    let bytes = crate::ids::random_bytes(len).map_err(|_| ApiError::internal("no randomness"))?;
    Ok(bytes
        .iter()
        .map(|b| alphabet[*b as usize % alphabet.len()] as char)
        .collect())
}

/// The identity's logins after this request, checked against what it already has. An
/// authenticated identity must show one of its logins; new ones are linked.
fn authorize(
    store: &mut Store,
    identity_id: &str,
    verified: &[VerifiedLogin],
    now: i64,
) -> ApiResult<()> {
    let identity = store
        .identity
        .identities
        .get(identity_id)
        .ok_or_else(|| unknown_identity(identity_id))?;
    let pool_id = identity.pool_id.clone();
    if verified.is_empty() {
        if !identity.logins.is_empty() {
            return Err(logins_do_not_match());
        }
        return check_unauthenticated(store.identity.pool(&pool_id)?);
    }
    for login in verified {
        let key = (
            pool_id.clone(),
            login.provider.clone(),
            login.subject.clone(),
        );
        match store.identity.by_login.get(&key) {
            Some(owner) if owner != identity_id => return Err(logins_do_not_match()),
            _ => {}
        }
        if let Some(subject) = identity.logins.get(&login.provider) {
            if subject != &login.subject {
                return Err(logins_do_not_match());
            }
        }
    }
    link(&mut store.identity, identity_id, verified, now)
}

/// The identity's pool, and the request's logins checked against it.
fn verified_for(
    store: &Store,
    identity_id: &str,
    signed: SignedLogins,
    now: i64,
) -> ApiResult<(String, Vec<VerifiedLogin>)> {
    let pool_id = store
        .identity
        .identities
        .get(identity_id)
        .map(|i| i.pool_id.clone())
        .ok_or_else(|| unknown_identity(identity_id))?;
    let pool = store.identity.pool(&pool_id)?;
    let verified = verify_all(store, pool, signed, now)?;
    Ok((pool_id, verified))
}

/// Signatures first (no lock), then the identity and its pool, then the rest of the checks.
fn verified_request(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<(String, SignedLogins)> {
    let identity_id = input.str("IdentityId")?.to_owned();
    check_id("IdentityId", &identity_id)?;
    let signed = verify_signatures(&ctx.shared.keys, &logins_member(input)?)?;
    Ok((identity_id, signed))
}

pub(super) fn get_credentials_for_identity(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let (identity_id, signed) = verified_request(ctx, input)?;
    let custom_role_arn = input.opt_str("CustomRoleArn")?;
    let now = ctx.now();
    let access_key_id = format!("ASIA{}", random_text(KEY_ALPHABET, 16)?);
    let secret_key = STANDARD
        .encode(crate::ids::random_bytes(30).map_err(|_| ApiError::internal("no randomness"))?);
    let session_token = STANDARD
        .encode(crate::ids::random_bytes(300).map_err(|_| ApiError::internal("no randomness"))?);
    let expiration = now + CREDENTIALS_VALIDITY_SECS;

    let mut store = ctx.store();
    let (pool_id, verified) = verified_for(&store, &identity_id, signed, now)?;
    let pool = store.identity.pool(&pool_id)?;
    let role_arn = {
        let claims: Vec<(String, Map<String, Value>)> = verified
            .iter()
            .map(|l| (l.provider.clone(), l.claims.clone()))
            .collect();
        role_for(pool, &claims, custom_role_arn)?
    };
    authorize(&mut store, &identity_id, &verified, now)?;
    store.identity.issued.insert(
        access_key_id.clone(),
        IssuedCredentials {
            identity_id: identity_id.clone(),
            identity_pool_id: pool_id,
            role_arn,
            authenticated: !verified.is_empty(),
            expiration,
        },
    );
    store.identity.sweep(now);
    Ok(json!({
        "IdentityId": identity_id,
        "Credentials": {
            "AccessKeyId": access_key_id,
            "SecretKey": secret_key,
            "SessionToken": session_token,
            "Expiration": expiration,
        },
    }))
}

pub(super) fn get_open_id_token(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let (identity_id, signed) = verified_request(ctx, input)?;
    let now = ctx.now();
    let (pool_id, providers) = {
        let mut store = ctx.store();
        let (pool_id, verified) = verified_for(&store, &identity_id, signed, now)?;
        authorize(&mut store, &identity_id, &verified, now)?;
        let providers: Vec<String> = store
            .identity
            .identities
            .get(&identity_id)
            .map(|i| i.logins.keys().cloned().collect())
            .unwrap_or_default();
        (pool_id, providers)
    };
    let mut amr = vec![json!(if providers.is_empty() {
        "unauthenticated"
    } else {
        "authenticated"
    })];
    amr.extend(providers.iter().map(|p| json!(p)));
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(identity_id));
    claims.insert("aud".into(), json!(pool_id));
    claims.insert("amr".into(), Value::Array(amr));
    claims.insert(
        "iss".into(),
        json!("https://cognito-identity.amazonaws.com"),
    );
    claims.insert("exp".into(), json!(now + OPEN_ID_TOKEN_VALIDITY_SECS));
    claims.insert("iat".into(), json!(now));
    let token = ctx.shared.keys.sign(&claims)?;
    Ok(json!({ "IdentityId": identity_id, "Token": token }))
}
