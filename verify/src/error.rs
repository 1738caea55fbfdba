//! Why a token was refused, why the keys could not be had, and why a verifier could not be built.
//! Every variant names the claim or header and the values involved; none carries the token.

use std::fmt;
use std::time::Duration;

use crate::requirements::{Requirement, TokenUse};

/// Which part of the compact token a parse error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// The token as a whole (length, number of dots).
    Token,
    /// The first segment: the JOSE header.
    Header,
    /// The second segment: the claims.
    Payload,
    /// The third segment: the RSA signature.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Token => "token",
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// What happened when the token's `kid` was not among the cached keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLookup {
    /// `verify_sync` does no I/O: only the cached keys were consulted.
    CacheOnly,
    /// The verifier has no JWKS URL (keys given with `with_jwks` only).
    Offline,
    /// The JWKS was fetched again (by this call or a concurrent one) and the key is not in it.
    Refetched,
    /// A fetch happened less than the refetch interval ago; the next is allowed after this.
    RateLimited {
        /// Time until the next fetch is allowed.
        retry_in: Duration,
    },
}

/// Why a token was refused. Each failure is its own variant, naming the claim and the values.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is longer than the verifier accepts.
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a compact JWS: three base64url segments (no padding) of JSON, JSON, signature.
    Malformed {
        /// The part that is wrong.
        segment: Segment,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The header's `alg` is not `RS256` (Cognito signs with nothing else).
    Algorithm {
        /// The `alg` found, if any.
        found: Option<String>,
    },
    /// The header lists critical extensions (`crit`), none of which this verifier implements.
    CriticalHeader {
        /// The names listed.
        names: Vec<String>,
    },
    /// The header has no `kid` (or one that is not a string).
    MissingKid,
    /// No key with the token's `kid` in the JWKS.
    UnknownKid {
        /// The token's `kid`.
        kid: String,
        /// Whether the JWKS was fetched again, and when it may be.
        lookup: KeyLookup,
    },
    /// The JWKS has a key with this `kid` but it cannot verify RS256 signatures.
    UnusableKey {
        /// The key's `kid`.
        kid: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The RS256 signature does not verify with the key.
    InvalidSignature {
        /// The key tried.
        kid: String,
    },
    /// A claim the check needs is absent.
    MissingClaim {
        /// Its name.
        claim: &'static str,
    },
    /// A claim has the wrong JSON type.
    ClaimType {
        /// Its name.
        claim: &'static str,
        /// The type it must have.
        expected: &'static str,
    },
    /// `iss` is not this user pool's issuer.
    Issuer {
        /// The token's `iss`.
        found: String,
        /// The issuers accepted.
        expected: Vec<String>,
    },
    /// `exp` is past (beyond the leeway).
    Expired {
        /// The token's `exp` (seconds since the epoch).
        exp: f64,
        /// The verifier's time.
        now: u64,
        /// The clock leeway allowed, in seconds.
        leeway: u64,
    },
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid {
        /// The token's `nbf`.
        nbf: f64,
        /// The verifier's time.
        now: u64,
        /// The clock leeway allowed, in seconds.
        leeway: u64,
    },
    /// `iat` is in the future (beyond the leeway): no issuer's clock was there yet.
    IssuedInFuture {
        /// The token's `iat`.
        iat: f64,
        /// The verifier's time.
        now: u64,
        /// The clock leeway allowed, in seconds.
        leeway: u64,
    },
    /// `token_use` is not the one expected.
    TokenUse {
        /// The token's `token_use`.
        found: String,
        /// What the verifier accepts.
        expected: TokenUse,
    },
    /// The app client id (`client_id` on access tokens, `aud` on ID tokens) is not accepted.
    ClientId {
        /// `client_id` or `aud`.
        claim: &'static str,
        /// The token's value.
        found: String,
        /// The client ids accepted.
        expected: Vec<String>,
    },
    /// `cognito:groups` does not satisfy the group requirement.
    Groups {
        /// The token's groups.
        found: Vec<String>,
        /// What is required.
        required: Requirement,
    },
    /// `scope` does not satisfy the scope requirement.
    Scopes {
        /// The token's scopes.
        found: Vec<String>,
        /// What is required.
        required: Requirement,
    },
    /// The custom claims check refused the token.
    Rejected {
        /// The check's reason.
        reason: String,
    },
    /// The keys could not be fetched.
    Jwks(JwksError),
}

impl VerifyError {
    /// A short phrase without any value (for an HTTP `error_description`, or metrics labels).
    pub fn summary(&self) -> &'static str {
        match self {
            VerifyError::TooLarge { .. } => "token too large",
            VerifyError::Malformed { .. } => "malformed token",
            VerifyError::Algorithm { .. } => "unsupported algorithm",
            VerifyError::CriticalHeader { .. } => "unsupported critical header",
            VerifyError::MissingKid => "no key id",
            VerifyError::UnknownKid { .. } => "unknown key id",
            VerifyError::UnusableKey { .. } => "unusable key",
            VerifyError::InvalidSignature { .. } => "invalid signature",
            VerifyError::MissingClaim { .. } => "missing claim",
            VerifyError::ClaimType { .. } => "claim of the wrong type",
            VerifyError::Issuer { .. } => "wrong issuer",
            VerifyError::Expired { .. } => "token expired",
            VerifyError::NotYetValid { .. } => "token not valid yet",
            VerifyError::IssuedInFuture { .. } => "token issued in the future",
            VerifyError::TokenUse { .. } => "wrong token use",
            VerifyError::ClientId { .. } => "wrong client",
            VerifyError::Groups { .. } => "required group missing",
            VerifyError::Scopes { .. } => "required scope missing",
            VerifyError::Rejected { .. } => "token refused",
            VerifyError::Jwks(_) => "keys unavailable",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::TooLarge { len, max } => {
                write!(f, "token is {len} bytes, more than the {max} accepted")
            }
            VerifyError::Malformed { segment, reason } => {
                write!(f, "malformed token {segment}: {reason}")
            }
            VerifyError::Algorithm { found: Some(alg) } => {
                write!(f, "header alg is {alg:?}, expected \"RS256\"")
            }
            VerifyError::Algorithm { found: None } => {
                f.write_str("header has no alg, expected \"RS256\"")
            }
            VerifyError::CriticalHeader { names } => {
                write!(
                    f,
                    "header lists critical extensions {names:?}, none supported"
                )
            }
            VerifyError::MissingKid => f.write_str("header has no kid"),
            VerifyError::UnknownKid { kid, lookup } => {
                write!(f, "no key with kid {kid:?} in the JWKS")?;
                match lookup {
                    KeyLookup::CacheOnly => {
                        f.write_str(" (cached keys only: verify_sync does no I/O)")
                    }
                    KeyLookup::Offline => f.write_str(" (offline: keys given with with_jwks only)"),
                    KeyLookup::Refetched => f.write_str(" (fetched again)"),
                    KeyLookup::RateLimited { retry_in } => write!(
                        f,
                        " (fetched recently; next fetch allowed in {} ms)",
                        retry_in.as_millis()
                    ),
                }
            }
            VerifyError::UnusableKey { kid, reason } => {
                write!(f, "key {kid:?} of the JWKS cannot verify RS256: {reason}")
            }
            VerifyError::InvalidSignature { kid } => {
                write!(f, "signature does not verify with key {kid:?}")
            }
            VerifyError::MissingClaim { claim } => write!(f, "claim {claim} is missing"),
            VerifyError::ClaimType { claim, expected } => {
                write!(f, "claim {claim} is not {expected}")
            }
            VerifyError::Issuer { found, expected } => {
                write!(f, "iss is {found:?}, expected one of {expected:?}")
            }
            VerifyError::Expired { exp, now, leeway } => {
                write!(
                    f,
                    "token expired: exp {exp} is before now {now} (leeway {leeway} s)"
                )
            }
            VerifyError::NotYetValid { nbf, now, leeway } => write!(
                f,
                "token not valid yet: nbf {nbf} is after now {now} (leeway {leeway} s)"
            ),
            VerifyError::IssuedInFuture { iat, now, leeway } => write!(
                f,
                "token issued in the future: iat {iat} is after now {now} (leeway {leeway} s)"
            ),
            VerifyError::TokenUse { found, expected } => {
                write!(f, "token_use is {found:?}, expected {expected}")
            }
            VerifyError::ClientId {
                claim,
                found,
                expected,
            } => write!(f, "{claim} is {found:?}, expected one of {expected:?}"),
            VerifyError::Groups { found, required } => {
                write!(f, "cognito:groups {found:?} has not {required}")
            }
            VerifyError::Scopes { found, required } => {
                write!(f, "scope {found:?} has not {required}")
            }
            VerifyError::Rejected { reason } => write!(f, "custom check refused: {reason}"),
            VerifyError::Jwks(e) => write!(f, "JWKS unavailable: {e}"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::Jwks(e) => Some(e),
            _ => None,
        }
    }
}

impl From<JwksError> for VerifyError {
    fn from(e: JwksError) -> Self {
        VerifyError::Jwks(e)
    }
}

/// Why the JWKS could not be fetched or used. URLs are shown without user info or query.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksError {
    /// No answer within the fetch timeout.
    Timeout {
        /// The JWKS URL.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// The connection could not be made (refused, unreachable, DNS, TLS, proxy).
    Connect {
        /// The JWKS URL.
        url: String,
        /// The transport's reason.
        reason: String,
    },
    /// The request failed after connecting.
    Transport {
        /// The JWKS URL.
        url: String,
        /// The transport's reason.
        reason: String,
    },
    /// The server answered with a status other than 200.
    Status {
        /// The JWKS URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The document is larger than the size cap.
    TooLarge {
        /// The JWKS URL.
        url: String,
        /// The cap in bytes.
        max: usize,
    },
    /// The document is not a JWKS (`{"keys": [...]}`).
    Invalid {
        /// Where it came from (a URL, or `with_jwks`).
        source: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A fetch failed less than the refetch interval ago; this is its error.
    Backoff {
        /// The failed fetch's error.
        last: Box<JwksError>,
        /// Time until the next fetch is allowed.
        retry_in: Duration,
    },
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksError::Timeout { url, after } => {
                write!(f, "no answer from {url} within {} ms", after.as_millis())
            }
            JwksError::Connect { url, reason } => write!(f, "cannot connect to {url}: {reason}"),
            JwksError::Transport { url, reason } => write!(f, "fetching {url} failed: {reason}"),
            JwksError::Status { url, status } => write!(f, "{url} answered HTTP {status}"),
            JwksError::TooLarge { url, max } => {
                write!(f, "{url} sent more than the {max} bytes accepted")
            }
            JwksError::Invalid { source, reason } => write!(f, "{source} is not a JWKS: {reason}"),
            JwksError::Backoff { last, retry_in } => write!(
                f,
                "{last} (next fetch allowed in {} ms)",
                retry_in.as_millis()
            ),
        }
    }
}

impl std::error::Error for JwksError {}

/// Why a verifier could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not a user pool id (`<region>_<id>`, e.g. `us-east-1_AbC123`).
    UserPoolId {
        /// What was given.
        found: String,
    },
    /// Not an AWS region name (for `additional_regions`).
    Region {
        /// What was given.
        found: String,
    },
    /// The expected `token_use` was not chosen (`token_use(..)`).
    TokenUseNotChosen,
    /// The accepted client ids were not chosen (`client_id(..)`, `client_ids(..)` or
    /// `any_client_id()`).
    ClientIdNotChosen,
    /// `client_ids` was given no id, or an empty one.
    EmptyClientId,
    /// A group or scope requirement lists nothing, or an empty name.
    EmptyRequirement {
        /// `groups` or `scopes`.
        what: &'static str,
    },
    /// An issuer given with `issuers(..)` is empty.
    EmptyIssuer,
    /// The JWKS URL cannot be used.
    JwksUrl {
        /// The URL given.
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// The JWKS given with `with_jwks` is not one.
    Jwks(JwksError),
    /// The HTTP client could not be built.
    HttpClient {
        /// The client builder's reason.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UserPoolId { found } => write!(
                f,
                "{found:?} is not a user pool id (<region>_<id>, e.g. us-east-1_AbC123)"
            ),
            ConfigError::Region { found } => write!(f, "{found:?} is not an AWS region"),
            ConfigError::TokenUseNotChosen => f.write_str(
                "choose the token_use to accept: TokenUse::Access, TokenUse::Id or TokenUse::Either",
            ),
            ConfigError::ClientIdNotChosen => f.write_str(
                "choose the app client ids to accept (client_id / client_ids), or any_client_id()",
            ),
            ConfigError::EmptyClientId => f.write_str("client ids must be non-empty"),
            ConfigError::EmptyRequirement { what } => {
                write!(f, "the {what} requirement must name at least one, none empty")
            }
            ConfigError::EmptyIssuer => f.write_str("issuers must be non-empty"),
            ConfigError::JwksUrl { url, reason } => write!(f, "JWKS URL {url:?}: {reason}"),
            ConfigError::Jwks(e) => write!(f, "{e}"),
            ConfigError::HttpClient { reason } => write!(f, "cannot build the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}
