//! Raw model → IR, keeping only what the chosen operations reach. One concern per module:
//! [`select`] picks the operations, [`naming`] decides names, [`reach`] finds the shapes to
//! generate, [`types`] lowers them, [`operations`] the operations (with [`paginate`]),
//! [`service`] the service metadata, [`endpoint`] each operation's endpoint bindings and
//! [`endpoint_tests`] the rule-set test cases.
//!
//! Lowering refuses nothing: every rule that can refuse a model is a `check_*` function of
//! [`crate::validate`], which runs on the [`Plan`] before lowering and on the IR after it.

pub mod endpoint;
pub mod endpoint_tests;
pub mod naming;
pub mod operations;
pub mod paginate;
pub mod reach;
pub mod select;
pub mod service;
pub mod types;

use crate::ir::Service;
use crate::smithy::{Model, Shape};
use naming::TypeNames;
use reach::Reach;
use select::Selection;

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Operation names (the model's spelling); `None` means all of the service's operations.
    pub operations: Option<Vec<String>>,
    /// Emit a `#[cfg(test)]` module with one test per `smithy.rules#endpointTests` case.
    pub endpoint_tests: bool,
}

/// What lowering will work on: the service, the chosen operations, what they reach, the names.
pub struct Plan<'m> {
    pub service_id: &'m str,
    pub service: &'m Shape,
    pub selection: Selection,
    pub reach: Reach,
    pub names: TypeNames,
}

/// The plan for the model's single service (`None` if it has none or several, which the check
/// pass reports).
pub fn plan<'m>(model: &'m Model, opts: &Options) -> Option<Plan<'m>> {
    let (service_id, service) = model.service()?;
    let selection = select::select(model, service, opts.operations.as_deref());
    let service_errors = service.errors.iter().map(|t| t.target.clone()).collect();
    let reach = Reach::new(model, &selection.chosen, service_errors);
    let names = TypeNames::assign(model);
    Some(Plan {
        service_id,
        service,
        selection,
        reach,
        names,
    })
}

/// The IR of the plan.
pub fn lower(model: &Model, plan: &Plan, opts: &Options) -> Service {
    let mut lowerer = types::TypeLowerer::new(model, &plan.names, &plan.reach);
    let types: Vec<_> = plan
        .reach
        .shapes
        .iter()
        .filter_map(|id| lowerer.type_def(id))
        .collect();
    let waiter_methods = operations::waiter_methods(model, &plan.selection.chosen);
    let ops = plan
        .selection
        .chosen
        .iter()
        .filter_map(|op_id| {
            operations::operation(
                &mut lowerer,
                op_id,
                plan.service,
                &plan.reach.service_errors,
                &waiter_methods,
            )
        })
        .collect();
    let meta = service::metadata(plan.service_id, plan.service);
    let endpoint_tests = if opts.endpoint_tests {
        endpoint_tests::cases(plan.service)
            .into_iter()
            .flatten()
            .collect()
    } else {
        Vec::new()
    };
    Service {
        shape_id: plan.service_id.to_owned(),
        shape_name: meta.shape_name,
        sdk_id: meta.sdk_id,
        signing_name: meta.signing_name,
        protocol: meta.protocol,
        api_version: meta.api_version,
        docs: meta.docs,
        endpoint_rules: meta.endpoint_rules,
        endpoint_tests,
        operations: ops,
        omitted_operations: plan.selection.omitted.clone(),
        types,
    }
}
