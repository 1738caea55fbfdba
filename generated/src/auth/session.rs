//! A signed-in user whose tokens keep themselves fresh: `access_token()` always returns a token
//! valid for at least a margin, refreshing (once, for all concurrent callers) when needed, and
//! the refresh token (rotated or not) is stored before any caller sees the new tokens.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::authenticator::Authenticator;
use super::error::AuthError;
use super::secret::Secret;
use super::store::{StoredSession, TokenStore, TokenStoreError};
use super::tokens::Tokens;

/// The time source of a session: when tokens were received and whether they are still fresh.
/// Tests move it together with an emulator's clock.
pub type SessionClock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// How a session refreshes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshMethod {
    /// InitiateAuth with `REFRESH_TOKEN_AUTH` (the app client must not rotate refresh tokens).
    /// If Cognito answers that the flow is not enabled, the session switches to
    /// GetTokensFromRefreshToken for good.
    InitiateAuth,
    /// GetTokensFromRefreshToken: needed when the app client rotates refresh tokens.
    GetTokensFromRefreshToken,
}

/// Why a session has no token to give.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// The user must sign in again: nobody signed in yet, the session was signed out, or the
    /// refresh token is expired, revoked or rotated out (the store has been cleared).
    SignInRequired {
        /// What happened, in words.
        reason: String,
        /// Cognito's refusal, when there was one.
        source: Option<AuthError>,
    },
    /// The refresh failed for another reason (network, throttling, configuration); the stored
    /// session is kept and the next call tries again.
    Refresh(AuthError),
    /// The token store failed. After a refresh the new tokens are kept in memory and the next
    /// call saves them again before handing them out.
    Store(TokenStoreError),
}

impl SessionError {
    /// True when only a new sign-in helps.
    pub fn is_sign_in_required(&self) -> bool {
        matches!(self, SessionError::SignInRequired { .. })
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::SignInRequired { reason, .. } => {
                write!(f, "sign in again: {reason}")
            }
            SessionError::Refresh(e) => write!(f, "refreshing the session failed: {e}"),
            SessionError::Store(e) => write!(f, "the session store failed: {e}"),
        }
    }
}

impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SessionError::SignInRequired { source, .. } => source
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
            SessionError::Refresh(e) => Some(e),
            SessionError::Store(e) => Some(e),
        }
    }
}

/// One user's tokens over an [`Authenticator`] and a [`TokenStore`]. Cheap to clone; clones
/// share the state, so one refresh serves every clone.
///
/// ```no_run
/// # async fn demo(auth: cognito_idp::auth::Authenticator, tokens: cognito_idp::auth::Tokens) -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_idp::auth::{FileStore, Session};
/// use std::time::Duration;
///
/// let session = Session::new(auth, FileStore::new("app-session.json"))
///     .with_margin(Duration::from_secs(120));
/// session.start(&tokens).await?; // after a sign-in; later runs just load the file
/// let token = session.access_token().await?; // valid for at least two more minutes
/// # let _ = token;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
    /// Per handle: a clone can ask for another margin or clock and still share the state.
    margin: Duration,
    clock: SessionClock,
}

struct Inner {
    auth: Authenticator,
    store: Arc<dyn TokenStore>,
    rotating: AtomicBool,
    /// What was last loaded, received or saved; `None` before the first load.
    state: Mutex<Cached>,
    /// Held by the one caller that loads or refreshes; the others wait and then read `state`.
    flight: tokio::sync::Mutex<()>,
    refreshes: AtomicU64,
}

#[derive(Default)]
struct Cached {
    loaded: bool,
    session: Option<Arc<StoredSession>>,
    /// Received but not yet saved (the store failed): must be saved before it is handed out.
    unsaved: bool,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.state();
        f.debug_struct("Session")
            .field("authenticator", &self.inner.auth)
            .field("margin", &self.margin)
            .field("rotating", &self.inner.rotating.load(Ordering::Relaxed))
            .field("signed_in", &state.session.is_some())
            .field("refreshes", &self.refresh_count())
            .finish()
    }
}

impl Inner {
    fn state(&self) -> std::sync::MutexGuard<'_, Cached> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Session {
    /// A session for `auth`'s app client, kept in `store`. Nothing is loaded until first use.
    /// The default margin is 5 minutes; the refresh method REFRESH_TOKEN_AUTH (see
    /// [`with_refresh_token_rotation`](Self::with_refresh_token_rotation)).
    pub fn new(auth: Authenticator, store: impl TokenStore + 'static) -> Self {
        Session::with_store(auth, Arc::new(store))
    }

    /// Like [`new`](Self::new), with a shared store.
    pub fn with_store(auth: Authenticator, store: Arc<dyn TokenStore>) -> Self {
        Session {
            inner: Arc::new(Inner {
                auth,
                store,
                rotating: AtomicBool::new(false),
                state: Mutex::new(Cached::default()),
                flight: tokio::sync::Mutex::new(()),
                refreshes: AtomicU64::new(0),
            }),
            margin: Duration::from_secs(300),
            clock: Arc::new(SystemTime::now),
        }
    }

    /// How long a token handed out by this handle must stay valid at least (default 5
    /// minutes).
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Refresh with GetTokensFromRefreshToken, as app clients with refresh-token rotation
    /// require; each refresh then stores the new refresh token. Applies to every clone.
    pub fn with_refresh_token_rotation(self) -> Self {
        self.inner.rotating.store(true, Ordering::Relaxed);
        self
    }

    /// Another clock for this handle (tests; apps whose clock is known to be off).
    pub fn with_clock(mut self, clock: SessionClock) -> Self {
        self.clock = clock;
        self
    }

    fn now_secs(&self) -> u64 {
        (self.clock)()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn fresh(&self, session: &StoredSession) -> bool {
        self.now_secs().saturating_add(self.margin.as_secs()) < session.expires_at
    }

    /// The cached session if it can be handed out as it is.
    fn usable(&self) -> Option<Arc<StoredSession>> {
        let state = self.inner.state();
        match &state.session {
            Some(s) if state.loaded && !state.unsaved && self.fresh(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The authenticator underneath.
    pub fn authenticator(&self) -> &Authenticator {
        &self.inner.auth
    }

    /// The refresh method in use.
    pub fn refresh_method(&self) -> RefreshMethod {
        if self.inner.rotating.load(Ordering::Relaxed) {
            RefreshMethod::GetTokensFromRefreshToken
        } else {
            RefreshMethod::InitiateAuth
        }
    }

    /// How many refreshes this session has made (successful or not).
    pub fn refresh_count(&self) -> u64 {
        self.inner.refreshes.load(Ordering::Relaxed)
    }

    /// Begins the session with the tokens of a sign-in and stores them (with the
    /// authenticator's remembered device) before returning.
    pub async fn start(&self, tokens: &Tokens) -> Result<(), SessionError> {
        let _flight = self.inner.flight.lock().await;
        let session = self.stored_from(tokens, None);
        self.save(session).await.map(|_| ())
    }

    /// An access token valid for at least the margin, refreshed first if needed.
    pub async fn access_token(&self) -> Result<Secret, SessionError> {
        Ok(self.current().await?.access_token.clone())
    }

    /// An ID token valid for at least the margin, refreshed first if needed (for identity
    /// pools' `Logins`, and APIs that want the ID token).
    pub async fn id_token(&self) -> Result<Secret, SessionError> {
        self.current()
            .await?
            .id_token
            .clone()
            .ok_or_else(|| SessionError::SignInRequired {
                reason: "the stored session has no ID token".into(),
                source: None,
            })
    }

    /// The whole stored state, fresh for at least the margin.
    pub async fn current(&self) -> Result<Arc<StoredSession>, SessionError> {
        if let Some(s) = self.usable() {
            return Ok(s);
        }
        let _flight = self.inner.flight.lock().await;
        // Whoever held the flight before may have done the work.
        if let Some(s) = self.usable() {
            return Ok(s);
        }
        let (session, unsaved) = self.loaded().await?;
        let Some(session) = session else {
            return Err(SessionError::SignInRequired {
                reason: "nobody is signed in (no stored session)".into(),
                source: None,
            });
        };
        if self.fresh(&session) {
            if unsaved {
                return self.save((*session).clone()).await;
            }
            return Ok(session);
        }
        self.refresh_locked(&session).await
    }

    /// Refreshes now, whatever the expiry (after a permission change, for new claims).
    pub async fn refresh_now(&self) -> Result<Arc<StoredSession>, SessionError> {
        let _flight = self.inner.flight.lock().await;
        let (session, _) = self.loaded().await?;
        let Some(session) = session else {
            return Err(SessionError::SignInRequired {
                reason: "nobody is signed in (no stored session)".into(),
                source: None,
            });
        };
        self.refresh_locked(&session).await
    }

    /// Forgets the session locally (the tokens stay valid at Cognito until they expire; see
    /// [`revoke`](Self::revoke)).
    pub async fn sign_out(&self) -> Result<(), SessionError> {
        let _flight = self.inner.flight.lock().await;
        self.clear().await
    }

    /// Revokes the refresh token at Cognito (RevokeToken: the access tokens issued with it
    /// stop working too), then forgets the session.
    pub async fn revoke(&self) -> Result<(), SessionError> {
        let _flight = self.inner.flight.lock().await;
        let (session, _) = self.loaded().await?;
        if let Some(token) = session.as_ref().and_then(|s| s.refresh_token.clone()) {
            let auth = &self.inner.auth;
            let mut request = auth
                .client()
                .revoke_token()
                .token(token.expose())
                .client_id(auth.config().client_id().to_owned());
            if let Some(secret) = &auth.config().client_secret {
                request = request.client_secret(secret.expose());
            }
            request.send().await.map_err(|e| {
                SessionError::Refresh(AuthError::from_operation("RevokeToken", None, e))
            })?;
        }
        self.clear().await
    }

    /// The cached state, loading it from the store on first use. Holds the flight.
    async fn loaded(&self) -> Result<(Option<Arc<StoredSession>>, bool), SessionError> {
        {
            let state = self.inner.state();
            if state.loaded {
                return Ok((state.session.clone(), state.unsaved));
            }
        }
        let stored = self.inner.store.load().await.map_err(SessionError::Store)?;
        if let Some(device) = stored.as_ref().and_then(|s| s.device.clone()) {
            if self.inner.auth.remembered_device().is_none() {
                self.inner.auth.set_remembered_device(Some(device));
            }
        }
        let session = stored.map(Arc::new);
        let mut state = self.inner.state();
        state.loaded = true;
        state.session = session.clone();
        state.unsaved = false;
        Ok((session, false))
    }

    /// Refreshes `session` and saves the result before returning it. Holds the flight.
    async fn refresh_locked(
        &self,
        session: &StoredSession,
    ) -> Result<Arc<StoredSession>, SessionError> {
        let Some(refresh_token) = session.refresh_token.clone() else {
            self.clear().await?;
            return Err(SessionError::SignInRequired {
                reason: "the session expired and has no refresh token".into(),
                source: None,
            });
        };
        self.inner.refreshes.fetch_add(1, Ordering::Relaxed);
        let auth = &self.inner.auth;
        let result = if self.inner.rotating.load(Ordering::Relaxed) {
            auth.refresh_rotating(&refresh_token).await
        } else {
            match auth
                .refresh(&refresh_token, session.username.as_deref())
                .await
            {
                // The app client rotates refresh tokens: REFRESH_TOKEN_AUTH is refused there.
                Err(AuthError::FlowNotEnabled { .. }) => {
                    self.inner.rotating.store(true, Ordering::Relaxed);
                    auth.refresh_rotating(&refresh_token).await
                }
                other => other,
            }
        };
        match result {
            Ok(tokens) => {
                let fresh = self.stored_from(&tokens, Some(session));
                self.save(fresh).await
            }
            Err(e) if means_sign_in_again(&e) => {
                self.clear().await?;
                Err(SessionError::SignInRequired {
                    reason: format!("the refresh token no longer works ({e})"),
                    source: Some(e),
                })
            }
            Err(e) => Err(SessionError::Refresh(e)),
        }
    }

    fn stored_from(&self, tokens: &Tokens, previous: Option<&StoredSession>) -> StoredSession {
        let expires_at = self
            .now_secs()
            .saturating_add(tokens.expires_in().as_secs());
        StoredSession {
            access_token: tokens.access_token().clone(),
            id_token: tokens
                .id_token()
                .cloned()
                .or_else(|| previous.and_then(|p| p.id_token.clone())),
            refresh_token: tokens
                .refresh_token()
                .cloned()
                .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            expires_at,
            username: tokens
                .username()
                .or_else(|| previous.and_then(|p| p.username.clone())),
            device: self.inner.auth.remembered_device(),
        }
    }

    /// Saves, then publishes to the cache. On a store failure the new state is kept in memory,
    /// marked unsaved, so it is not lost (a rotated refresh token cannot be fetched again) and
    /// not handed out before a later save succeeds.
    async fn save(&self, session: StoredSession) -> Result<Arc<StoredSession>, SessionError> {
        let saved = self.inner.store.save(&session).await;
        let session = Arc::new(session);
        let mut state = self.inner.state();
        state.loaded = true;
        state.session = Some(session.clone());
        state.unsaved = saved.is_err();
        match saved {
            Ok(()) => Ok(session),
            Err(e) => Err(SessionError::Store(e)),
        }
    }

    async fn clear(&self) -> Result<(), SessionError> {
        {
            let mut state = self.inner.state();
            state.loaded = true;
            state.session = None;
            state.unsaved = false;
        }
        self.inner.store.clear().await.map_err(SessionError::Store)
    }
}

/// Refusals after which the refresh token will never work again.
fn means_sign_in_again(e: &AuthError) -> bool {
    matches!(
        e,
        AuthError::InvalidRefreshToken(_)
            | AuthError::UserNotFound(_)
            | AuthError::UserDisabled(_)
            | AuthError::PasswordResetRequired(_)
    )
}
