//! Credentials for SigV4 operations: fixed, from the environment, or from the shared
//! `~/.aws/credentials` / `~/.aws/config` files with a profile. No instance-metadata probing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::env::{config_file, credentials_file, profile_properties, EnvSource};

/// AWS credentials. `Debug` shows none of the three values.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from an access key id, a secret key and an optional session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, valid until `expiry` (temporary credentials).
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When temporary credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &crate::REDACTED)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why no credentials could be provided. The message never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// A new error with a message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// What [`ProvideCredentials::provide_credentials`] returns: a future, because a provider may
/// have to ask a service (Cognito identity pools, STS) for temporary credentials.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked only when a SigV4 operation is about to be sent. A provider
/// of temporary credentials caches them and refreshes them before their expiry itself.
pub trait ProvideCredentials: Send + Sync {
    /// Credentials for one request.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let found = self.clone();
        Box::pin(async move { Ok(found) })
    }
}

/// The default chain: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, then
/// the profile (`AWS_PROFILE` or `default`) in the shared credentials file, then in the config
/// file. A found set is kept for the life of the handle.
pub(crate) struct DefaultChain {
    env: EnvSource,
    profile: Option<String>,
    cached: Mutex<Option<Credentials>>,
}

impl DefaultChain {
    pub(crate) fn new(env: EnvSource, profile: Option<String>) -> Self {
        DefaultChain {
            env,
            profile,
            cached: Mutex::new(None),
        }
    }

    fn lookup(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.env;
        match (
            env.get("AWS_ACCESS_KEY_ID"),
            env.get("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => {
                return Ok(Credentials::new(id, secret, env.get("AWS_SESSION_TOKEN")))
            }
            (Some(_), None) => {
                return Err(CredentialsError::new(
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                ))
            }
            _ => {}
        }
        let profile = self
            .profile
            .clone()
            .or_else(|| env.get("AWS_PROFILE"))
            .unwrap_or_else(|| "default".to_string());
        for (path, is_config) in [(credentials_file(env), false), (config_file(env), true)] {
            let Some(path) = path else { continue };
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let props = profile_properties(&text, &profile, is_config);
            let get = |k: &str| {
                props
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())
            };
            match (get("aws_access_key_id"), get("aws_secret_access_key")) {
                (Some(id), Some(secret)) => {
                    return Ok(Credentials::new(id, secret, get("aws_session_token")))
                }
                (Some(_), None) | (None, Some(_)) => {
                    return Err(CredentialsError::new(format!(
                        "profile {profile:?} in {} has only one of aws_access_key_id and \
                         aws_secret_access_key",
                        path.display()
                    )))
                }
                _ => {}
            }
        }
        Err(CredentialsError::new(format!(
            "no AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment and no keys for \
             profile {profile:?} in the shared credentials or config file"
        )))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let found = self.cached_or_lookup();
        Box::pin(async move { found })
    }
}

impl DefaultChain {
    fn cached_or_lookup(&self) -> Result<Credentials, CredentialsError> {
        if let Ok(guard) = self.cached.lock() {
            if let Some(c) = guard.as_ref() {
                return Ok(c.clone());
            }
        }
        let found = self.lookup()?;
        if let Ok(mut guard) = self.cached.lock() {
            *guard = Some(found.clone());
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_reads_env_then_files() {
        let dir = std::env::temp_dir().join(format!("awsjson-rt-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("credentials");
        std::fs::write(
            &file,
            "[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\
             [other]\naws_access_key_id = A2\naws_secret_access_key = S2\naws_session_token = T2\n",
        )
        .unwrap();
        let f = file.to_string_lossy().to_string();
        let env = |vars: Vec<(&str, &str)>| {
            EnvSource::Fixed(std::sync::Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ))
        };
        let c = DefaultChain::new(
            env(vec![
                ("AWS_ACCESS_KEY_ID", "E"),
                ("AWS_SECRET_ACCESS_KEY", "ES"),
            ]),
            None,
        )
        .cached_or_lookup()
        .unwrap();
        assert_eq!(c.access_key_id(), "E");
        let c = DefaultChain::new(env(vec![("AWS_SHARED_CREDENTIALS_FILE", &f)]), None)
            .cached_or_lookup()
            .unwrap();
        assert_eq!(c.access_key_id(), "A1");
        let c = DefaultChain::new(
            env(vec![
                ("AWS_SHARED_CREDENTIALS_FILE", &f),
                ("AWS_PROFILE", "other"),
            ]),
            None,
        )
        .cached_or_lookup()
        .unwrap();
        assert_eq!(c.session_token(), Some("T2"));
        let none = DefaultChain::new(
            env(vec![
                ("AWS_SHARED_CREDENTIALS_FILE", &f),
                ("AWS_CONFIG_FILE", &f),
            ]),
            Some("missing".into()),
        )
        .cached_or_lookup();
        assert!(none.is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
