//! Checks on the raw model, one rule per `check_*` function; each reports into the collector and
//! never stops the others.

use crate::diagnostics::Diagnostics;
use crate::smithy::{prelude_kind, Model, Shape};

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
