//! The pluggable CUSTOM_AUTH challenge, shaped like Cognito's three Lambda triggers
//! (DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse).

use std::collections::BTreeMap;

pub use crate::store::ChallengeResult;

/// What every trigger sees about the sign-in.
#[derive(Debug)]
pub struct CustomAuthRequest<'a> {
    pub user_pool_id: &'a str,
    pub client_id: &'a str,
    /// The internal username.
    pub username: &'a str,
    pub user_attributes: &'a BTreeMap<String, String>,
    /// Challenges answered so far in this sign-in (`SRP_A`, `PASSWORD_VERIFIER`,
    /// `CUSTOM_CHALLENGE`), oldest first.
    pub session: &'a [ChallengeResult],
    pub client_metadata: &'a BTreeMap<String, String>,
}

/// DefineAuthChallenge's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Define {
    /// Ask `PASSWORD_VERIFIER` (only right after `SRP_A`) or `CUSTOM_CHALLENGE`.
    Challenge(String),
    IssueTokens,
    Fail,
}

/// CreateAuthChallenge's output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatedChallenge {
    /// Sent to the client as ChallengeParameters.
    pub public: BTreeMap<String, String>,
    /// Kept on the server, given to `verify`.
    pub private: BTreeMap<String, String>,
    /// Recorded in the session history.
    pub metadata: Option<String>,
}

/// The three CUSTOM_AUTH triggers. Set one with `Emulator::set_custom_auth`.
pub trait CustomAuthHook: Send + Sync {
    fn define(&self, request: &CustomAuthRequest<'_>) -> Define;
    fn create(&self, request: &CustomAuthRequest<'_>, challenge_name: &str) -> CreatedChallenge;
    fn verify(
        &self,
        request: &CustomAuthRequest<'_>,
        private: &BTreeMap<String, String>,
        answer: &str,
    ) -> bool;
}

/// A ready-made hook: one CUSTOM_CHALLENGE whose right answer is fixed (after a password
/// verifier when the client starts with SRP_A). Public parameter `question` = "answer?".
#[derive(Debug, Clone)]
pub struct FixedAnswer {
    pub answer: String,
    /// How many wrong answers fail the sign-in (Cognito's samples allow 3).
    pub max_attempts: usize,
}

impl FixedAnswer {
    pub fn new(answer: impl Into<String>) -> Self {
        FixedAnswer {
            answer: answer.into(),
            max_attempts: 3,
        }
    }
}

impl CustomAuthHook for FixedAnswer {
    fn define(&self, request: &CustomAuthRequest<'_>) -> Define {
        let last = request.session.last();
        match last {
            Some(r) if r.challenge_name == "SRP_A" => Define::Challenge("PASSWORD_VERIFIER".into()),
            Some(r) if r.challenge_name == "PASSWORD_VERIFIER" && !r.challenge_result => {
                Define::Fail
            }
            Some(r) if r.challenge_name == "CUSTOM_CHALLENGE" && r.challenge_result => {
                Define::IssueTokens
            }
            _ => {
                let wrong = request
                    .session
                    .iter()
                    .filter(|r| r.challenge_name == "CUSTOM_CHALLENGE" && !r.challenge_result)
                    .count();
                if wrong >= self.max_attempts {
                    Define::Fail
                } else {
                    Define::Challenge("CUSTOM_CHALLENGE".into())
                }
            }
        }
    }

    fn create(&self, _request: &CustomAuthRequest<'_>, _challenge_name: &str) -> CreatedChallenge {
        let mut c = CreatedChallenge::default();
        c.public.insert("question".into(), "answer?".into());
        c.private.insert("answer".into(), self.answer.clone());
        c.metadata = Some("FIXED_ANSWER".into());
        c
    }

    fn verify(
        &self,
        _request: &CustomAuthRequest<'_>,
        private: &BTreeMap<String, String>,
        answer: &str,
    ) -> bool {
        private.get("answer").map(String::as_str) == Some(answer)
    }
}
