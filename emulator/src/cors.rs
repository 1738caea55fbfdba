//! CORS, so that a page served from anywhere (amplify, amazon-cognito-identity-js) can call the
//! emulator: every response allows the caller's origin and exposes the headers AWS clients
//! read; `OPTIONS` answers preflights for the headers they send (`X-Amz-Target`,
//! `X-Amz-User-Agent`, `Content-Type`, SigV4's, ...). The emulator has no cookies, so nothing
//! is allowed with credentials.

use http::header::{self, HeaderMap, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;
use hyper::body::Bytes;

/// Headers a preflight may ask for when it names none (the union of what AWS SDKs send).
const DEFAULT_ALLOWED_HEADERS: &str = "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control";
/// Response headers a browser script may read.
const EXPOSED_HEADERS: &str = "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date";

/// What a request says about CORS.
pub struct Request {
    origin: Option<HeaderValue>,
    requested_headers: Option<HeaderValue>,
}

impl Request {
    pub fn of(headers: &HeaderMap) -> Self {
        Request {
            origin: headers.get(header::ORIGIN).cloned(),
            requested_headers: headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned(),
        }
    }

    /// Adds the CORS headers to a response (`preflight`: the answer to an `OPTIONS`).
    pub fn apply(&self, headers: &mut HeaderMap, preflight: bool) {
        let origin = self
            .origin
            .clone()
            .unwrap_or_else(|| HeaderValue::from_static("*"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if self.origin.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSED_HEADERS),
        );
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                self.requested_headers
                    .clone()
                    .unwrap_or_else(|| HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS)),
            );
        }
    }
}

/// The answer to an `OPTIONS` preflight (`Request::apply` adds the allowed headers).
pub fn preflight() -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::new()));
    *r.status_mut() = StatusCode::NO_CONTENT;
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    r
}
