//! Typed async client for Amazon Cognito user pools (`cognito-idp`), generated at build time from
//! the project's Smithy model (`model/cognito-identity-provider.json`) by `codegen-macro`, over the
//! service-agnostic `awsjson-runtime`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cognito_idp::{types::AuthFlowType, Client};
//! let client = Client::from_env()?;
//! let out = client
//!     .initiate_auth()
//!     .auth_flow(AuthFlowType::UserPasswordAuth)
//!     .client_id("1example23456789")
//!     .auth_parameters([("USERNAME".to_owned(), "alice".to_owned())].into_iter().collect::<std::collections::HashMap<_, _>>())
//!     .send()
//!     .await?;
//! println!("{:?}", out.challenge_name);
//! # Ok(()) }
//! ```
//!
//! Sign-in flows over these operations are in [`auth`]; OAuth 2.0 with the user pool's domain
//! (managed login with PKCE, refresh, revoke, userInfo, client_credentials) is in [`oauth`].
//!
//! Every operation has a fluent builder (`client.sign_up().username(..).send().await`) and a
//! direct call taking the input struct (`client.call_sign_up(input).await`). Each returns its
//! own error enum (`error::SignUpError`) with one variant per modeled error plus `Unhandled`.
//!
//! # Adding an operation
//!
//! The model in `model/` covers the whole service; this crate generates only the operations named
//! below (and the shapes they reach), to keep build times low. To use another one, add its model
//! name (as in the Cognito API reference, e.g. `AdminDisableUser`) to the `operations = [..]` list
//! and rebuild; a misspelt name is a compile error that suggests the closest operation. Removing
//! the `operations` list generates all 122 operations. To see what gets generated:
//! `cargo run -p codegen -- --model model/cognito-identity-provider.json --operations AdminDisableUser`.

codegen_macro::generate!(
    "../model/cognito-identity-provider.json",
    operations = [
        // client-side sign-in and account self-service
        InitiateAuth,
        RespondToAuthChallenge,
        GetUser,
        GlobalSignOut,
        RevokeToken,
        SignUp,
        ConfirmSignUp,
        ForgotPassword,
        ConfirmForgotPassword,
        ChangePassword,
        ConfirmDevice,
        UpdateDeviceStatus,
        ForgetDevice,
        AssociateSoftwareToken,
        VerifySoftwareToken,
        GetTokensFromRefreshToken,
        // setup and administration (tests against the emulator)
        CreateUserPool,
        CreateUserPoolClient,
        AdminCreateUser,
        AdminSetUserPassword,
        AdminGetUser,
        DescribeUserPoolClient,
        ListUsers,
        AdminSetUserMFAPreference,
        AdminDeleteUser,
    ],
    endpoint_tests = true,
);

pub mod auth;
pub mod oauth;

/// The runtime this client is built on (configuration, errors, support types).
pub use awsjson_runtime as runtime;
