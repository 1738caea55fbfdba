//! Protocol tests written from the Smithy awsJson 1.0 / 1.1 specifications: clients generated
//! from the small models `codegen/tests/fixtures/protocol_json1{0,1}.json` call a scripted HTTP
//! server on a real 127.0.0.1 socket; each test checks the request as sent (headers, target,
//! body) and how the response or error is read.

use std::collections::HashMap;
use std::io::Read as _;
use std::time::Duration;

use awsjson_runtime::{Config, ConfigBuilder, RetryConfig};
use awsjson_runtime::{Credentials, DateTime, OperationError};
use serde_json::{json, Value};
use test_support::http::{json, with_header, Action, Recorded, TestServer};

/// A client configuration for the scripted server: fixed region, no environment, fast retries.
fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        })
        .env_vars(Vec::<(String, String)>::new())
}

#[allow(dead_code)]
mod wire {
    awsjson_codegen_macro::generate!("../tests/fixtures/protocol_json11.json");
}
#[allow(dead_code)]
mod queues {
    awsjson_codegen_macro::generate!("../tests/fixtures/protocol_json10.json");
}

fn signed_config(url: &str) -> awsjson_runtime::ConfigBuilder {
    config(url).credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
}

fn wire_client(url: &str) -> wire::Client {
    wire::Client::new(signed_config(url).build().unwrap()).unwrap()
}

fn queue_client(url: &str) -> queues::Client {
    queues::Client::new(signed_config(url).build().unwrap()).unwrap()
}

fn body(r: &Recorded) -> Value {
    serde_json::from_slice(&r.body).expect("request body is JSON")
}

fn json10(status: u16, body: &str) -> Action {
    let mut a = json(status, body);
    if let Action::Respond { headers, .. } = &mut a {
        headers[0].1 = "application/x-amz-json-1.0".into();
    }
    a
}

// --- item 1: timestamps -------------------------------------------------------------------

#[tokio::test]
async fn timestamps_are_written_in_each_members_format() {
    let server = TestServer::always(json(200, "{}")).await;
    let t = DateTime::from_secs_and_nanos(1_398_796_238, 250_000_000);
    let whole = DateTime::from_secs(1_398_796_238);
    wire_client(&server.url)
        .put_times()
        .epoch(t)
        .iso(t)
        .http(whole)
        .http_as_epoch(whole)
        .iso_list(t)
        .iso_list(whole)
        .http_map("k", whole)
        .set_sparse_isos(Some(vec![Some(t), None]))
        .epochs(t)
        .when(wire::types::When::At(t))
        .required(whole)
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-amz-target"), Some("Wire.PutTimes"));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(
        body(r),
        json!({
            "Epoch": 1398796238.25,
            "Iso": "2014-04-29T18:30:38.25Z",
            "Http": "Tue, 29 Apr 2014 18:30:38 GMT",
            "HttpAsEpoch": 1398796238,
            "IsoList": ["2014-04-29T18:30:38.25Z", "2014-04-29T18:30:38Z"],
            "HttpMap": {"k": "Tue, 29 Apr 2014 18:30:38 GMT"},
            "SparseIsos": ["2014-04-29T18:30:38.25Z", null],
            "Epochs": [1398796238.25],
            "When": {"At": "2014-04-29T18:30:38.25Z"},
            "Required": "2014-04-29T18:30:38Z"
        })
    );
}

#[tokio::test]
async fn timestamps_are_read_in_each_members_format_offsets_and_fractions_included() {
    let server = TestServer::always(json(
        200,
        r#"{"Epoch": 1398796238.5, "Iso": "2014-04-29T20:30:38.123456+02:00",
            "Http": "Tue, 29 Apr 2014 18:30:38 GMT",
            "IsoList": ["2014-04-29T18:30:38Z", "2014-04-29T11:30:38-07:00"],
            "HttpMap": {"a": "Thu, 01 Jan 1970 00:00:00 GMT"},
            "SparseIsos": [null, "1970-01-01T00:00:01Z"],
            "When": {"At": "2014-04-29T18:30:38z"}}"#,
    ))
    .await;
    let out = wire_client(&server.url)
        .put_times()
        .required(DateTime::from_secs(0))
        .send()
        .await
        .unwrap();
    let whole = DateTime::from_secs(1_398_796_238);
    assert_eq!(
        out.epoch,
        Some(DateTime::from_secs_and_nanos(1_398_796_238, 500_000_000))
    );
    assert_eq!(
        out.iso,
        Some(DateTime::from_secs_and_nanos(1_398_796_238, 123_456_000))
    );
    assert_eq!(out.http, Some(whole));
    assert_eq!(out.iso_list, Some(vec![whole, whole]));
    assert_eq!(
        out.http_map,
        Some(HashMap::from([("a".to_string(), DateTime::from_secs(0))]))
    );
    assert_eq!(
        out.sparse_isos,
        Some(vec![None, Some(DateTime::from_secs(1))])
    );
    assert_eq!(out.when, Some(wire::types::When::At(whole)));
    let t: std::time::SystemTime = whole.into();
    assert_eq!(DateTime::from(t), whole);
}

#[tokio::test]
async fn a_timestamp_in_the_wrong_format_is_a_clear_error() {
    let server = TestServer::always(json(200, r#"{"Iso": 1398796238}"#)).await;
    let err = wire_client(&server.url)
        .put_times()
        .required(DateTime::from_secs(0))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("not a valid date-time (RFC 3339) timestamp"),
        "{text}"
    );
}

// --- item 2: floats -----------------------------------------------------------------------

#[tokio::test]
async fn non_finite_floats_are_strings_both_ways() {
    let server = TestServer::always(json(
        200,
        r#"{"Single": "NaN", "Double": "-Infinity", "List": [1.5, "Infinity", "NaN"],
            "Map": {"x": "Infinity", "y": 2}}"#,
    ))
    .await;
    let out = wire_client(&server.url)
        .put_floats()
        .single(f32::NAN)
        .double(f64::INFINITY)
        .list(f32::NEG_INFINITY)
        .list(0.5)
        .map("a", f64::NAN)
        .always(f64::NEG_INFINITY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(&server.requests()[0]),
        json!({"Single": "NaN", "Double": "Infinity", "List": ["-Infinity", 0.5],
               "Map": {"a": "NaN"}, "Always": "-Infinity"})
    );
    assert!(out.single.unwrap().is_nan());
    assert_eq!(out.double, Some(f64::NEG_INFINITY));
    let list = out.list.unwrap();
    assert_eq!(list[..2], [1.5, f32::INFINITY]);
    assert!(list[2].is_nan());
    let map = out.map.unwrap();
    assert_eq!((map["x"], map["y"]), (f64::INFINITY, 2.0));
}

// --- item 5: request compression ----------------------------------------------------------

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip body");
    out
}

#[tokio::test]
async fn request_compression_gzips_only_above_the_minimum_and_can_be_switched_off() {
    let server = TestServer::always(json(200, "{}")).await;
    let big = "x".repeat(20_000);
    let client = wire_client(&server.url);
    client.upload().data(big.clone()).send().await.unwrap();
    client.upload().data("small").send().await.unwrap();
    // Operations without the trait are never compressed.
    client
        .put_sparse()
        .items(Some(big.clone()))
        .send()
        .await
        .unwrap();
    let low = wire::Client::new(
        signed_config(&server.url)
            .request_min_compression_size_bytes(10)
            .build()
            .unwrap(),
    )
    .unwrap();
    low.upload().data("just over ten").send().await.unwrap();
    let off = wire::Client::new(
        signed_config(&server.url)
            .disable_request_compression(true)
            .build()
            .unwrap(),
    )
    .unwrap();
    off.upload().data(big.clone()).send().await.unwrap();

    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-encoding"), Some("gzip"));
    assert!(reqs[0].body.len() < 1_000, "{} bytes", reqs[0].body.len());
    assert_eq!(
        serde_json::from_slice::<Value>(&gunzip(&reqs[0].body)).unwrap(),
        json!({ "Data": big })
    );
    assert_eq!(
        reqs[0].header("content-length"),
        Some(reqs[0].body.len().to_string().as_str())
    );
    assert_eq!(reqs[1].header("content-encoding"), None);
    assert_eq!(body(&reqs[1]), json!({"Data": "small"}));
    assert_eq!(reqs[2].header("content-encoding"), None);
    assert_eq!(reqs[3].header("content-encoding"), Some("gzip"));
    assert_eq!(
        serde_json::from_slice::<Value>(&gunzip(&reqs[3].body)).unwrap(),
        json!({"Data": "just over ten"})
    );
    assert_eq!(reqs[4].header("content-encoding"), None);
    assert_eq!(body(&reqs[4]), json!({ "Data": big }));
    // The signature covers the body as sent (compressed).
    assert!(reqs[0]
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256")));
}

#[test]
fn compression_settings_from_the_environment() {
    let cfg = awsjson_runtime::Config::builder()
        .env_vars([
            ("AWS_REGION", "us-east-1"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "true"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "128"),
        ])
        .load_env()
        .build()
        .unwrap();
    assert!(!cfg.request_compression_enabled());
    assert_eq!(cfg.request_min_compression_size_bytes(), 128);
    let too_big = awsjson_runtime::Config::builder()
        .region("us-east-1")
        .request_min_compression_size_bytes(10_485_761)
        .build()
        .unwrap_err();
    assert!(
        too_big.to_string().contains("at most 10485760"),
        "{too_big}"
    );
}

// --- item 6: sparse, defaults -------------------------------------------------------------

#[tokio::test]
async fn sparse_lists_and_maps_keep_nulls_both_ways() {
    let server = TestServer::always(json(
        200,
        r#"{"Items": ["a", null], "Entries": {"k": null, "j": "v"}, "Dense": ["x"]}"#,
    ))
    .await;
    let out = wire_client(&server.url)
        .put_sparse()
        .items(None)
        .items(Some("b".to_string()))
        .entries("gone", None)
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(&server.requests()[0]),
        json!({"Items": [null, "b"], "Entries": {"gone": null}})
    );
    assert_eq!(out.items, Some(vec![Some("a".into()), None]));
    let entries = out.entries.unwrap();
    assert_eq!(entries["k"], None);
    assert_eq!(entries["j"].as_deref(), Some("v"));
}

#[tokio::test]
async fn defaults_fill_absent_members_and_client_optional_stays_optional() {
    let server = TestServer::always(json(200, "{}")).await;
    // `Optional` is @required but @clientOptional: the builder does not demand it.
    let out = wire_client(&server.url)
        .get_defaults()
        .name("n")
        .send()
        .await
        .unwrap();
    assert_eq!(body(&server.requests()[0]), json!({"Name": "n"}));
    // @required + zero @default: plain values, the default when absent.
    assert_eq!((out.count, out.enabled, out.label.as_str()), (0, false, ""));
    // @addedDefault / @clientOptional: absent stays visible as None.
    assert_eq!((out.added, out.hinted), (None, None));
    // A non-zero @default without @required stays an Option (what was sent survives).
    assert_eq!(out.size, None);
    let missing = wire_client(&server.url)
        .get_defaults()
        .send()
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("Name"), "{missing}");
}

// --- item 6: awsQueryCompatible, retryable ------------------------------------------------

#[tokio::test]
async fn query_compatible_error_code_comes_from_x_amzn_query_error() {
    let server = TestServer::always(with_header(
        json10(
            400,
            r#"{"__type": "example.queue#QueueMissing", "message": "no such queue"}"#,
        ),
        "x-amzn-query-error",
        "AWS.Queues.NonExistentQueue;Sender",
    ))
    .await;
    let err = queue_client(&server.url)
        .get_queue()
        .name("q")
        .send()
        .await
        .unwrap_err();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-amz-target"), Some("Queues.GetQueue"));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(body(r), json!({"Name": "q"}));
    let queues::operation::get_queue::GetQueueError::QueueMissing(e) = &err else {
        panic!("expected the modeled error, got {err:?}");
    };
    assert_eq!(e.meta().code(), "AWS.Queues.NonExistentQueue");
    assert_eq!(e.meta().error_type(), "QueueMissing");
    assert_eq!(e.meta().query_fault(), Some("Sender"));
    assert_eq!(e.message.as_deref(), Some("no such queue"));
}

#[tokio::test]
async fn retryable_modeled_errors_are_retried_and_others_are_not() {
    let server = TestServer::start(|n, _| match n {
        0 | 1 => json10(400, r#"{"__type": "Busy", "message": "try later"}"#),
        _ => json10(200, r#"{"Url": "https://q"}"#),
    })
    .await;
    let out = queue_client(&server.url)
        .get_queue()
        .name("q")
        .send()
        .await
        .unwrap();
    assert_eq!(out.url.as_deref(), Some("https://q"));
    assert_eq!(server.count(), 3);

    let server = TestServer::always(json10(400, r#"{"__type": "QueueMissing"}"#)).await;
    let err = queue_client(&server.url)
        .get_queue()
        .name("q")
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);

    let server = TestServer::always(json10(400, r#"{"__type": "Busy"}"#)).await;
    let err = queue_client(&server.url)
        .get_queue()
        .name("q")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        queues::operation::get_queue::GetQueueError::Busy(_)
    ));
    assert_eq!(server.count(), 3, "three attempts, then the modeled error");
}

// --- item 6: waiters ----------------------------------------------------------------------

#[tokio::test]
async fn waiter_polls_until_the_success_acceptor_matches() {
    let server = TestServer::start(|n, _| match n {
        0 => json10(400, r#"{"__type": "JobMissing"}"#),
        1 => json10(
            200,
            r#"{"Steps": [{"Status": "DONE"}, {"Status": "RUNNING"}]}"#,
        ),
        _ => json10(
            200,
            r#"{"Steps": [{"Status": "DONE"}, {"Status": "DONE"}]}"#,
        ),
    })
    .await;
    let out = queue_client(&server.url)
        .wait_until_job_done()
        .id("j-9")
        .wait(Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(out.steps.unwrap().len(), 2);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.header("x-amz-target"), Some("Queues.DescribeJob"));
        assert_eq!(body(r), json!({"Id": "j-9"}));
    }
}

#[tokio::test]
async fn waiter_stops_on_a_failure_acceptor_and_on_unmatched_errors() {
    let server = TestServer::always(json10(
        200,
        r#"{"Steps": [{"Status": "DONE"}, {"Status": "BROKEN"}]}"#,
    ))
    .await;
    let err = queue_client(&server.url)
        .wait_until_job_done()
        .id("j")
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            awsjson_runtime::waiter::WaiterError::FailureState {
                waiter: "JobDone",
                last: Ok(_)
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);

    let server = TestServer::always(json10(400, r#"{"__type": "AccessDenied"}"#)).await;
    let err = queue_client(&server.url)
        .wait_until_job_done()
        .id("j")
        .wait(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, awsjson_runtime::waiter::WaiterError::Operation(e) if e.error_meta().map(|m| m.code()) == Some("AccessDenied")),
        "{err:?}"
    );
}

#[tokio::test]
async fn waiter_is_bounded_by_the_maximum_wait() {
    let server = TestServer::always(json10(200, r#"{"Steps": [{"Status": "RUNNING"}]}"#)).await;
    let started = tokio::time::Instant::now();
    let err = queue_client(&server.url)
        .wait_until_job_done()
        .id("j")
        .wait(Duration::from_secs(4))
        .await
        .unwrap_err();
    let awsjson_runtime::waiter::WaiterError::Timeout { attempts, .. } = err else {
        panic!("expected a timeout, got {err:?}");
    };
    // The last poll is made while at least minDelay (1 s) is left, so the wait ends in time
    // (plus the last call's duration).
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(attempts as usize, server.count());
    // minDelay 1 s, maxDelay 2 s: two to four polls fit into 4 s.
    assert!((2..=4).contains(&attempts), "{attempts}");
    let too_short = queue_client(&server.url)
        .wait_until_job_done()
        .id("j")
        .wait(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(
        matches!(
            too_short,
            awsjson_runtime::waiter::WaiterError::InvalidMaxWait { .. }
        ),
        "{too_short:?}"
    );
}

#[tokio::test]
async fn waiter_input_output_and_success_matchers() {
    let server = TestServer::always(json10(200, r#"{"Steps": []}"#)).await;
    queue_client(&server.url)
        .wait_until_job_named()
        .id("j-1")
        .wait(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(server.count(), 1);

    let server = TestServer::start(|n, _| match n {
        0 | 1 => json10(400, r#"{"__type": "ThingNotFound"}"#),
        _ => json10(200, r#"{"Name": "t"}"#),
    })
    .await;
    let out = queue_client(&server.url)
        .wait_until_thing_exists()
        .name("t")
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(out.name.as_deref(), Some("t"));
    assert_eq!(server.count(), 3);
}

#[test]
fn a_waiter_outside_the_path_subset_is_left_out_and_documented() {
    let model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/protocol_json10.json"
    ))
    .unwrap();
    let code = awsjson_codegen::expand(&model, &awsjson_codegen::Options::default())
        .unwrap()
        .to_string();
    assert!(code.contains("wait_until_job_done"));
    assert!(!code.contains("wait_until_job_filtered"));
    assert!(
        code.contains("waiter `JobFiltered` is not generated"),
        "the operation docs say why"
    );
}

// --- item 6: endpoint discovery -----------------------------------------------------------

#[tokio::test]
async fn discovered_endpoint_operations_go_to_the_discovered_address_cached_and_evicted() {
    let cell = TestServer::start(|n, _| match n {
        1 => json10(
            421,
            r#"{"__type": "InvalidEndpointException", "message": "moved"}"#,
        ),
        _ => json10(200, r#"{"Rows": 3}"#),
    })
    .await;
    let address = cell.url.trim_start_matches("http://").to_string();
    let discovery = TestServer::always(json10(
        200,
        &format!(r#"{{"Endpoints": [{{"Address": "{address}", "CachePeriodInMinutes": 10}}]}}"#),
    ))
    .await;
    let client = queue_client(&discovery.url);
    let out = client.run_query().sql("select 1").send().await.unwrap();
    assert_eq!(out.rows, Some(3));
    // Cached: the second call goes straight to the cell (which answers that it moved).
    let err = client.run_query().sql("select 2").send().await.unwrap_err();
    assert!(
        matches!(
            err,
            queues::operation::run_query::RunQueryError::InvalidEndpointException(_)
        ),
        "{err:?}"
    );
    // The stale address was dropped: the third call discovers again.
    client.run_query().sql("select 3").send().await.unwrap();

    let found = discovery.requests();
    assert_eq!(found.len(), 2);
    for r in &found {
        assert_eq!(r.header("x-amz-target"), Some("Queues.DescribeEndpoints"));
        assert_eq!(body(r), json!({}));
    }
    let sent = cell.requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].header("x-amz-target"), Some("Queues.RunQuery"));
    assert_eq!(sent[0].header("host"), Some(address.as_str()));
    assert_eq!(body(&sent[2]), json!({"Sql": "select 3"}));
    // Operations without the trait use the regular endpoint.
    client.get_queue().name("q").send().await.unwrap();
    assert_eq!(discovery.count(), 3);
    assert_eq!(
        discovery.requests()[2].header("x-amz-target"),
        Some("Queues.GetQueue")
    );
}

#[test]
fn discovery_keyed_by_identifiers_is_refused_naming_the_operation() {
    let model = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/protocol_json10.json"
    ))
    .unwrap()
    .replace(
        r#""Sql": { "target": "smithy.api#String" }"#,
        r#""Sql": { "target": "smithy.api#String", "traits": { "aws.api#clientEndpointDiscoveryId": {} } }"#,
    );
    let err = awsjson_codegen::expand(&model, &awsjson_codegen::Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("example.queue#RunQuery: endpoint discovery keyed by `aws.api#clientEndpointDiscoveryId`"),
        "{err}"
    );
}
