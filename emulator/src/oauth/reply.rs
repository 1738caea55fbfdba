//! What a domain endpoint answers: a page, JSON, a redirect, with the headers every answer of
//! the managed login carries (no caching, no framing).

use http::{header, HeaderValue, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Bytes;

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
    pub(super) fn preflight() -> Self {
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

    pub(super) fn into_response(self) -> Response<Full<Bytes>> {
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
