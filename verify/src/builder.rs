//! Building a [`Verifier`]: what it accepts, and where and how it gets its keys. Every problem
//! is reported by `build()`, so a misconfigured service fails at start-up, not per request.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::claims::Claims;
use crate::error::{ConfigError, JwksError};
use crate::fetch::Fetcher;
use crate::jwk::KeySet;
use crate::keys::KeyCache;
use crate::requirements::{IssuerFormat, Requirement, TokenUse};
use crate::rules::{self, CustomCheck, Rules};
use crate::signature_cache::DEFAULT_SIGNATURE_CACHE_SIZE;
use crate::verifier::{ClientIds, Verifier};

/// Default minimum time between two fetches caused by unknown `kid`s.
pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(10);
/// Default limit for one whole JWKS fetch (connect, headers, body). Cold starts and slow
/// links need more than a second or two.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit for connecting to the JWKS host.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default size cap of a JWKS document (Cognito's is about 1 KiB).
pub const DEFAULT_MAX_JWKS_BYTES: usize = 64 * 1024;

/// Options of a [`Verifier`]; see [`Verifier::builder`].
pub struct VerifierBuilder {
    pool_id: String,
    token_use: Option<TokenUse>,
    client_ids: Option<Option<Vec<String>>>,
    groups: Option<Requirement>,
    scopes: Option<Requirement>,
    leeway: Duration,
    custom: Option<CustomCheck>,
    issuer_format: IssuerFormat,
    additional_regions: Vec<String>,
    issuers: Option<Vec<String>>,
    jwks_url: Option<String>,
    jwks_json: Option<Vec<u8>>,
    allow_http: bool,
    refetch_interval: Duration,
    fetch_timeout: Duration,
    connect_timeout: Duration,
    max_jwks_bytes: usize,
    proxies: Vec<reqwest::Proxy>,
    no_proxy: bool,
    http_client: Option<reqwest::Client>,
    signature_cache_size: usize,
}

/// The ways in: a verifier with the common settings, or a builder for every option.
impl Verifier {
    /// A verifier for `user_pool_id`'s tokens of `token_use` issued to one of `client_ids`,
    /// with the keys fetched from the pool's JWKS URL. For everything else, [`Verifier::builder`].
    pub fn new(
        user_pool_id: &str,
        token_use: TokenUse,
        client_ids: impl Into<ClientIds>,
    ) -> Result<Verifier, ConfigError> {
        let builder = Verifier::builder(user_pool_id).token_use(token_use);
        match client_ids.into() {
            ClientIds::Any => builder.any_client_id(),
            ClientIds::Only(ids) => builder.client_ids(ids),
        }
        .build()
    }

    /// A builder for every option: groups, scopes, leeway, issuers, the JWKS source and fetch
    /// limits, the custom check.
    pub fn builder(user_pool_id: &str) -> VerifierBuilder {
        VerifierBuilder::new(user_pool_id)
    }
}

impl VerifierBuilder {
    pub(crate) fn new(user_pool_id: &str) -> Self {
        VerifierBuilder {
            pool_id: user_pool_id.to_owned(),
            token_use: None,
            client_ids: None,
            groups: None,
            scopes: None,
            leeway: Duration::ZERO,
            custom: None,
            issuer_format: IssuerFormat::Both,
            additional_regions: Vec::new(),
            issuers: None,
            jwks_url: None,
            jwks_json: None,
            allow_http: false,
            refetch_interval: DEFAULT_REFETCH_INTERVAL,
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_jwks_bytes: DEFAULT_MAX_JWKS_BYTES,
            proxies: Vec::new(),
            no_proxy: false,
            http_client: None,
            signature_cache_size: DEFAULT_SIGNATURE_CACHE_SIZE,
        }
    }

    /// Which tokens to accept (required): access, ID, or either.
    pub fn token_use(mut self, token_use: TokenUse) -> Self {
        self.token_use = Some(token_use);
        self
    }

    /// Accept tokens of this app client (`client_id` on access tokens, `aud` on ID tokens).
    pub fn client_id(self, client_id: impl Into<String>) -> Self {
        self.client_ids([client_id.into()])
    }

    /// Accept tokens of any of these app clients.
    pub fn client_ids<I, S>(mut self, client_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client_ids = Some(Some(client_ids.into_iter().map(Into::into).collect()));
        self
    }

    /// Accept tokens of every app client of the pool.
    pub fn any_client_id(mut self) -> Self {
        self.client_ids = Some(None);
        self
    }

    /// Require at least one of these groups in `cognito:groups`.
    pub fn require_any_group<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        groups: I,
    ) -> Self {
        self.groups = Some(Requirement::AnyOf(collect(groups)));
        self
    }

    /// Require every one of these groups in `cognito:groups`.
    pub fn require_all_groups<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        groups: I,
    ) -> Self {
        self.groups = Some(Requirement::AllOf(collect(groups)));
        self
    }

    /// Require at least one of these scopes in `scope`.
    pub fn require_any_scope<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        scopes: I,
    ) -> Self {
        self.scopes = Some(Requirement::AnyOf(collect(scopes)));
        self
    }

    /// Require every one of these scopes in `scope`.
    pub fn require_all_scopes<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        scopes: I,
    ) -> Self {
        self.scopes = Some(Requirement::AllOf(collect(scopes)));
        self
    }

    /// Clock skew allowed on `exp`, `nbf` and `iat` (default none).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// A check of your own, run last, on verified claims; `Err(reason)` refuses the token
    /// with [`VerifyError::Rejected`](crate::VerifyError::Rejected).
    pub fn custom_check<F>(mut self, check: F) -> Self
    where
        F: Fn(&Claims) -> Result<(), String> + Send + Sync + 'static,
    {
        self.custom = Some(Arc::new(check));
        self
    }

    /// Which issuer forms to accept (default both).
    pub fn issuer_format(mut self, format: IssuerFormat) -> Self {
        self.issuer_format = format;
        self
    }

    /// Regions the pool is replicated to (multi-Region replication): their original-form
    /// issuers are accepted too.
    pub fn additional_regions<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        regions: I,
    ) -> Self {
        self.additional_regions = collect(regions);
        self
    }

    /// Accept exactly these issuers instead of the AWS forms (another partition, a test
    /// issuer). The default JWKS URL then derives from the first.
    pub fn issuers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, issuers: I) -> Self {
        self.issuers = Some(collect(issuers));
        self
    }

    /// Fetch keys from this URL instead of `{issuer}/.well-known/jwks.json` (an emulator's).
    /// Must be `https`, except for loopback hosts, unless [`allow_http`](Self::allow_http).
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        self.jwks_url = Some(url.into());
        self
    }

    /// Use the keys of this JWKS document. Offline: nothing is ever fetched, unless a
    /// [`jwks_url`](Self::jwks_url) is given too, which then serves unknown `kid`s.
    pub fn with_jwks(mut self, json: impl AsRef<[u8]>) -> Self {
        self.jwks_json = Some(json.as_ref().to_vec());
        self
    }

    /// Allow an `http://` JWKS URL on a host that is not loopback (a container network).
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// Minimum time between two fetches caused by unknown `kid`s (default 10 s).
    pub fn refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch_interval = interval;
        self
    }

    /// Limit for one whole fetch (default 10 s).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// Limit for connecting (default 5 s; not used with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Size cap of the JWKS document (default 64 KiB).
    pub fn max_jwks_bytes(mut self, max: usize) -> Self {
        self.max_jwks_bytes = max;
        self
    }

    /// Fetch through this proxy. Without one, the `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`
    /// environment is honoured, as reqwest does.
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        self.proxies.push(proxy);
        self
    }

    /// Ignore the proxy environment.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Fetch with this client (its TLS, proxy and connect settings; the fetch timeout and size
    /// cap still apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// How many verified signatures to remember (default
    /// [`DEFAULT_SIGNATURE_CACHE_SIZE`](crate::DEFAULT_SIGNATURE_CACHE_SIZE); 0 switches the
    /// cache off). A token whose exact bytes (signed part and signature) verified under the
    /// same key before skips the RSA check, and only that: its claims (`exp`, `nbf`, `iat`,
    /// `iss`, `token_use`, `client_id` / `aud`, groups, scopes, the custom check) are checked
    /// on every call all the same. Entries are digests, never tokens; the least recently used
    /// go first; a key that leaves the JWKS takes its entries with it.
    pub fn signature_cache_size(mut self, entries: usize) -> Self {
        self.signature_cache_size = entries;
        self
    }

    /// No cache of verified signatures: every verification does the RSA check.
    pub fn no_signature_cache(self) -> Self {
        self.signature_cache_size(0)
    }

    /// The verifier, or the first thing wrong with the options.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let token_use = self.token_use.ok_or(ConfigError::TokenUseNotChosen)?;
        let client_ids = self.client_ids.ok_or(ConfigError::ClientIdNotChosen)?;
        if let Some(ids) = &client_ids {
            if ids.is_empty() || ids.iter().any(String::is_empty) {
                return Err(ConfigError::EmptyClientId);
            }
        }
        let groups = self
            .groups
            .map(|g| rules::validated(g, "groups"))
            .transpose()?;
        let scopes = self
            .scopes
            .map(|s| rules::validated(s, "scopes"))
            .transpose()?;
        rules::pool_region(&self.pool_id)?;
        let issuers = match self.issuers {
            Some(list) if list.is_empty() || list.iter().any(String::is_empty) => {
                return Err(ConfigError::EmptyIssuer)
            }
            Some(list) => list,
            None => rules::issuers(self.issuer_format, &self.pool_id, &self.additional_regions)?,
        };
        let initial = match &self.jwks_json {
            Some(json) => KeySet::parse(json).map_err(|reason| {
                ConfigError::Jwks(JwksError::Invalid {
                    source: "with_jwks".into(),
                    reason,
                })
            })?,
            None => KeySet::default(),
        };
        let url = match (self.jwks_url, &self.jwks_json) {
            (Some(url), _) => Some(url),
            (None, Some(_)) => None,
            (None, None) => Some(format!("{}/.well-known/jwks.json", issuers[0])),
        };
        let fetcher = match url {
            Some(url) => {
                let parsed = check_url(&url, self.allow_http)?;
                let client = match self.http_client {
                    Some(c) => c,
                    None => {
                        let mut b = reqwest::Client::builder()
                            .connect_timeout(self.connect_timeout)
                            .timeout(self.fetch_timeout);
                        if self.no_proxy {
                            b = b.no_proxy();
                        }
                        for p in self.proxies {
                            b = b.proxy(p);
                        }
                        b.build().map_err(|e| ConfigError::HttpClient {
                            reason: e.to_string(),
                        })?
                    }
                };
                Some(Fetcher::new(
                    parsed,
                    client,
                    self.fetch_timeout,
                    self.max_jwks_bytes,
                ))
            }
            None => None,
        };
        let rules = Rules {
            pool_id: self.pool_id,
            issuers,
            token_use,
            client_ids,
            groups,
            scopes,
            leeway: self.leeway,
            custom: self.custom,
        };
        Ok(Verifier {
            rules: Arc::new(rules),
            keys: Arc::new(KeyCache::new(
                initial,
                fetcher,
                self.refetch_interval,
                self.signature_cache_size,
            )),
        })
    }
}

fn collect<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

fn check_url(url: &str, allow_http: bool) -> Result<Url, ConfigError> {
    let bad = |reason| ConfigError::JwksUrl {
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|_| bad("not a URL"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&parsed) => {}
        "http" => {
            return Err(bad(
                "http:// is only for loopback hosts (call allow_http() for others)",
            ))
        }
        _ => return Err(bad("must be https:// (or http:// on loopback)")),
    }
    if parsed.host_str().is_none() {
        return Err(bad("has no host"));
    }
    Ok(parsed)
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
