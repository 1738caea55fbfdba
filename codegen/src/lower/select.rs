//! Operation selection: every operation of the service (directly or through its resources), the
//! ones the user asked for, and a suggestion for each name that matches none.

use crate::diagnostics::did_you_mean;
use crate::smithy::{short_name, Model, Shape, ShapeKind};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The operations to generate.
#[derive(Debug, Default)]
pub struct Selection {
    /// Every operation of the service, by shape id (names are decided on all of them).
    pub all: BTreeSet<String>,
    /// The chosen operations' shape ids, sorted.
    pub chosen: Vec<String>,
    /// Requested names that match no operation, each with the closest real name if one is close.
    pub unknown: Vec<(String, Option<String>)>,
}

/// Select `requested` (model names or shape ids; `None`: all) among the service's operations.
pub fn select(model: &Model, service: &Shape, requested: Option<&[String]>) -> Selection {
    let mut all = BTreeSet::new();
    collect_operations(model, service, &mut all, &mut HashSet::new());
    let by_name: BTreeMap<&str, &String> = all.iter().map(|id| (short_name(id), id)).collect();
    let mut unknown = Vec::new();
    let chosen = match requested {
        None => all.iter().cloned().collect(),
        Some(list) => {
            let mut chosen = BTreeSet::new();
            for name in list {
                match by_name
                    .get(name.as_str())
                    .copied()
                    .or_else(|| all.get(name))
                {
                    Some(id) => {
                        chosen.insert(id.clone());
                    }
                    None => {
                        let hint = did_you_mean(name, by_name.keys().copied()).map(str::to_owned);
                        unknown.push((name.clone(), hint));
                    }
                }
            }
            chosen.into_iter().collect()
        }
    };
    Selection {
        all,
        chosen,
        unknown,
    }
}

/// The operations bound to a service or resource, and those of its resources, recursively.
fn collect_operations(
    model: &Model,
    container: &Shape,
    out: &mut BTreeSet<String>,
    seen: &mut HashSet<String>,
) {
    let lifecycle = [
        &container.create,
        &container.put,
        &container.read,
        &container.update,
        &container.delete,
        &container.list,
    ];
    for t in container
        .operations
        .iter()
        .chain(&container.collection_operations)
        .chain(lifecycle.into_iter().flatten())
    {
        if model.kind_of(&t.target) == Some(ShapeKind::Operation) {
            out.insert(t.target.clone());
        }
    }
    for r in &container.resources {
        if seen.insert(r.target.clone()) {
            if let Some(resource) = model.shapes.get(&r.target) {
                collect_operations(model, resource, out, seen);
            }
        }
    }
}
