//! The check pass: every rule that can refuse a model, one `check_*` function each with a line
//! saying why (serde_derive's `check.rs`). Each reports into the collector and never stops the
//! others. Three stages, by what a rule needs to see:
//! - [`model`]: the whole raw model (shape types, targets, service, protocol, trait values);
//! - [`reached`]: what the chosen operations reach (unsupported traits, member targets, enum
//!   values), so that an unused corner of a big model cannot refuse it;
//! - [`endpoint`]: the chosen operations' endpoint bindings (host prefix labels, context
//!   parameters the rule set must declare);
//! - [`names`]: the lowered IR, where the Rust names are known (two names that become one).

pub mod endpoint;
pub mod model;
pub mod names;
pub mod reached;

use crate::diagnostics::Diagnostics;
use crate::ir;
use crate::lower::{Options, Plan};
use crate::smithy::Model;

/// Run every rule on the whole model.
pub fn check(m: &Model, diags: &mut Diagnostics) {
    model::check_shape_types(m, diags);
    model::check_targets(m, diags);
    model::check_mixins(m, diags);
    model::check_service(m, diags);
    model::check_protocol(m, diags);
    model::check_operation_shapes(m, diags);
    model::check_shape_ids(m, diags);
    model::check_service_bindings(m, diags);
    model::check_map_keys(m, diags);
    model::check_trait_values(m, diags);
    model::check_enum_values(m, diags);
}

/// Run every rule on what the plan reaches.
pub fn check_plan(m: &Model, plan: &Plan, opts: &Options, diags: &mut Diagnostics) {
    reached::check_operation_names(plan, diags);
    reached::check_event_stream_operations(plan, diags);
    for id in plan.reach.checked() {
        reached::check_shape(m, id, diags);
    }
    for op in &plan.selection.chosen {
        reached::check_operation(m, op, diags);
        endpoint::check_endpoint_bindings(m, plan.service, op, diags);
    }
    if opts.endpoint_tests {
        reached::check_endpoint_tests(plan, diags);
    }
}

/// Run every rule on the lowered IR.
pub fn check_ir(service: &ir::Service, diags: &mut Diagnostics) {
    for t in &service.types {
        names::check_type(t, diags);
    }
    for op in &service.operations {
        names::check_operation(op, diags);
    }
    names::check_type_names(service, diags);
    names::check_client_methods(service, diags);
}
