//! What an issued refresh or access token stands for. Both are kept by the SHA-256 fingerprint
//! of the token, so neither memory dumps nor the state directory hold a usable token.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub origin_jti: String,
    pub device_key: Option<String>,
    pub auth_time: i64,
    pub expires: i64,
    pub generation: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessRecord {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub origin_jti: String,
    pub expires: i64,
    pub generation: u64,
}

/// A token's fingerprint: the key of its record.
pub type Fingerprint = [u8; 32];
