//! The SRP formulas shared by the client and server roles: u, x, the session key, the claim
//! signature. Secret intermediate values stay in buffers that are wiped on drop.
//!
//! Constant time: x (SHA-256 over the password, whose length is public), a + u·x (carries
//! propagated through every limb), the session key (`kdf`) and the claim MAC (HMAC over a
//! 16-byte key) do not branch on or index by secret data. u is public: it is hashed from A and
//! B, which are sent.

use hmac::{Hmac, Mac};
use num_bigint::{BigInt, BigUint};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::encoding::{twos_complement, twos_complement_unsigned};
use crate::error::SrpError;
use crate::limbs::{is_zero, limbs_from_be, vec_limbs_from_be, Limbs};

type HmacSha256 = Hmac<Sha256>;

/// The 16-byte key both sides derive: HKDF-SHA256(salt = TB(u), ikm = TB(S),
/// info = "Caldera Derived Key"). Wiped on drop, never printed.
#[derive(Clone)]
pub struct SessionKey(Zeroizing<[u8; 16]>);

impl SessionKey {
    /// The raw key, for cross-checking implementations.
    pub fn expose(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(*** redacted ***)")
    }
}

/// u = H(TB(A) ‖ TB(B)); refused when zero.
pub(crate) fn scrambler(a_public: &BigUint, b_public: &BigInt) -> Result<BigUint, SrpError> {
    let mut hasher = Sha256::new();
    hasher.update(twos_complement_unsigned(a_public));
    hasher.update(twos_complement(b_public));
    let u = BigUint::from_bytes_be(&hasher.finalize());
    if u.bits() == 0 {
        return Err(SrpError::ZeroScrambler);
    }
    Ok(u)
}

/// x = H(TB(salt) ‖ H(P ‖ I ‖ ":" ‖ password)), as little-endian limbs.
pub(crate) fn private_key(
    salt: &BigInt,
    realm: &str,
    identity: &str,
    password: &str,
) -> Zeroizing<Vec<u64>> {
    let mut inner = Sha256::new();
    inner.update(realm.as_bytes());
    inner.update(identity.as_bytes());
    inner.update(b":");
    inner.update(password.as_bytes());
    let mut inner_digest: [u8; 32] = inner.finalize().into();
    let mut outer = Sha256::new();
    outer.update(twos_complement(salt));
    outer.update(inner_digest);
    inner_digest.zeroize();
    let mut x_bytes: [u8; 32] = outer.finalize().into();
    let x = Zeroizing::new(vec_limbs_from_be(&x_bytes));
    x_bytes.zeroize();
    x
}

/// a + u·x over limbs (the client's exponent; wiped on drop) and a public bound on its bit
/// length. Every carry runs through all the higher limbs, so the work depends on lengths only.
pub(crate) fn client_exponent(a: &[u64], u: &BigUint, x: &[u64]) -> (Zeroizing<Vec<u64>>, usize) {
    let u_limbs = u.to_u64_digits();
    let len = a.len().max(u_limbs.len() + x.len()) + 1;
    let mut out = Zeroizing::new(vec![0u64; len]);
    out[..a.len()].copy_from_slice(a);
    for (i, &ui) in u_limbs.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &xj) in x.iter().enumerate() {
            let wide = u128::from(out[i + j]) + u128::from(ui) * u128::from(xj) + u128::from(carry);
            out[i + j] = wide as u64;
            carry = (wide >> 64) as u64;
        }
        for limb in out[i + x.len()..].iter_mut() {
            let (sum, overflow) = limb.overflowing_add(carry);
            *limb = sum;
            carry = u64::from(overflow);
        }
    }
    let bits = (a.len() * 64).max(u.bits() as usize + x.len() * 64) + 1;
    (out, bits)
}

/// Public integer below N into limbs (callers reduce first).
pub(crate) fn limbs_of(value: &BigUint) -> Limbs {
    limbs_from_be(&value.to_bytes_be()).unwrap_or([0; crate::limbs::LIMBS])
}

/// K from u and the shared secret S (plain form, not Montgomery), in constant time.
pub(crate) fn session_key(u: &BigUint, s: &Limbs) -> SessionKey {
    SessionKey(crate::kdf::derive_key(&twos_complement_unsigned(u), s))
}

/// HMAC(K, P ‖ I ‖ secret block ‖ TIMESTAMP).
pub(crate) fn claim_mac(
    key: &SessionKey,
    realm: &str,
    identity: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> HmacSha256 {
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(key.expose()).expect("HMAC accepts 16-byte keys");
    mac.update(realm.as_bytes());
    mac.update(identity.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac
}

/// Whether a public value (A, B) is non-zero; variable time.
pub(crate) fn nonzero(limbs: &[u64]) -> bool {
    !is_zero(limbs)
}

/// Fills `len` bytes from the operating system's CSPRNG.
pub(crate) fn random_bytes(len: usize) -> Result<Zeroizing<Vec<u8>>, SrpError> {
    let mut bytes = Zeroizing::new(vec![0u8; len]);
    getrandom::getrandom(&mut bytes).map_err(|_| SrpError::Random)?;
    Ok(bytes)
}
