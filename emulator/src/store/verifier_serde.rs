//! How an SRP verifier is written to the state directory: its salt as SALT is sent (signed hex)
//! and v as DeviceSecretVerifierConfig carries it (base64 of the two's-complement bytes); read
//! back through `Verifier::from_device_config`, the one constructor srp-core offers for a known v.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigInt;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use srp_core::Verifier;

#[derive(Serialize, Deserialize)]
struct Stored {
    salt: String,
    v: String,
}

pub fn serialize<S: Serializer>(v: &Verifier, s: S) -> Result<S::Ok, S::Error> {
    Stored {
        salt: v.salt_hex(),
        v: v.password_verifier_base64(),
    }
    .serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Verifier, D::Error> {
    let stored = Stored::deserialize(d)?;
    from_stored(&stored.salt, &stored.v).map_err(serde::de::Error::custom)
}

fn from_stored(salt_hex: &str, v_base64: &str) -> Result<Verifier, String> {
    let salt = BigInt::parse_bytes(salt_hex.as_bytes(), 16)
        .ok_or_else(|| format!("verifier salt is not hex: {salt_hex:?}"))?;
    Verifier::from_device_config(v_base64, &STANDARD.encode(salt.to_signed_bytes_be()))
        .map_err(|e| format!("verifier: {e}"))
}

/// `Option<Verifier>` (a device's, absent until ConfirmDevice).
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<Verifier>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(&Stored {
                salt: v.salt_hex(),
                v: v.password_verifier_base64(),
            }),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Verifier>, D::Error> {
        match Option::<Stored>::deserialize(d)? {
            Some(stored) => from_stored(&stored.salt, &stored.v)
                .map(Some)
                .map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

/// Bytes as lowercase hex (salts and digests of the USER_PASSWORD_AUTH check).
pub mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, T: AsRef<[u8]>>(bytes: &T, s: S) -> Result<S::Ok, S::Error> {
        let text: String = bytes.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: TryFrom<Vec<u8>>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = decode(&text).ok_or_else(|| serde::de::Error::custom("not hex"))?;
        T::try_from(bytes).map_err(|_| serde::de::Error::custom("wrong length"))
    }

    pub fn decode(text: &str) -> Option<Vec<u8>> {
        if text.len() % 2 != 0 {
            return None;
        }
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_device_verifiers_round_trip() {
        for i in 0..20 {
            let v = Verifier::generate("pool", &format!("user{i}"), "Passw0rd!").unwrap();
            let json = serde_json::to_value(Stored {
                salt: v.salt_hex(),
                v: v.password_verifier_base64(),
            })
            .unwrap();
            let stored: Stored = serde_json::from_value(json).unwrap();
            let back = from_stored(&stored.salt, &stored.v).unwrap();
            assert_eq!(back.salt_hex(), v.salt_hex());
            assert_eq!(
                back.password_verifier_base64(),
                v.password_verifier_base64()
            );
        }
        // A device salt with its high bit set is negative, as a client may send it.
        let device = Verifier::from_device_config(
            &Verifier::generate("g", "d", "p")
                .unwrap()
                .password_verifier_base64(),
            &STANDARD.encode([0xf0, 1, 2]),
        )
        .unwrap();
        assert!(device.salt_hex().starts_with('-'));
        let back = from_stored(&device.salt_hex(), &device.password_verifier_base64()).unwrap();
        assert_eq!(back.salt_hex(), device.salt_hex());
        assert!(from_stored("zz", "AA==").is_err());
    }
}
