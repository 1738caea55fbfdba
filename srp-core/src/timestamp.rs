//! Cognito's TIMESTAMP: `EEE MMM d HH:mm:ss UTC yyyy` in English, UTC, day unpadded.
//! Computed from the Unix time with civil-calendar arithmetic: no locale, no time zone.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::SrpError;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds from 1970-01-01 to 0001-01-01 and to 9999-12-31T23:59:59: the years Cognito's
/// four-digit format can carry.
const MIN_UNIX: i64 = -62_135_596_800;
const MAX_UNIX: i64 = 253_402_300_799;

/// A TIMESTAMP string, ready to sign and send.
#[derive(Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    unix: i64,
}

impl Timestamp {
    /// The current time.
    pub fn now() -> Result<Self, SrpError> {
        Self::from_system_time(SystemTime::now())
    }

    pub fn from_system_time(time: SystemTime) -> Result<Self, SrpError> {
        let unix = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).map_err(|_| out_of_range())?,
            Err(before) => {
                let secs = before.duration().as_secs();
                let whole = i64::try_from(secs).map_err(|_| out_of_range())?;
                // -0.5 s is in the second that starts at -1.
                if before.duration().subsec_nanos() > 0 {
                    -whole - 1
                } else {
                    -whole
                }
            }
        };
        Self::from_unix_seconds(unix)
    }

    /// From seconds since 1970-01-01T00:00:00Z; years 1 to 9999.
    pub fn from_unix_seconds(unix: i64) -> Result<Self, SrpError> {
        if !(MIN_UNIX..=MAX_UNIX).contains(&unix) {
            return Err(out_of_range());
        }
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = (days + 4).rem_euclid(7) as usize;
        let text = format!(
            "{} {} {} {:02}:{:02}:{:02} UTC {:04}",
            WEEKDAYS[weekday],
            MONTHS[(month - 1) as usize],
            day,
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            year
        );
        Ok(Timestamp { text, unix })
    }

    /// Parses a TIMESTAMP strictly (the server role checks format and skew): English names,
    /// unpadded day, `UTC`, a weekday that matches the date.
    pub fn parse(text: &str) -> Result<Self, SrpError> {
        let bad = |reason| SrpError::InvalidTimestamp { reason };
        let parts: Vec<&str> = text.split(' ').collect();
        let [weekday, month, day, clock, zone, year] = parts[..] else {
            return Err(bad("expected `EEE MMM d HH:mm:ss UTC yyyy`"));
        };
        if zone != "UTC" {
            return Err(bad("time zone must be UTC"));
        }
        let month = MONTHS
            .iter()
            .position(|m| *m == month)
            .ok_or(bad("unknown month name"))? as i64
            + 1;
        if day.starts_with('0') || day.is_empty() || day.len() > 2 {
            return Err(bad("day of month must be 1-31 without padding"));
        }
        let day = number(day).ok_or(bad("day of month is not a number"))?;
        if year.len() != 4 {
            return Err(bad("year must have four digits"));
        }
        let year = number(year).ok_or(bad("year is not a number"))?;
        let clock: Vec<&str> = clock.split(':').collect();
        let [h, m, s] = clock[..] else {
            return Err(bad("time must be HH:mm:ss"));
        };
        if [h, m, s].iter().any(|p| p.len() != 2) {
            return Err(bad("time must be HH:mm:ss"));
        }
        let (h, m, s) = match (number(h), number(m), number(s)) {
            (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60 => (h, m, s),
            _ => return Err(bad("time out of range")),
        };
        if day < 1 || day > days_in_month(year, month) {
            return Err(bad("day of month out of range"));
        }
        let days = days_from_civil(year, month, day);
        let unix = days * 86_400 + h * 3600 + m * 60 + s;
        let parsed = Self::from_unix_seconds(unix)?;
        if parsed.text != text {
            return Err(bad("weekday does not match the date"));
        }
        let _ = weekday;
        Ok(parsed)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.text)
    }
}

fn out_of_range() -> SrpError {
    SrpError::InvalidTimestamp {
        reason: "time outside the years 1 to 9999",
    }
}

fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Proleptic Gregorian date from days since 1970-01-01 (eras of 400 years).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(unix: i64) -> String {
        Timestamp::from_unix_seconds(unix)
            .unwrap()
            .as_str()
            .to_owned()
    }

    #[test]
    fn protocol_vectors() {
        assert_eq!(ts(1_709_622_249), "Tue Mar 5 07:04:09 UTC 2024");
        assert_eq!(ts(1_704_067_199), "Sun Dec 31 23:59:59 UTC 2023");
        assert_eq!(ts(1_704_067_200), "Mon Jan 1 00:00:00 UTC 2024");
        assert_eq!(ts(1_704_931_200), "Thu Jan 11 00:00:00 UTC 2024");
        assert_eq!(ts(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(ts(-1), "Wed Dec 31 23:59:59 UTC 1969");
        assert_eq!(ts(951_782_400), "Tue Feb 29 00:00:00 UTC 2000");
    }

    #[test]
    fn every_day_of_a_month_and_every_weekday() {
        // 2026-11-01 is a Sunday.
        let start = 1_793_491_200;
        for day in 1..=30 {
            let text = ts(start + (day - 1) * 86_400 + 9 * 3600 + 4 * 60 + 7);
            let weekday = WEEKDAYS[((day - 1) % 7) as usize];
            assert_eq!(text, format!("{weekday} Nov {day} 09:04:07 UTC 2026"));
        }
    }

    #[test]
    fn round_trip_and_strict_parse() {
        for unix in [0, 1_709_622_249, 1_704_067_199, 951_782_400, 4_102_444_799] {
            let t = Timestamp::from_unix_seconds(unix).unwrap();
            assert_eq!(Timestamp::parse(t.as_str()).unwrap().unix_seconds(), unix);
        }
        for bad in [
            "Tue Mar 05 07:04:09 UTC 2024",
            "Tue Mar  5 07:04:09 UTC 2024",
            "Wed Mar 5 07:04:09 UTC 2024",
            "Tue Mar 5 24:04:09 UTC 2024",
            "Tue Mar 5 7:04:09 UTC 2024",
            "Tue Mär 5 07:04:09 UTC 2024",
            "Tue Mar 5 07:04:09 GMT 2024",
            "Tue Mar 32 07:04:09 UTC 2024",
            "Tue Mar 5 07:04:09 UTC 24",
            "",
            "Tue Mar 5 07:04:09 UTC 2024 ",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn foreign_locale_and_time_zone_change_nothing() {
        let before = ts(1_709_622_249);
        for (key, value) in [
            ("LC_ALL", "de_DE.UTF-8"),
            ("LANG", "tr_TR.UTF-8"),
            ("TZ", "Asia/Kolkata"),
        ] {
            std::env::set_var(key, value);
        }
        assert_eq!(ts(1_709_622_249), before);
        let now = Timestamp::now().unwrap();
        assert_eq!(Timestamp::parse(now.as_str()).unwrap(), now);
        assert!(now
            .as_str()
            .ends_with(&format!("UTC {}", now.as_str().rsplit(' ').next().unwrap())));
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert!(Timestamp::from_unix_seconds(i64::MAX).is_err());
        assert!(Timestamp::from_unix_seconds(i64::MIN).is_err());
        assert_eq!(ts(MAX_UNIX), "Fri Dec 31 23:59:59 UTC 9999");
        assert_eq!(ts(MIN_UNIX), "Mon Jan 1 00:00:00 UTC 0001");
    }
}
