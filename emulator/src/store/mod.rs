//! The emulator's state, keyed as AWS keys it: pools (whose id starts with their region) hold
//! app clients and users with their devices. Indexes map the ids a request carries (client id,
//! session, refresh token, access token) to what they belong to.
//!
//! Every collection that outlives a restart is a [`Tracked`] map, so `persist` can write what
//! an operation changed; sign-in sessions and sent codes live in memory only.

mod group;
mod pool;
mod records;
pub mod resource;
mod rotation;
mod session;
mod tracked;
mod user;
mod verifier_serde;

use std::collections::HashMap;

pub use group::{by_precedence, roles as group_roles, Group};
pub use pool::{AppClient, ClientConfig, ClientSecret, MfaMode, PasswordPolicy, Pool, PoolConfig};
pub use records::{AccessRecord, Fingerprint, RefreshRecord};
pub use resource::Resource;
pub use rotation::{RevokedFamily, RotatedOut, RotationState};
pub use session::{ChallengeResult, Session, Stage, SESSION_VALIDITY_SECS};
pub use tracked::Tracked;

pub use crate::ids::region_of;
pub use user::{
    AuthEvent, CodeKind, Device, LinkedIdentity, MfaKind, MfaSettings, Password, SentCode, User,
    UserStatus,
};

use crate::error::{ApiError, ApiResult};

#[derive(Default)]
pub struct Store {
    /// pool id -> pool
    pub pools: Tracked<String, Pool>,
    /// client id -> pool id (derived from the pools' clients; rebuilt on load)
    clients: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    /// SECRET_BLOCK -> session id, for clients that answer PASSWORD_VERIFIER without Session.
    pub secret_blocks: HashMap<String, String>,
    /// refresh token fingerprint -> what it was issued for
    pub refresh_tokens: Tracked<Fingerprint, RefreshRecord>,
    /// access token fingerprint -> what it was issued for
    pub access_tokens: Tracked<Fingerprint, AccessRecord>,
    /// (pool id, internal username) -> codes sent, newest last
    pub outbox: HashMap<(String, String), Vec<SentCode>>,
    /// Identity pools (with their roles) and identities; the credentials issued are kept in
    /// memory only.
    pub identity: crate::identity::state::IdentityState,
    /// Refresh-token rotation: rotated-out tokens and revoked token families.
    pub rotation: RotationState,
    /// Lockouts after failed sign-ins, attempts and expiry of codes (kept across restarts).
    pub guard: crate::guard::Guard,
    /// Domains, resource servers and the OAuth endpoints' grants.
    pub oauth: crate::oauth::state::OAuthStore,
}

impl Store {
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools
            .get(pool_id)
            .ok_or_else(|| ApiError::unknown_pool(pool_id))
    }

    /// The pool, recorded as changed (its settings record is written only if it differs).
    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        self.pools
            .get_mut(pool_id)
            .ok_or_else(|| ApiError::unknown_pool(pool_id))
    }

    /// The pools of one region, in id order.
    pub fn pools_in<'s>(&'s self, region: &'s str) -> impl Iterator<Item = &'s Pool> + 's {
        self.pools
            .values()
            .filter(move |p| region_of(&p.id) == region)
    }

    pub fn insert_pool(&mut self, pool: Pool) {
        for client_id in pool.clients.iter().map(|(id, _)| id) {
            self.clients.insert(client_id.clone(), pool.id.clone());
        }
        self.pools.insert(pool.id.clone(), pool);
    }

    /// Removes a pool with everything in it: clients, users, sessions.
    pub fn remove_pool(&mut self, pool_id: &str) -> Option<Pool> {
        let pool = self.pools.remove(pool_id)?;
        self.clients.retain(|_, p| p != pool_id);
        self.sessions.retain(|_, s| s.pool_id != pool_id);
        Some(pool)
    }

    /// The pool of an app client.
    pub fn client_pool_id(&self, client_id: &str) -> ApiResult<String> {
        self.clients
            .get(client_id)
            .cloned()
            .ok_or_else(|| ApiError::unknown_client(client_id))
    }

    pub fn insert_client(&mut self, pool_id: &str, client: AppClient) -> ApiResult<()> {
        let id = client.id.clone();
        self.pool_mut(pool_id)?.clients.insert(id.clone(), client);
        self.clients.insert(id, pool_id.to_owned());
        Ok(())
    }

    pub fn remove_client(&mut self, pool_id: &str, client_id: &str) -> ApiResult<AppClient> {
        let client = self
            .pool_mut(pool_id)?
            .clients
            .remove(client_id)
            .ok_or_else(|| ApiError::unknown_client(client_id))?;
        self.clients.remove(client_id);
        Ok(client)
    }

    /// Re-derives the client index after loading the pools from the state directory.
    pub fn reindex(&mut self) {
        self.clients = self
            .pools
            .values()
            .flat_map(|p| p.clients.iter().map(|(id, _)| (id.clone(), p.id.clone())))
            .collect();
        self.identity.reindex();
    }

    /// Drops the change marks (without a state directory nothing is written).
    pub fn forget_changes(&mut self) {
        for pool_id in self.pools.take_touched() {
            if let Some(pool) = self.pools.peek_mut(&pool_id) {
                pool.clients.take_touched();
                pool.users.take_touched();
                pool.groups.take_touched();
                pool.resources.take_touched();
            }
        }
        self.refresh_tokens.take_touched();
        self.access_tokens.take_touched();
        self.oauth.domains.take_touched();
        self.oauth.resource_servers.take_touched();
        self.oauth.grants.take_touched();
        self.identity.forget_changes();
        self.rotation.forget_changes();
        self.guard.sign_ins.take_touched();
        self.guard.codes.take_touched();
    }

    pub fn record_code(&mut self, pool_id: &str, username: &str, code: SentCode) {
        let list = self
            .outbox
            .entry((pool_id.to_owned(), username.to_owned()))
            .or_default();
        list.push(code);
        if list.len() > 32 {
            list.remove(0);
        }
    }

    /// Removes expired sessions and token records; called now and then so that abandoned
    /// sign-ins do not pile up. Expired records are not written as removals: a record loaded
    /// past its expiry is dropped on load.
    pub fn sweep(&mut self, now: i64) {
        let before = self.sessions.len();
        self.sessions
            .retain(|_, s| now - s.created <= s.validity_secs);
        if self.sessions.len() != before {
            let live: std::collections::HashSet<&String> = self.sessions.keys().collect();
            self.secret_blocks.retain(|_, id| live.contains(id));
        }
        self.access_tokens.expire(|r| r.expires > now);
        self.refresh_tokens.expire(|r| r.expires > now);
        self.guard.sweep(now);
        self.oauth.sweep(now);
        self.identity.sweep(now);
        self.rotation.sweep(now);
    }
}
