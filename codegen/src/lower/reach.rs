//! Reachability: which shapes the chosen operations reach (only those are generated), which of
//! them an input reaches (those validate themselves), and, for the docs, which operations use
//! each shape.

use crate::smithy::{short_name, Model, ShapeKind};
use crate::traits;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the chosen operations reach.
#[derive(Debug, Default)]
pub struct Reach {
    /// Every shape of `types` and `types::error`: reached from an input's or output's members or
    /// from an error, sorted (the generation order).
    pub shapes: BTreeSet<String>,
    /// The chosen operations' input and output shapes (each operation lowers its own copy).
    pub operation_io: BTreeSet<String>,
    /// The shapes an input reaches.
    pub from_inputs: HashSet<String>,
    /// The shapes an output or error reaches (what a client decodes).
    pub decoded: HashSet<String>,
    /// The service's own errors (every operation may return them).
    pub service_errors: Vec<String>,
    /// Shape id → model names of the operations that reach it.
    used_by: HashMap<String, Vec<String>>,
}

impl Reach {
    pub fn new(model: &Model, chosen: &[String], service_errors: Vec<String>) -> Self {
        let mut reach = Reach {
            service_errors,
            ..Reach::default()
        };
        let mut from_inputs = BTreeSet::new();
        let mut decoded = BTreeSet::new();
        for op_id in chosen {
            let Some(op) = model.shapes.get(op_id) else {
                continue;
            };
            let name = short_name(op_id).to_owned();
            let mut of_op = BTreeSet::new();
            // An input or output becomes the operation's own `{Op}Input`/`{Op}Output`: only
            // what its members reach is a shape of `types` (the shape itself too, if a member
            // targets it).
            for t in op.input.iter().chain(&op.output) {
                walk_members(model, &t.target, &mut of_op);
                reach.operation_io.insert(t.target.clone());
            }
            for t in op
                .errors
                .iter()
                .map(|t| &t.target)
                .chain(&reach.service_errors)
            {
                walk(model, t, &mut of_op);
            }
            for t in op
                .output
                .iter()
                .chain(&op.errors)
                .map(|t| &t.target)
                .chain(&reach.service_errors)
            {
                walk(model, t, &mut decoded);
            }
            for id in &of_op {
                reach
                    .used_by
                    .entry(id.clone())
                    .or_default()
                    .push(name.clone());
            }
            reach.shapes.extend(of_op);
            if let Some(t) = &op.input {
                walk_members(model, &t.target, &mut from_inputs);
            }
        }
        reach.from_inputs = from_inputs.into_iter().collect();
        reach.decoded = decoded.into_iter().collect();
        reach
    }

    /// Every shape the check pass looks at: the shapes of `types` and the operations' inputs and
    /// outputs.
    pub fn checked(&self) -> impl Iterator<Item = &String> {
        self.shapes
            .iter()
            .chain(self.operation_io.difference(&self.shapes))
    }

    /// The operations that reach shape `id`.
    pub fn used_by(&self, id: &str) -> Vec<String> {
        self.used_by.get(id).cloned().unwrap_or_default()
    }
}

/// Add everything the members of `id` target to `out` (not `id` itself).
fn walk_members(model: &Model, id: &str, out: &mut BTreeSet<String>) {
    let Some(shape) = model.shapes.get(id) else {
        return;
    };
    if shape.kind != ShapeKind::Structure {
        return;
    }
    for (_, m) in shape.members.iter() {
        walk(model, &m.target, out);
    }
}

/// Add `id` and everything its members target to `out` (enum members target nothing).
fn walk(model: &Model, id: &str, out: &mut BTreeSet<String>) {
    if !out.insert(id.to_owned()) {
        return;
    }
    let Some(shape) = model.shapes.get(id) else {
        return;
    };
    if matches!(shape.kind, ShapeKind::Enum | ShapeKind::IntEnum) {
        return;
    }
    for (_, m) in shape.members.iter() {
        walk(model, &m.target, out);
    }
    for m in [&shape.member, &shape.key, &shape.value]
        .into_iter()
        .flatten()
    {
        walk(model, &m.target, out);
    }
}

/// Does a member with this target hold structures or unions (which validate themselves)?
pub fn nests(model: &Model, target: &str) -> bool {
    nests_in(model, target, &mut HashSet::new())
}

/// `seen`: the collections already followed (a list of itself must not recurse forever).
fn nests_in(model: &Model, target: &str, seen: &mut HashSet<String>) -> bool {
    let Some(s) = model.shapes.get(target) else {
        return false;
    };
    match s.kind {
        ShapeKind::Structure | ShapeKind::Union => target != traits::UNIT,
        _ if !seen.insert(target.to_owned()) => false,
        ShapeKind::List | ShapeKind::Set => s
            .member
            .as_ref()
            .is_some_and(|m| nests_in(model, &m.target, seen)),
        ShapeKind::Map => s
            .value
            .as_ref()
            .is_some_and(|m| nests_in(model, &m.target, seen)),
        _ => false,
    }
}

/// Does a direct (not through a list or map) chain of members lead from `from` back to `to`?
/// Such a member is boxed, or the type would have infinite size.
pub fn cycles_to(model: &Model, from: &str, to: &str, seen: &mut HashSet<String>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    let Some(s) = model.shapes.get(from) else {
        return false;
    };
    if !matches!(s.kind, ShapeKind::Structure | ShapeKind::Union) {
        return false;
    }
    s.members
        .iter()
        .any(|(_, m)| cycles_to(model, &m.target, to, seen))
}
