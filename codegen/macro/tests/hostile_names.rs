//! A client generated from `codegen/tests/fixtures/hostile_names.json` (shapes named `Result`,
//! `Option`, `Box`, `String`, `Vec`, `Client`, `Builder`, `Unknown`, `Self`, `GetInput` /
//! `GetOutput` / `GetError` beside operation `Get`, `ThingBuilder` beside `Thing`; operations
//! `CallGet`, `WaitUntilReady` beside waiter `Ready`, `Config`; members `build`, `send`,
//! `SetName` beside `Name`; error shapes `Unhandled` and `Validation`) compiles and calls a
//! scripted server on 127.0.0.1 with the names the layout documents.

use std::time::Duration;

use awsjson_runtime::{Config, Credentials};
use serde_json::{json, Value};
use test_support::http::{json, Recorded, TestServer};

#[allow(dead_code)]
mod hostile {
    awsjson_codegen_macro::generate!("../tests/fixtures/hostile_names.json");
}

use hostile::operation::get::GetError;
use hostile::types;

fn client(url: &str) -> hostile::Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .max_attempts(1)
        .env_vars(Vec::<(String, String)>::new())
        .build()
        .unwrap();
    hostile::Client::new(config).unwrap()
}

fn body(r: &Recorded) -> Value {
    serde_json::from_slice(&r.body).expect("request body is JSON")
}

#[tokio::test]
async fn an_operation_with_hostile_names_is_sent_and_read() {
    let server = TestServer::always(json(
        200,
        r#"{"Status":"UNKNOWN","Result":{"Value":"r"},"Option":{"Value":"o"},"Self":{"Value":"s"},
            "GetError":{"Value":"e"},"Choice":{"Unknown":"u"},"Client":{"Config":"c"},
            "Thing":{"Name":"t","Thing":{"Name":"inner"}},"request_id":"member"}"#,
    ))
    .await;
    let out = client(&server.url)
        .get()
        .name("n")
        .set_name_value("s")
        .build_value("b")
        .send_value("x")
        .send_with_value("w")
        .wait_value(1)
        .into_paginator_value(false)
        .self_(types::Self_::builder().value("me").build().unwrap())
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-amz-target"), Some("Hostile.Get"));
    assert_eq!(
        body(sent),
        json!({"Name": "n", "SetName": "s", "build": "b", "send": "x", "sendWith": "w",
               "wait": 1, "intoPaginator": false, "Self": {"Value": "me"}})
    );
    assert_eq!(out.status, Some(types::Status::UnknownValue));
    assert_eq!(out.result.unwrap().value.as_deref(), Some("r"));
    assert_eq!(out.option.unwrap().value.as_deref(), Some("o"));
    assert_eq!(out.self_.unwrap().value.as_deref(), Some("s"));
    assert_eq!(out.get_error.unwrap().value.as_deref(), Some("e"));
    assert_eq!(
        out.choice,
        Some(types::Choice::UnknownValue("u".to_owned()))
    );
    assert_eq!(out.client.unwrap().config.as_deref(), Some("c"));
    let thing = out.thing.unwrap();
    assert_eq!(thing.thing.unwrap().name, "inner");
    assert_eq!(out.request_id.as_deref(), Some("member"));
}

#[tokio::test]
async fn renamed_methods_and_error_variants_reach_the_service() {
    let server = TestServer::start(|n, _| match n {
        0 => json(
            400,
            r#"{"__type":"Unhandled","message":"modeled","meta":"m"}"#,
        ),
        1 => json(400, r#"{"__type":"Validation","message":"modeled too"}"#),
        _ => json(200, r#"{"Config":"answer"}"#),
    })
    .await;
    let client = client(&server.url);
    let err = client.get().send().await.unwrap_err();
    let GetError::UnhandledErrorError(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta.as_deref(), Some("m"));
    assert_eq!(e.meta().status(), 400);
    let err = client.get().send().await.unwrap_err();
    assert!(matches!(err, GetError::ValidationError(_)), "{err:?}");
    // `config()` is the client's own; the operation `Config` is `config_operation()`.
    let out = client.config_operation().send().await.unwrap();
    assert_eq!(out.config.as_deref(), Some("answer"));
    assert_eq!(client.config().region(), Some("us-east-1"));
    let targets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-amz-target").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(targets, ["Hostile.Get", "Hostile.Get", "Hostile.Config"]);
}

#[tokio::test]
async fn send_with_waiters_and_paginators_under_hostile_names() {
    let server = TestServer::start(|n, r| {
        let target = r.header("x-amz-target").unwrap_or_default();
        match target {
            "Hostile.CallGet" => json(200, r#"{"Value":"copy"}"#),
            "Hostile.WaitUntilReady" => json(200, "{}"),
            "Hostile.ListThings" if n < 6 => {
                json(200, r#"{"Things":[{"Name":"a"}],"NextToken":"t"}"#)
            }
            "Hostile.ListThings" => json(200, r#"{"Things":[{"Name":"b"}]}"#),
            _ if n < 4 => json(200, r#"{"Status":"UNKNOWN"}"#),
            _ => json(200, r#"{"Status":"READY"}"#),
        }
    })
    .await;
    let client = client(&server.url);
    // `CallGet` has Get's input shape: each operation has its own copy.
    let input = hostile::operation::call_get::CallGetInput::builder()
        .name("n")
        .build()
        .unwrap();
    let out = input.send_with(&client).await.unwrap();
    assert_eq!(out.value.as_deref(), Some("copy"));
    let out = hostile::operation::get::builders::GetInputBuilder::default()
        .name("b")
        .send_with(&client)
        .await
        .unwrap();
    assert_eq!(out.status, Some(types::Status::UnknownValue));
    client.wait_until_ready_operation().send().await.unwrap();
    let ready = client
        .wait_until_ready()
        .name("w")
        .wait(Duration::from_secs(20))
        .await
        .unwrap();
    assert_eq!(ready.status, Some(types::Status::Ready));
    let pages = client
        .list_things()
        .into_paginator()
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let names: Vec<_> = pages
        .iter()
        .flat_map(|p| p.things.iter().flatten())
        .map(|t| t.name.clone())
        .collect();
    assert!(names.ends_with(&["b".to_owned()]), "{names:?}");
    assert!(names.len() >= 2, "{names:?}");
}
