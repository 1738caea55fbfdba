//! User pools and their app clients.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Group, Tracked, User};
use crate::error::{ApiError, ApiResult};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_length: usize,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: i64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaMode {
    Off,
    On,
    Optional,
}

impl MfaMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MfaMode::Off => "OFF",
            MfaMode::On => "ON",
            MfaMode::Optional => "OPTIONAL",
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DeviceConfig {
    pub only_remembered_on_user_prompt: bool,
}

/// A user pool's settings and what belongs to it. Serialized, it is the pool's own record;
/// its clients and users are records of their own (see `persist`).
#[derive(Serialize, Deserialize)]
pub struct Pool {
    pub id: String,
    pub name: String,
    pub created: i64,
    pub policy: PasswordPolicy,
    pub username_attributes: Vec<String>,
    pub alias_attributes: Vec<String>,
    pub mfa: MfaMode,
    pub device: Option<DeviceConfig>,
    pub required_attributes: Vec<String>,
    pub case_sensitive: bool,
    /// USER_AUTH first factors (SignInPolicy.AllowedFirstAuthFactors).
    pub first_factors: Vec<String>,
    /// The request's configuration members, echoed back by Describe/Create.
    pub echo: serde_json::Map<String, Value>,
    #[serde(skip)]
    pub clients: Tracked<String, AppClient>,
    /// key: internal username (lower-cased when the pool is case-insensitive)
    #[serde(skip)]
    pub users: Tracked<String, User>,
    #[serde(skip)]
    pub groups: Tracked<String, Group>,
}

#[derive(Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    pub secret: Option<String>,
    pub explicit_flows: Vec<String>,
    pub prevent_user_existence_errors: bool,
    pub access_validity_secs: i64,
    pub id_validity_secs: i64,
    pub refresh_validity_secs: i64,
    /// How long a sign-in session lasts (AuthSessionValidity, 3 to 15 minutes).
    pub session_validity_secs: i64,
    pub created: i64,
    pub echo: serde_json::Map<String, Value>,
}

impl AppClient {
    /// Whether an auth flow is enabled, accepting the legacy names too. With legacy values
    /// (or none), SRP, refresh and custom auth stay allowed, as Cognito did before ALLOW_*.
    pub fn allows(&self, flow: &str) -> bool {
        let legacy = self.explicit_flows.iter().all(|f| !f.starts_with("ALLOW_"));
        if legacy
            && matches!(flow, "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "CUSTOM_AUTH")
            && (flow == "CUSTOM_AUTH"
                || !self
                    .explicit_flows
                    .iter()
                    .any(|f| f == "CUSTOM_AUTH_FLOW_ONLY"))
        {
            return true;
        }
        let allow = format!("ALLOW_{flow}");
        self.explicit_flows.iter().any(|f| {
            f == &allow
                || (f == flow && flow != "USER_AUTH")
                || (flow == "USER_PASSWORD_AUTH" && f == "USER_PASSWORD_AUTH")
                || (flow == "ADMIN_USER_PASSWORD_AUTH" && f == "ADMIN_NO_SRP_AUTH")
                || (flow == "CUSTOM_AUTH" && f == "CUSTOM_AUTH_FLOW_ONLY")
        })
    }
}

impl Pool {
    pub fn user_key(&self, username: &str) -> String {
        if self.case_sensitive {
            username.to_owned()
        } else {
            username.to_lowercase()
        }
    }

    /// Finds a user by the name a client typed: the username itself, or (for pools that sign
    /// in by email/phone or allow aliases) a matching attribute. Returns the user map key.
    pub fn resolve(&self, login: &str) -> Option<String> {
        let key = self.user_key(login);
        if self.users.contains_key(&key) {
            return Some(key);
        }
        let by_attr = |attr: &str, must_be_verified: bool| {
            self.users.iter().find_map(|(k, u)| {
                let value = u.attribute(attr)?;
                let matches = if attr == "email" || !self.case_sensitive {
                    value.eq_ignore_ascii_case(login)
                } else {
                    value == login
                };
                let verified = !must_be_verified
                    || u.attribute(&format!("{attr}_verified")) == Some("true")
                    || attr == "preferred_username";
                (matches && verified).then(|| k.clone())
            })
        };
        for attr in &self.username_attributes {
            if let Some(k) = by_attr(attr, false) {
                return Some(k);
            }
        }
        for attr in &self.alias_attributes {
            if let Some(k) = by_attr(attr, true) {
                return Some(k);
            }
        }
        None
    }

    pub fn user(&self, login: &str) -> ApiResult<&User> {
        self.resolve(login)
            .and_then(|k| self.users.get(&k))
            .ok_or_else(ApiError::user_not_found)
    }

    pub fn user_mut(&mut self, login: &str) -> ApiResult<&mut User> {
        let key = self.resolve(login).ok_or_else(ApiError::user_not_found)?;
        self.users
            .get_mut(&key)
            .ok_or_else(ApiError::user_not_found)
    }

    pub fn client(&self, client_id: &str) -> ApiResult<&AppClient> {
        self.clients
            .get(client_id)
            .ok_or_else(|| ApiError::unknown_client(client_id))
    }

    /// The pool's name for SRP: the part of the id after `_`.
    pub fn srp_realm(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or(&self.id)
    }
}
