//! Fuzzing the model parser, validator, lowering and emitter (stable harness).
//!
//! `cargo test -p awsjson-codegen --test fuzz_model` runs a smoke pass; `FUZZ_CASES=1000000` (or
//! `scripts/fuzz.sh`) the full one. The same generators drive the coverage-guided targets in
//! `fuzz/` (cargo-fuzz, nightly). Findings are kept as files in `tests/fuzz-regressions/`.

#[path = "fuzzing/model.rs"]
mod model;

use std::path::Path;
use std::sync::OnceLock;
use test_support::fuzz::{run, Choices, Rng};

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn seeds() -> &'static [model::Seed] {
    static SEEDS: OnceLock<Vec<model::Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| model::load_seeds(workspace()))
}

#[test]
fn fuzz_model_arbitrary_json() {
    run("model-arbitrary", 2_000, |seed| {
        let mut rng = Rng(seed);
        let text = model::arbitrary_model(&mut rng);
        let operations = if rng.chance(2) {
            None
        } else {
            Some(vec!["Op".into()])
        };
        let opts = model::options(operations, rng.chance(2));
        model::check_model(&text, &opts, true);
    });
}

#[test]
fn fuzz_model_mutations_of_the_real_model() {
    let seeds = seeds();
    run("model-mutations", 2_000, |seed| {
        let mut rng = Rng(seed);
        let (text, opts) = model::mutated_model(seeds, &mut rng);
        dump(&text, &opts);
        // One case in 32 also runs the emitter and parses its output as Rust.
        model::check_model(&text, &opts, rng.chance(32));
    });
}

/// With `FUZZ_DUMP=<dir>`, write each case's model and operations there first (use with
/// `FUZZ_CASE` to turn a finding into a regression file).
fn dump(text: &[u8], opts: &awsjson_codegen::Options) {
    if let Some(dir) = std::env::var_os("FUZZ_DUMP") {
        let dir = Path::new(&dir);
        std::fs::write(dir.join("case.json"), text).unwrap();
        let ops = opts
            .operations
            .as_ref()
            .map_or("*".to_owned(), |o| o.join(","));
        std::fs::write(dir.join("case.ops"), ops).unwrap();
    }
}

/// The unmutated seeds generate: the mutations start from valid models.
#[test]
fn seeds_are_valid_models() {
    for s in seeds() {
        let opts = model::options(Some(s.operations.clone()), true);
        let text = serde_json::to_string(&s.model).unwrap();
        if let Err(d) = awsjson_codegen::expand(&text, &opts) {
            panic!(
                "{:?}: {:?}",
                s.operations,
                d.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            );
        }
    }
}

/// Every input a fuzzer once crashed on: `<name>.json`, with its operations (comma-separated,
/// `*` for all) on the first line of `<name>.ops` if present.
#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read(&path).unwrap();
        let ops = std::fs::read_to_string(path.with_extension("ops")).ok();
        let operations = match ops.as_deref().map(str::trim) {
            None | Some("*") => None,
            Some(list) => Some(list.split(',').map(|s| s.trim().to_owned()).collect()),
        };
        for endpoint_tests in [false, true] {
            let opts = model::options(operations.clone(), endpoint_tests);
            let result = std::panic::catch_unwind(|| model::check_model(&text, &opts, true));
            assert!(result.is_ok(), "{} fails again", path.display());
        }
    }
}
