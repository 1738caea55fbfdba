//! A statistical timing check of the PASSWORD_VERIFIER answer, as dudect does it: two classes of
//! secrets (class 0: one fixed password; class 1: a fresh random password of the same length for
//! every measurement), drawn in random order, each answer timed; then Welch's t-test between the
//! classes, on all measurements and on the measurements below several percentiles (cropping
//! removes the long tail that other work on a shared machine adds). A |t| above 4.5 means the
//! classes take measurably different time.
//!
//! The password decides every secret of the answer: x, v = g^x, k·v, B − k·v, the exponent
//! a + u·x, S, TB(S), K and the MAC. Everything public is the same for both classes: SRP_B,
//! SALT, SECRET_BLOCK, TIMESTAMP, and A and u, because the ephemeral a is fixed (A and u are
//! public functions of a, so varying a would also vary public work, such as printing A, that
//! may take data-dependent time without revealing anything secret).
//!
//! `dudect [MEASUREMENTS]` (default 100000) prints one Markdown table; `scripts/bench-dudect.sh`
//! runs it in release mode and puts the table in BENCHMARKS.md.

use std::time::Instant;

use srp_core::{
    PasswordVerifierChallenge, SrpClient, SrpServer, Timestamp, Verifier, EPHEMERAL_BYTES,
};

const POOL: &str = "AbCdEf123";
const USER: &str = "alice";
const PASSWORD_LEN: usize = 16;
const SECRET_BLOCK: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v";
const T_LIMIT: f64 = 4.5;

/// xorshift64*: the class order and the random secrets (the timing test needs no CSPRNG, and a
/// seeded generator makes a run repeatable).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Welch's t statistic of two samples kept as running sums (Welford's method).
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.n > 1.0 {
            self.m2 / (self.n - 1.0)
        } else {
            0.0
        }
    }
}

fn welch_t(a: &Moments, b: &Moments) -> f64 {
    let se = (a.variance() / a.n + b.variance() / b.n).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (a.mean - b.mean) / se
    }
}

fn main() {
    let measurements: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    let verifier =
        Verifier::from_known_salt("fa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5", POOL, USER, "Passw0rd!")
            .expect("verifier");
    let server = SrpServer::new(&verifier).expect("server");
    let salt = verifier.salt_hex();
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let timestamp = Timestamp::parse("Tue Mar 5 07:04:09 UTC 2024").expect("timestamp");

    let a: Vec<u8> = (0..EPHEMERAL_BYTES).map(|_| rng.next() as u8).collect();
    let client = SrpClient::from_known_ephemeral(&a).expect("a");
    let fixed_password = "a".repeat(PASSWORD_LEN);
    let alphabet: Vec<char> = ('!'..='~').collect();

    // Warm up the fixed-base tables and the caches before measuring.
    for _ in 0..20 {
        std::hint::black_box(
            client
                .user_password_claim(POOL, USER, &fixed_password, &challenge, &timestamp)
                .ok(),
        );
    }

    let mut times: Vec<(u8, f64)> = Vec::with_capacity(measurements);
    let started = Instant::now();
    for _ in 0..measurements {
        let class = (rng.next() & 1) as u8;
        let password: String = if class == 0 {
            fixed_password.clone()
        } else {
            (0..PASSWORD_LEN)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        };
        let start = Instant::now();
        let claim = client.user_password_claim(POOL, USER, &password, &challenge, &timestamp);
        let elapsed = start.elapsed().as_secs_f64() * 1e6;
        std::hint::black_box(claim.ok());
        times.push((class, elapsed));
    }
    let wall = started.elapsed().as_secs_f64();

    // Crops: all measurements, then those below the p-th percentile of the pooled times.
    let mut sorted: Vec<f64> = times.iter().map(|&(_, t)| t).collect();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let percentile = |p: f64| sorted[((sorted.len() as f64 - 1.0) * p) as usize];
    let mut rows = Vec::new();
    let mut worst = 0.0f64;
    for p in [1.0, 0.99, 0.95, 0.9, 0.75, 0.5, 0.25, 0.1] {
        let limit = percentile(p);
        let mut classes = [Moments::default(); 2];
        for &(class, t) in times.iter().filter(|&&(_, t)| t <= limit) {
            classes[class as usize].push(t);
        }
        let t = welch_t(&classes[0], &classes[1]);
        worst = worst.max(t.abs());
        rows.push(format!(
            "| {} | {} / {} | {:.1} / {:.1} | {:+.2} |",
            if p == 1.0 {
                "all".to_owned()
            } else {
                format!("below the {:.0}th percentile", p * 100.0)
            },
            classes[0].n,
            classes[1].n,
            classes[0].mean,
            classes[1].mean,
            t
        ));
    }
    let verdict = if worst < T_LIMIT { "met" } else { "MISSED" };
    println!(
        "{measurements} measurements of the PASSWORD_VERIFIER answer in {wall:.0} s; median {:.1} µs",
        percentile(0.5)
    );
    println!();
    println!("| measurements | fixed / random | mean µs, fixed / random | Welch's t |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!();
    println!("Target: |t| < {T_LIMIT} in every crop: **{verdict}** (largest |t| = {worst:.2}).");
    if worst >= T_LIMIT {
        std::process::exit(1);
    }
}
