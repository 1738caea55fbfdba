//! Montgomery arithmetic modulo the 3072-bit group prime, on fixed-size limb arrays.
//!
//! Every intermediate value lives in arrays this crate owns, so secret values can be wiped
//! (num-bigint's heap buffers cannot be). Limbs are little-endian `u64`s.
//!
//! Constant time: `add`, `sub`, `mul`, `sqr`, `to_mont`, `leave_mont` and `pow` do the same
//! operations on the same addresses whatever the values of their operands and of the exponent's
//! bits; the final conditional subtractions are masked, and `pow` reads its whole window table
//! for every digit. Only lengths are public: the modulus, the number of exponent limbs and the
//! bit bound given to `pow_bits`. (`Modulus::new` runs on the public prime only.)

use zeroize::Zeroize;

use crate::ct::{lookup, mask_from_bit};
use crate::limbs::{Limbs, LIMBS};

/// The modulus and its Montgomery constants (R = 2^3072).
pub(crate) struct Modulus {
    pub(crate) n: Limbs,
    /// -n^-1 mod 2^64
    n0_inv: u64,
    /// R^2 mod n, to enter the Montgomery domain.
    r2: Limbs,
    /// R mod n: the Montgomery form of 1.
    pub(crate) one: Limbs,
}

/// A column sum of products: three limbs, lowest first. A column has at most 2·LIMBS + 1
/// products below 2^128 each, so the sum stays below 2^192.
#[derive(Default)]
struct Accumulator {
    lo: u64,
    mid: u64,
    hi: u64,
}

impl Accumulator {
    /// += a·b
    #[inline(always)]
    fn mac(&mut self, a: u64, b: u64) {
        let product = u128::from(a) * u128::from(b);
        let (lo, c1) = adc(self.lo, product as u64, 0);
        let (mid, c2) = adc(self.mid, (product >> 64) as u64, c1);
        self.lo = lo;
        self.mid = mid;
        self.hi = self.hi.wrapping_add(c2);
    }

    /// += Σ x_i · y_(len−1−i): a column of products, `y` read backwards. The products' low
    /// and high halves are summed apart (two independent add-with-carry chains), then folded
    /// in once; four products per iteration, since the loop's counting otherwise costs about
    /// as much as the products.
    #[inline(always)]
    fn dot(&mut self, x: &[u64], y: &[u64]) {
        let mut low = 0u128;
        let mut high = 0u128;
        let mut add = |a: u64, b: u64| {
            let product = u128::from(a) * u128::from(b);
            low += u128::from(product as u64);
            high += product >> 64;
        };
        let mut xs = x.chunks_exact(4);
        let mut ys = y.rchunks_exact(4);
        for (xc, yc) in (&mut xs).zip(&mut ys) {
            add(xc[0], yc[3]);
            add(xc[1], yc[2]);
            add(xc[2], yc[1]);
            add(xc[3], yc[0]);
        }
        for (&xi, &yi) in xs.remainder().iter().zip(ys.remainder().iter().rev()) {
            add(xi, yi);
        }
        let t = u128::from(self.lo) + u128::from(low as u64);
        self.lo = t as u64;
        let t = u128::from(self.mid) + (low >> 64) + u128::from(high as u64) + (t >> 64);
        self.mid = t as u64;
        self.hi = self
            .hi
            .wrapping_add((high >> 64) as u64)
            .wrapping_add((t >> 64) as u64);
    }

    /// += 2·other
    #[inline(always)]
    fn add_doubled(&mut self, other: &Accumulator) {
        let lo = other.lo << 1;
        let mid = (other.mid << 1) | (other.lo >> 63);
        let hi = (other.hi << 1) | (other.mid >> 63);
        let (l, c1) = adc(self.lo, lo, 0);
        let (m, c2) = adc(self.mid, mid, c1);
        self.lo = l;
        self.mid = m;
        self.hi = self.hi.wrapping_add(hi).wrapping_add(c2);
    }

    /// Returns the low limb and shifts the sum down by one limb (the next column).
    #[inline(always)]
    fn shift(&mut self) -> u64 {
        let out = self.lo;
        self.lo = self.mid;
        self.mid = self.hi;
        self.hi = 0;
        out
    }
}

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(a) + u128::from(b) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// a - b, returning the borrow (0 or 1).
fn sub_in_place(a: &mut Limbs, b: &Limbs) -> u64 {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b.iter()) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(borrow);
        *x = d2;
        borrow = u64::from(b1 | b2);
    }
    borrow
}

/// Subtracts n from x (a value below 2n, with `hi` its bit 3072) when x >= n, by a mask.
fn reduce_once(x: &mut Limbs, hi: u64, n: &Limbs) {
    let mut diff = *x;
    let borrow = sub_in_place(&mut diff, n);
    // x >= n exactly when the top bit is set or the subtraction did not borrow.
    let take = mask_from_bit(hi | (borrow ^ 1));
    for (o, &d) in x.iter_mut().zip(diff.iter()) {
        *o = (d & take) | (*o & !take);
    }
    diff.zeroize();
}

impl Modulus {
    /// `n` must be odd and have its top limb non-zero (true for the group prime).
    pub(crate) fn new(n: Limbs) -> Self {
        // Newton iteration for n^-1 mod 2^64; each step doubles the correct low bits.
        let mut inv: u64 = 1;
        for _ in 0..7 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        let mut m = Modulus {
            n,
            n0_inv: inv.wrapping_neg(),
            r2: [0; LIMBS],
            one: [0; LIMBS],
        };
        // R mod n = 2^3072 - n when n > 2^3071 (the top bit of the prime is set).
        let mut one = [0u64; LIMBS];
        sub_in_place(&mut one, &n);
        m.one = one;
        // R^2 mod n by doubling R mod n 3072 times.
        let mut r2 = one;
        for _ in 0..LIMBS * 64 {
            r2 = m.add(&r2, &r2);
        }
        m.r2 = r2;
        m
    }

    /// (a + b) mod n for a, b < n.
    pub(crate) fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut out = [0u64; LIMBS];
        let mut carry = 0;
        for i in 0..LIMBS {
            let (s, c) = adc(a[i], b[i], carry);
            out[i] = s;
            carry = c;
        }
        reduce_once(&mut out, carry, &self.n);
        out
    }

    /// (a - b) mod n for a, b < n: n is added back under a mask when the subtraction borrowed.
    pub(crate) fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut out = *a;
        let back = mask_from_bit(sub_in_place(&mut out, b));
        let mut carry = 0;
        for (o, &n) in out.iter_mut().zip(self.n.iter()) {
            let (s, c) = adc(*o, n & back, carry);
            *o = s;
            carry = c;
        }
        out
    }

    /// Montgomery product a·b·R⁻¹ mod n, for a, b < n, by product scanning with the reduction
    /// interleaved (Koç's FIPS): column by column, every a_j·b_k and m_j·n_k with j + k equal
    /// to the column is added into a three-limb accumulator held in registers, so no partial
    /// result goes through memory.
    pub(crate) fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("bmi2") {
            return self.mul_bmi2(a, b);
        }
        self.mul_body(a, b)
    }

    #[inline(always)]
    fn mul_body(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let n = &self.n;
        let mut m = [0u64; LIMBS];
        let mut acc = Accumulator::default();
        for k in 0..LIMBS {
            acc.dot(&a[..=k], &b[..=k]);
            acc.dot(&m[..k], &n[1..=k]);
            self.next_quotient(&mut acc, &mut m[k]);
        }
        let mut t = [0u64; LIMBS];
        for k in LIMBS..2 * LIMBS {
            acc.dot(&a[k - LIMBS + 1..], &b[k - LIMBS + 1..]);
            acc.dot(&m[k - LIMBS + 1..], &n[k - LIMBS + 1..]);
            t[k - LIMBS] = acc.shift();
        }
        let hi = acc.shift();
        reduce_once(&mut t, hi, n);
        m.zeroize();
        t
    }

    /// Montgomery square a·a·R⁻¹ mod n: as `mul`, but each column's products a_i·a_j with
    /// i < j are summed once and doubled, then the square a_i² is added.
    pub(crate) fn sqr(&self, a: &Limbs) -> Limbs {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("bmi2") {
            return self.sqr_bmi2(a);
        }
        self.sqr_body(a)
    }

    #[inline(always)]
    fn sqr_body(&self, a: &Limbs) -> Limbs {
        let n = &self.n;
        let mut m = [0u64; LIMBS];
        let mut acc = Accumulator::default();
        for k in 0..LIMBS {
            let mut cross = Accumulator::default();
            for i in 0..k.div_ceil(2) {
                cross.mac(a[i], a[k - i]);
            }
            acc.add_doubled(&cross);
            if k % 2 == 0 {
                acc.mac(a[k / 2], a[k / 2]);
            }
            for j in 0..k {
                acc.mac(m[j], n[k - j]);
            }
            self.next_quotient(&mut acc, &mut m[k]);
        }
        let mut t = [0u64; LIMBS];
        for k in LIMBS..2 * LIMBS {
            let mut cross = Accumulator::default();
            for i in k - LIMBS + 1..k.div_ceil(2) {
                cross.mac(a[i], a[k - i]);
            }
            acc.add_doubled(&cross);
            if k % 2 == 0 && k / 2 < LIMBS {
                acc.mac(a[k / 2], a[k / 2]);
            }
            for j in k - LIMBS + 1..LIMBS {
                acc.mac(m[j], n[k - j]);
            }
            t[k - LIMBS] = acc.shift();
        }
        let hi = acc.shift();
        reduce_once(&mut t, hi, n);
        m.zeroize();
        t
    }

    /// `mul` compiled for CPUs with BMI2, whose MULX writes any register and leaves the flags
    /// alone, so the compiler need not shuffle the product out of rdx:rax. The same code either
    /// way; valgrind runs this path too on such CPUs, so the constant-time check covers it.
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    fn mul_bmi2(&self, a: &Limbs, b: &Limbs) -> Limbs {
        #[target_feature(enable = "bmi2")]
        unsafe fn inner(m: &Modulus, a: &Limbs, b: &Limbs) -> Limbs {
            m.mul_body(a, b)
        }
        // SAFETY: called only after the CPU was found to support BMI2.
        unsafe { inner(self, a, b) }
    }

    /// `sqr` compiled for CPUs with BMI2 (see `mul_bmi2`).
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    fn sqr_bmi2(&self, a: &Limbs) -> Limbs {
        #[target_feature(enable = "bmi2")]
        unsafe fn inner(m: &Modulus, a: &Limbs) -> Limbs {
            m.sqr_body(a)
        }
        // SAFETY: called only after the CPU was found to support BMI2.
        unsafe { inner(self, a) }
    }

    /// The quotient digit that clears the accumulator's low limb: m = low · (−n⁻¹) mod 2^64;
    /// adds m·n_0 and moves to the next column.
    #[inline(always)]
    fn next_quotient(&self, acc: &mut Accumulator, m: &mut u64) {
        *m = acc.lo.wrapping_mul(self.n0_inv);
        acc.mac(*m, self.n[0]);
        acc.shift();
    }

    /// x mod n for any x below 2n (every value below 2^3072), by a masked subtraction.
    pub(crate) fn reduce_once(&self, x: &mut Limbs) {
        reduce_once(x, 0, &self.n);
    }

    /// x (any value below n) into Montgomery form.
    pub(crate) fn to_mont(&self, x: &Limbs) -> Limbs {
        self.mul(x, &self.r2)
    }

    /// Out of Montgomery form.
    pub(crate) fn leave_mont(&self, x: &Limbs) -> Limbs {
        let mut one = [0u64; LIMBS];
        one[0] = 1;
        self.mul(x, &one)
    }

    /// base^exp in Montgomery form; `base` is in Montgomery form, `exp` little-endian limbs
    /// of any length, all of whose bits are used.
    pub(crate) fn pow(&self, base: &Limbs, exp: &[u64]) -> Limbs {
        self.pow_bits(base, exp, exp.len() * 64)
    }

    /// base^exp for an exponent known (publicly) to be below 2^bits, bits <= 64 · exp.len().
    /// A fixed 5-bit window: `bits` squarings and one multiplication by a table entry per
    /// window, the entry read by a full masked scan of the table. Which operations run and which
    /// addresses they touch depend on `bits` and `exp.len()` only, never on the bits of `exp`
    /// or on `base`.
    pub(crate) fn pow_bits(&self, base: &Limbs, exp: &[u64], bits: usize) -> Limbs {
        const W: usize = 5;
        if exp.is_empty() {
            return self.one;
        }
        let bits = bits.clamp(1, exp.len() * 64);
        let mut table = [[0u64; LIMBS]; 1 << W];
        table[0] = self.one;
        table[1] = *base;
        for i in 2..(1 << W) {
            table[i] = if i % 2 == 0 {
                self.sqr(&table[i / 2])
            } else {
                self.mul(&table[i - 1], base)
            };
        }
        let windows = bits.div_ceil(W);
        let mut acc = self.one;
        for w in (0..windows).rev() {
            if w != windows - 1 {
                for _ in 0..W {
                    acc = self.sqr(&acc);
                }
            }
            let mut digit = 0u64;
            for b in (0..W).rev() {
                let bit = w * W + b;
                digit <<= 1;
                if bit < bits {
                    digit |= (exp[bit / 64] >> (bit % 64)) & 1;
                }
            }
            let mut entry = lookup(&table, digit);
            acc = self.mul(&acc, &entry);
            entry.zeroize();
        }
        table.zeroize();
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limbs::{be_from_limbs, limbs_from_be};
    use num_bigint::BigUint;

    fn big(l: &Limbs) -> BigUint {
        BigUint::from_bytes_be(&be_from_limbs(l))
    }

    /// mul, sqr and pow against num-bigint on pseudo-random values, including extremes.
    #[test]
    fn matches_num_bigint() {
        let n_big = BigUint::parse_bytes(crate::group::N_HEX.as_bytes(), 16).unwrap();
        let m = Modulus::new(limbs_from_be(&n_big.to_bytes_be()).unwrap());
        let r = BigUint::from(1u8) << (LIMBS * 64);
        let r_inv = r.modinv(&n_big).unwrap();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut n_minus_1 = m.n;
        n_minus_1[0] -= 1;
        let mut samples: Vec<Limbs> = vec![[0; LIMBS], n_minus_1, m.one];
        for _ in 0..40 {
            let mut x = [0u64; LIMBS];
            x.iter_mut().for_each(|l| *l = next());
            let reduced = big(&x) % &n_big;
            samples.push(limbs_from_be(&reduced.to_bytes_be()).unwrap());
        }
        for (i, x) in samples.iter().enumerate() {
            let y = &samples[(i * 7 + 3) % samples.len()];
            let expect = big(x) * big(y) * &r_inv % &n_big;
            assert_eq!(big(&m.mul(x, y)), expect);
            assert_eq!(big(&m.sqr(x)), big(x) * big(x) * &r_inv % &n_big);
            assert_eq!(big(&m.leave_mont(&m.to_mont(x))), big(x));
            let exp = [next(), next(), next()];
            let e = BigUint::from_bytes_be(&be_from_limbs(&exp));
            let plain = big(&m.leave_mont(&m.pow(&m.to_mont(x), &exp)));
            assert_eq!(plain, big(x).modpow(&e, &n_big));
        }
    }
}
