//! The authenticator against a real moto_server (started and stopped by the tests through
//! `scripts/peers.sh`). moto checks passwords only in USER_PASSWORD_AUTH and never verifies SRP
//! signatures, but its answers differ from AWS in the ways the official clients tolerate
//! (USER_ID_FOR_SRP is the sub, SECRET_BLOCK is a UUID, MFA lists are Python repr strings), so
//! every flow here must still complete.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_idp::auth::{
    AuthConfig, AuthError, AuthEvent, Authenticator, MfaType, Secret, SignInStep,
};
use cognito_idp::types::{ExplicitAuthFlowsType, UserPoolMfaType};
use test_support::cognito::{boto3, client, create_pool, create_user, Pool, PoolSpec};
use test_support::peers::Moto;

const PASSWORD: &str = "Correct-Horse-9";

fn authenticator(moto: &Moto, pool: &Pool) -> Authenticator {
    let config = AuthConfig::new(&pool.id, &pool.client_id)
        .with_optional_client_secret(pool.client_secret.clone().map(Secret::new));
    Authenticator::new(client(&moto.url()), config).expect("authenticator")
}

async fn setup(spec: PoolSpec, user: &str) -> (Moto, Pool, Authenticator) {
    let moto = Moto::start();
    let pool = create_pool(&moto.url(), spec).await;
    create_user(&pool, user, PASSWORD, &[("email", "u@example.com")], false).await;
    let auth = authenticator(&moto, &pool);
    (moto, pool, auth)
}

#[tokio::test]
async fn user_password_auth_then_refresh_keeps_the_refresh_token() {
    let (_moto, _pool, auth) = setup(PoolSpec::default(), "alice").await;
    let tokens = auth
        .sign_in_password("alice", PASSWORD)
        .await
        .expect("sign in")
        .done()
        .expect("tokens");
    assert!(tokens.id_token().is_some());
    let refresh = tokens.refresh_token().expect("refresh token").clone();
    assert!(!tokens.needs_refresh(Duration::from_secs(60)));
    assert_eq!(tokens.username().as_deref(), Some("alice"));

    let fresh = auth.refresh_tokens(&tokens).await.expect("refresh");
    assert_eq!(
        fresh.refresh_token().map(Secret::expose),
        Some(refresh.expose()),
        "moto returns no new refresh token: the old one is kept"
    );
    assert!(!fresh.access_token().is_empty());

    let plain = auth
        .refresh(&refresh, None)
        .await
        .expect("refresh by token");
    assert!(plain.id_token().is_some());
}

#[tokio::test]
async fn user_srp_auth_completes_with_moto_usernames_and_uuid_secret_block() {
    let (_moto, _pool, auth) = setup(PoolSpec::default(), "bob").await;
    let tokens = auth
        .sign_in_srp("bob", PASSWORD)
        .await
        .expect("SRP sign-in (moto answers PASSWORD_VERIFIER only under USERNAME, not the sub)")
        .done()
        .expect("tokens");
    assert_eq!(tokens.username().as_deref(), Some("bob"));
    let claims = tokens.id_claims_unverified().expect("id claims");
    assert_eq!(claims.get_str("cognito:username"), Some("bob"));
    assert!(claims.subject().is_some());
}

#[tokio::test]
async fn srp_steps_are_observed_without_secrets() {
    let moto = Moto::start();
    let pool = create_pool(&moto.url(), PoolSpec::default()).await;
    create_user(&pool, "carol", PASSWORD, &[], false).await;
    let events: Arc<Mutex<Vec<AuthEvent>>> = Arc::default();
    let sink = events.clone();
    let config = AuthConfig::new(&pool.id, &pool.client_id)
        .with_observer(move |e| sink.lock().unwrap().push(e.clone()));
    let auth = Authenticator::new(client(&moto.url()), config).unwrap();
    auth.sign_in_srp("carol", PASSWORD)
        .await
        .unwrap()
        .done()
        .unwrap();
    let events = events.lock().unwrap();
    let text = format!("{events:?}");
    assert!(!text.contains(PASSWORD), "{text}");
    let names: Vec<&str> = events
        .iter()
        .map(|e| match e {
            AuthEvent::Initiate { .. } => "initiate",
            AuthEvent::Challenge { .. } => "challenge",
            AuthEvent::PasswordClaim { .. } => "claim",
            AuthEvent::Respond { .. } => "respond",
            AuthEvent::Authenticated { .. } => "tokens",
            _ => "other",
        })
        .collect();
    assert_eq!(
        names,
        ["initiate", "challenge", "claim", "respond", "tokens"]
    );
    // the SRP math used moto's USER_ID_FOR_SRP (the sub); the answer went under USERNAME
    match (&events[2], &events[3]) {
        (AuthEvent::PasswordClaim { identity, .. }, AuthEvent::Respond { username, .. }) => {
            assert_ne!(identity, "carol");
            assert_eq!(username, "carol");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn new_password_required_in_both_flows() {
    let moto = Moto::start();
    let pool = create_pool(&moto.url(), PoolSpec::default()).await;
    create_user(&pool, "dave", "Temp-Passw0rd", &[], true).await;
    create_user(&pool, "erin", "Temp-Passw0rd", &[], true).await;
    let auth = authenticator(&moto, &pool);

    let step = auth.sign_in_srp("dave", "Temp-Passw0rd").await.unwrap();
    let SignInStep::NewPasswordRequired(challenge) = step else {
        panic!("expected NEW_PASSWORD_REQUIRED, got {}", step.name());
    };
    assert_eq!(challenge.username(), "dave");
    let tokens = challenge.complete(PASSWORD).await.unwrap().done().unwrap();
    assert_eq!(tokens.username().as_deref(), Some("dave"));
    // the new password works
    auth.sign_in_password("dave", PASSWORD)
        .await
        .unwrap()
        .done()
        .unwrap();

    let step = auth
        .sign_in_password("erin", "Temp-Passw0rd")
        .await
        .unwrap();
    let SignInStep::NewPasswordRequired(challenge) = step else {
        panic!("expected NEW_PASSWORD_REQUIRED, got {}", step.name());
    };
    challenge.complete(PASSWORD).await.unwrap().done().unwrap();
}

#[tokio::test]
async fn client_with_a_secret_in_every_flow() {
    let spec = PoolSpec {
        secret: true,
        ..PoolSpec::default()
    };
    let (moto, pool, auth) = setup(spec, "frank").await;
    assert!(pool.client_secret.is_some());
    let tokens = auth
        .sign_in_srp("frank", PASSWORD)
        .await
        .unwrap()
        .done()
        .unwrap();
    auth.sign_in_password("frank", PASSWORD)
        .await
        .unwrap()
        .done()
        .unwrap();
    let fresh = auth
        .refresh_tokens(&tokens)
        .await
        .expect("refresh with SECRET_HASH");
    assert!(fresh.refresh_token().is_some());

    // refresh with a secret needs the username
    let err = auth
        .refresh(tokens.refresh_token().unwrap(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidInput { .. }), "{err:?}");

    // a wrong secret is refused (moto checks SECRET_HASH at SRP initiate and on refresh)
    let wrong = Authenticator::new(
        client(&moto.url()),
        AuthConfig::new(&pool.id, &pool.client_id).with_client_secret("not-the-secret"),
    )
    .unwrap();
    let err = wrong.sign_in_srp("frank", PASSWORD).await.unwrap_err();
    assert!(err.code() == Some("NotAuthorizedException"), "{err:?}");
    let err = wrong.refresh_tokens(&tokens).await.unwrap_err();
    assert!(err.code() == Some("NotAuthorizedException"), "{err:?}");
    // and no secret at all
    let none = Authenticator::new(
        client(&moto.url()),
        AuthConfig::new(&pool.id, &pool.client_id),
    )
    .unwrap();
    let err = none.sign_in_srp("frank", PASSWORD).await.unwrap_err();
    assert!(err.code() == Some("NotAuthorizedException"), "{err:?}");
}

#[tokio::test]
async fn errors_name_the_cause() {
    let (moto, pool, auth) = setup(PoolSpec::default(), "gina").await;
    let err = auth
        .sign_in_password("gina", "wrong-password")
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::IncorrectUsernameOrPassword(_)),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("incorrect username or password"), "{text}");
    assert!(!text.contains("wrong-password"), "{text}");

    let err = auth.sign_in_srp("nobody", PASSWORD).await.unwrap_err();
    assert!(matches!(err, AuthError::UserNotFound(_)), "{err:?}");

    let stranger = Authenticator::new(
        client(&moto.url()),
        AuthConfig::new(&pool.id, "unknownclient123"),
    )
    .unwrap();
    let err = stranger
        .sign_in_password("gina", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::UnknownUserPoolOrClient(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not exist"), "{err}");

    let err = auth
        .refresh(&Secret::new("not-a-refresh-token"), None)
        .await
        .unwrap_err();
    assert!(err.code() == Some("NotAuthorizedException"), "{err:?}");

    let bad = Authenticator::new(client(&moto.url()), AuthConfig::new("nounderscore", "c"));
    assert!(matches!(bad, Err(AuthError::InvalidInput { .. })));
}

#[tokio::test]
async fn mfa_setup_with_totp_and_list_valued_parameters() {
    let spec = PoolSpec {
        mfa: Some(UserPoolMfaType::On),
        flows: vec![
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
        ..PoolSpec::default()
    };
    let (moto, pool, auth) = setup(spec, "hank").await;
    boto3(
        &moto.url(),
        &format!(
            "cognito.set_user_pool_mfa_config(UserPoolId='{}', \
             SoftwareTokenMfaConfiguration={{'Enabled': True}}, MfaConfiguration='ON')",
            pool.id
        ),
    );
    let step = auth.sign_in_srp("hank", PASSWORD).await.unwrap();
    let SignInStep::MfaSetup(setup) = step else {
        panic!("expected MFA_SETUP, got {}", step.name());
    };
    assert_eq!(setup.options, vec![MfaType::SoftwareToken]);
    let totp = setup.associate_software_token().await.expect("associate");
    assert!(!totp.secret_code().is_empty());
    assert!(totp
        .otpauth_uri("Example", "hank")
        .expose()
        .starts_with("otpauth://totp/Example:hank?secret="));
    // moto checks TOTP codes only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP
    let next = totp.verify("123456", Some("phone")).await.expect("verify");
    match next {
        SignInStep::Done(tokens) => assert!(tokens.id_token().is_some()),
        SignInStep::SoftwareTokenMfa(_) => {}
        other => panic!("unexpected {}", other.name()),
    }
}
