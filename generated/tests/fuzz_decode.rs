//! Fuzzing response decoding for every generated operation (stable harness): outputs, modeled
//! errors, and the runtime's whole decode path. `cargo test -p cognito-idp --test fuzz_decode`
//! runs a smoke pass; `FUZZ_CASES=1000000` (or `scripts/fuzz.sh`) the full one. The cargo-fuzz
//! target `decode` in `fuzz/` drives the same code with coverage feedback.

#[path = "fuzzing/decode.rs"]
mod decode;
#[path = "fuzzing/shapes.rs"]
mod shapes;

use test_support::fuzz::Rng;

#[test]
fn fuzz_response_decoding() {
    let harness = decode::Harness::new();
    test_support::fuzz::run("decode", 2_000, |seed| harness.run(&mut Rng(seed)));
}

/// Well-formed bodies decode: the generator's JSON is what the types expect.
#[test]
fn generated_bodies_decode() {
    let harness = decode::Harness::new();
    let shapes = shapes::Shapes::new(&harness.ir);
    let mut strings = |_: &shapes::Slot<'_>, _: u64| "x".to_owned();
    for (op, ir_op) in harness.ops.iter().zip(&harness.ir.operations) {
        for seed in 0..20 {
            let mut rng = Rng(seed);
            let v = shapes.structure(&ir_op.output.name, &mut rng, seed % 2 == 0, &mut strings);
            let body = serde_json::to_vec(&v).unwrap();
            assert!(
                (op.output)(&body),
                "{}: {}",
                op.name,
                String::from_utf8_lossy(&body)
            );
            for e in &ir_op.errors {
                let v = shapes.structure(&e.type_name, &mut rng, true, &mut strings);
                let meta = cognito_idp::runtime::ErrorMeta::new(400, e.code.clone(), None, None);
                assert!(
                    (op.error)(&meta, &serde_json::to_vec(&v).unwrap()),
                    "{} {}",
                    op.name,
                    e.code
                );
            }
        }
    }
}

/// Every body a fuzzer once crashed on: `tests/fuzz-regressions/<Operation>.<n>.json`.
#[test]
fn fuzz_regressions() {
    let harness = decode::Harness::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let op_name = name.split('.').next().unwrap();
        let body = std::fs::read(&path).unwrap();
        let (op, ir_op) = harness
            .ops
            .iter()
            .zip(&harness.ir.operations)
            .find(|(o, _)| o.name == op_name)
            .unwrap_or_else(|| panic!("{name}: no operation {op_name}"));
        (op.output)(&body);
        for e in &ir_op.errors {
            let meta = cognito_idp::runtime::ErrorMeta::new(400, e.code.clone(), None, None);
            (op.error)(&meta, &body);
        }
    }
}
