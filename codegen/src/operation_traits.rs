//! Operation traits that change how a call is made, read into the IR: request compression.

use serde_json::Value;
use std::collections::BTreeMap;

/// `smithy.api#requestCompression`'s encodings, in the model's order of preference.
pub fn request_compression(traits: &BTreeMap<String, Value>) -> Vec<String> {
    traits
        .get("smithy.api#requestCompression")
        .and_then(|t| t.get("encodings"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
