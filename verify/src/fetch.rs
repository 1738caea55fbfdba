//! One GET of the JWKS document: a whole-request timeout, a size cap enforced while reading,
//! status and JSON checks, and errors that say which of them failed.

use std::time::Duration;

use reqwest::header::ACCEPT;
use reqwest::{Client, StatusCode, Url};

use crate::error::JwksError;
use crate::jwk::KeySet;

/// Where and how the JWKS is fetched.
#[derive(Debug, Clone)]
pub(crate) struct Fetcher {
    url: Url,
    shown: String,
    client: Client,
    timeout: Duration,
    max_bytes: usize,
}

impl Fetcher {
    pub fn new(url: Url, client: Client, timeout: Duration, max_bytes: usize) -> Self {
        Fetcher {
            shown: shown(&url),
            url,
            client,
            timeout,
            max_bytes,
        }
    }

    /// The URL as errors show it (no user info, no query).
    pub fn url(&self) -> &str {
        &self.shown
    }

    pub async fn fetch(&self) -> Result<KeySet, JwksError> {
        let mut response = self
            .client
            .get(self.url.clone())
            .header(ACCEPT, "application/json")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        if response.status() != StatusCode::OK {
            return Err(JwksError::Status {
                url: self.shown.clone(),
                status: response.status().as_u16(),
            });
        }
        let too_large = || JwksError::TooLarge {
            url: self.shown.clone(),
            max: self.max_bytes,
        };
        if response
            .content_length()
            .is_some_and(|len| len > self.max_bytes as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        KeySet::parse(&body).map_err(|reason| JwksError::Invalid {
            source: self.shown.clone(),
            reason,
        })
    }

    fn transport(&self, e: reqwest::Error) -> JwksError {
        let url = self.shown.clone();
        if e.is_timeout() {
            return JwksError::Timeout {
                url,
                after: self.timeout,
            };
        }
        let reason = root_cause(&e);
        if e.is_connect() {
            JwksError::Connect { url, reason }
        } else {
            JwksError::Transport { url, reason }
        }
    }
}

/// The innermost error's message: reqwest's outer one repeats the URL with its query.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// `scheme://host[:port]/path`: what errors may show of a URL.
fn shown(url: &Url) -> String {
    let mut s = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        s.push_str(&format!(":{port}"));
    }
    s.push_str(url.path());
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_are_shown_without_credentials_or_query() {
        let url = "https://u:p@example.invalid:8443/a/jwks.json?sig=x"
            .parse()
            .unwrap();
        assert_eq!(
            super::shown(&url),
            "https://example.invalid:8443/a/jwks.json"
        );
    }
}
