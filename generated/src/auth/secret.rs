//! A string that must never be printed: passwords, tokens, sessions, device passwords.
//!
//! Why our own type and not `secrecy`'s `SecretString` (0.10): what that crate gives — a
//! `Debug` that hides the value and wiping on drop — is what this 40-line type does with the
//! same `zeroize` crate `secrecy` builds on. What it does not give, this crate needs: the
//! remembered device and the token stores serialize the plain value to a file the caller
//! chooses (`secrecy` 0.10 has no `Serialize`, and the orphan rule forbids adding one to its
//! type here), and equality that does not leak through timing (it has none). `Secret` is also
//! in this crate's public API (`AuthConfig`, `RememberedDevice`, `Tokens`): a pre-1.0 crate
//! whose core type changed between 0.8 and 0.10 would make each of its breaking releases ours.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// A secret string. `Debug` prints `Secret(***)`; there is no `Display`. Read it with
/// [`Secret::expose`], which makes every place that handles the value easy to find.
/// The memory is wiped when the value is dropped. Two secrets compare in time that depends on
/// their lengths only, never on where they differ.
///
/// It serializes as the plain string (for files the caller chooses to write, such as a
/// remembered device); never serialize it into logs.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// The first and last few characters of a long value, for showing a token without revealing
/// it (`eyJra…Qx3w`). Values of 16 characters or fewer are fully hidden.
pub fn shorten(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 16 {
        return "***".to_owned();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail} ({} chars)", chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2-password");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Secret(***))");
        assert_eq!(s.expose(), "hunter2-password");
    }

    #[test]
    fn equality_compares_the_whole_value() {
        assert_eq!(Secret::new("same"), Secret::new("same"));
        assert_ne!(Secret::new("same"), Secret::new("samf"));
        assert_ne!(Secret::new("same"), Secret::new("sam"));
        assert_ne!(Secret::new(""), Secret::new("x"));
        assert_eq!(Secret::new(""), Secret::new(""));
    }

    #[test]
    fn serde_round_trip() {
        let s = Secret::new("x");
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(j, "\"x\"");
        let back: Secret = serde_json::from_str(&j).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn shortening() {
        assert_eq!(shorten("short"), "***");
        assert_eq!(
            shorten("abcdefghijklmnopqrstuvwxyz"),
            "abcdef…wxyz (26 chars)"
        );
    }
}
