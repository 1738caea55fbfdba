//! The server role (what Cognito does): verifiers, B, and checking a password claim.
//! The emulator builds on it; it also lets tests run both sides.

use std::fmt;

use hmac::Mac;
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::client::non_empty;
use crate::ct;
use crate::encoding::{base64_decode_strict, parse_signed_hex, parse_unsigned_hex, to_hex};
use crate::error::SrpError;
use crate::group::group;
use crate::limbs::{be_from_limbs, limbs_from_be, vec_limbs_from_be, Limbs, LIMBS};
use crate::math::{
    claim_mac, limbs_of, nonzero, private_key, random_bytes, scrambler, session_key, SessionKey,
};
use crate::valgrind::mark_limbs_defined;

/// Bytes of the server's random ephemeral b: 512 bits, as the client's a (see
/// [`crate::EPHEMERAL_BYTES`] for the standard behind the length).
const SERVER_EPHEMERAL_BYTES: usize = 64;

/// A stored password verifier v = g^x mod N with its salt. v is secret (it allows an offline
/// dictionary attack): never printed.
#[derive(Clone)]
pub struct Verifier {
    salt: BigInt,
    v: Zeroizing<Limbs>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("salt", &self.salt_hex())
            .field("v", &"*** redacted ***")
            .finish()
    }
}

impl Verifier {
    /// A verifier for a new password, with a random 16-byte salt.
    pub fn generate(realm: &str, identity: &str, password: &str) -> Result<Self, SrpError> {
        let salt = random_bytes(16)?;
        let salt = BigInt::from_biguint(Sign::Plus, BigUint::from_bytes_be(&salt));
        Self::build(salt, realm, identity, password)
    }

    /// FOR KNOWN-ANSWER TESTS ONLY: a verifier with a given salt (signed hex, as SALT is sent).
    pub fn from_known_salt(
        salt_hex: &str,
        realm: &str,
        identity: &str,
        password: &str,
    ) -> Result<Self, SrpError> {
        let salt = parse_signed_hex("SALT", salt_hex)?;
        Self::build(salt, realm, identity, password)
    }

    /// The verifier a client registered with ConfirmDevice (DeviceSecretVerifierConfig): both
    /// values base64 of two's-complement big-endian integers. The verifier is decoded and
    /// reduced in constant time; only whether it is valid and its length are revealed.
    pub fn from_device_config(password_verifier: &str, salt: &str) -> Result<Self, SrpError> {
        let v_bytes =
            ct::base64_decode_strict(password_verifier).ok_or(SrpError::InvalidBase64 {
                field: "PasswordVerifier",
            })?;
        let salt_bytes = base64_decode_strict("Salt", salt)?;
        if salt_bytes.is_empty() {
            return Err(SrpError::EmptyInput { field: "Salt" });
        }
        let v = Zeroizing::new(verifier_from_twos_complement(&v_bytes)?);
        Ok(Verifier {
            salt: BigInt::from_signed_bytes_be(&salt_bytes),
            v,
        })
    }

    fn build(salt: BigInt, realm: &str, identity: &str, password: &str) -> Result<Self, SrpError> {
        non_empty("pool name", realm)?;
        non_empty("user id", identity)?;
        non_empty("password", password)?;
        let group = group();
        let x = private_key(&salt, realm, identity, password);
        let v_mont = Zeroizing::new(group.pow_g(&x));
        Ok(Verifier {
            salt,
            v: Zeroizing::new(group.modulus.leave_mont(&v_mont)),
        })
    }

    /// SALT as sent in the challenge: signed lowercase hex.
    pub fn salt_hex(&self) -> String {
        to_hex(&self.salt)
    }

    /// base64 of TB(v), as DeviceSecretVerifierConfig.PasswordVerifier carries it; encoded in
    /// constant time except for its length.
    pub fn password_verifier_base64(&self) -> String {
        ct::twos_complement_base64(&self.v)
    }
}

/// v from TB(v): non-negative, at most 385 bytes (any such value is below 2N, so one masked
/// subtraction reduces it), and not 0 mod N. Only these verdicts are revealed.
fn verifier_from_twos_complement(bytes: &[u8]) -> Result<Limbs, SrpError> {
    let invalid = |reason| SrpError::InvalidHex {
        field: "PasswordVerifier",
        reason,
    };
    let first = u64::from(bytes.first().copied().unwrap_or(0));
    if ct::declassified(first >> 7) != 0 {
        return Err(invalid("negative"));
    }
    let magnitude = match bytes.len() {
        len if len <= LIMBS * 8 => bytes,
        len if len == LIMBS * 8 + 1 && ct::declassified(first) == 0 => &bytes[1..],
        _ => return Err(invalid("longer than the group's 3072 bits")),
    };
    let mut v = limbs_from_be(magnitude).ok_or(invalid("longer than the group's 3072 bits"))?;
    let group = group();
    group.modulus.reduce_once(&mut v);
    let any = v.iter().fold(0u64, |acc, &l| acc | l);
    if ct::declassified(ct::is_nonzero_bit(any)) == 0 {
        return Err(SrpError::IllegalClientValue);
    }
    Ok(v)
}

/// One login attempt from the server side: holds the secret ephemeral b (wiped on drop).
///
/// Constant time: b, v, k·v + g^b before it is sent, v^u, A·v^u, S and K (u, A and B are
/// public), and the signature comparison.
pub struct SrpServer {
    b: Zeroizing<Vec<u64>>,
    b_public: BigUint,
    srp_b: String,
    v_mont: Zeroizing<Limbs>,
}

impl fmt::Debug for SrpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpServer")
            .field("srp_b", &self.srp_b)
            .field("b", &"*** redacted ***")
            .finish()
    }
}

impl SrpServer {
    /// A fresh random b for this verifier; B = k·v + g^b mod N.
    pub fn new(verifier: &Verifier) -> Result<Self, SrpError> {
        loop {
            let b = random_bytes(SERVER_EPHEMERAL_BYTES)?;
            match Self::from_known_ephemeral(verifier, &b) {
                Err(SrpError::IllegalServerValue) => continue,
                other => return other,
            }
        }
    }

    /// FOR KNOWN-ANSWER TESTS ONLY: the ephemeral b given as big-endian bytes.
    pub fn from_known_ephemeral(
        verifier: &Verifier,
        b_big_endian: &[u8],
    ) -> Result<Self, SrpError> {
        let group = group();
        let m = &group.modulus;
        let b = Zeroizing::new(vec_limbs_from_be(b_big_endian));
        let v_mont = Zeroizing::new(m.to_mont(&verifier.v));
        let kv = Zeroizing::new(m.mul(&group.k_mont, &v_mont));
        let gb = Zeroizing::new(group.pow_g(&b));
        let b_plain = m.leave_mont(&m.add(&kv, &gb));
        // B is sent: public from here on.
        mark_limbs_defined(&b_plain);
        if !nonzero(&b_plain) {
            return Err(SrpError::IllegalServerValue);
        }
        let b_public = BigUint::from_bytes_be(&be_from_limbs(&b_plain));
        Ok(SrpServer {
            srp_b: b_public.to_str_radix(16),
            b,
            b_public,
            v_mont,
        })
    }

    /// SRP_B: lowercase minimal hex.
    pub fn srp_b(&self) -> &str {
        &self.srp_b
    }

    /// K from the client's SRP_A: S = (A·v^u)^b mod N. Refuses A ≡ 0 (mod N) and u = 0.
    pub fn session_key(&self, srp_a: &str) -> Result<SessionKey, SrpError> {
        let group = group();
        let m = &group.modulus;
        let a_public = parse_unsigned_hex("SRP_A", srp_a)?;
        let a_reduced = a_public.mod_floor(&group.n);
        if a_reduced.bits() == 0 {
            return Err(SrpError::IllegalClientValue);
        }
        let u = scrambler(
            &a_public,
            &BigInt::from_biguint(Sign::Plus, self.b_public.clone()),
        )?;
        let a_mont = m.to_mont(&limbs_of(&a_reduced));
        let vu = Zeroizing::new(m.pow(&self.v_mont, &u.to_u64_digits()));
        let base = Zeroizing::new(m.mul(&a_mont, &vu));
        let s_mont = Zeroizing::new(m.pow(&base, &self.b));
        let s = Zeroizing::new(m.leave_mont(&s_mont));
        Ok(session_key(&u, &s))
    }

    /// Checks PASSWORD_CLAIM_SIGNATURE in constant time (the comparison with `subtle`; only the
    /// verdict is revealed). `secret_block` is the decoded block the server issued; `timestamp`
    /// the TIMESTAMP string exactly as received.
    pub fn verify_claim(
        &self,
        srp_a: &str,
        realm: &str,
        identity: &str,
        secret_block: &[u8],
        timestamp: &str,
        signature: &str,
    ) -> Result<(), SrpError> {
        let key = self.session_key(srp_a)?;
        let claimed = base64_decode_strict("PASSWORD_CLAIM_SIGNATURE", signature)
            .map_err(|_| SrpError::SignatureMismatch)?;
        let mut expected = claim_mac(&key, realm, identity, secret_block, timestamp)
            .finalize()
            .into_bytes();
        let same = expected.as_slice().ct_eq(&claimed).unwrap_u8();
        expected.zeroize();
        match ct::declassified(u64::from(same)) {
            1 => Ok(()),
            _ => Err(SrpError::SignatureMismatch),
        }
    }
}
