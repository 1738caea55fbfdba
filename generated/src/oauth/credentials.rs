//! Machine-to-machine access tokens (client_credentials) kept until shortly before they expire:
//! one token request serves every caller until then, and concurrent callers wait for the one
//! request in flight instead of sending their own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;

use super::{OAuthClient, OAuthError};
use crate::auth::{Secret, Tokens};

/// Cached client_credentials tokens for one set of scopes.
///
/// ```no_run
/// # async fn demo() -> Result<(), cognito_idp::oauth::OAuthError> {
/// use cognito_idp::oauth::{ClientCredentials, OAuthClient};
/// let client = OAuthClient::new("https://example.auth.us-east-1.amazoncognito.com", "1example23456789")?
///     .with_client_secret("the app client secret");
/// let m2m = ClientCredentials::new(client, ["orders/read"]);
/// let token = m2m.access_token().await?; // fetched once, then reused until near expiry
/// # let _ = token; Ok(()) }
/// ```
#[derive(Debug)]
pub struct ClientCredentials {
    client: OAuthClient,
    scopes: Vec<String>,
    margin: Duration,
    cached: Mutex<Option<Tokens>>,
    fetches: AtomicU64,
}

impl ClientCredentials {
    /// Tokens for `scopes` (none = all the app client's custom scopes), renewed 60 s before
    /// they expire.
    pub fn new<S: Into<String>>(client: OAuthClient, scopes: impl IntoIterator<Item = S>) -> Self {
        ClientCredentials {
            client,
            scopes: scopes.into_iter().map(Into::into).collect(),
            margin: Duration::from_secs(60),
            cached: Mutex::new(None),
            fetches: AtomicU64::new(0),
        }
    }

    /// How long before expiry a token is renewed.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// A valid access token: the cached one, or a new one when it is missing or about to
    /// expire.
    pub async fn access_token(&self) -> Result<Secret, OAuthError> {
        Ok(self.tokens().await?.access_token().clone())
    }

    /// The cached tokens, renewed as [`Self::access_token`] does.
    pub async fn tokens(&self) -> Result<Tokens, OAuthError> {
        let mut cached = self.cached.lock().await;
        if let Some(t) = cached.as_ref().filter(|t| !t.needs_refresh(self.margin)) {
            return Ok(t.clone());
        }
        let fresh = self.client.client_credentials(&self.scopes).await?;
        self.fetches.fetch_add(1, Ordering::Relaxed);
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    /// Drops the cached token (e.g. after a resource server refused it).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    /// How many tokens were fetched from the token endpoint so far.
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }
}
