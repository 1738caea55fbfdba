//! amazon-cognito-identity-js in a real browser: Debian's headless chromium, driven over
//! WebDriver (chromedriver), opens a page from a local static server that signs in with SRP
//! against the emulator on another origin, as browser apps do (every call a CORS request,
//! preflighted for X-Amz-Target / X-Amz-User-Agent). The library is bundled for the browser
//! with esbuild; they come from scripts/install-peers.sh and scripts/install-chromium.sh, and the
//! test fails without them.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Bundles tests/browser/app.js with amazon-cognito-identity-js into `dir/app.bundle.js`.
fn bundle(dir: &Path) {
    let node_modules = node_modules();
    let esbuild = node_modules.join(".bin/esbuild");
    assert!(
        esbuild.exists(),
        "esbuild missing under .peers/node: run scripts/install-peers.sh"
    );
    let status = Command::new(&esbuild)
        .arg(repo_root().join("emulator/tests/browser/app.js"))
        .args([
            "--bundle",
            "--platform=browser",
            "--format=iife",
            "--define:global=window",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", dir.join("app.bundle.js").display()))
        .env("NODE_PATH", &node_modules)
        .status()
        .expect("run esbuild");
    assert!(status.success(), "esbuild failed");
    std::fs::copy(
        repo_root().join("emulator/tests/browser/index.html"),
        dir.join("index.html"),
    )
    .unwrap();
}

/// A static file server for `dir` on a free port (the page's origin).
async fn static_server(dir: PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let dir = dir.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = head
                    .split(' ')
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_owned();
                let name = path.trim_start_matches('/');
                let (status, kind, body) = match name {
                    "index.html" | "app.bundle.js" => (
                        200,
                        if name.ends_with(".js") {
                            "text/javascript"
                        } else {
                            "text/html; charset=utf-8"
                        },
                        std::fs::read(dir.join(name)).unwrap_or_default(),
                    ),
                    _ => (404, "text/plain", b"not found".to_vec()),
                };
                let head = format!("HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    url
}

/// One WebDriver call.
async fn webdriver(base: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("chromedriver");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    // chromedriver keeps connections open whatever the request says: read one response by
    // its length (or its chunks), not to the end of the stream.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    let text = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "chromedriver closed the connection mid-response");
        buf.extend_from_slice(&chunk[..n]);
        let Some(split) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..split]).to_lowercase();
        let body = &buf[split + 4..];
        if let Some(len) = head.lines().find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap())
        }) {
            if body.len() >= len {
                break body[..len].to_vec();
            }
        } else if head.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n") {
            let mut out = Vec::new();
            let mut rest = body;
            while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
                let size =
                    usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16)
                        .unwrap_or(0);
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
                rest = &rest[eol + 4 + size..];
            }
            break out;
        }
    };
    serde_json::from_slice(&text).unwrap_or_else(|e| {
        panic!(
            "WebDriver {method} {path}: {e}: {}",
            String::from_utf8_lossy(&text)
        )
    })
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_cognito_identity_js_signs_in_with_srp_from_headless_chromium() {
    let installed = Command::new("bash")
        .arg(repo_root().join("scripts/install-chromium.sh"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        installed,
        "scripts/install-chromium.sh failed: chromium and chromium-driver are required"
    );
    for tool in ["chromium", "chromedriver"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(found, "{tool} is missing: scripts/install-chromium.sh installs Debian's chromium and chromium-driver");
    }
    let site = TempDir::new("browser-site");
    bundle(site.path());
    let page_origin = static_server(site.path().to_owned()).await;

    // The emulator binary with its request log, to see the browser's preflights.
    let mut emu = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--port", "0", "--request-log", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(emu.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let pool_id = pool(&endpoint, json!({})).await;
    let (client_id, _) = app_client(
        &endpoint,
        &pool_id,
        false,
        &["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )
    .await;
    user(
        &endpoint,
        &pool_id,
        "browser-user",
        "Browser-Passw0rd",
        json!([]),
    )
    .await;

    let port = free_port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = TempDir::new("browser-profile");
    let session = webdriver(
        &base,
        "POST",
        "/session",
        Some(json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", profile.arg())]}}}})),
    )
    .await;
    let id = session["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_owned();

    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let page = format!(
        "{page_origin}/index.html?endpoint={}&pool={}&client={}&user=browser-user&password={}",
        enc(&format!("{endpoint}/")),
        enc(&pool_id),
        enc(&client_id),
        enc("Browser-Passw0rd")
    );
    webdriver(
        &base,
        "POST",
        &format!("/session/{id}/url"),
        Some(json!({"url": page})),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let result = loop {
        let v = webdriver(&base, "POST", &format!("/session/{id}/execute/sync"),
            Some(json!({"script": "return document.getElementById('result').textContent", "args": []}))).await;
        let text = v["value"].as_str().unwrap_or_default().to_owned();
        if !text.is_empty() {
            break serde_json::from_str::<Value>(&text).unwrap();
        }
        assert!(Instant::now() < deadline, "the page did not finish: {v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    webdriver(&base, "DELETE", &format!("/session/{id}"), None).await;
    drop(driver);

    assert_eq!(result["good"]["ok"], true, "{result}");
    assert_eq!(result["good"]["username"], "browser-user");
    assert_eq!(result["good"]["tokenUse"], "access");
    assert_eq!(
        result["wrong"]["code"], "NotAuthorizedException",
        "{result}"
    );
    assert_eq!(result["origin"], page_origin.as_str());

    let _ = Command::new("kill")
        .args(["-TERM", &emu.id().to_string()])
        .status();
    let out = emu.wait_with_output().unwrap();
    let log: Vec<Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        log.iter()
            .any(|l| l["method"] == "OPTIONS" && l["status"] == 204),
        "no CORS preflight reached the emulator"
    );
    let srp: Vec<&str> = log
        .iter()
        .filter(|l| l["method"] == "POST")
        .filter_map(|l| l["operation"].as_str())
        .collect();
    assert!(
        srp.contains(&"InitiateAuth") && srp.contains(&"RespondToAuthChallenge"),
        "{srp:?}"
    );
}
