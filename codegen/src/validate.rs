//! Checks on the raw model, one rule per `check_*` function; each reports into the collector and
//! never stops the others.

use crate::diagnostics::Diagnostics;
use crate::smithy::{prelude_kind, Member, Model, Shape};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

const KNOWN_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "operation",
    "resource",
];

pub const SUPPORTED_PROTOCOLS: &[&str] = &["aws.protocols#awsJson1_0", "aws.protocols#awsJson1_1"];

/// Run every check on the whole model.
pub fn check(model: &Model, diags: &mut Diagnostics) {
    check_shape_types(model, diags);
    check_targets(model, diags);
    check_mixins(model, diags);
    check_service(model, diags);
    check_protocol(model, diags);
    check_operation_shapes(model, diags);
    check_shape_ids(model, diags);
    check_service_bindings(model, diags);
    check_map_keys(model, diags);
    check_trait_values(model, diags);
    check_enum_values(model, diags);
}

/// The single service shape of the model, if there is exactly one.
pub fn service(model: &Model) -> Option<(&String, &Shape)> {
    let mut services = model.shapes.iter().filter(|(_, s)| s.kind == "service");
    let first = services.next()?;
    if services.next().is_some() {
        return None;
    }
    Some(first)
}

fn resolves(model: &Model, target: &str) -> bool {
    model.shapes.contains_key(target) || prelude_kind(target).is_some()
}

pub fn check_shape_types(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        if shape.kind == "apply" {
            diags.error(
                Some(id),
                None,
                "`apply` shapes are not supported: apply the traits in the model",
            );
        } else if !KNOWN_TYPES.contains(&shape.kind.as_str()) {
            diags.error(
                Some(id),
                None,
                format!("unsupported shape type `{}`", shape.kind),
            );
        }
        match shape.kind.as_str() {
            "list" | "set" if shape.member.is_none() => {
                diags.error(Some(id), None, "list shape has no `member`")
            }
            "map" if shape.key.is_none() || shape.value.is_none() => {
                diags.error(Some(id), None, "map shape needs a `key` and a `value`")
            }
            _ => {}
        }
    }
}

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

pub fn check_service(model: &Model, diags: &mut Diagnostics) {
    let services: Vec<&String> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == "service")
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

pub fn check_protocol(model: &Model, diags: &mut Diagnostics) {
    let Some((id, shape)) = service(model) else {
        return;
    };
    let protocols: Vec<&String> = shape
        .traits
        .keys()
        .filter(|k| k.starts_with("aws.protocols#") || k.starts_with("smithy.protocols#"))
        .filter(|k| {
            !k.ends_with("#ec2QueryName")
                && !k.ends_with("#awsQueryCompatible")
                && !k.ends_with("#awsQueryError")
        })
        .collect();
    if protocols
        .iter()
        .any(|p| SUPPORTED_PROTOCOLS.contains(&p.as_str()))
    {
        return;
    }
    let msg = match protocols.first() {
        Some(p) => format!("unsupported protocol `{p}`: only aws.protocols#awsJson1_0 and aws.protocols#awsJson1_1 are supported"),
        None => "the service has no protocol trait: only aws.protocols#awsJson1_0 and aws.protocols#awsJson1_1 are supported".to_owned(),
    };
    diags.error(Some(id), None, msg);
}

pub fn check_operation_shapes(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model.shapes.iter().filter(|(_, s)| s.kind == "operation") {
        for (what, t) in [("input", &shape.input), ("output", &shape.output)] {
            let Some(t) = t else { continue };
            match model.shapes.get(&t.target) {
                Some(s) if s.kind != "structure" => diags.error(
                    Some(id),
                    None,
                    format!("{what} `{}` is a {}, not a structure", t.target, s.kind),
                ),
                _ => {}
            }
        }
        for t in &shape.errors {
            match model.shapes.get(&t.target) {
                Some(s) if s.kind != "structure" || !s.has_trait("smithy.api#error") => diags
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

pub fn check_service_bindings(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == "service" || s.kind == "resource")
    {
        for (what, list) in [
            ("operation", &shape.operations),
            ("resource", &shape.resources),
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

fn target_kind<'a>(model: &'a Model, target: &str) -> Option<&'a str> {
    match model.shapes.get(target) {
        Some(s) => Some(s.kind.as_str()),
        None => prelude_kind(target),
    }
}

pub fn check_map_keys(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in model.shapes.iter().filter(|(_, s)| s.kind == "map") {
        if let Some(key) = &shape.key {
            match target_kind(model, &key.target) {
                Some("string" | "enum") | None => {}
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
            "smithy.api#length" if !bounds(value, true) => {
                Some("must be an object with non-negative integer `min`/`max`")
            }
            "smithy.api#range" if !bounds(value, false) => {
                Some("must be an object with numeric `min`/`max`")
            }
            "smithy.api#pattern" if !value.is_string() => {
                Some("must be a string (a regular expression)")
            }
            "smithy.api#error" if !matches!(value.as_str(), Some("client" | "server")) => {
                Some("must be \"client\" or \"server\"")
            }
            "smithy.rules#endpointRuleSet"
                if !(value.is_object() && value.get("rules").is_some_and(Value::is_array)) =>
            {
                Some("must be a rule set object with a `rules` array")
            }
            "smithy.rules#endpointTests" if !value.is_object() => Some("must be an object"),
            "smithy.api#default" => match member.and_then(|(_, mm)| target_kind(model, &mm.target))
            {
                Some(kind) if !default_fits(kind, value) => Some("does not fit the member's type"),
                _ => None,
            },
            _ => None,
        };
        if let Some(problem) = problem {
            diags.error(Some(id), m, format!("trait `{name}` {problem}"));
        }
    }
}

fn default_fits(kind: &str, v: &Value) -> bool {
    match (kind, v) {
        (_, Value::Null) => true,
        ("boolean", Value::Bool(_)) => true,
        ("byte" | "short" | "integer" | "long" | "intEnum", Value::Number(n)) => {
            n.is_i64() || n.is_u64()
        }
        ("float" | "double" | "bigInteger" | "bigDecimal", Value::Number(_)) => true,
        ("string" | "enum" | "blob", Value::String(_)) => true,
        ("timestamp", Value::Number(_) | Value::String(_)) => true,
        ("list" | "set", Value::Array(a)) => a.is_empty(),
        ("map", Value::Object(o)) => o.is_empty(),
        ("document", _) => true,
        _ => false,
    }
}

pub fn check_trait_values(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        check_traits_of(model, id, None, &shape.traits, diags);
        for (name, member) in shape.members.iter() {
            check_traits_of(model, id, Some((name, member)), &member.traits, diags);
        }
    }
}

pub fn check_enum_values(model: &Model, diags: &mut Diagnostics) {
    for (id, shape) in &model.shapes {
        let mut seen = HashSet::new();
        let values: Vec<(String, String)> = match shape.kind.as_str() {
            "enum" | "intEnum" => shape
                .members
                .iter()
                .map(|(n, m)| {
                    let v = m
                        .traits
                        .get("smithy.api#enumValue")
                        .map_or_else(|| n.clone(), |v| v.to_string());
                    (n.clone(), v)
                })
                .collect(),
            "string" => match shape
                .traits
                .get("smithy.api#enum")
                .and_then(Value::as_array)
            {
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
