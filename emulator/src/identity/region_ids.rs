//! Identity pool ids and identity ids: `<region>:<uuid>`.

use crate::error::{lower_camel, ApiError, ApiResult};

/// The region an identity pool or identity id starts with (`us-east-1:...`).
pub(crate) fn region_of(id: &str) -> &str {
    id.split(':').next().unwrap_or_default()
}

/// `<region>:<uuid>`, the shape of identity pool ids and identity ids.
pub(crate) fn new_id(region: &str) -> ApiResult<String> {
    let uuid = crate::ids::uuid_v4().map_err(|_| ApiError::internal("no randomness"))?;
    Ok(format!("{region}:{uuid}"))
}

/// Checks an id member against `<region>:<uuid>` (the model's pattern), with AWS's message.
pub(crate) fn check_id(member: &str, value: &str) -> ApiResult<()> {
    let ok = value.len() <= 55
        && value.split_once(':').is_some_and(|(region, rest)| {
            !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !rest.is_empty()
                && rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{}' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
            lower_camel(member)
        )))
    }
}
