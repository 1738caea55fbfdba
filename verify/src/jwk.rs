//! A JWKS document read into RSA public keys by `kid`, and the RS256 signature check itself.
//!
//! A key that cannot verify RS256 (another `kty`, `use` other than `sig`, `alg` other than
//! `RS256`, a modulus under 2048 bits, bad base64) is kept as unusable with its reason, so a
//! token naming it gets that reason rather than "unknown kid"; the other keys still work.

use std::collections::HashMap;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::digest::{Context, SHA256};
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::Value;

/// SHA-256 of a key's `kid`, modulus and exponent: which key a cached signature was checked
/// under. Public information (all of it is in the JWKS).
pub(crate) type Fingerprint = [u8; 32];

/// An RSA public key: modulus and exponent, big-endian, without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
    fingerprint: Fingerprint,
}

impl RsaKey {
    fn new(kid: &str, n: Vec<u8>, e: Vec<u8>) -> RsaKey {
        let mut h = Context::new(&SHA256);
        h.update(b"cognito-verify jwk v1\0");
        // Length-prefixed, so no two (kid, n, e) hash the same input.
        for part in [kid.as_bytes(), &n, &e] {
            h.update(&(part.len() as u64).to_be_bytes());
            h.update(part);
        }
        let mut fingerprint = [0u8; 32];
        fingerprint.copy_from_slice(h.finish().as_ref());
        RsaKey { n, e, fingerprint }
    }

    /// Identifies this key under its `kid`: another kid, modulus or exponent is another key.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
        .is_ok()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.n.len() * 8 - self.n.first().map_or(8, |b| b.leading_zeros() as usize)
    }
}

/// One entry of the JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Rsa(RsaKey),
    Unusable(String),
}

/// The keys of one JWKS document, by `kid` (the first of duplicates wins, as elsewhere).
#[derive(Debug, Clone, Default)]
pub(crate) struct KeySet {
    keys: HashMap<String, Arc<Key>>,
}

impl KeySet {
    pub fn get(&self, kid: &str) -> Option<Arc<Key>> {
        self.keys.get(kid).cloned()
    }

    /// The fingerprints of the usable keys.
    pub fn fingerprints(&self) -> impl Iterator<Item = &Fingerprint> {
        self.keys.values().filter_map(|k| match &**k {
            Key::Rsa(rsa) => Some(rsa.fingerprint()),
            Key::Unusable(_) => None,
        })
    }

    pub fn kids(&self) -> Vec<String> {
        let mut kids: Vec<String> = self.keys.keys().cloned().collect();
        kids.sort();
        kids
    }

    /// Reads `{"keys": [...]}`. Only the document's shape can fail it; a bad key is unusable.
    pub fn parse(bytes: &[u8]) -> Result<KeySet, String> {
        let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
        let keys = match doc.get("keys") {
            Some(Value::Array(keys)) => keys,
            Some(_) => return Err("\"keys\" is not a list".into()),
            None if doc.is_object() => return Err("no \"keys\" member".into()),
            None => return Err("not a JSON object".into()),
        };
        let mut set = KeySet::default();
        for jwk in keys {
            let Some(kid) = jwk.get("kid").and_then(Value::as_str) else {
                continue; // a key without a kid can never be chosen by a token
            };
            let key = match rsa_key(kid, jwk) {
                Ok(k) => Key::Rsa(k),
                Err(reason) => Key::Unusable(reason),
            };
            set.keys
                .entry(kid.to_owned())
                .or_insert_with(|| Arc::new(key));
        }
        Ok(set)
    }
}

fn rsa_key(kid: &str, jwk: &Value) -> Result<RsaKey, String> {
    let field = |name: &str| jwk.get(name).map(|v| v.as_str().ok_or(v));
    match field("kty") {
        Some(Ok("RSA")) => {}
        Some(Ok(other)) => return Err(format!("kty is {other:?}, not \"RSA\"")),
        _ => return Err("kty is missing or not a string".into()),
    }
    match field("use") {
        None | Some(Ok("sig")) => {}
        Some(Ok(other)) => return Err(format!("use is {other:?}, not \"sig\"")),
        Some(Err(_)) => return Err("use is not a string".into()),
    }
    match field("alg") {
        None | Some(Ok("RS256")) => {}
        Some(Ok(other)) => return Err(format!("alg is {other:?}, not \"RS256\"")),
        Some(Err(_)) => return Err("alg is not a string".into()),
    }
    if let Some(ops) = jwk.get("key_ops") {
        let verify = ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|o| o == "verify"));
        if !verify {
            return Err("key_ops does not include \"verify\"".into());
        }
    }
    let number = |name: &str| -> Result<Vec<u8>, String> {
        let text = jwk
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{name} is missing or not a string"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| format!("{name} is not base64url"))?;
        // RFC 7518 asks for no leading zeros; tolerate them from the trusted key source.
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        Ok(bytes[start..].to_vec())
    };
    let key = RsaKey::new(kid, number("n")?, number("e")?);
    if key.bits() < 2048 {
        return Err(format!(
            "modulus is {} bits, less than the 2048 RS256 needs",
            key.bits()
        ));
    }
    if key.bits() > 8192 {
        return Err(format!("modulus is {} bits, more than 8192", key.bits()));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n_of(bits: usize) -> String {
        let mut n = vec![0xffu8; bits / 8];
        n[0] = 0xc5;
        URL_SAFE_NO_PAD.encode(n)
    }

    fn reason(jwk: Value) -> String {
        let doc = json!({ "keys": [jwk] }).to_string();
        match &*KeySet::parse(doc.as_bytes()).unwrap().get("k").unwrap() {
            Key::Unusable(r) => r.clone(),
            Key::Rsa(_) => panic!("usable"),
        }
    }

    #[test]
    fn document_shape() {
        assert!(KeySet::parse(b"{").unwrap_err().starts_with("not JSON"));
        assert_eq!(KeySet::parse(b"[]").unwrap_err(), "not a JSON object");
        assert_eq!(KeySet::parse(b"{}").unwrap_err(), "no \"keys\" member");
        assert_eq!(
            KeySet::parse(br#"{"keys":{}}"#).unwrap_err(),
            "\"keys\" is not a list"
        );
        let set = KeySet::parse(br#"{"keys":[1, {"kty":"RSA"}]}"#).unwrap();
        assert!(set.kids().is_empty());
    }

    #[test]
    fn usable_keys_and_every_reason_not() {
        let n = n_of(2048);
        let good = json!({"kid":"k","kty":"RSA","alg":"RS256","use":"sig","n":n,"e":"AQAB"});
        let doc = json!({"keys":[good.clone(), {"kid":"k","kty":"EC"}]}).to_string();
        let set = KeySet::parse(doc.as_bytes()).unwrap();
        assert!(matches!(&*set.get("k").unwrap(), Key::Rsa(k) if k.bits() == 2048));

        let with = |k: &str, v: Value| {
            let mut j = good.clone();
            j[k] = v;
            j
        };
        assert_eq!(
            reason(with("kty", json!("EC"))),
            "kty is \"EC\", not \"RSA\""
        );
        assert_eq!(
            reason(with("kty", json!(1))),
            "kty is missing or not a string"
        );
        assert_eq!(
            reason(with("use", json!("enc"))),
            "use is \"enc\", not \"sig\""
        );
        assert_eq!(
            reason(with("alg", json!("RS384"))),
            "alg is \"RS384\", not \"RS256\""
        );
        assert_eq!(
            reason(with("key_ops", json!(["sign"]))),
            "key_ops does not include \"verify\""
        );
        assert_eq!(reason(with("n", json!("a+b"))), "n is not base64url");
        assert_eq!(reason(with("e", json!(3))), "e is missing or not a string");
        assert_eq!(
            reason(with("n", json!(n_of(1024)))),
            "modulus is 1024 bits, less than the 2048 RS256 needs"
        );
        // A leading zero byte is tolerated.
        let mut padded = vec![0u8];
        padded.extend(URL_SAFE_NO_PAD.decode(&n).unwrap());
        let doc = json!({"keys":[with("n", json!(URL_SAFE_NO_PAD.encode(padded)))]}).to_string();
        let set = KeySet::parse(doc.as_bytes()).unwrap();
        assert!(matches!(&*set.get("k").unwrap(), Key::Rsa(k) if k.bits() == 2048));
    }

    #[test]
    fn fingerprints_tell_kid_modulus_and_exponent_apart() {
        let n = n_of(2048);
        let mut other_n = URL_SAFE_NO_PAD.decode(&n).unwrap();
        other_n[100] ^= 1;
        let fp = |kid: &str, n: &str, e: &str| {
            let doc = json!({"keys":[{"kid":kid,"kty":"RSA","n":n,"e":e}]}).to_string();
            match &*KeySet::parse(doc.as_bytes()).unwrap().get(kid).unwrap() {
                Key::Rsa(k) => *k.fingerprint(),
                Key::Unusable(r) => panic!("{r}"),
            }
        };
        let base = fp("k", &n, "AQAB");
        assert_eq!(base, fp("k", &n, "AQAB"));
        assert_ne!(base, fp("k2", &n, "AQAB"));
        assert_ne!(base, fp("k", &URL_SAFE_NO_PAD.encode(other_n), "AQAB"));
        assert_ne!(base, fp("k", &n, "Aw"));
    }
}
