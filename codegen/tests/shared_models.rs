//! All 21 shared models (Cognito and ../shared/models/aws/) expand, every operation and every
//! endpoint test, with no diagnostic. `scripts/compile-all-models.sh` goes further and compiles
//! each full client. The models are AWS's, beside the repository; a missing one fails loudly.
//!
//! `PENDING` lists the diagnostics that issue-13 items not finished on this branch still produce;
//! a pending model must fail with exactly those (nothing new), and one that expands cleanly must be
//! taken off the list, so the list can only shrink.

#[path = "support/shared_models.rs"]
mod shared;
use shared::shared_models;

/// Model file → the diagnostics it may still give, each with the issue-13 item that removes it.
const PENDING: &[(&str, &[(&str, &str)])] = &[
    (
        "appstream.json",
        &[("item 3", "both become the Rust type `")],
    ),
    (
        "codecommit.json",
        &[("item 3", "both become the Rust type `")],
    ),
    ("glue.json", &[("item 3", "both become the Rust type `")]),
];

#[test]
fn every_shared_model_expands_without_a_diagnostic() {
    let opts = awsjson_codegen::Options {
        operations: None,
        endpoint_tests: true,
    };
    let mut problems = Vec::new();
    for path in shared_models() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let pending = PENDING.iter().find(|(f, _)| *f == file).map(|(_, p)| *p);
        match (awsjson_codegen::expand_file(&path, &opts), pending) {
            (Ok(tokens), None) => assert!(!tokens.is_empty(), "{file}: empty expansion"),
            (Ok(_), Some(_)) => problems.push(format!(
                "{file} expands cleanly now: take it off PENDING in this test"
            )),
            (Err(diags), None) => problems.push(format!("{file}:\n{diags}")),
            (Err(diags), Some(allowed)) => {
                for d in diags.iter() {
                    let text = d.to_string();
                    if !allowed.iter().any(|(_, needle)| text.contains(needle)) {
                        problems.push(format!(
                            "{file}: a diagnostic no pending item explains: {text}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
