//! No secret (credentials, request or response bodies) in Debug, Display, errors or tracing.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use awsjson_runtime::{Config, Credentials, Error, Handle};
use common::*;

const SECRETS: &[&str] = &[
    "AKIDSECRETID",
    "secret-access-key-xyz",
    "session-token-xyz",
    "hunter2-password",
    "refresh-token-secret",
    "session-secret-abc",
    "nested-token-secret",
];

/// Signed when the `sigv4` feature is on, so the signing path is covered too.
async fn do_call(h: &Handle, input: &DoThingInput) -> Result<DoThingOutput, DoThingError> {
    if cfg!(feature = "sigv4") {
        call_signed(h, input).await
    } else {
        call(h, input).await
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks {s}: {text}");
    }
}

fn creds() -> Credentials {
    Credentials::new(
        "AKIDSECRETID",
        "secret-access-key-xyz",
        Some("session-token-xyz".into()),
    )
}

#[test]
fn config_credentials_and_handle_debug_are_redacted() {
    let cfg = Config::builder()
        .region("us-east-1")
        .credentials(creds())
        .build()
        .unwrap();
    assert_clean("Config Debug", &format!("{cfg:?}"));
    assert_clean("Config Debug (pretty)", &format!("{cfg:#?}"));
    assert_clean("Credentials Debug", &format!("{:?}", creds()));
    let h = Handle::new(cfg).unwrap();
    assert_clean("Handle Debug", &format!("{h:?}"));
    let input = DoThingInput {
        name: Some("n".into()),
        count: None,
        password: Some("hunter2-password".into()),
    };
    assert_clean("input Debug", &format!("{input:?}"));
}

#[tokio::test]
async fn errors_and_trace_output_hold_no_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(|n, _| match n {
        0 => json(200, r#"{"Value":"ok","RefreshToken":"refresh-token-secret"}"#),
        1 => json(
            400,
            r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password.","Session":"session-secret-abc"}"#,
        ),
        2 => json(200, r#"{"Value":{"nested":"nested-token-secret"}}"#),
        3 => json(400, r#"{"__type":"Unmodeled","message":"m","Session":"session-secret-abc"}"#),
        _ => raw(500, "text/html", b"<html>refresh-token-secret</html>"),
    })
    .await;
    let h = handle(config(&server.url).credentials(creds()).max_attempts(1));
    let input = DoThingInput {
        name: Some("abc".into()),
        count: Some(1),
        password: Some("hunter2-password".into()),
    };
    let mut texts = Vec::new();
    let ok = do_call(&h, &input).await.unwrap();
    assert_eq!(ok.value.as_deref(), Some("ok"));
    for _ in 0..4 {
        let e = do_call(&h, &input).await.unwrap_err();
        texts.push(format!("{e}"));
        texts.push(format!("{e:?}"));
        if let DoThingError::Unhandled(inner) = &e {
            texts.push(format!("{inner}"));
            texts.push(format!("{inner:?}"));
        }
    }
    let bad = DoThingInput {
        name: Some("hunter2-password".into()),
        count: Some(-1),
        password: Some("hunter2-password".into()),
    };
    let e = do_call(&h, &bad).await.unwrap_err();
    assert!(matches!(e, DoThingError::Unhandled(Error::Validation(_))));
    texts.push(format!("{e} {e:?}"));
    for t in &texts {
        assert_clean("error text", t);
    }
    // the signed request really carried the secrets, so the checks above mean something
    let first = &server.requests()[0];
    if cfg!(feature = "sigv4") {
        assert_eq!(
            first.header("x-amz-security-token"),
            Some("session-token-xyz")
        );
    }
    assert!(String::from_utf8_lossy(&first.body).contains("hunter2-password"));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert_clean("trace output", &log);
    // the call span carries service, operation, attempt, status and request id
    assert!(log.contains("awsjson.call"), "{log}");
    assert!(
        log.contains("service=\"TestService\"") || log.contains("service=TestService"),
        "{log}"
    );
    assert!(log.contains("operation="), "{log}");
    assert!(log.contains("attempt=1"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("req-1234"), "{log}");
}
