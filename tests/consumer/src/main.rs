//! The README's in-code example, completed into a program: sets up a pool, an app client and a
//! user (with the generated admin operations), then runs the example's code unchanged: SRP
//! sign-in, refresh, AdminDisableUser and a refused sign-in. scripts/consumer.sh runs it against
//! the cognito-emulator binary (AWS_ENDPOINT_URL) and checks that the README still holds this code.

use cognito_idp::auth::{AuthConfig, AuthError, Authenticator, DeviceOptions, SignInStep};
use cognito_idp::auth::{RememberedDevice, Secret};
use cognito_idp::types::{ExplicitAuthFlowsType, MessageActionType};
use std::error::Error;
use std::io::{BufRead, Write};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const USERNAME: &str = "alice";
const PASSWORD: &str = "Consumer-Passw0rd!";

#[tokio::main]
async fn main() -> Result<()> {
    let (pool_id, client_id) = set_up().await?;
    example(&pool_id, &client_id, USERNAME, PASSWORD, None, None).await
}

/// A pool with an SRP app client and a confirmed user, through the generated admin operations.
async fn set_up() -> Result<(String, String)> {
    let admin = cognito_idp::Client::from_env()?;
    let pool = admin.create_user_pool().pool_name("consumer").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let app = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("consumer-app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = app.user_pool_client.and_then(|c| c.client_id).ok_or("no client id")?;
    admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .message_action(MessageActionType::Suppress)
        .send()
        .await?;
    admin
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;
    println!("set up pool {pool_id} with app client {client_id}");
    Ok((pool_id, client_id))
}

/// An answer typed at a prompt (only a pool with MFA or a temporary password asks).
fn ask(prompt: &str) -> Result<String> {
    print!("{prompt}: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

/// The README's example.
async fn example(
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
    secret: Option<Secret>,
    remembered: Option<RememberedDevice>,
) -> Result<()> {
    let client = cognito_idp::Client::from_env()?; // AWS_REGION, AWS_ENDPOINT_URL, credentials, ...
    let config = AuthConfig::new(pool_id, client_id)
        .with_optional_client_secret(secret) // Option<Secret>
        .with_device(remembered); // Option<RememberedDevice> (serde)
    let auth = Authenticator::new(client.clone(), config)?;
    let tokens = match auth.sign_in_srp(username, password).await? {
        SignInStep::Done(tokens) => tokens,
        SignInStep::SoftwareTokenMfa(mfa) => mfa.answer(&ask("TOTP code")?).await?.done()?,
        SignInStep::NewPasswordRequired(np) => {
            let new_password = ask("new password")?;
            np.complete_with_attributes(&new_password, [("name", "Alice")]).await?.done()?
        }
        other => return Err(format!("next step: {}", other.name()).into()),
    };
    if tokens.new_device().is_some() {
        // persist confirmed.device to skip MFA next time
        let _confirmed = auth.confirm_device(&tokens, DeviceOptions::remember("laptop")).await?;
    }
    // when tokens.needs_refresh(margin) says so; DEVICE_KEY and SECRET_HASH are included
    let tokens = auth.refresh_tokens(&tokens).await?;
    println!("signed in, refreshed: valid for {} s", tokens.expires_in().as_secs());

    // Any operation, here as an administrator (SigV4 with the environment's credentials):
    let out = client.admin_disable_user().user_pool_id(pool_id).username(username).send().await?;
    println!("disabled {username} (request id {})", out.request_id().unwrap_or("none"));
    match auth.sign_in_srp(username, password).await {
        Err(AuthError::UserDisabled(e)) => println!("sign-in refused: {e}"),
        other => return Err(format!("a disabled user signed in: {:?}", other.map(|s| s.name().to_owned())).into()),
    }
    Ok(())
}
