//! What running the emulator for a browser app or in a container needs: CORS with preflights,
//! a health endpoint, request logs without secrets, another loopback host.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A raw request with the given extra header lines; returns the response head and body.
async fn send(endpoint: &str, head: &str, body: &str) -> Raw {
    let addr = endpoint.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let req = format!(
        "{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    Raw {
        status,
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_preflight_and_responses_for_browser_clients() {
    let emu = cognito_emulator::Emulator::start("127.0.0.1:0")
        .await
        .unwrap();
    let url = emu.endpoint_url();
    // What amazon-cognito-identity-js's preflight asks for.
    let pre = send(
        &url,
        "OPTIONS / HTTP/1.1\r\nOrigin: http://localhost:8080\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type,x-amz-target,x-amz-user-agent",
        "",
    )
    .await;
    assert_eq!(pre.status, 204);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    let allowed = pre
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for h in ["content-type", "x-amz-target", "x-amz-user-agent"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    assert!(pre
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    // A preflight that names no headers still gets the ones AWS clients send.
    let pre = send(
        &url,
        "OPTIONS / HTTP/1.1\r\nOrigin: null\r\nAccess-Control-Request-Method: POST",
        "",
    )
    .await;
    assert!(pre
        .header("access-control-allow-headers")
        .unwrap()
        .contains("x-amz-user-agent"));

    // The call itself, and its error, carry the CORS headers and expose the request id.
    let ok = send(&url, "POST / HTTP/1.1\r\nOrigin: http://localhost:8080\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools",
        r#"{"MaxResults": 5}"#).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    assert!(ok
        .header("access-control-expose-headers")
        .unwrap()
        .contains("x-amzn-requestid"));
    let err = send(&url, "POST / HTTP/1.1\r\nOrigin: http://localhost:8080\r\nX-Amz-Target: AWSCognitoIdentityProviderService.GetUser", "{}").await;
    assert_eq!(err.status, 400);
    assert_eq!(
        err.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    // Without an Origin, any.
    let jwks = get_raw(&url, "/health").await;
    assert_eq!(jwks.header("access-control-allow-origin"), Some("*"));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_request_logs_without_secrets_and_another_loopback_host() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--port", "0", "--host", "127.0.0.2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.2:"), "{url}");

    let health = get_raw(&url, "/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["state"], "memory");

    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let secret_password = "Sekr3t-Passw0rd-xyz";
    user(&url, &pool_id, "logged", secret_password, json!([])).await;
    let out = call(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "logged", "PASSWORD": secret_password}}),
    )
    .await;
    let access = out["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let refresh = out["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    call(&url, "GetUser", json!({"AccessToken": access})).await;
    call_err(
        &url,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": "logged", "PASSWORD": "Wrong-Passw0rd"}}),
    )
    .await;

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr).to_string();
    for secret in [
        secret_password,
        "Wrong-Passw0rd",
        access.as_str(),
        refresh.as_str(),
        &access[..40],
    ] {
        assert!(!log.contains(secret), "a secret in the request log");
    }
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ops: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["operation"].as_str())
        .collect();
    assert_eq!(
        ops,
        [
            "CreateUserPool",
            "CreateUserPoolClient",
            "AdminCreateUser",
            "AdminSetUserPassword",
            "InitiateAuth",
            "GetUser",
            "InitiateAuth"
        ]
    );
    let failed = lines.iter().find(|l| l["status"] == 400).unwrap();
    assert_eq!(failed["error"], "NotAuthorizedException");
    assert_eq!(failed["operation"], "InitiateAuth");
    for l in &lines {
        assert!(
            l["latency_ms"].is_number() || l["latency"].is_number(),
            "{l}"
        );
        assert!(l["request_id"].as_str().unwrap().len() == 36, "{l}");
        assert!(l["ts"].as_str().unwrap().ends_with('Z'), "{l}");
    }
    assert_eq!(lines[0]["path"], "/health");
}

#[test]
fn the_readme_lists_exactly_the_served_operations() {
    let readme = std::fs::read_to_string(repo_root().join("emulator/README.md")).unwrap();
    let section = readme
        .split("## Served operations")
        .nth(1)
        .expect("a Served operations section");
    // The line that starts "N of <model>": its names in backquotes, exactly what is served.
    let check = |model: &str, served: Vec<&str>| {
        let line = section
            .lines()
            .find(|l| l.contains(model))
            .unwrap_or_else(|| panic!("the list of {model}"));
        let listed: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        assert_eq!(
            listed, served,
            "emulator/README.md's list of {model} differs from what is served"
        );
        assert!(
            line.starts_with(&format!("{} {model}", served.len())),
            "{line}"
        );
    };
    check("of the model's 122", cognito_emulator::served_operations());
    check(
        "of the Cognito Identity model's 23",
        cognito_emulator::served_identity_operations(),
    );
}

/// The operations of the model the generated crate is built from.
fn model_operations() -> Vec<String> {
    let path = repo_root().join("generated/model/cognito-identity-provider.json");
    let model: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut ops: Vec<String> = model["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s["type"] == "operation")
        .map(|(id, _)| id.rsplit('#').next().unwrap().to_owned())
        .collect();
    ops.sort();
    ops
}

/// At least 110 of the model's operations are served (each handler on its operation's
/// generated types: the emulator's unit test `every_handler_takes_its_operations_input...`),
/// and every other one answers an error that names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_least_110_of_the_models_operations_are_served_the_rest_named_in_an_error() {
    let model = model_operations();
    assert_eq!(model.len(), 122, "the model's operation count changed");
    let served = cognito_emulator::served_operations();
    for op in &served {
        assert!(model.iter().any(|m| m == op), "{op} is not in the model");
    }
    assert!(served.len() >= 110, "only {} served", served.len());
    let emu = cognito_emulator::Emulator::start("127.0.0.1:0")
        .await
        .unwrap();
    let url = emu.endpoint_url();
    let target = |op: &str| format!("AWSCognitoIdentityProviderService.{op}");
    let rest: Vec<&String> = model
        .iter()
        .filter(|m| !served.contains(&m.as_str()))
        .collect();
    assert_eq!(rest.len(), 122 - served.len());
    for op in rest {
        let r = post_raw(&url, Some(&target(op)), b"{}").await;
        assert_eq!(r.status, 400, "{op}");
        assert_eq!(r.error_type(), "UnknownOperationException", "{op}");
        assert!(r.message().contains(op.as_str()), "{op}: {}", r.message());
    }
    // A served one with an empty body is a validation error, not an unknown operation.
    let r = post_raw(&url, Some(&target("DescribeUserPool")), b"{}").await;
    assert_eq!(r.status, 400);
    assert_ne!(r.error_type(), "UnknownOperationException");
}
