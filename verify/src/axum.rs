//! An axum/tower layer that verifies `Authorization: Bearer <token>` and hands the claims to
//! handlers through the [`Verified`] extractor (feature `axum`).
//!
//! ```no_run
//! # async fn demo(verifier: cognito_verify::Verifier) {
//! use axum::{routing::get, Router};
//! use cognito_verify::axum::{Verified, VerifyLayer};
//!
//! async fn me(Verified(claims): Verified) -> String {
//!     claims.username().unwrap_or_default().to_owned()
//! }
//! let app: Router = Router::new().route("/me", get(me)).layer(VerifyLayer::new(verifier));
//! # let _ = app; }
//! ```
//!
//! Refusals follow RFC 6750: no credentials → 401 with `WWW-Authenticate: Bearer`; a token
//! that fails verification → 401 with `error="invalid_token"`; a valid token without the
//! required groups or scopes → 403 with `error="insufficient_scope"`; an unusable
//! `Authorization` header → 400 with `error="invalid_request"`; the JWKS unreachable → 503
//! (not the client's fault). The `error_description` is a short phrase without values; the
//! full [`VerifyError`] goes to the `on_refused` callback and into the response's extensions.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Request, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use crate::{Claims, Verifier, VerifyError};

type OnRefused = Arc<dyn Fn(&VerifyError) + Send + Sync>;

/// Verifies the bearer token of every request before the inner service sees it.
#[derive(Clone)]
pub struct VerifyLayer {
    verifier: Verifier,
    on_refused: Option<OnRefused>,
}

impl VerifyLayer {
    /// A layer verifying with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        VerifyLayer {
            verifier,
            on_refused: None,
        }
    }

    /// Called with the full error of each refused token (for logs and metrics).
    pub fn on_refused(mut self, f: impl Fn(&VerifyError) + Send + Sync + 'static) -> Self {
        self.on_refused = Some(Arc::new(f));
        self
    }
}

impl fmt::Debug for VerifyLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyLayer")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for VerifyLayer {
    type Service = VerifyService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        VerifyService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`VerifyLayer`] wraps around the inner one.
#[derive(Clone, Debug)]
pub struct VerifyService<S> {
    inner: S,
    layer: VerifyLayer,
}

impl<S, B, ResBody> Service<Request<B>> for VerifyService<S>
where
    S: Service<Request<B>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        // The clone that was made ready is the one to call (tower's usual swap).
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let layer = self.layer.clone();
        Box::pin(async move {
            let token = match bearer(req.headers()) {
                Ok(t) => t,
                Err(refusal) => return Ok(refusal.response()),
            };
            match layer.verifier.verify(&token).await {
                Ok(claims) => {
                    req.extensions_mut().insert(Verified(claims));
                    inner.call(req).await
                }
                Err(e) => {
                    if let Some(f) = &layer.on_refused {
                        f(&e);
                    }
                    let mut response = Refusal::from(&e).response();
                    response.extensions_mut().insert(e);
                    Ok(response)
                }
            }
        })
    }
}

/// The verified claims of the request, for handlers behind [`VerifyLayer`].
#[derive(Debug, Clone)]
pub struct Verified(pub Claims);

impl<S: Send + Sync> FromRequestParts<S> for Verified {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Verified>().cloned().ok_or_else(|| {
            // A route using the extractor without the layer: the server's mistake.
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "cognito_verify::axum::Verified used on a route without VerifyLayer",
            )
                .into_response()
        })
    }
}

/// How a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    NoCredentials,
    InvalidRequest(&'static str),
    InvalidToken(&'static str),
    InsufficientScope(&'static str),
    Unavailable,
}

impl Refusal {
    fn response<ResBody: Default>(self) -> http::Response<ResBody> {
        let (status, challenge) = match self {
            Refusal::NoCredentials => (StatusCode::UNAUTHORIZED, Some("Bearer".to_owned())),
            Refusal::InvalidRequest(d) => (
                StatusCode::BAD_REQUEST,
                Some(challenge("invalid_request", d)),
            ),
            Refusal::InvalidToken(d) => (
                StatusCode::UNAUTHORIZED,
                Some(challenge("invalid_token", d)),
            ),
            Refusal::InsufficientScope(d) => (
                StatusCode::FORBIDDEN,
                Some(challenge("insufficient_scope", d)),
            ),
            Refusal::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, None),
        };
        let mut response = http::Response::new(ResBody::default());
        *response.status_mut() = status;
        if let Some(c) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response.headers_mut().insert(WWW_AUTHENTICATE, c);
        }
        response
    }
}

fn challenge(error: &str, description: &str) -> String {
    format!("Bearer error=\"{error}\", error_description=\"{description}\"")
}

impl From<&VerifyError> for Refusal {
    fn from(e: &VerifyError) -> Self {
        match e {
            VerifyError::Groups { .. } | VerifyError::Scopes { .. } => {
                Refusal::InsufficientScope(e.summary())
            }
            VerifyError::MissingClaim {
                claim: "cognito:groups" | "scope",
            } => Refusal::InsufficientScope(e.summary()),
            VerifyError::Jwks(_) => Refusal::Unavailable,
            _ => Refusal::InvalidToken(e.summary()),
        }
    }
}

/// The token of the one `Authorization: Bearer` header (scheme case-insensitive, RFC 7235).
fn bearer(headers: &HeaderMap) -> Result<String, Refusal> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Err(Refusal::NoCredentials);
    };
    if values.next().is_some() {
        return Err(Refusal::InvalidRequest(
            "more than one Authorization header",
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| Refusal::InvalidRequest("Authorization header is not ASCII"))?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        // Another scheme: these credentials are not for us; ask for a bearer token.
        return Err(Refusal::NoCredentials);
    }
    let token = token.trim_matches(' ');
    if token.is_empty() || token.contains(' ') {
        return Err(Refusal::InvalidRequest(
            "Authorization: Bearer needs one token",
        ));
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn bearer_header_parsing() {
        assert_eq!(bearer(&headers(&["Bearer abc"])).unwrap(), "abc");
        assert_eq!(bearer(&headers(&["bearer  abc "])).unwrap(), "abc");
        assert_eq!(bearer(&headers(&[])), Err(Refusal::NoCredentials));
        assert_eq!(
            bearer(&headers(&["Basic dXNlcjpwdw=="])),
            Err(Refusal::NoCredentials)
        );
        for bad in [
            &["Bearer"][..],
            &["Bearer  "],
            &["Bearer a b"],
            &["Bearer a", "Bearer b"],
        ] {
            assert!(
                matches!(bearer(&headers(bad)), Err(Refusal::InvalidRequest(_))),
                "{bad:?}"
            );
        }
    }
}
