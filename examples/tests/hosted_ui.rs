//! Managed login in a real browser: Debian's headless chromium, driven over WebDriver, opens
//! the authorize URL, fills the emulator's login pages and follows the redirect to a local
//! listener; the code is exchanged with `cognito_idp::oauth` and the tokens verified against
//! the pool's JWKS. Also: the wrong password on the page, a TOTP step, a tampered state, a
//! reused code, a wrong code_verifier, an unregistered redirect URI refused before any login
//! page, and `cognito-login --hosted-ui` end to end. A screenshot of the login page is left in
//! target/hosted-ui/.

mod browser;

use std::process::Stdio;
use std::time::Duration;

use browser::{
    call, free_port, hosted_pool, redirect_listener, screenshot_path, verified_claims, Chromium,
    PASSWORD,
};
use cognito_idp::oauth::{AuthorizationRequest, OAuthClient, OAuthError, OAuthErrorKind};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::sync::mpsc::UnboundedReceiver;

async fn next_redirect(rx: &mut UnboundedReceiver<String>) -> String {
    loop {
        let target = tokio::time::timeout(Duration::from_secs(15), rx.recv())
            .await
            .expect("the browser reaches the redirect listener")
            .unwrap();
        if target.starts_with("/callback") {
            return target;
        }
    }
}

fn kind(e: &OAuthError) -> OAuthErrorKind {
    e.kind()
        .cloned()
        .unwrap_or_else(|| panic!("no OAuth error kind: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_signs_in_and_the_code_is_exchanged_once() {
    let port = free_port();
    let callback = format!("http://localhost:{port}/callback");
    let pool = hosted_pool("OFF", std::slice::from_ref(&callback)).await;
    pool.user("alice");
    let mut redirects = redirect_listener(port).await;
    let client = OAuthClient::new(&pool.domain_url, &pool.client_id).unwrap();
    let request = AuthorizationRequest::new(&callback)
        .scope("openid")
        .scope("email");
    let pending = client.authorize(&request).unwrap();

    let chromium = Chromium::start().await;
    chromium.goto(pending.url()).await;
    assert!(chromium.url().await.contains("/login?flow="));
    assert!(chromium
        .source()
        .await
        .contains("<label for=\"password\">Password</label>"));
    let shot = screenshot_path("login-page.png");
    chromium.screenshot(&shot).await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 1000);
    eprintln!("login page screenshot: {}", shot.display());

    // the wrong password is shown on the page
    chromium.type_into("#username", "alice").await;
    chromium.type_into("#password", "Not-the-passw0rd").await;
    chromium.click("button[type=submit]").await;
    assert_eq!(
        chromium.text("#error").await,
        "Incorrect username or password."
    );
    chromium
        .screenshot(&screenshot_path("wrong-password.png"))
        .await;

    chromium.type_into("#password", PASSWORD).await;
    chromium.click("button[type=submit]").await;
    chromium
        .wait_for_url("the redirect", |u| u.starts_with(&callback))
        .await;
    let target = next_redirect(&mut redirects).await;
    let code = pending.accept_redirect(&target).unwrap();

    // a tampered state is refused before the code is used
    let state = pending.state().expose();
    let tampered = target.replace(state, &format!("{state}x"));
    assert!(matches!(
        pending.accept_redirect(&tampered),
        Err(OAuthError::StateMismatch)
    ));

    let tokens = client.exchange_code(&pending, &code).await.unwrap();
    let access = verified_claims(&pool, &pool.client_id, tokens.access_token().expose()).await;
    assert_eq!(access["username"], "alice");
    assert_eq!(access["scope"], "openid email");
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["version"], 2);
    let id = verified_claims(&pool, &pool.client_id, tokens.id_token().unwrap().expose()).await;
    assert_eq!(id["nonce"], pending.nonce().unwrap().expose());
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["aud"], pool.client_id.as_str());
    assert!(id.get("identities").is_none());

    // the code is single-use
    let reused = client.exchange_code(&pending, &code).await.unwrap_err();
    assert_eq!(kind(&reused), OAuthErrorKind::InvalidGrant, "{reused}");

    // the browser's session signs in again at once; a wrong code_verifier is refused
    let second = client.authorize(&request).unwrap();
    chromium.goto(second.url()).await;
    chromium
        .wait_for_url("the redirect", |u| u.starts_with(&callback))
        .await;
    let code = second
        .accept_redirect(&next_redirect(&mut redirects).await)
        .unwrap();
    let other_verifier = client.authorize(&request).unwrap();
    let e = client
        .exchange_code(&other_verifier, &code)
        .await
        .unwrap_err();
    assert_eq!(kind(&e), OAuthErrorKind::InvalidGrant, "{e}");

    // a redirect URI the app client does not list: an error page, no login form, no redirect
    let mut evil = reqwest::Url::parse(pending.url()).unwrap();
    let pairs: Vec<(String, String)> = evil
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "redirect_uri" {
                "https://evil.example.com/cb".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    evil.query_pairs_mut().clear().extend_pairs(pairs);
    chromium.goto(evil.as_str()).await;
    assert!(chromium.url().await.starts_with(&pool.domain_url));
    assert!(chromium.text("#error").await.contains("redirect_mismatch"));
    assert!(chromium.find("#password").await.is_none(), "no login page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_sets_up_and_answers_totp() {
    let port = free_port();
    let callback = format!("http://localhost:{port}/callback");
    let pool = hosted_pool("ON", std::slice::from_ref(&callback)).await;
    pool.user("bob");
    let mut redirects = redirect_listener(port).await;
    let client = OAuthClient::new(&pool.domain_url, &pool.client_id).unwrap();
    let request = AuthorizationRequest::new(&callback).scope("openid");
    let chromium = Chromium::start().await;

    // first sign-in: MFA is required and bob has none, so the page sets up an authenticator
    let pending = client.authorize(&request).unwrap();
    chromium.goto(pending.url()).await;
    chromium.type_into("#username", "bob").await;
    chromium.type_into("#password", PASSWORD).await;
    chromium.click("button[type=submit]").await;
    let secret = chromium.text("#secret").await;
    chromium
        .screenshot(&screenshot_path("totp-setup.png"))
        .await;
    chromium
        .type_into("#code", &pool.emu.totp_for_secret(&secret))
        .await;
    chromium.click("button[type=submit]").await;
    let code = pending
        .accept_redirect(&next_redirect(&mut redirects).await)
        .unwrap();
    client.exchange_code(&pending, &code).await.unwrap();

    // next sign-in in a fresh browser session: password, then the TOTP code page
    chromium.goto(&pool.domain_url).await; // the emulator's site, whose cookies are cleared
    chromium.clear_cookies().await;
    pool.emu.clock().advance(30);
    let pending = client.authorize(&request).unwrap();
    chromium.goto(pending.url()).await;
    chromium.type_into("#username", "bob").await;
    chromium.type_into("#password", PASSWORD).await;
    chromium.click("button[type=submit]").await;
    assert_eq!(
        chromium.text("label[for=code]").await,
        "Code from your authenticator app"
    );
    chromium.type_into("#code", "000000").await;
    chromium.click("button[type=submit]").await;
    assert!(chromium.text("#error").await.contains("Invalid code"));
    let totp = pool.emu.totp_code(&pool.pool_id, "bob").unwrap();
    chromium.type_into("#code", &totp).await;
    chromium.click("button[type=submit]").await;
    let code = pending
        .accept_redirect(&next_redirect(&mut redirects).await)
        .unwrap();
    let tokens = client.exchange_code(&pending, &code).await.unwrap();
    let access = verified_claims(&pool, &pool.client_id, tokens.access_token().expose()).await;
    assert_eq!(access["username"], "bob");
}

/// Starts `cognito-login` and returns it with the authorize URL it printed.
async fn start_cli(
    args: &[String],
) -> (
    tokio::process::Child,
    String,
    tokio::task::JoinHandle<String>,
) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cognito-login"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("cognito-login prints the authorize URL")
            .unwrap()
            .expect("stderr still open");
        if let Some(url) = line.trim().strip_prefix("http") {
            break format!("http{url}");
        }
    };
    let rest = tokio::spawn(async move {
        let mut all = String::new();
        while let Ok(Some(l)) = lines.next_line().await {
            all.push_str(&l);
            all.push('\n');
        }
        all
    });
    (child, url, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_login_hosted_ui_end_to_end_with_chromium() {
    let port = free_port();
    let callback = format!("http://localhost:{port}/callback");
    let pool = hosted_pool("OFF", std::slice::from_ref(&callback)).await;
    pool.user("carol");
    let args: Vec<String> = [
        "--hosted-ui",
        "--domain",
        &pool.domain_url,
        "--client-id",
        &pool.client_id,
        "--redirect-port",
        &port.to_string(),
        "--no-browser",
        "--scope",
        "openid email",
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (mut cli, url, stderr) = start_cli(&args).await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    let chromium = Chromium::start().await;
    chromium.goto(&url).await;
    chromium.type_into("#username", "carol").await;
    chromium.type_into("#password", PASSWORD).await;
    chromium.click("button[type=submit]").await;
    chromium
        .wait_for_url("the CLI's redirect", |u| u.starts_with(&callback))
        .await;
    assert!(chromium.source().await.contains("Signed in."));
    let status = tokio::time::timeout(Duration::from_secs(20), cli.wait())
        .await
        .unwrap()
        .unwrap();
    let mut stdout = String::new();
    cli.stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .await
        .unwrap();
    let log = stderr.await.unwrap();
    assert!(status.success(), "cognito-login failed: {log}");
    let out: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let access =
        verified_claims(&pool, &pool.client_id, out["AccessToken"].as_str().unwrap()).await;
    assert_eq!(access["username"], "carol");
    assert_eq!(access["scope"], "openid email");
    verified_claims(&pool, &pool.client_id, out["IdToken"].as_str().unwrap()).await;
    assert!(out["RefreshToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(out["TokenType"], "Bearer");
    // no token on stderr
    assert!(!log.contains(out["AccessToken"].as_str().unwrap()));

    // a forged redirect (wrong state) makes the CLI fail without using the code
    let (mut cli, _url, stderr) = start_cli(&args).await;
    let forged = reqwest::get(format!(
        "http://127.0.0.1:{port}/callback?code=stolen&state=forged"
    ))
    .await
    .unwrap();
    assert_eq!(forged.status(), 400);
    let status = tokio::time::timeout(Duration::from_secs(20), cli.wait())
        .await
        .unwrap()
        .unwrap();
    let log = stderr.await.unwrap();
    assert!(!status.success());
    assert!(log.contains("state does not match"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cognito_login_client_credentials() {
    let pool = hosted_pool("OFF", &["https://app.example.com/cb".to_owned()]).await;
    call(
        &pool.emu,
        "CreateResourceServer",
        json!({"UserPoolId": pool.pool_id, "Identifier": "orders", "Name": "Orders",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "r"}, {"ScopeName": "write", "ScopeDescription": "w"}]}),
    );
    let m2m = call(
        &pool.emu,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool.pool_id, "ClientName": "svc", "GenerateSecret": true,
               "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthScopes": ["orders/read"]}),
    )["UserPoolClient"]
        .clone();
    let id = m2m["ClientId"].as_str().unwrap();
    let secret = m2m["ClientSecret"].as_str().unwrap();
    let run = |scope: &str, secret: &str, json: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-login"));
        cmd.args([
            "--client-credentials",
            "--domain",
            &pool.domain_url,
            "--client-id",
            id,
            "--scope",
            scope,
        ])
        .env("COGNITO_CLIENT_SECRET", secret)
        .stdin(Stdio::null());
        if json {
            cmd.arg("--json");
        }
        cmd.output().unwrap()
    };
    let ok = run("orders/read", secret, true);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out: Value = serde_json::from_slice(&ok.stdout).unwrap();
    let access = verified_claims(&pool, id, out["AccessToken"].as_str().unwrap()).await;
    assert_eq!(access["scope"], "orders/read");
    assert_eq!(access["sub"], id);
    let text = run("orders/read", secret, false);
    let summary = String::from_utf8_lossy(&text.stdout);
    assert!(
        summary.contains("with client_credentials (scope: orders/read)"),
        "{summary}"
    );
    assert!(!summary.contains(secret));

    let refused = run("orders/write", secret, true);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid_scope"));
    let wrong = run("orders/read", "not-the-secret", true);
    assert!(!wrong.status.success());
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(err.contains("invalid_client"), "{err}");
    assert!(!err.contains("not-the-secret"));
}
