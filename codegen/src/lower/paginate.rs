//! Pagination: the `@paginated` tokens of an operation (merged with the service's defaults), kept
//! only where a paginator can feed one page's token into the next request.

use crate::ir::{Paginated, Type, TypeDef};
use crate::names::snake;
use crate::smithy::Shape;
use crate::traits;
use serde_json::Value;

/// The paginator of `op`, whose input and output types are named `input` and `output`.
pub fn paginated(
    op: &Shape,
    svc: &Shape,
    input: &str,
    output: &str,
    types: &[TypeDef],
) -> Option<Paginated> {
    let p = op.traits.get(traits::PAGINATED)?;
    let merged = |k: &str| {
        p.get(k)
            .or_else(|| svc.traits.get(traits::PAGINATED).and_then(|s| s.get(k)))
            .and_then(Value::as_str)
    };
    let (it, ot) = (merged("inputToken")?, merged("outputToken")?);
    // A token nested in the output (`a.b`) is not followed.
    if ot.contains('.') {
        return None;
    }
    let p = Paginated {
        input_token: snake(it),
        output_token: snake(ot),
    };
    (token_ok(types, input, &p.input_token) && token_ok(types, output, &p.output_token))
        .then_some(p)
}

/// Pagination helpers need an optional string token member on both sides.
fn token_ok(types: &[TypeDef], struct_name: &str, field: &str) -> bool {
    types.iter().any(|t| match t {
        TypeDef::Struct(s) if s.name == struct_name => s
            .fields
            .iter()
            .any(|f| f.name == field && f.optional && f.ty == Type::String),
        _ => false,
    })
}
