//! The no-argument demo: a local Cognito in this process, a demo pool, app client and user,
//! and a real SRP sign-in (the emulator verifies the password claim), step by step.

use cognito_emulator::Emulator;
use cognito_idp::auth::{AuthConfig, Authenticator};
use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{AttributeType, ExplicitAuthFlowsType, MessageActionType};
use cognito_idp::Client;

use crate::fail::Fail;
use crate::output;

const USERNAME: &str = "demo-user";
const PASSWORD: &str = "Demo-Passw0rd!";

pub async fn run(verify: bool) -> Result<(), Fail> {
    println!(
        "No user pool given: starting a local Cognito (the project's emulator) in this process."
    );
    let emulator = Emulator::start("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let url = emulator.endpoint_url();
    println!("  listening on {url}");
    let result = sign_in(&url, verify).await;
    emulator.shutdown().await;
    result
}

fn client(url: &str) -> Result<Client, Fail> {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        // the emulator takes any credentials for the Admin* setup calls
        .credentials(Credentials::new("demo", "demo", None))
        .max_attempts(1)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Client::new(config).map_err(|e| e.to_string())?)
}

async fn sign_in(url: &str, verify: bool) -> Result<(), Fail> {
    let admin = client(url)?;
    let pool_id = admin
        .create_user_pool()
        .pool_name("cognito-login-demo")
        .send()
        .await
        .map_err(|e| format!("CreateUserPool: {e}"))?
        .user_pool
        .and_then(|p| p.id)
        .ok_or("CreateUserPool returned no pool id")?;
    let client_id = admin
        .create_user_pool_client()
        .user_pool_id(pool_id.clone())
        .client_name("demo-app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .map_err(|e| format!("CreateUserPoolClient: {e}"))?
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("CreateUserPoolClient returned no client id")?;
    admin
        .admin_create_user()
        .user_pool_id(pool_id.clone())
        .username(USERNAME)
        .message_action(MessageActionType::Suppress)
        .user_attributes(AttributeType {
            name: "email".into(),
            value: Some("demo@example.com".into()),
        })
        .send()
        .await
        .map_err(|e| format!("AdminCreateUser: {e}"))?;
    admin
        .admin_set_user_password()
        .user_pool_id(pool_id.clone())
        .username(USERNAME)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .map_err(|e| format!("AdminSetUserPassword: {e}"))?;
    println!("  created user pool {pool_id}, app client {client_id}, user {USERNAME:?}");
    println!();
    println!("Signing in with USER_SRP_AUTH (the password never leaves this process):");

    let config = AuthConfig::new(&pool_id, &client_id)
        .with_observer(|event| println!("{}", output::describe(event)));
    let auth = Authenticator::new(client(url)?, config)?;
    let tokens = auth.sign_in_srp(USERNAME, PASSWORD).await?.done()?;
    println!();
    print!("{}", output::summary(&tokens, "USER_SRP_AUTH"));

    if verify {
        println!();
        let jwks = crate::verify::jwks_url(&pool_id, Some(url), None);
        print!(
            "{}",
            crate::verify::report(&tokens, &pool_id, &client_id, jwks).await?
        );
    }

    println!();
    println!("Refreshing with REFRESH_TOKEN_AUTH:");
    let fresh = auth.refresh_tokens(&tokens).await?;
    let kept =
        fresh.refresh_token().map(|t| t.expose()) == tokens.refresh_token().map(|t| t.expose());
    println!(
        "  new access token, valid for {} s; refresh token {}",
        fresh.expires_in().as_secs(),
        if kept {
            "kept (Cognito returned none)"
        } else {
            "replaced"
        }
    );
    println!();
    println!(
        "Against a real pool: cognito-login --user-pool-id <id> --client-id <id> --username <name>"
    );
    Ok(())
}
