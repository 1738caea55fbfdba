//! PKCE (RFC 7636, S256) and the random `state` and `nonce` of an authorize request.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::OAuthError;
use crate::auth::Secret;

/// `n` random bytes as base64url (`n` = 32 gives 43 characters).
pub(crate) fn random_token(n: usize) -> Result<String, OAuthError> {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| OAuthError::Config(format!("no randomness available: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A PKCE verifier and its S256 challenge. The verifier is a secret until the code is
/// exchanged; the challenge goes into the authorize URL.
#[derive(Clone, Debug)]
pub struct Pkce {
    verifier: Secret,
    challenge: String,
}

impl Pkce {
    /// A fresh verifier of 43 characters (256 random bits).
    pub fn generate() -> Result<Self, OAuthError> {
        Self::from_verifier(random_token(32)?)
    }

    /// From a known verifier (43 to 128 characters of `[A-Za-z0-9-._~]`).
    pub fn from_verifier(verifier: impl Into<String>) -> Result<Self, OAuthError> {
        let verifier = verifier.into();
        let ok = (43..=128).contains(&verifier.len())
            && verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
        if !ok {
            return Err(OAuthError::Config(
                "a PKCE code_verifier is 43 to 128 characters of [A-Za-z0-9-._~]".into(),
            ));
        }
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Ok(Pkce {
            verifier: Secret::new(verifier),
            challenge,
        })
    }

    /// `code_verifier`, sent with the code exchange.
    pub fn verifier(&self) -> &Secret {
        &self.verifier
    }

    /// `code_challenge` (S256).
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let p = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(p.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(!format!("{p:?}").contains("dBjft"));
        assert!(Pkce::from_verifier("short").is_err());
        let g = Pkce::generate().unwrap();
        assert_eq!(g.verifier().expose().len(), 43);
    }
}
