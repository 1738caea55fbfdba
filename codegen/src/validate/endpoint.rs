//! Rules on a chosen operation's endpoint bindings: a host prefix's `{Label}`s name `@hostLabel`
//! string members of the input, every bound parameter is declared by the service's rule set,
//! values and paths are ones the runtime can bind.

use crate::diagnostics::Diagnostics;
use crate::lower::endpoint::{params, static_value};
use crate::smithy::{Model, Shape, ShapeKind};
use crate::traits;
use serde_json::Value;

pub fn check_endpoint_bindings(
    model: &Model,
    service: &Shape,
    op_id: &str,
    diags: &mut Diagnostics,
) {
    let Some(op) = model.shapes.get(op_id) else {
        return;
    };
    let input = op.input.as_ref().and_then(|t| model.shapes.get(&t.target));
    let declared = service
        .traits
        .get(traits::ENDPOINT_RULE_SET)
        .and_then(|r| r.get("parameters"))
        .and_then(Value::as_object);
    let check_declared = |diags: &mut Diagnostics, member: Option<&str>, name: &str| {
        if declared.is_some_and(|d| !d.contains_key(name)) {
            diags.error(
                Some(op_id),
                member,
                format!("endpoint parameter `{name}` is bound here but the service's rule set does not declare it"),
            );
        }
    };

    if let Some(endpoint) = op.traits.get(traits::ENDPOINT) {
        match endpoint.get("hostPrefix").and_then(Value::as_str) {
            Some(prefix) => check_labels(model, op_id, prefix, input, diags),
            None => diags.error(
                Some(op_id),
                None,
                "`smithy.api#endpoint` needs a string `hostPrefix`",
            ),
        }
    }
    for (member, m) in input.map(|i| i.members.iter()).into_iter().flatten() {
        if let Some(p) = m.traits.get(traits::CONTEXT_PARAM) {
            match p.get("name").and_then(Value::as_str) {
                Some(name) => check_declared(diags, Some(member), name),
                None => diags.error(
                    Some(op_id),
                    Some(member),
                    "`smithy.rules#contextParam` needs a string `name`",
                ),
            }
        }
    }
    for (name, p) in params(op, traits::STATIC_CONTEXT_PARAMS) {
        check_declared(diags, None, name);
        if p.get("value").and_then(static_value).is_none() {
            diags.error(
                Some(op_id),
                None,
                format!("static context parameter `{name}`: the value must be a boolean, a string or a list of strings"),
            );
        }
    }
    for (name, p) in params(op, traits::OPERATION_CONTEXT_PARAMS) {
        check_declared(diags, None, name);
        match p.get("path").and_then(Value::as_str) {
            Some(path) if path_is_supported(path) => {}
            Some(path) => diags.error(
                Some(op_id),
                None,
                format!("operation context parameter `{name}`: path `{path}` is outside the supported subset (`A.B`, `A[*].B`, `keys(A)`)"),
            ),
            None => diags.error(
                Some(op_id),
                None,
                format!("operation context parameter `{name}` needs a string `path`"),
            ),
        }
    }
}

/// Every `{Label}` of the prefix names a `@hostLabel` string member of the input.
fn check_labels(
    model: &Model,
    op_id: &str,
    prefix: &str,
    input: Option<&Shape>,
    diags: &mut Diagnostics,
) {
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            diags.error(
                Some(op_id),
                None,
                format!("host prefix `{prefix}` has an unclosed `{{`"),
            );
            return;
        };
        let label = &rest[open + 1..open + close];
        let member = input.and_then(|i| i.members.iter().find(|(n, _)| n.as_str() == label));
        match member {
            Some((_, m)) if m.has_trait(traits::HOST_LABEL) => {
                let is_string = m.target == "smithy.api#String"
                    || model.kind_of(&m.target) == Some(ShapeKind::String);
                if !is_string {
                    diags.error(Some(op_id), Some(label), "a `@hostLabel` member must target a string");
                }
            }
            _ => diags.error(
                Some(op_id),
                None,
                format!("host prefix `{prefix}`: `{{{label}}}` is not a `@hostLabel` member of the input"),
            ),
        }
        rest = &rest[open + close + 1..];
    }
}

/// The JMESPath subset the runtime evaluates: `keys(P)` or `P`, with `P` = fields joined by `.`,
/// each optionally followed by `[*]`.
fn path_is_supported(path: &str) -> bool {
    let inner = path
        .strip_prefix("keys(")
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(path);
    !inner.is_empty()
        && inner.split('.').all(|seg| {
            let field = seg.strip_suffix("[*]").unwrap_or(seg);
            !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}
