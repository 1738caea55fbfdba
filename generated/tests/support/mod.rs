//! Shared by the end-to-end tests: a moto_server started and stopped through
//! `scripts/peers.sh` (one per test binary, reference-counted), and pool/user setup through the
//! generated admin operations.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{
    AttributeType, ExplicitAuthFlowsType, MessageActionType, UserPoolMfaType, UsernameAttributeType,
};
use cognito_idp::Client;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generated/ has a parent")
        .to_path_buf()
}

fn peers(args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/peers.sh"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("cannot run scripts/peers.sh")
}

struct MotoState {
    users: usize,
    port: u16,
}

static MOTO: Mutex<MotoState> = Mutex::new(MotoState { users: 0, port: 0 });

/// A running moto_server; stopped when the last guard of this test binary drops.
pub struct Moto {
    port: u16,
}

impl Moto {
    /// Starts moto (installing it into .peers/ first if needed). Fails loudly if it cannot.
    pub fn start() -> Moto {
        let mut state = MOTO.lock().unwrap_or_else(|e| e.into_inner());
        if state.users == 0 {
            let install = peers(&["install"]);
            assert!(
                install.status.success(),
                "moto is missing and `scripts/peers.sh install` failed:\n{}",
                String::from_utf8_lossy(&install.stderr)
            );
            // Another test binary of this checkout may own the (single) moto_server of
            // scripts/peers.sh: wait for it to stop rather than stopping it.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
            let port = loop {
                let port = free_port();
                let out = peers(&["moto-start", &port.to_string()]);
                if out.status.success() {
                    break port;
                }
                let err = String::from_utf8_lossy(&out.stderr).into_owned();
                if err.contains("already running") && std::time::Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(500));
                    continue;
                }
                panic!("`scripts/peers.sh moto-start {port}` failed:\n{err}");
            };
            state.port = port;
        }
        state.users += 1;
        Moto { port: state.port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let mut state = MOTO.lock().unwrap_or_else(|e| e.into_inner());
        state.users -= 1;
        if state.users == 0 {
            let out = peers(&["moto-stop"]);
            if !out.status.success() {
                eprintln!("moto-stop failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
}

pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

/// A client for a local endpoint, with dummy credentials for the SigV4 admin operations.
pub fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("testing", "testing", None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

#[derive(Clone, Debug)]
pub struct PoolSpec {
    pub email_username: bool,
    pub secret: bool,
    pub mfa: Option<UserPoolMfaType>,
    pub flows: Vec<ExplicitAuthFlowsType>,
}

impl Default for PoolSpec {
    fn default() -> Self {
        PoolSpec {
            email_username: false,
            secret: false,
            mfa: None,
            flows: vec![
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
                ExplicitAuthFlowsType::AllowCustomAuth,
            ],
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

pub async fn create_pool(admin: &Client, spec: &PoolSpec) -> Pool {
    let name = format!("test-{}", free_port());
    let mut req = admin.create_user_pool().pool_name(name);
    if spec.email_username {
        req = req.username_attributes(UsernameAttributeType::Email);
    }
    if let Some(mfa) = &spec.mfa {
        req = req.mfa_configuration(mfa.clone());
    }
    let pool = req
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let client = admin
        .create_user_pool_client()
        .user_pool_id(pool.clone())
        .client_name("app")
        .generate_secret(spec.secret)
        .set_explicit_auth_flows(Some(spec.flows.clone()))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    Pool {
        id: pool,
        client_id: client.client_id.expect("client id"),
        client_secret: client.client_secret,
    }
}

/// A user with a permanent password (`temporary` = false) or in FORCE_CHANGE_PASSWORD.
pub async fn create_user(
    admin: &Client,
    pool: &Pool,
    username: &str,
    password: &str,
    attributes: &[(&str, &str)],
    temporary: bool,
) {
    let attrs: Vec<AttributeType> = attributes
        .iter()
        .map(|(n, v)| AttributeType {
            name: (*n).to_owned(),
            value: Some((*v).to_owned()),
        })
        .collect();
    let mut req = admin
        .admin_create_user()
        .user_pool_id(pool.id.clone())
        .username(username)
        .message_action(MessageActionType::Suppress)
        .temporary_password(password);
    if !attrs.is_empty() {
        req = req.set_user_attributes(Some(attrs));
    }
    req.send().await.expect("AdminCreateUser");
    if !temporary {
        admin
            .admin_set_user_password()
            .user_pool_id(pool.id.clone())
            .username(username)
            .password(password)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
    }
}

/// Runs a boto3 snippet against `url` with the peers' Python (`cognito` is a boto3 client).
pub fn boto3(url: &str, snippet: &str) {
    let script = format!(
        "import boto3\ncognito = boto3.client('cognito-idp', region_name='us-east-1', \
         endpoint_url='{url}', aws_access_key_id='testing', aws_secret_access_key='testing')\n{snippet}\n"
    );
    let out = Command::new(repo_root().join(".peers/venv/bin/python"))
        .arg("-c")
        .arg(script)
        .output()
        .expect("run the peers' python (scripts/peers.sh install)");
    assert!(
        out.status.success(),
        "boto3 snippet failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
