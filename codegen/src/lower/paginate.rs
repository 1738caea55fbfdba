//! Pagination: the `@paginated` tokens of an operation (merged with the service's defaults), kept
//! only where a paginator can feed one page's token into the next request.

use crate::ir::{Paginated, Struct, Type};
use crate::smithy::Shape;
use crate::traits;
use serde_json::Value;

/// The paginator of `op`, with this input and output.
pub fn paginated(op: &Shape, svc: &Shape, input: &Struct, output: &Struct) -> Option<Paginated> {
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
    Some(Paginated {
        input_token: token_field(input, it)?,
        output_token: token_field(output, ot)?,
    })
}

/// The field of member `wire`: pagination helpers need an optional string token on both sides.
fn token_field(s: &Struct, wire: &str) -> Option<String> {
    s.fields
        .iter()
        .find(|f| f.wire_name == wire && f.optional && f.ty == Type::String)
        .map(|f| f.name.clone())
}
