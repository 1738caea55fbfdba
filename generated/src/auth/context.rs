//! What one authenticator and every sign-in it starts share: the client, the configuration,
//! the pool's name for SRP and the device in use. A leaf module, so the authenticator, the
//! flow and its steps can all hold it without importing each other.

use std::sync::RwLock;

use super::config::AuthConfig;
use super::device::RememberedDevice;
use super::events::AuthEvent;
use crate::Client;

pub(crate) struct Context {
    client: Client,
    config: AuthConfig,
    pool_name: String,
    device: RwLock<Option<RememberedDevice>>,
}

impl Context {
    pub(crate) fn new(
        client: Client,
        config: AuthConfig,
        pool_name: String,
        device: Option<RememberedDevice>,
    ) -> Self {
        Context {
            client,
            config,
            pool_name,
            device: RwLock::new(device),
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn config(&self) -> &AuthConfig {
        &self.config
    }

    pub(crate) fn remembered_device(&self) -> Option<RememberedDevice> {
        self.device
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_remembered_device(&self, device: Option<RememberedDevice>) {
        *self.device.write().unwrap_or_else(|e| e.into_inner()) = device;
    }

    /// Drops the device if it is still the one with this key.
    pub(crate) fn forget_device(&self, device_key: &str) {
        let mut slot = self.device.write().unwrap_or_else(|e| e.into_inner());
        if slot.as_ref().map(|d| d.device_key.as_str()) == Some(device_key) {
            *slot = None;
        }
    }

    pub(crate) fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// SECRET_HASH over `username`, when the client has a secret.
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.config
            .client_secret
            .as_ref()
            .map(|secret| srp_core::secret_hash(secret.expose(), username, &self.config.client_id))
    }

    pub(crate) fn emit(&self, event: AuthEvent) {
        tracing::debug!(target: "cognito_idp::auth", event = ?event, "sign-in step");
        if let Some(observer) = &self.config.observer {
            observer(&event);
        }
    }
}
