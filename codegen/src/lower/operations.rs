//! An operation of the IR: its input and output types (a synthetic empty struct for
//! `smithy.api#Unit`), the errors it may return, whether it is signed, its paginator.

use super::naming::{operation_method, operation_type_name, TypeNames};
use super::paginate::paginated;
use super::service::auth_none;
use super::types::{deprecated_of, doc_of};
use crate::ir::*;
use crate::smithy::{short_name, Model, Shape, Target};
use crate::traits;
use std::collections::HashSet;

/// Lower operation `op_id`; synthetic input/output structs are added to `types`.
pub fn operation(
    model: &Model,
    names: &TypeNames,
    op_id: &str,
    svc: &Shape,
    service_errors: &[String],
    types: &mut Vec<TypeDef>,
) -> Option<Operation> {
    let op = model.shapes.get(op_id)?;
    let type_name = operation_type_name(op_id);
    let input = io_type(names, op_id, &type_name, &op.input, Side::Input, types);
    let output = io_type(names, op_id, &type_name, &op.output, Side::Output, types);
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for e in op.errors.iter().map(|t| &t.target).chain(service_errors) {
        if !seen.insert(e.clone()) {
            continue;
        }
        let Some(es) = model.shapes.get(e) else {
            continue;
        };
        errors.push(ErrorRef {
            code: short_name(e).to_owned(),
            type_name: names.of(e),
            retryable: es.has_trait(traits::RETRYABLE),
        });
    }
    let idempotency_fields = types
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.name == input => Some(
                s.fields
                    .iter()
                    .filter(|f| f.idempotency_token)
                    .map(|f| f.name.clone())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    let (waiters, skipped_waiters) = crate::operation_traits::waiters(&op.traits);
    let mut docs = doc_of(&op.traits);
    for why in skipped_waiters {
        docs = format!("{docs}\n\nNote: {why}.").trim_start().to_owned();
    }
    // Refusals are `validate::reached::check_endpoint_discovery`'s.
    let endpoint_discovery = crate::operation_traits::endpoint_discovery(
        &svc.traits,
        &op.traits,
        crate::operation_traits::input_has_discovery_id(model, op),
    )
    .unwrap_or(None);
    let input_shape = op.input.as_ref().and_then(|t| model.shapes.get(&t.target));
    Some(Operation {
        endpoint: super::endpoint::bindings(op, input_shape),
        shape_id: op_id.to_owned(),
        request_compression: crate::operation_traits::request_compression(&op.traits),
        waiters,
        endpoint_discovery,
        idempotency_fields,
        wire_name: short_name(op_id).to_owned(),
        method: operation_method(op_id),
        paginated: paginated(op, svc, &input, &output, types),
        type_name,
        input,
        output,
        errors,
        auth_none: auth_none(op, svc),
        docs,
        deprecated: deprecated_of(&op.traits),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Input,
    Output,
}

/// The type name of an operation's input or output; an empty struct `{Op}Input`/`{Op}Output`
/// is added for `smithy.api#Unit` (or none), so every operation has both.
fn io_type(
    names: &TypeNames,
    op_id: &str,
    op_type_name: &str,
    target: &Option<Target>,
    side: Side,
    types: &mut Vec<TypeDef>,
) -> String {
    match target {
        Some(t) if t.target != traits::UNIT => names.of(&t.target),
        _ => {
            let suffix = match side {
                Side::Input => "Input",
                Side::Output => "Output",
            };
            let name = format!("{op_type_name}{suffix}");
            let op_name = short_name(op_id).to_owned();
            types.push(TypeDef::Struct(Struct {
                name: name.clone(),
                shape_id: format!("{op_id}${suffix}"),
                fields: Vec::new(),
                docs: String::new(),
                deprecated: None,
                sensitive: false,
                error: None,
                validate: side == Side::Input,
                decoded: side == Side::Output,
                used_by: vec![op_name.clone()],
                input_of: if side == Side::Input {
                    vec![op_name.clone()]
                } else {
                    Vec::new()
                },
                output_of: if side == Side::Output {
                    vec![op_name]
                } else {
                    Vec::new()
                },
            }));
            name
        }
    }
}
