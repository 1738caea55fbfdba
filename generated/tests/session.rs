//! `Session` against the emulator with its clock moved: concurrent callers share one refresh
//! (counted on the wire), refresh-token rotation stores each new refresh token before any
//! caller sees the new tokens, a crash before the store write loses nothing the caller saw,
//! a dead refresh token asks for a new sign-in and clears the store, and device key plus
//! secret hash go with every refresh.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use cognito_emulator::Emulator;
use cognito_idp::auth::{
    AuthConfig, AuthEvent, Authenticator, DeviceOptions, FileStore, MemoryStore, RefreshMethod,
    Session, SessionClock, SignInStep, StoreFuture, StoredSession, TokenStore, TokenStoreError,
    Tokens,
};
use cognito_idp::runtime::http::{
    BoxFuture, DefaultHttpClient, HttpClient, HttpError, HttpRequest, HttpResponse,
};
use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{DeviceConfigurationType, FeatureType, RefreshTokenRotationType};
use cognito_idp::Client;
use test_support::cognito::{create_user, Pool};

const PASSWORD: &str = "Correct-Horse-9";

/// Sends through the default client and counts the refresh requests it sees: InitiateAuth with
/// REFRESH_TOKEN_AUTH, and GetTokensFromRefreshToken.
struct CountingHttp {
    inner: DefaultHttpClient,
    initiate_refresh: AtomicUsize,
    get_tokens: AtomicUsize,
}

impl CountingHttp {
    fn new() -> Arc<Self> {
        Arc::new(CountingHttp {
            inner: DefaultHttpClient::new(Duration::from_secs(5)).expect("default HTTP client"),
            initiate_refresh: AtomicUsize::new(0),
            get_tokens: AtomicUsize::new(0),
        })
    }
    fn refreshes(&self) -> usize {
        self.initiate_refresh.load(Ordering::SeqCst) + self.get_tokens.load(Ordering::SeqCst)
    }
}

impl HttpClient for CountingHttp {
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let target = request
            .headers()
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if target.ends_with(".GetTokensFromRefreshToken") {
            self.get_tokens.fetch_add(1, Ordering::SeqCst);
        }
        if target.ends_with(".InitiateAuth")
            && String::from_utf8_lossy(request.body()).contains("REFRESH_TOKEN_AUTH")
        {
            self.initiate_refresh.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.send(request, max_body)
    }
}

struct World {
    emu: Emulator,
    admin: Client,
}

impl World {
    async fn new() -> World {
        let emu = Emulator::start("127.0.0.1:0").await.expect("emulator");
        let admin = test_support::cognito::client(&emu.endpoint_url());
        World { emu, admin }
    }

    fn clock(&self) -> SessionClock {
        let clock = self.emu.clock().clone();
        Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock.now() as u64))
    }

    fn counted_client(&self, http: Arc<CountingHttp>) -> Client {
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url(self.emu.endpoint_url())
            .credentials(Credentials::new("testing", "testing", None))
            .http_client(http)
            .max_attempts(1)
            .build()
            .expect("config");
        Client::new(config).expect("client")
    }

    /// A pool, an app client (optionally with a secret and rotation) and one user.
    async fn pool(&self, secret: bool, rotation_grace: Option<i32>, devices: bool) -> Pool {
        let mut req = self.admin.create_user_pool().pool_name("sessions");
        if devices {
            req = req.device_configuration(DeviceConfigurationType {
                challenge_required_on_new_device: Some(false),
                device_only_remembered_on_user_prompt: Some(false),
            });
        }
        let id = req.send().await.unwrap().user_pool.unwrap().id.unwrap();
        let mut req = self
            .admin
            .create_user_pool_client()
            .user_pool_id(id.clone())
            .client_name("app")
            .generate_secret(secret);
        if let Some(grace) = rotation_grace {
            req = req.refresh_token_rotation(RefreshTokenRotationType {
                feature: FeatureType::Enabled,
                retry_grace_period_seconds: Some(grace),
            });
        }
        let client = req.send().await.unwrap().user_pool_client.unwrap();
        let pool = Pool {
            url: self.emu.endpoint_url(),
            id,
            client_id: client.client_id.unwrap(),
            client_secret: client.client_secret,
        };
        create_user(&pool, "alice", PASSWORD, &[], false).await;
        pool
    }

    fn authenticator(
        &self,
        pool: &Pool,
        client: Client,
        observer: Option<Arc<Mutex<Vec<AuthEvent>>>>,
    ) -> Authenticator {
        let mut config = AuthConfig::new(&pool.id, &pool.client_id)
            .with_optional_client_secret(pool.client_secret.clone().map(Into::into));
        if let Some(events) = observer {
            config = config.with_observer(move |e| events.lock().unwrap().push(e.clone()));
        }
        Authenticator::new(client, config).expect("authenticator")
    }
}

async fn sign_in(auth: &Authenticator) -> Tokens {
    match auth.sign_in_srp("alice", PASSWORD).await.expect("sign-in") {
        SignInStep::Done(tokens) => tokens,
        other => panic!("unexpected step {}", other.name()),
    }
}

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cognito-session-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("session.json")
}

fn stored_refresh(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).expect("the session file");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["refresh_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_callers_make_one_refresh_and_share_its_token() {
    let w = World::new().await;
    let pool = w.pool(false, None, false).await;
    let http = CountingHttp::new();
    let auth = w.authenticator(&pool, w.counted_client(http.clone()), None);
    let tokens = sign_in(&auth).await;
    let session = Session::new(auth, MemoryStore::new())
        .with_clock(w.clock())
        .with_margin(Duration::from_secs(300));
    session.start(&tokens).await.unwrap();
    let before = session.access_token().await.unwrap();
    assert_eq!(before.expose(), tokens.access_token().expose());
    assert_eq!(http.refreshes(), 0, "a fresh token needs no refresh");

    // 56 minutes later the token is within the 5-minute margin.
    w.emu.clock().advance(3360);
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let s = session.clone();
            tokio::spawn(async move { s.access_token().await })
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for c in callers {
        let token = c.await.unwrap().expect("a fresh token");
        seen.insert(token.expose().to_owned());
    }
    assert_eq!(
        http.refreshes(),
        1,
        "exactly one refresh request for 100 callers"
    );
    assert_eq!(http.initiate_refresh.load(Ordering::SeqCst), 1);
    assert_eq!(session.refresh_count(), 1);
    assert_eq!(seen.len(), 1, "every caller got the same token");
    let fresh = seen.into_iter().next().unwrap();
    assert_ne!(fresh, before.expose());
    // The emulator, at its advanced time, accepts it.
    w.admin
        .get_user()
        .access_token(fresh.clone())
        .send()
        .await
        .expect("the refreshed token is valid");
    // And the next caller reuses it.
    assert_eq!(session.access_token().await.unwrap().expose(), fresh);
    assert_eq!(http.refreshes(), 1);
}

#[tokio::test]
async fn rotation_stores_each_new_refresh_token_and_reuse_revokes_the_family() {
    let w = World::new().await;
    let pool = w.pool(true, Some(10), false).await;
    let http = CountingHttp::new();
    let auth = w.authenticator(&pool, w.counted_client(http.clone()), None);
    let tokens = sign_in(&auth).await;
    let path = temp_file("rotation");
    // Not told about rotation: the refused REFRESH_TOKEN_AUTH switches it over for good.
    let session = Session::new(auth.clone(), FileStore::new(&path)).with_clock(w.clock());
    session.start(&tokens).await.unwrap();
    let r0 = stored_refresh(&path);
    assert_eq!(r0, tokens.refresh_token().unwrap().expose());

    w.emu.clock().advance(3500);
    session
        .access_token()
        .await
        .expect("refresh through GetTokensFromRefreshToken");
    assert_eq!(
        session.refresh_method(),
        RefreshMethod::GetTokensFromRefreshToken
    );
    assert_eq!(
        http.initiate_refresh.load(Ordering::SeqCst),
        1,
        "refused once"
    );
    assert_eq!(http.get_tokens.load(Ordering::SeqCst), 1);
    let r1 = stored_refresh(&path);
    assert_ne!(r1, r0, "the rotated refresh token is stored");

    w.emu.clock().advance(3500);
    session.access_token().await.unwrap();
    let r2 = stored_refresh(&path);
    assert_ne!(r2, r1);
    assert_eq!(
        http.initiate_refresh.load(Ordering::SeqCst),
        1,
        "no second try of the refused flow"
    );

    // Within the grace period the token just rotated out still works (a client retry)...
    let retry = auth.refresh_rotating(&r1.clone().into()).await;
    assert!(retry.is_ok(), "{retry:?}");
    // ... after it, presenting it is refused and revokes the whole family.
    w.emu.clock().advance(11);
    let reuse = auth.refresh_rotating(&r1.into()).await.unwrap_err();
    assert!(reuse.to_string().contains("refresh token"), "{reuse}");
    w.emu.clock().advance(3500);
    let err = session.access_token().await.unwrap_err();
    assert!(err.is_sign_in_required(), "{err}");
    assert!(err.to_string().starts_with("sign in again"), "{err}");
    assert!(!path.exists(), "the store is cleared");
    let again = session.access_token().await.unwrap_err();
    assert!(again.is_sign_in_required());
    assert!(again.to_string().contains("nobody is signed in"), "{again}");
}

/// A store in front of a file store that can hold a save until released, and fail the next
/// save (a crash between Cognito's answer and the write).
struct TestStore {
    file: FileStore,
    hold: AtomicBool,
    saving: tokio::sync::Notify,
    release: tokio::sync::Notify,
    saw: Mutex<Option<StoredSession>>,
    fail_next: AtomicBool,
}

impl TokenStore for TestStore {
    fn load(&self) -> StoreFuture<'_, Option<StoredSession>> {
        self.file.load()
    }
    fn save<'a>(&'a self, session: &'a StoredSession) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            if self.fail_next.swap(false, Ordering::SeqCst) {
                return Err(TokenStoreError::new("simulated crash before the write"));
            }
            if self.hold.load(Ordering::SeqCst) {
                *self.saw.lock().unwrap() = Some(session.clone());
                self.saving.notify_one();
                self.release.notified().await;
            }
            self.file.save(session).await
        })
    }
    fn clear(&self) -> StoreFuture<'_, ()> {
        self.file.clear()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_tokens_are_stored_before_the_caller_gets_them() {
    let w = World::new().await;
    let pool = w.pool(false, Some(30), false).await;
    let auth = w.authenticator(
        &pool,
        test_support::cognito::client(&w.emu.endpoint_url()),
        None,
    );
    let tokens = sign_in(&auth).await;
    let path = temp_file("ordering");
    let store = Arc::new(TestStore {
        file: FileStore::new(&path),
        hold: AtomicBool::new(false),
        saving: tokio::sync::Notify::new(),
        release: tokio::sync::Notify::new(),
        saw: Mutex::new(None),
        fail_next: AtomicBool::new(false),
    });
    let session = Session::with_store(auth.clone(), store.clone())
        .with_clock(w.clock())
        .with_refresh_token_rotation();
    session.start(&tokens).await.unwrap();
    let r0 = stored_refresh(&path);

    // 1. The caller waits for the write: while the store holds the save, the refreshed token
    //    has not been handed out; once released it is exactly what was written.
    store.hold.store(true, Ordering::SeqCst);
    w.emu.clock().advance(3500);
    let caller = {
        let s = session.clone();
        tokio::spawn(async move { s.access_token().await })
    };
    store.saving.notified().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !caller.is_finished(),
        "the token must not be returned before the store write"
    );
    assert_eq!(stored_refresh(&path), r0, "not written yet");
    store.hold.store(false, Ordering::SeqCst);
    store.release.notify_one();
    let token = caller.await.unwrap().unwrap();
    let saw = store.saw.lock().unwrap().clone().unwrap();
    assert_eq!(saw.access_token.expose(), token.expose());
    let r1 = stored_refresh(&path);
    assert_eq!(
        Some(r1.as_str()),
        saw.refresh_token.as_ref().map(|t| t.expose())
    );
    assert_ne!(r1, r0);

    // 2. A crash between Cognito's answer and the write: the caller gets an error, never a
    //    token whose refresh token is not stored; the file still holds the previous refresh
    //    token, which the rotation's grace period keeps valid for the retry of a restarted
    //    process.
    store.fail_next.store(true, Ordering::SeqCst);
    w.emu.clock().advance(3500);
    let err = session.access_token().await.unwrap_err();
    assert!(err.to_string().contains("simulated crash"), "{err}");
    assert_eq!(stored_refresh(&path), r1, "the old state is intact");
    drop(session); // the process died
    let restarted = Session::new(
        w.authenticator(
            &pool,
            test_support::cognito::client(&w.emu.endpoint_url()),
            None,
        ),
        FileStore::new(&path),
    )
    .with_clock(w.clock())
    .with_refresh_token_rotation();
    let token = restarted
        .access_token()
        .await
        .expect("the retry within the grace period");
    let r2 = stored_refresh(&path);
    assert_ne!(r2, r1);
    w.admin
        .get_user()
        .access_token(token.expose())
        .send()
        .await
        .expect("valid");

    // 3. A store that failed once is saved again before the kept tokens are handed out.
    let session = Session::with_store(auth, store.clone())
        .with_clock(w.clock())
        .with_refresh_token_rotation();
    w.emu.clock().advance(3500);
    store.fail_next.store(true, Ordering::SeqCst);
    assert!(session.access_token().await.is_err());
    let token = session
        .access_token()
        .await
        .expect("saved on the second call");
    let on_disk: StoredSession =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(on_disk.access_token.expose(), token.expose());
}

#[tokio::test]
async fn a_revoked_refresh_token_asks_for_a_new_sign_in_and_clears_the_store() {
    let w = World::new().await;
    let pool = w.pool(false, None, false).await;
    let auth = w.authenticator(
        &pool,
        test_support::cognito::client(&w.emu.endpoint_url()),
        None,
    );
    let tokens = sign_in(&auth).await;
    let path = temp_file("revoked");
    let session = Session::new(auth, FileStore::new(&path)).with_clock(w.clock());
    session.start(&tokens).await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only");
    }
    w.admin
        .global_sign_out()
        .access_token(tokens.access_token().expose())
        .send()
        .await
        .unwrap();
    w.emu.clock().advance(3500);
    let err = session.access_token().await.unwrap_err();
    assert!(err.is_sign_in_required(), "{err:?}");
    assert!(err.to_string().contains("refresh token"), "{err}");
    assert!(!path.exists(), "the store is cleared");
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains(tokens.refresh_token().unwrap().expose()),
        "{text}"
    );
}

#[tokio::test]
async fn refreshes_carry_the_device_key_and_the_secret_hash() {
    let w = World::new().await;
    let pool = w.pool(true, None, true).await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let auth = w.authenticator(
        &pool,
        test_support::cognito::client(&w.emu.endpoint_url()),
        Some(events.clone()),
    );
    let tokens = sign_in(&auth).await;
    let confirmed = auth
        .confirm_device(&tokens, DeviceOptions::remember("laptop"))
        .await
        .expect("ConfirmDevice");
    let path = temp_file("device");
    let session = Session::new(auth, FileStore::new(&path)).with_clock(w.clock());
    session.start(&tokens).await.unwrap();
    events.lock().unwrap().clear();

    // A restarted process: the device comes back from the store.
    let fresh_auth = w.authenticator(
        &pool,
        test_support::cognito::client(&w.emu.endpoint_url()),
        Some(events.clone()),
    );
    assert!(fresh_auth.remembered_device().is_none());
    let restarted = Session::new(fresh_auth.clone(), FileStore::new(&path)).with_clock(w.clock());
    w.emu.clock().advance(3500);
    restarted.access_token().await.expect("refresh");
    assert_eq!(
        fresh_auth.remembered_device().map(|d| d.device_key),
        Some(confirmed.device.device_key.clone())
    );
    let events = events.lock().unwrap();
    let sent = events
        .iter()
        .find_map(|e| match e {
            AuthEvent::Initiate {
                flow,
                parameters,
                device_key,
                ..
            } if flow == "REFRESH_TOKEN_AUTH" => Some((parameters.clone(), device_key.clone())),
            _ => None,
        })
        .expect("a REFRESH_TOKEN_AUTH");
    assert!(sent.0.iter().any(|p| p == "SECRET_HASH"), "{:?}", sent.0);
    assert!(sent.0.iter().any(|p| p == "DEVICE_KEY"), "{:?}", sent.0);
    assert_eq!(sent.1, Some(confirmed.device.device_key));
}
