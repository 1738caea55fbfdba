//! The group Cognito uses: the 3072-bit MODP prime of RFC 3526/5054, g = 2,
//! k = H(TB(N) ‖ TB(g)), and a precomputed fixed-base table for powers of g.

use std::sync::OnceLock;

use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use crate::encoding::twos_complement_unsigned;
use zeroize::Zeroize;

use crate::ct::lookup;
use crate::limbs::{limbs_from_be, Limbs, LIMBS};
use crate::montgomery::Modulus;

/// N, big-endian hex.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator.
pub const G: u32 = 2;

/// A Lim–Lee fixed-base comb for g: the exponent's bits are laid out in `rows` rows of `cols`
/// bits, each row cut into `blocks` blocks; one table per block holds every product of the
/// rows' base powers. Cost: cols/blocks squarings + cols multiplications, whatever the bits.
///
/// Constant time: the table index is made of exponent bits, so every lookup reads the block's
/// whole table (`ct::lookup`); which operations run depends on the exponent's limb count only.
struct Comb {
    bits: usize,
    rows: usize,
    cols: usize,
    blocks: usize,
    /// table[block · 2^rows + j] = Π over set bits r of j of g^(2^(r·cols + block·cols/blocks)).
    table: Vec<Limbs>,
}

impl Comb {
    /// A comb for exponents below 2^bits (rounded up to a multiple of rows · blocks).
    fn build(modulus: &Modulus, bits: usize, rows: usize, blocks: usize) -> Comb {
        let block_cols = bits.div_ceil(rows * blocks);
        let cols = block_cols * blocks;
        let mut g_limbs = [0u64; LIMBS];
        g_limbs[0] = u64::from(G);
        // powers[i] = g^(2^(i·block_cols)) for i in 0..rows·blocks
        let mut powers = Vec::with_capacity(rows * blocks);
        let mut cur = modulus.to_mont(&g_limbs);
        for _ in 0..rows * blocks {
            powers.push(cur);
            for _ in 0..block_cols {
                cur = modulus.sqr(&cur);
            }
        }
        let mut table = vec![modulus.one; blocks << rows];
        for block in 0..blocks {
            let base = block << rows;
            for j in 1..(1usize << rows) {
                let low = j.trailing_zeros() as usize;
                let factor = &powers[low * blocks + block];
                table[base + j] = modulus.mul(&table[base + (j & (j - 1))], factor);
            }
        }
        Comb {
            bits: rows * cols,
            rows,
            cols,
            blocks,
            table,
        }
    }

    /// g^exp in Montgomery form; `exp` must have at most `self.bits` bits of limbs.
    fn pow(&self, modulus: &Modulus, exp: &[u64]) -> Limbs {
        debug_assert!(exp.len() * 64 <= self.bits.next_multiple_of(64));
        let bit = |i: usize| -> u64 { exp.get(i / 64).map_or(0, |limb| (limb >> (i % 64)) & 1) };
        let block_cols = self.cols / self.blocks;
        let size = 1usize << self.rows;
        let mut acc = modulus.one;
        for col in (0..block_cols).rev() {
            if col != block_cols - 1 {
                acc = modulus.sqr(&acc);
            }
            for block in 0..self.blocks {
                let mut index = 0u64;
                for row in 0..self.rows {
                    index |= bit(row * self.cols + block * block_cols + col) << row;
                }
                let table = &self.table[block * size..(block + 1) * size];
                let mut entry = lookup(table, index);
                acc = modulus.mul(&acc, &entry);
                entry.zeroize();
            }
        }
        acc
    }
}

pub(crate) struct Group {
    pub(crate) n: BigUint,
    pub(crate) modulus: Modulus,
    pub(crate) k: BigUint,
    /// k in Montgomery form.
    pub(crate) k_mont: Limbs,
    /// For x and verifiers (exponents of up to 4 limbs).
    short_comb: OnceLock<Comb>,
    /// For a and b as drawn here (up to 8 limbs).
    medium_comb: OnceLock<Comb>,
    /// For the official clients' 1024-bit a (up to 16 limbs).
    long_comb: OnceLock<Comb>,
}

pub(crate) fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(Group::build)
}

impl Group {
    fn build() -> Group {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N_HEX is valid hex");
        let n_limbs = limbs_from_be(&n.to_bytes_be()).expect("N has 3072 bits");
        let modulus = Modulus::new(n_limbs);

        let mut hasher = Sha256::new();
        hasher.update(twos_complement_unsigned(&n));
        hasher.update(twos_complement_unsigned(&BigUint::from(G)));
        let k = BigUint::from_bytes_be(&hasher.finalize());
        let k_limbs = limbs_from_be(&k.to_bytes_be()).expect("k has 256 bits");
        let k_mont = modulus.to_mont(&k_limbs);

        Group {
            n,
            modulus,
            k,
            k_mont,
            short_comb: OnceLock::new(),
            medium_comb: OnceLock::new(),
            long_comb: OnceLock::new(),
        }
    }

    /// g^exp in Montgomery form, for a little-endian exponent of any length. The comb is
    /// chosen by the exponent's limb count (public), never by its value.
    pub(crate) fn pow_g(&self, exp: &[u64]) -> Limbs {
        let m = &self.modulus;
        if exp.len() <= SHORT_COMB_BITS / 64 {
            let comb = self
                .short_comb
                .get_or_init(|| Comb::build(m, SHORT_COMB_BITS, COMB_ROWS, COMB_BLOCKS));
            return comb.pow(m, exp);
        }
        if exp.len() <= MEDIUM_COMB_BITS / 64 {
            let comb = self
                .medium_comb
                .get_or_init(|| Comb::build(m, MEDIUM_COMB_BITS, COMB_ROWS, COMB_BLOCKS));
            return comb.pow(m, exp);
        }
        if exp.len() <= LONG_COMB_BITS / 64 {
            let comb = self
                .long_comb
                .get_or_init(|| Comb::build(m, LONG_COMB_BITS, COMB_ROWS, COMB_BLOCKS));
            return comb.pow(m, exp);
        }
        let mut g_limbs = [0u64; LIMBS];
        g_limbs[0] = u64::from(G);
        let base = m.to_mont(&g_limbs);
        m.pow(&base, exp)
    }
}

/// Comb shapes, chosen by instruction counts (callgrind) with the full-table scans counted:
/// a bigger table saves multiplications but costs a longer scan per lookup.
/// 6 rows and 4 blocks: 64-entry tables, 4 per comb (98 KiB each).
const COMB_ROWS: usize = 6;
const COMB_BLOCKS: usize = 4;
const SHORT_COMB_BITS: usize = 256;
const MEDIUM_COMB_BITS: usize = 512;
const LONG_COMB_BITS: usize = 1024;
