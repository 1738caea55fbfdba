//! Client configuration: region, endpoint, FIPS / dual-stack, timeouts, retries, HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{Credentials, ProvideCredentials};
use crate::env::{profile_region, service_endpoint_env_var, EnvSource};
use crate::error::ConfigError;
use crate::http::HttpClient;
use crate::retry::RetryConfig;

/// The longest timeout accepted (24 h), so deadlines never overflow.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// Default cap on a response body: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 10 * 1024 * 1024;

/// Timeouts, all on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a TCP (and TLS) connection. Default 3.1 s.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole response. Default 20 s.
    pub attempt: Duration,
    /// The whole call, all attempts and backoff included. Default 60 s.
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_millis(3100),
            attempt: Duration::from_secs(20),
            overall: Duration::from_secs(60),
        }
    }
}

/// Client configuration. Build one with [`Config::builder`] or [`Config::from_env`]; the
/// settings are checked when a [`crate::Handle`] is made from it.
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// Put operations' `smithy.api#endpoint` host prefixes in front of the endpoint's host.
    pub(crate) host_prefix: bool,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) max_response_body: usize,
    pub(crate) app_name: Option<String>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) profile: Option<String>,
    pub(crate) http_client: Option<Arc<dyn HttpClient>>,
    pub(crate) env: EnvSource,
    /// Read endpoint variables from the environment at call time (set by `from_env`).
    pub(crate) endpoint_from_env: bool,
    pub(crate) compression: crate::compression::CompressionConfig,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("host_prefix", &self.host_prefix)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("app_name", &self.app_name)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| crate::REDACTED),
            )
            .field("profile", &self.profile)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("compression", &self.compression)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            host_prefix: true,
            timeouts: Timeouts::default(),
            retry: RetryConfig::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            app_name: None,
            credentials: None,
            profile: None,
            http_client: None,
            env: EnvSource::Process,
            endpoint_from_env: false,
            compression: crate::compression::CompressionConfig::default(),
        }
    }
}

impl Config {
    /// A builder with every default: no region, no endpoint override, timeouts on, 3 attempts.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            config: Config::default(),
            errors: Vec::new(),
        }
    }

    /// A configuration from the process environment (see [`ConfigBuilder::load_env`]); for
    /// more settings on top, use `Config::builder().load_env()`.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::builder().load_env().build()
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The explicit endpoint override, if any (not the one from the environment).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// FIPS endpoints requested.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Dual-stack endpoints requested.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether operations' host prefixes are applied.
    pub fn host_prefix(&self) -> bool {
        self.host_prefix
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The response body cap in bytes.
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
    }

    /// Whether `@requestCompression` operations compress their bodies (default: yes).
    pub fn request_compression_enabled(&self) -> bool {
        !self.compression.disabled
    }

    /// Bodies smaller than this are sent uncompressed (default 10240 bytes).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.compression.min_size_bytes
    }

    /// The endpoint override that applies to a service: the explicit one, else (for configs
    /// from the environment) `AWS_ENDPOINT_URL_<SDK_ID>`, else `AWS_ENDPOINT_URL`.
    pub(crate) fn endpoint_for(&self, sdk_id: &str) -> Option<String> {
        if let Some(url) = &self.endpoint_url {
            return Some(url.clone());
        }
        if !self.endpoint_from_env {
            return None;
        }
        if self
            .env
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return None;
        }
        self.env
            .get(&service_endpoint_env_var(sdk_id))
            .or_else(|| self.env.get("AWS_ENDPOINT_URL"))
    }

    /// Check every setting; the first problem is returned.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        self.compression.check()?;
        if let Some(region) = &self.region {
            check_region(region)?;
        }
        if let Some(url) = &self.endpoint_url {
            check_endpoint_url(url)?;
        }
        if self.region.is_none()
            && self.endpoint_url.is_none()
            && !(self.endpoint_from_env && self.env.has_endpoint_var())
        {
            return Err(ConfigError::MissingRegion);
        }
        let t = &self.timeouts;
        for (name, d) in [
            ("connect", t.connect),
            ("attempt", t.attempt),
            ("overall", t.overall),
        ] {
            if d.is_zero() {
                return Err(ConfigError::InvalidTimeout(format!(
                    "the {name} timeout must be greater than zero"
                )));
            }
        }
        for (name, d) in [
            ("connect", t.connect),
            ("attempt", t.attempt),
            ("overall", t.overall),
        ] {
            if d > MAX_TIMEOUT {
                return Err(ConfigError::InvalidTimeout(format!(
                    "the {name} timeout is longer than 24 hours"
                )));
            }
        }
        if t.attempt > t.overall {
            return Err(ConfigError::InvalidTimeout(
                "the attempt timeout is longer than the overall deadline".into(),
            ));
        }
        self.retry.check()?;
        if self.max_response_body == 0 {
            return Err(ConfigError::InvalidEnv {
                name: "max_response_body".into(),
                reason: "must be greater than zero".into(),
            });
        }
        if let Some(app) = &self.app_name {
            if app.is_empty()
                || app.len() > 50
                || !app
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
            {
                return Err(ConfigError::InvalidEnv {
                    name: "app_name".into(),
                    reason: "1-50 characters of A-Z a-z 0-9 and !#$%&'*+-.^_`|~".into(),
                });
            }
        }
        Ok(())
    }

    /// The `User-Agent` header value for a service.
    pub(crate) fn user_agent(&self, service: &crate::ServiceMeta) -> String {
        let mut ua = format!(
            "awsjson-runtime/{} lang/rust api/{}#{}",
            env!("CARGO_PKG_VERSION"),
            service.sdk_id.replace(' ', "-").to_ascii_lowercase(),
            service.api_version
        );
        if let Some(app) = &self.app_name {
            ua.push_str(" app/");
            ua.push_str(app);
        }
        ua
    }
}

/// Builder for [`Config`]. Setters never fail; problems are reported by
/// [`ConfigBuilder::build`] (and again when a [`crate::Handle`] is made).
#[derive(Debug)]
pub struct ConfigBuilder {
    config: Config,
    errors: Vec<ConfigError>,
}

impl ConfigBuilder {
    /// The region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Send every request to this URL instead of the endpoint the rule set resolves.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.config.use_fips = on;
        self
    }

    /// Use dual-stack (IPv4 + IPv6) endpoints.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config.use_dual_stack = on;
        self
    }

    /// Put an operation's host prefix (`smithy.api#endpoint`, e.g. Step Functions' `sync-`) in
    /// front of the endpoint's host name (on by default, as AWS SDKs do; an IP address is never
    /// prefixed). Turn it off for a proxy or emulator that serves every operation on one host.
    pub fn host_prefix(mut self, on: bool) -> Self {
        self.config.host_prefix = on;
        self
    }

    /// All timeouts at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.connect = d;
        self
    }

    /// The per-attempt timeout.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.attempt = d;
        self
    }

    /// The overall deadline of a call, retries included.
    pub fn overall_timeout(mut self, d: Duration) -> Self {
        self.config.timeouts.overall = d;
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Maximum attempts per call (1 disables retries).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.config.retry.max_attempts = n;
        self
    }

    /// Cap on the response body size in bytes (default 10 MiB).
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config.max_response_body = bytes;
        self
    }

    /// Turn request compression off (`AWS_DISABLE_REQUEST_COMPRESSION`): operations the model
    /// marks `@requestCompression` send their bodies as they are.
    pub fn disable_request_compression(mut self, disabled: bool) -> Self {
        self.config.compression.disabled = disabled;
        self
    }

    /// The body size from which `@requestCompression` operations gzip their bodies
    /// (`AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`; default 10240, at most 10485760).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config.compression.min_size_bytes = bytes;
        self
    }

    /// An application name appended to the `User-Agent` as `app/<name>`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.config.app_name = Some(name.into());
        self
    }

    /// Fixed credentials for SigV4 operations.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider for SigV4 operations (asked only when a SigV4 operation is sent).
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// The shared config/credentials file profile (default: `AWS_PROFILE`, else `default`).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.config.profile = Some(profile.into());
        self
    }

    /// Send requests through this HTTP client instead of the default ([`crate::http::DefaultHttpClient`]:
    /// hyper, rustls with webpki roots).
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// Read environment variables from this fixed set instead of the process environment
    /// (credentials and profile lookups included). Meant for tests and embedding.
    pub fn env_vars<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.config.env = EnvSource::Fixed(Arc::new(map));
        self
    }

    /// Seed unset settings from the environment: `AWS_REGION` / `AWS_DEFAULT_REGION` (else the
    /// profile's `region`), `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_PROFILE`,
    /// `AWS_MAX_ATTEMPTS`; endpoint overrides from `AWS_ENDPOINT_URL_<SDK_ID>` and
    /// `AWS_ENDPOINT_URL` are applied per service when a call is made.
    pub fn load_env(mut self) -> Self {
        let env = self.config.env.clone();
        self.config.endpoint_from_env = true;
        if self.config.profile.is_none() {
            self.config.profile = env.get("AWS_PROFILE");
        }
        if self.config.region.is_none() {
            self.config.region = env
                .get("AWS_REGION")
                .or_else(|| env.get("AWS_DEFAULT_REGION"))
                .or_else(|| profile_region(&env, self.config.profile.as_deref()));
        }
        for (name, slot) in [
            ("AWS_USE_FIPS_ENDPOINT", &mut self.config.use_fips),
            (
                "AWS_USE_DUALSTACK_ENDPOINT",
                &mut self.config.use_dual_stack,
            ),
            (
                "AWS_DISABLE_REQUEST_COMPRESSION",
                &mut self.config.compression.disabled,
            ),
        ] {
            if let Some(v) = env.get(name) {
                match v.trim().to_ascii_lowercase().as_str() {
                    "true" => *slot = true,
                    "false" => *slot = false,
                    _ => self.errors.push(ConfigError::InvalidEnv {
                        name: name.into(),
                        reason: "expected true or false".into(),
                    }),
                }
            }
        }
        if let Some(v) = env.get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
            match v.trim().parse::<u32>() {
                Ok(n) => self.config.compression.min_size_bytes = n,
                Err(_) => self.errors.push(ConfigError::InvalidEnv {
                    name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES".into(),
                    reason: "expected a byte count from 0 to 10485760".into(),
                }),
            }
        }
        if let Some(v) = env.get("AWS_MAX_ATTEMPTS") {
            match v.trim().parse::<u32>() {
                Ok(n) => self.config.retry.max_attempts = n,
                Err(_) => self.errors.push(ConfigError::InvalidEnv {
                    name: "AWS_MAX_ATTEMPTS".into(),
                    reason: "expected a positive integer".into(),
                }),
            }
        }
        self
    }

    /// Finish, checking every setting.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        self.config.check()?;
        Ok(self.config)
    }
}

fn check_region(region: &str) -> Result<(), ConfigError> {
    let ok = !region.is_empty()
        && region.len() <= 63
        && region
            .split('.')
            .all(|l| crate::endpoint::is_valid_host_label(l, false));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::InvalidRegion(region.into()))
    }
}

pub(crate) fn check_endpoint_url(url: &str) -> Result<(), ConfigError> {
    let bad = |reason: &str| ConfigError::InvalidEndpoint {
        url: url.into(),
        reason: reason.into(),
    };
    crate::endpoint::EndpointUrl::parse(url).map_err(|reason| bad(&reason))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_errors() {
        assert_eq!(
            Config::builder().build().unwrap_err(),
            ConfigError::MissingRegion
        );
        assert!(matches!(
            Config::builder().region("us east").build(),
            Err(ConfigError::InvalidRegion(_))
        ));
        assert!(matches!(
            Config::builder().endpoint_url("ftp://x").build(),
            Err(ConfigError::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            Config::builder().endpoint_url("not a url").build(),
            Err(ConfigError::InvalidEndpoint { .. })
        ));
        assert!(matches!(
            Config::builder()
                .region("us-east-1")
                .attempt_timeout(Duration::ZERO)
                .build(),
            Err(ConfigError::InvalidTimeout(_))
        ));
        assert!(matches!(
            Config::builder()
                .region("us-east-1")
                .max_attempts(0)
                .build(),
            Err(ConfigError::InvalidRetry(_))
        ));
        assert!(matches!(
            Config::builder()
                .env_vars([("AWS_USE_FIPS_ENDPOINT", "maybe")])
                .load_env()
                .build(),
            Err(ConfigError::InvalidEnv { .. })
        ));
    }

    #[test]
    fn env_seeds_region_and_endpoints() {
        let cfg = Config::builder()
            .env_vars([
                ("AWS_DEFAULT_REGION", "eu-west-1"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
                (
                    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                    "http://127.0.0.1:2",
                ),
                ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
            ])
            .load_env()
            .build()
            .unwrap();
        assert_eq!(cfg.region(), Some("eu-west-1"));
        assert!(cfg.use_dual_stack());
        assert_eq!(
            cfg.endpoint_for("Cognito Identity Provider").as_deref(),
            Some("http://127.0.0.1:2")
        );
        assert_eq!(
            cfg.endpoint_for("Other").as_deref(),
            Some("http://127.0.0.1:1")
        );
        let region_wins = Config::builder()
            .env_vars([
                ("AWS_REGION", "us-west-2"),
                ("AWS_DEFAULT_REGION", "eu-west-1"),
            ])
            .load_env()
            .build()
            .unwrap();
        assert_eq!(region_wins.region(), Some("us-west-2"));
    }
}
