//! RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits), as authenticator apps compute it for the
//! SecretCode of AssociateSoftwareToken (base32, RFC 4648, no padding).

use hmac::{Hmac, Mac};
use sha1::Sha1;

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const STEP_SECS: i64 = 30;

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars().filter(|c| *c != '=' && !c.is_whitespace()) {
        let v = BASE32
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The code for the step containing `unix_secs`.
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    let counter = unix_secs.div_euclid(STEP_SECS) as u64;
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", value % 1_000_000)
}

/// Accepts the current step and one on either side (clock drift), as Cognito does.
pub fn verify(secret_base32: &str, code: &str, unix_secs: i64) -> bool {
    let Some(secret) = base32_decode(secret_base32) else {
        return false;
    };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    // Every window is compared, in constant time: the answer does not show which one matched.
    (-1..=1).fold(false, |found, d| {
        let expected = code_at(&secret, unix_secs + d * STEP_SECS);
        found | crate::guard::constant_time_eq(expected.as_bytes(), code.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 appendix B, truncated to 6 digits.
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59), "287082");
        assert_eq!(code_at(secret, 1_111_111_109), "081804");
        assert_eq!(code_at(secret, 1_234_567_890), "005924");
        assert_eq!(code_at(secret, 20_000_000_000), "353130");
    }

    #[test]
    fn base32_round_trip() {
        let text = base32_encode(b"12345678901234567890");
        assert_eq!(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&text).unwrap(), b"12345678901234567890");
        assert!(verify(&text, &code_at(b"12345678901234567890", 100), 110));
        assert!(!verify(&text, "12345", 110));
    }
}
