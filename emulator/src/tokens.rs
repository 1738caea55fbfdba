//! RS256 JWTs with Cognito's claims, signed with one RSA key per process (generated on first use,
//! so tests that start many emulators pay for it once) or the key of the state directory, and
//! the JWKS that publishes it.
//!
//! The key is generated with the `rsa` crate (ring cannot generate RSA keys) and handed to ring
//! as PKCS#8; ring signs RSA-2048 PKCS#1 v1.5 several times faster than `rsa` does, and every
//! sign-in signs two tokens.

use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rsa::pkcs8::EncodePrivateKey;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

const KEY_BITS: usize = 2048;

/// The key tokens are signed with, and its JWKS entry.
pub struct Keys {
    signing: RsaKeyPair,
    /// PKCS#8 DER of the private key, for the state directory. Never printed.
    pkcs8: Vec<u8>,
    rng: SystemRandom,
    kid: String,
    jwk: Value,
}

static PROCESS_KEYS: OnceLock<Result<Arc<Keys>, String>> = OnceLock::new();

impl Keys {
    /// One key per process for emulators without a state directory (generated on first use,
    /// so tests that start many emulators pay for it once).
    pub fn for_process() -> ApiResult<Arc<Keys>> {
        PROCESS_KEYS
            .get_or_init(|| Keys::generate().map(Arc::new))
            .clone()
            .map_err(|e| ApiError::internal(format!("signing key unavailable: {e}")))
    }

    pub fn generate() -> Result<Keys, String> {
        let mut rng = rand_core::OsRng;
        let private = RsaPrivateKey::new(&mut rng, KEY_BITS).map_err(|e| e.to_string())?;
        let pkcs8 = private.to_pkcs8_der().map_err(|e| e.to_string())?;
        Keys::from_pkcs8(pkcs8.as_bytes())
    }

    /// The key a state directory keeps (so `kid` and the JWKS stay the same across restarts).
    pub fn from_pkcs8(der: &[u8]) -> Result<Keys, String> {
        let signing = RsaKeyPair::from_pkcs8(der).map_err(|e| e.to_string())?;
        let public = signing.public();
        let components = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(public);
        let n = components.n;
        let e = components.e;
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
            signing,
            pkcs8: der.to_vec(),
            rng: SystemRandom::new(),
            kid,
            jwk,
        })
    }

    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWKS document served at `/{poolId}/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk.clone()] })
    }

    /// Signs `claims` as a compact RS256 JWT.
    pub fn sign(&self, claims: &Map<String, Value>) -> ApiResult<String> {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        self.sign_compact(
            &header.to_string(),
            &Value::Object(claims.clone()).to_string(),
        )
    }

    /// An RSASSA-PKCS1-v1_5 SHA-256 signature of `message` (the signing certificate's).
    pub fn sign_bytes(&self, message: &[u8]) -> ApiResult<Vec<u8>> {
        let mut signature = vec![0u8; self.signing.public().modulus_len()];
        self.signing
            .sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut signature)
            .map_err(|_| ApiError::internal("signing failed"))?;
        Ok(signature)
    }

    /// The public key as a PKCS#1 RSAPublicKey (DER).
    pub fn public_key_der(&self) -> Vec<u8> {
        self.signing.public().as_ref().to_vec()
    }

    /// Signs base64url(`header`).base64url(`payload`) with the key: any header and payload, for
    /// tests of token consumers.
    pub fn sign_compact(&self, header: &str, payload: &str) -> ApiResult<String> {
        let mut token = URL_SAFE_NO_PAD.encode(header);
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(payload));
        let mut signature = vec![0u8; self.signing.public().modulus_len()];
        self.signing
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| ApiError::internal("signing failed"))?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Generates the process's key now (e.g. before timing something); later calls are free.
pub fn warm_up() -> ApiResult<()> {
    Keys::for_process().map(|_| ())
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

/// OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url.
pub fn at_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16])
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
        let keys = Keys::for_process().unwrap();
        let t = keys.sign(&c).unwrap();
        assert_eq!(claims(&t).unwrap()["sub"], "x");
        assert!(claims("a.b").is_none());
        assert!(claims("a.!!!.c").is_none());
        assert_eq!(keys.jwks()["keys"][0]["kty"], "RSA");
        let again = Keys::from_pkcs8(keys.pkcs8()).unwrap();
        assert_eq!(again.kid(), keys.kid());
        assert_eq!(again.jwks(), keys.jwks());
        assert_eq!(
            issuer("eu-west-1_Ab1"),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1"
        );
    }

    /// The token ring signed verifies with the `rsa` crate against the key the JWKS publishes,
    /// and a changed payload does not.
    #[test]
    fn signature_verifies_against_the_jwks() {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::signature::Verifier;
        use rsa::traits::PublicKeyParts;
        use rsa::{BigUint, RsaPublicKey};

        let mut c = Map::new();
        c.insert("sub".into(), json!("x"));
        let keys = Keys::for_process().unwrap();
        let token = keys.sign(&c).unwrap();
        let doc = keys.jwks();
        let jwk = &doc["keys"][0];
        assert_eq!(jwk["alg"], "RS256");
        let part = |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap()).unwrap();
        let public = RsaPublicKey::new(
            BigUint::from_bytes_be(&part("n")),
            BigUint::from_bytes_be(&part("e")),
        )
        .unwrap();
        assert_eq!(public.size() * 8, KEY_BITS);
        let verifying = VerifyingKey::<Sha256>::new(public);
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["kid"], jwk["kid"]);
        let (signed, sig) = token.rsplit_once('.').unwrap();
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
        verifying.verify(signed.as_bytes(), &sig).unwrap();
        let tampered = format!("{signed}x");
        assert!(verifying.verify(tampered.as_bytes(), &sig).is_err());
    }
}
