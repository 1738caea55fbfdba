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
