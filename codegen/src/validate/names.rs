//! Rules on the lowered IR, where Rust names are known: two model names that become one Rust
//! name would be a compile error in the user's crate, so the generator refuses them with both
//! model names. The names the expansion adds (builders, error enums, client methods) come from
//! the emitters that define them.

use crate::diagnostics::Diagnostics;
use crate::emit::defined;
use crate::ir::{Field, Operation, Service, TypeDef};
use crate::names::bare;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The clash rules of one type.
pub fn check_type(t: &TypeDef, diags: &mut Diagnostics) {
    match t {
        TypeDef::Struct(s) => {
            check_field_names(&s.shape_id, &s.fields, diags);
            if s.error.is_some() {
                check_error_fields(&s.shape_id, &s.fields, diags);
            }
        }
        TypeDef::Union(u) => check_clashes(
            &u.shape_id,
            u.variants
                .iter()
                .map(|v| (v.name.as_str(), v.wire_name.as_str())),
            diags,
        ),
        TypeDef::Enum(e) => check_clashes(
            &e.shape_id,
            e.variants
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str())),
            diags,
        ),
        TypeDef::IntEnum(e) => {
            let labels: Vec<(String, String)> = e
                .variants
                .iter()
                .map(|v| (v.name.clone(), v.value.to_string()))
                .collect();
            check_clashes(
                &e.shape_id,
                labels.iter().map(|(a, b)| (a.as_str(), b.as_str())),
                diags,
            )
        }
    }
}

/// Two members that become one field; and a member `SetX` beside `X`, whose field would be
/// called like the builder's `set_x` of the other.
fn check_field_names(id: &str, fields: &[Field], diags: &mut Diagnostics) {
    check_clashes(
        id,
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.wire_name.as_str())),
        diags,
    );
    let names: HashSet<&str> = fields.iter().map(|f| bare(&f.name)).collect();
    for f in fields {
        let setter = defined::whole_setter(&f.name);
        if names.contains(setter.as_str()) {
            diags.error(
                Some(id),
                Some(&f.wire_name),
                format!("the builder method `{setter}` of `{}` clashes with the member that becomes `{setter}`", f.wire_name),
            );
        }
    }
}

/// Error structs carry their response metadata in a field of their own.
fn check_error_fields(id: &str, fields: &[Field], diags: &mut Diagnostics) {
    let meta = defined::ERROR_META_FIELD;
    if fields.iter().any(|f| f.name == meta) {
        diags.error(
            Some(id),
            Some(meta),
            format!(
                "an error member named `{meta}` clashes with the generated error metadata field"
            ),
        );
    }
}

/// Two errors of an operation that become one variant of its error enum, or one that takes the
/// name of a variant the enum always has.
pub fn check_operation_errors(op: &Operation, diags: &mut Diagnostics) {
    check_clashes(
        &op.shape_id,
        op.errors
            .iter()
            .map(|e| (e.type_name.as_str(), e.code.as_str())),
        diags,
    );
    for reserved in defined::ERROR_ENUM_VARIANTS {
        if op.errors.iter().any(|e| e.type_name == *reserved) {
            diags.error(
                Some(&op.shape_id),
                None,
                format!("an error shape named `{reserved}` clashes with the generated `{reserved}` variant"),
            );
        }
    }
}

/// Two model names (`wire`) that become one Rust name (`rust`) within shape `id`.
fn check_clashes<'a>(
    id: &str,
    names: impl Iterator<Item = (&'a str, &'a str)>,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (rust, wire) in names {
        if let Some(prev) = seen.insert(rust, wire) {
            diags.error(
                Some(id),
                Some(wire),
                format!("`{prev}` and `{wire}` both become `{}` in Rust", bare(rust)),
            );
        }
    }
}

/// Two types of the expansion with one name: shapes, their builders, and each operation's error
/// enum and fluent builder.
pub fn check_type_names(service: &Service, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut clash = |diags: &mut Diagnostics, name: String, what: String| {
        if let Some(prev) = seen.get(&name) {
            diags.error(
                None,
                None,
                format!("{prev} and {what} both become the Rust type `{name}`"),
            );
        } else {
            seen.insert(name, what);
        }
    };
    for t in &service.types {
        match t {
            TypeDef::Struct(s) => {
                clash(diags, s.name.clone(), format!("shape `{}`", s.shape_id));
                if s.error.is_none() {
                    clash(
                        diags,
                        defined::builder(&s.name),
                        format!("the builder of `{}`", s.shape_id),
                    );
                }
            }
            TypeDef::Enum(e) => clash(diags, e.name.clone(), format!("enum `{}`", e.name)),
            TypeDef::IntEnum(e) => clash(diags, e.name.clone(), format!("intEnum `{}`", e.name)),
            TypeDef::Union(u) => clash(diags, u.name.clone(), format!("union `{}`", u.name)),
        }
    }
    for op in &service.operations {
        clash(
            diags,
            defined::error_enum(op),
            format!("the error enum of operation `{}`", op.wire_name),
        );
        clash(
            diags,
            defined::fluent_builder(op),
            format!("the fluent builder of operation `{}`", op.wire_name),
        );
    }
}

/// Two client methods with one name: the client's own, and each operation's pair.
pub fn check_client_methods(service: &Service, diags: &mut Diagnostics) {
    let mut methods: BTreeMap<String, String> = defined::CLIENT_METHODS
        .iter()
        .map(|m| (m.to_string(), "a Client method".to_owned()))
        .collect();
    for op in &service.operations {
        for m in defined::operation_methods(op) {
            if let Some(prev) = methods.insert(m.clone(), format!("operation `{}`", op.wire_name)) {
                diags.error(
                    None,
                    None,
                    format!(
                        "{prev} and operation `{}` both become the method `{m}`",
                        op.wire_name
                    ),
                );
            }
        }
    }
}
