//! In-memory state, keyed by region as AWS is: region -> user pools -> app clients, users and
//! their devices. Global indexes map the ids a request carries (client id, session, refresh
//! token, access token) to the pool they belong to; a pool id starts with its region.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use srp_core::{SrpServer, Verifier};

use crate::error::{ApiError, ApiResult};

#[derive(Default)]
pub struct Store {
    pub regions: BTreeMap<String, RegionState>,
    /// client id -> pool id
    pub clients: HashMap<String, String>,
    pub sessions: HashMap<String, Session>,
    /// SECRET_BLOCK -> session id, for clients that answer PASSWORD_VERIFIER without Session.
    pub secret_blocks: HashMap<String, String>,
    pub refresh_tokens: HashMap<String, RefreshRecord>,
    /// access token fingerprint -> what it was issued for
    pub access_tokens: HashMap<[u8; 32], AccessRecord>,
    /// (pool id, internal username) -> codes sent, newest last
    pub outbox: HashMap<(String, String), Vec<SentCode>>,
    /// Lockouts after failed sign-ins, attempts and expiry of codes (not persisted state).
    pub guard: crate::guard::Guard,
    /// Domains, resource servers and the OAuth endpoints' grants.
    pub oauth: crate::oauth::state::OAuthStore,
}

#[derive(Default)]
pub struct RegionState {
    pub pools: BTreeMap<String, Pool>,
}

#[derive(Clone, Debug)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, Default)]
pub struct DeviceConfig {
    pub only_remembered_on_user_prompt: bool,
}

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
    pub clients: BTreeMap<String, AppClient>,
    /// key: internal username (lower-cased when the pool is case-insensitive)
    pub users: BTreeMap<String, User>,
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A stored password: a salted digest for USER_PASSWORD_AUTH, the SRP verifier for SRP.
pub struct Password {
    pub salt: Vec<u8>,
    pub digest: [u8; 32],
    pub verifier: Verifier,
    pub temporary_expires: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MfaKind {
    Sms,
    Totp,
    Email,
}

impl MfaKind {
    pub fn challenge(self) -> &'static str {
        match self {
            MfaKind::Sms => "SMS_MFA",
            MfaKind::Totp => "SOFTWARE_TOKEN_MFA",
            MfaKind::Email => "EMAIL_OTP",
        }
    }

    pub fn from_answer(answer: &str) -> Option<Self> {
        match answer {
            "SMS_MFA" => Some(MfaKind::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(MfaKind::Totp),
            "EMAIL_OTP" | "EMAIL_MFA" => Some(MfaKind::Email),
            _ => None,
        }
    }
}

#[derive(Default)]
pub struct MfaSettings {
    pub enabled: Vec<MfaKind>,
    pub preferred: Option<MfaKind>,
    /// A verified TOTP secret (base32).
    pub totp_secret: Option<String>,
    /// Associated but not yet verified.
    pub pending_totp_secret: Option<String>,
}

pub struct Device {
    pub key: String,
    pub group_key: String,
    pub verifier: Option<Verifier>,
    pub name: Option<String>,
    pub remembered: Option<bool>,
    pub last_authenticated: i64,
}

pub struct User {
    pub username: String,
    pub sub: String,
    pub attributes: BTreeMap<String, String>,
    pub status: UserStatus,
    pub enabled: bool,
    pub password: Option<Password>,
    pub created: i64,
    pub modified: i64,
    pub mfa: MfaSettings,
    pub devices: BTreeMap<String, Device>,
    pub confirmation_code: Option<String>,
    /// The last ForgotPassword code.
    pub reset_code: Option<String>,
    /// Bumped by GlobalSignOut and AdminDeleteUser: older tokens stop working.
    pub token_generation: u64,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeKind {
    SignUpConfirmation,
    PasswordReset,
    Sms,
    Email,
}

#[derive(Clone, Debug)]
pub struct SentCode {
    pub kind: CodeKind,
    pub code: String,
    pub destination: String,
}

/// One challenge answered in a CUSTOM_AUTH session, as DefineAuthChallenge sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeResult {
    pub challenge_name: String,
    pub challenge_result: bool,
    pub challenge_metadata: Option<String>,
}

/// Where a sign-in session stands: the challenge the client must answer next.
pub enum Stage {
    PasswordVerifier {
        server: SrpServer,
        srp_a: String,
        secret_block: String,
    },
    NewPasswordRequired,
    Mfa {
        kind: MfaKind,
        code: Option<String>,
    },
    SelectMfa {
        options: Vec<MfaKind>,
    },
    MfaSetup,
    DeviceSrpAuth,
    DevicePasswordVerifier {
        server: SrpServer,
        srp_a: String,
        secret_block: String,
        device_key: String,
    },
    Custom {
        private: BTreeMap<String, String>,
        metadata: Option<String>,
    },
    SelectChallenge {
        options: Vec<String>,
    },
    EmailOtp {
        code: String,
    },
}

impl Stage {
    pub fn challenge_name(&self) -> &'static str {
        match self {
            Stage::PasswordVerifier { .. } => "PASSWORD_VERIFIER",
            Stage::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Stage::Mfa { kind, .. } => kind.challenge(),
            Stage::SelectMfa { .. } => "SELECT_MFA_TYPE",
            Stage::MfaSetup => "MFA_SETUP",
            Stage::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Stage::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
            Stage::Custom { .. } => "CUSTOM_CHALLENGE",
            Stage::SelectChallenge { .. } => "SELECT_CHALLENGE",
            Stage::EmailOtp { .. } => "EMAIL_OTP",
        }
    }
}

pub struct Session {
    pub id: String,
    pub pool_id: String,
    pub client_id: String,
    /// internal username
    pub username: String,
    pub created: i64,
    pub stage: Stage,
    /// A DEVICE_KEY the client sent with the sign-in.
    pub device_key: Option<String>,
    /// The sign-in is a CUSTOM_AUTH flow (the hook decides what follows each step).
    pub custom: bool,
    pub custom_history: Vec<ChallengeResult>,
    pub client_metadata: BTreeMap<String, String>,
    /// Whether the first factor was a password (MFA applies) or passwordless.
    pub password_factor: bool,
    /// Seconds the session stays valid (the app client's AuthSessionValidity).
    pub validity_secs: i64,
    /// Failed code attempts in this session.
    pub failures: u32,
    /// A TOTP secret associated through this session (MFA_SETUP).
    pub totp_secret: Option<String>,
    pub totp_verified: bool,
    pub new_password_done: bool,
    pub mfa_done: bool,
    pub device_done: bool,
    /// ChallengeParameters of the current stage.
    pub params: BTreeMap<String, String>,
}

impl Session {
    pub fn new(pool_id: &str, client_id: &str, username: &str, now: i64) -> Self {
        Session {
            id: String::new(),
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            created: now,
            stage: Stage::NewPasswordRequired,
            device_key: None,
            custom: false,
            custom_history: Vec::new(),
            client_metadata: BTreeMap::new(),
            password_factor: true,
            failures: 0,
            validity_secs: SESSION_VALIDITY_SECS,
            totp_secret: None,
            totp_verified: false,
            new_password_done: false,
            mfa_done: false,
            device_done: false,
            params: BTreeMap::new(),
        }
    }
}

/// Sessions are valid for three minutes, as Cognito's default.
pub const SESSION_VALIDITY_SECS: i64 = 180;

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

pub struct AccessRecord {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub origin_jti: String,
    pub expires: i64,
    pub generation: u64,
}

impl Store {
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        let region = region_of(pool_id);
        self.regions
            .get(region)
            .and_then(|r| r.pools.get(pool_id))
            .ok_or_else(|| ApiError::unknown_pool(pool_id))
    }

    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        let region = region_of(pool_id);
        self.regions
            .get_mut(region)
            .and_then(|r| r.pools.get_mut(pool_id))
            .ok_or_else(|| ApiError::unknown_pool(pool_id))
    }

    /// The pool of an app client.
    pub fn client_pool_id(&self, client_id: &str) -> ApiResult<String> {
        self.clients
            .get(client_id)
            .cloned()
            .ok_or_else(|| ApiError::unknown_client(client_id))
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

    /// Removes expired sessions; called now and then so that abandoned sign-ins do not pile up.
    pub fn sweep(&mut self, now: i64) {
        let before = self.sessions.len();
        self.sessions
            .retain(|_, s| now - s.created <= s.validity_secs);
        if self.sessions.len() != before {
            let live: std::collections::HashSet<&String> = self.sessions.keys().collect();
            self.secret_blocks.retain(|_, id| live.contains(id));
        }
        self.access_tokens.retain(|_, r| r.expires > now);
        self.refresh_tokens.retain(|_, r| r.expires > now);
        self.guard.sweep(now);
        self.oauth.sweep(now);
    }
}

pub fn region_of(pool_id: &str) -> &str {
    pool_id.split('_').next().unwrap_or_default()
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
