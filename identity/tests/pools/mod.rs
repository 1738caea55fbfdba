//! Identity-pool setup shared by the tests against the emulator and against moto: the
//! generated Cognito Identity client for a local endpoint, and pools with a user pool provider.
#![allow(dead_code)]

use cognito_identity::runtime::{Config, Credentials};
use cognito_identity::types::CognitoIdentityProvider;
use cognito_identity::Client;

pub const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/identity-authenticated";
pub const UNAUTH_ROLE: &str = "arn:aws:iam::123456789012:role/identity-unauthenticated";

/// The identity client for a local endpoint, with test credentials for the SigV4 operations.
pub fn identity_client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("testing", "testing", None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("identity client")
}

/// `cognito-idp.<region>.amazonaws.com/<pool id>`
pub fn provider_name(user_pool_id: &str) -> String {
    cognito_identity::user_pool_provider(user_pool_id)
}

/// An identity pool accepting ID tokens of `client_id` in `user_pool_id`.
pub async fn identity_pool(
    client: &Client,
    user_pool_id: &str,
    client_id: &str,
    allow_unauthenticated: bool,
) -> String {
    client
        .create_identity_pool()
        .identity_pool_name(format!("pool{}", std::process::id()))
        .allow_unauthenticated_identities(allow_unauthenticated)
        .cognito_identity_providers(CognitoIdentityProvider {
            provider_name: Some(provider_name(user_pool_id)),
            client_id: Some(client_id.to_owned()),
            server_side_token_check: Some(false),
        })
        .send()
        .await
        .expect("CreateIdentityPool")
        .identity_pool_id
}
