//! Naming policy: which Rust name each shape, member and variant gets. Decided on the whole model,
//! so that a name never depends on which operations were chosen. (How a single Smithy name is
//! spelled in Rust is [`crate::names`]; this module decides *which* name a shape takes.)

use crate::names::{camel, snake};
use crate::smithy::{short_name, Model, ShapeKind};
use crate::traits;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The Rust type name of every named shape.
#[derive(Debug, Default)]
pub struct TypeNames {
    names: HashMap<String, String>,
}

impl TypeNames {
    /// Names for every named shape (structure, union, enum, intEnum, enum-trait string), and
    /// `{Op}Input` / `{Op}Output` for an input or output used by one operation alone and by no
    /// member (as aws-sdk-rust names them).
    pub fn assign(model: &Model, all_operations: &BTreeSet<String>) -> Self {
        let mut member_targets: HashSet<&str> = HashSet::new();
        for shape in model.shapes.values() {
            for (_, m) in shape.members.iter() {
                member_targets.insert(&m.target);
            }
            for m in [&shape.member, &shape.key, &shape.value]
                .into_iter()
                .flatten()
            {
                member_targets.insert(&m.target);
            }
        }
        let mut io_uses: HashMap<&str, usize> = HashMap::new();
        for op_id in all_operations {
            if let Some(op) = model.shapes.get(op_id) {
                for t in [&op.input, &op.output].into_iter().flatten() {
                    *io_uses.entry(&t.target).or_default() += 1;
                }
            }
        }
        let mut names = HashMap::new();
        for (id, shape) in &model.shapes {
            let named = matches!(
                shape.kind,
                ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum
            ) || (shape.kind == ShapeKind::String && shape.has_trait(traits::ENUM));
            if named {
                names.insert(id.clone(), camel(short_name(id)));
            }
        }
        for op_id in all_operations {
            let Some(op) = model.shapes.get(op_id) else {
                continue;
            };
            let op_name = operation_type_name(op_id);
            for (t, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
                if let Some(t) = t {
                    let exclusive = io_uses.get(t.target.as_str()) == Some(&1)
                        && !member_targets.contains(t.target.as_str());
                    if exclusive && t.target != traits::UNIT {
                        names.insert(t.target.clone(), format!("{op_name}{suffix}"));
                    }
                }
            }
        }
        TypeNames { names }
    }

    /// The Rust type name of shape `id`.
    pub fn of(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| camel(short_name(id)))
    }
}

/// `InitiateAuth`: prefixes the operation's error enum, fluent builder and synthetic input/output.
pub fn operation_type_name(op_id: &str) -> String {
    camel(short_name(op_id))
}

/// `initiate_auth`: the client method.
pub fn operation_method(op_id: &str) -> String {
    snake(short_name(op_id))
}

/// A struct field for a member.
pub fn field_name(member: &str) -> String {
    snake(member)
}

/// An enum or union variant; `Unknown` is taken by the catch-all variant the emitter adds.
pub fn variant_name(name: &str) -> String {
    let name = camel(name);
    if name == "Unknown" {
        "UnknownValue".to_owned()
    } else {
        name
    }
}
