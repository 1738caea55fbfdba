//! The awsJson call path against a local HTTP server on a real socket.

mod common;

use std::time::{Duration, Instant};

#[cfg(feature = "sigv4")]
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(feature = "sigv4")]
use std::sync::Arc;

use awsjson_runtime::{
    Config, ConfigError, Error, InvalidResponseKind, TimeoutKind, Timeouts, TransportKind,
};
#[cfg(feature = "sigv4")]
use awsjson_runtime::{Credentials, CredentialsFuture, ProvideCredentials};
use common::*;

fn input() -> DoThingInput {
    DoThingInput {
        name: Some("abc".into()),
        count: Some(3),
        password: None,
    }
}

#[tokio::test]
async fn exact_headers_and_body() {
    let server = TestServer::always(json(200, r#"{"Value":"ok"}"#)).await;
    let h = handle(config(&server.url));
    let out = call(&h, &input()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("ok"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(r.header("x-amz-target"), Some("TestService.DoThing"));
    assert_eq!(
        r.header("host"),
        Some(server.url.trim_start_matches("http://"))
    );
    assert_eq!(r.header("content-length"), Some("24"));
    assert!(r
        .header("user-agent")
        .unwrap()
        .starts_with("awsjson-runtime/"));
    assert!(r.header("authorization").is_none());
    assert!(r.header("x-amz-date").is_none());
    assert_eq!(r.body, br#"{"Name":"abc","Count":3}"#);
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        r#"{"Name":"abc","Count":3}"#
    );
}

#[tokio::test]
async fn json_1_0_content_type_and_empty_success_body() {
    let server = TestServer::always(raw(200, "application/x-amz-json-1.0", b"")).await;
    let h = handle(config(&server.url));
    let out: DoThingOutput = h
        .invoke::<_, DoThingOutput, DoThingError>(&SERVICE_1_0, &DO_THING, &DoThingInput::default())
        .await
        .unwrap();
    assert_eq!(out, DoThingOutput::default());
    let r = &server.requests()[0];
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(r.header("x-amz-target"), Some("TestService10.DoThing"));
    assert_eq!(r.body, b"{}");
}

#[tokio::test]
async fn modeled_errors_with_and_without_namespace_and_header_suffix() {
    let server = TestServer::start(|n, _| match n {
        // header with a `:` suffix wins over the body
        0 => with_header(
            json(400, r#"{"__type":"Ignored","message":"Incorrect username or password."}"#),
            "X-Amzn-ErrorType",
            "NotAuthorizedException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        ),
        // namespaced __type, capitalised Message
        1 => json(
            400,
            r#"{"__type":"com.amazonaws.cognitoidentityprovider#UserNotFoundException","Message":"User does not exist."}"#,
        ),
        // body `code`, errorMessage
        2 => json(400, r#"{"code":"ResourceNotFoundException","errorMessage":"client-123"}"#),
        // header only, empty body, plain name
        3 => with_header(raw(400, "application/json", b""), "X-Amzn-ErrorType", "UserNotFoundException"),
        // bare __type without namespace, as moto sends it
        _ => json(400, r#"{"__type":"NotAuthorizedException","message":""}"#),
    })
    .await;
    let h = handle(config(&server.url));
    match call(&h, &input()).await {
        Err(DoThingError::NotAuthorized(e)) => {
            assert_eq!(
                e.message.as_deref(),
                Some("Incorrect username or password.")
            );
            assert_eq!(e.meta.code(), "NotAuthorizedException");
            assert_eq!(e.meta.status(), 400);
            assert_eq!(e.meta.request_id(), Some("req-1234"));
        }
        other => panic!("expected NotAuthorized, got {other:?}"),
    }
    match call(&h, &input()).await {
        Err(e @ DoThingError::UserNotFound(_)) => {
            assert_eq!(e.to_string(), "UserNotFoundException: User does not exist.");
        }
        other => panic!("expected UserNotFound, got {other:?}"),
    }
    match call(&h, &input()).await {
        Err(DoThingError::ResourceNotFound(e)) => {
            assert_eq!(e.meta.message(), Some("client-123"));
        }
        other => panic!("expected ResourceNotFound, got {other:?}"),
    }
    assert!(matches!(
        call(&h, &input()).await,
        Err(DoThingError::UserNotFound(_))
    ));
    match call(&h, &input()).await {
        Err(e @ DoThingError::NotAuthorized(_)) => {
            assert_eq!(e.to_string(), "NotAuthorizedException")
        }
        other => panic!("expected NotAuthorized, got {other:?}"),
    }
    // no modeled client error is retried
    assert_eq!(server.count(), 5);
}

#[tokio::test]
async fn unknown_error_keeps_status_code_message_and_request_id() {
    let server = TestServer::always(json(
        400,
        r#"{"__type":"aws.protocoltests#SomethingElseException","message":"it broke"}"#,
    ))
    .await;
    let h = handle(config(&server.url));
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Service(meta))) => {
            assert_eq!(meta.status(), 400);
            assert_eq!(meta.code(), "SomethingElseException");
            assert_eq!(meta.message(), Some("it broke"));
            assert_eq!(meta.request_id(), Some("req-1234"));
            assert_eq!(
                Error::Service(meta).to_string(),
                "SomethingElseException: it broke"
            );
        }
        other => panic!("expected an unhandled service error, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn retries_503_until_success() {
    let server = TestServer::start(|n, _| {
        if n < 2 {
            json(503, r#"{"__type":"ServiceUnavailable","message":"busy"}"#)
        } else {
            json(200, r#"{"Value":"third"}"#)
        }
    })
    .await;
    let h = handle(config(&server.url));
    let out = call(&h, &input()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("third"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn gives_up_after_max_attempts() {
    let server = TestServer::always(raw(503, "text/plain", b"Service Unavailable")).await;
    let h = handle(config(&server.url).retry(fast_retry(4)));
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::InvalidResponse { status, kind, .. })) => {
            assert_eq!(status, 503);
            assert_eq!(kind, InvalidResponseKind::NotJson);
        }
        other => panic!("expected an invalid 503 response, got {other:?}"),
    }
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn retries_throttling_modeled_and_unmodeled() {
    let server = TestServer::start(|n, _| match n {
        0 => json(
            400,
            r#"{"__type":"TooManyRequestsException","message":"slow down"}"#,
        ),
        1 => json(
            400,
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        ),
        _ => json(200, r#"{"Value":"done"}"#),
    })
    .await;
    let h = handle(config(&server.url));
    assert_eq!(
        call(&h, &input()).await.unwrap().value.as_deref(),
        Some("done")
    );
    assert_eq!(server.count(), 3);

    // throttled every time: the modeled error comes back after all attempts
    let server = TestServer::always(json(
        400,
        r#"{"__type":"TooManyRequestsException","message":"slow down"}"#,
    ))
    .await;
    let h = handle(config(&server.url).retry(fast_retry(2)));
    assert!(matches!(
        call(&h, &input()).await,
        Err(DoThingError::TooManyRequests(_))
    ));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retries_modeled_error_marked_retryable() {
    let server = TestServer::start(|n, _| match n {
        0 => json(400, r#"{"__type":"RetryMeException"}"#),
        _ => json(200, r#"{}"#),
    })
    .await;
    let h = handle(config(&server.url));
    call(&h, &input()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retries_connection_reset() {
    let server = TestServer::start(|n, _| match n {
        0 => Action::Reset,
        _ => json(200, r#"{"Value":"after reset"}"#),
    })
    .await;
    let h = handle(config(&server.url));
    let out = call(&h, &input()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("after reset"));
    assert_eq!(server.count(), 2);

    let server = TestServer::always(Action::Reset).await;
    let h = handle(config(&server.url));
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Transport { kind, attempts, .. })) => {
            assert_eq!(kind, TransportKind::Io);
            assert_eq!(attempts, 3);
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // a port that was just free: bind, note it, close
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let h = handle(config(&url));
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Transport { kind, attempts, .. })) => {
            assert_eq!(kind, TransportKind::Connect);
            assert_eq!(attempts, 3);
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn timeouts_are_on_by_default() {
    let t = Timeouts::default();
    assert!(!t.connect.is_zero() && !t.attempt.is_zero() && !t.overall.is_zero());
    let cfg = Config::builder().region("us-east-1").build().unwrap();
    assert_eq!(cfg.timeouts(), t);
}

#[tokio::test]
async fn stalled_server_is_cut_off_by_the_attempt_timeout() {
    let server = TestServer::always(Action::Stall).await;
    let h = handle(
        config(&server.url)
            .attempt_timeout(Duration::from_millis(200))
            .retry(fast_retry(2)),
    );
    let started = Instant::now();
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Timeout { kind, attempts, .. })) => {
            assert_eq!(kind, TimeoutKind::Attempt);
            assert_eq!(attempts, 2);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn stalled_server_is_cut_off_by_the_overall_deadline() {
    let server = TestServer::always(Action::Stall).await;
    let h = handle(
        config(&server.url)
            .attempt_timeout(Duration::from_millis(300))
            .overall_timeout(Duration::from_millis(450))
            .retry(fast_retry(10)),
    );
    let started = Instant::now();
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Timeout { kind, .. })) => {
            assert_eq!(kind, TimeoutKind::Overall)
        }
        other => panic!("expected the overall timeout, got {other:?}"),
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn html_and_garbled_bodies_are_typed_errors() {
    let html = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = TestServer::start(move |n, _| match n {
        0 => raw(502, "text/html", html),
        1 => raw(200, "text/html", html),
        2 => raw(
            200,
            "application/x-amz-json-1.1",
            b"{\"Value\": \"zzsecretzz",
        ),
        3 => raw(400, "application/x-amz-json-1.1", b"\x00\xffgarbage"),
        4 => raw(400, "application/x-amz-json-1.1", b""),
        _ => raw(200, "application/x-amz-json-1.1", br#"{"Value": 12345}"#),
    })
    .await;
    let h = handle(config(&server.url).max_attempts(1));
    let kind_of = |r: Result<DoThingOutput, DoThingError>| match r {
        Err(DoThingError::Unhandled(Error::InvalidResponse { kind, detail, .. })) => {
            assert!(
                !detail.contains("12345") && !detail.contains("zzsecretzz"),
                "{detail}"
            );
            kind
        }
        other => panic!("expected an invalid response, got {other:?}"),
    };
    assert_eq!(kind_of(call(&h, &input()).await), InvalidResponseKind::Html);
    assert_eq!(kind_of(call(&h, &input()).await), InvalidResponseKind::Html);
    assert_eq!(
        kind_of(call(&h, &input()).await),
        InvalidResponseKind::NotJson
    );
    assert_eq!(
        kind_of(call(&h, &input()).await),
        InvalidResponseKind::NotJson
    );
    assert_eq!(
        kind_of(call(&h, &input()).await),
        InvalidResponseKind::EmptyBody
    );
    assert_eq!(
        kind_of(call(&h, &input()).await),
        InvalidResponseKind::Undecodable
    );
}

#[tokio::test]
async fn html_5xx_from_a_proxy_is_retried() {
    let server = TestServer::start(|n, _| match n {
        0 => raw(502, "text/html", b"<html>bad gateway</html>"),
        _ => json(200, r#"{"Value":"ok"}"#),
    })
    .await;
    let h = handle(config(&server.url));
    call(&h, &input()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn oversized_body_is_capped() {
    let big = format!(r#"{{"Value":"{}"}}"#, "x".repeat(4096));
    let big2 = big.clone();
    let server = TestServer::start(move |n, _| match n {
        0 => raw(200, "application/x-amz-json-1.1", big.as_bytes()),
        _ => Action::Respond {
            status: 200,
            headers: vec![],
            body: big2.as_bytes().to_vec(),
            close_delimited: true,
        },
    })
    .await;
    let h = handle(config(&server.url).max_response_body(1024));
    for _ in 0..2 {
        match call(&h, &input()).await {
            Err(DoThingError::Unhandled(Error::InvalidResponse { kind, .. })) => {
                assert_eq!(kind, InvalidResponseKind::BodyTooLarge)
            }
            other => panic!("expected a capped body, got {other:?}"),
        }
    }
    assert_eq!(server.count(), 2, "an oversized body is not retried");
    // under the cap it works
    let server = TestServer::always(json(200, r#"{"Value":"small"}"#)).await;
    let h = handle(config(&server.url).max_response_body(1024));
    call(&h, &input()).await.unwrap();
}

#[tokio::test]
async fn validation_fails_before_sending() {
    let server = TestServer::always(json(200, "{}")).await;
    let h = handle(config(&server.url));
    let bad = DoThingInput {
        name: Some("no spaces allowed".into()),
        count: Some(500),
        password: Some("hunter2-secret".into()),
    };
    match call(&h, &bad).await {
        Err(DoThingError::Unhandled(Error::Validation(v))) => {
            let text = v.to_string();
            assert_eq!(v.problems().len(), 3, "{text}");
            assert!(
                text.contains("Name: length 17 is outside [1, 10]"),
                "{text}"
            );
            assert!(
                text.contains("Name: value does not match the pattern"),
                "{text}"
            );
            assert!(
                text.contains("Count: value is outside the range [0, 100]"),
                "{text}"
            );
            assert!(!text.contains("no spaces allowed"));
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
}

#[cfg(feature = "sigv4")]
struct CountingProvider {
    calls: AtomicUsize,
}

#[cfg(feature = "sigv4")]
impl ProvideCredentials for CountingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(Credentials::new(
                "AKIDTESTKEY",
                "test-secret-key",
                Some("test-session-token".into()),
            ))
        })
    }
}

#[cfg(feature = "sigv4")]
#[tokio::test]
async fn sigv4_operation_is_signed_and_unsigned_one_is_not() {
    let server = TestServer::always(json(200, "{}")).await;
    let provider = Arc::new(CountingProvider {
        calls: AtomicUsize::new(0),
    });
    let h = handle(config(&server.url).credentials_provider(provider.clone()));
    call(&h, &input()).await.unwrap();
    assert_eq!(
        provider.calls.load(Ordering::SeqCst),
        0,
        "unsigned ops never look up credentials"
    );
    call_signed(&h, &input()).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    let reqs = server.requests();
    assert!(reqs[0].header("authorization").is_none());
    assert!(reqs[0].header("x-amz-security-token").is_none());
    let auth = reqs[1].header("authorization").expect("signed");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTESTKEY/"),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/testsvc/aws4_request"), "{auth}");
    assert!(
        auth.contains("SignedHeaders=") && auth.contains("x-amz-target"),
        "{auth}"
    );
    assert!(reqs[1].header("x-amz-date").is_some());
    assert_eq!(
        reqs[1].header("x-amz-security-token"),
        Some("test-session-token")
    );
    assert_eq!(
        reqs[1].header("x-amz-target"),
        Some("TestService.AdminThing")
    );
}

#[cfg(feature = "sigv4")]
#[tokio::test]
async fn sigv4_without_credentials_is_a_config_error_and_sends_nothing() {
    let server = TestServer::always(json(200, "{}")).await;
    // a fixed, empty environment: no keys, no HOME, so no shared files either
    let h = handle(config(&server.url));
    match call_signed(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Config(ConfigError::Credentials(m)))) => {
            assert!(m.contains("AWS_ACCESS_KEY_ID"), "{m}")
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
    // the unsigned operation still works without any credentials
    call(&h, &input()).await.unwrap();
}

#[cfg(feature = "sigv4")]
#[tokio::test]
async fn sigv4_credentials_from_env_vars() {
    let server = TestServer::always(json(200, "{}")).await;
    let h = handle(
        Config::builder()
            .env_vars([
                ("AWS_REGION", "eu-west-1"),
                ("AWS_ENDPOINT_URL_TEST_SERVICE", server.url.as_str()),
                ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ])
            .load_env(),
    );
    call_signed(&h, &input()).await.unwrap();
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_string();
    assert!(auth.contains("Credential=AKIDFROMENV/"), "{auth}");
    assert!(auth.contains("/eu-west-1/testsvc/"), "{auth}");
}

#[cfg(not(feature = "sigv4"))]
#[tokio::test]
async fn sigv4_operation_without_the_feature_names_it() {
    let server = TestServer::always(json(200, "{}")).await;
    let h = handle(config(&server.url));
    match call_signed(&h, &input()).await {
        Err(DoThingError::Unhandled(e @ Error::Config(ConfigError::SigningDisabled { .. }))) => {
            assert!(e.to_string().contains("`sigv4` cargo feature"), "{e}")
        }
        other => panic!("expected SigningDisabled, got {other:?}"),
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn endpoint_from_the_service_specific_env_var() {
    let server = TestServer::always(json(200, r#"{"Value":"env"}"#)).await;
    let other = TestServer::always(json(200, r#"{"Value":"global"}"#)).await;
    let h = handle(
        Config::builder()
            .env_vars([
                ("AWS_DEFAULT_REGION", "us-west-2"),
                ("AWS_ENDPOINT_URL", other.url.as_str()),
                ("AWS_ENDPOINT_URL_TEST_SERVICE", server.url.as_str()),
            ])
            .load_env(),
    );
    assert_eq!(
        call(&h, &input()).await.unwrap().value.as_deref(),
        Some("env")
    );
    // a service without its own variable uses AWS_ENDPOINT_URL
    let out: DoThingOutput = h
        .invoke::<_, DoThingOutput, DoThingError>(&SERVICE_1_0, &DO_THING, &input())
        .await
        .unwrap();
    assert_eq!(out.value.as_deref(), Some("global"));
}

#[tokio::test]
async fn endpoint_without_region_and_missing_region() {
    // no region but an endpoint in the environment: resolution succeeds
    let server = TestServer::always(json(200, r#"{"Value":"no region"}"#)).await;
    let h = handle(
        Config::builder()
            .env_vars([("AWS_ENDPOINT_URL", server.url.as_str())])
            .load_env(),
    );
    assert_eq!(
        call(&h, &input()).await.unwrap().value.as_deref(),
        Some("no region")
    );
    // neither: a configuration error, not a panic
    assert_eq!(
        Config::builder()
            .env_vars([("X", "y")])
            .load_env()
            .build()
            .unwrap_err(),
        ConfigError::MissingRegion
    );
    // a bad endpoint in the environment is reported when the service resolves it
    let h = handle(
        Config::builder()
            .env_vars([
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL_TEST_SERVICE", "ftp://nope"),
            ])
            .load_env(),
    );
    assert!(matches!(
        call(&h, &input()).await,
        Err(DoThingError::Unhandled(Error::Config(
            ConfigError::InvalidEndpoint { .. }
        )))
    ));
}

#[test]
fn handle_and_call_future_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let h = handle(config("http://127.0.0.1:9"));
    send_sync(&h);
    let input = input();
    let fut = call(&h, &input);
    send(&fut);
    let direct = h.invoke::<DoThingInput, DoThingOutput, DoThingError>(&SERVICE, &DO_THING, &input);
    send(&direct);
}

// --- proxies of the default client (HTTP_PROXY / HTTPS_PROXY / NO_PROXY) --------------------

#[tokio::test]
async fn plain_http_goes_to_the_http_proxy_in_absolute_form_with_its_credentials() {
    let proxy = TestServer::always(json(200, r#"{"Value":"via proxy"}"#)).await;
    let with_user = proxy.url.replace("http://", "http://user:pw@");
    // `.invalid` never resolves: only the proxy (on 127.0.0.1) is ever connected to.
    let h = handle(
        config("http://service.invalid:8080").env_vars([("HTTP_PROXY", with_user.as_str())]),
    );
    let out = call(&h, &input()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("via proxy"));
    let r = &proxy.requests()[0];
    assert_eq!(r.path, "http://service.invalid:8080/");
    assert_eq!(r.header("host"), Some("service.invalid:8080"));
    assert_eq!(r.header("proxy-authorization"), Some("Basic dXNlcjpwdw=="));
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_and_a_refused_tunnel_is_a_connect_error() {
    let proxy = TestServer::always(raw(403, "text/plain", b"denied")).await;
    let with_user = proxy.url.replace("http://", "http://user:pw@");
    let h = handle(
        config("https://service.invalid")
            .env_vars([("https_proxy", with_user.as_str())])
            .retry(fast_retry(1)),
    );
    match call(&h, &input()).await {
        Err(DoThingError::Unhandled(Error::Transport { kind, .. })) => {
            assert_eq!(kind, TransportKind::Connect);
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
    let r = &proxy.requests()[0];
    assert_eq!(r.method, "CONNECT");
    assert_eq!(r.path, "service.invalid:443");
    assert_eq!(r.header("proxy-authorization"), Some("Basic dXNlcjpwdw=="));
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let server = TestServer::always(json(200, r#"{"Value":"direct"}"#)).await;
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_proxy = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let h = handle(config(&server.url).env_vars([
        ("ALL_PROXY", dead_proxy.as_str()),
        ("NO_PROXY", "127.0.0.1"),
    ]));
    let out = call(&h, &input()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("direct"));
    assert_eq!(server.requests()[0].path, "/");
}
