//! Typed async client for Amazon Cognito identity pools (`cognito-identity`), generated at build
//! time from the project's Smithy model (`model/cognito-identity.json`) by the same macro as
//! `cognito-idp`, and AWS credentials from a Cognito sign-in.
//!
//! ```no_run
//! # async fn demo(session: cognito_idp::auth::Session) -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_identity::credentials::CognitoCredentialsProvider;
//!
//! let client = cognito_identity::Client::from_env()?;
//! // Enhanced flow: GetId once (the identity id is cached), then GetCredentialsForIdentity,
//! // again shortly before the credentials expire, with a fresh ID token from the session.
//! let provider = CognitoCredentialsProvider::builder(client, "us-east-1:0a1b2c3d-1111-2222-3333-444455556666")
//!     .logins(session)
//!     .build()?;
//! let credentials = provider.credentials().await?;
//! println!("identity {:?}, expires {:?}", provider.identity_id(), credentials.expiry());
//! # Ok(()) }
//! ```
//!
//! Every one of the service's 23 operations has a fluent builder
//! (`client.get_id().identity_pool_id(..).send().await`), and an input built elsewhere is sent
//! with `input.send_with(&client)`; each returns its own error enum
//! (`operation::get_id::GetIdError`).
//!
//! The [`credentials`] module turns a sign-in into AWS credentials: an implementation of this
//! project's runtime credentials provider (so any generated client can sign with them) and,
//! with the default `aws-credential-types` feature, of aws-sdk-rust's `ProvideCredentials`.

#![warn(missing_docs)]

// The endpoint tests of this model predate the partition table the runtime carries (which now
// gives the iso partitions dual-stack): tests/endpoints.rs runs them and names the difference.
awsjson_codegen_macro::generate!("model/cognito-identity.json");

pub mod credentials;
mod failure;
mod logins;

pub use logins::{user_pool_provider, LoginTokens, LoginsFuture, ProvideLogins};

/// The runtime this client is built on (configuration, errors, support types).
pub use awsjson_runtime as runtime;
