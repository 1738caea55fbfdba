//! An operation's endpoint bindings: the `smithy.api#endpoint` host prefix and the `smithy.rules`
//! context parameters, as data the runtime reads (the rules they must follow are checked in
//! `validate::endpoint`; what cannot be bound is left out here).

use crate::ir::{EndpointBindings, StaticParam};
use crate::smithy::Shape;
use crate::traits;
use serde_json::Value;

pub fn bindings(op: &Shape, input: Option<&Shape>) -> EndpointBindings {
    let host_prefix = op
        .traits
        .get(traits::ENDPOINT)
        .and_then(|e| e.get("hostPrefix"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let context_params = input
        .map(|i| i.members.iter())
        .into_iter()
        .flatten()
        .filter_map(|(member, m)| {
            let name = m.traits.get(traits::CONTEXT_PARAM)?.get("name")?.as_str()?;
            Some((name.to_owned(), member.clone()))
        })
        .collect();
    let static_params = params(op, traits::STATIC_CONTEXT_PARAMS)
        .filter_map(|(name, p)| Some((name.clone(), static_value(p.get("value")?)?)))
        .collect();
    let operation_params = params(op, traits::OPERATION_CONTEXT_PARAMS)
        .filter_map(|(name, p)| Some((name.clone(), p.get("path")?.as_str()?.to_owned())))
        .collect();
    EndpointBindings {
        host_prefix,
        context_params,
        static_params,
        operation_params,
    }
}

/// The entries of an object-valued operation trait (`{"Name": {...}}`).
pub(crate) fn params<'a>(
    op: &'a Shape,
    trait_id: &str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    op.traits
        .get(trait_id)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// A `staticContextParams` value: a boolean, a string or a list of strings.
pub(crate) fn static_value(v: &Value) -> Option<StaticParam> {
    match v {
        Value::Bool(b) => Some(StaticParam::Bool(*b)),
        Value::String(s) => Some(StaticParam::String(s.clone())),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(StaticParam::StringArray),
        _ => None,
    }
}
