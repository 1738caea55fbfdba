//! Conversions between [`DateTime`](crate::DateTime) and the common time crates' UTC instants, behind the cargo
//! features `chrono` and `time` (nanosecond precision both ways).

#[cfg(any(feature = "chrono", feature = "time"))]
use crate::types::DateTime;

#[cfg(feature = "chrono")]
impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime::from_secs_and_nanos(t.timestamp(), t.timestamp_subsec_nanos())
    }
}

/// Fails only for instants outside chrono's range (about ±262,000 years).
#[cfg(feature = "chrono")]
impl TryFrom<DateTime> for chrono::DateTime<chrono::Utc> {
    type Error = OutOfRange;
    fn try_from(t: DateTime) -> Result<Self, OutOfRange> {
        chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()).ok_or(OutOfRange("chrono"))
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for DateTime {
    fn from(t: time::OffsetDateTime) -> Self {
        DateTime::from_secs_and_nanos(t.unix_timestamp(), t.nanosecond())
    }
}

/// Fails only for instants outside the `time` crate's range (years ±9999).
#[cfg(feature = "time")]
impl TryFrom<DateTime> for time::OffsetDateTime {
    type Error = OutOfRange;
    fn try_from(t: DateTime) -> Result<Self, OutOfRange> {
        let nanos = i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| OutOfRange("time"))
    }
}

/// A [`DateTime`](crate::DateTime) outside the range of the time crate named inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange(&'static str);

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the timestamp is outside the range of the `{}` crate",
            self.0
        )
    }
}

impl std::error::Error for OutOfRange {}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::*;

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trip() {
        let t = DateTime::from_secs_and_nanos(-5, 250);
        let c = chrono::DateTime::<chrono::Utc>::try_from(t).unwrap();
        assert_eq!((c.timestamp(), c.timestamp_subsec_nanos()), (-5, 250));
        assert_eq!(DateTime::from(c), t);
        assert!(chrono::DateTime::<chrono::Utc>::try_from(DateTime::from_secs(i64::MAX)).is_err());
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trip() {
        let t = DateTime::from_secs_and_nanos(1_398_796_238, 5);
        let o = time::OffsetDateTime::try_from(t).unwrap();
        assert_eq!((o.year(), o.nanosecond()), (2014, 5));
        assert_eq!(DateTime::from(o), t);
        let e = time::OffsetDateTime::try_from(DateTime::from_secs(i64::MAX)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the timestamp is outside the range of the `time` crate"
        );
    }
}
