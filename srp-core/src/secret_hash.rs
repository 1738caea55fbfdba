//! SECRET_HASH = Base64(HMAC-SHA256(client secret, username ‖ client id)), in constant time
//! in the secret and the hash (the base64 encoding uses no table indexed by the digest).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ct::base64_encode;

/// The SECRET_HASH for one request. `username` must be the USERNAME sent in that same request.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64_encode(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn protocol_vector() {
        assert_eq!(
            super::secret_hash("s3cr3t", "alice", "1example23456789"),
            "IMpPuFOEIbgZyOCkK5ZvTY2hXdhUUff9Wz0ungvQbF8="
        );
    }
}
