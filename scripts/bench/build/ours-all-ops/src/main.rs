//! InitiateAuth with USER_PASSWORD_AUTH, endpoint and region from the environment.
awsjson_codegen_macro::generate!("../../../../model/cognito-identity-provider.json");

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = Client::from_env().expect("configuration");
    let params: std::collections::HashMap<String, String> = [("USERNAME", "alice"), ("PASSWORD", "Passw0rd!")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let out = client
        .initiate_auth()
        .auth_flow(types::AuthFlowType::UserPasswordAuth)
        .client_id(std::env::var("CLIENT_ID").unwrap_or_default())
        .auth_parameters(params)
        .send()
        .await;
    println!("{:?}", out.map(|o| o.challenge_name));
}
