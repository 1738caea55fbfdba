// A stand-in for `awsjson_runtime` with exactly the surface docs/runtime-contract.md promises,
// and no behaviour: tests of the generator compile expansions against it without a network stack.
// Use at a test crate's root:
//     extern crate self as awsjson_runtime;
//     include!("support/runtime_stub.rs");
#[allow(dead_code)]
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

pub type Document = ::serde_json::Value;

#[allow(dead_code)]
pub fn idempotency_token() -> String {
    "00000000-0000-4000-8000-000000000000".to_owned()
}

#[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[serde(transparent)]
pub struct DateTime(pub f64);

#[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[serde(transparent)]
pub struct Blob(pub String);
impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

#[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
#[serde(transparent)]
pub struct BigNumber(pub ::serde_json::Value);

#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub enum JsonProtocol {
    AwsJson1_0,
    AwsJson1_1,
}

#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub enum AuthRequirement {
    None,
    SigV4,
}

#[allow(dead_code)]
pub struct ServiceMeta {
    pub service_shape_name: &'static str,
    pub sdk_id: &'static str,
    pub signing_name: &'static str,
    pub protocol: JsonProtocol,
    pub api_version: &'static str,
    pub endpoint_rules: endpoint::RuleSetSource,
}

#[allow(dead_code)]
pub struct OperationMeta {
    pub name: &'static str,
    pub auth: AuthRequirement,
}

pub mod endpoint {
    #[allow(dead_code)]
    pub struct RuleSetSource(pub &'static str);
    impl RuleSetSource {
        pub const fn new(json: &'static str) -> Self {
            RuleSetSource(json)
        }
    }
    #[derive(Default)]
    pub struct Params(pub ::serde_json::Map<String, ::serde_json::Value>);
    #[allow(dead_code)]
    impl Params {
        pub fn new() -> Self {
            Self::default()
        }
        pub fn set(&mut self, name: &str, value: ::serde_json::Value) {
            self.0.insert(name.to_owned(), value);
        }
    }
    #[derive(Debug)]
    pub struct Endpoint(String);
    #[allow(dead_code)]
    impl Endpoint {
        pub fn url(&self) -> &str {
            &self.0
        }
    }
    #[allow(dead_code)]
    pub fn resolve(_rules: &RuleSetSource, _params: &Params) -> Result<Endpoint, String> {
        Err("the stub runtime resolves nothing".to_owned())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Config;
#[allow(dead_code)]
impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Config)
    }
}

#[derive(Debug)]
pub struct ConfigError;

#[derive(Clone, Debug)]
pub struct Handle(Config);
#[allow(dead_code)]
impl Handle {
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        Ok(Handle(config))
    }
    pub fn config(&self) -> &Config {
        &self.0
    }
    /// Validates and serializes like the real runtime, then fails: there is no transport.
    pub async fn invoke<I, O, E>(&self, _service: &'static ServiceMeta, _op: &'static OperationMeta, input: &I) -> Result<O, E>
    where
        I: ::serde::Serialize + Validate,
        O: OperationOutput,
        E: OperationError,
    {
        let mut v = Validator::default();
        input.validate(&mut v);
        if !v.problems.is_empty() {
            return Err(E::validation(ValidationError(v.problems)));
        }
        let body = ::serde_json::to_vec(input).map_err(|e| E::unhandled(Error::Transport(e.to_string())))?;
        LAST_BODY.with(|b| *b.borrow_mut() = Some(body));
        Err(E::unhandled(Error::Transport("the stub runtime sends nothing".to_owned())))
    }
}

thread_local! {
    /// The last request body the stub serialized (tests look at what would have been sent).
    pub static LAST_BODY: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorMeta {
    pub code: String,
    pub message: Option<String>,
}
#[allow(dead_code)]
impl ErrorMeta {
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    pub fn request_id(&self) -> Option<&str> {
        None
    }
}

pub trait OperationOutput: ::serde::de::DeserializeOwned {
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// Like the runtime's: each problem names the member and the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError(pub Vec<String>);
impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.join("; "))
    }
}
impl std::error::Error for ValidationError {}
impl From<BuildError> for ValidationError {
    fn from(e: BuildError) -> Self {
        ValidationError(vec![format!("{}: required member is missing", e.member)])
    }
}

#[allow(dead_code)]
pub mod private {
    pub fn push_item<T>(list: &mut Option<Vec<T>>, item: T) {
        list.get_or_insert_with(Vec::new).push(item);
    }
    pub fn insert_entry<V>(map: &mut Option<std::collections::HashMap<String, V>>, key: String, value: V) {
        map.get_or_insert_with(Default::default).insert(key, value);
    }
}

#[allow(dead_code)]
#[derive(Debug)]
pub enum Error {
    Validation(Vec<String>),
    Transport(String),
    Build(BuildError),
}
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for Error {}
#[allow(dead_code)]
impl Error {
    pub fn request_id(&self) -> Option<&str> {
        None
    }
}
impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuildError {
    pub member: &'static str,
}
impl BuildError {
    pub fn missing(member: &'static str) -> Self {
        BuildError { member }
    }
}
impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "missing required member `{}`", self.member)
    }
}

pub trait OperationError: Sized + std::error::Error {
    fn from_modeled(meta: &ErrorMeta, body: &[u8]) -> Option<Self>;
    fn unhandled(err: Error) -> Self;
    fn validation(err: ValidationError) -> Self {
        Self::unhandled(Error::Transport(err.to_string()))
    }
    fn is_retryable(&self) -> bool {
        false
    }
}

pub trait Validate {
    fn validate(&self, v: &mut Validator);
}
impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(x) = self {
            x.validate(v)
        }
    }
}
impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, v: &mut Validator) {
        self.iter().for_each(|x| x.validate(v))
    }
}
impl<T: Validate> Validate for Box<T> {
    fn validate(&self, v: &mut Validator) {
        (**self).validate(v)
    }
}
impl<T: Validate> Validate for std::collections::HashMap<String, T> {
    fn validate(&self, v: &mut Validator) {
        self.values().for_each(|x| x.validate(v))
    }
}

#[derive(Default, Debug)]
pub struct Validator {
    pub problems: Vec<String>,
}
#[allow(dead_code)]
impl Validator {
    pub fn length(&mut self, member: &'static str, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            self.problems.push(format!("{member}: length {len}"));
        }
    }
    pub fn range(&mut self, member: &'static str, value: f64, min: Option<f64>, max: Option<f64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.problems.push(format!("{member}: value {value}"));
        }
    }
    pub fn pattern(&mut self, _member: &'static str, _value: &str, _pattern: &'static str) {}
    pub fn nested<T: Validate + ?Sized>(&mut self, _member: &'static str, value: &T) {
        value.validate(self)
    }
}

pub mod paginate {
    use std::future::Future;

    /// Same surface as the runtime's paginator: fetch pages until the token runs out.
    pub struct Paginator<I, O, F> {
        input: I,
        fetch: F,
        set_token: fn(&mut I, Option<String>),
        next_token: fn(&O) -> Option<String>,
        token: Option<Option<String>>,
    }

    #[allow(dead_code)]
    impl<I: Clone, O, E, F, Fut> Paginator<I, O, F>
    where
        F: FnMut(I) -> Fut,
        Fut: Future<Output = Result<O, E>>,
    {
        pub fn new(input: I, fetch: F, set_token: fn(&mut I, Option<String>), next_token: fn(&O) -> Option<String>) -> Self {
            Paginator { input, fetch, set_token, next_token, token: Some(None) }
        }
        pub async fn next_page(&mut self) -> Option<Result<O, E>> {
            let token = self.token.take()?;
            let mut input = self.input.clone();
            (self.set_token)(&mut input, token);
            let out = (self.fetch)(input).await;
            if let Ok(o) = &out {
                self.token = (self.next_token)(o).map(Some);
            }
            Some(out)
        }
    }
}
