//! Verify Amazon Cognito user-pool tokens on the server.
//!
//! A [`Verifier`] checks what AWS says to check, and what Cognito guarantees:
//! - the token is a compact JWS, strictly base64url-encoded, with `alg` `RS256` (never `none`,
//!   `HS*` or anything else) and no critical header it does not understand;
//! - its `kid` is in the pool's JWKS and the RS256 signature verifies (ring);
//! - `iss` is the pool's issuer, in either AWS form: `https://cognito-idp.{region}.amazonaws.com/{poolId}`
//!   or the newer `https://issuer-cognito-idp.{region}.amazonaws.com/{poolId}` (configurable;
//!   replicas' regions can be added);
//! - `exp` is in the future, `nbf` (if any) and `iat` are not, with a configurable leeway;
//! - `token_use` is the one expected, the app client is accepted (`client_id` on access
//!   tokens, `aud` on ID tokens), required groups (`cognito:groups`) and scopes (`scope`) are
//!   there, and a custom check of yours passes.
//!
//! Each failure is its own [`VerifyError`] variant naming the claim and the values. Tokens never
//! appear in errors or `Debug` output.
//!
//! A bounded cache remembers which signatures verified (as SHA-256 digests of key and token,
//! never the token), so a token seen again skips the RSA check; its claims are checked on every
//! call, and a key that leaves the JWKS takes its entries with it
//! ([`VerifierBuilder::signature_cache_size`]).
//!
//! Keys come from `{issuer}/.well-known/jwks.json` (or any URL, e.g. an emulator's), are cached,
//! and are fetched again on an unknown `kid` at most once per interval, by one fetch that all
//! concurrent verifications share; fetches have timeouts, a size cap and reqwest's proxy
//! support. [`Verifier::hydrate`] fetches ahead, [`VerifierBuilder::with_jwks`] works offline,
//! and [`Verifier::verify_sync`] never does I/O.
//!
//! ```no_run
//! # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use cognito_verify::{TokenUse, Verifier};
//!
//! let verifier = Verifier::builder("us-east-1_AbC123")
//!     .token_use(TokenUse::Access)
//!     .client_id("1example23456789")
//!     .require_any_scope(["orders/read"])
//!     .leeway(Duration::from_secs(5))
//!     .build()?;
//! verifier.hydrate().await?;                 // optional: keys before the first request
//! let claims = verifier.verify(token).await?;
//! # let _ = claims; Ok(()) }
//! ```
//!
//! With the `axum` feature, `axum::VerifyLayer` guards routes and `axum::Verified` hands the
//! claims to handlers.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum")]
pub mod axum;
mod builder;
mod checks;
mod claims;
mod error;
mod fetch;
mod jwk;
mod keys;
mod requirements;
mod rules;
mod signature_cache;
mod token;
mod verifier;

pub use builder::{
    VerifierBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_JWKS_BYTES,
    DEFAULT_REFETCH_INTERVAL,
};
pub use claims::Claims;
pub use error::{ConfigError, JwksError, KeyLookup, Segment, VerifyError};
pub use requirements::{IssuerFormat, Requirement, TokenUse};
pub use signature_cache::{SignatureCacheStats, DEFAULT_SIGNATURE_CACHE_SIZE};
pub use token::{decode_unverified, Header, UnverifiedToken, MAX_TOKEN_BYTES};
pub use verifier::{ClientIds, Verifier};
