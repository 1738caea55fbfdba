//! Device registration for ConfirmDevice: a random device password, a salt and the verifier,
//! encoded as Cognito expects them in DeviceSecretVerifierConfig.

use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use zeroize::Zeroizing;

use crate::client::non_empty;
use crate::ct;
use crate::encoding::{base64_encode, twos_complement_unsigned};
use crate::error::SrpError;
use crate::group::group;
use crate::math::{private_key, random_bytes};

/// What ConfirmDevice needs and what the caller must persist for later device logins.
///
/// Constant time: the device password, x and v, and their base64 encodings (except for the
/// verifier's length, which is sent). The salt is public.
pub struct DeviceRegistration {
    device_password: Zeroizing<String>,
    salt: String,
    password_verifier: String,
}

impl fmt::Debug for DeviceRegistration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceRegistration")
            .field("device_password", &"*** redacted ***")
            .field("salt", &self.salt)
            .field("password_verifier", &self.password_verifier)
            .finish()
    }
}

impl DeviceRegistration {
    /// A new random device password (base64 of 40 random bytes) and a random 16-byte salt.
    pub fn generate(device_group_key: &str, device_key: &str) -> Result<Self, SrpError> {
        let password = random_bytes(40)?;
        let salt = random_bytes(16)?;
        let device_password = Zeroizing::new(ct::base64_encode(&password));
        Self::from_known_values(device_group_key, device_key, &device_password, &salt)
    }

    /// FOR KNOWN-ANSWER TESTS ONLY: a given device password and salt (big-endian bytes read as
    /// an unsigned integer, as the official clients do).
    pub fn from_known_values(
        device_group_key: &str,
        device_key: &str,
        device_password: &str,
        salt: &[u8],
    ) -> Result<Self, SrpError> {
        non_empty("device group key", device_group_key)?;
        non_empty("device key", device_key)?;
        non_empty("device password", device_password)?;
        let salt = BigUint::from_bytes_be(salt);
        let salt_bytes = twos_complement_unsigned(&salt);
        let signed_salt = BigInt::from_biguint(Sign::Plus, salt);
        let x = private_key(&signed_salt, device_group_key, device_key, device_password);
        let group = group();
        let v_mont = Zeroizing::new(group.pow_g(&x));
        let v = Zeroizing::new(group.modulus.leave_mont(&v_mont));
        Ok(DeviceRegistration {
            device_password: Zeroizing::new(device_password.to_owned()),
            salt: base64_encode(&salt_bytes),
            password_verifier: ct::twos_complement_base64(&v),
        })
    }

    /// DeviceSecretVerifierConfig.Salt: base64 of TB(salt).
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// DeviceSecretVerifierConfig.PasswordVerifier: base64 of TB(g^x mod N).
    pub fn password_verifier(&self) -> &str {
        &self.password_verifier
    }

    /// The device password to store with the device key and group key. Secret.
    pub fn device_password(&self) -> &str {
        &self.device_password
    }
}
