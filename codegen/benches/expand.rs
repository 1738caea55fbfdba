//! Expansion time of the full official model (all operations): target ≤ 300 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models/cognito-identity-provider.json");
    let path = if path.exists() {
        path
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/cognito-identity-provider.json")
    };
    let text = std::fs::read_to_string(&path).expect("model file");
    let opts = awsjson_codegen::Options {
        operations: None,
        endpoint_tests: true,
    };
    let mut g = c.benchmark_group("expand");
    g.sample_size(20);
    g.bench_function("full_model_all_operations", |b| {
        b.iter(|| {
            let tokens = awsjson_codegen::expand(&text, &opts).expect("expands");
            // The macro hands tokens to the compiler as a stream; count them to force the work.
            tokens.into_iter().count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
