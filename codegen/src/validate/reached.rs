//! Rules on what the chosen operations reach: a problem in a shape no chosen operation uses does
//! not refuse the model (a big model can be generated in part).

use crate::diagnostics::{Diagnostics, Location};
use crate::lower::{endpoint_tests, types::int_enum_value, Plan};
use crate::smithy::{Member, Model, ShapeKind};
use crate::traits;
use awsjson_pattern::PatternErrorKind;
use serde_json::Value;
use std::collections::BTreeMap;

/// Traits that change the wire format in ways the awsJson runtime does not implement.
const UNSUPPORTED_TRAITS: &[(&str, &str)] = &[
    (
        traits::STREAMING,
        "streaming blobs are not supported by awsJson clients here",
    ),
    (traits::EVENT_STREAM, "event streams are not supported"),
];

/// A requested operation the service does not have would silently be missing from the client.
pub fn check_operation_names(plan: &Plan, diags: &mut Diagnostics) {
    for (name, suggestion) in &plan.selection.unknown {
        let hint = suggestion
            .as_ref()
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        diags.at(
            Location::Operation {
                service: plan.service_id.to_owned(),
                name: name.clone(),
            },
            format!("unknown operation `{name}`: the service has no such operation{hint}"),
        );
    }
}

/// An event-stream operation cannot be generated yet; naming one must not pass silently.
pub fn check_event_stream_operations(plan: &Plan, diags: &mut Diagnostics) {
    for (name, member) in &plan.selection.refused_streams {
        diags.at(
            Location::Operation {
                service: plan.service_id.to_owned(),
                name: name.clone(),
            },
            format!("operation `{name}` cannot be generated: its {member} is an event stream, and event streams are not supported yet; leave it out of `operations`"),
        );
    }
}

/// Every rule on one reached shape and its members, in the order lowering meets them.
pub fn check_shape(model: &Model, id: &str, diags: &mut Diagnostics) {
    let Some(shape) = model.shapes.get(id) else {
        return;
    };
    check_supported_traits(id, None, &shape.traits, diags);
    check_pattern(id, None, &shape.traits, diags);
    match shape.kind {
        ShapeKind::Structure => {
            for (name, m) in shape.members.iter() {
                check_supported_traits(id, Some(name), &m.traits, diags);
                check_pattern(id, Some(name), &m.traits, diags);
                check_member_type(model, id, name, &m.target, &mut Vec::new(), diags);
            }
        }
        ShapeKind::Union => {
            for (name, m) in shape.members.iter() {
                check_supported_traits(id, Some(name), &m.traits, diags);
                check_pattern(id, Some(name), &m.traits, diags);
                if m.target != traits::UNIT {
                    check_member_type(model, id, name, &m.target, &mut Vec::new(), diags);
                }
            }
        }
        ShapeKind::Enum => check_enum_member_values(id, shape.members.iter(), diags),
        ShapeKind::IntEnum => check_int_enum_values(id, shape.members.iter(), diags),
        ShapeKind::String => check_enum_trait_values(id, &shape.traits, diags),
        _ => {}
    }
}

/// Every rule on one chosen operation itself.
pub fn check_operation(model: &Model, op_id: &str, diags: &mut Diagnostics) {
    if let Some(op) = model.shapes.get(op_id) {
        check_supported_traits(op_id, None, &op.traits, diags);
        check_endpoint_discovery(model, op_id, op, diags);
    }
}

/// A discovered endpoint the runtime cannot discover would send the call to a wrong endpoint:
/// refused, naming the operation.
fn check_endpoint_discovery(
    model: &Model,
    op_id: &str,
    op: &crate::smithy::Shape,
    diags: &mut Diagnostics,
) {
    let Some((_, svc)) = model.service() else {
        return;
    };
    if let Err(why) = crate::operation_traits::endpoint_discovery(
        &svc.traits,
        &op.traits,
        crate::operation_traits::input_has_discovery_id(model, op),
    ) {
        diags.error(Some(op_id), None, why);
    }
}

/// Streaming and event streams are not awsJson request/response bodies; a `@timestampFormat`
/// must be one of the three Smithy defines.
fn check_supported_traits(
    id: &str,
    member: Option<&str>,
    traits: &BTreeMap<String, Value>,
    diags: &mut Diagnostics,
) {
    for (t, why) in UNSUPPORTED_TRAITS {
        if traits.contains_key(*t) {
            diags.error(Some(id), member, format!("unsupported trait `{t}`: {why}"));
        }
    }
    if let Some(Err(why)) = traits
        .get(traits::TIMESTAMP_FORMAT)
        .map(crate::wire_format::parse_timestamp_format)
    {
        diags.error(Some(id), member, why);
    }
}

/// A `@pattern` that is no regular expression cannot be checked by anyone: refused at expansion
/// with the runtime's own parser (`awsjson-pattern`), naming the character. Valid syntax that
/// parser does not implement (lookaround, backreferences) is not refused: lowering documents
/// the member as checked by the service only, so that such AWS models still generate.
fn check_pattern(
    id: &str,
    member: Option<&str>,
    traits: &BTreeMap<String, Value>,
    diags: &mut Diagnostics,
) {
    let Some(Value::String(pattern)) = traits.get(traits::PATTERN) else {
        return; // a non-string value is reported by model::check_trait_values
    };
    match awsjson_pattern::Pattern::compile(pattern) {
        Err(e) if e.kind() == PatternErrorKind::Invalid => diags.error(
            Some(id),
            member,
            format!(
                "trait `{}` {pattern:?} is not a regular expression: {} (character {})",
                traits::PATTERN,
                e.message(),
                e.position() + 1
            ),
        ),
        _ => {}
    }
}

/// A member must target data (not a service, operation or resource), and a list or map that
/// contains itself with no structure or union in between has no finite type (Smithy forbids
/// it; such a model once recursed until the stack overflowed, found by fuzzing). `open` holds
/// the collections around this member, as type lowering walks them.
fn check_member_type(
    model: &Model,
    owner: &str,
    member: &str,
    target: &str,
    open: &mut Vec<String>,
    diags: &mut Diagnostics,
) {
    let Some(kind) = model.kind_of(target) else {
        return; // dangling: reported by model::check_targets
    };
    use ShapeKind::*;
    match kind {
        Blob | Boolean | String | Byte | Short | Integer | Long | Float | Double | BigInteger
        | BigDecimal | Timestamp | Document => {}
        Structure | Union | Enum | IntEnum if target != traits::UNIT => {}
        List | Set | Map if open.iter().any(|o| o == target) => diags.error(
            Some(target),
            None,
            "a list or map cannot contain itself without a structure or union in between",
        ),
        List | Set | Map => {
            let shape = model.shapes.get(target);
            let element = match kind {
                Map => shape.and_then(|s| s.value.as_ref()),
                _ => shape.and_then(|s| s.member.as_ref()),
            };
            if let Some(m) = element {
                let name = if kind == Map { "value" } else { "member" };
                open.push(target.to_owned());
                check_member_type(model, target, name, &m.target, open, diags);
                open.pop();
            }
        }
        other => diags.error(
            Some(owner),
            Some(member),
            format!("a member cannot target `{target}` (a {other})"),
        ),
    }
}

/// An enum's values are strings; a number there is a model for an intEnum.
fn check_enum_member_values<'a>(
    id: &str,
    members: impl Iterator<Item = (&'a String, &'a Member)>,
    diags: &mut Diagnostics,
) {
    for (name, m) in members {
        match m.traits.get(traits::ENUM_VALUE) {
            None | Some(Value::String(_)) => {}
            Some(other) => diags.error(
                Some(id),
                Some(name),
                format!("enum value must be a string, found {other}"),
            ),
        }
    }
}

/// An intEnum becomes an `i32` on the wire: every value must fit.
fn check_int_enum_values<'a>(
    id: &str,
    members: impl Iterator<Item = (&'a String, &'a Member)>,
    diags: &mut Diagnostics,
) {
    for (name, m) in members {
        if int_enum_value(m).is_none() {
            diags.error(
                Some(id),
                Some(name),
                "intEnum member needs a 32-bit integer `smithy.api#enumValue`",
            );
        }
    }
}

/// A Smithy 1.0 `@enum` entry without a value has nothing to send.
fn check_enum_trait_values(id: &str, traits: &BTreeMap<String, Value>, diags: &mut Diagnostics) {
    let Some(defs) = traits.get(traits::ENUM) else {
        return;
    };
    for def in defs.as_array().into_iter().flatten() {
        if def.get("value").and_then(Value::as_str).is_none() {
            diags.error(
                Some(id),
                None,
                "`smithy.api#enum` entry without a string `value`",
            );
        }
    }
}

/// A test case that expects nothing cannot be turned into a test.
pub fn check_endpoint_tests(plan: &Plan, diags: &mut Diagnostics) {
    for (i, case) in endpoint_tests::cases(plan.service).iter().enumerate() {
        if case.is_none() {
            diags.error(
                Some(plan.service_id),
                None,
                format!("endpoint test case {i} expects neither an endpoint url nor an error"),
            );
        }
    }
}
