//! The fuzz harness the crates' `fuzz_*` tests and the cargo-fuzz targets in `fuzz/` share:
//! where a case's decisions come from ([`Choices`]: a seeded PRNG or the fuzzer's bytes) and
//! the stable driver ([`run`]: cases under `catch_unwind`, timed, reproducible by seed).

mod choices;
mod runner;

pub use choices::{Bytes, Choices, Rng};
pub use runner::{case_seed, run};
