//! awsJson1_1 operation routing: parse the body as a JSON object and hand it to the operation.

use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::ops::{self, Ctx};
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
    let ctx = Ctx {
        shared,
        region_hint,
    };
    handler(&ctx, &input)
}
