//! Fault injection on a real 127.0.0.1 socket: every way a server or the network can misbehave
//! gives a typed error within the configured deadline, with a bounded number of attempts, and
//! nothing panics. One table: fault → expected error and attempt count.

mod common;

use std::time::{Duration, Instant};

use awsjson_runtime::{Error, InvalidResponseKind, TransportKind};
use common::*;

/// Deadlines of every case: short, so the whole table runs in seconds.
const ATTEMPT: Duration = Duration::from_millis(400);
const OVERALL: Duration = Duration::from_millis(1500);
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(750);
const MAX_ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// `Error::Service` (an unmodeled code) with this code.
    Service(&'static str),
    /// The modeled throttling variant of the operation.
    ModeledThrottle,
    Invalid(InvalidResponseKind),
    Transport(TransportKind),
    /// Any timeout (attempt or overall, whichever the schedule hits first).
    AnyTimeout,
}

struct Fault {
    name: &'static str,
    action: Action,
    expect: Expect,
    /// Requests the server must have seen: retried faults use every attempt, others one.
    attempts: std::ops::RangeInclusive<usize>,
}

fn html_page() -> Vec<u8> {
    b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\
      <body><center><h1>503 Service Temporarily Unavailable</h1></center><hr>\
      <center>nginx</center></body></html>"
        .to_vec()
}

fn faults() -> Vec<Fault> {
    let all = MAX_ATTEMPTS as usize..=MAX_ATTEMPTS as usize;
    let one = 1..=1;
    vec![
        Fault {
            name: "500 with a JSON error",
            action: json(
                500,
                r#"{"__type":"InternalErrorException","message":"boom"}"#,
            ),
            expect: Expect::Service("InternalErrorException"),
            attempts: all.clone(),
        },
        Fault {
            name: "503 with an empty body",
            action: raw(503, "application/x-amz-json-1.1", b""),
            expect: Expect::Invalid(InvalidResponseKind::EmptyBody),
            attempts: all.clone(),
        },
        Fault {
            name: "503 ServiceUnavailable",
            action: json(
                503,
                r#"{"__type":"ServiceUnavailable","message":"try later"}"#,
            ),
            expect: Expect::Service("ServiceUnavailable"),
            attempts: all.clone(),
        },
        Fault {
            name: "throttling: ThrottlingException (unmodeled)",
            action: json(
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            ),
            expect: Expect::Service("ThrottlingException"),
            attempts: all.clone(),
        },
        Fault {
            name: "throttling: TooManyRequestsException (modeled)",
            action: json(
                400,
                r#"{"__type":"com.amazonaws.cognitoidentityprovider#TooManyRequestsException","message":"slow down"}"#,
            ),
            expect: Expect::ModeledThrottle,
            attempts: all.clone(),
        },
        Fault {
            name: "throttling: 429 with a text body",
            action: raw(429, "text/plain", b"Rate exceeded"),
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: all.clone(),
        },
        Fault {
            name: "throttling: code only in the header",
            action: with_header(
                raw(400, "application/x-amz-json-1.1", b""),
                "x-amzn-errortype",
                "ThrottlingException:http://internal.amazon.com/coral/",
            ),
            expect: Expect::Service("ThrottlingException"),
            attempts: all.clone(),
        },
        Fault {
            name: "connection reset before any answer",
            action: Action::Reset,
            expect: Expect::Transport(TransportKind::Io),
            attempts: all.clone(),
        },
        Fault {
            name: "connection reset mid-body",
            action: Action::Partial {
                status: 200,
                declared_len: 4096,
                body: br#"{"Value":"half a bo"#.to_vec(),
                reset: true,
            },
            expect: Expect::Transport(TransportKind::Io),
            attempts: all.clone(),
        },
        Fault {
            name: "stall before the head, past the attempt timeout",
            action: Action::Stall,
            expect: Expect::AnyTimeout,
            attempts: 1..=MAX_ATTEMPTS as usize,
        },
        Fault {
            name: "stall mid-body, past the attempt timeout",
            action: Action::Partial {
                status: 200,
                declared_len: 4096,
                body: br#"{"Value":"#.to_vec(),
                reset: false,
            },
            expect: Expect::AnyTimeout,
            attempts: 1..=MAX_ATTEMPTS as usize,
        },
        Fault {
            name: "a body trickling in slower than the attempt timeout",
            action: Action::Trickle {
                status: 200,
                body: br#"{"Value":"drip drip drip drip"}"#.to_vec(),
                every: Duration::from_millis(50),
            },
            expect: Expect::AnyTimeout,
            attempts: 1..=MAX_ATTEMPTS as usize,
        },
        Fault {
            name: "truncated JSON success body",
            action: raw(200, "application/x-amz-json-1.1", br#"{"Value":"trunc"#),
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: one.clone(),
        },
        Fault {
            name: "truncated JSON error body (400)",
            action: raw(
                400,
                "application/x-amz-json-1.1",
                br#"{"__type":"NotAuthorizedExc"#,
            ),
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: one.clone(),
        },
        Fault {
            name: "garbled JSON success body",
            action: raw(
                200,
                "application/x-amz-json-1.1",
                b"{\"Value\":\x00\xff\xfe]]",
            ),
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: one.clone(),
        },
        Fault {
            name: "garbled JSON 500 body",
            action: raw(500, "application/x-amz-json-1.1", b"\xde\xad\xbe\xef{{{"),
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: all.clone(),
        },
        Fault {
            name: "success body of the wrong JSON type",
            action: json(200, r#"{"Value":["not","a","string"]}"#),
            expect: Expect::Invalid(InvalidResponseKind::Undecodable),
            attempts: one.clone(),
        },
        Fault {
            name: "HTML error page (503 from a proxy)",
            action: raw(503, "text/html", &html_page()),
            expect: Expect::Invalid(InvalidResponseKind::Html),
            attempts: all.clone(),
        },
        Fault {
            name: "HTML page with status 200",
            action: raw(200, "text/html; charset=utf-8", &html_page()),
            expect: Expect::Invalid(InvalidResponseKind::Html),
            attempts: one.clone(),
        },
        Fault {
            name: "huge body with a Content-Length",
            action: raw(
                200,
                "application/x-amz-json-1.1",
                format!(r#"{{"Value":"{}"}}"#, "x".repeat(3 << 20)).as_bytes(),
            ),
            expect: Expect::Invalid(InvalidResponseKind::BodyTooLarge),
            attempts: one.clone(),
        },
        Fault {
            name: "endless body (close-delimited, never finishes)",
            action: Action::Endless { status: 200 },
            expect: Expect::Invalid(InvalidResponseKind::BodyTooLarge),
            attempts: one.clone(),
        },
        Fault {
            name: "huge error body (500)",
            action: Action::Endless { status: 500 },
            expect: Expect::Invalid(InvalidResponseKind::BodyTooLarge),
            attempts: one.clone(),
        },
        Fault {
            name: "wrong content type on an error (text/plain JSON)",
            action: raw(
                400,
                "text/plain",
                br#"{"__type":"SomethingOddException","message":"odd"}"#,
            ),
            expect: Expect::Service("SomethingOddException"),
            attempts: one.clone(),
        },
        Fault {
            name: "deeply nested JSON",
            action: raw(
                200,
                "application/x-amz-json-1.1",
                format!(
                    r#"{{"Value":{}{}}}"#,
                    "[".repeat(100_000),
                    "]".repeat(100_000)
                )
                .as_bytes(),
            ),
            // serde_json's recursion limit: no stack overflow, the body is refused.
            expect: Expect::Invalid(InvalidResponseKind::NotJson),
            attempts: one,
        },
    ]
}

fn check(expect: Expect, result: &Result<DoThingOutput, DoThingError>) -> Result<(), String> {
    let err = match result {
        Ok(o) => return Err(format!("succeeded: {o:?}")),
        Err(e) => e,
    };
    // Formatting never panics and never dumps a body.
    let (display, debug) = (err.to_string(), format!("{err:?}"));
    if display.contains("xxxxxxxx") || debug.contains("xxxxxxxx") {
        return Err(format!("the error shows the body: {display}"));
    }
    let ok = match (expect, err) {
        (Expect::Service(code), DoThingError::Unhandled(Error::Service(meta))) => {
            meta.code() == code
        }
        (Expect::ModeledThrottle, DoThingError::TooManyRequests(_)) => true,
        (Expect::Invalid(k), DoThingError::Unhandled(Error::InvalidResponse { kind, .. })) => {
            *kind == k
        }
        (Expect::Transport(k), DoThingError::Unhandled(Error::Transport { kind, .. })) => {
            *kind == k
        }
        (Expect::AnyTimeout, DoThingError::Unhandled(Error::Timeout { .. })) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {expect:?}, got {err:?}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_a_typed_error_within_the_deadline() {
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for fault in faults() {
        let action = fault.action.clone();
        let server = TestServer::always(action).await;
        let h = handle(
            config(&server.url)
                .attempt_timeout(ATTEMPT)
                .overall_timeout(OVERALL)
                .retry(fast_retry(MAX_ATTEMPTS))
                .max_response_body(1 << 20),
        );
        let started = Instant::now();
        let task = tokio::spawn(async move { call(&h, &DoThingInput::default()).await });
        // A panic inside the call surfaces as a JoinError here.
        let result = match task.await {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: panicked: {e}", fault.name));
                continue;
            }
        };
        let took = started.elapsed();
        let seen = server.count();
        report.push(format!(
            "{:55} {:>5} ms  {} attempt(s)",
            fault.name,
            took.as_millis(),
            seen
        ));
        if let Err(e) = check(fault.expect, &result) {
            failures.push(format!("{}: {e}", fault.name));
        }
        if took > OVERALL + SLACK {
            failures.push(format!(
                "{}: took {took:?}, deadline {OVERALL:?}",
                fault.name
            ));
        }
        if !fault.attempts.contains(&seen) {
            failures.push(format!(
                "{}: {seen} attempt(s), expected {:?}",
                fault.name, fault.attempts
            ));
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Faults that clear up: the call succeeds once the server recovers within the attempts.
#[tokio::test]
async fn transient_faults_then_success() {
    let server = TestServer::start(|n, _| match n {
        0 => raw(503, "text/html", &html_page()),
        1 => Action::Partial {
            status: 200,
            declared_len: 100,
            body: b"{".to_vec(),
            reset: true,
        },
        _ => json(200, r#"{"Value":"recovered"}"#),
    })
    .await;
    let h = handle(config(&server.url).retry(fast_retry(MAX_ATTEMPTS)));
    let out = call(&h, &DoThingInput::default()).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("recovered"));
    assert_eq!(server.count(), 3);
}

/// An outage drains the retry quota: later calls stop retrying instead of multiplying load.
#[tokio::test]
async fn retry_quota_bounds_attempts_during_an_outage() {
    let server = TestServer::always(json(503, r#"{"__type":"ServiceUnavailable"}"#)).await;
    let h = handle(config(&server.url).retry(fast_retry(MAX_ATTEMPTS)));
    let calls = 150;
    for _ in 0..calls {
        let r = call(&h, &DoThingInput::default()).await;
        assert!(r.is_err());
    }
    let seen = server.count();
    // 500 tokens at 5 per retry: at most 100 retries beyond the first attempts.
    assert!(seen <= calls + 100, "{seen} requests for {calls} calls");
    assert!(seen >= calls, "every call is attempted at least once");
}
