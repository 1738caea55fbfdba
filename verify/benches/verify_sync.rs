//! `verify_sync` of a real access token (signed in to the emulator) against a bare ring RS256
//! check of the same token and against aws-jwt-verify's `verifier.verify` in Node (JWKS
//! cached), in one run: ours and ring interleaved before and after the Node measurement.
//! Prints one JSON line. Run by scripts/bench-verify.sh, which writes BENCHMARKS.md.
//!
//! Environment: BENCH_SAMPLES (per implementation and round, default 20000),
//! PEERS_NODE_MODULES (aws-jwt-verify's node_modules; required).

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use cognito_verify::{TokenUse, Verifier};
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{json, Value};

fn call(emu: &Emulator, op: &str, body: Value) -> Value {
    let (status, out) = emu.handle_json(
        &format!("AWSCognitoIdentityProviderService.{op}"),
        body.to_string().as_bytes(),
    );
    let out: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(status, 200, "{op}: {out}");
    out
}

/// A real access token, its pool, client and JWKS.
async fn sign_in() -> (String, String, String, Value) {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let pool = call(&emu, "CreateUserPool", json!({"PoolName": "bench"}));
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = call(
        &emu,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "bench",
               "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    );
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    call(
        &emu,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "bench", "MessageAction": "SUPPRESS"}),
    );
    call(
        &emu,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "bench", "Password": "Bench-Passw0rd", "Permanent": true}),
    );
    let out = call(
        &emu,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": "bench", "PASSWORD": "Bench-Passw0rd"}}),
    );
    let token = out["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/{pool_id}/.well-known/jwks.json", emu.endpoint_url());
    let jwks =
        serde_json::from_str(&reqwest::get(url).await.unwrap().text().await.unwrap()).unwrap();
    emu.shutdown().await;
    (token, pool_id, client_id, jwks)
}

/// The floor: split the token, decode the signature, one ring RS256 verification.
fn bare_ring(token: &str, n: &[u8], e: &[u8]) -> bool {
    let Some((input, sig)) = token.rsplit_once('.') else {
        return false;
    };
    let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
        return false;
    };
    RsaPublicKeyComponents { n, e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
        .is_ok()
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

/// `samples` single-call timings of each, interleaved in blocks of 50 so both see the same
/// machine.
fn round(samples: usize, ours: &dyn Fn() -> bool, ring: &dyn Fn() -> bool) -> (Vec<f64>, Vec<f64>) {
    let (mut a, mut b) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for _ in 0..samples / 50 {
        for _ in 0..50 {
            let t = Instant::now();
            assert!(black_box(ours()));
            a.push(t.elapsed().as_secs_f64() * 1e6);
        }
        for _ in 0..50 {
            let t = Instant::now();
            assert!(black_box(ring()));
            b.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    (a, b)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` probe bench binaries
    }
    let samples: usize = std::env::var("BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let node_modules = std::env::var("PEERS_NODE_MODULES").expect(
        "PEERS_NODE_MODULES: aws-jwt-verify's node_modules (scripts/bench-verify.sh sets it)",
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (token, pool_id, client_id, jwks) = rt.block_on(sign_in());

    let verifier = Verifier::builder(&pool_id)
        .token_use(TokenUse::Access)
        .client_id(&client_id)
        .with_jwks(jwks.to_string())
        .build()
        .unwrap();
    let jwk = &jwks["keys"][0];
    let part = |k: &str| URL_SAFE_NO_PAD.decode(jwk[k].as_str().unwrap()).unwrap();
    let (n, e) = (part("n"), part("e"));
    let ours = || verifier.verify_sync(black_box(&token)).is_ok();
    let ring = || bare_ring(black_box(&token), &n, &e);
    assert!(ours() && ring());
    round(2_000, &ours, &ring); // warm-up

    let (mut ours1, mut ring1) = round(samples, &ours, &ring);

    let input = std::env::temp_dir().join(format!("bench-verify-{}.json", std::process::id()));
    std::fs::write(
        &input,
        json!({"token": token, "pool_id": pool_id, "client_id": client_id, "jwks": jwks})
            .to_string(),
    )
    .unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/bench/verify/aws_jwt_verify.cjs"
    );
    let out = Command::new("node")
        .args([
            script,
            &node_modules,
            input.to_str().unwrap(),
            &samples.to_string(),
        ])
        .output()
        .expect("run node");
    std::fs::remove_file(&input).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let node: Value = serde_json::from_slice(&out.stdout).unwrap();

    let (mut ours2, mut ring2) = round(samples, &ours, &ring);
    let o1 = median(&mut ours1);
    let r1 = median(&mut ring1);
    let o2 = median(&mut ours2);
    let r2 = median(&mut ring2);
    let mut all_ours: Vec<f64> = ours1.iter().chain(&ours2).copied().collect();
    let mut all_ring: Vec<f64> = ring1.iter().chain(&ring2).copied().collect();
    let ours_p50 = median(&mut all_ours);
    let ring_p50 = median(&mut all_ring);
    let node_p50 = node["verify_p50_us"].as_f64().unwrap();
    println!(
        "{}",
        json!({
            "samples": samples,
            "token_bytes": token.len(),
            "ours_p50_us": ours_p50,
            "ring_p50_us": ring_p50,
            "ours_rounds_us": [o1, o2],
            "ring_rounds_us": [r1, r2],
            "aws_jwt_verify_verify_p50_us": node_p50,
            "aws_jwt_verify_verify_sync_p50_us": node["verify_sync_p50_us"],
            "node_bare_crypto_p50_us": node["bare_crypto_p50_us"],
            "node": node["node"],
            "ratio_to_aws_jwt_verify": ours_p50 / node_p50,
            "ratio_to_ring": ours_p50 / ring_p50,
        })
    );
}
