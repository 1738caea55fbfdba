//! A hand-written service, operation, input, output and error enum like the generated code's,
//! and the scripted HTTP server of the workspace's test-support crate.
#![allow(dead_code)]

use std::fmt;
use std::time::Duration;

use awsjson_runtime::endpoint::RuleSetSource;
use awsjson_runtime::{
    AuthRequirement, Config, ConfigBuilder, Error, ErrorMeta, Handle, JsonProtocol, OperationError,
    OperationMeta, RetryConfig, ServiceMeta, Validate, Validator,
};
use serde::{Deserialize, Serialize};

pub const RULES: &str = r#"{"version":"1.0","parameters":{
  "Region":{"builtIn":"AWS::Region","required":false,"type":"String"},
  "UseFIPS":{"builtIn":"AWS::UseFIPS","required":true,"default":false,"type":"Boolean"},
  "UseDualStack":{"builtIn":"AWS::UseDualStack","required":true,"default":false,"type":"Boolean"},
  "Endpoint":{"builtIn":"SDK::Endpoint","required":false,"type":"String"}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],
   "endpoint":{"url":{"ref":"Endpoint"},"properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
   "endpoint":{"url":"https://test.{Region}.amazonaws.com","properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[],"error":"Invalid Configuration: Missing Region","type":"error"}]}"#;

pub static SERVICE: ServiceMeta = ServiceMeta {
    service_shape_name: "TestService",
    sdk_id: "Test Service",
    signing_name: "testsvc",
    protocol: JsonProtocol::AwsJson1_1,
    api_version: "2020-01-01",
    endpoint_rules: RuleSetSource::new(RULES),
};

pub static SERVICE_1_0: ServiceMeta = ServiceMeta {
    service_shape_name: "TestService10",
    sdk_id: "Test Service Ten",
    signing_name: "testsvc",
    protocol: JsonProtocol::AwsJson1_0,
    api_version: "2020-01-01",
    endpoint_rules: RuleSetSource::new(RULES),
};

pub static DO_THING: OperationMeta = OperationMeta {
    name: "DoThing",
    auth: AuthRequirement::None,
    request_compression: &[],
    endpoint_discovery: None,
    endpoint: awsjson_runtime::endpoint::EndpointBindings::NONE,
};

pub static ADMIN_THING: OperationMeta = OperationMeta {
    name: "AdminThing",
    auth: AuthRequirement::SigV4,
    request_compression: &[],
    endpoint_discovery: None,
    endpoint: awsjson_runtime::endpoint::EndpointBindings::NONE,
};

#[derive(Serialize, Default, Clone)]
#[serde(rename_all = "PascalCase")]
pub struct DoThingInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl fmt::Debug for DoThingInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DoThingInput")
            .field("name", &self.name)
            .field("count", &self.count)
            .field(
                "password",
                &self.password.as_ref().map(|_| awsjson_runtime::REDACTED),
            )
            .finish()
    }
}

impl Validate for DoThingInput {
    fn validate(&self, v: &mut Validator) {
        if let Some(name) = &self.name {
            v.length("Name", name.chars().count(), Some(1), Some(10));
            static NAME: awsjson_runtime::StaticPattern =
                awsjson_runtime::StaticPattern::new(r"^[\w]+$");
            v.pattern("Name", name, &NAME);
        }
        if let Some(count) = self.count {
            v.range("Count", f64::from(count), Some(0.0), Some(100.0));
        }
    }
}

#[derive(Deserialize, Debug, Default, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct DoThingOutput {
    #[serde(default)]
    pub value: Option<String>,
    /// Set by the runtime from `x-amzn-RequestId`, as for generated outputs.
    #[serde(skip)]
    pub request_id: Option<String>,
}

impl awsjson_runtime::OperationOutput for DoThingOutput {
    fn set_request_id(&mut self, request_id: Option<String>) {
        self.request_id = request_id;
    }
}

#[derive(Deserialize, Debug, Default)]
pub struct ModeledError {
    #[serde(default, alias = "Message")]
    pub message: Option<String>,
    #[serde(skip)]
    pub meta: ErrorMeta,
}

impl ModeledError {
    fn from_body(meta: &ErrorMeta, body: &[u8]) -> Option<Self> {
        let mut e: ModeledError = serde_json::from_slice(body).ok()?;
        e.meta = meta.clone();
        Some(e)
    }
}

/// Like a generated per-operation error enum.
#[derive(Debug)]
pub enum DoThingError {
    NotAuthorized(ModeledError),
    UserNotFound(ModeledError),
    ResourceNotFound(ModeledError),
    TooManyRequests(ModeledError),
    RetryMe(ModeledError),
    Unhandled(Error),
}

impl fmt::Display for DoThingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DoThingError::NotAuthorized(e)
            | DoThingError::UserNotFound(e)
            | DoThingError::ResourceNotFound(e)
            | DoThingError::TooManyRequests(e)
            | DoThingError::RetryMe(e) => fmt::Display::fmt(&e.meta, f),
            DoThingError::Unhandled(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for DoThingError {}

impl OperationError for DoThingError {
    fn from_modeled(meta: &ErrorMeta, body: &[u8]) -> Option<Self> {
        Some(match meta.code() {
            "NotAuthorizedException" => {
                DoThingError::NotAuthorized(ModeledError::from_body(meta, body)?)
            }
            "UserNotFoundException" => {
                DoThingError::UserNotFound(ModeledError::from_body(meta, body)?)
            }
            "ResourceNotFoundException" => {
                DoThingError::ResourceNotFound(ModeledError::from_body(meta, body)?)
            }
            "TooManyRequestsException" => {
                DoThingError::TooManyRequests(ModeledError::from_body(meta, body)?)
            }
            "RetryMeException" => DoThingError::RetryMe(ModeledError::from_body(meta, body)?),
            _ => return None,
        })
    }

    fn unhandled(err: Error) -> Self {
        DoThingError::Unhandled(err)
    }

    fn is_retryable(&self) -> bool {
        matches!(self, DoThingError::RetryMe(_))
    }
}

#[allow(unused_imports)]
pub use test_support::http::{json, raw, with_header, Action, Recorded, TestServer};

/// Fast retries for tests.
pub fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryConfig::default()
    }
}

pub fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .retry(fast_retry(3))
        .env_vars(Vec::<(String, String)>::new())
}

pub fn handle(builder: ConfigBuilder) -> Handle {
    Handle::new(builder.build().expect("valid config")).expect("handle")
}

pub async fn call(h: &Handle, input: &DoThingInput) -> Result<DoThingOutput, DoThingError> {
    h.invoke(&SERVICE, &DO_THING, input).await
}

pub async fn call_signed(h: &Handle, input: &DoThingInput) -> Result<DoThingOutput, DoThingError> {
    h.invoke(&SERVICE, &ADMIN_THING, input).await
}
