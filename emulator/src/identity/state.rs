//! What the emulator keeps about identity pools: the pools (with their roles), the identities,
//! the login index and the record of issued credentials, all inside the store.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::store::Tracked;

/// Everything about identity pools.
#[derive(Default)]
pub struct IdentityState {
    /// identity pool id -> pool
    pub pools: Tracked<String, IdentityPool>,
    /// identity id -> identity
    pub identities: Tracked<String, Identity>,
    /// (identity pool id, provider name, subject) -> identity id: one identity per user.
    /// Derived from the identities' logins (rebuilt on load).
    pub by_login: HashMap<(String, String, String), String>,
    /// access key id -> what the credentials were issued for (in memory only: the emulator
    /// serves no STS that would honour them after a restart).
    pub issued: HashMap<String, IssuedCredentials>,
}

/// A user pool app client an identity pool accepts tokens from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPoolProvider {
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>`
    pub provider_name: String,
    pub client_id: String,
    pub server_side_token_check: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityPool {
    pub id: String,
    pub name: String,
    pub allow_unauthenticated: bool,
    pub allow_classic_flow: bool,
    pub providers: Vec<UserPoolProvider>,
    pub supported_login_providers: BTreeMap<String, String>,
    pub developer_provider_name: Option<String>,
    pub open_id_connect_provider_arns: Vec<String>,
    pub saml_provider_arns: Vec<String>,
    pub tags: BTreeMap<String, String>,
    /// `authenticated` / `unauthenticated` -> role ARN
    pub roles: BTreeMap<String, String>,
    /// provider name -> RoleMapping as sent (validated by SetIdentityPoolRoles)
    pub role_mappings: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Identity {
    pub id: String,
    pub pool_id: String,
    /// provider name -> subject
    pub logins: BTreeMap<String, String>,
    pub created: i64,
    pub modified: i64,
}

impl IdentityState {
    pub fn pool(&self, id: &str) -> ApiResult<&IdentityPool> {
        self.pools.get(id).ok_or_else(|| unknown_pool(id))
    }

    /// The pool, recorded as changed.
    pub fn pool_mut(&mut self, id: &str) -> ApiResult<&mut IdentityPool> {
        self.pools.get_mut(id).ok_or_else(|| unknown_pool(id))
    }

    /// Rebuilds the login index from the identities (after loading them).
    pub fn reindex(&mut self) {
        self.by_login = self
            .identities
            .values()
            .flat_map(|i| {
                i.logins.iter().map(|(provider, subject)| {
                    (
                        (i.pool_id.clone(), provider.clone(), subject.clone()),
                        i.id.clone(),
                    )
                })
            })
            .collect();
    }

    /// Drops expired records of issued credentials.
    pub fn sweep(&mut self, now: i64) {
        self.issued.retain(|_, c| c.expiration > now);
    }

    pub fn forget_changes(&mut self) {
        self.pools.take_touched();
        self.identities.take_touched();
    }
}

pub(crate) fn unknown_pool(id: &str) -> ApiError {
    ApiError::resource_not_found(format!("IdentityPool '{id}' not found."))
}

pub(crate) fn unknown_identity(id: &str) -> ApiError {
    ApiError::resource_not_found(format!("Identity '{id}' not found."))
}

/// What a set of credentials was issued for (see `Emulator::issued_credentials`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCredentials {
    pub identity_id: String,
    pub identity_pool_id: String,
    pub role_arn: String,
    pub authenticated: bool,
    pub expiration: i64,
}
