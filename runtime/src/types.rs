//! Support types the generated code names: timestamps, blobs, documents, big numbers, tokens.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A Smithy `document`: any JSON value.
pub type Document = serde_json::Value;

/// A Smithy `timestamp`; awsJson writes it as epoch seconds (a JSON number, fractions allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

impl DateTime {
    /// From whole epoch seconds.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// From epoch seconds and nanoseconds (carried into seconds past 10^9).
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add((nanos / 1_000_000_000) as i64),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// From fractional epoch seconds; `None` if not finite or out of range.
    pub fn from_secs_f64(value: f64) -> Option<Self> {
        if !value.is_finite() || value.abs() > 9.0e15 {
            return None;
        }
        let secs = value.floor();
        let mut nanos = ((value - secs) * 1e9).round() as u32;
        let mut secs = secs as i64;
        if nanos >= 1_000_000_000 {
            secs += 1;
            nanos -= 1_000_000_000;
        }
        Some(DateTime { secs, nanos })
    }

    /// The current time.
    pub fn now() -> Self {
        DateTime::from(SystemTime::now())
    }

    /// Whole epoch seconds (floor).
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`DateTime::secs`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Epoch seconds as `f64`.
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    DateTime::from_secs(-secs)
                } else {
                    DateTime::from_secs_and_nanos(-secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(u64::from(t.nanos))
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            write!(f, "{}", self.secs)
        } else {
            let frac = format!("{:09}", self.nanos);
            write!(f, "{}.{}", self.secs, frac.trim_end_matches('0'))
        }
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.nanos == 0 {
            s.serialize_i64(self.secs)
        } else {
            s.serialize_f64(self.as_secs_f64())
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_secs_f64(v).ok_or_else(|| E::custom("timestamp out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A Smithy `blob`; base64 in JSON. `Debug` shows only the length.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wrap bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(v.to_vec())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(Blob)
            .map_err(|_| de::Error::custom("invalid base64 in blob"))
    }
}

/// A Smithy `bigInteger` / `bigDecimal`, kept as its decimal text.
///
/// Without serde_json's `arbitrary_precision` a JSON number is read through `i64`/`u64`/`f64`,
/// so digits past that precision are lost on input; output writes the text as a number when it
/// parses as one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigNumber(String);

impl BigNumber {
    /// From decimal text; `None` if it is not a decimal number.
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = text.into();
        let t = text.strip_prefix('-').unwrap_or(&text);
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        let exp_ok = exp.map_or(true, |e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        });
        if (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac) && exp_ok {
            Some(BigNumber(text))
        } else {
            None
        }
    }

    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for BigNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Ok(i) = self.0.parse::<i64>() {
            s.serialize_i64(i)
        } else if let Ok(u) = self.0.parse::<u64>() {
            s.serialize_u64(u)
        } else if let Ok(f) = self.0.parse::<f64>() {
            s.serialize_f64(f)
        } else {
            s.serialize_str(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for BigNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => Ok(BigNumber(n.to_string())),
            serde_json::Value::String(s) => {
                BigNumber::new(s).ok_or_else(|| de::Error::custom("not a decimal number"))
            }
            _ => Err(de::Error::custom("expected a number")),
        }
    }
}

/// A random UUID v4 string, for `@idempotencyToken` members left unset.
pub fn idempotency_token() -> String {
    let mut b = [0u8; 16];
    if getrandom::getrandom(&mut b).is_err() {
        // No OS randomness: fall back to time and a counter (unique, not secret).
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b[..8].copy_from_slice(&(nanos as u64).to_le_bytes());
        b[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_json() {
        let t: DateTime = serde_json::from_str("1700000000.5").unwrap();
        assert_eq!(t.secs(), 1_700_000_000);
        assert_eq!(t.subsec_nanos(), 500_000_000);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.5");
        assert_eq!(serde_json::to_string(&DateTime::from_secs(5)).unwrap(), "5");
        let neg = DateTime::from_secs_f64(-1.25).unwrap();
        assert_eq!((neg.secs(), neg.subsec_nanos()), (-2, 750_000_000));
        assert_eq!(DateTime::from(SystemTime::from(neg)), neg);
        assert!(serde_json::from_str::<DateTime>("\"x\"").is_err());
    }

    #[test]
    fn blob_and_bignumber() {
        let b = Blob::new(b"hi".to_vec());
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGk=\"");
        assert_eq!(serde_json::from_str::<Blob>("\"aGk=\"").unwrap(), b);
        assert!(serde_json::from_str::<Blob>("\"!!\"").is_err());
        assert_eq!(format!("{b:?}"), "Blob(2 bytes)");
        assert!(BigNumber::new("-1.5e10").is_some());
        assert!(BigNumber::new("1.").is_some());
        assert!(BigNumber::new("abc").is_none());
        assert!(BigNumber::new("").is_none());
        let n: BigNumber = serde_json::from_str("12345").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "12345");
    }

    #[test]
    fn uuid_v4() {
        let t = idempotency_token();
        assert_eq!(t.len(), 36);
        assert_eq!(&t[14..15], "4");
        assert!("89ab".contains(&t[19..20]));
        assert_ne!(t, idempotency_token());
    }
}
