//! The client role: SRP_A, then the PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER answer.

use std::fmt;

use num_bigint::BigUint;
use num_integer::Integer;
use zeroize::Zeroizing;

use crate::encoding::{base64_decode_lenient, base64_encode, parse_signed_hex};
use crate::error::SrpError;
use crate::group::group;
use crate::limbs::{be_from_limbs, vec_limbs_from_be};
use crate::math::{
    claim_mac, client_exponent, limbs_of, nonzero, private_key, random_bytes, scrambler,
    session_key, SessionKey,
};
use crate::timestamp::Timestamp;
use crate::valgrind::{mark_defined, mark_limbs_defined};
use hmac::Mac;
use num_bigint::BigInt;

/// Bytes of the random ephemeral a: 512 bits. RFC 3526 (the standard that defines this safe-
/// prime group) asks for an exponent with more than twice the group's strength in bits and
/// puts the 3072-bit group at 130 or 200 bits of strength, i.e. exponents of 260 or 400 bits
/// (its section 8); 512 bits is above both. The official clients draw 1024 bits, which costs
/// twice the squarings in S; the server cannot tell the difference. a + u·x has 513 bits either
/// way up to this size (u and x have 256 bits each). Known-answer tests may pass any length.
pub const EPHEMERAL_BYTES: usize = 64;

/// The parameters of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge, as received.
#[derive(Clone, Copy)]
pub struct PasswordVerifierChallenge<'a> {
    /// SALT: signed hex of any length.
    pub salt: &'a str,
    /// SRP_B: signed hex of any length.
    pub srp_b: &'a str,
    /// SECRET_BLOCK: base64, echoed back unchanged.
    pub secret_block: &'a str,
}

impl fmt::Debug for PasswordVerifierChallenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordVerifierChallenge")
            .field("salt", &self.salt)
            .field("srp_b", &self.srp_b)
            .field("secret_block", &"*** redacted ***")
            .finish()
    }
}

/// The challenge response values: PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP.
#[derive(Clone)]
pub struct PasswordClaim {
    pub secret_block: String,
    pub signature: String,
    pub timestamp: String,
}

impl fmt::Debug for PasswordClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordClaim")
            .field("secret_block", &"*** redacted ***")
            .field("signature", &"*** redacted ***")
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// One SRP login attempt from the client side: holds the secret ephemeral a (wiped on drop).
/// Create it before calling InitiateAuth: A does not depend on the server's answer.
pub struct SrpClient {
    a: Zeroizing<Vec<u64>>,
    a_public: BigUint,
    srp_a: String,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient")
            .field("srp_a", &self.srp_a)
            .field("a", &"*** redacted ***")
            .finish()
    }
}

/// The pool name (the part after `_`) of a user pool id such as `us-east-1_AbC123`.
pub fn pool_name(user_pool_id: &str) -> Result<&str, SrpError> {
    match user_pool_id.split_once('_') {
        Some((region, name)) if !region.is_empty() && !name.is_empty() && !name.contains('_') => {
            Ok(name)
        }
        _ => Err(SrpError::InvalidPoolId),
    }
}

impl SrpClient {
    /// A fresh random ephemeral from the operating system's CSPRNG.
    pub fn new() -> Result<Self, SrpError> {
        loop {
            let a = random_bytes(EPHEMERAL_BYTES)?;
            match Self::from_known_ephemeral(&a) {
                Err(SrpError::IllegalClientValue) => continue,
                other => return other,
            }
        }
    }

    /// FOR KNOWN-ANSWER TESTS ONLY: the ephemeral a given as big-endian bytes.
    /// A predictable a lets anyone who sees the exchange recover the password.
    pub fn from_known_ephemeral(a_big_endian: &[u8]) -> Result<Self, SrpError> {
        let group = group();
        let a = Zeroizing::new(vec_limbs_from_be(a_big_endian));
        let a_mont = Zeroizing::new(group.pow_g(&a));
        let a_plain = Zeroizing::new(group.modulus.leave_mont(&a_mont));
        // A is sent: public from here on.
        mark_limbs_defined(&a_plain[..]);
        if !nonzero(&a_plain[..]) {
            return Err(SrpError::IllegalClientValue);
        }
        let a_public = BigUint::from_bytes_be(&be_from_limbs(&a_plain[..]));
        let srp_a = a_public.to_str_radix(16);
        Ok(SrpClient { a, a_public, srp_a })
    }

    /// SRP_A: lowercase minimal hex.
    pub fn srp_a(&self) -> &str {
        &self.srp_a
    }

    /// K for a given realm (pool name, or device group key), identity (USER_ID_FOR_SRP, or
    /// device key) and password, from the challenge's SALT and SRP_B.
    pub fn session_key(
        &self,
        realm: &str,
        identity: &str,
        password: &str,
        salt: &str,
        srp_b: &str,
    ) -> Result<SessionKey, SrpError> {
        non_empty("pool name", realm)?;
        non_empty("user id", identity)?;
        non_empty("password", password)?;
        let group = group();
        let b_signed = parse_signed_hex("SRP_B", srp_b)?;
        let b_reduced = b_signed
            .mod_floor(&BigInt::from(group.n.clone()))
            .magnitude()
            .clone();
        if b_reduced.bits() == 0 {
            return Err(SrpError::IllegalServerValue);
        }
        let salt = parse_signed_hex("SALT", salt)?;
        let u = scrambler(&self.a_public, &b_signed)?;
        let x = private_key(&salt, realm, identity, password);

        let m = &group.modulus;
        let v_mont = Zeroizing::new(group.pow_g(&x));
        let kv_mont = Zeroizing::new(m.mul(&group.k_mont, &v_mont));
        let b_mont = m.to_mont(&limbs_of(&b_reduced));
        let base = Zeroizing::new(m.sub(&b_mont, &kv_mont));
        let (exponent, bits) = client_exponent(&self.a, &u, &x);
        let s_mont = Zeroizing::new(m.pow_bits(&base, &exponent, bits));
        let s = Zeroizing::new(m.leave_mont(&s_mont));
        Ok(session_key(&u, &s))
    }

    /// The PASSWORD_VERIFIER answer for user SRP. `pool_name` is the part of the pool id after
    /// `_` (see [`pool_name`]); `user_id_for_srp` is USER_ID_FOR_SRP from the challenge, never
    /// the alias the user typed.
    pub fn user_password_claim(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        timestamp: &Timestamp,
    ) -> Result<PasswordClaim, SrpError> {
        self.claim(pool_name, user_id_for_srp, password, challenge, timestamp)
    }

    /// The DEVICE_PASSWORD_VERIFIER answer: the device group key and device key take the
    /// places of pool name and user id, with the device password stored at registration.
    pub fn device_password_claim(
        &self,
        device_group_key: &str,
        device_key: &str,
        device_password: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        timestamp: &Timestamp,
    ) -> Result<PasswordClaim, SrpError> {
        self.claim(
            device_group_key,
            device_key,
            device_password,
            challenge,
            timestamp,
        )
    }

    fn claim(
        &self,
        realm: &str,
        identity: &str,
        password: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        timestamp: &Timestamp,
    ) -> Result<PasswordClaim, SrpError> {
        let key = self.session_key(realm, identity, password, challenge.salt, challenge.srp_b)?;
        let secret_block = base64_decode_lenient(challenge.secret_block);
        let mac = claim_mac(&key, realm, identity, &secret_block, timestamp.as_str());
        let signature = mac.finalize().into_bytes();
        // The signature is sent: public from here on.
        mark_defined(&signature);
        Ok(PasswordClaim {
            secret_block: challenge.secret_block.to_owned(),
            signature: base64_encode(&signature),
            timestamp: timestamp.as_str().to_owned(),
        })
    }
}

pub(crate) fn non_empty(field: &'static str, value: &str) -> Result<(), SrpError> {
    if value.is_empty() {
        Err(SrpError::EmptyInput { field })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_names() {
        assert_eq!(pool_name("us-east-1_AbC123").unwrap(), "AbC123");
        for bad in ["us-east-1", "_AbC", "us-east-1_", "a_b_c", ""] {
            assert_eq!(pool_name(bad), Err(SrpError::InvalidPoolId), "{bad:?}");
        }
    }
}
