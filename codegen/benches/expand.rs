//! Expansion time of a whole model (all operations and endpoint tests): target ≤ 300 ms.
//!
//! Four models: the project's (`model/`, what `cognito-idp` expands), AWS's published one
//! beside the repository (`../shared/models/`, with its HTML documentation, the heavier case),
//! SSM (144 operations, 1,417 shapes) and the largest shared model, Glue (253 operations,
//! 1,782 shapes).
//! A missing file stops the benchmark with its path; nothing is measured in its place.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read model {}: {e}", path.display()))
}

fn bench(c: &mut Criterion) {
    let opts = awsjson_codegen::Options {
        operations: None,
        endpoint_tests: true,
    };
    let models = [
        (
            "project_model_all_operations",
            read("../model/cognito-identity-provider.json"),
        ),
        (
            "official_model_all_operations",
            read("../../shared/models/cognito-identity-provider.json"),
        ),
        (
            "ssm_model_all_operations",
            read("../../shared/models/aws/ssm.json"),
        ),
        (
            "glue_model_all_operations",
            read("../../shared/models/aws/glue.json"),
        ),
    ];
    let mut g = c.benchmark_group("expand");
    g.sample_size(20);
    for (name, text) in &models {
        g.bench_function(*name, |b| {
            b.iter(|| {
                let tokens = awsjson_codegen::expand(text, &opts).expect("expands");
                // The macro hands tokens to the compiler as a stream; count them to force the work.
                tokens.into_iter().count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
