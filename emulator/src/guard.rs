//! Defences against guessing, as Cognito documents them:
//! - **Lockout**: after five failed sign-ins with a password (or five wrong MFA codes), the user
//!   is locked out for 1 second, then twice as long after each further failure (2^(n−5) s after
//!   n failures), up to about 15 minutes. Attempts during a lockout fail with
//!   NotAuthorizedException "Password attempts exceeded" without testing the password and do not
//!   lengthen later lockouts. A successful sign-in, or 15 minutes without any attempt, resets it.
//! - **Codes** (sign-up confirmation: valid 24 hours; password reset: 1 hour) allow a few wrong
//!   tries, then LimitExceededException until a new code is sent; an expired code gives
//!   ExpiredCodeException; a code works once. Codes are compared in constant time.
//!
//! Challenge sessions (3 minutes by default, single use) are enforced where sessions live
//! (`ops/flow.rs`); MFA codes live in those sessions and expire with them.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ApiResult};
use crate::store::Tracked;

/// Failures allowed before the first lockout.
pub const FREE_FAILURES: u32 = 5;
/// The longest lockout ("approximately 15 minutes").
pub const MAX_LOCKOUT_SECS: i64 = 15 * 60;
/// A quiet period this long ends any lockout history.
pub const QUIET_RESET_SECS: i64 = 15 * 60;
/// Wrong entries of one code before it stops being accepted.
pub const CODE_ATTEMPTS: u32 = 5;
/// How long a sign-up confirmation code is valid.
pub const CONFIRMATION_CODE_SECS: i64 = 24 * 3600;
/// How long a ForgotPassword code is valid.
pub const RESET_CODE_SECS: i64 = 3600;

pub const ATTEMPTS_EXCEEDED: &str = "Password attempts exceeded";

/// What a code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Purpose {
    SignUpConfirmation,
    PasswordReset,
    /// Verifying a changed email address or phone number.
    VerifyEmail,
    VerifyPhone,
}

impl Purpose {
    fn validity_secs(self) -> i64 {
        match self {
            Purpose::SignUpConfirmation | Purpose::VerifyEmail | Purpose::VerifyPhone => {
                CONFIRMATION_CODE_SECS
            }
            Purpose::PasswordReset => RESET_CODE_SECS,
        }
    }

    /// The code that verifies `attribute` (email or phone_number).
    pub fn verifying(attribute: &str) -> Purpose {
        if attribute == "phone_number" {
            Purpose::VerifyPhone
        } else {
            Purpose::VerifyEmail
        }
    }
}

/// A user's recent failed sign-ins.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Failures {
    count: u32,
    locked_until: i64,
    last_attempt: i64,
}

/// A code sent and not used up yet: until when it is valid, and how many wrong tries it had.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct CodeState {
    expires: i64,
    wrong: u32,
}

/// (pool id, internal username)
pub type UserKey = (String, String);
/// (pool id, internal username, what the code is for)
pub type CodeKey = (String, String, Purpose);

/// Per-user sign-in failures and per-code attempts. Both survive restarts with `--state`
/// (Cognito keeps a lockout): every change is recorded ([`Tracked`]). A user who never failed
/// has no entry, so a successful sign-in writes nothing here.
#[derive(Default)]
pub struct Guard {
    pub(crate) sign_ins: Tracked<UserKey, Failures>,
    pub(crate) codes: Tracked<CodeKey, CodeState>,
}

fn key(pool_id: &str, username: &str) -> (String, String) {
    (pool_id.to_owned(), username.to_owned())
}

/// a == b in time that depends only on the lengths (which are public: codes have a fixed
/// length, hashes too).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

impl Guard {
    /// Called before a password (or MFA code) is checked: refuses the attempt while the user is
    /// locked out. Every call counts as an attempt for the quiet-period reset.
    pub fn check_sign_in(&mut self, pool_id: &str, username: &str, now: i64) -> ApiResult<()> {
        let k = key(pool_id, username);
        let Some(entry) = self.sign_ins.get(&k) else {
            return Ok(());
        };
        if now - entry.last_attempt >= QUIET_RESET_SECS {
            self.sign_ins.remove(&k);
            return Ok(());
        }
        let Some(entry) = self.sign_ins.get_mut(&k) else {
            return Ok(());
        };
        entry.last_attempt = now;
        if now < entry.locked_until {
            return Err(ApiError::not_authorized(ATTEMPTS_EXCEEDED));
        }
        Ok(())
    }

    /// A wrong password or code: the fifth and every later one starts a lockout twice as long
    /// as the one before.
    pub fn sign_in_failed(&mut self, pool_id: &str, username: &str, now: i64) {
        let k = key(pool_id, username);
        // `check_sign_in`, called before, has started a quiet history afresh.
        let mut entry = self.sign_ins.get(&k).copied().unwrap_or_default();
        entry.count = entry.count.saturating_add(1);
        entry.last_attempt = now;
        if entry.count >= FREE_FAILURES {
            let exponent = (entry.count - FREE_FAILURES).min(20);
            entry.locked_until = now + (1i64 << exponent).min(MAX_LOCKOUT_SECS);
        }
        self.sign_ins.insert(k, entry);
    }

    /// Tokens were issued: the failure history starts again.
    pub fn signed_in(&mut self, pool_id: &str, username: &str) {
        self.sign_ins.remove(&key(pool_id, username));
    }

    /// A new code was sent: it is valid from `now`, with a fresh allowance of wrong tries.
    pub fn code_sent(&mut self, pool_id: &str, username: &str, purpose: Purpose, now: i64) {
        self.codes.insert(
            (pool_id.to_owned(), username.to_owned(), purpose),
            CodeState {
                expires: now + purpose.validity_secs(),
                wrong: 0,
            },
        );
    }

    /// Checks `given` against the code sent (`expected`). A match uses the code up.
    pub fn check_code(
        &mut self,
        pool_id: &str,
        username: &str,
        purpose: Purpose,
        expected: Option<&str>,
        given: &str,
        now: i64,
    ) -> ApiResult<()> {
        let id = (pool_id.to_owned(), username.to_owned(), purpose);
        let (Some(expected), Some(state)) = (expected, self.codes.get_mut(&id)) else {
            return Err(code_mismatch());
        };
        if state.wrong >= CODE_ATTEMPTS {
            return Err(ApiError::new(
                "LimitExceededException",
                "Attempt limit exceeded, please try after some time.",
            ));
        }
        if now > state.expires {
            return Err(ApiError::new(
                "ExpiredCodeException",
                "Invalid code provided, please request a code again.",
            ));
        }
        if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
            state.wrong += 1;
            return Err(code_mismatch());
        }
        self.codes.remove(&id);
        Ok(())
    }

    /// Forgets a user's state (the user was deleted).
    pub fn forget(&mut self, pool_id: &str, username: &str) {
        self.sign_ins.remove(&key(pool_id, username));
        self.codes
            .retain(|(p, u, _), _| !(p == pool_id && u == username));
    }

    /// Forgets everything about a deleted pool's users.
    pub fn forget_pool(&mut self, pool_id: &str) {
        self.sign_ins.retain(|(p, _), _| p != pool_id);
        self.codes.retain(|(p, _, _), _| p != pool_id);
    }

    /// Drops records nobody needs any more: quiet sign-in histories and expired codes (not
    /// written as removals: loading drops them too).
    pub fn sweep(&mut self, now: i64) {
        self.sign_ins
            .expire(|f| now - f.last_attempt < QUIET_RESET_SECS);
        self.codes.expire(|c| now <= c.expires);
    }

    /// A code purpose as the state directory names it.
    pub fn purpose_name(p: Purpose) -> &'static str {
        match p {
            Purpose::SignUpConfirmation => "SignUpConfirmation",
            Purpose::PasswordReset => "PasswordReset",
            Purpose::VerifyEmail => "VerifyEmail",
            Purpose::VerifyPhone => "VerifyPhone",
        }
    }

    pub fn purpose_of(name: &str) -> Option<Purpose> {
        [
            Purpose::SignUpConfirmation,
            Purpose::PasswordReset,
            Purpose::VerifyEmail,
            Purpose::VerifyPhone,
        ]
        .into_iter()
        .find(|p| Self::purpose_name(*p) == name)
    }
}

fn code_mismatch() -> ApiError {
    ApiError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_doubles_and_resets() {
        let mut g = Guard::default();
        let t0 = 1_000_000;
        for i in 0..4 {
            assert!(g.check_sign_in("p", "u", t0 + i).is_ok());
            g.sign_in_failed("p", "u", t0 + i);
            assert!(g.check_sign_in("p", "u", t0 + i).is_ok(), "failure {i}");
        }
        g.sign_in_failed("p", "u", t0 + 4);
        // 5 failures: 1 s.
        assert_eq!(
            g.check_sign_in("p", "u", t0 + 4).unwrap_err().message,
            ATTEMPTS_EXCEEDED
        );
        assert!(g.check_sign_in("p", "u", t0 + 5).is_ok());
        g.sign_in_failed("p", "u", t0 + 5);
        // 6 failures: 2 s.
        assert!(g.check_sign_in("p", "u", t0 + 6).is_err());
        assert!(g.check_sign_in("p", "u", t0 + 7).is_ok());
        // Up to the cap.
        let mut now = t0 + 7;
        for _ in 0..20 {
            g.sign_in_failed("p", "u", now);
            now += MAX_LOCKOUT_SECS;
        }
        g.sign_in_failed("p", "u", now);
        assert!(g
            .check_sign_in("p", "u", now + MAX_LOCKOUT_SECS - 1)
            .is_err());
        // 15 quiet minutes after that attempt: a fresh start.
        let later = now + MAX_LOCKOUT_SECS - 1 + QUIET_RESET_SECS;
        assert!(g.check_sign_in("p", "u", later).is_ok());
        g.sign_in_failed("p", "u", later);
        assert!(g.check_sign_in("p", "u", later).is_ok());
        // Another user is not affected; a sign-in clears the history.
        assert!(g.check_sign_in("p", "v", t0).is_ok());
        g.signed_in("p", "u");
        assert!(!g.sign_ins.contains_key(&key("p", "u")));
        // A user who never failed has no entry to write.
        g.sign_ins.take_touched();
        assert!(g.check_sign_in("p", "w", later).is_ok());
        g.signed_in("p", "w");
        assert!(g.sign_ins.take_touched().is_empty());
    }

    #[test]
    fn codes_expire_and_allow_few_tries() {
        let mut g = Guard::default();
        let p = Purpose::PasswordReset;
        g.code_sent("p", "u", p, 100);
        for _ in 0..CODE_ATTEMPTS {
            let e = g
                .check_code("p", "u", p, Some("123456"), "000000", 101)
                .unwrap_err();
            assert_eq!(e.code, "CodeMismatchException");
        }
        let e = g
            .check_code("p", "u", p, Some("123456"), "123456", 102)
            .unwrap_err();
        assert_eq!(e.code, "LimitExceededException");
        g.code_sent("p", "u", p, 200);
        let e = g
            .check_code("p", "u", p, Some("123456"), "123456", 201 + RESET_CODE_SECS)
            .unwrap_err();
        assert_eq!(e.code, "ExpiredCodeException");
        g.code_sent("p", "u", p, 300);
        assert!(g
            .check_code("p", "u", p, Some("123456"), "123456", 301)
            .is_ok());
        // Used once.
        let e = g
            .check_code("p", "u", p, Some("123456"), "123456", 302)
            .unwrap_err();
        assert_eq!(e.code, "CodeMismatchException");
    }
}
