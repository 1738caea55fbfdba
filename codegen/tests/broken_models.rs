//! The corpus of broken models in `tests/broken-models/`: each `<name>.json` (or a missing
//! file, for `missing_file`) with `<name>.expected` listing, one per line, text that must appear
//! in the diagnostics; a line `shape: <id>` requires a diagnostic located at that shape (or
//! naming it). `ok_*` models are legitimate (recursion, keywords) and must generate valid Rust.
//! Every model runs through the library under a time limit and without panicking; some also
//! through the print command (`tests/cli.rs` style) to check what a user sees.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-models")
}

/// Expand `path` on another thread: a hang fails the test instead of blocking it.
fn expand(path: &Path, operations: Option<Vec<String>>) -> Result<String, Vec<String>> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_owned();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let opts = awsjson_codegen::Options {
                operations,
                endpoint_tests: true,
            };
            let r = std::panic::catch_unwind(|| match awsjson_codegen::expand_file(&path, &opts) {
                Ok(tokens) => awsjson_codegen::pretty(tokens).map_err(|e| vec![e]),
                Err(d) => Err(d.iter().map(|d| d.to_string()).collect()),
            });
            let _ = tx.send(r);
        })
        .unwrap();
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => panic!("the generator panicked"),
        Err(_) => panic!("the generator did not finish within 20 s"),
    }
}

struct Case {
    name: String,
    model: PathBuf,
    expected: Vec<String>,
}

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("expected"))
        .map(|p| Case {
            name: p.file_stem().unwrap().to_string_lossy().into_owned(),
            model: p.with_extension("json"),
            expected: std::fs::read_to_string(&p)
                .unwrap()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn operations(model: &Path) -> Option<Vec<String>> {
    let ops = std::fs::read_to_string(model.with_extension("ops")).ok()?;
    Some(ops.trim().split(',').map(|s| s.trim().to_owned()).collect())
}

#[test]
fn corpus_has_at_least_twenty_broken_models() {
    let broken = cases()
        .iter()
        .filter(|c| !c.name.starts_with("ok_"))
        .count();
    assert!(broken >= 20, "{broken} broken models");
}

#[test]
fn every_broken_model_reports_what_and_where() {
    let mut failures = Vec::new();
    for case in cases() {
        let result = expand(&case.model, operations(&case.model));
        if case.name.starts_with("ok_") {
            if let Err(e) = result {
                failures.push(format!("{}: expected to generate, got {e:?}", case.name));
            }
            continue;
        }
        let diags = match result {
            Ok(_) => {
                failures.push(format!("{}: generated, expected an error", case.name));
                continue;
            }
            Err(d) => d,
        };
        for want in &case.expected {
            let found = match want.strip_prefix("shape: ") {
                Some(shape) => diags.iter().any(|d| d.contains(shape)),
                None => diags.iter().any(|d| d.contains(want.as_str())),
            };
            if !found {
                failures.push(format!(
                    "{}: no diagnostic has {want:?}: {diags:#?}",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a user of the print command sees: failure status and the message on stderr.
#[test]
fn print_command_reports_broken_models() {
    for name in [
        "bad_json",
        "dangling_target",
        "member_targets_operation",
        "two_services",
    ] {
        let case = cases().into_iter().find(|c| c.name == name).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_awsjson-codegen"))
            .arg("--model")
            .arg(&case.model)
            .output()
            .expect("run codegen");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}");
        assert!(out.stdout.is_empty(), "{name}: printed code");
        for want in &case.expected {
            let want = want.strip_prefix("shape: ").unwrap_or(want);
            assert!(stderr.contains(want), "{name}: {want:?} not in {stderr}");
        }
    }
}
