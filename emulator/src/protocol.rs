//! awsJson1_1 operation routing: parse the body as a JSON object and hand it to the operation.

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::ops;
use crate::Shared;

pub(crate) fn call(
    shared: &Shared,
    op: &str,
    body: &[u8],
    region_hint: Option<&str>,
) -> ApiResult<Value> {
    let handler = ops::handler(op).ok_or_else(|| unknown_operation(op))?;
    let members = parse_members(body)?;
    let input = Input::new(&members);
    // A signed call reaches only the pools of its own region, as each AWS region is separate.
    if let (Some(region), Some(Value::String(pool_id))) = (region_hint, members.get("UserPoolId")) {
        if crate::store::region_of(pool_id) != region {
            return Err(ApiError::unknown_pool(pool_id));
        }
    }
    ops::run(shared, region_hint, op, handler, &input)
}

/// An operation this service does not serve.
pub(crate) fn unknown_operation(op: &str) -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        format!("Operation {op} is not supported by this service"),
    )
}

/// The request body as a JSON object (an empty body is `{}`), with AWS's errors otherwise.
pub(crate) fn parse_members(body: &[u8]) -> ApiResult<serde_json::Map<String, Value>> {
    let value: Value = if body.iter().all(|b| b.is_ascii_whitespace()) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::serialization(format!(
                "Malformed JSON request body at line {} column {}",
                e.line(),
                e.column()
            ))
        })?
    };
    match value {
        Value::Object(members) => Ok(members),
        _ => Err(ApiError::serialization(
            "Start of structure or map expected: the request body must be a JSON object",
        )),
    }
}
