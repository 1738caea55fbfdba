//! Typed async client for Amazon Cognito user pools (`cognito-idp`), generated at build time from
//! the project's Smithy model (`model/cognito-identity-provider.json`) by `awsjson-codegen-macro`, over the
//! service-agnostic `awsjson-runtime`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_idp::{operation::initiate_auth::InitiateAuthError, types::AuthFlowType, Client};
//! let client = Client::from_env()?;
//! let out = client
//!     .initiate_auth()
//!     .auth_flow(AuthFlowType::UserPasswordAuth)
//!     .client_id("1example23456789")
//!     .auth_parameters("USERNAME", "alice") // one entry at a time
//!     .auth_parameters("PASSWORD", "correct horse battery staple")
//!     .send()
//!     .await;
//! match out {
//!     Ok(out) => println!("{:?} (request {:?})", out.challenge_name, out.request_id()),
//!     Err(InitiateAuthError::NotAuthorizedException(e)) => println!("refused: {e}"),
//!     Err(InitiateAuthError::Validation(v)) => println!("bad input, nothing sent: {v}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! The fluent builder (`client.sign_up().username(..).send().await`) is the way in: a map member
//! takes one entry per call (`.auth_parameters(key, value)`), a list member one item per call
//! (`.user_attributes(attribute)`), and `set_x(Option<..>)` sets or clears a whole value. An
//! input built elsewhere (deserialized, or from `operation::sign_up::SignUpInput::builder()`)
//! is sent with `input.send_with(&client)`. The layout is aws-sdk-rust's: the model's shapes in
//! [`types`] (builders in `types::builders`, modeled errors in `types::error`), each operation's
//! input, output and error enum in its module of [`operation`] (builders, and the fluent
//! builder, in its `builders`). Every call returns its own error enum
//! (`operation::sign_up::SignUpError`):
//! one variant per modeled error, `Validation` when the input breaks the model's constraints
//! (the problem names the member and the rule; nothing is sent), and `Unhandled` for the rest.
//! Outputs and errors give the call's request id (`request_id()`).
//!
//! Sign-in flows over these operations are in [`auth`]; OAuth 2.0 with the user pool's domain
//! (managed login with PKCE, refresh, revoke, userInfo, client_credentials) is in [`oauth`].
//!
//! # Every operation
//!
//! All 122 operations of the Cognito user-pool API are generated, with every shape they reach:
//! a dependent calls any of them (`client.admin_disable_user()`, `client.list_groups()`, ...)
//! without forking this crate. Generating all of them instead of a chosen few costs a clean
//! release build of this crate about 14 s more CPU time and no binary size (the linker drops the
//! operations a program does not call); BENCHMARKS.md has the measurements.
//!
//! The model, `model/cognito-identity-provider.json`, ships inside the crate. When AWS adds an
//! operation, a new release of this crate regenerates from the refreshed model. To generate a
//! client of your own (another awsJson service, or a chosen subset of operations), call
//! `awsjson_codegen_macro::generate!("path/to/model.json", operations = [..])` in your crate; see
//! that crate's documentation.

#![warn(missing_docs)]

awsjson_codegen_macro::generate!(
    "model/cognito-identity-provider.json",
    endpoint_tests = true,
);

pub mod auth;
pub mod oauth;

/// The runtime this client is built on (configuration, errors, support types).
pub use awsjson_runtime as runtime;
