//! OAuth 2.0 with a user pool domain (managed login / hosted UI and machine-to-machine):
//! the authorize URL with PKCE (S256), `state` and `nonce`, the code exchange, refresh,
//! revocation, userInfo, and client_credentials with a cache that renews tokens before they
//! expire. Errors are typed from the OAuth error JSON ([`OAuthErrorKind`]); secrets, codes,
//! verifiers and tokens are [`Secret`](crate::auth::Secret)s, never in `Debug` or errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_idp::oauth::{AuthorizationRequest, OAuthClient};
//! let client = OAuthClient::new("https://example.auth.us-east-1.amazoncognito.com", "1example23456789")?;
//! let pending = client.authorize(&AuthorizationRequest::new("http://localhost:8400/callback").scope("openid"))?;
//! println!("open {}", pending.url());
//! // ... the browser comes back to http://localhost:8400/callback?code=...&state=...
//! # let redirected = String::new();
//! let code = pending.accept_redirect(&redirected)?;          // checks state
//! let tokens = client.exchange_code(&pending, &code).await?; // sends the PKCE verifier
//! let fresh = client.refresh(tokens.refresh_token().ok_or("no refresh token")?).await?;
//! # let _ = fresh; Ok(()) }
//! ```
//!
//! A local emulator serves a domain at `http://127.0.0.1:PORT/domain/{domain}`; pass that as
//! the domain.

mod client;
mod credentials;
mod error;
mod pkce;

pub use client::{AuthorizationCode, AuthorizationRequest, OAuthClient, PendingAuthorization};
pub use credentials::ClientCredentials;
pub use error::{OAuthError, OAuthErrorKind};
pub use pkce::Pkce;
