//! RFC 6238 TOTP as authenticator apps compute it for the SecretCode of AssociateSoftwareToken
//! (HMAC-SHA1, 30 s steps, 6 digits, base32 without padding), through the `totp-rs` crate.

use totp_rs::{Algorithm, Secret, TOTP};

const STEP_SECS: u64 = 30;
const DIGITS: usize = 6;
/// Steps accepted on either side of the current one (clock drift), as Cognito does.
const SKEW_STEPS: u8 = 1;

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, DIGITS, SKEW_STEPS, STEP_SECS, bytes).ok()
}

/// The base32 SecretCode for raw secret bytes.
pub fn encode_secret(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The code for the step containing `unix_secs`; empty for a secret that is not base32.
pub fn code_at(secret_base32: &str, unix_secs: i64) -> String {
    match totp(secret_base32) {
        Some(t) => t.generate(u64::try_from(unix_secs).unwrap_or(0)),
        None => String::new(),
    }
}

/// Accepts the current step and one on either side.
pub fn verify(secret_base32: &str, code: &str, unix_secs: i64) -> bool {
    let Some(t) = totp(secret_base32) else {
        return false;
    };
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    // Every window is compared, in constant time: the answer does not show which one matched
    // (totp-rs's own check stops at the first match).
    let step = STEP_SECS as i64;
    (-i64::from(SKEW_STEPS)..=i64::from(SKEW_STEPS)).fold(false, |found, d| {
        let at = u64::try_from(unix_secs + d * step).unwrap_or(0);
        found | crate::guard::constant_time_eq(t.generate(at).as_bytes(), code.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 appendix B (secret "12345678901234567890"), truncated to 6 digits.
        let secret = encode_secret(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(code_at(&secret, 59), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109), "081804");
        assert_eq!(code_at(&secret, 1_234_567_890), "005924");
        assert_eq!(code_at(&secret, 20_000_000_000), "353130");
    }

    #[test]
    fn verify_accepts_one_step_of_drift_only() {
        let secret = encode_secret(b"12345678901234567890");
        let code = code_at(&secret, 100);
        assert!(verify(&secret, &code, 110));
        assert!(verify(&secret, &code, 100 + 30));
        assert!(!verify(&secret, &code, 100 + 90));
        assert!(!verify(&secret, "12345", 110));
        assert!(!verify("not base32!", &code, 110));
        assert_eq!(code_at("not base32!", 110), "");
    }
}
