//! Users: attributes, status, the stored password (verifiers only), MFA settings, devices.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use srp_core::Verifier;

use super::verifier_serde;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    /// Migrated without a usable password (UserMigration's RESET_REQUIRED).
    ResetRequired,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
        }
    }
}

/// A stored password: a salted digest for USER_PASSWORD_AUTH, the SRP verifier for SRP. The
/// password itself is never kept.
#[derive(Serialize, Deserialize)]
pub struct Password {
    #[serde(with = "verifier_serde::hex_bytes")]
    pub salt: Vec<u8>,
    #[serde(with = "verifier_serde::hex_bytes")]
    pub digest: [u8; 32],
    #[serde(with = "verifier_serde")]
    pub verifier: Verifier,
    pub temporary_expires: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

#[derive(Default, Serialize, Deserialize)]
pub struct MfaSettings {
    pub enabled: Vec<MfaKind>,
    pub preferred: Option<MfaKind>,
    /// A verified TOTP secret (base32).
    pub totp_secret: Option<String>,
    /// Associated but not yet verified.
    pub pending_totp_secret: Option<String>,
    /// The legacy MFAOptions (SMS to the phone number), set by (Admin)SetUserSettings.
    #[serde(default)]
    pub sms_option: bool,
}

#[derive(Serialize, Deserialize)]
pub struct Device {
    pub key: String,
    pub group_key: String,
    #[serde(with = "verifier_serde::option")]
    pub verifier: Option<Verifier>,
    pub name: Option<String>,
    pub remembered: Option<bool>,
    pub last_authenticated: i64,
    /// When the device was first seen and last changed (0 in state format 3: its first
    /// authentication stands in).
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
}

impl Device {
    pub fn created(&self) -> i64 {
        if self.created == 0 {
            self.last_authenticated
        } else {
            self.created
        }
    }
}

/// An identity of an external provider linked to a user (AdminLinkProviderForUser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedIdentity {
    pub provider_name: String,
    pub provider_type: String,
    pub user_id: String,
    pub created: i64,
}

/// A sign-in attempt, recorded while the pool's threat protection is on
/// (AdminListUserAuthEvents).
#[derive(Clone, Serialize, Deserialize)]
pub struct AuthEvent {
    pub id: String,
    pub created: i64,
    pub success: bool,
    /// Challenges answered on the way, with their outcome.
    pub challenges: Vec<(String, bool)>,
    pub feedback: Option<String>,
    pub feedback_provider: Option<String>,
    /// What UpdateAuthEventFeedback must present (a secret: not in Debug).
    pub feedback_token: String,
}

impl std::fmt::Debug for AuthEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthEvent")
            .field("id", &self.id)
            .field("created", &self.created)
            .field("success", &self.success)
            .field("challenges", &self.challenges)
            .field("feedback", &self.feedback)
            .field("feedback_provider", &self.feedback_provider)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
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
    /// The names of the pool's groups the user is in (state format 2).
    pub groups: BTreeSet<String>,
    /// Identities of external providers linked to this user.
    #[serde(default)]
    pub identities: Vec<LinkedIdentity>,
    /// New values of attributes that must be verified before they take effect
    /// (UserAttributeUpdateSettings), by attribute.
    #[serde(default)]
    pub pending_attributes: BTreeMap<String, String>,
    /// The last verification code sent for an attribute (email, phone_number).
    #[serde(default)]
    pub attribute_codes: BTreeMap<String, String>,
    /// Recent sign-in attempts (with threat protection on), newest last.
    #[serde(default)]
    pub events: Vec<AuthEvent>,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// The `identities` attribute Cognito shows for a user with linked providers.
    pub fn identities_attribute(&self) -> Option<String> {
        if self.identities.is_empty() {
            return None;
        }
        let list: Vec<serde_json::Value> = self
            .identities
            .iter()
            .map(|i| {
                serde_json::json!({
                    "userId": i.user_id,
                    "providerName": i.provider_name,
                    "providerType": i.provider_type,
                    "issuer": null,
                    "primary": false,
                    "dateCreated": i.created * 1000,
                })
            })
            .collect();
        Some(serde_json::Value::Array(list).to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeKind {
    SignUpConfirmation,
    PasswordReset,
    /// A code to verify a changed email or phone number (VerifyUserAttribute).
    AttributeVerification,
    Sms,
    Email,
    /// The feedback token of a sign-in event of a pool with threat protection (Cognito puts it
    /// in the links of its notification; the code is the token, the destination the event id).
    AuthEventFeedback,
}

/// A code "sent" to a user (readable by tests through the emulator; kept in memory only).
#[derive(Clone, Debug)]
pub struct SentCode {
    pub kind: CodeKind,
    pub code: String,
    pub destination: String,
    /// The message a CustomMessage trigger wrote for it (code filled in), if any.
    pub message: Option<String>,
    pub subject: Option<String>,
}
