//! `--hosted-ui`: sign in through the user pool domain's login page. The authorize URL (code
//! grant, PKCE S256, state, nonce) is printed and opened in a browser; the redirect comes back
//! to a listener on 127.0.0.1 (RFC 8252's loopback redirect), whose `state` must match; the code
//! is exchanged and the tokens printed like the other flows.
//! `--client-credentials`: a machine-to-machine token from the token endpoint.

use std::time::Duration;

use cognito_idp::auth::{unverified_claims, Tokens};
use cognito_idp::oauth::{AuthorizationRequest, OAuthClient, OAuthError, PendingAuthorization};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::args::{client_secret, Args};
use crate::fail::Fail;
use crate::output;

/// The longest request line and headers the listener reads from the browser.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

fn oauth_fail(e: OAuthError) -> Fail {
    Fail(e.to_string())
}

pub async fn run(args: &Args) -> Result<(), Fail> {
    let what = if args.hosted_ui {
        "--hosted-ui"
    } else {
        "--client-credentials"
    };
    let domain = args
        .domain
        .as_deref()
        .ok_or_else(|| format!("{what} needs --domain (the user pool domain's URL)"))?;
    let client_id = args
        .client_id
        .as_deref()
        .ok_or_else(|| format!("{what} needs --client-id"))?;
    let client = OAuthClient::new(domain, client_id)
        .map_err(oauth_fail)?
        .with_optional_client_secret(client_secret(args));
    let (tokens, title) = if args.hosted_ui {
        let tokens = hosted_ui(args, &client).await?;
        let who = tokens.username().unwrap_or_else(|| "(unknown user)".into());
        (
            tokens,
            format!("Signed in as {who} with the hosted UI (authorization code + PKCE)"),
        )
    } else {
        if client_secret(args).is_none() {
            return Err("--client-credentials needs the app client's secret (--client-secret or COGNITO_CLIENT_SECRET)".into());
        }
        let tokens = client
            .client_credentials(&args.scopes())
            .await
            .map_err(oauth_fail)?;
        let scope = tokens
            .access_claims_unverified()
            .and_then(|c| c.get_str("scope").map(str::to_owned))
            .unwrap_or_default();
        (
            tokens,
            format!(
                "Access token for app client {client_id} with client_credentials (scope: {scope})"
            ),
        )
    };
    if args.json {
        println!("{}", output::tokens_json(&tokens));
    } else {
        print!("{}", output::titled_summary(&tokens, &title));
    }
    Ok(())
}

async fn hosted_ui(args: &Args, client: &OAuthClient) -> Result<Tokens, Fail> {
    let path = &args.redirect_path;
    if !path.starts_with('/') || path.contains(['?', '#', ' ']) {
        return Err(format!("--redirect-path {path:?} must start with / and have no query").into());
    }
    let port = args.redirect_port;
    // Listening before the browser opens, so the redirect cannot arrive first.
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port} for the redirect: {e}"))?;
    let port = listener.local_addr()?.port();
    let redirect_uri = format!("http://localhost:{port}{path}");
    let mut request = AuthorizationRequest::new(&redirect_uri);
    for s in args.scopes() {
        request = request.scope(s);
    }
    let pending = client.authorize(&request).map_err(oauth_fail)?;
    eprintln!(
        "Open this URL in a browser to sign in:\n  {}",
        pending.url()
    );
    if !args.no_browser {
        open_browser(pending.url());
    }
    eprintln!("waiting for the redirect to {redirect_uri} ...");
    let wait = Duration::from_secs(args.redirect_timeout);
    let code = tokio::time::timeout(wait, receive_redirect(&listener, path, &pending))
        .await
        .map_err(|_| {
            format!(
                "no redirect to {redirect_uri} within {} s (is it one of the app client's callback URLs?)",
                wait.as_secs()
            )
        })??;
    eprintln!("← authorization code received; exchanging it at the token endpoint");
    let tokens = client
        .exchange_code(&pending, &code)
        .await
        .map_err(oauth_fail)?;
    check_nonce(&tokens, &pending)?;
    Ok(tokens)
}

/// The ID token must carry the nonce this request sent (replayed ID tokens do not).
fn check_nonce(tokens: &Tokens, pending: &PendingAuthorization) -> Result<(), Fail> {
    let (Some(id), Some(nonce)) = (tokens.id_token(), pending.nonce()) else {
        return Ok(());
    };
    let got = unverified_claims(id.expose()).and_then(|c| c.get_str("nonce").map(str::to_owned));
    if got.as_deref() != Some(nonce.expose()) {
        return Err("the ID token's nonce is not the one sent with the authorize request".into());
    }
    Ok(())
}

/// Tries the desktop's browser; the URL is printed anyway.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let mut candidates: Vec<Vec<String>> = Vec::new();
    if let Ok(b) = std::env::var("BROWSER") {
        candidates.push(vec![b]);
    }
    if cfg!(target_os = "macos") {
        candidates.push(vec!["open".into()]);
    } else if cfg!(windows) {
        candidates.push(vec![
            "cmd".into(),
            "/C".into(),
            "start".into(),
            String::new(),
        ]);
    } else {
        candidates.push(vec!["xdg-open".into()]);
    }
    for c in candidates {
        let spawned = Command::new(&c[0])
            .args(&c[1..])
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
    eprintln!("(could not open a browser: open the URL above yourself)");
}

/// Serves the loopback redirect: other paths get 404 and are waited past; the redirect itself
/// ends the wait, with the code if its state matches.
async fn receive_redirect(
    listener: &TcpListener,
    path: &str,
    pending: &PendingAuthorization,
) -> Result<cognito_idp::oauth::AuthorizationCode, Fail> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        let Some(target) = read_request_target(&mut stream).await else {
            respond(&mut stream, "400 Bad Request", "Not an HTTP GET request.").await;
            continue;
        };
        let (request_path, query) = target.split_once('?').unwrap_or((&target, ""));
        if request_path != path {
            respond(&mut stream, "404 Not Found", "Nothing here.").await;
            continue;
        }
        return match pending.accept_redirect(query) {
            Ok(code) => {
                respond(
                    &mut stream,
                    "200 OK",
                    "Signed in. You can close this window and go back to the terminal.",
                )
                .await;
                Ok(code)
            }
            Err(e) => {
                respond(
                    &mut stream,
                    "400 Bad Request",
                    &format!("Sign-in failed: {e}"),
                )
                .await;
                Err(oauth_fail(e))
            }
        };
    }
}

/// The target of a `GET` request line, read with a size and time limit.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    let read = async {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_REQUEST_BYTES {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Some(())
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let text = String::from_utf8_lossy(&buf);
    let line = text.lines().next()?;
    let mut parts = line.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cognito-login</title></head>\
         <body><main><h1>cognito-login</h1><p role=\"status\">{escaped}</p></main></body></html>\n"
    );
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}
