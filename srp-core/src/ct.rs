//! Constant-time building blocks: masks, selection, full-table lookups, and the byte encodings
//! of secret values (Java two's complement, base64) computed without a branch or a memory address
//! that depends on the value. Lengths of buffers are public; contents are not.
//!
//! Masks are all-ones or all-zeros `u64`s. Each is passed through `black_box` where it is made,
//! so that the optimizer cannot turn the masked arithmetic that follows back into a branch.

use std::hint::black_box;

use zeroize::Zeroizing;

use crate::limbs::{Limbs, LIMBS};

/// All ones when `bit` is 1, zero when it is 0. `bit` must be 0 or 1.
#[inline(always)]
pub(crate) fn mask_from_bit(bit: u64) -> u64 {
    black_box(0u64.wrapping_sub(bit))
}

/// 1 when `x` is non-zero, else 0.
#[inline(always)]
pub(crate) fn is_nonzero_bit(x: u64) -> u64 {
    (x | x.wrapping_neg()) >> 63
}

/// All ones when `a == b`.
#[inline(always)]
pub(crate) fn eq_mask(a: u64, b: u64) -> u64 {
    mask_from_bit(is_nonzero_bit(a ^ b) ^ 1)
}

/// All ones when `a < b`; both below 2^63.
#[inline(always)]
pub(crate) fn lt_mask(a: u64, b: u64) -> u64 {
    mask_from_bit(a.wrapping_sub(b) >> 63)
}

/// `out = a` where `mask` is all ones, unchanged where it is zero (a SHA-256 state).
#[inline(always)]
pub(crate) fn assign_if_u32(mask: u64, out: &mut [u32; 8], a: &[u32; 8]) {
    let mask = mask as u32;
    for (o, &x) in out.iter_mut().zip(a.iter()) {
        *o = (x & mask) | (*o & !mask);
    }
}

/// `table[index]`, reading every entry: the addresses touched do not depend on `index`.
/// An index past the end gives zero.
pub(crate) fn lookup(table: &[Limbs], index: u64) -> Limbs {
    let mut out = [0u64; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        let mask = eq_mask(i as u64, index);
        for (o, &x) in out.iter_mut().zip(entry.iter()) {
            *o |= x & mask;
        }
    }
    out
}

/// Longest two's-complement encoding of a value below 2^3072: a sign byte and 384 bytes.
pub(crate) const TB_MAX: usize = LIMBS * 8 + 1;

/// Java's `BigInteger.toByteArray()` of a secret value below 2^3072, as `(buffer, length)`:
/// `buffer[..length]` is the encoding, the rest is zero. The leading bytes are dropped with a
/// masked shift, so neither the work nor the addresses depend on how many there are; the length
/// itself is secret too (callers declassify it only where the protocol sends the encoding).
pub(crate) fn twos_complement(value: &Limbs) -> (Zeroizing<[u8; TB_MAX]>, usize) {
    let mut buf = Zeroizing::new([0u8; TB_MAX]);
    for (i, limb) in value.iter().rev().enumerate() {
        buf[1 + 8 * i..9 + 8 * i].copy_from_slice(&limb.to_be_bytes());
    }
    // A leading 00 can go while the byte after it has no sign bit; at least one byte stays.
    let mut dropping = 1u64;
    let mut dropped = 0u64;
    for i in 0..TB_MAX - 1 {
        let zero = is_nonzero_bit(u64::from(buf[i])) ^ 1;
        let next_positive = (u64::from(buf[i + 1]) >> 7) ^ 1;
        dropping &= zero & next_positive;
        dropped = dropped.wrapping_add(dropping);
    }
    // Shift left by `dropped` (below 512): one masked pass per bit of the shift.
    for bit in 0..9 {
        let step = 1usize << bit;
        let take = mask_from_bit((dropped >> bit) & 1) as u8;
        for i in 0..TB_MAX {
            let from = if i + step < TB_MAX { buf[i + step] } else { 0 };
            buf[i] = (from & take) | (buf[i] & !take);
        }
    }
    (buf, TB_MAX - dropped as usize)
}

/// base64 of TB(value) for a secret value below 2^3072 (verifiers): constant time except for
/// the encoding's length, which the protocol reveals by sending or storing it.
pub(crate) fn twos_complement_base64(value: &Limbs) -> String {
    let (buf, len) = twos_complement(value);
    let len = declassified(len as u64) as usize;
    base64_encode(&buf[..len])
}

/// The base64 character for a 6-bit value, by arithmetic instead of a table.
#[inline(always)]
fn base64_char(v: u8) -> u8 {
    let v = i32::from(v);
    let mut c = v + i32::from(b'A');
    c += ((25 - v) >> 8) & 6; // 26..=51 -> 'a'..='z'
    c -= ((51 - v) >> 8) & 75; // 52..=61 -> '0'..='9'
    c -= ((61 - v) >> 8) & 15; // 62 -> '+'
    c += ((62 - v) >> 8) & 3; // 63 -> '/'
    c as u8
}

/// Standard base64 with padding of secret bytes (SECRET_HASH, device passwords, verifiers):
/// no lookup table indexed by the data.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let group = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for k in 0..4 {
            if k < chars {
                out.push(base64_char(((group >> (18 - 6 * k)) & 0x3f) as u8));
            } else {
                out.push(b'=');
            }
        }
    }
    // Every byte is ASCII; clearing the top bit says so to the UTF-8 check bit by bit, so that
    // the check reads no secret bit.
    out.iter_mut().for_each(|c| *c &= 0x7f);
    String::from_utf8(out).unwrap_or_default()
}

/// The 6-bit value of a standard base64 character, or -1 for any other byte; by arithmetic.
#[inline(always)]
fn base64_value(c: u8) -> i32 {
    let c = i32::from(c);
    let in_range = |lo: i32, hi: i32| ((lo - 1 - c) & (c - hi - 1)) >> 8;
    let mut v = -1;
    v += in_range(0x41, 0x5a) & (c - 64); // 'A'..='Z'
    v += in_range(0x61, 0x7a) & (c - 70); // 'a'..='z'
    v += in_range(0x30, 0x39) & (c + 5); // '0'..='9'
    v += in_range(0x2b, 0x2b) & 63; // '+'
    v += in_range(0x2f, 0x2f) & 64; // '/'
    v
}

/// Strict standard base64 with padding, as the `base64` crate's STANDARD engine reads it
/// (canonical trailing bits required), for secret text such as a PasswordVerifier. Only
/// whether the text is valid and how many padding characters it ends with (that is, the
/// length of what it holds) are revealed.
pub(crate) fn base64_decode_strict(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    if text.is_empty() {
        return Some(Zeroizing::new(Vec::new()));
    }
    let is_pad = |c: u8| is_nonzero_bit(u64::from(c ^ b'=')) ^ 1;
    let last = text[text.len() - 1];
    let second = text[text.len() - 2];
    let padding = declassified(is_pad(last) + (is_pad(last) & is_pad(second))) as usize;
    let data = text.len() - padding;
    let mut out = Zeroizing::new(vec![0u8; text.len() / 4 * 3]);
    let mut bad = 0i32;
    for (g, group) in text.chunks(4).enumerate() {
        let mut acc = 0u32;
        for (k, &c) in group.iter().enumerate() {
            let value = if 4 * g + k < data { base64_value(c) } else { 0 };
            bad |= value >> 8;
            acc = (acc << 6) | (value & 0x3f) as u32;
        }
        out[3 * g..3 * g + 3].copy_from_slice(&acc.to_be_bytes()[1..]);
    }
    // The bits after the last whole byte must be zero.
    let len = out.len() - padding;
    let spare = out[len..].iter().fold(0u8, |acc, &b| acc | b);
    bad |= -(is_nonzero_bit(u64::from(spare)) as i32);
    if declassified(bad as u32 as u64) != 0 {
        return None;
    }
    out.truncate(len);
    Some(out)
}

/// A copy of `x` that the constant-time check treats as public from here on: for values the
/// protocol reveals anyway (a validity bit, a length that is sent).
pub(crate) fn declassified(x: u64) -> u64 {
    let bytes = x.to_ne_bytes();
    crate::valgrind::mark_defined(&bytes);
    u64::from_ne_bytes(black_box(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;

    #[test]
    fn masks() {
        assert_eq!(eq_mask(3, 3), u64::MAX);
        assert_eq!(eq_mask(3, 4), 0);
        assert_eq!(lt_mask(3, 4), u64::MAX);
        assert_eq!(lt_mask(4, 4), 0);
        assert_eq!(lt_mask(5, 4), 0);
        assert_eq!(is_nonzero_bit(0), 0);
        assert_eq!(is_nonzero_bit(u64::MAX), 1);
    }

    #[test]
    fn lookup_reads_the_indexed_entry() {
        let table: Vec<Limbs> = (0..32u64).map(|i| [i * 7 + 1; LIMBS]).collect();
        for i in 0..32 {
            assert_eq!(lookup(&table, i), table[i as usize]);
        }
        assert_eq!(lookup(&table, 32), [0; LIMBS]);
    }

    #[test]
    fn twos_complement_matches_the_variable_time_encoding() {
        let mut cases: Vec<Limbs> = vec![[0; LIMBS], [u64::MAX; LIMBS]];
        let mut one = [0u64; LIMBS];
        one[0] = 1;
        cases.push(one);
        let mut x = [0u64; LIMBS];
        x[0] = 0x80;
        cases.push(x);
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for shift in 0..LIMBS * 8 {
            let mut v = [0u64; LIMBS];
            for l in v.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *l = state;
            }
            // Clear the top `shift` bytes so every length occurs.
            for byte in 0..shift {
                let limb = LIMBS - 1 - byte / 8;
                v[limb] &= !(0xffu64 << (56 - 8 * (byte % 8)));
            }
            cases.push(v);
        }
        for v in &cases {
            let (buf, len) = twos_complement(v);
            let expect = crate::encoding::twos_complement_limbs(v);
            assert_eq!(&buf[..len], &expect[..]);
            assert!(buf[len..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn base64_matches_the_base64_crate() {
        for len in 0..70usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
            let all: Vec<u8> = (0..=255u8).collect();
            for input in [&bytes[..], &all[..]] {
                let encoded = base64_encode(input);
                assert_eq!(encoded, STANDARD.encode(input));
                assert_eq!(
                    base64_decode_strict(&encoded)
                        .as_deref()
                        .map(|v| v.to_vec()),
                    Some(input.to_vec())
                );
            }
        }
        for bad in [
            "A", "AA", "AAA", "AA=A", "A===", "====", "AB==", "AAB=", "AA*A", "AA A", "=AAA",
            "AA==AAAA", "AAA-", "AAA_",
        ] {
            assert_eq!(
                base64_decode_strict(bad).is_some(),
                STANDARD.decode(bad).is_ok(),
                "{bad:?}"
            );
        }
        assert_eq!(
            base64_decode_strict("").as_deref().map(|v| v.len()),
            Some(0)
        );
    }
}
