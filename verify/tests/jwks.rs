//! The JWKS cache against a local server that counts requests: one fetch per unknown kid, a
//! burst of 1,000 concurrent unknown-kid verifications sharing one fetch per interval, typed
//! errors within the timeout when the server is down or hangs, oversized documents refused,
//! and the fetch going through a proxy.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_verify::{JwksError, KeyLookup, TokenUse, Verifier, VerifierBuilder, VerifyError};
use serde_json::json;
use support::jwks_server::{Behaviour, JwksServer};
use support::{access_claims, jwks, keys, now, CLIENT, POOL};

fn serve(body: String) -> Behaviour {
    Behaviour::Serve {
        body,
        delay: Duration::ZERO,
    }
}

fn builder(url: &str) -> VerifierBuilder {
    Verifier::builder(POOL)
        .token_use(TokenUse::Access)
        .client_id(CLIENT)
        .jwks_url(url)
}

/// A well-formed token whose signature is never reached: its kid is not in any JWKS.
fn unknown_kid(kid: &str) -> String {
    format!(
        "{}.{}.c2ln",
        support::b64json(&json!({"kid": kid, "alg": "RS256"})),
        support::b64json(&access_claims(POOL, CLIENT, now()))
    )
}

fn token_with_kid(kid: &str) -> String {
    let (a, _) = keys();
    a.mint_with_header(
        &json!({"kid": kid, "alg": "RS256"}),
        &access_claims(POOL, CLIENT, now()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kid_is_one_fetch() {
    let (a, b) = keys();
    let server = JwksServer::start(serve(jwks(&[a, b]))).await;
    // Starts with key-a only; a key-b token makes it fetch, once.
    let v = builder(&server.url).with_jwks(jwks(&[a])).build().unwrap();
    v.verify(&a.mint(&access_claims(POOL, CLIENT, now())))
        .await
        .unwrap();
    assert_eq!(server.requests(), 0);
    v.verify(&b.mint(&access_claims(POOL, CLIENT, now())))
        .await
        .unwrap();
    assert_eq!(server.requests(), 1);
    v.verify(&b.mint(&access_claims(POOL, CLIENT, now())))
        .await
        .unwrap();
    assert_eq!(server.requests(), 1);
    assert_eq!(v.cached_kids(), ["key-a", "key-b"]);
    assert!(
        server.request_lines()[0].starts_with("GET /us-east-1_TestPool1/.well-known/jwks.json ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_kids_refetch_at_most_once_per_interval() {
    let (a, _) = keys();
    let server = JwksServer::start(serve(jwks(&[a]))).await;
    let interval = Duration::from_millis(300);
    let v = builder(&server.url)
        .refetch_interval(interval)
        .build()
        .unwrap();
    assert_eq!(
        v.verify(&token_with_kid("nope-1")).await.unwrap_err(),
        VerifyError::UnknownKid {
            kid: "nope-1".into(),
            lookup: KeyLookup::Refetched
        }
    );
    assert!(matches!(
        v.verify(&token_with_kid("nope-2")).await.unwrap_err(),
        VerifyError::UnknownKid {
            lookup: KeyLookup::RateLimited { retry_in },
            ..
        } if retry_in <= interval
    ));
    assert_eq!(server.requests(), 1);
    tokio::time::sleep(interval + Duration::from_millis(20)).await;
    assert!(matches!(
        v.verify(&token_with_kid("nope-3")).await.unwrap_err(),
        VerifyError::UnknownKid {
            lookup: KeyLookup::Refetched,
            ..
        }
    ));
    assert_eq!(server.requests(), 2);
    // The known key verifies throughout, without fetching.
    v.verify(&token_with_kid("key-a")).await.unwrap();
    // An explicit hydrate fetches whatever the interval.
    v.hydrate().await.unwrap();
    assert_eq!(server.requests(), 3);
}

/// 1,000 concurrent verifications with unknown kids while the JWKS answers slowly: all share
/// the one fetch. Then bursts for about 1.5 s with a 300 ms interval: at most one fetch per
/// interval started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_unknown_kids_shares_one_fetch_per_interval() {
    let (a, _) = keys();
    let server = JwksServer::start(Behaviour::Serve {
        body: jwks(&[a]),
        delay: Duration::from_millis(200),
    })
    .await;
    let v = Arc::new(builder(&server.url).build().unwrap());
    let tokens: Arc<Vec<String>> =
        Arc::new((0..1000).map(|i| unknown_kid(&format!("k{i}"))).collect());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let (v, tokens) = (v.clone(), tokens.clone());
        tasks.spawn(async move { v.verify(&tokens[i]).await });
    }
    let mut refused = 0;
    while let Some(r) = tasks.join_next().await {
        assert!(matches!(r.unwrap(), Err(VerifyError::UnknownKid { .. })));
        refused += 1;
    }
    assert_eq!(refused, 1000);
    assert_eq!(server.requests(), 1, "one fetch for the whole burst");

    let interval = Duration::from_millis(300);
    let v = Arc::new(
        builder(&server.url)
            .refetch_interval(interval)
            .build()
            .unwrap(),
    );
    let before = server.requests();
    let started = Instant::now();
    let mut round = 0;
    while started.elapsed() < Duration::from_millis(1500) {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..200 {
            let (v, tokens) = (v.clone(), tokens.clone());
            tasks.spawn(async move { v.verify(&tokens[(round * 200 + i) % 1000]).await });
        }
        while let Some(r) = tasks.join_next().await {
            assert!(r.unwrap().is_err());
        }
        round += 1;
    }
    let elapsed = started.elapsed();
    let fetches = server.requests() - before;
    let allowed = (elapsed.as_millis() / interval.as_millis()) as usize + 1;
    assert!(round >= 3, "{round} rounds");
    assert!(
        (1..=allowed).contains(&fetches),
        "{fetches} fetches in {elapsed:?} at one per {interval:?} ({round} rounds)"
    );
    assert_eq!(v.jwks_fetches() as usize, fetches);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_down_or_hanging_gives_typed_errors_within_the_timeout() {
    // Nothing listens on a port just released.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let timeout = Duration::from_millis(400);
    let url = format!("http://{closed}/p/.well-known/jwks.json");
    let v = builder(&url).fetch_timeout(timeout).build().unwrap();
    let t = Instant::now();
    let err = v.verify(&token_with_kid("key-a")).await.unwrap_err();
    assert!(t.elapsed() < timeout, "{:?}", t.elapsed());
    assert!(
        matches!(&err, VerifyError::Jwks(JwksError::Connect { url: u, .. }) if *u == url),
        "{err:?}"
    );
    // Within the interval the failure is reported again, without another attempt.
    match v.verify(&token_with_kid("key-a")).await.unwrap_err() {
        VerifyError::Jwks(JwksError::Backoff { last, .. }) => {
            assert!(matches!(*last, JwksError::Connect { .. }))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(v.jwks_fetches(), 1);

    let server = JwksServer::start(Behaviour::Hang).await;
    let v = builder(&server.url).fetch_timeout(timeout).build().unwrap();
    let t = Instant::now();
    let err = v.verify(&token_with_kid("key-a")).await.unwrap_err();
    let took = t.elapsed();
    assert_eq!(
        err,
        VerifyError::Jwks(JwksError::Timeout {
            url: server.url.clone(),
            after: timeout
        })
    );
    assert!(took >= timeout && took < timeout * 3, "{took:?}");
    assert_eq!(
        v.hydrate().await.unwrap_err(),
        JwksError::Timeout {
            url: server.url.clone(),
            after: timeout
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_invalid_documents_are_refused() {
    let server = JwksServer::start(Behaviour::Large(100 * 1024)).await;
    let v = builder(&server.url).build().unwrap();
    assert_eq!(
        v.hydrate().await.unwrap_err(),
        JwksError::TooLarge {
            url: server.url.clone(),
            max: 64 * 1024
        }
    );
    // Without a Content-Length, the cap holds while reading.
    server.set(Behaviour::Stream(10 * 1024 * 1024));
    let v = builder(&server.url)
        .max_jwks_bytes(16 * 1024)
        .build()
        .unwrap();
    assert_eq!(
        v.hydrate().await.unwrap_err(),
        JwksError::TooLarge {
            url: server.url.clone(),
            max: 16 * 1024
        }
    );
    server.set(Behaviour::Status(503));
    assert_eq!(
        v.hydrate().await.unwrap_err(),
        JwksError::Status {
            url: server.url.clone(),
            status: 503
        }
    );
    server.set(serve("<html>".into()));
    assert!(matches!(
        v.hydrate().await.unwrap_err(),
        JwksError::Invalid { reason, .. } if reason.starts_with("not JSON")
    ));
    server.set(serve(json!({"keys": "none"}).to_string()));
    assert!(matches!(
        v.hydrate().await.unwrap_err(),
        JwksError::Invalid { reason, .. } if reason == "\"keys\" is not a list"
    ));
    // A good document afterwards is taken.
    server.set(serve(jwks(&[&keys().0])));
    v.hydrate().await.unwrap();
    v.verify_sync(&token_with_kid("key-a")).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_keys_replace_the_old_set() {
    let (a, b) = keys();
    let server = JwksServer::start(serve(jwks(&[a]))).await;
    let v = builder(&server.url)
        .refetch_interval(Duration::from_millis(50))
        .build()
        .unwrap();
    let old = a.mint(&access_claims(POOL, CLIENT, now()));
    v.verify(&old).await.unwrap();
    server.set(serve(jwks(&[b])));
    tokio::time::sleep(Duration::from_millis(60)).await;
    v.verify(&b.mint(&access_claims(POOL, CLIENT, now())))
        .await
        .unwrap();
    assert_eq!(v.cached_kids(), ["key-b"]);
    assert!(matches!(
        v.verify_sync(&old),
        Err(VerifyError::UnknownKid { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_through_a_proxy() {
    let (a, _) = keys();
    let proxy = JwksServer::start(serve(jwks(&[a]))).await;
    // The JWKS URL names a loopback port nobody listens on: only the proxy can answer.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let url = format!("http://{closed}/us-east-1_TestPool1/.well-known/jwks.json");
    let v = builder(&url)
        .proxy(reqwest::Proxy::http(format!("http://{}", proxy.addr)).unwrap())
        .build()
        .unwrap();
    v.verify(&token_with_kid("key-a")).await.unwrap();
    assert_eq!(proxy.requests(), 1);
    assert_eq!(
        proxy.request_lines(),
        [format!("GET {url} HTTP/1.1")],
        "absolute-form request to the proxy"
    );
}
