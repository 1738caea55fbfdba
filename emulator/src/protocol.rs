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
    let handler = ops::handler(op).ok_or_else(|| {
        ApiError::new(
            "UnknownOperationException",
            format!("Operation {op} is not supported by this service"),
        )
    })?;
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
    let Value::Object(members) = value else {
        return Err(ApiError::serialization(
            "Start of structure or map expected: the request body must be a JSON object",
        ));
    };
    let input = Input::new(&members);
    // A signed call reaches only the pools of its own region, as each AWS region is separate.
    if let (Some(region), Some(Value::String(pool_id))) = (region_hint, members.get("UserPoolId")) {
        if crate::store::region_of(pool_id) != region {
            return Err(ApiError::unknown_pool(pool_id));
        }
    }
    ops::run(shared, region_hint, op, handler, &input)
}
