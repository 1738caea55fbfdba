//! The tokens a grant produced, before signing: the request context holds them until the
//! operation has released the store lock (`run.rs` signs them, `issue.rs` makes them).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::store::{AccessRecord, Fingerprint};

/// The ID and access tokens of a grant, before signing, and the record of the access token.
pub(super) struct Unsigned {
    pub(super) access: Map<String, Value>,
    /// None for OAuth grants without `openid`.
    pub(super) id: Option<Map<String, Value>>,
    /// Put the access token's hash into the ID token (OpenID Connect, as the OAuth endpoints do).
    pub(super) at_hash: bool,
    pub(super) context: TokenContext,
    pub(super) record: AccessRecord,
}

/// What the triggers that run before signing need to know about a grant.
pub(super) struct TokenContext {
    pub(super) pool_id: String,
    pub(super) client_id: String,
    pub(super) username: String,
    /// The new refresh token's fingerprint (revoked if PostAuthentication refuses).
    pub(super) refresh: Option<Fingerprint>,
    pub(super) refreshing: bool,
    pub(super) new_device_used: bool,
    pub(super) source: &'static str,
    pub(super) client_metadata: Option<BTreeMap<String, String>>,
}
