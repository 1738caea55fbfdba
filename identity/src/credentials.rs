//! AWS credentials from an identity pool (the enhanced flow): GetId once, the identity id
//! cached and reused, then GetCredentialsForIdentity whenever the cached credentials come
//! within a margin of their expiry, one fetch for all concurrent callers.
//!
//! The provider is this project's runtime credentials provider
//! ([`awsjson_runtime::ProvideCredentials`]: any generated client can sign with it) and, with the
//! `aws-credential-types` feature, aws-sdk-rust's `ProvideCredentials`:
//!
//! ```no_run
//! # async fn demo(provider: cognito_identity::credentials::CognitoCredentialsProvider) {
//! # #[cfg(feature = "aws-credential-types")] {
//! use aws_credential_types::provider::SharedCredentialsProvider;
//! // aws_config::defaults(..).credentials_provider(SharedCredentialsProvider::new(provider))
//! let shared = SharedCredentialsProvider::new(provider);
//! # let _ = shared;
//! # }}
//! ```

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use awsjson_runtime::{Credentials, CredentialsError, CredentialsFuture};

use crate::failure::classify;
pub use crate::failure::{CognitoCredentialsError, ServiceFailure};
use crate::logins::{LoginTokens, ProvideLogins};
use crate::Client;

/// The time source of the provider (tests move it with an emulator's clock).
pub type ProviderClock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Credentials for one identity of an identity pool, cached and refreshed before expiry.
/// Cheap to clone; clones share the cache. `Debug` shows no credential.
#[derive(Clone)]
pub struct CognitoCredentialsProvider {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    identity_pool_id: String,
    account_id: Option<String>,
    logins: Option<Arc<dyn ProvideLogins>>,
    custom_role_arn: Option<String>,
    margin: Duration,
    clock: ProviderClock,
    identity_id: Mutex<Option<String>>,
    cached: Mutex<Option<Credentials>>,
    flight: tokio::sync::Mutex<()>,
    fetches: AtomicU64,
}

impl fmt::Debug for CognitoCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CognitoCredentialsProvider")
            .field("identity_pool_id", &self.inner.identity_pool_id)
            .field("identity_id", &self.identity_id())
            .field("authenticated", &self.inner.logins.is_some())
            .field("custom_role_arn", &self.inner.custom_role_arn)
            .field("margin", &self.inner.margin)
            .field("fetches", &self.fetch_count())
            .finish()
    }
}

/// Configures a [`CognitoCredentialsProvider`].
pub struct CognitoCredentialsProviderBuilder {
    client: Client,
    identity_pool_id: String,
    account_id: Option<String>,
    logins: Option<Arc<dyn ProvideLogins>>,
    custom_role_arn: Option<String>,
    identity_id: Option<String>,
    margin: Duration,
    clock: ProviderClock,
}

impl CognitoCredentialsProviderBuilder {
    /// The logins to present (a user-pool [`Session`](cognito_idp::auth::Session), fixed
    /// [`LoginTokens`], or your own source). Without logins the identity is unauthenticated,
    /// which the pool must allow.
    pub fn logins(mut self, logins: impl ProvideLogins + 'static) -> Self {
        self.logins = Some(Arc::new(logins));
        self
    }

    /// Like [`logins`](Self::logins), shared with other owners.
    pub fn shared_logins(mut self, logins: Arc<dyn ProvideLogins>) -> Self {
        self.logins = Some(logins);
        self
    }

    /// The role to assume, when the pool's role mapping gives the identity more than one
    /// (`CustomRoleArn`).
    pub fn custom_role_arn(mut self, arn: impl Into<String>) -> Self {
        self.custom_role_arn = Some(arn.into());
        self
    }

    /// The AWS account that owns the pool (`AccountId` of GetId; rarely needed).
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// An identity id kept from an earlier run ([`identity_id`](CognitoCredentialsProvider::identity_id)),
    /// so no GetId is needed.
    pub fn identity_id(mut self, identity_id: Option<String>) -> Self {
        self.identity_id = identity_id;
        self
    }

    /// How long before their expiry credentials are fetched again (default 5 minutes).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Another clock.
    pub fn clock(mut self, clock: ProviderClock) -> Self {
        self.clock = clock;
        self
    }

    /// The provider. Fails if the identity pool id is not `<region>:<uuid>`.
    pub fn build(self) -> Result<CognitoCredentialsProvider, CognitoCredentialsError> {
        let valid = self
            .identity_pool_id
            .split_once(':')
            .is_some_and(|(region, id)| !region.is_empty() && !id.is_empty());
        if !valid {
            return Err(CognitoCredentialsError::InvalidInput(format!(
                "identity pool id {:?} must look like <region>:<uuid>, e.g. \
                 us-east-1:0a1b2c3d-1111-2222-3333-444455556666",
                self.identity_pool_id
            )));
        }
        Ok(CognitoCredentialsProvider {
            inner: Arc::new(Inner {
                client: self.client,
                identity_pool_id: self.identity_pool_id,
                account_id: self.account_id,
                logins: self.logins,
                custom_role_arn: self.custom_role_arn,
                margin: self.margin,
                clock: self.clock,
                identity_id: Mutex::new(self.identity_id),
                cached: Mutex::new(None),
                flight: tokio::sync::Mutex::new(()),
                fetches: AtomicU64::new(0),
            }),
        })
    }
}

impl CognitoCredentialsProvider {
    /// A builder for the identity pool `identity_pool_id` (`<region>:<uuid>`), calling
    /// Cognito Identity through `client`.
    pub fn builder(
        client: Client,
        identity_pool_id: impl Into<String>,
    ) -> CognitoCredentialsProviderBuilder {
        CognitoCredentialsProviderBuilder {
            client,
            identity_pool_id: identity_pool_id.into(),
            account_id: None,
            logins: None,
            custom_role_arn: None,
            identity_id: None,
            margin: Duration::from_secs(300),
            clock: Arc::new(SystemTime::now),
        }
    }

    /// The identity id, once known (persist it to skip GetId next time).
    pub fn identity_id(&self) -> Option<String> {
        lock(&self.inner.identity_id).clone()
    }

    /// How many times credentials were fetched (GetCredentialsForIdentity calls).
    pub fn fetch_count(&self) -> u64 {
        self.inner.fetches.load(Ordering::Relaxed)
    }

    /// Forgets the cached credentials (not the identity id): the next call fetches new ones.
    pub fn invalidate(&self) {
        *lock(&self.inner.cached) = None;
    }

    fn fresh(&self) -> Option<Credentials> {
        let cached = lock(&self.inner.cached);
        let credentials = cached.as_ref()?;
        let expiry = credentials.expiry()?;
        ((self.inner.clock)() + self.inner.margin < expiry).then(|| credentials.clone())
    }

    /// Credentials valid for at least the margin: the cached ones, or new ones.
    pub async fn credentials(&self) -> Result<Credentials, CognitoCredentialsError> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let _flight = self.inner.flight.lock().await;
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let logins = match &self.inner.logins {
            Some(source) => source.logins().await?,
            None => LoginTokens::new(),
        };
        let cached_id = self.identity_id();
        let credentials = match cached_id {
            Some(id) => match self.fetch(&id, &logins).await {
                // The cached identity is gone (deleted, or the pool was recreated): once more
                // with a new one.
                Err(CognitoCredentialsError::NotFound(f))
                    if f.operation() == "GetCredentialsForIdentity" =>
                {
                    *lock(&self.inner.identity_id) = None;
                    let id = self.get_id(&logins).await?;
                    self.fetch(&id, &logins).await?
                }
                other => other?,
            },
            None => {
                let id = self.get_id(&logins).await?;
                self.fetch(&id, &logins).await?
            }
        };
        *lock(&self.inner.cached) = Some(credentials.clone());
        Ok(credentials)
    }

    async fn get_id(&self, logins: &LoginTokens) -> Result<String, CognitoCredentialsError> {
        let mut request = self
            .inner
            .client
            .get_id()
            .identity_pool_id(self.inner.identity_pool_id.clone());
        if let Some(account) = &self.inner.account_id {
            request = request.account_id(account.clone());
        }
        if !logins.is_empty() {
            request = request.set_logins(Some(logins.to_map()));
        }
        let out = request.send().await.map_err(|e| classify("GetId", e))?;
        let id = out.identity_id.filter(|id| !id.is_empty()).ok_or_else(|| {
            CognitoCredentialsError::InvalidResponse {
                operation: "GetId",
                reason: "no IdentityId".into(),
            }
        })?;
        *lock(&self.inner.identity_id) = Some(id.clone());
        Ok(id)
    }

    async fn fetch(
        &self,
        identity_id: &str,
        logins: &LoginTokens,
    ) -> Result<Credentials, CognitoCredentialsError> {
        const OP: &str = "GetCredentialsForIdentity";
        self.inner.fetches.fetch_add(1, Ordering::Relaxed);
        let mut request = self
            .inner
            .client
            .get_credentials_for_identity()
            .identity_id(identity_id.to_owned());
        if !logins.is_empty() {
            request = request.set_logins(Some(logins.to_map()));
        }
        if let Some(arn) = &self.inner.custom_role_arn {
            request = request.custom_role_arn(arn.clone());
        }
        let out = request.send().await.map_err(|e| classify(OP, e))?;
        if let Some(id) = out.identity_id.filter(|id| !id.is_empty()) {
            // Cognito answers with the identity the logins belong to (after a merge, another).
            *lock(&self.inner.identity_id) = Some(id);
        }
        let missing = |what: &str| CognitoCredentialsError::InvalidResponse {
            operation: OP,
            reason: format!("the credentials have no {what}"),
        };
        let c = out.credentials.ok_or_else(|| missing("value at all"))?;
        let access_key_id = c.access_key_id.ok_or_else(|| missing("AccessKeyId"))?;
        let secret_key = c.secret_key.ok_or_else(|| missing("SecretKey"))?;
        let session_token = c.session_token.ok_or_else(|| missing("SessionToken"))?;
        let expiration = c.expiration.ok_or_else(|| missing("Expiration"))?;
        let expiry = SystemTime::UNIX_EPOCH
            + Duration::from_secs(u64::try_from(expiration.secs()).unwrap_or(0))
            + Duration::from_nanos(u64::from(expiration.subsec_nanos()));
        tracing::debug!(
            target: "cognito_identity::credentials",
            identity_pool_id = %self.inner.identity_pool_id,
            "fetched identity pool credentials"
        );
        Ok(Credentials::new(access_key_id, secret_key, Some(session_token)).with_expiry(expiry))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl awsjson_runtime::ProvideCredentials for CognitoCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            self.credentials()
                .await
                .map_err(|e| CredentialsError::new(e.to_string()))
        })
    }
}

#[cfg(feature = "aws-credential-types")]
mod aws_sdk {
    use aws_credential_types::provider::{self, error::CredentialsError, future};

    use super::CognitoCredentialsProvider;

    /// aws-sdk-rust's provider trait: an SDK client built with this provider signs with the
    /// identity's credentials (its identity cache sees their expiry).
    impl provider::ProvideCredentials for CognitoCredentialsProvider {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                match self.credentials().await {
                    Ok(c) => Ok(aws_credential_types::Credentials::new(
                        c.access_key_id(),
                        c.secret_access_key(),
                        c.session_token().map(str::to_owned),
                        c.expiry(),
                        "CognitoIdentity",
                    )),
                    // "not loaded" lets a credentials chain try its next provider.
                    Err(e) if e.is_sign_in_required() => Err(CredentialsError::not_loaded(e)),
                    Err(e) => Err(CredentialsError::provider_error(e)),
                }
            })
        }
    }
}
