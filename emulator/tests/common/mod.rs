//! Shared helpers for the emulator's tests: a raw HTTP caller (to send anything, including
//! hostile bodies), setup through the wire API, the project's own SRP login (generated
//! `cognito-idp` client + `srp-core`), and the real peers installed under `.peers/`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{AuthFlowType, ChallengeNameType};
use cognito_idp::Client;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const REGION: &str = "us-east-1";

/// One response as it came off the wire.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn error_type(&self) -> String {
        self.json()["__type"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// POSTs `body` to `endpoint` with an awsJson1_1 target over a fresh connection.
pub async fn post_raw(endpoint: &str, target: Option<&str>, body: &[u8]) -> Raw {
    let addr = endpoint.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let mut head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(t) = target {
        head.push_str(&format!("X-Amz-Target: {t}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    // A server may answer (413) before reading everything; ignore a reset while writing.
    let _ = stream.write_all(body).await;
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf).await;
    parse_response(&buf)
}

pub async fn get_raw(endpoint: &str, path: &str) -> Raw {
    let addr = endpoint.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf).await;
    parse_response(&buf)
}

fn parse_response(buf: &[u8]) -> Raw {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response");
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = buf[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Raw {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// Calls an operation with a JSON body; panics unless it succeeds.
pub async fn call(endpoint: &str, op: &str, body: Value) -> Value {
    let r = post_raw(
        endpoint,
        Some(&format!("AWSCognitoIdentityProviderService.{op}")),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        r.status,
        200,
        "{op} failed: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

/// Calls an operation expecting an error; returns (type, message).
pub async fn call_err(endpoint: &str, op: &str, body: Value) -> (String, String) {
    let r = post_raw(
        endpoint,
        Some(&format!("AWSCognitoIdentityProviderService.{op}")),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        r.status,
        400,
        "{op} should fail: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("x-amzn-errortype"), Some(r.error_type().as_str()));
    (r.error_type(), r.message())
}

/// The generated client pointed at `endpoint` (test credentials for the Admin* calls).
pub fn client(endpoint: &str) -> Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(endpoint)
        .credentials(Credentials::new("AKIDTEST", "secret", None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

/// A pool with a lenient password policy and its pool id.
pub async fn pool(endpoint: &str, extra: Value) -> String {
    let mut body = json!({
        "PoolName": "test",
        "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true,
            "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": false}},
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let out = call(endpoint, "CreateUserPool", body).await;
    out["UserPool"]["Id"].as_str().unwrap().to_owned()
}

/// An app client; returns (client id, secret if generated).
pub async fn app_client(
    endpoint: &str,
    pool_id: &str,
    secret: bool,
    flows: &[&str],
) -> (String, Option<String>) {
    let out = call(
        endpoint,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "app", "GenerateSecret": secret, "ExplicitAuthFlows": flows}),
    )
    .await;
    let c = &out["UserPoolClient"];
    (
        c["ClientId"].as_str().unwrap().to_owned(),
        c["ClientSecret"].as_str().map(str::to_owned),
    )
}

pub const ALL_FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
];

/// A confirmed user with a permanent password.
pub async fn user(endpoint: &str, pool_id: &str, username: &str, password: &str, attrs: Value) {
    call(
        endpoint,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
               "UserAttributes": attrs}),
    )
    .await;
    call(
        endpoint,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": true}),
    )
    .await;
}

pub fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Result of the project's own SRP login.
#[derive(Debug)]
pub enum Login {
    Tokens(cognito_idp::types::AuthenticationResultType),
    Challenge(ChallengeNameType, Option<String>, HashMap<String, String>),
}

/// USER_SRP_AUTH with the generated client and srp-core's client role.
pub async fn srp_login(
    client: &Client,
    pool_id: &str,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
) -> Result<Login, String> {
    let srp = srp_core::SrpClient::new().map_err(|e| e.to_string())?;
    let mut params = map(&[("USERNAME", username), ("SRP_A", srp.srp_a())]);
    if let Some(s) = secret {
        params.insert(
            "SECRET_HASH".into(),
            srp_core::secret_hash(s, username, client_id),
        );
    }
    let out = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(client_id)
        .set_auth_parameters(Some(params))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let p = out.challenge_parameters.unwrap_or_default();
    let user_id = p.get("USER_ID_FOR_SRP").cloned().unwrap_or_default();
    let name = p
        .get("USERNAME")
        .cloned()
        .unwrap_or_else(|| user_id.clone());
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p.get("SALT").map(String::as_str).unwrap_or_default(),
        srp_b: p.get("SRP_B").map(String::as_str).unwrap_or_default(),
        secret_block: p
            .get("SECRET_BLOCK")
            .map(String::as_str)
            .unwrap_or_default(),
    };
    let claim = srp
        .user_password_claim(
            srp_core::pool_name(pool_id).map_err(|e| e.to_string())?,
            &user_id,
            password,
            &challenge,
            &srp_core::Timestamp::now().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    let mut responses = map(&[
        ("USERNAME", name.as_str()),
        ("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block.as_str()),
        ("PASSWORD_CLAIM_SIGNATURE", claim.signature.as_str()),
        ("TIMESTAMP", claim.timestamp.as_str()),
    ]);
    if let Some(s) = secret {
        responses.insert(
            "SECRET_HASH".into(),
            srp_core::secret_hash(s, &name, client_id),
        );
    }
    let mut req = client
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_challenge_responses(Some(responses));
    if let Some(s) = out.session {
        req = req.session(s);
    }
    let out = req.send().await.map_err(|e| e.to_string())?;
    match (out.authentication_result, out.challenge_name) {
        (Some(r), _) => Ok(Login::Tokens(r)),
        (None, Some(c)) => Ok(Login::Challenge(
            c,
            out.session,
            out.challenge_parameters.unwrap_or_default(),
        )),
        (None, None) => Err("neither tokens nor a challenge".into()),
    }
}

/// The repository root (the workspace).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Installs the real peers (idempotent) and returns the venv's python. Panics if they cannot
/// be installed: a test that needs a peer never skips.
pub fn peers_python() -> PathBuf {
    let root = repo_root();
    let ok = Command::new("bash")
        .arg(root.join("scripts/peers.sh"))
        .arg("install")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "scripts/peers.sh install failed: the python peers (moto, boto3, pycognito) are required"
    );
    let py = root.join(".peers/venv/bin/python");
    assert!(py.exists(), "peer python missing at .peers/venv/bin/python");
    py
}

/// Installs amazon-cognito-identity-js (and pycognito) via scripts/install-peers.sh srp and
/// returns the node_modules folder.
pub fn node_modules() -> PathBuf {
    let root = repo_root();
    let ok = Command::new("bash")
        .arg(root.join("scripts/install-peers.sh"))
        .arg("srp")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "scripts/install-peers.sh srp failed: amazon-cognito-identity-js is required"
    );
    let nm = root.join(".peers/node/node_modules");
    assert!(
        nm.join("amazon-cognito-identity-js").exists(),
        "amazon-cognito-identity-js missing under .peers/node/node_modules"
    );
    nm
}

/// The emulator binary as a child process; killed (by its own pid) when dropped.
pub struct EmulatorProcess {
    child: Child,
    pub endpoint: String,
}

impl EmulatorProcess {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts the binary with `--port 0` and `args`; panics unless it announces its URL.
    pub fn start_with(args: &[&str]) -> Self {
        Self::try_start_with(args).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the binary; Err with what it printed if it exits instead of announcing its URL.
    pub fn try_start_with(args: &[&str]) -> Result<Self, String> {
        use std::io::BufRead;
        // Request logs only where a test asks for them (`--request-log json`).
        let mut child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
            .args(["--port", "0", "--request-log", "off"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start cognito-emulator");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let read = std::io::BufReader::new(stdout).read_line(&mut line);
        let mut guard = EmulatorProcess {
            child,
            endpoint: String::new(),
        };
        if read.is_err() || line.is_empty() {
            let status = guard.child.wait().ok();
            return Err(format!(
                "cognito-emulator exited without a first line: {status:?}"
            ));
        }
        guard.endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Ok(guard)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM (a clean stop), then waits; returns whether it exited successfully.
    pub fn terminate(mut self) -> bool {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(sent, "kill -TERM failed");
        self.child.wait().map(|s| s.success()).unwrap_or(false)
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory under the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let mut bytes = [0u8; 6];
        getrandom::getrandom(&mut bytes).expect("random");
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("cognito-emulator-{name}-{suffix}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn arg(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// moto_server on a port, started and stopped through scripts/peers.sh (stop also on panic).
pub struct Moto {
    pub endpoint: String,
    /// peers.sh's start is not atomic: two tests of one binary starting at once would both
    /// start a server and orphan one, so the tests of a binary take turns.
    _one_at_a_time: std::sync::MutexGuard<'static, ()>,
}

static MOTO_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Moto {
    /// peers.sh keeps one moto_server per checkout; if another test binary holds it, wait for
    /// it to finish (up to two minutes) rather than touch it.
    pub fn start() -> Self {
        let turn = MOTO_TURN.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let port = free_port();
            let ok = Command::new("bash")
                .arg(repo_root().join("scripts/peers.sh"))
                .args(["moto-start", &port.to_string()])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ok {
                // The guard exists only once this test owns the server, so dropping it never
                // stops someone else's.
                return Moto {
                    endpoint: format!("http://127.0.0.1:{port}"),
                    _one_at_a_time: turn,
                };
            }
            assert!(
                std::time::Instant::now() < deadline,
                "scripts/peers.sh moto-start failed (another moto_server held for 2 minutes?)"
            );
            std::thread::sleep(std::time::Duration::from_secs(2));
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo_root().join("scripts/peers.sh"))
            .arg("moto-stop")
            .status();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Runs a peer script; returns stdout, panicking with stderr when it fails.
pub fn run(program: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run peer");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{} {:?} failed:\nstdout:\n{}\nstderr:\n{}",
        program.display(),
        args,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
