//! Byte and text encodings exactly as Cognito's official clients produce and accept them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use num_bigint::{BigInt, BigUint, Sign};
#[cfg(test)]
use zeroize::Zeroizing;

use crate::error::SrpError;
#[cfg(test)]
use crate::limbs::be_from_limbs;

/// Longest hex integer accepted (SALT, SRP_B, SRP_A): more digits than any group element
/// needs, few enough that hostile input cannot make parsing expensive.
const MAX_HEX_DIGITS: usize = 2048;

/// Java's `BigInteger.toByteArray()` of a non-negative integer: minimal big-endian bytes with a
/// `00` in front when the top bit would otherwise read as a sign. Zero is `00`.
pub fn twos_complement_unsigned(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// Java's `BigInteger.toByteArray()` of any integer (negative salts occur).
pub fn twos_complement(n: &BigInt) -> Vec<u8> {
    match n.sign() {
        Sign::Minus => n.to_signed_bytes_be(),
        _ => twos_complement_unsigned(n.magnitude()),
    }
}

/// The same for limbs, in variable time: the reference the constant-time encoding
/// (`ct::twos_complement`) is tested against.
#[cfg(test)]
pub(crate) fn twos_complement_limbs(limbs: &[u64]) -> Zeroizing<Vec<u8>> {
    let mut bytes = Zeroizing::new(be_from_limbs(limbs));
    if bytes.is_empty() || bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// Parses a signed base-16 integer as Cognito sends SALT and SRP_B: optional leading `-`,
/// either case, any length (odd lengths and dropped leading zeros occur).
pub fn parse_signed_hex(field: &'static str, text: &str) -> Result<BigInt, SrpError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return Err(SrpError::InvalidHex {
            field,
            reason: "empty",
        });
    }
    if digits.len() > MAX_HEX_DIGITS {
        return Err(SrpError::InvalidHex {
            field,
            reason: "too long",
        });
    }
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SrpError::InvalidHex {
            field,
            reason: "not a hexadecimal number",
        });
    }
    let magnitude = BigUint::parse_bytes(digits.as_bytes(), 16).ok_or(SrpError::InvalidHex {
        field,
        reason: "not a hexadecimal number",
    })?;
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    Ok(BigInt::from_biguint(sign, magnitude))
}

/// Parses a non-negative hex integer (SRP_A on the server side).
pub fn parse_unsigned_hex(field: &'static str, text: &str) -> Result<BigUint, SrpError> {
    let value = parse_signed_hex(field, text)?;
    match value.sign() {
        Sign::Minus => Err(SrpError::InvalidHex {
            field,
            reason: "negative",
        }),
        _ => Ok(value.magnitude().clone()),
    }
}

/// Lowercase minimal hex, `-` in front of negatives, as amazon-cognito-identity-js writes it.
pub fn to_hex(n: &BigInt) -> String {
    n.to_str_radix(16)
}

/// Standard base64 with padding: what we send.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Strict standard base64 with padding, for values this crate produced itself.
pub fn base64_decode_strict(field: &'static str, text: &str) -> Result<Vec<u8>, SrpError> {
    STANDARD
        .decode(text)
        .map_err(|_| SrpError::InvalidBase64 { field })
}

/// Decodes SECRET_BLOCK the way the official clients tolerate it: standard or URL-safe alphabet,
/// padding optional, characters outside the alphabet skipped, decoding stops at the first `=`.
/// A trailing group of a single character carries no whole byte and is dropped.
pub fn base64_decode_lenient(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tb(n: i64) -> String {
        twos_complement(&BigInt::from(n))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn twos_complement_matches_java() {
        assert_eq!(tb(236), "00ec");
        assert_eq!(tb(20), "14");
        assert_eq!(tb(128), "0080");
        assert_eq!(tb(0), "00");
        assert_eq!(tb(-20), "ec");
        assert_eq!(tb(-128), "80");
        assert_eq!(tb(-129), "ff7f");
        assert_eq!(tb(-236), "ff14");
        assert_eq!(tb(-256), "ff00");
        assert_eq!(tb(-1), "ff");
        assert_eq!(&*twos_complement_limbs(&[0]), &[0]);
        assert_eq!(&*twos_complement_limbs(&[0x80, 0]), &[0, 0x80]);
    }

    #[test]
    fn signed_hex_forms() {
        let a = parse_signed_hex("SALT", "00fa5a").unwrap();
        assert_eq!(a, parse_signed_hex("SALT", "FA5A").unwrap());
        assert_eq!(a, BigInt::from(0xfa5a));
        assert_eq!(parse_signed_hex("SALT", "-ff").unwrap(), BigInt::from(-255));
        assert_eq!(
            parse_signed_hex("SALT", "abc").unwrap(),
            BigInt::from(0xabc)
        );
        for bad in ["", "-", "0x12", "12 34", "g1", "+12", "--1", "1_0"] {
            assert!(parse_signed_hex("SALT", bad).is_err(), "{bad:?}");
        }
        assert!(parse_signed_hex("SALT", &"1".repeat(5000)).is_err());
        assert!(parse_unsigned_hex("SRP_A", "-1").is_err());
        assert_eq!(to_hex(&BigInt::from(-255)), "-ff");
    }

    #[test]
    fn lenient_base64() {
        let bytes: Vec<u8> = (0..48).collect();
        let std = base64_encode(&bytes);
        assert_eq!(base64_decode_lenient(&std), bytes);
        let url = std.replace('+', "-").replace('/', "_");
        assert_eq!(base64_decode_lenient(&url), bytes);
        assert_eq!(base64_decode_lenient("AAECAw"), vec![0, 1, 2, 3]);
        assert_eq!(base64_decode_lenient("AAE CAw==\n"), vec![0, 1, 2, 3]);
        // moto's UUID secret block: no panic, some bytes.
        let uuid = base64_decode_lenient("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assert!(!uuid.is_empty());
        assert!(base64_decode_lenient("").is_empty());
        assert!(base64_decode_strict("X", "AAE").is_err());
    }
}
