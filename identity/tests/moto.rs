//! The same sequence against moto (which serves cognito-identity; started and stopped through
//! `scripts/peers.sh`, failing loudly if it cannot be installed): an SRP sign-in with
//! cognito-idp, then GetId and GetCredentialsForIdentity with our generated Cognito Identity
//! client through the credentials provider, and the pool administration moto has. moto does
//! not verify logins, gives a new identity id on every GetId (so "stable across sign-ins" is
//! shown against the emulator only) and issues credentials for 90 seconds.

mod pools;

use std::time::Duration;

use cognito_identity::credentials::CognitoCredentialsProvider;
use cognito_idp::auth::{AuthConfig, Authenticator, MemoryStore, Session, SignInStep};
use pools::{identity_client, identity_pool};
use test_support::cognito::{create_pool, create_user, PoolSpec};
use test_support::peers::Moto;

const PASSWORD: &str = "Correct-Horse-9";

#[tokio::test]
async fn srp_sign_in_then_identity_and_credentials_on_moto() {
    let moto = Moto::start();
    let admin_url = moto.url().to_string();
    let pool = create_pool(&admin_url, PoolSpec::default()).await;
    create_user(
        &pool,
        "alice",
        PASSWORD,
        &[("email", "a@example.com")],
        false,
    )
    .await;
    let auth = Authenticator::new(
        test_support::cognito::client(&moto.url()),
        AuthConfig::new(&pool.id, &pool.client_id),
    )
    .unwrap();
    let tokens = match auth
        .sign_in_srp("alice", PASSWORD)
        .await
        .expect("SRP on moto")
    {
        SignInStep::Done(tokens) => tokens,
        other => panic!("unexpected step {}", other.name()),
    };
    let session = Session::new(auth, MemoryStore::new());
    session.start(&tokens).await.unwrap();

    let identity = identity_client(&moto.url());
    let pool_id = identity_pool(&identity, &pool.id, &pool.client_id, false).await;
    let described = identity
        .describe_identity_pool()
        .identity_pool_id(pool_id.clone())
        .send()
        .await
        .expect("DescribeIdentityPool");
    assert_eq!(described.identity_pool_id, pool_id);
    assert!(!described.allow_unauthenticated_identities);
    let providers = described.cognito_identity_providers.unwrap_or_default();
    assert_eq!(
        providers[0].provider_name.as_deref(),
        Some(pools::provider_name(&pool.id).as_str())
    );

    let provider =
        CognitoCredentialsProvider::builder(identity_client(&moto.url()), pool_id.clone())
            .logins(session)
            .refresh_margin(Duration::from_secs(30))
            .build()
            .unwrap();
    let creds = provider.credentials().await.expect("credentials from moto");
    assert!(!creds.access_key_id().is_empty());
    assert!(creds.session_token().is_some());
    assert!(creds.expiry().is_some());
    let identity_id = provider.identity_id().expect("an identity id");
    assert!(identity_id.starts_with("us-east-1:"), "{identity_id}");

    // Cached, then fetched again for the same identity: GetId was asked once.
    provider.credentials().await.unwrap();
    assert_eq!(provider.fetch_count(), 1);
    provider.invalidate();
    provider.credentials().await.unwrap();
    assert_eq!(provider.fetch_count(), 2);
    assert_eq!(
        provider.identity_id().as_deref(),
        Some(identity_id.as_str())
    );
    let listed = identity
        .list_identities()
        .identity_pool_id(pool_id.clone())
        .max_results(60)
        .send()
        .await
        .expect("ListIdentities");
    assert_eq!(listed.identities.map(|i| i.len()), Some(1));

    let token = identity
        .get_open_id_token()
        .identity_id(identity_id)
        .send()
        .await
        .expect("GetOpenIdToken");
    assert!(token.token.is_some());
    let pools = identity
        .list_identity_pools()
        .max_results(10)
        .send()
        .await
        .expect("ListIdentityPools");
    assert!(pools
        .identity_pools
        .unwrap_or_default()
        .iter()
        .any(|p| p.identity_pool_id.as_deref() == Some(pool_id.as_str())));
    identity
        .delete_identity_pool()
        .identity_pool_id(pool_id)
        .send()
        .await
        .expect("DeleteIdentityPool");
}
