//! Everything the client side logs at TRACE while signing in and getting identity-pool
//! credentials holds no token, access key, secret or session token. Its own test binary: a
//! tracing subscriber set for one test must not race the callsite caches of others.

mod pools;

use std::sync::{Arc, Mutex};

use cognito_emulator::Emulator;
use cognito_identity::credentials::CognitoCredentialsProvider;
use cognito_idp::auth::{AuthConfig, Authenticator, MemoryStore, Session, SignInStep};
use pools::{identity_client, identity_pool, AUTH_ROLE};
use test_support::cognito::{create_pool, create_user, PoolSpec};

/// A `Write` into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn sign_in_and_get_credentials() -> Vec<String> {
    let emu = Emulator::start("127.0.0.1:0").await.expect("emulator");
    let url = emu.endpoint_url();
    let admin_url = url.to_string();
    let pool = create_pool(&admin_url, PoolSpec::default()).await;
    create_user(&pool, "gina", "Correct-Horse-9", &[], false).await;
    let identity = identity_client(&url);
    let pool_id = identity_pool(&identity, &pool.id, &pool.client_id, false).await;
    identity
        .set_identity_pool_roles()
        .identity_pool_id(pool_id.clone())
        .roles("authenticated", AUTH_ROLE)
        .send()
        .await
        .unwrap();
    let auth = Authenticator::new(
        test_support::cognito::client(&url),
        AuthConfig::new(&pool.id, &pool.client_id),
    )
    .unwrap();
    let SignInStep::Done(tokens) = auth.sign_in_srp("gina", "Correct-Horse-9").await.unwrap()
    else {
        panic!("sign-in")
    };
    let session = Session::new(auth, MemoryStore::new());
    session.start(&tokens).await.unwrap();
    let provider = CognitoCredentialsProvider::builder(identity_client(&url), pool_id)
        .logins(session)
        .build()
        .unwrap();
    let c = provider.credentials().await.unwrap();
    vec![
        c.access_key_id().to_owned(),
        c.secret_access_key().to_owned(),
        c.session_token().unwrap().to_owned(),
        tokens.id_token().unwrap().expose().to_owned(),
        tokens.access_token().expose().to_owned(),
        tokens.refresh_token().unwrap().expose().to_owned(),
    ]
}

#[test]
fn no_credential_or_token_reaches_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let secrets = tracing::subscriber::with_default(subscriber, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(sign_in_and_get_credentials())
    });
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(logs.contains("fetched identity pool credentials"), "{logs}");
    assert!(
        logs.contains("GetCredentialsForIdentity"),
        "the calls are logged"
    );
    for secret in secrets {
        assert!(!logs.contains(&secret), "a secret reached the logs");
    }
}
