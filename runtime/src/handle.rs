//! The call path: validate, serialize, resolve the endpoint, sign, send with retries and
//! timeouts, decode the output or the error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;
use tracing::Instrument;

use crate::config::Config;
use crate::credentials::{DefaultChain, ProvideCredentials};
use crate::discovery::{
    discovered_url, DiscoveryCache, DiscoveryError, DiscoveryInput, DiscoveryOutput,
};
use crate::endpoint::{self, Endpoint, EndpointUrl, Params};
use crate::error::{
    classify_body, decode_error_response, describe_json_error, header_str, looks_like_html,
    trim_ascii, BodyClass, ConfigError, Error, InvalidResponseKind, OperationError, TimeoutKind,
    TransportKind,
};
use crate::http::{
    DefaultHttpClient, HttpClient, HttpErrorKind, HttpRequest, HttpResponse, Proxies,
};
use crate::retry::{is_retryable_response, RetryKind, RetryQuota};
use crate::service::EndpointDiscovery;
use crate::validate::{Validate, Validator};
use crate::{AuthRequirement, OperationMeta, OperationOutput, ServiceMeta};

/// A configured client, shared by all of a generated client's operations. Cheap to clone.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    http: Arc<dyn HttpClient>,
    quota: RetryQuota,
    #[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
    credentials: Arc<dyn ProvideCredentials>,
    endpoints: Mutex<HashMap<usize, Endpoint>>,
    discovered: DiscoveryCache,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// How one attempt ended, when it did not succeed.
enum Failure<E> {
    Modeled(E),
    Runtime(Error),
}

struct AttemptError<E> {
    failure: Failure<E>,
    retry: Option<RetryKind>,
}

impl<E> AttemptError<E> {
    fn fatal(e: Error) -> Self {
        AttemptError {
            failure: Failure::Runtime(e),
            retry: None,
        }
    }
}

impl Handle {
    /// Check `config` and build the handle (the default HTTP client unless one is injected).
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.check()?;
        let http: Arc<dyn HttpClient> = match &config.http_client {
            Some(client) => client.clone(),
            None => Arc::new(
                DefaultHttpClient::with_proxies(
                    config.timeouts.connect,
                    Proxies::from_vars(|name| config.env.get(name)),
                )
                .map_err(|e| ConfigError::HttpClient(e.to_string()))?,
            ),
        };
        let credentials: Arc<dyn ProvideCredentials> = match &config.credentials {
            Some(c) => c.clone(),
            None => Arc::new(DefaultChain::new(
                config.env.clone(),
                config.profile.clone(),
            )),
        };
        Ok(Handle {
            inner: Arc::new(Inner {
                quota: RetryQuota::new(config.retry.quota_capacity),
                http,
                credentials,
                endpoints: Mutex::new(HashMap::new()),
                discovered: DiscoveryCache::default(),
                config,
            }),
        })
    }

    /// A handle configured from the process environment ([`Config::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Handle::new(Config::from_env()?)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Resolve the endpoint of `service` for this configuration (cached per service).
    pub fn resolve_endpoint(&self, service: &'static ServiceMeta) -> Result<Endpoint, ConfigError> {
        let key = service as *const ServiceMeta as usize;
        if let Ok(cache) = self.inner.endpoints.lock() {
            if let Some(e) = cache.get(&key) {
                return Ok(e.clone());
            }
        }
        let resolved = endpoint::resolve(&service.endpoint_rules, &self.builtin_params(service)?)
            .map_err(|e| ConfigError::Endpoint(e.to_string()))?;
        if let Ok(mut cache) = self.inner.endpoints.lock() {
            cache.insert(key, resolved.clone());
        }
        Ok(resolved)
    }

    /// Resolve the endpoint of one call whose operation binds rule parameters to its input
    /// (`input` is the serialized input); not cached, the result depends on the input.
    fn resolve_operation_endpoint(
        &self,
        service: &'static ServiceMeta,
        bindings: &endpoint::EndpointBindings,
        input: &serde_json::Value,
    ) -> Result<Endpoint, ConfigError> {
        let mut params = self.builtin_params(service)?;
        bindings.add_params(input, &mut params);
        endpoint::resolve(&service.endpoint_rules, &params)
            .map_err(|e| ConfigError::Endpoint(e.to_string()))
    }

    /// The rule set's built-in parameters (region, FIPS, dual-stack, custom endpoint) from the
    /// configuration.
    fn builtin_params(&self, service: &'static ServiceMeta) -> Result<Params, ConfigError> {
        let cfg = &self.inner.config;
        let builtins = service
            .endpoint_rules
            .builtin_parameters()
            .map_err(|e| ConfigError::Endpoint(e.to_string()))?;
        let mut params = Params::new();
        for (builtin, name) in builtins {
            match builtin.as_str() {
                "AWS::Region" => {
                    if let Some(r) = &cfg.region {
                        params.set(name, r.as_str());
                    }
                }
                "AWS::UseFIPS" => params.set(name, cfg.use_fips),
                "AWS::UseDualStack" => params.set(name, cfg.use_dual_stack),
                "SDK::Endpoint" => {
                    if let Some(url) = cfg.endpoint_for(service.sdk_id) {
                        crate::config::check_endpoint_url(&url)?;
                        params.set(name, url);
                    }
                }
                _ => {}
            }
        }
        Ok(params)
    }

    /// Call one operation: validate, serialize, resolve the endpoint, sign if the operation
    /// needs it, send with retries and timeouts, and decode the output (with the response's
    /// request id) or the error. A constraint problem is `E::validation`, before any I/O.
    pub async fn invoke<I, O, E>(
        &self,
        service: &'static ServiceMeta,
        op: &'static OperationMeta,
        input: &I,
    ) -> Result<O, E>
    where
        I: serde::Serialize + Validate + ?Sized,
        O: OperationOutput,
        E: OperationError,
    {
        let span = tracing::info_span!(
            "awsjson.call",
            service = service.service_shape_name,
            operation = op.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let prepared = self.prepare(service, op, input);
        async move {
            let mut prepared = prepared.map_err(|e| match e {
                Error::Validation(v) => E::validation(v),
                other => E::unhandled(other),
            })?;
            self.fetch_credentials(&mut prepared)
                .await
                .map_err(E::unhandled)?;
            let Some(discovery) = op.endpoint_discovery else {
                return self.send_with_retries::<O, E>(service, op, prepared).await;
            };
            let url = self
                .discover(service, discovery)
                .await
                .map_err(E::unhandled)?;
            prepared.retarget(&url).map_err(E::unhandled)?;
            let result = self.send_with_retries::<O, E>(service, op, prepared).await;
            if let Err(e) = &result {
                let stale = e.error_meta().is_some_and(|m| {
                    m.error_type() == discovery.invalid_endpoint_error || m.status() == 421
                });
                if stale {
                    self.inner.discovered.evict(service_key(service));
                }
            }
            result
        }
        .instrument(span)
        .await
    }

    /// The discovered URL for `service`'s operations, from the cache or a fresh call of the
    /// service's discovery operation.
    async fn discover(
        &self,
        service: &'static ServiceMeta,
        discovery: &'static EndpointDiscovery,
    ) -> Result<String, Error> {
        let key = service_key(service);
        if let Some(url) = self.inner.discovered.get(key) {
            return Ok(url);
        }
        // The discovery operation itself is sent to the resolved endpoint (never discovered).
        let prepared = self.prepare(service, &discovery.operation, &DiscoveryInput {})?;
        let output = self
            .send_with_retries::<DiscoveryOutput, DiscoveryError>(
                service,
                &discovery.operation,
                prepared,
            )
            .await
            .map_err(|e| e.0)?;
        let Some(first) = output.endpoints.first() else {
            return Err(Error::Config(ConfigError::Endpoint(format!(
                "endpoint discovery ({}) returned no endpoints",
                discovery.operation.name
            ))));
        };
        let resolved = self.resolve_endpoint(service)?;
        let url = discovered_url(&first.address, resolved.url());
        let ttl = std::time::Duration::from_secs(first.cache_period_in_minutes.saturating_mul(60));
        self.inner.discovered.put(key, url.clone(), ttl);
        Ok(url)
    }

    fn prepare<I>(
        &self,
        service: &'static ServiceMeta,
        op: &'static OperationMeta,
        input: &I,
    ) -> Result<Prepared, Error>
    where
        I: serde::Serialize + Validate + ?Sized,
    {
        Validator::check(input)?;
        let body = serde_json::to_vec(input).map_err(|e| Error::Serialization {
            detail: describe_json_error(&e),
        })?;
        let bindings = &op.endpoint;
        let input_json = if bindings.reads_input() {
            serde_json::from_slice(&body).map_err(|e| Error::Serialization {
                detail: describe_json_error(&e),
            })?
        } else {
            serde_json::Value::Null
        };
        let endpoint = if bindings.adds_params() {
            self.resolve_operation_endpoint(service, bindings, &input_json)?
        } else {
            self.resolve_endpoint(service)?
        };
        let (body, content_encoding) = self
            .inner
            .config
            .compression
            .apply(op.request_compression, body)
            .map_err(|e| Error::Serialization {
                detail: format!("gzip request compression failed: {e}"),
            })?;
        let invalid_endpoint = |reason: String| {
            Error::Config(ConfigError::InvalidEndpoint {
                url: endpoint.url().to_string(),
                reason,
            })
        };
        let mut url = EndpointUrl::parse(endpoint.url()).map_err(invalid_endpoint)?;
        // awsJson posts to `/`: below an endpoint's base path that is the path and `/`, joined
        // as AWS SDKs join them (`https://host/custom` -> `/custom/`).
        url.ensure_trailing_slash();
        if let Some(prefix) = bindings.host_prefix(&input_json)? {
            if self.inner.config.host_prefix {
                url.prefix_host(&prefix).map_err(invalid_endpoint)?;
            }
        }
        let host = url.host_header();
        let mut headers = http::HeaderMap::new();
        let mut put = |name: &str, value: &str| -> Result<(), Error> {
            let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
                Error::Config(ConfigError::Endpoint(format!("bad header name: {e}")))
            })?;
            let value = http::HeaderValue::from_str(value).map_err(|e| {
                Error::Config(ConfigError::Endpoint(format!("bad header value: {e}")))
            })?;
            headers.append(name, value);
            Ok(())
        };
        put("host", &host)?;
        put("content-type", service.protocol.content_type())?;
        if let Some(encoding) = content_encoding {
            put("content-encoding", encoding)?;
        }
        put(
            "x-amz-target",
            &format!("{}.{}", service.service_shape_name, op.name),
        )?;
        put("user-agent", &self.inner.config.user_agent(service))?;
        for (name, values) in endpoint.headers() {
            for v in values {
                put(name, v)?;
            }
        }
        let signing = match op.auth {
            AuthRequirement::None => None,
            AuthRequirement::SigV4 => Some(self.signing_context(service, op, &endpoint)?),
        };
        Ok(Prepared {
            url: url.to_string(),
            headers,
            body,
            signing,
        })
    }

    /// Asks the credentials provider (which may call a service) once per call, for a SigV4
    /// operation; unsigned operations never look credentials up.
    async fn fetch_credentials(&self, prepared: &mut Prepared) -> Result<(), Error> {
        if let Some(signing) = prepared.signing.as_mut() {
            let credentials = self
                .inner
                .credentials
                .provide_credentials()
                .await
                .map_err(|e| Error::Config(ConfigError::Credentials(e.to_string())))?;
            signing.credentials = Some(credentials);
        }
        Ok(())
    }

    #[cfg(feature = "sigv4")]
    fn signing_context(
        &self,
        service: &'static ServiceMeta,
        _op: &'static OperationMeta,
        endpoint: &Endpoint,
    ) -> Result<Signing, Error> {
        let region = endpoint
            .signing_region()
            .map(str::to_string)
            .or_else(|| self.inner.config.region.clone())
            .ok_or(Error::Config(ConfigError::MissingRegion))?;
        let name = endpoint
            .signing_name()
            .unwrap_or(service.signing_name)
            .to_string();
        Ok(Signing {
            credentials: None,
            region,
            name,
        })
    }

    #[cfg(not(feature = "sigv4"))]
    fn signing_context(
        &self,
        _service: &'static ServiceMeta,
        op: &'static OperationMeta,
        _endpoint: &Endpoint,
    ) -> Result<Signing, Error> {
        Err(Error::Config(ConfigError::SigningDisabled {
            operation: op.name,
        }))
    }

    async fn send_with_retries<O, E>(
        &self,
        _service: &'static ServiceMeta,
        _op: &'static OperationMeta,
        prepared: Prepared,
    ) -> Result<O, E>
    where
        O: OperationOutput,
        E: OperationError,
    {
        let cfg = &self.inner.config;
        let span = tracing::Span::current();
        let started = Instant::now();
        let deadline = started
            .checked_add(cfg.timeouts.overall)
            .unwrap_or_else(|| started + std::time::Duration::from_secs(24 * 60 * 60));
        let max_attempts = cfg.retry.max_attempts.max(1);
        let mut tokens_taken = 0u32;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let outcome = self.attempt::<O, E>(&prepared, deadline, attempt).await;
            let err = match outcome {
                Ok(out) => {
                    self.inner.quota.release(tokens_taken);
                    return Ok(out);
                }
                Err(e) => e,
            };
            let finish = |failure: Failure<E>| -> Result<O, E> {
                Err(match failure {
                    Failure::Modeled(e) => e,
                    Failure::Runtime(e) => E::unhandled(with_attempts(e, attempt)),
                })
            };
            let Some(kind) = err.retry else {
                return finish(err.failure);
            };
            if attempt >= max_attempts {
                tracing::debug!(attempt, "giving up: no attempts left");
                return finish(err.failure);
            }
            let cost = match kind {
                RetryKind::Timeout => cfg.retry.timeout_retry_cost,
                RetryKind::Transient => cfg.retry.retry_cost,
            };
            let Some(taken) = self.inner.quota.acquire(cost) else {
                tracing::debug!(attempt, "giving up: retry quota exhausted");
                return finish(err.failure);
            };
            let delay = cfg.retry.backoff(attempt);
            if Instant::now()
                .checked_add(delay)
                .map_or(true, |t| t >= deadline)
            {
                self.inner.quota.release_unused(taken);
                tracing::debug!(attempt, "giving up: the backoff would pass the deadline");
                return finish(err.failure);
            }
            tokens_taken += taken;
            // Nothing of the failed attempt is held across the sleep.
            drop(err);
            tracing::debug!(
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt<O, E>(
        &self,
        prepared: &Prepared,
        deadline: Instant,
        attempt: u32,
    ) -> Result<O, AttemptError<E>>
    where
        O: OperationOutput,
        E: OperationError,
    {
        let cfg = &self.inner.config;
        let now = Instant::now();
        let remaining = deadline.saturating_duration_since(now);
        if remaining.is_zero() {
            return Err(AttemptError::fatal(Error::Timeout {
                kind: TimeoutKind::Overall,
                after: cfg.timeouts.overall,
                attempts: attempt,
            }));
        }
        let limited_by_deadline = remaining < cfg.timeouts.attempt;
        let budget = remaining.min(cfg.timeouts.attempt);
        let request = prepared.build().map_err(AttemptError::fatal)?;
        tracing::debug!(attempt, "sending request");
        let sent =
            tokio::time::timeout(budget, self.inner.http.send(request, cfg.max_response_body))
                .await;
        let response = match sent {
            Err(_elapsed) => {
                tracing::debug!(attempt, "attempt timed out");
                return Err(if limited_by_deadline {
                    AttemptError::fatal(Error::Timeout {
                        kind: TimeoutKind::Overall,
                        after: cfg.timeouts.overall,
                        attempts: attempt,
                    })
                } else {
                    AttemptError {
                        failure: Failure::Runtime(Error::Timeout {
                            kind: TimeoutKind::Attempt,
                            after: cfg.timeouts.attempt,
                            attempts: attempt,
                        }),
                        retry: Some(RetryKind::Timeout),
                    }
                });
            }
            Ok(Err(http_err)) => {
                tracing::debug!(attempt, error = %http_err, "transport error");
                let (error, retry) = match http_err.kind() {
                    HttpErrorKind::Timeout => (
                        Error::Timeout {
                            kind: TimeoutKind::Connect,
                            after: cfg.timeouts.connect,
                            attempts: attempt,
                        },
                        Some(RetryKind::Timeout),
                    ),
                    HttpErrorKind::Connect => (
                        transport(TransportKind::Connect, http_err.message(), attempt),
                        Some(RetryKind::Transient),
                    ),
                    HttpErrorKind::Io => (
                        transport(TransportKind::Io, http_err.message(), attempt),
                        Some(RetryKind::Transient),
                    ),
                    HttpErrorKind::BodyTooLarge => (
                        Error::InvalidResponse {
                            kind: InvalidResponseKind::BodyTooLarge,
                            status: 0,
                            request_id: None,
                            detail: http_err.message().to_string(),
                        },
                        None,
                    ),
                    _ => (
                        transport(TransportKind::Request, http_err.message(), attempt),
                        None,
                    ),
                };
                return Err(AttemptError {
                    failure: Failure::Runtime(error),
                    retry,
                });
            }
            Ok(Ok(response)) => response,
        };
        decode_response::<O, E>(response)
    }
}

fn transport(kind: TransportKind, message: &str, attempts: u32) -> Error {
    Error::Transport {
        kind,
        message: message.to_string(),
        attempts,
    }
}

fn with_attempts(e: Error, n: u32) -> Error {
    match e {
        Error::Timeout { kind, after, .. } => Error::Timeout {
            kind,
            after,
            attempts: n,
        },
        Error::Transport { kind, message, .. } => Error::Transport {
            kind,
            message,
            attempts: n,
        },
        other => other,
    }
}

fn decode_response<O, E>(response: HttpResponse) -> Result<O, AttemptError<E>>
where
    O: OperationOutput,
    E: OperationError,
{
    let span = tracing::Span::current();
    let status = response.status().as_u16();
    let request_id = header_str(response.headers(), "x-amzn-requestid")
        .or_else(|| header_str(response.headers(), "x-amz-request-id"))
        .map(str::to_string);
    span.record("status", status);
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    tracing::debug!(
        status,
        request_id = request_id.as_deref().unwrap_or(""),
        "response received"
    );
    let body = response.body();
    if (200..300).contains(&status) {
        let trimmed = trim_ascii(body);
        let json: &[u8] = if trimmed.is_empty() { b"{}" } else { trimmed };
        let decoded = serde_json::from_slice::<O>(json).map_err(|e| {
            let (kind, detail) = if looks_like_html(trimmed) {
                (
                    InvalidResponseKind::Html,
                    "success status with an HTML body".to_string(),
                )
            } else if matches!(classify_body(trimmed), BodyClass::Object(_)) {
                (
                    InvalidResponseKind::Undecodable,
                    format!(
                        "the output does not match the operation: {}",
                        describe_json_error(&e)
                    ),
                )
            } else {
                (
                    InvalidResponseKind::NotJson,
                    format!("the body is not a JSON object: {}", describe_json_error(&e)),
                )
            };
            AttemptError::fatal(Error::InvalidResponse {
                kind,
                status,
                request_id: request_id.clone(),
                detail,
            })
        });
        return decoded.map(|mut output| {
            output.set_request_id(request_id);
            output
        });
    }
    let decoded = match decode_error_response(status, response.headers(), body, request_id) {
        Ok(d) => d,
        Err(e) => {
            let retry = (status >= 500 || status == 429).then_some(RetryKind::Transient);
            return Err(AttemptError {
                failure: Failure::Runtime(e),
                retry,
            });
        }
    };
    let transient = is_retryable_response(status, decoded.meta.error_type())
        || is_retryable_response(status, decoded.meta.code());
    match E::from_modeled(&decoded.meta, &decoded.body) {
        Some(modeled) => {
            let retry = (transient || modeled.is_retryable()).then_some(RetryKind::Transient);
            Err(AttemptError {
                failure: Failure::Modeled(modeled),
                retry,
            })
        }
        None => Err(AttemptError {
            failure: Failure::Runtime(Error::Service(decoded.meta)),
            retry: transient.then_some(RetryKind::Transient),
        }),
    }
}

fn service_key(service: &'static ServiceMeta) -> usize {
    service as *const ServiceMeta as usize
}

/// A request ready for any number of attempts.
struct Prepared {
    url: String,
    headers: http::HeaderMap,
    body: Vec<u8>,
    #[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
    signing: Option<Signing>,
}

#[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
struct Signing {
    /// Filled by `Handle::fetch_credentials` before the first attempt.
    credentials: Option<crate::credentials::Credentials>,
    region: String,
    name: String,
}

impl Prepared {
    /// Send to `url` (a discovered endpoint) instead: the URL and the `host` header change.
    fn retarget(&mut self, url: &str) -> Result<(), Error> {
        let invalid = |reason: String| {
            Error::Config(ConfigError::InvalidEndpoint {
                url: url.to_string(),
                reason,
            })
        };
        let parsed = EndpointUrl::parse(url).map_err(invalid)?;
        let host = parsed.host_header();
        let value = http::HeaderValue::from_str(&host).map_err(|e| invalid(e.to_string()))?;
        self.headers.insert(http::header::HOST, value);
        self.url = parsed.to_string();
        Ok(())
    }

    fn build(&self) -> Result<HttpRequest, Error> {
        let mut request = http::Request::builder()
            .method(http::Method::POST)
            .uri(self.url.as_str())
            .body(self.body.clone())
            .map_err(|e| transport(TransportKind::Request, &e.to_string(), 0))?;
        *request.headers_mut() = self.headers.clone();
        #[cfg(feature = "sigv4")]
        if let Some(s) = &self.signing {
            let credentials = s.credentials.as_ref().ok_or_else(|| {
                Error::Config(ConfigError::Credentials(
                    "no credentials were fetched for this SigV4 operation".into(),
                ))
            })?;
            crate::sign::sign_request(
                &mut request,
                credentials,
                &s.region,
                &s.name,
                std::time::SystemTime::now(),
            )
            .map_err(|e| Error::Config(ConfigError::Credentials(format!("signing failed: {e}"))))?;
        }
        Ok(request)
    }
}
