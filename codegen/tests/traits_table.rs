//! `docs/traits.md` accounts for every trait of the 21 shared models: a model holding a trait the
//! table does not list fails here, as does a row with an unknown status or a wrong "Occurs" count.
//! The models are AWS's (../shared/models/, beside the repository); a missing one fails loudly.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[path = "support/shared_models.rs"]
mod shared;
use shared::shared_models;

const STATUSES: &[&str] = &["implemented", "ignored", "refused", "pending"];

/// Every trait id on a shape, its members, list/map members, or an `apply` entry.
fn traits_of(model: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut take = |traits: Option<&Value>| {
        if let Some(Value::Object(t)) = traits {
            found.extend(t.keys().cloned());
        }
    };
    let shapes = model["shapes"].as_object().expect("a `shapes` object");
    for shape in shapes.values() {
        take(shape.get("traits"));
        if let Some(Value::Object(members)) = shape.get("members") {
            for m in members.values() {
                take(m.get("traits"));
            }
        }
        for part in ["member", "key", "value"] {
            if let Some(m) = shape.get(part) {
                take(m.get("traits"));
            }
        }
    }
    found
}

struct Row {
    status: String,
    occurs: Option<usize>,
    text: String,
}

/// Trait id → its row. A first cell may name several traits (backticked, comma-separated).
fn table() -> BTreeMap<String, Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/traits.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert!(
            cells.len() >= 4,
            "a row needs trait, occurs, status, what: {line}"
        );
        let status = cells[2].to_owned();
        assert!(
            STATUSES.contains(&status.as_str()),
            "status `{status}` is not one of {STATUSES:?}: {line}"
        );
        if status == "pending" {
            assert!(
                cells[3].contains("item "),
                "a pending row names the issue item that finishes it: {line}"
            );
        }
        let ids: Vec<String> = cells[0]
            .split(',')
            .map(|s| s.trim().trim_matches('`').to_owned())
            .collect();
        let occurs = if ids.len() == 1 {
            cells[1].parse().ok()
        } else {
            None
        };
        for id in ids {
            assert!(id.contains('#'), "`{id}` is not a shape id: {line}");
            let previous = rows.insert(
                id.clone(),
                Row {
                    status: status.clone(),
                    occurs,
                    text: line.to_owned(),
                },
            );
            assert!(previous.is_none(), "`{id}` is listed twice");
        }
    }
    rows
}

#[test]
fn every_trait_of_the_shared_models_is_in_the_table() {
    let rows = table();
    let mut models_using: BTreeMap<String, usize> = BTreeMap::new();
    for path in shared_models() {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let model: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        for t in traits_of(&model) {
            *models_using.entry(t).or_default() += 1;
        }
    }
    let missing: Vec<&String> = models_using
        .keys()
        .filter(|t| !rows.contains_key(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/traits.md does not list these traits of the shared models: {missing:?}"
    );
    for (id, row) in &rows {
        if let Some(n) = row.occurs {
            let seen = models_using.get(id).copied().unwrap_or(0);
            assert_eq!(
                n, seen,
                "`{id}` occurs in {seen} shared models, the table says {n}: {}",
                row.text
            );
        }
    }
    let pending: Vec<&String> = rows
        .iter()
        .filter(|(_, r)| r.status == "pending")
        .map(|(id, _)| id)
        .collect();
    println!("pending rows: {pending:?}");
}
