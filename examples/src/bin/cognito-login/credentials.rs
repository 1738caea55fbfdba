//! `--identity-pool-id ID --credentials`: the AWS credentials of the signed-in user (or of a
//! guest) from an identity pool, printed as `credential_process` JSON, so a profile with
//! `credential_process = cognito-login ... --credentials` hands them to any AWS tool.

use cognito_identity::credentials::CognitoCredentialsProvider;
use cognito_idp::auth::{Authenticator, MemoryStore, Session, Tokens};
use cognito_idp::runtime::Credentials;

use crate::args::Args;
use crate::{output, Fail};

fn identity_client(args: &Args, pool_id: &str) -> Result<cognito_identity::Client, Fail> {
    let region = match &args.region {
        Some(r) => r.clone(),
        None => pool_id
            .split_once(':')
            .map(|(region, _)| region.to_owned())
            .ok_or("the identity pool id must look like <region>:<uuid>")?,
    };
    let config = crate::config::client_config(args, region)?;
    cognito_identity::Client::new(config).map_err(|e| Fail(format!("invalid configuration: {e}")))
}

async fn print(provider: CognitoCredentialsProvider) -> Result<(), Fail> {
    let credentials: Credentials = provider
        .credentials()
        .await
        .map_err(|e| Fail(e.to_string()))?;
    if let Some(id) = provider.identity_id() {
        eprintln!("identity {id}");
    }
    println!("{}", output::credential_process_json(&credentials)?);
    Ok(())
}

fn builder(
    args: &Args,
) -> Result<cognito_identity::credentials::CognitoCredentialsProviderBuilder, Fail> {
    let pool_id = args
        .identity_pool_id
        .clone()
        .ok_or("--credentials needs --identity-pool-id")?;
    let mut builder =
        CognitoCredentialsProvider::builder(identity_client(args, &pool_id)?, pool_id);
    if let Some(arn) = &args.role_arn {
        builder = builder.custom_role_arn(arn.clone());
    }
    Ok(builder)
}

/// The signed-in user's credentials: their ID token is the identity pool login.
pub async fn print_for(args: &Args, auth: Authenticator, tokens: &Tokens) -> Result<(), Fail> {
    let session = Session::new(auth, MemoryStore::new());
    session
        .start(tokens)
        .await
        .map_err(|e| Fail(e.to_string()))?;
    let provider = builder(args)?
        .logins(session)
        .build()
        .map_err(|e| Fail(e.to_string()))?;
    print(provider).await
}

/// A guest's credentials (the pool must allow unauthenticated identities).
pub async fn print_guest(args: &Args) -> Result<(), Fail> {
    let provider = builder(args)?.build().map_err(|e| Fail(e.to_string()))?;
    print(provider).await
}
