//! Naming policy: which Rust name each shape, member and variant gets. Decided on the whole model,
//! so that a name never depends on which operations were chosen. (How a single Smithy name is
//! spelled in Rust is [`crate::names`]; this module decides *which* name a shape takes.)

use crate::emit::defined;
use crate::names::{camel, snake};
use crate::smithy::{short_name, Model, ShapeKind};
use crate::traits;
use std::collections::{HashMap, HashSet};

/// The Rust type name of every named shape (structure, union, enum, intEnum, enum-trait
/// string): the shape's name in UpperCamelCase. Operation inputs and outputs are named by
/// their operation instead (`{Op}Input`, `{Op}Output`, see [`operation_type_name`]) and live in
/// its module, so no shape name can take theirs.
#[derive(Debug, Default)]
pub struct TypeNames {
    names: HashMap<String, String>,
}

impl TypeNames {
    pub fn assign(model: &Model) -> Self {
        let names = model
            .shapes
            .iter()
            .filter(|(_, shape)| {
                matches!(
                    shape.kind,
                    ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum
                ) || (shape.kind == ShapeKind::String && shape.has_trait(traits::ENUM))
            })
            .map(|(id, _)| (id.clone(), camel(short_name(id))))
            .collect();
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

/// `InitiateAuth`: prefixes the operation's input, output, error enum and builders.
pub fn operation_type_name(op_id: &str) -> String {
    camel(short_name(op_id))
}

/// `initiate_auth`: the operation's module under `operation::`.
pub fn operation_module(op_id: &str) -> String {
    snake(short_name(op_id))
}

/// The client method of an operation: its module name, with `_operation` appended when the
/// client has a method of that name whatever the model (`config`, `new`, `from_env`) or a
/// waiter's (`wait_until_x` beside waiter `X`).
pub fn client_method(op_id: &str, waiter_methods: &HashSet<String>) -> String {
    let name = operation_module(op_id);
    let bare = crate::names::bare(&name);
    if defined::CLIENT_METHODS.contains(&bare) || waiter_methods.contains(bare) {
        format!("{bare}_operation")
    } else {
        name
    }
}

/// The struct fields of a structure's members, in order. A member whose snake_case name is a
/// method the generated builders define (`build`, `send`, `send_with`, `wait`,
/// `into_paginator`), or the whole-value setter `set_x` of another member `x`, gets `_value`
/// appended (aws-sdk-rust's rule), so its setters cannot clash with those methods.
pub fn field_names<'a>(members: impl Iterator<Item = &'a str>) -> Vec<String> {
    let plain: Vec<String> = members.map(snake).collect();
    let setters: HashSet<String> = plain.iter().map(|f| defined::whole_setter(f)).collect();
    plain
        .iter()
        .map(|f| {
            let bare = crate::names::bare(f);
            if defined::BUILDER_METHODS.contains(&bare) || setters.contains(bare) {
                format!("{bare}_value")
            } else {
                f.clone()
            }
        })
        .collect()
}

/// The variants of an operation's error enum for its errors' struct names: a name the enum
/// always has (`Unhandled`, `Validation`) gets `Error` appended, again while another variant
/// has it.
pub fn error_variants(type_names: &[String]) -> Vec<String> {
    let mut taken: HashSet<String> = defined::ERROR_ENUM_VARIANTS
        .iter()
        .map(|v| v.to_string())
        .chain(type_names.iter().cloned())
        .collect();
    type_names
        .iter()
        .map(|name| {
            if !defined::ERROR_ENUM_VARIANTS.contains(&name.as_str()) {
                return name.clone();
            }
            let mut variant = format!("{name}Error");
            while taken.contains(&variant) {
                variant.push_str("Error");
            }
            taken.insert(variant.clone());
            variant
        })
        .collect()
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
