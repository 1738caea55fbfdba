//! Verifying the tokens of `Logins` as Cognito Identity does for user pool providers: the
//! RS256 signature against the user pool's published keys (the JWKS), the issuer against the
//! provider name, the audience against the app clients the identity pool accepts, the expiry;
//! with ServerSideTokenCheck, that the user still exists and is enabled.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{Map, Value};

use super::state::IdentityPool;
use crate::error::{ApiError, ApiResult};
use crate::store::Store;
use crate::tokens::Keys;

/// Provider name and claims of each login whose signature verified.
pub(super) type SignedLogins = Vec<(String, Map<String, Value>)>;

/// A login whose token passed every check.
pub(super) struct VerifiedLogin {
    pub provider: String,
    pub subject: String,
    pub claims: Map<String, Value>,
}

fn invalid(why: &str) -> ApiError {
    ApiError::not_authorized(format!("Invalid login token. {why}"))
}

/// The `Logins` member: provider name -> token, at most 10.
pub(super) fn logins_member(
    input: &crate::identity::Input<'_>,
) -> ApiResult<BTreeMap<String, String>> {
    let logins = input.opt_string_map("Logins")?.unwrap_or_default();
    if logins.len() > 10 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: \
             Member must have length less than or equal to 10",
        ));
    }
    Ok(logins)
}

/// Checks the signature of a JWT against the JWKS and returns its claims. Runs without the
/// store lock (an RSA verification per login).
pub(super) fn verified_claims(keys: &Keys, token: &str) -> ApiResult<Map<String, Value>> {
    let not_a_token = || invalid("Not a valid OpenId Connect identity token.");
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(not_a_token());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| not_a_token());
    let header: Value = serde_json::from_slice(&decode(header)?).map_err(|_| not_a_token())?;
    let claims: Value = serde_json::from_slice(&decode(payload)?).map_err(|_| not_a_token())?;
    let Value::Object(claims) = claims else {
        return Err(not_a_token());
    };
    let signature = decode(signature)?;
    let cannot_verify = || invalid("Couldn't verify signed token.");
    if header["alg"] != "RS256" {
        return Err(cannot_verify());
    }
    let jwks = keys.jwks();
    let key = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == header["kid"]))
        .ok_or_else(cannot_verify)?;
    let component = |name: &str| {
        key[name]
            .as_str()
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .ok_or_else(|| ApiError::internal("the JWKS has a malformed key"))
    };
    let public = RsaPublicKeyComponents {
        n: component("n")?,
        e: component("e")?,
    };
    let signed_len = token.len() - token.rsplit('.').next().map_or(0, str::len) - 1;
    public
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            &token.as_bytes()[..signed_len],
            &signature,
        )
        .map_err(|_| cannot_verify())?;
    Ok(claims)
}

/// The checks that need the identity pool and the user pools: provider configured, issuer,
/// token use, audience, expiry, and the user for ServerSideTokenCheck.
pub(super) fn check_login(
    store: &Store,
    pool: &IdentityPool,
    provider: &str,
    claims: Map<String, Value>,
    now: i64,
) -> ApiResult<VerifiedLogin> {
    let accepted: Vec<_> = pool
        .providers
        .iter()
        .filter(|p| p.provider_name == provider)
        .collect();
    if accepted.is_empty() {
        return Err(ApiError::not_authorized(
            "Token is not from a supported provider of this identity pool.",
        ));
    }
    let issuer = claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if issuer != format!("https://{provider}") {
        return Err(invalid("Issuer doesn't match providerName"));
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("Missing a required claim: exp"))?;
    if exp <= now {
        return Err(invalid(&format!("Token expired: {now} >= {exp}")));
    }
    // Access tokens have no audience: only ID tokens are logins.
    let audience = claims
        .get("aud")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Missing a required claim: aud"))?;
    let Some(client) = accepted.iter().find(|p| p.client_id == audience) else {
        return Err(invalid("Incorrect token audience."));
    };
    if claims.get("token_use").and_then(Value::as_str) != Some("id") {
        return Err(invalid("Not a valid OpenId Connect identity token."));
    }
    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Missing a required claim: sub"))?
        .to_owned();
    let user_pool_id = provider.rsplit('/').next().unwrap_or_default();
    let user_pool = store
        .pool(user_pool_id)
        .map_err(|_| invalid("Couldn't verify signed token."))?;
    if client.server_side_token_check {
        let username = claims
            .get("cognito:username")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let live = user_pool
            .user(username)
            .is_ok_and(|u| u.enabled && u.sub == subject);
        if !live || user_pool.client(audience).is_err() {
            return Err(ApiError::not_authorized(
                "Invalid login token. The token has been revoked or the user no longer exists.",
            ));
        }
    }
    Ok(VerifiedLogin {
        provider: provider.to_owned(),
        subject,
        claims,
    })
}

/// Verifies every login of a request against `pool`: signatures first (no lock held by the
/// caller), then the rest under the lock with [`check_login`].
pub(super) fn verify_signatures(
    keys: &Keys,
    logins: &BTreeMap<String, String>,
) -> ApiResult<SignedLogins> {
    logins
        .iter()
        .map(|(provider, token)| Ok((provider.clone(), verified_claims(keys, token)?)))
        .collect()
}
