//! What the hosted-UI tests share: headless chromium over WebDriver, a user pool with a domain
//! set up through the emulator's API, a loopback listener for the redirect, and tokens verified
//! against the pool's JWKS (with cognito-verify).
#![allow(dead_code)]

pub mod webdriver;

use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_emulator::Emulator;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

pub use test_support::emulator::in_process::call;
pub use test_support::peers::free_port;
pub use webdriver::Chromium;

pub const PASSWORD: &str = "Passw0rd-Rust!";
pub const DOMAIN: &str = "hosted-test";

pub struct HostedPool {
    pub emu: Emulator,
    pub pool_id: String,
    pub client_id: String,
    /// `http://127.0.0.1:PORT/domain/hosted-test`
    pub domain_url: String,
}

/// A pool with a domain and a public app client (code grant) whose callback URLs are
/// `callbacks`; `mfa` is the pool's MfaConfiguration.
pub async fn hosted_pool(mfa: &str, callbacks: &[String]) -> HostedPool {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool_id = call(
        &emu,
        "CreateUserPool",
        json!({"PoolName": "hosted", "MfaConfiguration": mfa}),
    )["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &emu,
        "CreateUserPoolDomain",
        json!({"Domain": DOMAIN, "UserPoolId": pool_id}),
    );
    let client_id = call(
        &emu,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web", "AllowedOAuthFlows": ["code"],
               "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthScopes": ["openid", "email"],
               "CallbackURLs": callbacks, "SupportedIdentityProviders": ["COGNITO"]}),
    )["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let domain_url = emu.domain_url(DOMAIN);
    HostedPool {
        emu,
        pool_id,
        client_id,
        domain_url,
    }
}

impl HostedPool {
    /// A confirmed user with an email address and the test password.
    pub fn user(&self, name: &str) {
        call(
            &self.emu,
            "AdminCreateUser",
            json!({"UserPoolId": self.pool_id, "Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]}),
        );
        call(
            &self.emu,
            "AdminSetUserPassword",
            json!({"UserPoolId": self.pool_id, "Username": name, "Password": PASSWORD, "Permanent": true}),
        );
    }
}

/// The app's redirect endpoint: answers every request on 127.0.0.1:`port` with a small page
/// and reports each request target (`/callback?code=...&state=...`).
pub async fn redirect_listener(port: u16) -> mpsc::UnboundedReceiver<String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Some(target) = text.lines().next().and_then(|l| l.split(' ').nth(1)) {
                    let _ = tx.send(target.to_owned());
                }
                let body = "<!DOCTYPE html><title>app</title><p>redirect received</p>";
                let _ = s
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    rx
}

pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Verifies `jwt` as a backend would (cognito-verify): RS256 against the pool's JWKS fetched
/// over HTTP, the original-form AWS issuer, `exp`/`iat` at the emulator's time (tests move its
/// clock), `client_id` as its app client; returns its claims.
pub async fn verified_claims(pool: &HostedPool, client_id: &str, jwt: &str) -> Value {
    let verifier = cognito_verify::Verifier::builder(&pool.pool_id)
        .token_use(cognito_verify::TokenUse::Either)
        .client_id(client_id)
        .issuer_format(cognito_verify::IssuerFormat::Original)
        .jwks_url(format!(
            "{}/{}/.well-known/jwks.json",
            pool.emu.endpoint_url(),
            pool.pool_id
        ))
        .build()
        .unwrap();
    verifier.hydrate().await.unwrap();
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(pool.emu.clock().now() as u64);
    match verifier.verify_sync_at(jwt, now) {
        Ok(claims) => Value::Object(claims.into_map()),
        Err(e) => panic!("the token does not verify: {e}"),
    }
}

/// Where the test run leaves screenshots: `target/hosted-ui/` (git-ignored).
pub fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/hosted-ui")
        .join(name)
}
