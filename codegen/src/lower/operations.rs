//! An operation of the IR: its own input and output structs (`{Op}Input`/`{Op}Output`, copies of
//! the model's shapes, empty for `smithy.api#Unit`), the errors it may return, whether it is
//! signed, its paginator.

use super::naming::{client_method, error_variants, operation_module, operation_type_name};
use super::paginate::paginated;
use super::service::auth_none;
use super::types::{deprecated_of, doc_of, TypeLowerer};
use crate::ir::*;
use crate::smithy::{short_name, Model, Shape, Target};
use crate::traits;
use std::collections::HashSet;

/// The client methods of every waiter of the chosen operations (operations yield to them).
pub fn waiter_methods(model: &Model, chosen: &[String]) -> HashSet<String> {
    chosen
        .iter()
        .filter_map(|id| model.shapes.get(id))
        .flat_map(|op| crate::operation_traits::waiters(&op.traits).0)
        .map(|w| w.method)
        .collect()
}

/// Lower operation `op_id`.
pub fn operation(
    lowerer: &mut TypeLowerer,
    op_id: &str,
    svc: &Shape,
    service_errors: &[String],
    waiter_methods: &HashSet<String>,
) -> Option<Operation> {
    let model = lowerer.model;
    let op = model.shapes.get(op_id)?;
    let type_name = operation_type_name(op_id);
    let input = io_struct(lowerer, op_id, &type_name, &op.input, Side::Input);
    let output = io_struct(lowerer, op_id, &type_name, &op.output, Side::Output);
    let mut seen = HashSet::new();
    let error_ids: Vec<&String> = op
        .errors
        .iter()
        .map(|t| &t.target)
        .chain(service_errors)
        .filter(|e| seen.insert(e.to_string()) && model.shapes.contains_key(e.as_str()))
        .collect();
    let type_names: Vec<String> = error_ids.iter().map(|e| lowerer.names.of(e)).collect();
    let errors = error_ids
        .iter()
        .zip(error_variants(&type_names))
        .zip(type_names)
        .map(|((e, variant), type_name)| ErrorRef {
            code: short_name(e).to_owned(),
            type_name,
            variant,
            retryable: model
                .shapes
                .get(e.as_str())
                .is_some_and(|es| es.has_trait(traits::RETRYABLE)),
        })
        .collect();
    let idempotency_fields = input
        .fields
        .iter()
        .filter(|f| f.idempotency_token)
        .map(|f| f.name.clone())
        .collect();
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
        method: client_method(op_id, waiter_methods),
        module: operation_module(op_id),
        paginated: paginated(op, svc, &input, &output),
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

/// The operation's own input or output struct, `{Op}Input`/`{Op}Output`: the model's shape
/// lowered under that name, or an empty struct for `smithy.api#Unit` (or none), so every
/// operation has both.
fn io_struct(
    lowerer: &mut TypeLowerer,
    op_id: &str,
    op_type_name: &str,
    target: &Option<Target>,
    side: Side,
) -> Struct {
    let suffix = match side {
        Side::Input => "Input",
        Side::Output => "Output",
    };
    let op_name = short_name(op_id).to_owned();
    let lowered = match target {
        Some(t) if t.target != traits::UNIT => match lowerer.type_def(&t.target) {
            Some(TypeDef::Struct(s)) => Some(s),
            _ => None,
        },
        _ => None,
    };
    let base = lowered.unwrap_or_else(|| Struct {
        name: String::new(),
        shape_id: format!("{op_id}${suffix}"),
        fields: Vec::new(),
        docs: String::new(),
        deprecated: None,
        sensitive: false,
        error: None,
        validate: false,
        decoded: false,
        used_by: Vec::new(),
        input_of: Vec::new(),
        output_of: Vec::new(),
    });
    Struct {
        name: format!("{op_type_name}{suffix}"),
        validate: side == Side::Input,
        // Outputs are what a client decodes (lenient string maps); inputs stay strict.
        decoded: side == Side::Output,
        error: None,
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
        ..base
    }
}
