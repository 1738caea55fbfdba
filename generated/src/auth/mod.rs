//! Sign-in flows over the generated operations and `srp-core`: every Cognito flow and
//! challenge, SECRET_HASH, device tracking and refresh, with types that say what comes next.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_idp::auth::{AuthConfig, Authenticator, DeviceOptions, SignInStep};
//! use std::time::Duration;
//!
//! let client = cognito_idp::Client::from_env()?; // region, endpoint override from the environment
//! let config = AuthConfig::new("us-east-1_AbC123", "1example23456789")
//!     .with_client_secret("app client secret"); // only if the app client has one
//! let auth = Authenticator::new(client, config)?;
//!
//! let mut step = auth.sign_in_srp("alice@example.com", "correct horse").await?;
//! let tokens = loop {
//!     step = match step {
//!         SignInStep::Done(tokens) => break tokens,
//!         SignInStep::NewPasswordRequired(c) => c.complete("a new password").await?,
//!         SignInStep::SoftwareTokenMfa(c) | SignInStep::SmsMfa(c) => c.answer("123456").await?,
//!         other => return Err(format!("not handled here: {}", other.name()).into()),
//!     };
//! };
//! if tokens.new_device().is_some() {
//!     let confirmed = auth.confirm_device(&tokens, DeviceOptions::remember("laptop")).await?;
//!     // persist confirmed.device (serde) and pass it to AuthConfig::with_device next time
//!     # let _ = confirmed;
//! }
//! if tokens.needs_refresh(Duration::from_secs(300)) {
//!     let _fresh = auth.refresh_tokens(&tokens).await?;
//! }
//! # Ok(()) }
//! ```
//!
//! What is handled for you:
//! - **SECRET_HASH** on InitiateAuth (over the USERNAME typed), on every challenge answer (over
//!   the USERNAME sent in it: the internal name once Cognito has named the user) and on refresh
//!   (over the token's `username`).
//! - **USERNAME after PASSWORD_VERIFIER**: the challenge's USERNAME, else USER_ID_FOR_SRP; the
//!   SRP math always uses USER_ID_FOR_SRP, so alias (email, phone) sign-in works.
//! - **Device tracking**: DEVICE_KEY on InitiateAuth, challenge answers and refresh;
//!   DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER answered inside; a device Cognito no longer
//!   knows is dropped and the sign-in retried once.
//! - **Servers that differ from AWS** (moto): USER_ID_FOR_SRP ≠ USERNAME, a UUID SECRET_BLOCK,
//!   Python-style list strings in MFA parameters.
//! - **Sessions that keep themselves fresh**: [`Session`] over an authenticator and a
//!   [`TokenStore`] ([`MemoryStore`], [`FileStore`] or your own) hands out tokens valid for a
//!   margin, refreshing once for all concurrent callers, with refresh-token rotation.
//! - **Secrets** (passwords, tokens, session, secret hash, device password) are [`Secret`]s:
//!   never in `Debug`, errors, events or logs.

mod authenticator;
mod config;
mod context;
mod device;
mod error;
mod events;
mod flow;
mod params;
mod secret;
mod session;
mod steps;
mod store;
mod tokens;

pub use authenticator::Authenticator;
pub use config::{AuthConfig, Observer};
pub use device::{ConfirmedDevice, DeviceOptions, RememberedDevice};
pub use error::{AuthError, ServiceError};
pub use events::AuthEvent;
pub use secret::{shorten, Secret};
pub use session::{RefreshMethod, Session, SessionClock, SessionError};
pub use steps::{
    CodeChallenge, CustomChallenge, MfaSetup, MfaType, NewPasswordRequired, PreferredChallenge,
    SelectChallenge, SelectMfaType, SignInStep, TotpSetup, UnknownChallenge,
};
pub use store::{FileStore, MemoryStore, StoreFuture, StoredSession, TokenStore, TokenStoreError};
pub use tokens::{unverified_claims, NewDevice, Tokens, UnverifiedClaims};
