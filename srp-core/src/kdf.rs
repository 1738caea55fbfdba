//! The session key K = HKDF-SHA256(salt = TB(u), ikm = TB(S), info = "Caldera Derived Key"),
//! first 16 bytes, computed so that nothing depends on S: TB(S) has a secret length (S's
//! leading zero bytes are dropped), so the extract step, HMAC(TB(u), TB(S)), hashes a buffer of
//! the longest length and picks the digest that belongs to the real length with masks, the way
//! TLS stacks check CBC padding in constant time. TB(u) is public (u is hashed from A and B).

use hmac::{Hmac, Mac};
use sha2::digest::generic_array::GenericArray;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::ct::{assign_if_u32, eq_mask, lt_mask, twos_complement, TB_MAX};
use crate::limbs::Limbs;

const BLOCK: usize = 64;
/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
/// Blocks after the key block for the longest TB(S): 385 bytes + 0x80 + 8 length bytes.
const MESSAGE_BLOCKS: usize = (TB_MAX + 9).div_ceil(BLOCK);

fn compress(state: &mut [u32; 8], block: &[u8]) {
    sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
}

/// The state after hashing one block of `key` (at most 64 bytes) XOR `pad`.
fn keyed_state(key: &[u8], pad: u8) -> [u32; 8] {
    let mut block = [pad; BLOCK];
    for (b, &k) in block.iter_mut().zip(key) {
        *b ^= k;
    }
    let mut state = IV;
    compress(&mut state, &block);
    block.zeroize();
    state
}

/// HMAC-SHA256(key, message[..len]) for a public key of at most 64 bytes and a secret `len`.
fn hmac_secret_length(key: &[u8], message: &[u8; TB_MAX], len: usize) -> Zeroizing<[u8; 32]> {
    let len = len as u64;
    let mut blocks = Zeroizing::new([0u8; MESSAGE_BLOCKS * BLOCK]);
    for (p, byte) in blocks.iter_mut().enumerate() {
        let data = message.get(p).copied().unwrap_or(0);
        let inside = lt_mask(p as u64, len) as u8;
        let terminator = eq_mask(p as u64, len) as u8;
        *byte = (data & inside) | (0x80 & terminator);
    }
    // The message ends in block `last`, whose final 8 bytes carry the bit length (key block
    // included).
    let last = (len + 8) / BLOCK as u64;
    let bit_length = ((BLOCK as u64 + len) * 8).to_be_bytes();
    for j in 0..MESSAGE_BLOCKS {
        let here = eq_mask(j as u64, last) as u8;
        for (t, &b) in bit_length.iter().enumerate() {
            blocks[j * BLOCK + BLOCK - 8 + t] |= b & here;
        }
    }
    let mut state = keyed_state(key, 0x36);
    let mut inner = IV;
    for j in 0..MESSAGE_BLOCKS {
        compress(&mut state, &blocks[j * BLOCK..(j + 1) * BLOCK]);
        assign_if_u32(eq_mask(j as u64, last), &mut inner, &state);
    }
    let mut outer_block = [0u8; BLOCK];
    for (chunk, word) in outer_block.chunks_mut(4).zip(inner.iter()) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    outer_block[32] = 0x80;
    outer_block[BLOCK - 8..].copy_from_slice(&((BLOCK as u64 + 32) * 8).to_be_bytes());
    let mut outer = keyed_state(key, 0x5c);
    compress(&mut outer, &outer_block);
    let mut out = Zeroizing::new([0u8; 32]);
    for (chunk, word) in out.chunks_mut(4).zip(outer.iter()) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    state.zeroize();
    inner.zeroize();
    outer.zeroize();
    outer_block.zeroize();
    out
}

/// K from TB(u) (public) and S (plain form, secret).
pub(crate) fn derive_key(tb_u: &[u8], s: &Limbs) -> Zeroizing<[u8; 16]> {
    // u is a SHA-256 digest, so TB(u) has at most 33 bytes: one key block, never hashed first.
    debug_assert!(tb_u.len() <= BLOCK);
    let (tb_s, len) = twos_complement(s);
    let prk = hmac_secret_length(tb_u, &tb_s, len);
    let mut expand =
        <Hmac<Sha256> as Mac>::new_from_slice(&prk[..]).expect("HMAC accepts 32-byte keys");
    expand.update(b"Caldera Derived Key\x01");
    let mut block = expand.finalize().into_bytes();
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&block[..16]);
    block.zeroize();
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limbs::LIMBS;

    /// The masked extract agrees with the hkdf crate for every length of TB(S).
    #[test]
    fn matches_hkdf_for_every_length() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for zero_bytes in 0..=LIMBS * 8 {
            let mut s = [0u64; LIMBS];
            for l in s.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *l = state;
            }
            for byte in 0..zero_bytes {
                let limb = LIMBS - 1 - byte / 8;
                s[limb] &= !(0xffu64 << (56 - 8 * (byte % 8)));
            }
            let tb_s = crate::encoding::twos_complement_limbs(&s);
            for tb_u in [&[0x07u8, 0x0a][..], &[0u8; 33][..], &[0x55u8; 31][..]] {
                let hk = hkdf::Hkdf::<Sha256>::new(Some(tb_u), &tb_s);
                let mut expect = [0u8; 16];
                hk.expand(b"Caldera Derived Key", &mut expect).unwrap();
                assert_eq!(*derive_key(tb_u, &s), expect, "{zero_bytes} zero bytes");
            }
        }
    }
}
