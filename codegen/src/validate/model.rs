//! Rules on the whole raw model, before anything is lowered: shape types, targets, the service
//! and its protocol, bindings, trait values.

use crate::diagnostics::Diagnostics;
use crate::smithy::{Member, Model, ShapeKind};
use crate::traits;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

fn resolves(model: &Model, target: &str) -> bool {
    model.kind_of(target).is_some()
}

/// A type Smithy 2.0 does not define, or an `apply` the model should have applied, has no Rust
/// counterpart; a collection without its element shapes has no element type.
pub fn check_shape_types(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        match &shape.kind {
            ShapeKind::Apply => diags.error(
                Some(id),
                None,
                "`apply` shapes are not supported: apply the traits in the model",
            ),
            ShapeKind::Other(kind) => {
                diags.error(Some(id), None, format!("unsupported shape type `{kind}`"))
            }
            _ => {}
        }
        match shape.kind {
            ShapeKind::List | ShapeKind::Set if shape.member.is_none() => {
                diags.error(Some(id), None, "list shape has no `member`")
            }
            ShapeKind::Map if shape.key.is_none() || shape.value.is_none() => {
                diags.error(Some(id), None, "map shape needs a `key` and a `value`")
            }
            _ => {}
        }
    }
}

/// A target that names no shape cannot be generated (a typo or a model cut short).
pub fn check_targets(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        for (name, member) in shape.members.iter() {
            if !resolves(model, &member.target) {
                diags.error(
                    Some(id),
                    Some(name),
                    format!("target `{}` does not exist", member.target),
                );
            }
        }
        let named = [
            ("member", &shape.member),
            ("key", &shape.key),
            ("value", &shape.value),
        ];
        for (name, member) in named {
            if let Some(m) = member {
                if !resolves(model, &m.target) {
                    diags.error(
                        Some(id),
                        Some(name),
                        format!("target `{}` does not exist", m.target),
                    );
                }
            }
        }
        let single = [
            ("input", &shape.input),
            ("output", &shape.output),
            ("create", &shape.create),
            ("put", &shape.put),
            ("read", &shape.read),
            ("update", &shape.update),
            ("delete", &shape.delete),
            ("list", &shape.list),
        ];
        for (what, t) in single {
            if let Some(t) = t {
                if !resolves(model, &t.target) {
                    diags.error(
                        Some(id),
                        None,
                        format!("{what} target `{}` does not exist", t.target),
                    );
                }
            }
        }
        let many = [
            ("error", &shape.errors),
            ("operation", &shape.operations),
            ("resource", &shape.resources),
            ("operation", &shape.collection_operations),
        ];
        for (what, list) in many {
            for t in list {
                if !resolves(model, &t.target) {
                    diags.error(
                        Some(id),
                        None,
                        format!("{what} target `{}` does not exist", t.target),
                    );
                }
            }
        }
    }
}

/// Mixins are resolved by `smithy build`; reading them here would mean a second Smithy implementation.
pub fn check_mixins(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        if !shape.mixins.is_empty() {
            diags.error(
                Some(id),
                None,
                "mixins are not supported: use a flattened model (as `smithy build` writes it)",
            );
        }
    }
}

/// One expansion is one client: exactly one service per model.
pub fn check_service(model: &Model, diags: &mut Diagnostics) {
    let services: Vec<&String> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == ShapeKind::Service)
        .map(|(id, _)| id)
        .collect();
    match services.len() {
        0 => diags.error(None, None, "the model has no service shape"),
        1 => {}
        _ => diags.error(
            None,
            None,
            format!(
                "the model has {} service shapes ({}); one per model is supported",
                services.len(),
                services
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

/// The runtime speaks awsJson 1.0 and 1.1 only.
pub fn check_protocol(model: &Model, diags: &mut Diagnostics) {
    let Some((id, shape)) = model.service() else {
        return;
    };
    let protocols: Vec<&String> = shape
        .traits
        .keys()
        .filter(|k| {
            traits::PROTOCOL_NAMESPACES
                .iter()
                .any(|ns| k.starts_with(ns))
        })
        .filter(|k| {
            !traits::PROTOCOL_ANNOTATIONS
                .iter()
                .any(|a| k.ends_with(&format!("#{a}")))
        })
        .collect();
    if protocols
        .iter()
        .any(|p| traits::SUPPORTED_PROTOCOLS.contains(&p.as_str()))
    {
        return;
    }
    let msg = match protocols.first() {
        Some(p) => format!("unsupported protocol `{p}`: only aws.protocols#awsJson1_0 and aws.protocols#awsJson1_1 are supported"),
        None => "the service has no protocol trait: only aws.protocols#awsJson1_0 and aws.protocols#awsJson1_1 are supported".to_owned(),
    };
    diags.error(Some(id), None, msg);
}

/// Inputs and outputs are structures and errors `@error` structures: the client serializes the
/// one and decodes the others as such.
pub fn check_operation_shapes(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == ShapeKind::Operation)
    {
        for (what, t) in [("input", &shape.input), ("output", &shape.output)] {
            let Some(t) = t else { continue };
            match model.shapes.get(&t.target) {
                Some(s) if s.kind != ShapeKind::Structure => diags.error(
                    Some(id),
                    None,
                    format!("{what} `{}` is a {}, not a structure", t.target, s.kind),
                ),
                _ => {}
            }
        }
        for t in &shape.errors {
            match model.shapes.get(&t.target) {
                Some(s) if s.kind != ShapeKind::Structure || !s.has_trait(traits::ERROR) => diags
                    .error(
                        Some(id),
                        None,
                        format!(
                            "error `{}` is not a structure with the @error trait",
                            t.target
                        ),
                    ),
                _ => {}
            }
        }
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `namespace#Name`, the namespace dotted identifiers.
fn is_shape_id(s: &str) -> bool {
    match s.split_once('#') {
        Some((ns, name)) => is_identifier(name) && ns.split('.').all(is_identifier),
        None => false,
    }
}

/// Shape ids and member names become Rust names and `X-Amz-Target` values.
pub fn check_shape_ids(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        if !is_shape_id(id) {
            diags.error(
                Some(id),
                None,
                "not a valid shape id (expected `namespace#Name`)",
            );
        }
        for (name, _) in shape.members.iter() {
            if !is_identifier(name) && !name.starts_with(|c: char| c.is_ascii_digit()) {
                diags.error(Some(id), Some(name), "not a valid member name");
            }
        }
    }
}

/// A service binds operations and resources; anything else bound there is a broken model.
pub fn check_service_bindings(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model
        .shapes
        .iter()
        .filter(|(_, s)| matches!(s.kind, ShapeKind::Service | ShapeKind::Resource))
    {
        for (what, list) in [
            (ShapeKind::Operation, &shape.operations),
            (ShapeKind::Resource, &shape.resources),
        ] {
            for t in list {
                match model.shapes.get(&t.target) {
                    Some(s) if s.kind != what => diags.error(
                        Some(id),
                        None,
                        format!("`{}` is bound as {what} but is a {}", t.target, s.kind),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// JSON object keys are strings.
pub fn check_map_keys(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == ShapeKind::Map)
    {
        if let Some(key) = &shape.key {
            match model.kind_of(&key.target) {
                Some(ShapeKind::String | ShapeKind::Enum) | None => {}
                Some(other) => diags.error(
                    Some(id),
                    Some("key"),
                    format!("map keys must be strings, not a {other}"),
                ),
            }
        }
    }
}

fn check_traits_of(
    model: &Model,
    id: &str,
    member: Option<(&str, &Member)>,
    traits: &BTreeMap<String, Value>,
    diags: &mut Diagnostics,
) {
    let m = member.map(|(n, _)| n);
    let bounds = |v: &Value, integer: bool| match v {
        Value::Object(o) => o.iter().all(|(k, v)| {
            (k == "min" || k == "max")
                && if integer {
                    v.as_u64().is_some()
                } else {
                    v.is_number()
                }
        }),
        _ => false,
    };
    for (name, value) in traits {
        let problem = match name.as_str() {
            traits::LENGTH if !bounds(value, true) => {
                Some("must be an object with non-negative integer `min`/`max`")
            }
            traits::RANGE if !bounds(value, false) => {
                Some("must be an object with numeric `min`/`max`")
            }
            traits::PATTERN if !value.is_string() => {
                Some("must be a string (a regular expression)")
            }
            traits::ERROR if !matches!(value.as_str(), Some("client" | "server")) => {
                Some("must be \"client\" or \"server\"")
            }
            traits::ENDPOINT_RULE_SET
                if !(value.is_object() && value.get("rules").is_some_and(Value::is_array)) =>
            {
                Some("must be a rule set object with a `rules` array")
            }
            traits::ENDPOINT_TESTS if !value.is_object() => Some("must be an object"),
            traits::DEFAULT => match member.and_then(|(_, mm)| model.kind_of(&mm.target)) {
                Some(kind) if !default_fits(&kind, value) => Some("does not fit the member's type"),
                _ => None,
            },
            _ => None,
        };
        if let Some(problem) = problem {
            diags.error(Some(id), m, format!("trait `{name}` {problem}"));
        }
    }
}

fn default_fits(kind: &ShapeKind, v: &Value) -> bool {
    use ShapeKind::*;
    match (kind, v) {
        (_, Value::Null) => true,
        (Boolean, Value::Bool(_)) => true,
        (Byte | Short | Integer | Long | IntEnum, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Float | Double | BigInteger | BigDecimal, Value::Number(_)) => true,
        (String | Enum | Blob, Value::String(_)) => true,
        (Timestamp, Value::Number(_) | Value::String(_)) => true,
        (List | Set, Value::Array(a)) => a.is_empty(),
        (Map, Value::Object(o)) => o.is_empty(),
        (Document, _) => true,
        _ => false,
    }
}

/// Trait values of the wrong shape would be misread (a bound ignored, a default of the wrong type).
pub fn check_trait_values(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        check_traits_of(model, id, None, &shape.traits, diags);
        for (name, member) in shape.members.iter() {
            check_traits_of(model, id, Some((name, member)), &member.traits, diags);
        }
    }
}

/// Two variants with one wire value could not be told apart when decoding.
pub fn check_enum_values(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        let mut seen = HashSet::new();
        let values: Vec<(String, String)> = match shape.kind {
            ShapeKind::Enum | ShapeKind::IntEnum => shape
                .members
                .iter()
                .map(|(n, m)| {
                    let v = m
                        .traits
                        .get(traits::ENUM_VALUE)
                        .map_or_else(|| n.clone(), |v| v.to_string());
                    (n.clone(), v)
                })
                .collect(),
            ShapeKind::String => match shape.traits.get(traits::ENUM).and_then(Value::as_array) {
                Some(defs) => defs
                    .iter()
                    .filter_map(|d| d.get("value").and_then(Value::as_str))
                    .map(|v| (v.to_owned(), v.to_owned()))
                    .collect(),
                None => continue,
            },
            _ => continue,
        };
        for (member, value) in values {
            if !seen.insert(value.clone()) {
                diags.error(
                    Some(id),
                    Some(&member),
                    format!("enum value {value} is used twice"),
                );
            }
        }
    }
}
