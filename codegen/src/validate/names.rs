//! Rules on the lowered IR, where Rust names are known: two model names that become one Rust
//! name (`FooBar` and `Foo_Bar`) would be a compile error in the user's crate, so the generator
//! refuses them with both model names. A model name cannot meet a name the expansion adds: each
//! generated module holds one kind of name (see `emit::emit`), and lowering renames members,
//! variants and client methods around the generated ones (`lower::naming`).

use crate::diagnostics::Diagnostics;
use crate::emit::defined;
use crate::ir::{Field, Operation, Service, TypeDef};
use crate::names::bare;
use std::collections::{BTreeMap, HashMap};

/// The clash rules of one type.
pub fn check_type(t: &TypeDef, diags: &mut Diagnostics) {
    match t {
        TypeDef::Struct(s) => check_field_names(&s.shape_id, &s.fields, diags),
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

/// Two members that become one field.
fn check_field_names(id: &str, fields: &[Field], diags: &mut Diagnostics) {
    check_clashes(
        id,
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.wire_name.as_str())),
        diags,
    );
}

/// Two errors of an operation that become one variant of its error enum; two members of its
/// input or output that become one field.
pub fn check_operation(op: &Operation, diags: &mut Diagnostics) {
    check_clashes(
        &op.shape_id,
        op.errors
            .iter()
            .map(|e| (e.variant.as_str(), e.code.as_str())),
        diags,
    );
    check_field_names(&op.input.shape_id, &op.input.fields, diags);
    check_field_names(&op.output.shape_id, &op.output.fields, diags);
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

/// Two shapes that become one Rust type of `types` (or of `types::error`), two operations that
/// become one module of `operation`, two waiters that become one type of `waiters`.
pub fn check_type_names(service: &Service, diags: &mut Diagnostics) {
    let mut shapes = Names::default();
    let mut errors = Names::default();
    for t in &service.types {
        let (names, name, what) = match t {
            TypeDef::Struct(s) if s.error.is_some() => (&mut errors, &s.name, &s.shape_id),
            TypeDef::Struct(s) => (&mut shapes, &s.name, &s.shape_id),
            TypeDef::Enum(e) => (&mut shapes, &e.name, &e.shape_id),
            TypeDef::IntEnum(e) => (&mut shapes, &e.name, &e.shape_id),
            TypeDef::Union(u) => (&mut shapes, &u.name, &u.shape_id),
        };
        names.add(diags, "the Rust type", name, format!("shape `{what}`"));
    }
    let mut modules = Names::default();
    let mut waiters = Names::default();
    for op in &service.operations {
        modules.add(
            diags,
            "the module",
            &format!("operation::{}", bare(&op.module)),
            format!("operation `{}`", op.wire_name),
        );
        for w in &op.waiters {
            waiters.add(
                diags,
                "the waiter",
                &heck::ToUpperCamelCase::to_upper_camel_case(w.name.as_str()),
                format!("waiter `{}`", w.name),
            );
        }
    }
}

/// Two client methods with one name: the client's own, each operation's and each waiter's.
pub fn check_client_methods(service: &Service, diags: &mut Diagnostics) {
    let mut methods = Names::default();
    for m in defined::CLIENT_METHODS {
        methods
            .seen
            .insert(m.to_string(), "a method of every Client".to_owned());
    }
    for op in &service.operations {
        methods.add(
            diags,
            "the method",
            bare(&op.method),
            format!("operation `{}`", op.wire_name),
        );
        for w in &op.waiters {
            methods.add(
                diags,
                "the method",
                bare(&w.method),
                format!("waiter `{}`", w.name),
            );
        }
    }
}

/// Rust names taken so far in one namespace, with the model name that took each.
#[derive(Default)]
struct Names {
    seen: BTreeMap<String, String>,
}

impl Names {
    fn add(&mut self, diags: &mut Diagnostics, kind: &str, name: &str, what: String) {
        match self.seen.get(name) {
            Some(prev) => diags.error(
                None,
                None,
                format!("{prev} and {what} both become {kind} `{name}`"),
            ),
            None => {
                self.seen.insert(name.to_owned(), what);
            }
        }
    }
}
