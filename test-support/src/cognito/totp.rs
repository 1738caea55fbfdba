//! The codes an authenticator app shows, with the crate the emulator checks them with
//! (`totp-rs`), so a test and the server cannot disagree about RFC 6238.

use totp_rs::{Algorithm, Secret, TOTP};

/// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) for a base32 secret at a Unix time.
pub fn totp(secret_base32: &str, unix: u64) -> String {
    let key = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .unwrap_or_else(|e| panic!("not base32: {secret_base32:?}: {e:?}"));
    TOTP::new(Algorithm::SHA1, 6, 1, 30, key)
        .expect("a TOTP secret of at least 128 bits")
        .generate(unix)
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc_6238() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits there; 6 here
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(totp(secret, 59), "287082");
        assert_eq!(totp(secret, 1_111_111_109), "081804");
    }
}
