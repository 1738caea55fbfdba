//! Random identifiers in the shapes Cognito uses: pool ids, client ids and secrets, subs (UUID v4),
//! device keys, codes, sessions.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// `n` random bytes. The OS generator failing is not something a request can recover from; it
/// is reported as an internal error by the caller, never a panic.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, getrandom::Error> {
    let mut out = vec![0u8; n];
    getrandom::getrandom(&mut out)?;
    Ok(out)
}

fn from_alphabet(alphabet: &[u8], len: usize) -> Result<String, getrandom::Error> {
    // Rejection sampling keeps the distribution uniform.
    let limit = 256 - (256 % alphabet.len());
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes(len * 2)? {
            if (b as usize) < limit && out.len() < len {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    Ok(out)
}

pub fn pool_id(region: &str) -> Result<String, getrandom::Error> {
    Ok(format!("{region}_{}", from_alphabet(ALNUM, 9)?))
}

/// The region a pool id starts with (`eu-west-1_AbC123` -> `eu-west-1`).
pub fn region_of(pool_id: &str) -> &str {
    pool_id.split('_').next().unwrap_or_default()
}

pub fn client_id() -> Result<String, getrandom::Error> {
    from_alphabet(LOWER_ALNUM, 26)
}

pub fn client_secret() -> Result<String, getrandom::Error> {
    from_alphabet(LOWER_ALNUM, 51)
}

pub fn uuid_v4() -> Result<String, getrandom::Error> {
    let mut b = random_bytes(16)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// A six-digit numeric code (confirmation, SMS, email OTP).
pub fn numeric_code() -> Result<String, getrandom::Error> {
    from_alphabet(b"0123456789", 6)
}

/// An opaque token (Session, refresh token): URL-safe base64 of random bytes.
pub fn opaque(bytes: usize) -> Result<String, getrandom::Error> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes(bytes)?))
}

/// A SECRET_BLOCK: standard base64 of random bytes, as long as AWS's.
pub fn secret_block() -> Result<String, getrandom::Error> {
    Ok(STANDARD.encode(random_bytes(96)?))
}

/// A DeviceGroupKey: like AWS's, a short string that may start with `-`.
pub fn device_group_key() -> Result<String, getrandom::Error> {
    Ok(format!("-{}", from_alphabet(ALNUM, 9)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes() {
        let id = super::pool_id("eu-west-1").unwrap();
        assert!(id.starts_with("eu-west-1_") && id.len() == 19);
        let u = super::uuid_v4().unwrap();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(super::numeric_code().unwrap().len(), 6);
        assert_eq!(super::client_id().unwrap().len(), 26);
    }
}
