//! Sign-in sessions: where a sign-in stands between InitiateAuth and the tokens. They live in
//! memory only (a restart ends sign-ins in progress, as a Cognito session expires anyway).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use srp_core::SrpServer;

use super::MfaKind;

/// One challenge answered in a CUSTOM_AUTH session, as DefineAuthChallenge sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
