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

mod compression;
mod config;
mod credentials;
mod discovery;
pub mod endpoint;
mod env;
mod error;
mod handle;
pub mod http;
mod lenient;
mod output;
pub mod paginate;
#[doc(hidden)]
pub mod private;
mod retry;
mod service;
#[cfg(feature = "sigv4")]
mod sign;
mod time_crates;
mod timestamp;
mod types;
mod validate;
pub mod waiter;
pub mod wire;
#[cfg(test)]
mod xorshift;

pub use config::{Config, ConfigBuilder, Timeouts};
pub use credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
pub use error::{
    BuildError, ConfigError, Error, ErrorMeta, InvalidResponseKind, OperationError, TimeoutKind,
    TransportKind,
};
pub use handle::Handle;
pub use output::OperationOutput;
pub use retry::RetryConfig;
pub use service::EndpointDiscovery;
pub use service::{AuthRequirement, JsonProtocol, OperationMeta, ServiceMeta};
pub use time_crates::OutOfRange;
pub use timestamp::TimestampParseError;
pub use types::{idempotency_token, BigNumber, Blob, DateTime, Document};
pub use validate::{
    StaticPattern, Validate, ValidationError, ValidationProblem, ValidationRule, Validator,
};

/// The text that `Debug` output shows in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
