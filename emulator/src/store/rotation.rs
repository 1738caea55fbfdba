//! What refresh-token rotation remembers (see `ops/rotation.rs` for the rules): rotated-out
//! tokens and revoked token families.

use serde::{Deserialize, Serialize};

use super::{Fingerprint, Tracked};

/// Rotated-out refresh tokens and revoked families: its own struct, kept in the store. Both
/// maps are persisted (a restart must not make a rotated-out token good again); tokens are
/// known by their fingerprint only, like the refresh tokens themselves.
#[derive(Default)]
pub struct RotationState {
    /// The fingerprint of a refresh token that was rotated out -> when, and its family.
    pub rotated_out: Tracked<Fingerprint, RotatedOut>,
    /// Families (origin_jti) revoked because a rotated-out token was reused.
    pub revoked_families: Tracked<String, RevokedFamily>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RotatedOut {
    pub at: i64,
    pub family: String,
    /// When the token would have expired anyway (the entry is dropped then).
    pub expires: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevokedFamily {
    pub at: i64,
    /// When every token of the family would have expired anyway (they share the sign-in's
    /// expiry), after which the entry is no longer needed.
    pub expires: i64,
}

impl RotationState {
    /// Drops entries whose tokens have expired. Not written as removals: a record loaded past
    /// its expiry is dropped on load by this same sweep.
    pub fn sweep(&mut self, now: i64) {
        self.rotated_out.expire(|r| r.expires > now);
        self.revoked_families.expire(|r| r.expires > now);
    }

    pub fn forget_changes(&mut self) {
        self.rotated_out.take_touched();
        self.revoked_families.take_touched();
    }
}
