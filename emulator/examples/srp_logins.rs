//! N consecutive USER_SRP_AUTH logins (default 10,000) from the project's own client — the
//! `cognito_idp::auth` authenticator over the generated operations and srp-core — against an in-process
//! emulator that verifies every claim. Exits non-zero on any failure.
//!
//!     cargo run --release -p cognito-emulator --example srp_logins -- 10000

use std::time::Instant;

use cognito_emulator::Emulator;
use cognito_idp::auth::{AuthConfig, Authenticator, SignInStep};
use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::Client;

const PASSWORD: &str = "Passw0rd!";

/// One USER_SRP_AUTH sign-in through the project's authenticator (SRP_A, PASSWORD_VERIFIER, tokens).
async fn login(client: &Client, pool_id: &str, client_id: &str) -> Result<(), String> {
    let auth = Authenticator::new(client.clone(), AuthConfig::new(pool_id, client_id))
        .map_err(|e| e.to_string())?;
    match auth
        .sign_in_srp("alice", PASSWORD)
        .await
        .map_err(|e| e.to_string())?
    {
        SignInStep::Done(_) => Ok(()),
        other => Err(format!("unexpected next step {}", other.name())),
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
