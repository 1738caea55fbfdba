//! Fuzzing the token parser and the whole verification (stable harness). `cargo test -p
//! cognito-verify --test fuzz_token` runs a smoke pass; `FUZZ_CASES=1000000` (or
//! `scripts/fuzz.sh token`) the full one. The cargo-fuzz target `token` in `fuzz/` drives the
//! same code with coverage feedback.

#[path = "fuzzing/token.rs"]
mod token;

use test_support::fuzz::Rng;

#[test]
fn fuzz_token_parsing_and_verification() {
    let harness = token::harness();
    let executions = test_support::fuzz::run("token", 2_000, |seed| harness.run(&mut Rng(seed)));
    let (accepted, claim_refusals) = harness.stats();
    println!("fuzz token: verifications accepted={accepted} refused-by-claims={claim_refusals}");
    // Over a real run (not one replayed case), the damage must reach the claim checks.
    if executions >= 1_000 {
        assert!(
            accepted > 0 && claim_refusals > 0,
            "the damage never reaches the claim checks"
        );
    }
}

/// The undamaged samples verify: the damage starts from tokens that work.
#[test]
fn samples_verify() {
    assert!(token::harness().samples_verify());
}
