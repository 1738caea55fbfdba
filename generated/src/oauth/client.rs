//! The OAuth 2.0 client of a user pool domain: the authorize URL (PKCE S256, state, nonce),
//! the code exchange, refresh, revocation, userInfo and client_credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use awsjson_runtime::http::{
    DefaultHttpClient, HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse,
};
use base64::Engine as _;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::pkce::{random_token, Pkce};
use super::OAuthError;
use crate::auth::{Secret, Tokens};

const TOKEN: &str = "/oauth2/token";
const REVOKE: &str = "/oauth2/revoke";
const USER_INFO: &str = "/oauth2/userInfo";

/// The default client's connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Each request, sent and answered in full.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest reply read (token, userInfo and error replies are a few KiB).
const MAX_REPLY: usize = 1024 * 1024;

/// An app client on a user pool domain. Cheap to clone (the HTTP client is shared). Requests go
/// through the runtime's [`HttpClient`] ([`DefaultHttpClient`] unless
/// [`Self::with_http_client`] names another), 30 s each, redirects not followed.
///
/// The domain is the base URL of the pool's domain: `https://{prefix}.auth.{region}.amazoncognito.com`,
/// a custom domain, or a local emulator's `http://127.0.0.1:PORT/domain/{prefix}`. Plain HTTP
/// is accepted only for loopback hosts.
#[derive(Clone)]
pub struct OAuthClient {
    http: Arc<dyn HttpClient>,
    /// `scheme://host[:port][/path]`, without a trailing `/`.
    domain: String,
    client_id: String,
    client_secret: Option<Secret>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("domain", &self.domain)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

/// What to ask the authorize endpoint for.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    redirect_uri: String,
    scopes: Vec<String>,
    identity_provider: Option<String>,
    nonce: bool,
}

impl AuthorizationRequest {
    /// A code grant for `redirect_uri` (one of the app client's callback URLs), with PKCE,
    /// a random `state` and a random `nonce`; no scope named, so the client's allowed scopes.
    pub fn new(redirect_uri: impl Into<String>) -> Self {
        AuthorizationRequest {
            redirect_uri: redirect_uri.into(),
            scopes: Vec::new(),
            identity_provider: None,
            nonce: true,
        }
    }

    /// Adds a scope (`openid`, `email`, `resource-server/scope`, ...).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// `identity_provider` (`COGNITO` for the user pool's own users).
    pub fn identity_provider(mut self, provider: impl Into<String>) -> Self {
        self.identity_provider = Some(provider.into());
        self
    }

    /// Leaves the `nonce` out.
    pub fn without_nonce(mut self) -> Self {
        self.nonce = false;
        self
    }
}

/// An authorize request on its way: the URL to open, and what the redirect and the code
/// exchange must be checked against. Keep it until the redirect arrives. `Debug` shows the
/// URL without its query (which holds the state).
#[derive(Clone)]
pub struct PendingAuthorization {
    url: String,
    state: Secret,
    nonce: Option<Secret>,
    pkce: Pkce,
    redirect_uri: String,
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("url", &self.url.split('?').next().unwrap_or_default())
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("pkce", &self.pkce)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// What the redirect brought back: the authorization code, checked against the state.
#[derive(Clone, Debug)]
pub struct AuthorizationCode {
    code: Secret,
}

impl AuthorizationCode {
    /// The code (single use, valid for minutes).
    pub fn code(&self) -> &Secret {
        &self.code
    }
}

impl PendingAuthorization {
    /// The URL to open in the user's browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `state` sent (compare with the redirect's, or use [`Self::accept_redirect`]).
    pub fn state(&self) -> &Secret {
        &self.state
    }

    /// The `nonce` the ID token must carry.
    pub fn nonce(&self) -> Option<&Secret> {
        self.nonce.as_ref()
    }

    /// The PKCE verifier and challenge.
    pub fn pkce(&self) -> &Pkce {
        &self.pkce
    }

    /// The redirect URI the code is bound to.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Reads the redirect: the query string (`code=...&state=...`, with or without `?`) or the
    /// whole redirected URL. The `state` must be this request's (compared in constant time);
    /// an `error=...` redirect becomes [`OAuthError::Authorization`].
    pub fn accept_redirect(&self, redirect: &str) -> Result<AuthorizationCode, OAuthError> {
        let query = match redirect.split_once('?') {
            Some((_, q)) => q,
            None => redirect,
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (k, v) in form_pairs(query) {
            match k.as_str() {
                "code" => code = Some(v),
                "state" => state = Some(v),
                "error" => error = Some(v),
                "error_description" => description = Some(v),
                _ => {}
            }
        }
        let state_ok = state
            .as_deref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(self.state.expose().as_bytes())));
        if let Some(error) = error {
            // An error redirect is reported even without state: it carries no code to misuse.
            return Err(OAuthError::Authorization {
                kind: super::OAuthErrorKind::from_code(&error),
                description,
            });
        }
        if !state_ok {
            return Err(OAuthError::StateMismatch);
        }
        match code {
            Some(c) if !c.is_empty() => Ok(AuthorizationCode {
                code: Secret::new(c),
            }),
            _ => Err(OAuthError::MissingCode),
        }
    }
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    id_token: Option<String>,
    refresh_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorReply {
    error: String,
    error_description: Option<String>,
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

impl OAuthClient {
    /// For an app client without a secret (a public client: apps, CLIs).
    pub fn new(domain: &str, client_id: impl Into<String>) -> Result<Self, OAuthError> {
        let text = domain.trim().trim_end_matches('/');
        let text = if text.contains("://") {
            text.to_owned()
        } else {
            format!("https://{text}")
        };
        let uri: http::Uri = text
            .parse()
            .map_err(|e| OAuthError::Config(format!("domain {text:?} is not a URL: {e}")))?;
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        if authority.contains('@') {
            return Err(OAuthError::Config(format!(
                "domain {text:?} must not hold credentials"
            )));
        }
        let host = uri.host().filter(|h| !h.is_empty());
        let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
        match (scheme.as_deref(), host) {
            (Some("https"), Some(_)) => {}
            (Some("http"), Some(h)) if is_loopback(h) => {}
            (Some("http"), Some(_)) => {
                return Err(OAuthError::Config(format!(
                    "domain {text:?}: plain http is only for local emulators (localhost, 127.0.0.1); use https"
                )))
            }
            _ => return Err(OAuthError::Config(format!("domain {text:?} is not an http(s) URL"))),
        }
        if uri.query().is_some() || text.contains('#') {
            return Err(OAuthError::Config(format!(
                "domain {text:?} must not have a query or fragment"
            )));
        }
        let client_id = client_id.into();
        if client_id.is_empty() {
            return Err(OAuthError::Config("the client id is empty".into()));
        }
        let http = DefaultHttpClient::new(CONNECT_TIMEOUT)
            .map_err(|e| OAuthError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(OAuthClient {
            http: Arc::new(http),
            domain: text,
            client_id,
            client_secret: None,
        })
    }

    /// The app client's secret (confidential clients; required for client_credentials). It is
    /// sent with HTTP Basic authentication.
    pub fn with_client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The secret if there is one.
    pub fn with_optional_client_secret(mut self, secret: Option<Secret>) -> Self {
        self.client_secret = secret;
        self
    }

    /// Uses this HTTP client (a proxy, root certificates, a test transport): the runtime's
    /// [`HttpClient`] trait, as [`awsjson_runtime::ConfigBuilder::http_client`] takes it. It
    /// should not follow redirects. The 30 s request timeout still applies.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = http;
        self
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL of an endpoint of the domain (`/oauth2/token`, `/logout`, ...).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.domain)
    }

    /// Starts a code grant: the authorize URL with `response_type=code`, PKCE (S256), a random
    /// `state` and (unless turned off) a random `nonce`.
    pub fn authorize(
        &self,
        request: &AuthorizationRequest,
    ) -> Result<PendingAuthorization, OAuthError> {
        let pkce = Pkce::generate()?;
        let state = Secret::new(random_token(32)?);
        let nonce = match request.nonce {
            true => Some(Secret::new(random_token(32)?)),
            false => None,
        };
        let mut q = form_urlencoded::Serializer::new(String::new());
        {
            q.append_pair("response_type", "code");
            q.append_pair("client_id", &self.client_id);
            q.append_pair("redirect_uri", &request.redirect_uri);
            q.append_pair("state", state.expose());
            if !request.scopes.is_empty() {
                q.append_pair("scope", &request.scopes.join(" "));
            }
            if let Some(n) = &nonce {
                q.append_pair("nonce", n.expose());
            }
            if let Some(p) = &request.identity_provider {
                q.append_pair("identity_provider", p);
            }
            q.append_pair("code_challenge_method", "S256");
            q.append_pair("code_challenge", pkce.challenge());
        }
        Ok(PendingAuthorization {
            url: format!("{}?{}", self.endpoint("/oauth2/authorize"), q.finish()),
            state,
            nonce,
            pkce,
            redirect_uri: request.redirect_uri.clone(),
        })
    }

    /// The URL that signs the browser out of managed login and returns to `logout_uri` (one of
    /// the app client's sign-out URLs).
    pub fn logout_url(&self, logout_uri: &str) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("logout_uri", logout_uri)
            .finish();
        format!("{}?{query}", self.endpoint("/logout"))
    }

    /// Exchanges the code from the redirect for tokens (with the PKCE verifier and the same
    /// redirect URI).
    pub async fn exchange_code(
        &self,
        pending: &PendingAuthorization,
        code: &AuthorizationCode,
    ) -> Result<Tokens, OAuthError> {
        let form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.code.expose().to_owned()),
            ("redirect_uri", pending.redirect_uri.clone()),
            ("code_verifier", pending.pkce.verifier().expose().to_owned()),
        ];
        self.token_request(form, None).await
    }

    /// New ID and access tokens for a refresh token (the refresh token is kept in the result).
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<Tokens, OAuthError> {
        let form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh_token.expose().to_owned()),
        ];
        self.token_request(form, Some(refresh_token)).await
    }

    /// A machine-to-machine access token for `scopes` (custom scopes of resource servers; none
    /// named = all the client's). Not cached: see [`super::ClientCredentials`].
    pub async fn client_credentials(&self, scopes: &[String]) -> Result<Tokens, OAuthError> {
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        if !scopes.is_empty() {
            form.push(("scope", scopes.join(" ")));
        }
        self.token_request(form, None).await
    }

    /// Revokes a refresh token and the access tokens issued from it.
    pub async fn revoke(&self, refresh_token: &Secret) -> Result<(), OAuthError> {
        let form = vec![("token", refresh_token.expose().to_owned())];
        let response = self.post_form(REVOKE, form).await?;
        let status = response.status();
        if status == StatusCode::OK {
            return Ok(());
        }
        Err(endpoint_error(REVOKE, status, response.body()))
    }

    /// The user's attributes for an access token from the token endpoint (scope `openid`).
    pub async fn user_info(
        &self,
        access_token: &Secret,
    ) -> Result<serde_json::Map<String, serde_json::Value>, OAuthError> {
        let bearer = secret_header("Bearer ", access_token.expose(), "the access token")?;
        let request = self
            .request(Method::GET, USER_INFO)
            .header(AUTHORIZATION, bearer)
            .body(Vec::new())
            .map_err(|e| {
                OAuthError::Config(format!("cannot build the {USER_INFO} request: {e}"))
            })?;
        let response = self.send(request, USER_INFO).await?;
        let status = response.status();
        let www = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.into_body();
        if status != StatusCode::OK {
            let mut e = endpoint_error(USER_INFO, status, &body);
            if let (OAuthError::InvalidResponse { .. }, Some(www)) = (&e, www) {
                e = bearer_challenge_error(status, &www).unwrap_or(e);
            }
            return Err(e);
        }
        serde_json::from_slice(&body).map_err(|e| OAuthError::InvalidResponse {
            endpoint: USER_INFO,
            status: status.as_u16(),
            reason: format!("not a JSON object: {e}"),
        })
    }

    fn request(&self, method: Method, endpoint: &'static str) -> http::request::Builder {
        http::Request::builder()
            .method(method)
            .uri(self.endpoint(endpoint))
            .header(ACCEPT, "application/json")
    }

    /// One request through the HTTP client, within [`REQUEST_TIMEOUT`].
    async fn send(
        &self,
        request: HttpRequest,
        endpoint: &'static str,
    ) -> Result<HttpResponse, OAuthError> {
        match tokio::time::timeout(REQUEST_TIMEOUT, self.http.send(request, MAX_REPLY)).await {
            Ok(reply) => reply.map_err(OAuthError::Transport),
            Err(_) => Err(OAuthError::Transport(HttpError::new(
                HttpErrorKind::Timeout,
                format!("{endpoint} did not answer within {REQUEST_TIMEOUT:?}"),
            ))),
        }
    }

    async fn post_form(
        &self,
        endpoint: &'static str,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<HttpResponse, OAuthError> {
        let mut request = self
            .request(Method::POST, endpoint)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        match &self.client_secret {
            Some(secret) => {
                let pair = format!(
                    "{}:{}",
                    form_encode(&self.client_id),
                    form_encode(secret.expose())
                );
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                request = request.header(
                    AUTHORIZATION,
                    secret_header("Basic ", &encoded, "the client credentials")?,
                );
            }
            None => form.push(("client_id", self.client_id.clone())),
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let request = request
            .body(body.into_bytes())
            .map_err(|e| OAuthError::Config(format!("cannot build the {endpoint} request: {e}")))?;
        self.send(request, endpoint).await
    }

    async fn token_request(
        &self,
        form: Vec<(&'static str, String)>,
        previous_refresh: Option<&Secret>,
    ) -> Result<Tokens, OAuthError> {
        let response = self.post_form(TOKEN, form).await?;
        let status = response.status();
        let body = response.into_body();
        if status != StatusCode::OK {
            return Err(endpoint_error(TOKEN, status, &body));
        }
        let reply: TokenReply =
            serde_json::from_slice(&body).map_err(|e| OAuthError::InvalidResponse {
                endpoint: TOKEN,
                status: status.as_u16(),
                reason: format!("not a token response: {e}"),
            })?;
        Ok(Tokens::from_oauth(
            Secret::new(reply.access_token),
            reply.id_token.map(Secret::new),
            reply
                .refresh_token
                .map(Secret::new)
                .or_else(|| previous_refresh.cloned()),
            reply.token_type,
            reply.expires_in,
        ))
    }
}

/// RFC 6749 2.3.1: the client id and secret are form-encoded before Basic authentication.
fn form_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// An `Authorization` value, marked sensitive; a value no header can carry is refused without
/// showing it.
fn secret_header(scheme: &str, value: &str, what: &str) -> Result<HeaderValue, OAuthError> {
    let mut header = HeaderValue::from_str(&format!("{scheme}{value}")).map_err(|_| {
        OAuthError::Config(format!(
            "{what} holds characters an HTTP header cannot carry"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

fn endpoint_error(endpoint: &'static str, status: StatusCode, body: &[u8]) -> OAuthError {
    match serde_json::from_slice::<ErrorReply>(body) {
        Ok(e) => OAuthError::Endpoint {
            endpoint,
            status: status.as_u16(),
            kind: super::OAuthErrorKind::from_code(&e.error),
            description: e.error_description,
        },
        Err(_) => OAuthError::InvalidResponse {
            endpoint,
            status: status.as_u16(),
            reason: format!(
                "not an OAuth error: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ),
        },
    }
}

/// `WWW-Authenticate: Bearer error="invalid_token", error_description="..."`.
fn bearer_challenge_error(status: StatusCode, header: &str) -> Option<OAuthError> {
    let value = |name: &str| {
        let start = header.find(&format!("{name}=\""))? + name.len() + 2;
        let end = header[start..].find('"')? + start;
        Some(header[start..end].to_owned())
    };
    Some(OAuthError::Endpoint {
        endpoint: USER_INFO,
        status: status.as_u16(),
        kind: super::OAuthErrorKind::from_code(&value("error")?),
        description: value("error_description"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::OAuthErrorKind;

    #[test]
    fn authorize_url_and_redirect() {
        let c = OAuthClient::new("http://127.0.0.1:9/domain/x/", "client1").unwrap();
        let p = c
            .authorize(
                &AuthorizationRequest::new("http://localhost:8/cb")
                    .scope("openid")
                    .scope("email"),
            )
            .unwrap();
        let url: http::Uri = p.url().parse().unwrap();
        assert_eq!(url.path(), "/domain/x/oauth2/authorize");
        let q: std::collections::HashMap<_, _> =
            form_pairs(url.query().unwrap()).into_iter().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["scope"], "openid email");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"], p.pkce().challenge());
        assert_eq!(q["state"], p.state().expose());
        let ok = p
            .accept_redirect(&format!(
                "http://localhost:8/cb?code=abc&state={}",
                q["state"]
            ))
            .unwrap();
        assert_eq!(ok.code().expose(), "abc");
        assert!(matches!(
            p.accept_redirect("code=abc&state=forged"),
            Err(OAuthError::StateMismatch)
        ));
        assert!(matches!(
            p.accept_redirect("code=abc"),
            Err(OAuthError::StateMismatch)
        ));
        let e = p
            .accept_redirect("error=access_denied&error_description=no")
            .unwrap_err();
        assert_eq!(e.kind(), Some(&OAuthErrorKind::AccessDenied));
        let dbg = format!("{p:?}");
        assert!(!dbg.contains(p.state().expose()), "{dbg}");
        assert!(!dbg.contains(p.pkce().verifier().expose()), "{dbg}");
    }

    #[test]
    fn domains() {
        assert!(OAuthClient::new("x.auth.us-east-1.amazoncognito.com", "c").is_ok());
        assert!(OAuthClient::new("http://example.com", "c").is_err());
        assert!(OAuthClient::new("ftp://example.com", "c").is_err());
        assert!(OAuthClient::new("https://u:p@example.com", "c").is_err());
        assert!(OAuthClient::new("https://example.com/?q=1", "c").is_err());
        assert!(OAuthClient::new("https://example.com/#f", "c").is_err());
        assert!(OAuthClient::new("https://exa mple.com", "c").is_err());
        let local = OAuthClient::new("http://LOCALHOST:9/domain/x/", "c").unwrap();
        assert_eq!(
            local.endpoint(TOKEN),
            "http://LOCALHOST:9/domain/x/oauth2/token"
        );
        assert!(OAuthClient::new("http://[::1]:9", "c").is_ok());
        assert_eq!(
            local.logout_url("http://localhost:8/bye?a=1"),
            "http://LOCALHOST:9/domain/x/logout?client_id=c&logout_uri=http%3A%2F%2Flocalhost%3A8%2Fbye%3Fa%3D1"
        );
        let c = OAuthClient::new("https://d.example.com", "c")
            .unwrap()
            .with_client_secret("s3cr3t-value");
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert_eq!(form_encode("a b+c:d"), "a+b%2Bc%3Ad");
    }

    #[test]
    fn error_bodies() {
        let e = endpoint_error(
            TOKEN,
            StatusCode::BAD_REQUEST,
            br#"{"error":"invalid_grant","error_description":"used"}"#,
        );
        assert_eq!(e.kind(), Some(&OAuthErrorKind::InvalidGrant));
        assert_eq!(e.description(), Some("used"));
        let e = endpoint_error(TOKEN, StatusCode::BAD_GATEWAY, b"<html>");
        assert!(matches!(e, OAuthError::InvalidResponse { status: 502, .. }));
        let e = bearer_challenge_error(
            StatusCode::UNAUTHORIZED,
            "Bearer error=\"invalid_token\", error_description=\"x\"",
        )
        .unwrap();
        assert_eq!(e.kind(), Some(&OAuthErrorKind::InvalidToken));
    }
}
