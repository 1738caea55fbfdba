//! A local Amazon Cognito user-pool service that really verifies SRP.
//!
//! It speaks the awsJson1_1 API (`POST /`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`,
//! and identity pools' `AWSCognitoIdentityService.<Op>` on the same port) on 127.0.0.1, keeps
//! everything keyed by region (in memory, or in a state directory with `--state`), checks
//! PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER claims with `srp-core`'s server role, and
//! issues RS256 tokens that verify against `GET /{poolId}/.well-known/jwks.json`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = cognito_emulator::Emulator::start("127.0.0.1:0").await?;
//! let url = emu.endpoint_url(); // point any Cognito client here
//! # let _ = url;
//! emu.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Layout: `server` (HTTP), `protocol` (decoding requests into the generated inputs), `model`
//! (where the generated shapes live), `error`,
//! `store` (state), `ops/*` (one file per group of operations), `tokens` (JWT/JWKS), `totp`,
//! `clock`, `hooks` (CUSTOM_AUTH), `identity` (identity pools), `oauth` (domains, resource
//! servers, the OAuth endpoints and managed login pages).
#![forbid(unsafe_code)]

mod certificate;
mod clock;
mod cors;
mod error;
mod guard;
pub mod hooks;
mod identity;
mod ids;
mod model;
mod oauth;
mod ops;
mod persist;
mod protocol;
mod request_log;
mod seed;
mod server;
mod store;
mod tokens;
mod totp;
mod triggers;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use clock::Clock;
pub use error::ApiError;
pub use hooks::{CustomAuthHook, FixedAnswer};
pub use identity::IssuedCredentials;
pub use ops::seed::SeedReport;
pub use persist::{LoadReport, FORMAT as STATE_FORMAT};
pub use store::{CodeKind, SentCode};

/// Largest request body accepted; bigger ones get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub(crate) struct Shared {
    store: Mutex<store::Store>,
    clock: Clock,
    custom_auth: RwLock<Option<Arc<dyn CustomAuthHook>>>,
    keys: Arc<tokens::Keys>,
    /// The state directory, with `--state`.
    state: Option<persist::State>,
    request_log: Option<request_log::RequestLog>,
    triggers: triggers::Registry,
    /// `http://ADDR:PORT` once the listener is bound (import jobs hand out URLs on it).
    endpoint: std::sync::OnceLock<String>,
}

impl Shared {
    fn new(options: &Options) -> io::Result<(Self, Option<LoadReport>)> {
        let clock = Clock::default();
        let (store, keys, state, report) = match &options.state_dir {
            Some(dir) => {
                let compact = options
                    .compact_above_bytes
                    .unwrap_or(persist::COMPACT_ABOVE_BYTES);
                let opened =
                    persist::State::open(dir, clock.now(), compact).map_err(io::Error::other)?;
                (
                    opened.store,
                    opened.keys,
                    Some(opened.state),
                    Some(opened.report),
                )
            }
            None => (
                store::Store::default(),
                tokens::Keys::for_process().map_err(|e| io::Error::other(e.to_string()))?,
                None,
                None,
            ),
        };
        let shared = Shared {
            store: Mutex::new(store),
            clock,
            custom_auth: RwLock::new(None),
            keys,
            state,
            request_log: options.request_log.then(request_log::RequestLog::default),
            triggers: triggers::Registry::default(),
            endpoint: std::sync::OnceLock::new(),
        };
        for (arn, url) in &options.triggers {
            shared.triggers.set_url(arn, url);
        }
        Ok((shared, report))
    }

    /// Makes what the calling operation changed durable (with a state directory), after it
    /// has finished with the store: the answer goes out only once its changes are on disk.
    pub(crate) fn commit(&self) -> Result<(), ApiError> {
        let ticket = {
            let mut store = self.store();
            match &self.state {
                Some(state) => state.stage(&mut store),
                None => {
                    store.forget_changes();
                    return Ok(());
                }
            }
        };
        let durable = ticket.and_then(|t| match &self.state {
            Some(state) => state.wait(t),
            None => Ok(()),
        });
        durable.map_err(|e| ApiError::internal(format!("The state could not be saved: {e}")))
    }

    /// The store. A panic while it was held (none is expected) must not take the whole
    /// emulator down: the data is still consistent per operation, so the poison is cleared.
    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The URL this emulator serves on (the default port's before it is bound).
    pub(crate) fn endpoint(&self) -> String {
        self.endpoint
            .get()
            .cloned()
            .unwrap_or_else(|| "http://127.0.0.1:9229".to_owned())
    }

    pub(crate) fn custom_auth(&self) -> Option<Arc<dyn CustomAuthHook>> {
        self.custom_auth
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// How to run an emulator; `Options::default()` is what `Emulator::start` uses.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// Keep the state in this directory across restarts (`--state DIR`); in memory if None.
    pub state_dir: Option<PathBuf>,
    /// Fold the state's log into a new snapshot once it is this long (default 64 MiB).
    pub compact_above_bytes: Option<u64>,
    /// Log each request as a JSON line on standard error (`--request-log json`).
    pub request_log: bool,
    /// Lambda ARN -> the URL of the HTTP endpoint that runs it (`--trigger ARN=URL`).
    pub triggers: Vec<(String, String)>,
    /// A seed file (YAML or JSON) applied at start (`--seed FILE`).
    pub seed: Option<PathBuf>,
}

impl Options {
    /// Serves the Lambda function `arn` (named in a pool's LambdaConfig) at `url`.
    pub fn trigger(mut self, arn: impl Into<String>, url: impl Into<String>) -> Self {
        self.triggers.push((arn.into(), url.into()));
        self
    }

    pub fn seed(mut self, file: impl Into<PathBuf>) -> Self {
        self.seed = Some(file.into());
        self
    }

    pub fn request_log(mut self, on: bool) -> Self {
        self.request_log = on;
        self
    }

    pub fn compact_above_bytes(mut self, bytes: u64) -> Self {
        self.compact_above_bytes = Some(bytes);
        self
    }

    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }
}

/// A running emulator. Dropping it stops the server too; `shutdown` also waits for it.
pub struct Emulator {
    shared: Arc<Shared>,
    load_report: Option<LoadReport>,
    seed_report: Option<SeedReport>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds `addr` (e.g. `127.0.0.1:0` for any free port) and serves until shut down.
    /// Call from within a Tokio runtime.
    pub async fn start(addr: &str) -> io::Result<Self> {
        Self::start_with(addr, Options::default()).await
    }

    /// Like `start`, with options (a state directory, ...). Loading a state directory runs on
    /// the calling thread before the port is bound.
    pub async fn start_with(addr: &str, options: Options) -> io::Result<Self> {
        // The seed file is read before anything else, so a bad one changes nothing.
        let seed = match &options.seed {
            Some(file) => Some(seed::read(file).map_err(io::Error::other)?),
            None => None,
        };
        let (shared, load_report) = Shared::new(&options)?;
        let seed_report = match &seed {
            Some(s) => Some(ops::seed::apply(&shared, s).map_err(|e| {
                io::Error::other(format!(
                    "{}: {e}",
                    options
                        .seed
                        .as_deref()
                        .unwrap_or(std::path::Path::new("seed"))
                        .display()
                ))
            })?),
            None => None,
        };
        let shared = Arc::new(shared);
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let _ = shared.endpoint.set(format!("http://{addr}"));
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Emulator {
            shared,
            load_report,
            seed_report,
            addr,
            stop,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`: the endpoint URL for clients.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL of a user pool domain on this emulator
    /// (`http://127.0.0.1:PORT/domain/{domain}`): pass it to OAuth clients as the domain.
    pub fn domain_url(&self, domain: &str) -> String {
        format!(
            "{}{}{domain}",
            self.endpoint_url(),
            oauth::http::DOMAIN_PATH_PREFIX
        )
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What loading the state directory found (None without one).
    pub fn load_report(&self) -> Option<&LoadReport> {
        self.load_report.as_ref()
    }

    /// What applying the seed file did (None without one).
    pub fn seed_report(&self) -> Option<&SeedReport> {
        self.seed_report.as_ref()
    }

    /// The `kid` of the key tokens are signed with.
    pub fn signing_kid(&self) -> &str {
        self.shared.keys.kid()
    }

    /// Stops accepting, lets open requests finish, and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// One awsJson1_1 request handled in-process, without HTTP: `target` is the
    /// `X-Amz-Target` value (`AWSCognitoIdentityProviderService.<Operation>`), `body` the
    /// request body. Returns the status and body the HTTP layer would send (which goes through
    /// the same code). Runs the operation on the calling thread; for fuzzing and benchmarks.
    pub fn handle_json(&self, target: &str, body: &[u8]) -> (u16, Vec<u8>) {
        server::handle_json(&self.shared, target, body)
    }

    /// The clock behind TOTP, TIMESTAMP skew, sessions and token expiry.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Sets the CUSTOM_AUTH triggers for every pool of this emulator.
    pub fn set_custom_auth(&self, hook: Arc<dyn CustomAuthHook>) {
        *self
            .shared
            .custom_auth
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(hook);
    }

    /// Serves the Lambda function `arn` at `url` (an `http://` trigger endpoint) from now on.
    pub fn set_trigger_url(&self, arn: &str, url: &str) {
        self.shared.triggers.set_url(arn, url);
    }

    /// Runs the Lambda function `arn` in-process: `f` gets Cognito's event JSON and returns it
    /// with `response` filled in, or an error message (which the caller sees as
    /// UserLambdaValidationException).
    pub fn set_trigger_function(
        &self,
        arn: &str,
        f: impl Fn(serde_json::Value) -> Result<serde_json::Value, String> + Send + Sync + 'static,
    ) {
        self.shared.triggers.set_in_process(arn, Arc::new(f));
    }

    /// Every code "sent" to a user (sign-up confirmation, SMS MFA, email OTP), oldest first.
    /// `username` may be the username or a sign-in alias.
    pub fn sent_codes(&self, user_pool_id: &str, username: &str) -> Vec<SentCode> {
        sent_codes(&self.shared, user_pool_id, username)
    }

    /// The last code sent to a user, of any kind.
    pub fn last_code(&self, user_pool_id: &str, username: &str) -> Option<String> {
        self.sent_codes(user_pool_id, username)
            .pop()
            .map(|c| c.code)
    }

    /// The TOTP code an authenticator app would show now for the user's software token
    /// (the verified one, else one associated but not yet verified).
    pub fn totp_code(&self, user_pool_id: &str, username: &str) -> Option<String> {
        let secret = {
            let store = self.shared.store();
            let user = store.pool(user_pool_id).ok()?.user(username).ok()?;
            user.mfa
                .totp_secret
                .clone()
                .or_else(|| user.mfa.pending_totp_secret.clone())?
        };
        Some(totp_now(&secret, self.shared.now()))
    }

    /// What the identity-pool credentials with this access key id were issued for (identity,
    /// role, expiry), as STS GetCallerIdentity would tell; `None` for unknown or expired keys.
    pub fn issued_credentials(&self, access_key_id: &str) -> Option<IssuedCredentials> {
        self.shared
            .store()
            .identity
            .issued
            .get(access_key_id)
            .cloned()
    }

    /// A JWT with exactly `claims`, signed with the key this emulator's tokens are signed with
    /// (the one its JWKS publishes): for testing token consumers with claims no sign-in gives
    /// (wrong issuer, expired, groups). The emulator does not record it as issued.
    pub fn sign_token(
        &self,
        claims: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, ApiError> {
        self.shared.keys.sign(claims)
    }

    /// The same key over any header and payload (given as the JSON text to encode): a token
    /// whose header no sign-in writes (`crit`, other `alg`s), validly signed.
    pub fn sign_compact(&self, header: &str, payload: &str) -> Result<String, ApiError> {
        self.shared.keys.sign_compact(header, payload)
    }

    /// The TOTP code for a SecretCode (from AssociateSoftwareToken) at the emulator's time.
    pub fn totp_for_secret(&self, secret_code: &str) -> String {
        totp_now(secret_code, self.shared.now())
    }
}

pub(crate) fn sent_codes(shared: &Shared, user_pool_id: &str, username: &str) -> Vec<SentCode> {
    let store = shared.store();
    let Ok(pool) = store.pool(user_pool_id) else {
        return Vec::new();
    };
    let Ok(user) = pool.user(username) else {
        return Vec::new();
    };
    store
        .outbox
        .get(&(user_pool_id.to_owned(), user.username.clone()))
        .cloned()
        .unwrap_or_default()
}

fn totp_now(secret_base32: &str, now: i64) -> String {
    totp::code_at(secret_base32, now)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// An emulator on its own Tokio runtime, for code that is not async (synchronous tests, CLIs).
/// Derefs to [`Emulator`] for the URL and the test hooks; dropping it stops the server.
pub struct BackgroundEmulator {
    emu: Option<Emulator>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BackgroundEmulator {
    /// Binds `addr` (e.g. `127.0.0.1:0`) and serves on two worker threads. Call it outside any
    /// Tokio runtime.
    pub fn start(addr: &str) -> io::Result<Self> {
        Self::start_with(addr, Options::default())
    }

    /// Like `start`, with options.
    pub fn start_with(addr: &str, options: Options) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cognito-emulator")
            .enable_all()
            .build()?;
        let emu = runtime.block_on(Emulator::start_with(addr, options))?;
        Ok(BackgroundEmulator {
            emu: Some(emu),
            runtime: Some(runtime),
        })
    }
}

impl std::ops::Deref for BackgroundEmulator {
    type Target = Emulator;
    fn deref(&self) -> &Emulator {
        match &self.emu {
            Some(emu) => emu,
            // Only `drop` takes it out.
            None => unreachable!("emulator used after drop"),
        }
    }
}

impl Drop for BackgroundEmulator {
    fn drop(&mut self) {
        drop(self.emu.take());
        if let Some(rt) = self.runtime.take() {
            // Wait for the server's tasks to be dropped, so that the state directory's lock and
            // its last writes are released before `drop` returns (a caller may reopen it next).
            // Inside a runtime (against the docs) waiting is not allowed; don't panic there.
            if tokio::runtime::Handle::try_current().is_ok() {
                rt.shutdown_background();
            } else {
                rt.shutdown_timeout(std::time::Duration::from_secs(60));
            }
        }
    }
}

/// The operations this emulator serves (the others answer UnknownOperationException naming
/// them), sorted.
pub fn served_operations() -> Vec<&'static str> {
    ops::served()
}

/// The identity-pool operations (the Cognito Identity service, `AWSCognitoIdentityService.`
/// targets on the same port) this emulator serves, sorted.
pub fn served_identity_operations() -> Vec<&'static str> {
    identity::served()
}

/// Generates the process's token-signing key now rather than on the first sign-in.
pub fn warm_up_signing_key() -> Result<(), ApiError> {
    tokens::warm_up()
}
