//! All 21 shared models (Cognito and ../shared/models/aws/) expand, every operation and every
//! endpoint test, with no diagnostic. `scripts/compile-all-models.sh` goes further and compiles
//! each full client. The models are AWS's, beside the repository; a missing one fails loudly.

#[path = "support/shared_models.rs"]
mod shared;
use shared::shared_models;

#[test]
fn every_shared_model_expands_without_a_diagnostic() {
    let opts = awsjson_codegen::Options {
        operations: None,
        endpoint_tests: true,
    };
    let mut problems = Vec::new();
    for path in shared_models() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        match awsjson_codegen::expand_file(&path, &opts) {
            Ok(tokens) => assert!(!tokens.is_empty(), "{file}: empty expansion"),
            Err(diags) => problems.push(format!("{file}:\n{diags}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
