//! How the domain endpoints are reached and answered. A domain is served on the emulator's own
//! port in two ways:
//! - under a path: `http://127.0.0.1:PORT/domain/{domain}/oauth2/authorize` (what browsers and
//!   programs use locally), or
//! - by Host: a request whose `Host` is the domain's Cognito host name
//!   (`{prefix}.auth.{region}.amazoncognito.com`, or the custom domain) is served at the root
//!   (`/oauth2/authorize`), for clients that map that name to 127.0.0.1.
//!
//! Requests are read here (query, form body, cookies, Authorization) and handed to the
//! endpoint's handler, which runs on the blocking pool (password checks and RSA signatures are
//! CPU work) and returns a [`Reply`].

use std::sync::Arc;

use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};

use super::{authorize, login, logout, pages, token, userinfo};
use crate::Shared;

/// Path prefix of the domains served under a path.
pub const DOMAIN_PATH_PREFIX: &str = "/domain/";
/// Forms and token requests are small.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Which domain a request is for, and the path within it.
pub(crate) struct Route {
    pub domain: String,
    /// `/domain/{domain}` for path routing, empty for Host routing: links and cookies use it.
    pub base_path: String,
    /// The endpoint path within the domain (`/oauth2/token`).
    pub endpoint: String,
}

/// The route of a domain request, or `None` for the emulator's other paths.
pub(crate) fn route(shared: &Shared, req: &Request<Incoming>) -> Option<Route> {
    let path = req.uri().path();
    if let Some(rest) = path.strip_prefix(DOMAIN_PATH_PREFIX) {
        let (domain, endpoint) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        return Some(Route {
            domain: domain.to_owned(),
            base_path: format!("{DOMAIN_PATH_PREFIX}{domain}"),
            endpoint: endpoint.to_owned(),
        });
    }
    let host = req.headers().get(header::HOST)?.to_str().ok()?;
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let store = shared.store();
    let domain = store
        .oauth
        .domains
        .values()
        .find(|d| d.host_name().eq_ignore_ascii_case(host))?;
    Some(Route {
        domain: domain.domain.clone(),
        base_path: String::new(),
        endpoint: path.to_owned(),
    })
}

/// URL parameters or form fields. Duplicates are kept so they can be refused.
#[derive(Clone, Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(text: &[u8]) -> Self {
        Params(form_urlencoded::parse(text).into_owned().collect())
    }

    /// The first value of a parameter; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that appears more than once (OAuth allows each parameter once).
    pub fn repeated<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names
            .iter()
            .copied()
            .find(|n| self.0.iter().filter(|(k, _)| k == n).count() > 1)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// A request to a domain endpoint, read in full.
pub(crate) struct DomainRequest {
    pub method: Method,
    pub route: Route,
    pub query: Params,
    pub form: Params,
    /// Whether the body was `application/x-www-form-urlencoded`.
    pub form_encoded: bool,
    pub authorization: Option<String>,
    pub cookies: Vec<(String, String)>,
}

impl DomainRequest {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path the managed-login cookie is scoped to.
    pub fn cookie_path(&self) -> &str {
        if self.route.base_path.is_empty() {
            "/"
        } else {
            &self.route.base_path
        }
    }

    /// A path within the domain, as the browser should request it.
    pub fn link(&self, endpoint: &str) -> String {
        format!("{}{endpoint}", self.route.base_path)
    }
}

/// What a handler answers.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(header::HeaderName, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn html(status: StatusCode, page: String) -> Self {
        Reply {
            status,
            headers: vec![
                (header::CONTENT_TYPE, "text/html; charset=utf-8".into()),
                // No scripts, no third-party anything, no framing (clickjacking).
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'".into(),
                ),
                (header::X_FRAME_OPTIONS, "DENY".into()),
                (header::REFERRER_POLICY, "no-referrer".into()),
            ],
            body: page.into_bytes(),
        }
        .no_store()
    }

    /// The JSON endpoints (token, revoke, userInfo) answer any origin, as Cognito's do, so
    /// browser apps can redeem codes with PKCE.
    pub fn json(status: StatusCode, value: serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![
                (
                    header::CONTENT_TYPE,
                    "application/json;charset=UTF-8".into(),
                ),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".into()),
            ],
            body: value.to_string().into_bytes(),
        }
        .no_store()
    }

    /// A CORS preflight answer for the JSON endpoints.
    fn preflight() -> Self {
        Reply::empty(StatusCode::NO_CONTENT)
            .with_header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".into())
            .with_header(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "GET, POST, OPTIONS".into(),
            )
            .with_header(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type".into(),
            )
            .with_header(header::ACCESS_CONTROL_MAX_AGE, "600".into())
    }

    pub fn redirect(location: String) -> Self {
        Reply {
            status: StatusCode::FOUND,
            headers: vec![(header::LOCATION, location)],
            body: Vec::new(),
        }
        .no_store()
    }

    pub fn empty(status: StatusCode) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
        .no_store()
    }

    /// Tokens, codes and pages with session state must not be cached.
    fn no_store(mut self) -> Self {
        self.headers
            .push((header::CACHE_CONTROL, "no-store".into()));
        self.headers.push((header::PRAGMA, "no-cache".into()));
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let mut r = Response::new(Full::new(Bytes::from(self.body)));
        *r.status_mut() = self.status;
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                r.headers_mut().append(name, v);
            }
        }
        r
    }
}

fn cookies(req: &Request<Incoming>) -> Vec<(String, String)> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// Serves one domain request.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    route: Route,
) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let query = Params::parse(req.uri().query().unwrap_or_default().as_bytes());
    let header_text = |name: header::HeaderName| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header_text(header::AUTHORIZATION);
    let form_encoded = header_text(header::CONTENT_TYPE).is_some_and(|t| {
        t.split(';').next().is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    });
    let cookies = cookies(&req);
    let body = match Limited::new(req.into_body(), MAX_FORM_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Reply::html(
                StatusCode::PAYLOAD_TOO_LARGE,
                pages::error_page("The request is too large."),
            )
            .into_response()
        }
    };
    let request = DomainRequest {
        method,
        route,
        query,
        form: if form_encoded {
            Params::parse(&body)
        } else {
            Params::default()
        },
        form_encoded,
        authorization,
        cookies,
    };
    let reply = tokio::task::spawn_blocking(move || dispatch(&shared, &request)).await;
    match reply {
        Ok(reply) => reply.into_response(),
        Err(_) => Reply::html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::error_page("Something went wrong on the server."),
        )
        .into_response(),
    }
}

fn dispatch(shared: &Shared, req: &DomainRequest) -> Reply {
    if !shared.store().oauth.domains.contains_key(&req.route.domain) {
        return Reply::html(
            StatusCode::NOT_FOUND,
            pages::error_page(&format!(
                "There is no user pool domain {:?} on this emulator. Create it with CreateUserPoolDomain.",
                req.route.domain
            )),
        );
    }
    let m = &req.method;
    match req.route.endpoint.as_str() {
        "/oauth2/authorize" if m == Method::GET => authorize::get(shared, req),
        "/login" if m == Method::GET => login::show(shared, req),
        "/login" if m == Method::POST => login::submit(shared, req),
        "/oauth2/token" if m == Method::POST => token::post(shared, req),
        "/oauth2/revoke" if m == Method::POST => token::revoke(shared, req),
        "/oauth2/userInfo" if m == Method::GET || m == Method::POST => userinfo::get(shared, req),
        "/logout" if m == Method::GET => logout::get(shared, req),
        "/oauth2/token" | "/oauth2/revoke" | "/oauth2/userInfo" if m == Method::OPTIONS => {
            Reply::preflight()
        }
        "/oauth2/authorize" | "/login" | "/logout" | "/oauth2/token" | "/oauth2/revoke"
        | "/oauth2/userInfo" => {
            let allow = match req.route.endpoint.as_str() {
                "/login" => "GET, POST",
                "/oauth2/userInfo" => "GET, POST, OPTIONS",
                "/oauth2/token" | "/oauth2/revoke" => "POST, OPTIONS",
                _ => "GET",
            };
            Reply::html(
                StatusCode::METHOD_NOT_ALLOWED,
                pages::error_page(&format!("{} takes {allow} requests.", req.route.endpoint)),
            )
            .with_header(header::ALLOW, allow.into())
        }
        other => Reply::html(
            StatusCode::NOT_FOUND,
            pages::error_page(&format!("No page {other:?} on this domain.")),
        ),
    }
}
