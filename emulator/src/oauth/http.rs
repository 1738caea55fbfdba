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
//! CPU work) and returns a [`Reply`] (`reply.rs`; the request it gets is in `request.rs`).

use std::sync::Arc;

use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};

use super::reply::Reply;
use super::request::{DomainRequest, Params, Route, DOMAIN_PATH_PREFIX};
use super::{authorize, login, logout, pages, token, userinfo};
use crate::shared::Shared;

/// Forms and token requests are small.
const MAX_FORM_BYTES: usize = 64 * 1024;

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
