//! Amazon Cognito's SRP-6a variant, exact to the byte: the client role for USER_SRP_AUTH and
//! DEVICE_SRP_AUTH, device registration for ConfirmDevice, the server role (for emulators and
//! round-trip tests), SECRET_HASH and TIMESTAMP.
//!
//! Integers are hashed in Java's minimal two's-complement form (`BigInteger.toByteArray()`),
//! not RFC 5054's fixed width; getting this wrong fails about one login in 256.
//!
//! ```
//! use srp_core::{pool_name, PasswordVerifierChallenge, SrpClient, Timestamp};
//! # fn main() -> Result<(), srp_core::SrpError> {
//! let client = SrpClient::new()?;            // before InitiateAuth: send client.srp_a()
//! # let server = srp_core::SrpServer::new(&srp_core::Verifier::generate("AbC123", "alice", "pw")?)?;
//! # let (salt, srp_b) = (String::from("00"), server.srp_b().to_owned());
//! let challenge = PasswordVerifierChallenge { salt: &salt, srp_b: &srp_b, secret_block: "AAEC" };
//! let claim = client.user_password_claim(
//!     pool_name("us-east-1_AbC123")?, "alice", "pw", &challenge, &Timestamp::now()?)?;
//! // answer PASSWORD_VERIFIER with claim.secret_block, claim.signature, claim.timestamp
//! # let _ = claim;
//! # Ok(()) }
//! ```
//!
//! Constant time: every computation on a secret (a, b, x, v, S, K, the password, a + u·x, the
//! comb and window tables, SECRET_HASH) runs without branches or memory addresses that depend
//! on it; `scripts/ct-check.sh` shows it with valgrind (see `examples/ct_check.rs`). Public
//! values (N, g, k, A, B, SALT, u, SECRET_BLOCK, TIMESTAMP, lengths) are handled in variable
//! time, and so are the public helpers in [`encoding`].
// Unsafe only in `valgrind` (the client requests of the constant-time check).
#![deny(unsafe_code)]

mod client;
mod ct;
mod device;
pub mod encoding;
mod error;
mod group;
mod kdf;
mod limbs;
mod math;
mod montgomery;
mod secret_hash;
mod server;
mod timestamp;
#[doc(hidden)]
pub mod valgrind;

pub use client::{pool_name, PasswordClaim, PasswordVerifierChallenge, SrpClient, EPHEMERAL_BYTES};
pub use device::DeviceRegistration;
pub use error::SrpError;
pub use group::{G, N_HEX};
pub use math::SessionKey;
pub use secret_hash::secret_hash;
pub use server::{SrpServer, Verifier};
pub use timestamp::Timestamp;

/// k = H(TB(N) ‖ TB(g)) as lowercase hex, for cross-checking.
pub fn k_hex() -> String {
    group::group().k.to_str_radix(16)
}
