//! What resolution gives: an endpoint (URL, headers, properties) or the reason there is none.

use std::collections::BTreeMap;
use std::fmt;

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: serde_json::Map<String, serde_json::Value>,
}

impl Endpoint {
    pub(crate) fn new(
        url: String,
        headers: BTreeMap<String, Vec<String>>,
        properties: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        Endpoint {
            url,
            headers,
            properties,
        }
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers the endpoint requires.
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// Endpoint properties (`authSchemes`, ...), as JSON.
    pub fn properties(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.properties
    }

    /// The region to sign with from `authSchemes` (`signingRegion` of a sigv4 scheme), if any.
    pub fn signing_region(&self) -> Option<&str> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))?
            .get("signingRegion")?
            .as_str()
    }

    /// The signing name from `authSchemes` (`signingName` of a sigv4 scheme), if any.
    pub fn signing_name(&self) -> Option<&str> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))?
            .get("signingName")?
            .as_str()
    }
}

/// Resolution failed: an `error` rule matched (its message verbatim), no rule matched, or the
/// rule set is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    /// The message (for an `error` rule: exactly the rule's message).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}
