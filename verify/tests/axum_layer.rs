//! The axum layer and extractor on a real Router: claims reach the handler; each refusal has
//! the status and `WWW-Authenticate` challenge of RFC 6750.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::routing::get;
use axum::Router;
use cognito_verify::axum::{Verified, VerifyLayer};
use cognito_verify::{TokenUse, Verifier, VerifyError};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use support::{access_claims, jwks, keys, now, CLIENT, POOL};
use tower::ServiceExt;

async fn me(Verified(claims): Verified) -> String {
    format!("hello {}", claims.username().unwrap_or("?"))
}

fn verifier() -> cognito_verify::VerifierBuilder {
    Verifier::builder(POOL)
        .token_use(TokenUse::Access)
        .client_id(CLIENT)
        .with_jwks(jwks(&[&keys().0]))
}

async fn send(app: &Router, auth: &[&str]) -> (StatusCode, Option<String>, String) {
    let mut req = Request::get("/me");
    for a in auth {
        req = req.header(header::AUTHORIZATION, *a);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let challenge = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, challenge, String::from_utf8(body.to_vec()).unwrap())
}

fn token(edit: Value) -> String {
    let mut c = access_claims(POOL, CLIENT, now());
    for (k, v) in edit.as_object().unwrap() {
        c[k] = v.clone();
    }
    keys().0.mint(&c)
}

#[tokio::test]
async fn claims_reach_the_handler_and_refusals_follow_rfc_6750() {
    let refused = Arc::new(Mutex::new(Vec::new()));
    let log = refused.clone();
    let app = Router::new().route("/me", get(me)).layer(
        VerifyLayer::new(verifier().build().unwrap())
            .on_refused(move |e| log.lock().unwrap().push(e.clone())),
    );
    let good = token(json!({}));
    assert_eq!(
        send(&app, &[&format!("Bearer {good}")]).await,
        (StatusCode::OK, None, "hello alice".into())
    );
    assert_eq!(
        send(&app, &[&format!("bearer {good}")]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, &[]).await,
        (
            StatusCode::UNAUTHORIZED,
            Some("Bearer".into()),
            String::new()
        )
    );
    assert_eq!(
        send(&app, &["Basic dXNlcjpwdw=="]).await.1.as_deref(),
        Some("Bearer")
    );
    let (status, challenge, _) = send(&app, &["Bearer"]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(challenge
        .unwrap()
        .starts_with("Bearer error=\"invalid_request\""));

    let expired = token(json!({"exp": 1000, "iat": 10}));
    let (status, challenge, body) = send(&app, &[&format!("Bearer {expired}")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge.as_deref(),
        Some("Bearer error=\"invalid_token\", error_description=\"token expired\"")
    );
    assert!(body.is_empty());
    assert!(matches!(
        refused.lock().unwrap().last(),
        Some(VerifyError::Expired { .. })
    ));
    let (status, challenge, _) = send(&app, &["Bearer not.a.token"]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(challenge.unwrap().contains("invalid_token"));
}

#[tokio::test]
async fn missing_groups_are_forbidden_and_missing_keys_unavailable() {
    let admins = Router::new().route("/me", get(me)).layer(VerifyLayer::new(
        verifier().require_any_group(["admin"]).build().unwrap(),
    ));
    let (status, challenge, _) = send(&admins, &[&format!("Bearer {}", token(json!({})))]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(challenge
        .unwrap()
        .starts_with("Bearer error=\"insufficient_scope\""));
    let admin = token(json!({"cognito:groups": ["admin"]}));
    assert_eq!(
        send(&admins, &[&format!("Bearer {admin}")]).await.0,
        StatusCode::OK
    );

    // The JWKS host is down: not the client's fault.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let down = Router::new().route("/me", get(me)).layer(VerifyLayer::new(
        Verifier::builder(POOL)
            .token_use(TokenUse::Access)
            .client_id(CLIENT)
            .jwks_url(format!("http://{closed}/jwks.json"))
            .fetch_timeout(Duration::from_millis(500))
            .build()
            .unwrap(),
    ));
    let (status, challenge, _) = send(&down, &[&format!("Bearer {}", token(json!({})))]).await;
    assert_eq!((status, challenge), (StatusCode::SERVICE_UNAVAILABLE, None));
}

#[tokio::test]
async fn the_extractor_without_the_layer_is_a_server_error() {
    let app = Router::new().route("/me", get(me));
    let (status, _, body) = send(&app, &[&format!("Bearer {}", token(json!({})))]).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("without VerifyLayer"), "{body}");
}
