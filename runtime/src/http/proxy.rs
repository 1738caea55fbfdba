//! Proxies for the default client, named as curl reads them: `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` (or lower case). HTTPS goes through a `CONNECT` tunnel, plain HTTP
//! is sent to the proxy in absolute form; `user:password@` in the proxy URL becomes
//! `Proxy-Authorization: Basic`. Parsing and `NO_PROXY` matching are hyper-util's. Only
//! `http://` proxies are supported (no TLS to the proxy, no SOCKS): another one is an error
//! when a request would use it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::uri::Scheme;
use http::{HeaderValue, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which proxy, if any, serves a destination.
#[derive(Clone)]
pub(crate) struct Proxies {
    matcher: Arc<Matcher>,
    configured: bool,
}

impl Proxies {
    /// From environment variables, read through `get`.
    pub(crate) fn from_vars(get: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: [&str; 2]| {
            names
                .iter()
                .find_map(|n| get(n).filter(|v| !v.trim().is_empty()))
                .unwrap_or_default()
        };
        // httpoxy: under CGI, `HTTP_PROXY` may have come from a request's `Proxy:` header.
        let http = match get("REQUEST_METHOD") {
            Some(_) => String::new(),
            None => first(["HTTP_PROXY", "http_proxy"]),
        };
        let all = first(["ALL_PROXY", "all_proxy"]);
        let https = first(["HTTPS_PROXY", "https_proxy"]);
        let configured = !(all.is_empty() && http.is_empty() && https.is_empty());
        let matcher = Matcher::builder()
            .all(all)
            .http(http)
            .https(https)
            .no(first(["NO_PROXY", "no_proxy"]))
            .build();
        Proxies {
            matcher: Arc::new(matcher),
            configured,
        }
    }

    /// From the process environment.
    pub(crate) fn from_process_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// The `Proxy-Authorization` a plain-HTTP request to `dst` carries: the proxy sees the
    /// request itself (a tunnel's credentials go with its `CONNECT`).
    pub(crate) fn http_authorization(&self, dst: &Uri) -> Option<HeaderValue> {
        if !self.configured || dst.scheme() != Some(&Scheme::HTTP) {
            return None;
        }
        let mut value = self.matcher.intercept(dst)?.basic_auth()?.clone();
        value.set_sensitive(true);
        Some(value)
    }
}

/// TCP straight to the destination, or to the proxy that serves it.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    pub(crate) direct: HttpConnector,
    pub(crate) proxies: Proxies,
}

impl Service<Uri> for ProxyConnector {
    type Response = MaybeProxied;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<MaybeProxied, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        let intercept = match self.proxies.configured {
            true => self.proxies.matcher.intercept(&dst),
            false => None,
        };
        Box::pin(async move {
            let Some(proxy) = intercept else {
                let io = direct.call(dst).await?;
                return Ok(MaybeProxied {
                    io,
                    absolute_form: false,
                });
            };
            let proxy_uri = proxy.uri().clone();
            if proxy_uri.scheme() != Some(&Scheme::HTTP) {
                return Err(format!(
                    "the proxy for {} is {}://{}: only http:// proxies are supported",
                    dst.host().unwrap_or_default(),
                    proxy_uri.scheme_str().unwrap_or_default(),
                    proxy_uri.host().unwrap_or_default(),
                )
                .into());
            }
            if dst.scheme() == Some(&Scheme::HTTPS) {
                let mut tunnel = Tunnel::new(proxy_uri, direct);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
                let io = tunnel.call(dst).await?;
                Ok(MaybeProxied {
                    io,
                    absolute_form: false,
                })
            } else {
                let io = direct.call(proxy_uri).await?;
                Ok(MaybeProxied {
                    io,
                    absolute_form: true,
                })
            }
        })
    }
}

/// A connection, and whether requests on it go to a proxy in absolute form.
pub(crate) struct MaybeProxied {
    io: TokioIo<TcpStream>,
    absolute_form: bool,
}

impl Connection for MaybeProxied {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.absolute_form)
    }
}

impl Read for MaybeProxied {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for MaybeProxied {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(vars: &[(&str, &str)]) -> Proxies {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn target(p: &Proxies, uri: &str) -> Option<String> {
        let uri: Uri = uri.parse().unwrap();
        p.matcher.intercept(&uri).map(|i| i.uri().to_string())
    }

    #[test]
    fn variables_as_curl_reads_them() {
        let p = proxies(&[
            ("https_proxy", "http://127.0.0.1:3128"),
            ("HTTP_PROXY", "http://user:pw@127.0.0.1:8080"),
            ("NO_PROXY", "internal.example, 10.0.0.0/8"),
        ]);
        assert!(p.configured);
        assert_eq!(
            target(&p, "https://cognito-idp.us-east-1.amazonaws.com/").as_deref(),
            Some("http://127.0.0.1:3128/")
        );
        assert_eq!(
            target(&p, "http://h.example/").as_deref(),
            Some("http://127.0.0.1:8080/")
        );
        assert_eq!(target(&p, "https://a.internal.example/"), None);
        assert_eq!(target(&p, "http://10.1.2.3:9/"), None);
        let auth = p
            .http_authorization(&"http://h.example/".parse().unwrap())
            .unwrap();
        assert!(auth.is_sensitive());
        assert_eq!(auth, "Basic dXNlcjpwdw==");
        assert_eq!(
            p.http_authorization(&"https://h.example/".parse().unwrap()),
            None
        );
    }

    #[test]
    fn all_proxy_cgi_and_nothing() {
        let all = proxies(&[("ALL_PROXY", "http://127.0.0.1:1")]);
        assert!(target(&all, "https://x.example/").is_some());
        assert!(target(&all, "http://x.example/").is_some());
        let cgi = proxies(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker.example:1"),
        ]);
        assert_eq!(target(&cgi, "http://x.example/"), None);
        let none = proxies(&[]);
        assert!(!none.configured);
        assert_eq!(target(&none, "https://x.example/"), None);
    }
}
