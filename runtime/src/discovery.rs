//! `aws.api#clientEndpointDiscovery`: operations marked `clientDiscoveredEndpoint(required)` are
//! sent to the address the service's discovery operation (`DescribeEndpoints`) returns, cached
//! for its `CachePeriodInMinutes`; an invalid-endpoint error drops the cached address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::error::{Error, ErrorMeta, OperationError};
use crate::validate::{Validate, Validator};
use crate::OperationOutput;

/// Discovered addresses per service.
#[derive(Debug, Default)]
pub(crate) struct DiscoveryCache {
    entries: Mutex<HashMap<usize, (String, Instant)>>,
}

impl DiscoveryCache {
    pub(crate) fn get(&self, service: usize) -> Option<String> {
        let entries = self.entries.lock().ok()?;
        let (address, expires) = entries.get(&service)?;
        (Instant::now() < *expires).then(|| address.clone())
    }

    pub(crate) fn put(&self, service: usize, address: String, ttl: Duration) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(service, (address, Instant::now() + ttl));
        }
    }

    pub(crate) fn evict(&self, service: usize) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&service);
        }
    }
}

/// The discovery operation's input: always empty here (no `clientEndpointDiscoveryId` members
/// in the models this generator has seen; see the generator's diagnostic).
#[derive(Serialize)]
pub(crate) struct DiscoveryInput {}

impl Validate for DiscoveryInput {
    fn validate(&self, _: &mut Validator) {}
}

#[derive(Deserialize)]
pub(crate) struct DiscoveryOutput {
    #[serde(rename = "Endpoints", default)]
    pub(crate) endpoints: Vec<DiscoveredAddress>,
}

#[derive(Deserialize)]
pub(crate) struct DiscoveredAddress {
    #[serde(rename = "Address")]
    pub(crate) address: String,
    #[serde(rename = "CachePeriodInMinutes", default)]
    pub(crate) cache_period_in_minutes: u64,
}

impl OperationOutput for DiscoveryOutput {
    fn set_request_id(&mut self, _: Option<String>) {}
}

/// Any failure of the discovery call, passed on as the runtime error it was.
#[derive(Debug)]
pub(crate) struct DiscoveryError(pub(crate) Error);

impl std::fmt::Display for DiscoveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for DiscoveryError {}

impl OperationError for DiscoveryError {
    fn from_modeled(_: &ErrorMeta, _: &[u8]) -> Option<Self> {
        None
    }
    fn unhandled(err: Error) -> Self {
        DiscoveryError(err)
    }
}

/// The URL for a discovered `address` (a host, or a URL): the resolved endpoint's scheme.
pub(crate) fn discovered_url(address: &str, resolved: &str) -> String {
    if address.contains("://") {
        return address.to_string();
    }
    let scheme = resolved.split("://").next().unwrap_or("https");
    format!("{scheme}://{}", address.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_cache() {
        assert_eq!(
            discovered_url("query-cell1.example.com", "https://query.example.com"),
            "https://query-cell1.example.com"
        );
        assert_eq!(
            discovered_url("127.0.0.1:9", "http://127.0.0.1:8"),
            "http://127.0.0.1:9"
        );
        assert_eq!(discovered_url("https://a/", "http://b"), "https://a/");
        let cache = DiscoveryCache::default();
        cache.put(1, "a".into(), Duration::from_secs(60));
        cache.put(2, "b".into(), Duration::ZERO);
        assert_eq!(cache.get(1).as_deref(), Some("a"));
        assert_eq!(cache.get(2), None);
        cache.evict(1);
        assert_eq!(cache.get(1), None);
    }
}
