//! Identity pools end to end against the emulator: an SRP sign-in, its identity and AWS
//! credentials (through our provider, the runtime's provider trait and aws-sdk-rust's), the
//! identity stable across sign-ins, refused logins, unauthenticated identities only where
//! enabled, custom roles, and credentials refreshed before they expire.

mod pools;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_emulator::Emulator;
use cognito_identity::credentials::{CognitoCredentialsError, CognitoCredentialsProvider};
use cognito_identity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};
use cognito_identity::LoginTokens;
use cognito_idp::auth::{AuthConfig, Authenticator, MemoryStore, Session, SignInStep, Tokens};
use pools::{identity_client, identity_pool, provider_name, AUTH_ROLE, UNAUTH_ROLE};
use test_support::cognito::{create_pool, create_user, Pool, PoolSpec};

const PASSWORD: &str = "Correct-Horse-9";

struct World {
    emu: Emulator,
    pool: Pool,
    identity: cognito_identity::Client,
}

impl World {
    fn url(&self) -> String {
        self.emu.endpoint_url()
    }

    /// The emulator's clock as a `SystemTime`, for sessions and providers that must see the
    /// same time as the server.
    fn clock(&self) -> Arc<dyn Fn() -> SystemTime + Send + Sync> {
        let clock = self.emu.clock().clone();
        Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock.now() as u64))
    }

    async fn sign_in(&self, username: &str) -> Tokens {
        let auth = self.authenticator();
        match auth
            .sign_in_srp(username, PASSWORD)
            .await
            .expect("SRP sign-in")
        {
            SignInStep::Done(tokens) => tokens,
            other => panic!("unexpected step {}", other.name()),
        }
    }

    fn authenticator(&self) -> Authenticator {
        Authenticator::new(
            test_support::cognito::client(&self.url()),
            AuthConfig::new(&self.pool.id, &self.pool.client_id),
        )
        .expect("authenticator")
    }

    async fn session(&self, username: &str) -> Session {
        let tokens = self.sign_in(username).await;
        let session =
            Session::new(self.authenticator(), MemoryStore::new()).with_clock(self.clock());
        session.start(&tokens).await.expect("start the session");
        session
    }
}

async fn world(users: &[&str]) -> World {
    let emu = Emulator::start("127.0.0.1:0").await.expect("emulator");
    let admin_url = emu.endpoint_url().to_string();
    let pool = create_pool(&admin_url, PoolSpec::default()).await;
    for user in users {
        create_user(&pool, user, PASSWORD, &[("email", "a@example.com")], false).await;
    }
    let identity = identity_client(&emu.endpoint_url());
    World {
        emu,
        pool,
        identity,
    }
}

async fn set_roles(w: &World, pool_id: &str, mapping: Option<RoleMapping>) {
    let mut request = w
        .identity
        .set_identity_pool_roles()
        .identity_pool_id(pool_id)
        .roles("authenticated", AUTH_ROLE)
        .roles("unauthenticated", UNAUTH_ROLE);
    if let Some(mapping) = mapping {
        request = request.role_mappings(provider_name(&w.pool.id), mapping);
    }
    request.send().await.expect("SetIdentityPoolRoles");
}

/// A world with `user`, an identity pool for its app client (authenticated identities only,
/// the default roles) and the user signed in.
async fn signed_in(user: &str) -> (World, String, Session) {
    let w = world(&[user]).await;
    let pool_id = identity_pool(&w.identity, &w.pool.id, &w.pool.client_id, false).await;
    set_roles(&w, &pool_id, None).await;
    let session = w.session(user).await;
    (w, pool_id, session)
}

fn builder(
    w: &World,
    pool_id: &str,
) -> cognito_identity::credentials::CognitoCredentialsProviderBuilder {
    CognitoCredentialsProvider::builder(identity_client(&w.url()), pool_id).clock(w.clock())
}

#[tokio::test]
async fn srp_sign_in_to_credentials_with_a_stable_identity() {
    let (w, pool_id, session) = signed_in("alice").await;
    let provider = builder(&w, &pool_id)
        .logins(session.clone())
        .build()
        .unwrap();
    let creds = provider.credentials().await.expect("credentials");
    assert!(
        creds.access_key_id().starts_with("ASIA"),
        "{}",
        creds.access_key_id()
    );
    assert_eq!(creds.access_key_id().len(), 20);
    assert!(!creds.secret_access_key().is_empty());
    assert!(creds.session_token().is_some_and(|t| t.len() > 100));
    let left = creds
        .expiry()
        .expect("temporary credentials expire")
        .duration_since((w.clock())())
        .unwrap();
    assert!(
        left > Duration::from_secs(3500) && left <= Duration::from_secs(3600),
        "{left:?}"
    );
    let identity_id = provider.identity_id().expect("identity id");
    assert!(identity_id.starts_with("us-east-1:"), "{identity_id}");

    let issued = w
        .emu
        .issued_credentials(creds.access_key_id())
        .expect("issued");
    assert_eq!(issued.identity_id, identity_id);
    assert_eq!(issued.role_arn, AUTH_ROLE);
    assert!(issued.authenticated);

    // Cached: the second call asks nobody.
    let again = provider.credentials().await.unwrap();
    assert_eq!(again.access_key_id(), creds.access_key_id());
    assert_eq!(provider.fetch_count(), 1);

    // Nothing secret in Debug.
    for text in [
        format!("{creds:?}"),
        format!("{provider:?}"),
        format!("{session:?}"),
    ] {
        assert!(!text.contains(creds.secret_access_key()), "{text}");
        assert!(!text.contains(creds.session_token().unwrap()), "{text}");
        assert!(!text.contains(creds.access_key_id()), "{text}");
    }

    // Another sign-in of the same user, a new provider: the same identity.
    let second = w.session("alice").await;
    let provider2 = builder(&w, &pool_id).logins(second).build().unwrap();
    let creds2 = provider2.credentials().await.unwrap();
    assert_eq!(
        provider2.identity_id().as_deref(),
        Some(identity_id.as_str())
    );
    assert_ne!(creds2.access_key_id(), creds.access_key_id());

    // A provider that kept the identity id from an earlier run skips GetId and still works.
    let kept = builder(&w, &pool_id)
        .logins(w.session("alice").await)
        .identity_id(Some(identity_id.clone()))
        .build()
        .unwrap();
    kept.credentials().await.unwrap();
    assert_eq!(kept.identity_id().as_deref(), Some(identity_id.as_str()));
    let listed = w
        .identity
        .list_identities()
        .identity_pool_id(pool_id.clone())
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.identities.map(|i| i.len()),
        Some(1),
        "one identity for one user"
    );
}

/// The ID token of a fresh sign-in, and an identity pool for it.
async fn logins_refused(w: &World, pool_id: &str, logins: LoginTokens) -> String {
    let err = w
        .identity
        .get_id()
        .identity_pool_id(pool_id)
        .set_logins(Some(logins.to_map()))
        .send()
        .await
        .expect_err("GetId must refuse these logins");
    let meta = err.meta().cloned().unwrap_or_default();
    assert_eq!(meta.code(), "NotAuthorizedException", "{err}");
    meta.message().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn tokens_from_another_pool_client_or_time_are_refused() {
    let w = world(&["bob"]).await;
    let pool_id = identity_pool(&w.identity, &w.pool.id, &w.pool.client_id, false).await;
    set_roles(&w, &pool_id, None).await;
    let tokens = w.sign_in("bob").await;
    let id_token = tokens.id_token().unwrap().expose().to_owned();

    // A user pool the identity pool does not list.
    let admin_url = w.url().to_string();
    let admin = test_support::cognito::client(&admin_url);
    let other = create_pool(&admin_url, PoolSpec::default()).await;
    create_user(&other, "bob", PASSWORD, &[], false).await;
    let other_auth = Authenticator::new(
        test_support::cognito::client(&w.url()),
        AuthConfig::new(&other.id, &other.client_id),
    )
    .unwrap();
    let SignInStep::Done(other_tokens) = other_auth.sign_in_srp("bob", PASSWORD).await.unwrap()
    else {
        panic!("sign-in to the other pool")
    };
    let other_id = other_tokens.id_token().unwrap().expose().to_owned();
    let msg = logins_refused(
        &w,
        &pool_id,
        LoginTokens::new().with_user_pool(&other.id, &other_id),
    )
    .await;
    assert!(msg.contains("not from a supported provider"), "{msg}");
    // ... or passed off as a token of the listed pool.
    let msg = logins_refused(
        &w,
        &pool_id,
        LoginTokens::new().with_user_pool(&w.pool.id, &other_id),
    )
    .await;
    assert!(msg.contains("Issuer doesn't match providerName"), "{msg}");

    // Another app client of the listed pool.
    let second_client = admin
        .create_user_pool_client()
        .user_pool_id(w.pool.id.clone())
        .client_name("other")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let other_client_auth = Authenticator::new(
        test_support::cognito::client(&w.url()),
        AuthConfig::new(&w.pool.id, &second_client),
    )
    .unwrap();
    let SignInStep::Done(t) = other_client_auth
        .sign_in_srp("bob", PASSWORD)
        .await
        .unwrap()
    else {
        panic!("sign-in with the other client")
    };
    let msg = logins_refused(
        &w,
        &pool_id,
        LoginTokens::new().with_user_pool(&w.pool.id, t.id_token().unwrap().expose()),
    )
    .await;
    assert!(msg.contains("Incorrect token audience"), "{msg}");

    // An access token is not a login; a forged signature is refused.
    let msg = logins_refused(
        &w,
        &pool_id,
        LoginTokens::new().with_user_pool(&w.pool.id, tokens.access_token().expose()),
    )
    .await;
    assert!(msg.contains("Missing a required claim: aud"), "{msg}");
    let (signed, signature) = id_token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let forged = format!("{signed}.{flipped}{}", &signature[1..]);
    let msg = logins_refused(
        &w,
        &pool_id,
        LoginTokens::new().with_user_pool(&w.pool.id, forged),
    )
    .await;
    assert!(msg.contains("Couldn't verify signed token"), "{msg}");

    // The real one works; an hour and a bit later it has expired.
    let good = LoginTokens::new().with_user_pool(&w.pool.id, &id_token);
    let identity_id = w
        .identity
        .get_id()
        .identity_pool_id(pool_id.clone())
        .set_logins(Some(good.to_map()))
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    w.emu.clock().advance(3700);
    let msg = logins_refused(&w, &pool_id, good.clone()).await;
    assert!(msg.contains("Token expired"), "{msg}");
    let err = w
        .identity
        .get_credentials_for_identity()
        .identity_id(identity_id.clone())
        .set_logins(Some(good.to_map()))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Token expired"), "{err}");
    // Without logins, an authenticated identity gets nothing.
    let err = w
        .identity
        .get_credentials_for_identity()
        .identity_id(identity_id)
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Logins don't match"), "{err}");
}

#[tokio::test]
async fn unauthenticated_identities_only_where_enabled() {
    let w = world(&[]).await;
    let closed = identity_pool(&w.identity, &w.pool.id, &w.pool.client_id, false).await;
    set_roles(&w, &closed, None).await;
    let err = builder(&w, &closed)
        .build()
        .unwrap()
        .credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CognitoCredentialsError::UnauthenticatedNotAllowed(_)),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("does not allow unauthenticated"),
        "{err}"
    );

    let open = identity_pool(&w.identity, &w.pool.id, &w.pool.client_id, true).await;
    // No roles yet: Cognito's configuration error.
    let err = builder(&w, &open)
        .build()
        .unwrap()
        .credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(err, CognitoCredentialsError::InvalidPoolConfiguration(_)),
        "{err:?}"
    );
    set_roles(&w, &open, None).await;
    let guest = builder(&w, &open).build().unwrap();
    let creds = guest
        .credentials()
        .await
        .expect("unauthenticated credentials");
    let issued = w.emu.issued_credentials(creds.access_key_id()).unwrap();
    assert!(!issued.authenticated);
    assert_eq!(issued.role_arn, UNAUTH_ROLE);
    // Each provider without logins is a new guest identity; one provider keeps its own.
    let other = builder(&w, &open).build().unwrap();
    other.credentials().await.unwrap();
    assert_ne!(other.identity_id(), guest.identity_id());
    guest.invalidate();
    guest.credentials().await.unwrap();
    assert_eq!(guest.fetch_count(), 2);
}

#[tokio::test]
async fn custom_role_arn_among_the_roles_the_mapping_allows() {
    let w = world(&["carol"]).await;
    let pool_id = identity_pool(&w.identity, &w.pool.id, &w.pool.client_id, false).await;
    let admins = "arn:aws:iam::123456789012:role/admins";
    let readers = "arn:aws:iam::123456789012:role/readers";
    let rule = |claim: &str, kind, value: &str, role: &str| MappingRule {
        claim: claim.to_owned(),
        match_type: kind,
        value: value.to_owned(),
        role_arn: role.to_owned(),
    };
    set_roles(
        &w,
        &pool_id,
        Some(RoleMapping {
            r#type: RoleMappingType::Rules,
            ambiguous_role_resolution: Some(AmbiguousRoleResolutionType::AuthenticatedRole),
            rules_configuration: Some(RulesConfigurationType {
                rules: vec![
                    rule(
                        "email",
                        MappingRuleMatchType::Contains,
                        "@example.com",
                        admins,
                    ),
                    rule(
                        "cognito:username",
                        MappingRuleMatchType::Equals,
                        "carol",
                        readers,
                    ),
                    rule(
                        "email",
                        MappingRuleMatchType::StartsWith,
                        "zzz",
                        "arn:aws:iam::123456789012:role/never",
                    ),
                ],
            }),
        }),
    )
    .await;
    let roles = w
        .identity
        .get_identity_pool_roles()
        .identity_pool_id(pool_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(roles.role_mappings.map(|m| m.len()), Some(1));

    let session = w.session("carol").await;
    let role_of = |provider: CognitoCredentialsProvider| {
        let emu = &w.emu;
        async move {
            let c = provider.credentials().await.unwrap();
            emu.issued_credentials(c.access_key_id()).unwrap().role_arn
        }
    };
    let first_match = builder(&w, &pool_id).logins(session.clone()).build();
    assert_eq!(role_of(first_match.unwrap()).await, admins);
    let custom = builder(&w, &pool_id)
        .logins(session.clone())
        .custom_role_arn(readers)
        .build();
    assert_eq!(role_of(custom.unwrap()).await, readers);

    let not_allowed = builder(&w, &pool_id)
        .logins(session)
        .custom_role_arn("arn:aws:iam::123456789012:role/never")
        .build()
        .unwrap();
    let err = not_allowed.credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("not a role this identity may assume"),
        "{err}"
    );
}

#[tokio::test]
async fn credentials_and_tokens_refresh_before_they_expire() {
    let (w, pool_id, session) = signed_in("dave").await;
    let provider = builder(&w, &pool_id)
        .logins(session.clone())
        .refresh_margin(Duration::from_secs(300))
        .build()
        .unwrap();
    let first = provider.credentials().await.unwrap();
    let identity_id = provider.identity_id();
    // 55 minutes later both the credentials and the ID token are within the 5-minute margin.
    w.emu.clock().advance(3300);
    let second = provider.credentials().await.unwrap();
    assert_ne!(second.access_key_id(), first.access_key_id());
    assert_eq!(provider.fetch_count(), 2);
    assert_eq!(
        session.refresh_count(),
        1,
        "the ID token was refreshed for the login"
    );
    assert_eq!(
        provider.identity_id(),
        identity_id,
        "the identity id is reused"
    );
    assert!(second.expiry().unwrap() > first.expiry().unwrap());
}

/// The provider as this project's runtime credentials provider: a generated client signs its
/// SigV4 calls with the identity's credentials.
#[tokio::test]
async fn runtime_provider_signs_generated_clients() {
    let (w, pool_id, session) = signed_in("erin").await;
    let provider = builder(&w, &pool_id).logins(session).build().unwrap();
    let config = cognito_identity::runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(w.url())
        .credentials_provider(Arc::new(provider.clone()))
        .max_attempts(1)
        .build()
        .unwrap();
    let signed = cognito_identity::Client::new(config).unwrap();
    let described = signed
        .describe_identity_pool()
        .identity_pool_id(pool_id.clone())
        .send()
        .await
        .expect("a SigV4 call signed with identity-pool credentials");
    assert_eq!(described.identity_pool_id, pool_id);
    assert_eq!(provider.fetch_count(), 1);
}

/// The provider as aws-sdk-rust uses it: wrapped in a `SharedCredentialsProvider` (what
/// `aws_config::...credentials_provider(..)` stores) and resolved through `ResolveIdentity`,
/// the call the SDK's orchestrator makes before signing; the identity carries the expiry the
/// SDK's identity cache refreshes by.
#[tokio::test]
async fn aws_sdk_rust_resolves_credentials_through_the_provider() {
    use aws_credential_types::provider::{ProvideCredentials as _, SharedCredentialsProvider};
    use aws_smithy_runtime_api::client::identity::ResolveIdentity as _;
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
    use aws_smithy_types::config_bag::ConfigBag;

    let (w, pool_id, session) = signed_in("frank").await;
    let provider = builder(&w, &pool_id)
        .logins(session.clone())
        .build()
        .unwrap();
    let shared = SharedCredentialsProvider::new(provider.clone());

    let components = RuntimeComponentsBuilder::for_tests()
        .build()
        .expect("components");
    let identity = shared
        .resolve_identity(&components, &ConfigBag::base())
        .await
        .expect("resolve_identity");
    let creds = identity
        .data::<aws_credential_types::Credentials>()
        .expect("an AWS credentials identity");
    assert!(creds.access_key_id().starts_with("ASIA"));
    assert!(creds.session_token().is_some());
    assert_eq!(identity.expiration(), creds.expiry());
    assert!(identity.expiration().is_some());
    assert!(!format!("{creds:?}").contains(creds.secret_access_key()));
    let issued = w.emu.issued_credentials(creds.access_key_id()).unwrap();
    assert_eq!(Some(issued.identity_id), provider.identity_id());

    // The direct trait call gives the same cached credentials.
    let direct = shared.provide_credentials().await.unwrap();
    assert_eq!(direct.access_key_id(), creds.access_key_id());

    // Signed out: "not loaded", so a credentials chain would move on to its next provider.
    session.sign_out().await.unwrap();
    provider.invalidate();
    let err = shared.provide_credentials().await.unwrap_err();
    assert!(
        matches!(
            err,
            aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(_)
        ),
        "{err:?}"
    );
}
