//! Structure-aware mutations of the real Cognito model, decided by the fuzzer's bytes.
#![no_main]

#[path = "../../codegen/tests/fuzzing/model.rs"]
mod model;

use std::sync::OnceLock;

fn seeds() -> &'static [model::Seed] {
    static SEEDS: OnceLock<Vec<model::Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        model::load_seeds(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/.."
        )))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut c = test_support::fuzz::Bytes(data);
    let (text, opts) = model::mutated_model(seeds(), &mut c);
    // The emitter and the Rust-syntax check for one case in eight.
    let emit = data.first().is_some_and(|b| b & 7 == 0);
    model::check_model(&text, &opts, emit);
});
