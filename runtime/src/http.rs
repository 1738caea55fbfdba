//! The injectable HTTP client: a small trait, and the default implementation on reqwest.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request ready to send: method, absolute URL, headers and the body bytes.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A complete response: status, headers and the (capped) body bytes.
pub type HttpResponse = http::Response<Vec<u8>>;

/// Sends one request and reads the whole response.
///
/// Implementations must stop reading once the body exceeds `max_body` bytes and return
/// [`HttpErrorKind::BodyTooLarge`]. The runtime applies the per-attempt and overall timeouts
/// around `send`; the connect timeout is the implementation's job.
pub trait HttpClient: Send + Sync {
    /// Send `request`; read at most `max_body` bytes of body.
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;
}

/// What went wrong below HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// The connection could not be established (refused, DNS, TLS handshake).
    Connect,
    /// The connect timeout (or another timeout inside the client) elapsed.
    Timeout,
    /// The connection broke while sending or receiving (reset, closed early).
    Io,
    /// The response body exceeded the cap.
    BodyTooLarge,
    /// The request could not be built (bad header or URL).
    Request,
}

/// An HTTP-level failure. Its message never holds request or response bodies.
#[derive(Clone, Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    message: String,
}

impl HttpError {
    /// A new error.
    pub fn new(kind: HttpErrorKind, message: impl Into<String>) -> Self {
        HttpError {
            kind,
            message: message.into(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for HttpError {}

/// The default client: reqwest over hyper, rustls with the ring provider, HTTP/1.1 keep-alive.
#[derive(Clone, Debug)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    /// A client with this connect timeout.
    pub fn new(connect_timeout: Duration) -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| HttpError::new(HttpErrorKind::Request, error_chain(&e)))?;
        Ok(ReqwestClient { client })
    }

    /// Wrap a reqwest client you built yourself.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestClient { client }
    }
}

impl HttpClient for ReqwestClient {
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| HttpError::new(HttpErrorKind::Request, error_chain(&e)))?;
            let mut response = self.client.execute(request).await.map_err(classify)?;
            if let Some(len) = response.content_length() {
                if len > max_body as u64 {
                    return Err(too_large(max_body));
                }
            }
            let mut builder = http::Response::builder().status(response.status());
            if let Some(headers) = builder.headers_mut() {
                *headers = std::mem::take(response.headers_mut());
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > max_body {
                    return Err(too_large(max_body));
                }
                body.extend_from_slice(&chunk);
            }
            builder
                .body(body)
                .map_err(|e| HttpError::new(HttpErrorKind::Request, e.to_string()))
        })
    }
}

fn too_large(max: usize) -> HttpError {
    HttpError::new(
        HttpErrorKind::BodyTooLarge,
        format!("response body exceeds the {max}-byte cap"),
    )
}

fn classify(e: reqwest::Error) -> HttpError {
    let kind = if e.is_timeout() {
        HttpErrorKind::Timeout
    } else if e.is_connect() {
        HttpErrorKind::Connect
    } else if e.is_builder() {
        HttpErrorKind::Request
    } else {
        HttpErrorKind::Io
    };
    HttpError::new(kind, error_chain(&e))
}

/// The error and its sources on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
