//! Errors: the runtime's [`Error`], configuration problems ([`ConfigError`]), the metadata of a
//! service error ([`ErrorMeta`]), the trait generated per-operation error enums implement
//! ([`OperationError`]), and awsJson error decoding.

use std::fmt;
use std::time::Duration;

use crate::validate::ValidationError;

/// A configuration problem. Never a panic: every bad setting ends up here.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was configured (neither in code, nor `AWS_REGION` / `AWS_DEFAULT_REGION`, nor the profile).
    MissingRegion,
    /// The region is not a valid host label sequence.
    InvalidRegion(String),
    /// The endpoint override is not an absolute `http`/`https` URL.
    InvalidEndpoint {
        /// The offending URL.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A timeout of zero, or an attempt timeout longer than the overall deadline.
    InvalidTimeout(String),
    /// A retry setting out of range.
    InvalidRetry(String),
    /// A request compression setting out of range.
    InvalidCompression(String),
    /// An unusable setting in the environment (variable name and reason; never its value).
    InvalidEnv {
        /// The variable.
        name: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The endpoint rule set rejected the configuration or could not be evaluated.
    Endpoint(String),
    /// The default HTTP client could not be built.
    HttpClient(String),
    /// Credentials were needed for a SigV4 operation but none could be found.
    Credentials(String),
    /// The operation needs SigV4 signing but the crate was built without the `sigv4` feature.
    SigningDisabled {
        /// The operation that needed signing.
        operation: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingRegion => f.write_str(
                "no region configured: set it in the Config, or AWS_REGION / AWS_DEFAULT_REGION",
            ),
            ConfigError::InvalidRegion(r) => write!(f, "invalid region {r:?}"),
            ConfigError::InvalidEndpoint { url, reason } => {
                write!(f, "invalid endpoint URL {url:?}: {reason}")
            }
            ConfigError::InvalidTimeout(m) => write!(f, "invalid timeout: {m}"),
            ConfigError::InvalidRetry(m) => write!(f, "invalid retry configuration: {m}"),
            ConfigError::InvalidCompression(m) => {
                write!(f, "invalid request compression configuration: {m}")
            }
            ConfigError::InvalidEnv { name, reason } => {
                write!(f, "invalid environment variable {name}: {reason}")
            }
            ConfigError::Endpoint(m) => write!(f, "endpoint resolution failed: {m}"),
            ConfigError::HttpClient(m) => write!(f, "could not build the HTTP client: {m}"),
            ConfigError::Credentials(m) => write!(f, "no credentials for a SigV4 operation: {m}"),
            ConfigError::SigningDisabled { operation } => write!(
                f,
                "operation {operation} requires SigV4 signing, but awsjson-runtime was built \
                 without its `sigv4` cargo feature"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// What is known about an error response: HTTP status, code (namespace and `:`-suffix
/// stripped), message and request id. Every generated error struct carries one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    status: u16,
    code: String,
    message: Option<String>,
    request_id: Option<String>,
    /// `x-amzn-query-error` of an `awsQueryCompatible` service: the awsQuery code and fault.
    /// Boxed: kept off the size of every `Error` and `Result` that carries an `ErrorMeta`.
    query_error: Option<Box<(String, String)>>,
}

impl ErrorMeta {
    /// A new value.
    pub fn new(
        status: u16,
        code: impl Into<String>,
        message: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        ErrorMeta {
            status,
            code: code.into(),
            message,
            request_id,
            query_error: None,
        }
    }

    /// With the awsQuery error code and fault (`Sender` / `Receiver`) of an
    /// `aws.protocols#awsQueryCompatible` service's `x-amzn-query-error` header.
    pub fn with_query_error(mut self, code: impl Into<String>, fault: impl Into<String>) -> Self {
        self.query_error = Some(Box::new((code.into(), fault.into())));
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code (`NotAuthorizedException`). For an `awsQueryCompatible` service that sent
    /// `x-amzn-query-error`, the awsQuery code from it (`AWS.SimpleQueueService.NonExistentQueue`),
    /// as the service's awsQuery clients saw it; [`ErrorMeta::error_type`] keeps the JSON one.
    pub fn code(&self) -> &str {
        match self.query_error.as_deref() {
            Some((code, _)) => code,
            None => &self.code,
        }
    }

    /// The awsJson error type (`__type` / `X-Amzn-ErrorType`, namespace and `:`-suffix stripped):
    /// the name of the modeled error shape, which is what picks the modeled error.
    pub fn error_type(&self) -> &str {
        &self.code
    }

    /// The awsQuery fault (`Sender` or `Receiver`) from `x-amzn-query-error`, if sent.
    pub fn query_fault(&self) -> Option<&str> {
        self.query_error.as_deref().map(|(_, fault)| fault.as_str())
    }

    /// The message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `x-amzn-requestid`, if the service sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// `Code: message` (or just `Code`).
impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.code().is_empty() {
            "UnknownError"
        } else {
            self.code()
        })?;
        match self.message.as_deref() {
            Some(m) if !m.is_empty() => write!(f, ": {m}"),
            _ => Ok(()),
        }
    }
}

/// Which deadline ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection.
    Connect,
    /// One attempt.
    Attempt,
    /// The whole call.
    Overall,
}

/// What broke below HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// Could not connect.
    Connect,
    /// The connection broke (reset, closed early).
    Io,
    /// The request could not be built or sent.
    Request,
}

/// Why a response could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidResponseKind {
    /// An error status with an empty body and no `X-Amzn-ErrorType` header.
    EmptyBody,
    /// An HTML page (a proxy or load balancer answered, not the service).
    Html,
    /// A body that is not JSON, or JSON that is not an object.
    NotJson,
    /// The body exceeded the configured cap.
    BodyTooLarge,
    /// A JSON success body that does not match the operation's output shape.
    Undecodable,
}

/// Everything that is not a modeled error. `Display` never shows request or response bodies.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input broke the model's constraints; nothing was sent.
    Validation(ValidationError),
    /// Bad configuration (region, endpoint, credentials, a disabled feature).
    Config(ConfigError),
    /// A deadline ran out.
    Timeout {
        /// Which one.
        kind: TimeoutKind,
        /// Its length.
        after: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The connection failed.
    Transport {
        /// What broke.
        kind: TransportKind,
        /// The transport's message.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// An error response whose code is not one of the operation's modeled errors.
    Service(ErrorMeta),
    /// The input could not be serialized to JSON (nothing was sent).
    Serialization {
        /// What failed (never the value).
        detail: String,
    },
    /// A response that could not be used.
    InvalidResponse {
        /// Why.
        kind: InvalidResponseKind,
        /// The HTTP status.
        status: u16,
        /// The `x-amzn-requestid`, if any.
        request_id: Option<String>,
        /// What was wrong (never the body itself).
        detail: String,
    },
}

impl Error {
    /// The error code for service errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(m) => Some(m.code()),
            _ => None,
        }
    }

    /// The service error metadata, if this is one.
    pub fn meta(&self) -> Option<&ErrorMeta> {
        match self {
            Error::Service(m) => Some(m),
            _ => None,
        }
    }

    /// The request id, if a response was received.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(m) => m.request_id(),
            Error::InvalidResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => write!(f, "ValidationError: {v}"),
            Error::Config(c) => write!(f, "ConfigError: {c}"),
            Error::Timeout {
                kind,
                after,
                attempts,
            } => {
                let what = match kind {
                    TimeoutKind::Connect => "connect",
                    TimeoutKind::Attempt => "attempt",
                    TimeoutKind::Overall => "overall",
                };
                write!(
                    f,
                    "TimeoutError: {what} timeout of {after:?} elapsed after {attempts} attempt(s)"
                )
            }
            Error::Transport {
                kind,
                message,
                attempts,
            } => write!(
                f,
                "TransportError: {kind:?}: {message} (after {attempts} attempt(s))"
            ),
            Error::Service(meta) => fmt::Display::fmt(meta, f),
            Error::Serialization { detail } => write!(f, "SerializationError: {detail}"),
            Error::InvalidResponse {
                kind,
                status,
                request_id,
                detail,
            } => {
                write!(f, "InvalidResponse: {kind:?} (HTTP {status}): {detail}")?;
                if let Some(id) = request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(v) => Some(v),
            Error::Config(c) => Some(c),
            _ => None,
        }
    }
}

impl From<ValidationError> for Error {
    fn from(v: ValidationError) -> Self {
        Error::Validation(v)
    }
}

impl From<ConfigError> for Error {
    fn from(c: ConfigError) -> Self {
        Error::Config(c)
    }
}

/// Implemented by each generated per-operation error enum.
pub trait OperationError: Sized + std::error::Error {
    /// Build the modeled variant for `meta.code()` (already stripped of namespace and
    /// `:`-suffix) from the JSON error body; `None` if the code is not one of this operation's
    /// errors. The body is always a JSON object (`{}` when the response had no usable body).
    fn from_modeled(meta: &ErrorMeta, body: &[u8]) -> Option<Self>;
    /// Everything that is not a modeled error.
    fn unhandled(err: Error) -> Self;
    /// The input broke the model's constraints (or missed a required member); nothing was sent.
    /// Generated error enums give this its own variant.
    fn validation(err: ValidationError) -> Self {
        Self::unhandled(Error::Validation(err))
    }
    /// From the model's `@retryable` trait on the modeled error.
    fn is_retryable(&self) -> bool {
        false
    }
    /// The service error's metadata (modeled or not); `None` if no error response was received.
    /// Waiters match `errorType` acceptors on it.
    fn error_meta(&self) -> Option<&ErrorMeta> {
        None
    }
}

/// A builder's `build()` found a required member unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    member: &'static str,
}

impl BuildError {
    /// The required member `member` (its Rust or wire name) is missing.
    pub const fn missing(member: &'static str) -> Self {
        BuildError { member }
    }

    /// The missing member.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "required member `{}` was not set", self.member)
    }
}

impl std::error::Error for BuildError {}

/// A missing required member is a validation problem.
impl From<BuildError> for ValidationError {
    fn from(b: BuildError) -> Self {
        ValidationError::missing_member(b.member)
    }
}

/// A missing required member is a validation problem: [`Error::Validation`].
impl From<BuildError> for Error {
    fn from(b: BuildError) -> Self {
        Error::Validation(ValidationError::missing_member(b.member))
    }
}

/// Strip an awsJson error code to its bare name: cut at the first `:` (the header may carry
/// `Name:http://internal...`), then keep what follows the last `#` (`aws.ns#Name`).
pub fn sanitize_error_code(raw: &str) -> &str {
    let no_suffix = raw.split(':').next().unwrap_or(raw);
    let bare = match no_suffix.rfind('#') {
        Some(i) => &no_suffix[i + 1..],
        None => no_suffix,
    };
    bare.trim()
}

/// The outcome of reading an error response.
pub(crate) struct DecodedError {
    pub(crate) meta: ErrorMeta,
    /// A JSON object to hand to `from_modeled` (`{}` if the body was not one).
    pub(crate) body: Vec<u8>,
}

/// Decode an awsJson error response. The code comes from `X-Amzn-ErrorType`, else body `code`,
/// else body `__type`; the message from `message` / `Message` / `errorMessage`, else the
/// `x-amzn-ErrorMessage` header. An unusable body without a header code is an
/// [`Error::InvalidResponse`].
pub(crate) fn decode_error_response(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    request_id: Option<String>,
) -> Result<DecodedError, Error> {
    let header_code = header_str(headers, "x-amzn-errortype")
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let header_message = header_str(headers, "x-amzn-errormessage").map(str::to_string);
    let query_error = header_str(headers, "x-amzn-query-error").and_then(parse_query_error);
    let with_query = |meta: ErrorMeta| match query_error {
        Some((code, fault)) => meta.with_query_error(code, fault),
        None => meta,
    };
    let parsed = classify_body(body);
    let invalid = |kind: InvalidResponseKind, detail: &str| Error::InvalidResponse {
        kind,
        status,
        request_id: request_id.clone(),
        detail: detail.to_string(),
    };
    let (object, json_body) = match parsed {
        BodyClass::Object(map) => (Some(map), true),
        other => {
            let Some(code) = header_code else {
                return Err(match other {
                    BodyClass::Empty => invalid(
                        InvalidResponseKind::EmptyBody,
                        "error status with an empty body and no X-Amzn-ErrorType header",
                    ),
                    BodyClass::Html => invalid(
                        InvalidResponseKind::Html,
                        "error status with an HTML body (not from the service?)",
                    ),
                    _ => invalid(
                        InvalidResponseKind::NotJson,
                        "error status with a body that is not a JSON object",
                    ),
                });
            };
            return Ok(DecodedError {
                meta: with_query(ErrorMeta::new(status, code, header_message, request_id)),
                body: b"{}".to_vec(),
            });
        }
    };
    let object = object.unwrap_or_default();
    let str_field = |k: &str| object.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let code = header_code.or_else(|| {
        str_field("code")
            .or_else(|| str_field("__type"))
            .map(|c| sanitize_error_code(&c).to_string())
            .filter(|c| !c.is_empty())
    });
    let Some(code) = code else {
        return Err(invalid(
            InvalidResponseKind::NotJson,
            "error response without X-Amzn-ErrorType, __type or code",
        ));
    };
    let message = str_field("message")
        .or_else(|| str_field("Message"))
        .or_else(|| str_field("errorMessage"))
        .or(header_message);
    Ok(DecodedError {
        meta: with_query(ErrorMeta::new(status, code, message, request_id)),
        body: if json_body {
            body.to_vec()
        } else {
            b"{}".to_vec()
        },
    })
}

/// `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender` → (code, fault).
fn parse_query_error(value: &str) -> Option<(&str, &str)> {
    let (code, fault) = value.split_once(';')?;
    let (code, fault) = (code.trim(), fault.trim());
    (!code.is_empty() && !fault.is_empty()).then_some((code, fault))
}

pub(crate) enum BodyClass {
    Empty,
    Html,
    Object(serde_json::Map<String, serde_json::Value>),
    Other,
}

pub(crate) fn classify_body(body: &[u8]) -> BodyClass {
    let trimmed = trim_ascii(body);
    if trimmed.is_empty() {
        return BodyClass::Empty;
    }
    if looks_like_html(trimmed) {
        return BodyClass::Html;
    }
    match serde_json::from_slice::<serde_json::Value>(trimmed) {
        Ok(serde_json::Value::Object(map)) => BodyClass::Object(map),
        _ => BodyClass::Other,
    }
}

pub(crate) fn looks_like_html(trimmed: &[u8]) -> bool {
    let head: Vec<u8> = trimmed
        .iter()
        .take(15)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    head.starts_with(b"<!doctype")
        || head.starts_with(b"<html")
        || head.starts_with(b"<head")
        || head.starts_with(b"<body")
}

pub(crate) fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}

pub(crate) fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A description of a serde_json failure that never echoes the data it read.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // The wire formats' own messages ("not a valid ... timestamp: ...") name the format and
    // the rule, never the value, so they are kept.
    let what = if text.starts_with("missing field") || text.starts_with("not a valid ") {
        text.split(" at line")
            .next()
            .unwrap_or("missing field")
            .to_string()
    } else {
        match e.classify() {
            serde_json::error::Category::Syntax => "malformed JSON".to_string(),
            serde_json::error::Category::Eof => "truncated JSON".to_string(),
            serde_json::error::Category::Data => "a value of the wrong type or form".to_string(),
            serde_json::error::Category::Io => "an I/O error".to_string(),
        }
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(
            sanitize_error_code("NotAuthorizedException:"),
            "NotAuthorizedException"
        );
        assert_eq!(
            sanitize_error_code(
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("com.amazonaws.cognitoidentityprovider#UserNotFoundException"),
            "UserNotFoundException"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
        assert_eq!(sanitize_error_code(""), "");
    }

    #[test]
    fn decodes_header_then_body() {
        let mut h = http::HeaderMap::new();
        let body = br#"{"__type":"ns#A","code":"B","Message":"m"}"#;
        let d = decode_error_response(400, &h, body, None).ok().unwrap();
        assert_eq!(d.meta.code(), "B");
        assert_eq!(d.meta.message(), Some("m"));
        h.insert("x-amzn-errortype", http::HeaderValue::from_static("C:"));
        let d = decode_error_response(400, &h, body, Some("r".into()))
            .ok()
            .unwrap();
        assert_eq!(d.meta.code(), "C");
        assert_eq!(d.meta.request_id(), Some("r"));
        let d = decode_error_response(400, &h, b"", None).ok().unwrap();
        assert_eq!(d.meta.code(), "C");
        assert_eq!(d.body, b"{}");
        let e = decode_error_response(500, &http::HeaderMap::new(), b"<html>x</html>", None);
        assert!(matches!(
            e,
            Err(Error::InvalidResponse {
                kind: InvalidResponseKind::Html,
                ..
            })
        ));
    }
}
