//! An operation's endpoint bindings: the `smithy.api#endpoint` host prefix (its `{Label}`s must be
//! `@hostLabel` string members of the input) and the `smithy.rules` context parameters, each
//! checked against the parameters the service's rule set declares.

use crate::diagnostics::Diagnostics;
use crate::ir::{EndpointBindings, StaticParam};
use crate::smithy::{Model, Shape};
use serde_json::Value;

pub(crate) fn bindings(
    model: &Model,
    service: &Shape,
    op_id: &str,
    op: &Shape,
    input: Option<&Shape>,
    diags: &mut Diagnostics,
) -> EndpointBindings {
    let declared = service
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(|r| r.get("parameters"))
        .and_then(Value::as_object);
    let check_param = |diags: &mut Diagnostics, member: Option<&str>, name: &str| {
        if declared.is_some_and(|d| !d.contains_key(name)) {
            diags.error(
                Some(op_id),
                member,
                format!("endpoint parameter `{name}` is bound here but the service's rule set does not declare it"),
            );
        }
    };
    let mut out = EndpointBindings::default();

    if let Some(prefix) = op
        .traits
        .get("smithy.api#endpoint")
        .map(|e| e.get("hostPrefix"))
    {
        match prefix.and_then(Value::as_str) {
            Some(p) => {
                check_labels(model, op_id, p, input, diags);
                out.host_prefix = Some(p.to_owned());
            }
            None => diags.error(
                Some(op_id),
                None,
                "`smithy.api#endpoint` needs a string `hostPrefix`",
            ),
        }
    }

    for (member, m) in input.map(|i| i.members.iter()).into_iter().flatten() {
        if let Some(p) = m.traits.get("smithy.rules#contextParam") {
            match p.get("name").and_then(Value::as_str) {
                Some(name) => {
                    check_param(diags, Some(member), name);
                    out.context_params.push((name.to_owned(), member.clone()));
                }
                None => diags.error(
                    Some(op_id),
                    Some(member),
                    "`smithy.rules#contextParam` needs a string `name`",
                ),
            }
        }
    }

    if let Some(params) = op.traits.get("smithy.rules#staticContextParams") {
        for (name, p) in params.as_object().into_iter().flatten() {
            check_param(diags, None, name);
            let value = match p.get("value") {
                Some(Value::Bool(b)) => Some(StaticParam::Bool(*b)),
                Some(Value::String(s)) => Some(StaticParam::String(s.clone())),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(StaticParam::StringArray),
                _ => None,
            };
            match value {
                Some(v) => out.static_params.push((name.clone(), v)),
                None => diags.error(
                    Some(op_id),
                    None,
                    format!("static context parameter `{name}`: the value must be a boolean, a string or a list of strings"),
                ),
            }
        }
    }

    if let Some(params) = op.traits.get("smithy.rules#operationContextParams") {
        for (name, p) in params.as_object().into_iter().flatten() {
            check_param(diags, None, name);
            match p.get("path").and_then(Value::as_str) {
                Some(path) if path_is_supported(path) => {
                    out.operation_params.push((name.clone(), path.to_owned()))
                }
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
    out
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
            Some((_, m)) if m.has_trait("smithy.api#hostLabel") => {
                let is_string = m.target == "smithy.api#String"
                    || model.shapes.get(&m.target).is_some_and(|s| s.kind == "string");
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
