//! The corpus of broken models in `tests/broken-models/`: each `<name>.json` (or a missing
//! file, for `missing_file`) with `<name>.expected` holding the whole diagnostic list, one
//! diagnostic per line as it is displayed (location and message), in the order reported. A
//! changed, missing or extra diagnostic fails the case; `UPDATE_EXPECTED=1` rewrites the files
//! (review the diff). `ok_*` models are legitimate (recursion, keywords): their list is empty
//! and they must generate valid Rust. Every model runs through the library under a time limit
//! and without panicking; some also through the print command to check what a user sees.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// Stands for the corpus directory in expectations (no machine's path goes into a file).
const CORPUS: &str = "<corpus>";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-models")
}

/// Expand `path` on another thread: a hang fails the test instead of blocking it. `Err` holds
/// every diagnostic as displayed.
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
    expected_file: PathBuf,
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
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            expected_file: p,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn operations(model: &Path) -> Option<Vec<String>> {
    let ops = std::fs::read_to_string(model.with_extension("ops")).ok()?;
    Some(ops.trim().split(',').map(|s| s.trim().to_owned()).collect())
}

/// The diagnostics as the corpus writes them: the corpus directory replaced by `<corpus>`.
fn shown(diagnostics: Vec<String>) -> Vec<String> {
    let dir = corpus().to_string_lossy().into_owned();
    diagnostics
        .into_iter()
        .map(|d| d.replace(&dir, CORPUS))
        .collect()
}

#[test]
fn every_model_has_its_expectation_and_every_expectation_its_model() {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        match ext {
            "json" | "ops" if !path.with_extension("expected").is_file() => {
                problems.push(format!("{stem}.{ext} has no {stem}.expected"))
            }
            "expected" if stem != "missing_file" && !path.with_extension("json").is_file() => {
                problems.push(format!("{stem}.expected has no {stem}.json"))
            }
            "json" | "ops" | "expected" => {}
            other => problems.push(format!("unexpected file {stem}.{other}")),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_model_reports_exactly_its_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for case in cases() {
        let actual = match expand(&case.model, operations(&case.model)) {
            Ok(_) => Vec::new(),
            Err(d) => shown(d),
        };
        if case.name.starts_with("ok_") != actual.is_empty() {
            failures.push(format!(
                "{}: an ok_ model must generate and only an ok_ model may: {actual:#?}",
                case.name
            ));
        }
        if update {
            let mut text = actual.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            std::fs::write(&case.expected_file, text).unwrap();
            continue;
        }
        if actual != case.expected {
            let missing: Vec<_> = case
                .expected
                .iter()
                .filter(|e| !actual.contains(e))
                .collect();
            let extra: Vec<_> = actual
                .iter()
                .filter(|a| !case.expected.contains(a))
                .collect();
            failures.push(format!(
                "{}: diagnostics differ (UPDATE_EXPECTED=1 rewrites the file)\n  expected but not \
                 reported: {missing:#?}\n  reported but not expected: {extra:#?}\n  (same sets: \
                 the order differs)",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a user of the print command sees: failure status, each diagnostic on stderr, then the
/// count and the model path.
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
        let mut want: Vec<String> = case
            .expected
            .iter()
            .map(|e| format!("error: {e}"))
            .collect();
        want.push(format!(
            "{} error(s) in `{}`",
            case.expected.len(),
            case.model.display()
        ));
        let got: Vec<&str> = stderr.lines().collect();
        assert_eq!(got, want, "{name}");
    }
}
