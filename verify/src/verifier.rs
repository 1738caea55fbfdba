//! The verifier: parse, header checks, key, RS256 signature, then the claim checks.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::checks;
use crate::claims::Claims;
use crate::error::{JwksError, KeyLookup, VerifyError};
use crate::jwk::Key;
use crate::keys::KeyCache;
use crate::requirements::TokenUse;
use crate::rules::Rules;
use crate::signature_cache::SignatureCacheStats;
use crate::token::{decode_unverified, UnverifiedToken};

/// Verifies the ID or access tokens of one Cognito user pool. Cheap to clone: clones share the
/// key cache.
///
/// ```no_run
/// # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_verify::{TokenUse, Verifier};
///
/// let verifier = Verifier::new("us-east-1_AbC123", TokenUse::Access, "1example23456789")?;
/// let claims = verifier.verify(token).await?;
/// println!("hello {}", claims.username().unwrap_or("?"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Verifier {
    pub(crate) rules: Arc<Rules>,
    pub(crate) keys: Arc<KeyCache>,
}

impl Verifier {
    /// This verifier for another `token_use`, sharing the key cache: one JWKS fetch serves a
    /// backend that verifies both ID and access tokens.
    pub fn for_token_use(&self, token_use: TokenUse) -> Verifier {
        let mut rules = (*self.rules).clone();
        rules.token_use = token_use;
        Verifier {
            rules: Arc::new(rules),
            keys: self.keys.clone(),
        }
    }

    /// Verifies `token`, fetching the JWKS when its `kid` is not cached (at most once per
    /// refetch interval, one fetch shared by concurrent calls). Needs a Tokio runtime.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        let parsed = self.parse(token)?;
        let kid = kid(&parsed)?;
        let key = self.keys.key(kid).await?;
        self.finish(parsed, &key, SystemTime::now())
    }

    /// Verifies `token` with the cached keys only: no I/O, no runtime needed. A `kid` not in
    /// the cache is [`VerifyError::UnknownKid`] (load keys with `hydrate()` or `with_jwks`).
    pub fn verify_sync(&self, token: &str) -> Result<Claims, VerifyError> {
        self.verify_sync_at(token, SystemTime::now())
    }

    /// [`verify_sync`](Self::verify_sync) at a given time (replaying logs, tests).
    pub fn verify_sync_at(&self, token: &str, now: SystemTime) -> Result<Claims, VerifyError> {
        let parsed = self.parse(token)?;
        let kid = kid(&parsed)?;
        let key = self
            .keys
            .cached(kid)
            .ok_or_else(|| VerifyError::UnknownKid {
                kid: kid.to_owned(),
                lookup: KeyLookup::CacheOnly,
            })?;
        self.finish(parsed, &key, now)
    }

    /// Fetches the JWKS now (e.g. at start-up, so the first request does not wait for it).
    /// Does nothing for a verifier with keys from `with_jwks` only.
    pub async fn hydrate(&self) -> Result<(), JwksError> {
        self.keys.hydrate().await
    }

    /// The user pool.
    pub fn user_pool_id(&self) -> &str {
        &self.rules.pool_id
    }

    /// The `iss` values accepted.
    pub fn issuers(&self) -> &[String] {
        &self.rules.issuers
    }

    /// Which `token_use` is accepted.
    pub fn token_use(&self) -> TokenUse {
        self.rules.token_use
    }

    /// The app client ids accepted (`None`: any).
    pub fn client_ids(&self) -> Option<&[String]> {
        self.rules.client_ids.as_deref()
    }

    /// Where keys are fetched from (`None`: offline), shown without user info or query.
    pub fn jwks_url(&self) -> Option<&str> {
        self.keys.url()
    }

    /// The `kid`s cached now.
    pub fn cached_kids(&self) -> Vec<String> {
        self.keys.kids()
    }

    /// How many JWKS fetches this verifier (and its clones) started.
    pub fn jwks_fetches(&self) -> u64 {
        self.keys.fetches_started()
    }

    /// The cache of verified signatures shared by this verifier and its clones: size, entries,
    /// hits and misses (see [`VerifierBuilder::signature_cache_size`](crate::VerifierBuilder::signature_cache_size)).
    pub fn signature_cache_stats(&self) -> SignatureCacheStats {
        self.keys.signatures().stats()
    }

    fn parse<'t>(&self, token: &'t str) -> Result<UnverifiedToken<'t>, VerifyError> {
        let parsed = decode_unverified(token)?;
        let header = parsed.header();
        if header.alg.as_deref() != Some("RS256") {
            return Err(VerifyError::Algorithm {
                found: header.alg.clone(),
            });
        }
        // RFC 7515 4.1.11: a recipient that does not understand a listed extension must refuse.
        if let Some(names) = &header.crit {
            return Err(VerifyError::CriticalHeader {
                names: names.clone(),
            });
        }
        Ok(parsed)
    }

    fn finish(
        &self,
        parsed: UnverifiedToken<'_>,
        key: &Key,
        now: SystemTime,
    ) -> Result<Claims, VerifyError> {
        let kid = kid(&parsed)?;
        let rsa = match key {
            Key::Rsa(k) => k,
            Key::Unusable(reason) => {
                return Err(VerifyError::UnusableKey {
                    kid: kid.to_owned(),
                    reason: reason.clone(),
                })
            }
        };
        let valid = self.keys.signatures().verifies(
            rsa,
            parsed.token,
            parsed.signing_input.as_bytes(),
            &parsed.signature,
        );
        if !valid {
            return Err(VerifyError::InvalidSignature {
                kid: kid.to_owned(),
            });
        }
        checks::check(&self.rules, &parsed.claims, now)?;
        Ok(parsed.claims)
    }
}

fn kid<'p>(parsed: &'p UnverifiedToken<'_>) -> Result<&'p str, VerifyError> {
    parsed
        .header()
        .kid
        .as_deref()
        .ok_or(VerifyError::MissingKid)
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("rules", &self.rules)
            .field("jwks_url", &self.jwks_url())
            .field("cached_kids", &self.cached_kids())
            .field("signature_cache", &self.keys.signatures())
            .finish()
    }
}

/// The app clients whose tokens are accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIds {
    /// Any app client of the pool (say so explicitly: most backends serve one client).
    Any,
    /// Only these.
    Only(Vec<String>),
}

impl From<&str> for ClientIds {
    fn from(id: &str) -> Self {
        ClientIds::Only(vec![id.to_owned()])
    }
}

impl From<String> for ClientIds {
    fn from(id: String) -> Self {
        ClientIds::Only(vec![id])
    }
}

impl From<Vec<String>> for ClientIds {
    fn from(ids: Vec<String>) -> Self {
        ClientIds::Only(ids)
    }
}

impl From<&[&str]> for ClientIds {
    fn from(ids: &[&str]) -> Self {
        ClientIds::Only(ids.iter().map(|s| (*s).to_owned()).collect())
    }
}
