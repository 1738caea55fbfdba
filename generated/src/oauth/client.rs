//! The OAuth 2.0 client of a user pool domain: the authorize URL (PKCE S256, state, nonce),
//! the code exchange, refresh, revocation, userInfo and client_credentials.

use std::fmt;
use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::pkce::{random_token, Pkce};
use super::OAuthError;
use crate::auth::{Secret, Tokens};

const TOKEN: &str = "/oauth2/token";
const REVOKE: &str = "/oauth2/revoke";
const USER_INFO: &str = "/oauth2/userInfo";

/// An app client on a user pool domain. Cheap to clone (the HTTP client is shared).
///
/// The domain is the base URL of the pool's domain: `https://{prefix}.auth.{region}.amazoncognito.com`,
/// a custom domain, or a local emulator's `http://127.0.0.1:PORT/domain/{prefix}`. Plain HTTP
/// is accepted only for loopback hosts.
#[derive(Clone)]
pub struct OAuthClient {
    http: reqwest::Client,
    domain: Url,
    client_id: String,
    client_secret: Option<Secret>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("domain", &self.domain.as_str())
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
    Url::parse("http://x/")
        .map(|mut u| {
            u.set_query(Some(query));
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
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
    host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1"
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
        let domain = Url::parse(&text)
            .map_err(|e| OAuthError::Config(format!("domain {text:?} is not a URL: {e}")))?;
        match (domain.scheme(), domain.host_str()) {
            ("https", Some(_)) => {}
            ("http", Some(h)) if is_loopback(h) => {}
            ("http", Some(_)) => {
                return Err(OAuthError::Config(format!(
                    "domain {text:?}: plain http is only for local emulators (localhost, 127.0.0.1); use https"
                )))
            }
            _ => return Err(OAuthError::Config(format!("domain {text:?} is not an http(s) URL"))),
        }
        if domain.query().is_some() || domain.fragment().is_some() {
            return Err(OAuthError::Config(format!(
                "domain {text:?} must not have a query or fragment"
            )));
        }
        let client_id = client_id.into();
        if client_id.is_empty() {
            return Err(OAuthError::Config("the client id is empty".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| OAuthError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(OAuthClient {
            http,
            domain,
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

    /// Uses this HTTP client (proxies, custom timeouts, root certificates). It should not
    /// follow redirects.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The URL of an endpoint of the domain (`/oauth2/token`, `/logout`, ...).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.domain.as_str().trim_end_matches('/'))
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
        let mut url = Url::parse(&self.endpoint("/oauth2/authorize"))
            .map_err(|e| OAuthError::Config(e.to_string()))?;
        {
            let mut q = url.query_pairs_mut();
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
            url: url.into(),
            state,
            nonce,
            pkce,
            redirect_uri: request.redirect_uri.clone(),
        })
    }

    /// The URL that signs the browser out of managed login and returns to `logout_uri` (one of
    /// the app client's sign-out URLs).
    pub fn logout_url(&self, logout_uri: &str) -> String {
        let mut url = match Url::parse(&self.endpoint("/logout")) {
            Ok(u) => u,
            Err(_) => return self.endpoint("/logout"),
        };
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("logout_uri", logout_uri);
        url.into()
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
        let body = response.bytes().await?;
        Err(endpoint_error(REVOKE, status, &body))
    }

    /// The user's attributes for an access token from the token endpoint (scope `openid`).
    pub async fn user_info(
        &self,
        access_token: &Secret,
    ) -> Result<serde_json::Map<String, serde_json::Value>, OAuthError> {
        let response = self
            .http
            .get(self.endpoint(USER_INFO))
            .bearer_auth(access_token.expose())
            .send()
            .await?;
        let status = response.status();
        let www = response
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await?;
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

    async fn post_form(
        &self,
        endpoint: &'static str,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<reqwest::Response, OAuthError> {
        let mut request = self.http.post(self.endpoint(endpoint));
        match &self.client_secret {
            Some(secret) => {
                request = request.basic_auth(
                    form_encode(&self.client_id),
                    Some(form_encode(secret.expose())),
                );
            }
            None => form.push(("client_id", self.client_id.clone())),
        }
        let body = {
            let mut s = Url::parse("http://x/").map_err(|e| OAuthError::Config(e.to_string()))?;
            s.query_pairs_mut()
                .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())));
            s.query().unwrap_or_default().to_owned()
        };
        Ok(request
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await?)
    }

    async fn token_request(
        &self,
        form: Vec<(&'static str, String)>,
        previous_refresh: Option<&Secret>,
    ) -> Result<Tokens, OAuthError> {
        let response = self.post_form(TOKEN, form).await?;
        let status = response.status();
        let body = response.bytes().await?;
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
    let mut u = match Url::parse("http://x/") {
        Ok(u) => u,
        Err(_) => return text.to_owned(),
    };
    u.query_pairs_mut().append_pair("v", text);
    u.query()
        .and_then(|q| q.strip_prefix("v="))
        .unwrap_or(text)
        .to_owned()
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
        let url = Url::parse(p.url()).unwrap();
        assert_eq!(url.path(), "/domain/x/oauth2/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
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
