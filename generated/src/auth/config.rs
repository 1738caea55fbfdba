//! What an authenticator needs to know about the app client.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::device::RememberedDevice;
use super::events::AuthEvent;
use super::secret::Secret;

/// A callback that sees each step of a sign-in (see [`AuthEvent`]).
pub type Observer = Arc<dyn Fn(&AuthEvent) + Send + Sync>;

/// The user pool and app client to sign in to.
///
/// ```
/// use cognito_idp::auth::AuthConfig;
/// let config = AuthConfig::new("us-east-1_AbC123", "1example23456789")
///     .with_client_secret("s3cr3t"); // only for app clients that have a secret
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) user_pool_id: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<Secret>,
    pub(crate) device: Option<RememberedDevice>,
    pub(crate) client_metadata: HashMap<String, String>,
    pub(crate) observer: Option<Observer>,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("device", &self.device)
            .field("client_metadata", &self.client_metadata.keys())
            .field("observer", &self.observer.as_ref().map(|_| "set"))
            .finish()
    }
}

impl AuthConfig {
    /// A pool id such as `us-east-1_AbC123` and an app client id.
    pub fn new(user_pool_id: impl Into<String>, client_id: impl Into<String>) -> Self {
        AuthConfig {
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            client_secret: None,
            device: None,
            client_metadata: HashMap::new(),
            observer: None,
        }
    }

    /// The app client's secret: SECRET_HASH is then added to every request.
    pub fn with_client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Like [`with_client_secret`](Self::with_client_secret), with an optional value.
    pub fn with_optional_client_secret(mut self, secret: Option<Secret>) -> Self {
        self.client_secret = secret;
        self
    }

    /// A device remembered at an earlier sign-in: DEVICE_KEY is sent, and device SRP is
    /// answered with it.
    pub fn with_device(mut self, device: Option<RememberedDevice>) -> Self {
        self.device = device;
        self
    }

    /// ClientMetadata sent with InitiateAuth and every challenge answer (for Lambda triggers).
    pub fn with_client_metadata(mut self, metadata: HashMap<String, String>) -> Self {
        self.client_metadata = metadata;
        self
    }

    /// Sees each step of every sign-in (for progress output or logging). It is never given a
    /// password, token, session or secret hash.
    pub fn with_observer(mut self, observer: impl Fn(&AuthEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The user pool id.
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Whether a client secret is configured.
    pub fn has_client_secret(&self) -> bool {
        self.client_secret.is_some()
    }
}
