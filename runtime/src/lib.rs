//! Service-agnostic awsJson 1.0 / 1.1 client runtime.
//!
//! Generated Smithy clients are declarations plus thin glue; everything that behaves lives here:
//! configuration ([`Config`]), endpoint resolution ([`endpoint`]), the awsJson wire protocol and
//! error decoding ([`Handle::invoke`]), retries with a retry quota ([`RetryConfig`]), timeouts
//! ([`Timeouts`]), SigV4 signing (cargo feature `sigv4`), validation ([`Validator`]) and the support
//! types the generated code names ([`DateTime`], [`Blob`], [`Document`], [`BigNumber`]).
//!
//! The seam with the generated code is described in `docs/runtime-contract.md` of the workspace.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod credentials;
pub mod endpoint;
mod error;
mod handle;
pub mod http;
mod output;
pub mod paginate;
#[doc(hidden)]
pub mod private;
mod retry;
#[cfg(feature = "sigv4")]
mod sign;
mod types;
mod validate;
#[cfg(test)]
mod xorshift;

pub use config::{Config, ConfigBuilder, ConfigError, Timeouts};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{
    BuildError, Error, ErrorMeta, InvalidResponseKind, OperationError, TimeoutKind, TransportKind,
};
pub use handle::Handle;
pub use output::OperationOutput;
pub use retry::RetryConfig;
pub use types::{idempotency_token, BigNumber, Blob, DateTime, Document};
pub use validate::{Validate, ValidationError, ValidationProblem, ValidationRule, Validator};

/// The text that `Debug` output shows in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The awsJson protocol version of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonProtocol {
    /// `aws.protocols#awsJson1_0`: `Content-Type: application/x-amz-json-1.0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: `Content-Type: application/x-amz-json-1.1`.
    AwsJson1_1,
}

impl JsonProtocol {
    /// The request `Content-Type` of this protocol.
    pub const fn content_type(self) -> &'static str {
        match self {
            JsonProtocol::AwsJson1_0 => "application/x-amz-json-1.0",
            JsonProtocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// What the generated code knows about a service, as one `static`.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The service shape's name, the `X-Amz-Target` prefix (`AWSCognitoIdentityProviderService`).
    pub service_shape_name: &'static str,
    /// `aws.api#service` sdkId (`Cognito Identity Provider`); names `AWS_ENDPOINT_URL_<SDK_ID>`.
    pub sdk_id: &'static str,
    /// `aws.auth#sigv4` signing name (`cognito-idp`).
    pub signing_name: &'static str,
    /// awsJson 1.0 or 1.1.
    pub protocol: JsonProtocol,
    /// The service's `version` (`2016-04-18`).
    pub api_version: &'static str,
    /// The `smithy.rules#endpointRuleSet` JSON, parsed on first use.
    pub endpoint_rules: endpoint::RuleSetSource,
}

impl ServiceMeta {
    /// The service-specific endpoint variable: `AWS_ENDPOINT_URL_` + sdkId in upper snake case.
    pub fn endpoint_env_var(&self) -> String {
        config::service_endpoint_env_var(self.sdk_id)
    }
}

/// How an operation authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthRequirement {
    /// `smithy.api#auth: []` or `@optionalAuth`: sent unsigned; credentials are never looked up.
    None,
    /// AWS Signature Version 4 (needs the cargo feature `sigv4`).
    SigV4,
}

/// What the generated code knows about one operation, as one `static`.
#[derive(Clone, Copy, Debug)]
pub struct OperationMeta {
    /// The operation's shape name, the `X-Amz-Target` suffix (`InitiateAuth`).
    pub name: &'static str,
    /// How the operation authenticates.
    pub auth: AuthRequirement,
}
