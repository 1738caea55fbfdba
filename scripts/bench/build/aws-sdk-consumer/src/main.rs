//! Same steps as tests/consumer: set up a pool, an SRP app client and a user; SRP sign-in
//! (USER_SRP_AUTH, PASSWORD_VERIFIER), REFRESH_TOKEN_AUTH, AdminDisableUser, a refused sign-in.
use aws_cognito_srp::{SrpClient, User};
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
};
use aws_sdk_cognitoidentityprovider::Client;
use std::error::Error;

const USERNAME: &str = "alice";
const PASSWORD: &str = "Consumer-Passw0rd!";

async fn sign_in_srp(
    client: &Client,
    pool_id: &str,
    client_id: &str,
) -> Result<(String, String), Box<dyn Error>> {
    let srp = SrpClient::new(User::new(pool_id, USERNAME, PASSWORD), client_id, None);
    let params = srp.get_auth_parameters();
    let started = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(client_id)
        .auth_parameters("USERNAME", params.username)
        .auth_parameters("SRP_A", params.a)
        .send()
        .await?;
    let challenge = started.challenge_parameters.unwrap_or_default();
    let get = |k: &str| challenge.get(k).cloned().ok_or(format!("no {k}"));
    let user_id = get("USER_ID_FOR_SRP")?;
    let answer = srp.verify(&get("SECRET_BLOCK")?, &user_id, &get("SALT")?, &get("SRP_B")?)?;
    let done = client
        .respond_to_auth_challenge()
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .client_id(client_id)
        .set_session(started.session)
        .challenge_responses("USERNAME", user_id)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", answer.password_claim_secret_block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", answer.password_claim_signature)
        .challenge_responses("TIMESTAMP", answer.timestamp)
        .send()
        .await?;
    let result = done.authentication_result.ok_or("no tokens")?;
    Ok((
        result.access_token.ok_or("no access token")?,
        result.refresh_token.ok_or("no refresh token")?,
    ))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    let pool = client.create_user_pool().pool_name("consumer").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("consumer-app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = app.user_pool_client.and_then(|c| c.client_id).ok_or("no client id")?;
    client
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .message_action(MessageActionType::Suppress)
        .send()
        .await?;
    client
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;

    let (_access, refresh) = sign_in_srp(&client, &pool_id, &client_id).await?;
    let refreshed = client
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&client_id)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await?;
    let expires_in = refreshed.authentication_result.map(|r| r.expires_in).unwrap_or_default();
    println!("signed in, refreshed: valid for {expires_in} s");
    client
        .admin_disable_user()
        .user_pool_id(&pool_id)
        .username(USERNAME)
        .send()
        .await?;
    match sign_in_srp(&client, &pool_id, &client_id).await {
        Err(e) => println!("sign-in refused: {e}"),
        Ok(_) => return Err("a disabled user signed in".into()),
    }
    Ok(())
}
