//! InitiateAuth with USER_PASSWORD_AUTH, endpoint and region from the environment.
use cognito_idp::{types::AuthFlowType, Client};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = Client::from_env().expect("configuration");
    let out = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(std::env::var("CLIENT_ID").unwrap_or_default())
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", "Passw0rd!")
        .send()
        .await;
    println!("{:?}", out.map(|o| o.challenge_name));
}
