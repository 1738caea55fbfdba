//! Times our full client step (A = g^a, then the PASSWORD_VERIFIER answer) on the vectors given
//! as JSON lines on stdin (the `vectors` example's format); prints the median in ms.
//! Used by scripts/bench-srp.sh to compare with the other implementations on the same inputs.
//! `time_client_step ROUNDS` uses each vector's a (128 bytes, as the official clients draw it);
//! `time_client_step ROUNDS default-ephemeral` draws a fresh a as `SrpClient::new` does.

use std::io::BufRead;
use std::time::Instant;

use serde_json::Value;
use srp_core::{PasswordVerifierChallenge, SrpClient, Timestamp};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let default_ephemeral = std::env::args().nth(2).as_deref() == Some("default-ephemeral");
    let vectors: Vec<Value> = std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| serde_json::from_str(&line).ok())
        .collect();
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    let hex = |s: &str| -> Vec<u8> {
        let s = if s.len() % 2 == 1 {
            format!("0{s}")
        } else {
            s.to_owned()
        };
        (0..s.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
            .collect()
    };
    // Build the fixed-base tables outside the timed region, as in any long-lived process.
    let _ = SrpClient::new();
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for v in &vectors {
            let a = hex(&text(v, "a"));
            let (salt, srp_b, block) = (text(v, "salt"), text(v, "srp_b"), text(v, "secret_block"));
            let (pool, user, password) = (
                text(v, "pool_name"),
                text(v, "user_id"),
                text(v, "password"),
            );
            let Ok(timestamp) = Timestamp::parse(&text(v, "timestamp")) else {
                continue;
            };
            let start = Instant::now();
            let client = if default_ephemeral {
                SrpClient::new().expect("a")
            } else {
                SrpClient::from_known_ephemeral(&a).expect("a")
            };
            let challenge = PasswordVerifierChallenge {
                salt: &salt,
                srp_b: &srp_b,
                secret_block: &block,
            };
            let claim = client.user_password_claim(&pool, &user, &password, &challenge, &timestamp);
            samples.push(start.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box((client.srp_a().len(), claim.is_ok()));
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{{\"median_ms\": {}, \"samples\": {}}}",
        samples[samples.len() / 2],
        samples.len()
    );
}
