//! RS256 JWTs with Cognito's claims, signed with one RSA key per process (generated on first use,
//! so tests that start many emulators pay for it once), and the JWKS that publishes it.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

const KEY_BITS: usize = 2048;

struct Keys {
    signing: SigningKey<Sha256>,
    kid: String,
    jwk: Value,
}

static KEYS: OnceLock<Result<Keys, String>> = OnceLock::new();

fn keys() -> ApiResult<&'static Keys> {
    KEYS.get_or_init(generate)
        .as_ref()
        .map_err(|e| ApiError::internal(format!("signing key unavailable: {e}")))
}

fn generate() -> Result<Keys, String> {
    let mut rng = rand_core::OsRng;
    let private = RsaPrivateKey::new(&mut rng, KEY_BITS).map_err(|e| e.to_string())?;
    let n = private.n().to_bytes_be();
    let e = private.e().to_bytes_be();
    let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..20]);
    let jwk = json!({
        "alg": "RS256",
        "e": URL_SAFE_NO_PAD.encode(e),
        "kid": kid,
        "kty": "RSA",
        "n": URL_SAFE_NO_PAD.encode(n),
        "use": "sig",
    });
    Ok(Keys {
        signing: SigningKey::<Sha256>::new(private),
        kid,
        jwk,
    })
}

/// Generates the key now (e.g. before timing something); later calls are free.
pub fn warm_up() -> ApiResult<()> {
    keys().map(|_| ())
}

/// The JWKS document served at `/{poolId}/.well-known/jwks.json`.
pub fn jwks() -> ApiResult<Value> {
    Ok(json!({ "keys": [keys()?.jwk.clone()] }))
}

/// Signs `claims` as a compact RS256 JWT.
pub fn sign(claims: &Map<String, Value>) -> ApiResult<String> {
    let keys = keys()?;
    let header = json!({ "kid": keys.kid, "alg": "RS256" });
    let mut token = URL_SAFE_NO_PAD.encode(header.to_string());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string()));
    let signature = keys
        .signing
        .try_sign(token.as_bytes())
        .map_err(|e| ApiError::internal(format!("signing failed: {e}")))?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature.to_bytes()));
    Ok(token)
}

/// The claims of a token this process issued; `None` for anything that is not a JWT. The
/// caller still checks the token against what was issued (see `store`), so no signature check
/// is needed here.
pub fn claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// A short digest that identifies an issued token without keeping it.
pub fn fingerprint(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// `https://cognito-idp.{region}.amazonaws.com/{poolId}`.
pub fn issuer(pool_id: &str) -> String {
    let region = pool_id.split('_').next().unwrap_or_default();
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_reads_back() {
        let mut c = Map::new();
        c.insert("sub".into(), json!("x"));
        let t = sign(&c).unwrap();
        assert_eq!(claims(&t).unwrap()["sub"], "x");
        assert!(claims("a.b").is_none());
        assert!(claims("a.!!!.c").is_none());
        assert_eq!(jwks().unwrap()["keys"][0]["kty"], "RSA");
        assert_eq!(
            issuer("eu-west-1_Ab1"),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1"
        );
    }
}
