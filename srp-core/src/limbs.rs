//! The fixed-size numbers the arithmetic works on (3072 bits as 48 little-endian `u64` limbs)
//! and their conversions from and to big-endian bytes.

/// 3072 bits / 64.
pub(crate) const LIMBS: usize = 48;

pub(crate) type Limbs = [u64; LIMBS];

/// Little-endian limbs from big-endian bytes that fit in LIMBS limbs.
pub(crate) fn limbs_from_be(bytes: &[u8]) -> Option<Limbs> {
    if bytes.len() > LIMBS * 8 {
        return None;
    }
    let mut out = [0u64; LIMBS];
    for (i, &byte) in bytes.iter().rev().enumerate() {
        out[i / 8] |= u64::from(byte) << (8 * (i % 8));
    }
    Some(out)
}

/// Little-endian limbs of any length from big-endian bytes.
pub(crate) fn vec_limbs_from_be(bytes: &[u8]) -> Vec<u64> {
    let mut out = vec![0u64; bytes.len().div_ceil(8)];
    for (i, &byte) in bytes.iter().rev().enumerate() {
        out[i / 8] |= u64::from(byte) << (8 * (i % 8));
    }
    out
}

/// Minimal big-endian magnitude bytes (empty for zero).
pub(crate) fn be_from_limbs(limbs: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(limbs.len() * 8);
    for limb in limbs.iter().rev() {
        out.extend_from_slice(&limb.to_be_bytes());
    }
    let first = out.iter().position(|&b| b != 0).unwrap_or(out.len());
    out.drain(..first);
    out
}

/// Whether a public value is zero (variable time).
pub(crate) fn is_zero(x: &[u64]) -> bool {
    x.iter().all(|&l| l == 0)
}
