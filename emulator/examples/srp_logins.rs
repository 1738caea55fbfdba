//! N consecutive USER_SRP_AUTH logins (default 10,000) from the project's own client — the
//! generated `cognito-idp` operations and `srp-core`'s client role — against an in-process
//! emulator that verifies every claim. Exits non-zero on any failure.
//!
//!     cargo run --release -p cognito-emulator --example srp_logins -- 10000

use std::collections::HashMap;
use std::time::Instant;

use cognito_emulator::Emulator;
use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{AuthFlowType, ChallengeNameType};
use cognito_idp::Client;

const PASSWORD: &str = "Passw0rd!";

async fn login(client: &Client, pool_id: &str, client_id: &str) -> Result<(), String> {
    let srp = srp_core::SrpClient::new().map_err(|e| e.to_string())?;
    let params: HashMap<String, String> = [
        ("USERNAME".to_owned(), "alice".to_owned()),
        ("SRP_A".to_owned(), srp.srp_a().to_owned()),
    ]
    .into_iter()
    .collect();
    let out = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(client_id)
        .auth_parameters(params)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let p = out.challenge_parameters.unwrap_or_default();
    let get = |k: &str| p.get(k).cloned().ok_or_else(|| format!("no {k}"));
    let (salt, srp_b, block, user_id) = (
        get("SALT")?,
        get("SRP_B")?,
        get("SECRET_BLOCK")?,
        get("USER_ID_FOR_SRP")?,
    );
    let claim = srp
        .user_password_claim(
            srp_core::pool_name(pool_id).map_err(|e| e.to_string())?,
            &user_id,
            PASSWORD,
            &srp_core::PasswordVerifierChallenge {
                salt: &salt,
                srp_b: &srp_b,
                secret_block: &block,
            },
            &srp_core::Timestamp::now().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    let responses: HashMap<String, String> = [
        ("USERNAME".to_owned(), get("USERNAME")?),
        ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), claim.secret_block),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), claim.signature),
        ("TIMESTAMP".to_owned(), claim.timestamp),
    ]
    .into_iter()
    .collect();
    let mut req = client
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses(responses);
    if let Some(s) = out.session {
        req = req.session(s);
    }
    let out = req.send().await.map_err(|e| e.to_string())?;
    match out.authentication_result.and_then(|r| r.access_token) {
        Some(_) => Ok(()),
        None => Err("no access token".into()),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 10_000,
    };
    cognito_emulator::warm_up_signing_key()?;
    let emu = Emulator::start("127.0.0.1:0").await?;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(emu.endpoint_url())
        .credentials(Credentials::new("AKIDTEST", "secret", None))
        .max_attempts(1)
        .build()?;
    let client = Client::new(config)?;
    let pool = client.create_user_pool().pool_name("bench").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("bench")
        .send()
        .await?;
    let client_id = app
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("no client id")?;
    client
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .message_action("SUPPRESS")
        .send()
        .await?;
    client
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("alice")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await?;

    let started = Instant::now();
    let mut failures = 0usize;
    for i in 0..count {
        if let Err(e) = login(&client, &pool_id, &client_id).await {
            failures += 1;
            eprintln!("login {i} failed: {e}");
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{count} SRP logins, {failures} failures, {secs:.1} s, {:.0} logins/s",
        count as f64 / secs
    );
    emu.shutdown().await;
    if failures > 0 {
        std::process::exit(1);
    }
    Ok(())
}
