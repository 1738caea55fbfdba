//! The emulator's tokens: AWS-shaped `iss`, keys served locally, and each check failing for the
//! reason a real sign-in can produce (another client, another pool, a clock moved).

mod support;

use cognito_emulator::Emulator;
use cognito_verify::{KeyLookup, TokenUse, Verifier, VerifyError};
use serde_json::{json, Map, Value};
use support::emulator::EmuPool;

fn verifier(emu: &Emulator, pool: &EmuPool, token_use: TokenUse) -> Verifier {
    Verifier::builder(&pool.pool_id)
        .token_use(token_use)
        .client_id(&pool.client_id)
        .jwks_url(pool.jwks_url(emu))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_tokens_verify_with_aws_issuer_and_local_keys() {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool = EmuPool::create(&emu, &["alice"]);
    let (access, id) = pool.sign_in(&emu, &pool.client_id, "alice");

    let v = verifier(&emu, &pool, TokenUse::Access);
    assert_eq!(v.cached_kids(), Vec::<String>::new());
    let claims = v.verify(&access).await.unwrap();
    assert_eq!(claims.username(), Some("alice"));
    assert_eq!(
        claims.issuer(),
        Some(
            format!(
                "https://cognito-idp.us-east-1.amazonaws.com/{}",
                pool.pool_id
            )
            .as_str()
        )
    );
    assert_eq!(claims.issuer(), Some(v.issuers()[0].as_str()));
    assert_eq!(v.jwks_fetches(), 1);
    // Cached now: the sync path verifies without I/O.
    v.verify_sync(&access).unwrap();

    // The same keys serve the ID tokens: no second fetch.
    let idv = v.for_token_use(TokenUse::Id);
    let id_claims = idv.verify_sync(&id).unwrap();
    assert_eq!(v.jwks_fetches(), 1);
    assert_eq!(id_claims.get_str("email"), Some("alice@example.com"));
    assert_eq!(id_claims.client_id(), Some(pool.client_id.as_str()));
    assert_eq!(
        idv.verify_sync(&access).unwrap_err(),
        VerifyError::TokenUse {
            found: "access".into(),
            expected: TokenUse::Id
        }
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_tokens_fail_each_check_for_its_reason() {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool = EmuPool::create(&emu, &["alice"]);
    let other_pool = EmuPool::create(&emu, &["alice"]);
    let v = verifier(&emu, &pool, TokenUse::Access);
    v.hydrate().await.unwrap();

    // Another app client of the same pool.
    let (access, _) = pool.sign_in(&emu, &pool.other_client_id, "alice");
    assert_eq!(
        v.verify_sync(&access).unwrap_err(),
        VerifyError::ClientId {
            claim: "client_id",
            found: pool.other_client_id.clone(),
            expected: vec![pool.client_id.clone()]
        }
    );
    // Another pool of the same emulator: same signing key, other issuer.
    let (access, _) = other_pool.sign_in(&emu, &other_pool.client_id, "alice");
    match v.verify_sync(&access).unwrap_err() {
        VerifyError::Issuer { found, .. } => assert!(found.ends_with(&other_pool.pool_id)),
        other => panic!("{other:?}"),
    }
    // Issued two hours ago: expired an hour ago.
    emu.clock().advance(-7200);
    let (access, _) = pool.sign_in(&emu, &pool.client_id, "alice");
    emu.clock().reset();
    assert!(matches!(
        v.verify_sync(&access),
        Err(VerifyError::Expired { .. })
    ));
    // Issued by a clock ten minutes ahead.
    emu.clock().advance(600);
    let (access, _) = pool.sign_in(&emu, &pool.client_id, "alice");
    emu.clock().reset();
    assert!(matches!(
        v.verify_sync(&access),
        Err(VerifyError::IssuedInFuture { .. })
    ));
    let lenient = Verifier::builder(&pool.pool_id)
        .token_use(TokenUse::Access)
        .client_id(&pool.client_id)
        .leeway(std::time::Duration::from_secs(900))
        .jwks_url(pool.jwks_url(&emu))
        .build()
        .unwrap();
    lenient.verify(&access).await.unwrap();

    // Claims no sign-in gives, signed with the emulator's key.
    let (good, _) = pool.sign_in(&emu, &pool.client_id, "alice");
    let mut claims: Map<String, Value> = v.verify_sync(&good).unwrap().into_map();
    claims.insert("cognito:groups".into(), json!(["admin"]));
    let with_groups = emu.sign_token(&claims).unwrap();
    let admins = Verifier::builder(&pool.pool_id)
        .token_use(TokenUse::Access)
        .client_id(&pool.client_id)
        .require_any_group(["admin"])
        .jwks_url(pool.jwks_url(&emu))
        .build()
        .unwrap();
    admins.verify(&with_groups).await.unwrap();
    assert!(matches!(
        admins.verify(&good).await,
        Err(VerifyError::MissingClaim {
            claim: "cognito:groups"
        })
    ));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_emulator_leaves_cached_keys_working() {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool = EmuPool::create(&emu, &["alice"]);
    let (access, _) = pool.sign_in(&emu, &pool.client_id, "alice");
    let v = verifier(&emu, &pool, TokenUse::Access);
    v.hydrate().await.unwrap();
    let kid = v.cached_kids().pop().unwrap();
    emu.shutdown().await;
    v.verify(&access).await.unwrap();
    // An unknown kid right after the hydrate is rate-limited, not fetched.
    let (a, _) = support::keys();
    let foreign = a.mint(&json!({"iss": v.issuers()[0]}));
    match v.verify(&foreign).await.unwrap_err() {
        VerifyError::UnknownKid {
            kid,
            lookup: KeyLookup::RateLimited { .. },
        } => assert_eq!(kid, "key-a"),
        other => panic!("{other:?}"),
    }
    assert_eq!(v.jwks_fetches(), 1);
    assert_eq!(v.cached_kids(), [kid]);
}
