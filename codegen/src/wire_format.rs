//! How a member is written on the wire beyond its Rust type: `@timestampFormat` (resolved member
//! first, then the target shape, as the Smithy spec orders them), and whether the client may
//! treat a member as absent (`@clientOptional`, `@addedDefault`).

use crate::ir::TimestampFormat;
use crate::smithy::{Member, Shape};
use serde_json::Value;
use std::collections::BTreeMap;

const TRAIT: &str = "smithy.api#timestampFormat";

/// The trait's value; an error message for a value Smithy does not define.
pub fn parse_timestamp_format(value: &Value) -> Result<TimestampFormat, String> {
    match value.as_str() {
        Some("epoch-seconds") => Ok(TimestampFormat::EpochSeconds),
        Some("date-time") => Ok(TimestampFormat::DateTime),
        Some("http-date") => Ok(TimestampFormat::HttpDate),
        _ => Err(format!(
            "`{TRAIT}` must be \"date-time\", \"http-date\" or \"epoch-seconds\", not {value}"
        )),
    }
}

/// The format of a timestamp member: its own trait, else its target's, else epoch seconds
/// (awsJson's default). Bad values are reported by the trait check; they read as the default.
pub fn timestamp_format(member: Option<&Member>, target: Option<&Shape>) -> TimestampFormat {
    member
        .and_then(|m| m.traits.get(TRAIT))
        .or_else(|| target.and_then(|t| t.traits.get(TRAIT)))
        .and_then(|v| parse_timestamp_format(v).ok())
        .unwrap_or_default()
}

/// `@clientOptional`, or `@addedDefault` (the default was added later, so older services may
/// omit the member): the client keeps the member optional.
pub fn client_optional(member_traits: &BTreeMap<String, Value>) -> bool {
    member_traits.contains_key("smithy.api#clientOptional")
        || member_traits.contains_key("smithy.api#addedDefault")
}
