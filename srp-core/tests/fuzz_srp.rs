//! Fuzzing srp-core's parsing of challenge parameters (stable harness). `cargo test -p srp-core
//! --test fuzz_srp` runs a smoke pass; `FUZZ_CASES=1000000` (or `scripts/fuzz.sh`) the full one.
//! The cargo-fuzz target `srp` in `fuzz/` drives the same code with coverage feedback.

#[path = "fuzzing/srp.rs"]
mod srp;

use test_support::fuzz::{Choices, Rng};

#[test]
fn fuzz_challenge_parameter_parsing() {
    test_support::fuzz::run("srp-params", 2_000, |seed| {
        let mut rng = Rng(seed);
        // One case in 256 also computes the whole claim (two 3072-bit exponentiations).
        let claim = rng.chance(256);
        srp::run(&mut rng, claim);
    });
}

/// The undamaged samples make a valid claim the server accepts: the damage starts from
/// values that work.
#[test]
fn samples_are_a_working_exchange() {
    let s = srp::samples();
    let t = srp_core::Timestamp::parse(&s.timestamp).unwrap();
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: &s.salt,
        srp_b: &s.srp_b,
        secret_block: &s.secret_block,
    };
    let claim = s
        .client
        .user_password_claim("AbC123", "alice", "pw", &challenge, &t)
        .unwrap();
    let block = srp_core::encoding::base64_decode_lenient(&s.secret_block);
    s.server
        .verify_claim(
            &s.srp_a,
            "AbC123",
            "alice",
            &block,
            &claim.timestamp,
            &claim.signature,
        )
        .unwrap();
    srp_core::Verifier::from_device_config(&s.device_verifier, &s.device_salt).unwrap();
}
