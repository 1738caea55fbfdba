//! Consecutive SRP logins from the project's own client (generated `cognito-idp` operations +
//! `srp-core`) against the emulator, all verified: 300 by default, `EMULATOR_SRP_LOGINS=N` for
//! more (the 10,000-login run is also `cargo run --release --example srp_logins`).

mod common;

use std::time::Instant;

use cognito_emulator::Emulator;
use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consecutive_srp_logins_all_succeed() {
    let count: usize = std::env::var("EMULATOR_SRP_LOGINS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    cognito_emulator::warm_up_signing_key().unwrap();
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, secret) = app_client(&url, &pool_id, true, ALL_FLOWS).await;
    user(&url, &pool_id, "alice", "Passw0rd!", json!([])).await;
    let c = client(&url);
    let started = Instant::now();
    let mut failures = Vec::new();
    for i in 0..count {
        match srp_login(
            &c,
            &pool_id,
            &client_id,
            secret.as_deref(),
            "alice",
            "Passw0rd!",
        )
        .await
        {
            Ok(Login::Tokens(_)) => {}
            other => failures.push((i, format!("{other:?}"))),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{count} SRP logins, {} failures, {secs:.1} s, {:.0} logins/s",
        failures.len(),
        count as f64 / secs
    );
    assert!(
        failures.is_empty(),
        "failures: {:?}",
        &failures[..failures.len().min(5)]
    );
    emu.shutdown().await;
}
