//! Times the full client step of the aws-cognito-srp crate (new client with random a, SRP_A,
//! PASSWORD_VERIFIER answer) on the vectors given as JSON lines on stdin; prints the median in ms.
use std::io::BufRead;
use std::time::Instant;

use aws_cognito_srp::{SrpClient, User};

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let vectors: Vec<serde_json::Value> = std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l).expect("vector JSON"))
        .collect();
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().expect(k).to_owned();
    let mut samples = Vec::new();
    for _ in 0..rounds {
        for v in &vectors {
            let pool_id = format!("us-east-1_{}", s(v, "pool_name"));
            let start = Instant::now();
            let client = SrpClient::new(User::new(&pool_id, &s(v, "user_id"), &s(v, "password")), "client", None);
            let params = client.get_auth_parameters();
            let answer = client
                .verify(&s(v, "secret_block"), &s(v, "user_id"), &s(v, "salt"), &s(v, "srp_b"))
                .expect("verify");
            samples.push(start.elapsed().as_secs_f64() * 1e3);
            let _ = std::hint::black_box((params, answer));
        }
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    println!("{{\"median_ms\": {}, \"samples\": {}}}", samples[samples.len() / 2], samples.len());
}
