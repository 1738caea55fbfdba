//! User pools and their app clients.

use serde::{Deserialize, Serialize};

use super::{Group, Resource, Tracked, User};
use crate::error::{ApiError, ApiResult};
use crate::model as m;

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

/// A pool's settings that the API reads and writes as they are, in the model's shapes and
/// named as the API names them (state format 3 kept them as the request's raw members, under
/// `echo`; those read into this). `rename_all` gives the API's names; `rename` where a field
/// is shorter than its member or the API spells an acronym in capitals (`CallbackURLs`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PoolConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<m::UserPoolPolicyType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_config: Option<m::LambdaConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<m::VerifiedAttributeType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<m::VerificationMessageTemplateType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<m::UserAttributeUpdateSettingsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<m::DeviceConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<m::EmailConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<m::SmsConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_tags: Option<std::collections::HashMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<m::AdminCreateUserConfigType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<m::UserPoolAddOnsType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<m::AccountRecoverySettingType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<m::UserPoolTierType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<m::DeletionProtectionType>,
    /// Custom attributes (`custom:` names) and the standard ones the Schema member changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schema: Vec<m::SchemaAttributeType>,
    /// SetUserPoolMfaConfig's settings.
    #[serde(
        rename = "SoftwareTokenMfaConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub software_token_mfa: Option<m::SoftwareTokenMfaConfigType>,
    #[serde(
        rename = "SmsMfaConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub sms_mfa: Option<m::SmsMfaConfigType>,
    #[serde(
        rename = "EmailMfaConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_mfa: Option<m::EmailMfaConfigType>,
    #[serde(
        rename = "WebAuthnConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub web_authn: Option<m::WebAuthnConfigurationType>,
    /// When the settings last changed (0: never since creation).
    #[serde(skip_serializing_if = "is_zero")]
    pub last_modified: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// An app client's settings that the API reads and writes as they are (format 3: `echo`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ClientConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_identity_providers: Option<Vec<String>>,
    #[serde(rename = "CallbackURLs", skip_serializing_if = "Option::is_none")]
    pub callback_urls: Option<Vec<String>>,
    #[serde(rename = "LogoutURLs", skip_serializing_if = "Option::is_none")]
    pub logout_urls: Option<Vec<String>>,
    #[serde(rename = "DefaultRedirectURI", skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    #[serde(rename = "AllowedOAuthFlows", skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_flows: Option<Vec<m::OAuthFlowType>>,
    #[serde(rename = "AllowedOAuthScopes", skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    #[serde(
        rename = "AllowedOAuthFlowsUserPoolClient",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_oauth_flows_user_pool_client: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_configuration: Option<m::AnalyticsConfigurationType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_token_revocation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_propagate_additional_user_context_data: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<m::RefreshTokenRotationType>,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_modified: i64,
}

/// One of an app client's secrets (a client has up to two while one is being rotated out).
#[derive(Clone, Serialize, Deserialize)]
pub struct ClientSecret {
    pub id: String,
    pub value: String,
    pub created: i64,
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSecret")
            .field("id", &self.id)
            .field("value", &"** redacted **")
            .finish()
    }
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
    pub required_attributes: Vec<String>,
    pub case_sensitive: bool,
    /// USER_AUTH first factors (SignInPolicy.AllowedFirstAuthFactors).
    pub first_factors: Vec<String>,
    #[serde(alias = "echo")]
    pub config: PoolConfig,
    #[serde(skip)]
    pub clients: Tracked<String, AppClient>,
    /// key: internal username (lower-cased when the pool is case-insensitive)
    #[serde(skip)]
    pub users: Tracked<String, User>,
    #[serde(skip)]
    pub groups: Tracked<String, Group>,
    /// Identity providers, terms, brandings, import jobs, ...: `kind/name` -> the resource.
    #[serde(skip)]
    pub resources: Tracked<String, Resource>,
}

#[derive(Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    /// The client's secrets, oldest first (none for a public client).
    #[serde(default)]
    pub secrets: Vec<ClientSecret>,
    pub explicit_flows: Vec<String>,
    pub prevent_user_existence_errors: bool,
    pub access_validity_secs: i64,
    pub id_validity_secs: i64,
    pub refresh_validity_secs: i64,
    /// How long a sign-in session lasts (AuthSessionValidity, 3 to 15 minutes).
    pub session_validity_secs: i64,
    pub created: i64,
    #[serde(alias = "echo")]
    pub config: ClientConfig,
}

impl AppClient {
    pub fn has_secret(&self) -> bool {
        !self.secrets.is_empty()
    }

    /// The secret Describe shows (the first one).
    pub fn first_secret(&self) -> Option<&str> {
        self.secrets.first().map(|s| s.value.as_str())
    }

    /// Whether `given` is one of the client's secrets (compared in constant time, each one).
    pub fn secret_matches(&self, given: &str) -> bool {
        let mut found = false;
        for s in &self.secrets {
            found |= crate::guard::constant_time_eq(s.value.as_bytes(), given.as_bytes());
        }
        found
    }

    /// Whether SECRET_HASH `provided` was made over `username` with one of the secrets.
    pub fn secret_hash_matches(&self, username: &str, provided: &str) -> bool {
        let mut found = false;
        for s in &self.secrets {
            let expected = srp_core::secret_hash(&s.value, username, &self.id);
            found |= crate::guard::constant_time_eq(expected.as_bytes(), provided.as_bytes());
        }
        found
    }

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

    /// Device tracking settings (None: the pool does not track devices).
    pub fn device(&self) -> Option<&m::DeviceConfigurationType> {
        self.config.device_configuration.as_ref()
    }

    /// Whether devices are remembered only when the user says so.
    pub fn devices_on_prompt(&self) -> bool {
        self.device()
            .and_then(|d| d.device_only_remembered_on_user_prompt)
            .unwrap_or(false)
    }

    /// The pool's name for SRP: the part of the id after `_`.
    pub fn srp_realm(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::{ClientConfig, PoolConfig};

    /// A pool's settings with every member set, exactly as a state directory holds them (the
    /// text state format 5 wrote before the members were named by `rename_all`; the restart
    /// test `state::settings_written_before_rename_all_are_read_back` reads the same files).
    /// Read and written again they give the same bytes, so old directories stay readable and
    /// compaction rewrites them unchanged.
    const POOL_SETTINGS: &str = include_str!("../../tests/state/pool-settings-v5.json");
    /// The same for an app client's settings.
    const CLIENT_SETTINGS: &str = include_str!("../../tests/state/client-settings-v5.json");

    #[test]
    fn settings_are_read_and_written_as_state_directories_hold_them() {
        for text in [POOL_SETTINGS.trim_end(), "{}"] {
            let settings: PoolConfig = serde_json::from_str(text).expect("pool settings");
            assert_eq!(serde_json::to_string(&settings).unwrap(), text);
        }
        for text in [CLIENT_SETTINGS.trim_end(), "{}"] {
            let settings: ClientConfig = serde_json::from_str(text).expect("client settings");
            assert_eq!(serde_json::to_string(&settings).unwrap(), text);
        }
    }
}
