//! Where a fuzz case's decisions come from: a seeded PRNG (the stable harness) or the
//! coverage-guided fuzzer's input bytes (cargo-fuzz targets), behind one trait so the same
//! generators and mutators serve both.

/// The source of every random decision: a seeded PRNG (stable harness) or the fuzzer's bytes.
pub trait Choices {
    fn next_u64(&mut self) -> u64;
    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// SplitMix64: tiny, fast, good enough to drive mutations; reproducible from its seed.
pub struct Rng(pub u64);

impl Choices for Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The fuzzer's input read as a stream of decisions; zeros once it runs out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Choices for Bytes<'_> {
    fn next_u64(&mut self) -> u64 {
        let mut v = 0u64;
        for _ in 0..2 {
            let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
            self.0 = rest;
            v = (v << 8) | u64::from(b);
        }
        v
    }
}
