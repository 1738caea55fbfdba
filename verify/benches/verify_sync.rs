//! `verify_sync` of real access tokens (from the emulator) in two workloads, each against a
//! bare ring RS256 check of the same tokens and against aws-jwt-verify's `verifier.verify` in
//! Node (JWKS cached), in one run:
//! - repeated: one token verified again and again (a backend seeing a session's token on every
//!   request): ours with the signature cache (the default) and without it;
//! - first sight: a different token on every call, each new to the verifier (a fresh verifier
//!   per round, cache on, so misses, inserts and evictions are all paid), and without a cache.
//!
//! Ours and ring interleave in blocks of 50 calls, in two rounds, before and after the Node
//! measurement. Prints one JSON line. Run by scripts/bench-verify.sh, which writes BENCHMARKS.md.
//!
//! Environment: BENCH_SAMPLES (calls per implementation, workload and round; also the number
//! of distinct tokens; default 20000), PEERS_NODE_MODULES (aws-jwt-verify's node_modules;
//! required).

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use cognito_verify::{decode_unverified, TokenUse, Verifier};
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{json, Value};
use test_support::emulator::in_process::call;

/// A real access token, `distinct` more of its kind (the same claims but `jti`, signed by the
/// emulator), its pool, client and JWKS.
struct Workload {
    token: String,
    distinct: Vec<String>,
    pool_id: String,
    client_id: String,
    jwks: Value,
}

async fn sign_in(distinct: usize) -> Workload {
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
    let claims = decode_unverified(&token)
        .unwrap()
        .claims()
        .clone()
        .into_map();
    let distinct = (0..distinct)
        .map(|i| {
            let mut c = claims.clone();
            // Same length as Cognito's: a UUID.
            c.insert(
                "jti".into(),
                json!(format!("{:08x}-0000-4000-8000-{:012x}", i >> 16, i)),
            );
            emu.sign_token(&c).unwrap()
        })
        .collect();
    emu.shutdown().await;
    Workload {
        token,
        distinct,
        pool_id,
        client_id,
        jwks,
    }
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

fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

/// One call of an implementation on call number `i` of a round (which token is its business).
type Call<'a> = &'a dyn Fn(usize) -> bool;

/// Single-call timings (µs) of each implementation, `samples` calls each, interleaved in blocks
/// of 50 so all see the same machine; a block's calls are numbered alike for each.
fn round(samples: usize, calls: &[Call<'_>]) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::with_capacity(samples); calls.len()];
    for block in 0..samples / 50 {
        for (call, times) in calls.iter().zip(&mut out) {
            for i in block * 50..(block + 1) * 50 {
                let t = Instant::now();
                assert!(black_box(call(i)));
                times.push(t.elapsed().as_secs_f64() * 1e6);
            }
        }
    }
    out
}

/// p50 over both rounds, and each round's.
fn summary(rounds: &[Vec<f64>; 2]) -> Value {
    let all: Vec<f64> = rounds.iter().flatten().copied().collect();
    json!({"p50_us": median(&all), "rounds_us": [median(&rounds[0]), median(&rounds[1])]})
}

/// The ratio of series `a` to series `b` (ring, the last) paired by block: the median over
/// blocks of 50 calls of (a's block p50 / b's block p50). Both ran in the same moment of the
/// same machine, so a load change between rounds, which shifts both, cancels out.
fn paired_ratio(rounds: &[Vec<Vec<f64>>], a: usize, b: usize) -> f64 {
    let ratios: Vec<f64> = rounds
        .iter()
        .flat_map(|round| {
            round[a]
                .chunks(50)
                .zip(round[b].chunks(50))
                .map(|(x, y)| median(x) / median(y))
        })
        .collect();
    median(&ratios)
}

/// One workload's figures: each of our three series (named; ring last) over both rounds, ours
/// paired with ring, and Node's.
fn workload(names: [&str; 3], rounds: &[Vec<Vec<f64>>], node: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for (which, name) in names.into_iter().enumerate() {
        let both = [rounds[0][which].clone(), rounds[1][which].clone()];
        out.insert(name.into(), summary(&both));
    }
    out.insert(
        "paired_ratio_to_ring".into(),
        json!({names[0]: paired_ratio(rounds, 0, 2), names[1]: paired_ratio(rounds, 1, 2)}),
    );
    for (ours, theirs) in [
        ("aws_jwt_verify_verify_p50_us", "verify_p50_us"),
        ("aws_jwt_verify_verify_sync_p50_us", "verify_sync_p50_us"),
        ("node_bare_crypto_p50_us", "bare_crypto_p50_us"),
    ] {
        out.insert(ours.into(), node[theirs].clone());
    }
    Value::Object(out)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and `cargo test --benches` probe bench binaries
    }
    let samples: usize = std::env::var("BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000)
        .max(100)
        / 50
        * 50;
    let node_modules = std::env::var("PEERS_NODE_MODULES").expect(
        "PEERS_NODE_MODULES: aws-jwt-verify's node_modules (scripts/bench-verify.sh sets it)",
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let w = rt.block_on(sign_in(samples));

    let verifier = |cache: bool| {
        let b = Verifier::builder(&w.pool_id)
            .token_use(TokenUse::Access)
            .client_id(&w.client_id)
            .with_jwks(w.jwks.to_string());
        if cache { b } else { b.no_signature_cache() }
            .build()
            .unwrap()
    };
    let jwk = &w.jwks["keys"][0];
    let part = |k: &str| URL_SAFE_NO_PAD.decode(jwk[k].as_str().unwrap()).unwrap();
    let (n, e) = (part("n"), part("e"));
    let ring_repeated = |_| bare_ring(black_box(&w.token), &n, &e);
    let ring_first = |i: usize| bare_ring(black_box(&w.distinct[i]), &n, &e);
    let uncached = verifier(false);
    let uncached_repeated = |_| uncached.verify_sync(black_box(&w.token)).is_ok();
    let uncached_first = |i: usize| uncached.verify_sync(black_box(&w.distinct[i])).is_ok();
    let cached = verifier(true);
    let cached_repeated = |_| cached.verify_sync(black_box(&w.token)).is_ok();

    // Repeated: ours with the cache, ours without, ring. First sight: ours with a cache that
    // has seen none of the tokens (a new verifier each round), ours without, ring.
    let repeated = |samples| {
        round(
            samples,
            &[&cached_repeated, &uncached_repeated, &ring_repeated],
        )
    };
    let first_sight = |samples| {
        let fresh = verifier(true);
        let cold = |i: usize| fresh.verify_sync(black_box(&w.distinct[i])).is_ok();
        let times = round(samples, &[&cold, &uncached_first, &ring_first]);
        let stats = fresh.signature_cache_stats();
        assert_eq!(stats.hits, 0, "first sight: no token was in the cache");
        assert_eq!(stats.misses, samples as u64);
        times
    };
    let warm_up = samples.min(2_000);
    repeated(warm_up);
    first_sight(warm_up);
    let mut repeated_rounds = vec![repeated(samples)];
    let mut first_rounds = vec![first_sight(samples)];

    let input = std::env::temp_dir().join(format!("bench-verify-{}.json", std::process::id()));
    std::fs::write(
        &input,
        json!({"token": w.token, "tokens": w.distinct, "pool_id": w.pool_id,
               "client_id": w.client_id, "jwks": w.jwks})
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

    repeated_rounds.push(repeated(samples));
    first_rounds.push(first_sight(samples));
    let cache_stats = cached.signature_cache_stats();
    assert!(
        cache_stats.hits >= 2 * samples as u64,
        "repeated: cache hits"
    );
    println!(
        "{}",
        json!({
            "samples": samples,
            "token_bytes": w.token.len(),
            "node": node["node"],
            "repeated": workload(
                ["ours_cached", "ours_uncached", "ring"],
                &repeated_rounds,
                &node["repeated"]
            ),
            "first_sight": workload(
                ["ours_cold", "ours_uncached", "ring"],
                &first_rounds,
                &node["first_sight"]
            ),
        })
    );
}
