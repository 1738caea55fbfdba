//! The injectable HTTP client: a small trait, and the default implementation on hyper
//! (hyper-util's pooled client, rustls on ring with the webpki roots, HTTP/1.1 keep-alive).
//! Another transport (a proxy, custom roots, a test double) implements [`HttpClient`] and is
//! given to [`crate::ConfigBuilder::http_client`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

mod proxy;

pub(crate) use proxy::Proxies;
use proxy::ProxyConnector;

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

/// The default client: hyper-util's pooled client over rustls (ring provider, webpki roots,
/// TLS 1.2 and 1.3), HTTP/1.1 with keep-alive (idle connections kept 60 s), `TCP_NODELAY`, no
/// redirects followed. Proxies come from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` /
/// `NO_PROXY` (or lower case; `http://` proxies, HTTPS through `CONNECT`), read when the client
/// is made; for anything else (custom roots, other proxies) implement [`HttpClient`]. Needs a
/// Tokio runtime with I/O and time enabled.
#[derive(Clone)]
pub struct DefaultHttpClient {
    client: Client<HttpsConnector<ProxyConnector>, Full<Bytes>>,
    proxies: Proxies,
}

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient").finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// A client with this connect timeout (TCP connect; the TLS handshake is within the
    /// attempt timeout the runtime applies), and the proxies of the process environment.
    pub fn new(connect_timeout: Duration) -> Result<Self, HttpError> {
        Self::with_proxies(connect_timeout, Proxies::from_process_env())
    }

    pub(crate) fn with_proxies(
        connect_timeout: Duration,
        proxies: Proxies,
    ) -> Result<Self, HttpError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| HttpError::new(HttpErrorKind::Request, error_chain(&e)))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(connect_timeout));
        tcp.set_nodelay(true);
        tcp.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(ProxyConnector {
                direct: tcp,
                proxies: proxies.clone(),
            });
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_timer(TokioTimer::new())
            .build(connector);
        Ok(DefaultHttpClient { client, proxies })
    }
}

impl HttpClient for DefaultHttpClient {
    fn send(
        &self,
        request: HttpRequest,
        max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            if parts.uri.scheme().is_none() || parts.uri.authority().is_none() {
                return Err(HttpError::new(
                    HttpErrorKind::Request,
                    format!("the request URL `{}` is not absolute", parts.uri),
                ));
            }
            if let Some(auth) = self.proxies.http_authorization(&parts.uri) {
                parts
                    .headers
                    .insert(http::header::PROXY_AUTHORIZATION, auth);
            }
            let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
            let response = self.client.request(request).await.map_err(|e| {
                let kind = if is_timeout(&e) {
                    HttpErrorKind::Timeout
                } else if e.is_connect() {
                    HttpErrorKind::Connect
                } else {
                    HttpErrorKind::Io
                };
                HttpError::new(kind, error_chain(&e))
            })?;
            let (parts, mut incoming) = response.into_parts();
            let declared = parts
                .headers
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if declared.is_some_and(|len| len > max_body as u64) {
                return Err(too_large(max_body));
            }
            let mut body = Vec::new();
            while let Some(frame) = incoming.frame().await {
                let frame = frame.map_err(|e| {
                    let kind = match is_timeout(&e) {
                        true => HttpErrorKind::Timeout,
                        false => HttpErrorKind::Io,
                    };
                    HttpError::new(kind, error_chain(&e))
                })?;
                if let Ok(chunk) = frame.into_data() {
                    if body.len() + chunk.len() > max_body {
                        return Err(too_large(max_body));
                    }
                    body.extend_from_slice(&chunk);
                }
            }
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

fn too_large(max: usize) -> HttpError {
    HttpError::new(
        HttpErrorKind::BodyTooLarge,
        format!("response body exceeds the {max}-byte cap"),
    )
}

/// A timeout anywhere in the error's chain: the connect timeout (an I/O `TimedOut`) or one of
/// hyper's.
fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                return true;
            }
        }
        current = err.source();
    }
    false
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
