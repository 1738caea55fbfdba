//! The pool's signing certificate (GetSigningCertificate): a self-signed X.509 v3 certificate
//! over the emulator's signing key, as DER, built here (a few DER structures; no X.509 crate is
//! needed for that). Cognito signs SAML requests with it; the emulator does not federate, but
//! the certificate is a real one over the key its tokens are signed with.

use crate::error::ApiResult;
use crate::tokens::Keys;

/// Validity of the certificate: ten years from the pool's creation.
const VALIDITY_SECS: i64 = 10 * 365 * 86_400;

fn length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .iter()
        .copied()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(length(content.len()));
    out.extend_from_slice(content);
    out
}

fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A positive INTEGER from big-endian bytes.
fn integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = if trimmed.is_empty() { vec![0] } else { trimmed };
    if content[0] & 0x80 != 0 {
        content.insert(0, 0);
    }
    tlv(0x02, &content)
}

fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut chunk = vec![(a & 0x7f) as u8];
        let mut rest = a >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        content.extend(chunk);
    }
    tlv(0x06, &content)
}

const NULL: [u8; 2] = [0x05, 0x00];

fn algorithm(arcs: &[u64]) -> Vec<u8> {
    sequence(&[oid(arcs), NULL.to_vec()])
}

const RSA_ENCRYPTION: &[u64] = &[1, 2, 840, 113_549, 1, 1, 1];
const SHA256_WITH_RSA: &[u64] = &[1, 2, 840, 113_549, 1, 1, 11];
const COMMON_NAME: &[u64] = &[2, 5, 4, 3];

fn name(common_name: &str) -> Vec<u8> {
    let attribute = sequence(&[oid(COMMON_NAME), tlv(0x0c, common_name.as_bytes())]);
    sequence(&[tlv(0x31, &attribute)])
}

/// Days since 1970-01-01 -> (year, month, day) (the proleptic Gregorian calendar).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// UTCTime before 2050, GeneralizedTime after, as X.509 wants.
fn time(secs: i64) -> Vec<u8> {
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let (h, mi, se) = (s / 3600, s / 60 % 60, s % 60);
    if (1950..2050).contains(&y) {
        tlv(
            0x17,
            format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z", y % 100).as_bytes(),
        )
    } else {
        tlv(
            0x18,
            format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z").as_bytes(),
        )
    }
}

/// The DER certificate for `pool_id`, valid from `not_before`.
pub fn signing_certificate(keys: &Keys, pool_id: &str, not_before: i64) -> ApiResult<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let serial = &Sha256::digest(pool_id.as_bytes())[..16];
    let subject = name(&format!("cognito-emulator {pool_id}"));
    let spki = sequence(&[
        algorithm(RSA_ENCRYPTION),
        tlv(0x03, &[&[0u8][..], &keys.public_key_der()].concat()),
    ]);
    let tbs = sequence(&[
        tlv(0xa0, &integer(&[2])),
        integer(serial),
        algorithm(SHA256_WITH_RSA),
        subject.clone(),
        sequence(&[time(not_before), time(not_before + VALIDITY_SECS)]),
        subject,
        spki,
    ]);
    let signature = keys.sign_bytes(&tbs)?;
    Ok(sequence(&[
        tbs,
        algorithm(SHA256_WITH_RSA),
        tlv(0x03, &[&[0u8][..], &signature].concat()),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_pieces() {
        assert_eq!(length(0x7f), [0x7f]);
        assert_eq!(length(0x80), [0x81, 0x80]);
        assert_eq!(length(0x1234), [0x82, 0x12, 0x34]);
        assert_eq!(integer(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(
            oid(&[1, 2, 840, 113_549]),
            [0x06, 0x06, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]
        );
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(time(0), tlv(0x17, b"700101000000Z"));
        assert_eq!(time(2_556_144_000), tlv(0x18, b"20510101000000Z"));
    }
}
