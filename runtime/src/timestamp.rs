//! The three Smithy timestamp formats as text: `date-time` (RFC 3339), `http-date`
//! (IMF-fixdate, RFC 7231 section 7.1.1.1) and `epoch-seconds`, on [`DateTime`].
//!
//! Reading is lenient where the specs allow (offsets and any number of fraction digits in
//! `date-time`, a fraction in `http-date`); writing is canonical (UTC `Z`, `GMT`).

use std::fmt;

use crate::types::DateTime;

/// A timestamp text that does not parse in the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampParseError {
    format: &'static str,
    reason: &'static str,
}

impl fmt::Display for TimestampParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} timestamp: {}", self.format, self.reason)
    }
}

impl std::error::Error for TimestampParseError {}

const RFC3339: &str = "date-time (RFC 3339)";
const HTTP_DATE: &str = "http-date (IMF-fixdate)";
const EPOCH: &str = "epoch-seconds";

const DAY_NAMES: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: (year, month 1-12, day 1-31).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits a timestamp into (year, month, day, hour, minute, second).
fn fields(t: &DateTime) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.secs().div_euclid(SECS_PER_DAY);
    let rem = t.secs().rem_euclid(SECS_PER_DAY) as u32;
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, rem / 3600, rem / 60 % 60, rem % 60)
}

/// `.123` for the nanoseconds, trailing zeros trimmed; empty for whole seconds.
fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        String::new()
    } else {
        format!(".{:09}", nanos).trim_end_matches('0').to_string()
    }
}

/// A cursor over ASCII timestamp text.
struct Cursor<'a> {
    rest: &'a [u8],
    format: &'static str,
}

impl<'a> Cursor<'a> {
    fn fail<T>(&self, reason: &'static str) -> Result<T, TimestampParseError> {
        Err(TimestampParseError {
            format: self.format,
            reason,
        })
    }

    fn digits(&mut self, n: usize, what: &'static str) -> Result<u32, TimestampParseError> {
        if self.rest.len() < n || !self.rest[..n].iter().all(u8::is_ascii_digit) {
            return self.fail(what);
        }
        let v = self.rest[..n]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        self.rest = &self.rest[n..];
        Ok(v)
    }

    fn expect(&mut self, c: u8, what: &'static str) -> Result<(), TimestampParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            self.fail(what)
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.rest.first() == Some(&c) {
            self.rest = &self.rest[1..];
            true
        } else {
            false
        }
    }

    /// `.ddd…` if present: nanoseconds (digits past the ninth are dropped, not rounded).
    fn fraction(&mut self) -> Result<u32, TimestampParseError> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let n = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return self.fail("a '.' without fraction digits");
        }
        let mut nanos = 0u32;
        for (i, b) in self.rest[..n].iter().enumerate() {
            if i < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
        }
        for _ in n..9 {
            nanos *= 10;
        }
        self.rest = &self.rest[n..];
        Ok(nanos)
    }

    fn word<const N: usize>(
        &mut self,
        names: &[&str; N],
        what: &'static str,
    ) -> Result<usize, TimestampParseError> {
        for (i, name) in names.iter().enumerate() {
            if self.rest.starts_with(name.as_bytes()) {
                self.rest = &self.rest[name.len()..];
                return Ok(i);
            }
        }
        self.fail(what)
    }
}

fn assemble(
    c: &Cursor<'_>,
    (year, month, day): (i64, u32, u32),
    (hour, minute, second): (u32, u32, u32),
    nanos: u32,
    offset_secs: i64,
) -> Result<DateTime, TimestampParseError> {
    if !(1..=12).contains(&month) {
        return c.fail("month out of range");
    }
    if day == 0 || day > days_in_month(year, month) {
        return c.fail("day out of range for the month");
    }
    if hour > 23 || minute > 59 {
        return c.fail("time of day out of range");
    }
    // A leap second (:60) is read as the last second of its minute, as most SDKs do.
    if second > 60 {
        return c.fail("seconds out of range");
    }
    let second = second.min(59);
    let secs = days_from_civil(year, month, day) * SECS_PER_DAY
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_secs;
    Ok(DateTime::from_secs_and_nanos(secs, nanos))
}

impl DateTime {
    /// Parses an RFC 3339 `date-time` (Smithy `date-time`): `2024-02-29T23:59:59Z`,
    /// `1985-04-12T23:20:50.52Z`, `1996-12-19T16:39:57-08:00`; `t`/`z` in lower case too.
    pub fn parse_date_time(text: &str) -> Result<DateTime, TimestampParseError> {
        let mut c = Cursor {
            rest: text.as_bytes(),
            format: RFC3339,
        };
        let year = c.digits(4, "a four-digit year")?;
        c.expect(b'-', "'-' after the year")?;
        let month = c.digits(2, "a two-digit month")?;
        c.expect(b'-', "'-' after the month")?;
        let day = c.digits(2, "a two-digit day")?;
        if !(c.eat(b'T') || c.eat(b't')) {
            return c.fail("'T' between date and time");
        }
        let hour = c.digits(2, "a two-digit hour")?;
        c.expect(b':', "':' after the hour")?;
        let minute = c.digits(2, "two-digit minutes")?;
        c.expect(b':', "':' after the minutes")?;
        let second = c.digits(2, "two-digit seconds")?;
        let nanos = c.fraction()?;
        let offset = if c.eat(b'Z') || c.eat(b'z') {
            0
        } else {
            let sign = if c.eat(b'+') {
                1
            } else if c.eat(b'-') {
                -1
            } else {
                return c.fail("a 'Z' or a +hh:mm / -hh:mm offset");
            };
            let oh = c.digits(2, "offset hours")?;
            c.expect(b':', "':' in the offset")?;
            let om = c.digits(2, "offset minutes")?;
            if oh > 23 || om > 59 {
                return c.fail("offset out of range");
            }
            sign * i64::from(oh * 3600 + om * 60)
        };
        if !c.rest.is_empty() {
            return c.fail("text after the timestamp");
        }
        assemble(
            &c,
            (i64::from(year), month, day),
            (hour, minute, second),
            nanos,
            offset,
        )
    }

    /// Parses an IMF-fixdate (Smithy `http-date`): `Tue, 29 Apr 2014 18:30:38 GMT`; a fraction
    /// of a second (`18:30:38.123`) is accepted too.
    pub fn parse_http_date(text: &str) -> Result<DateTime, TimestampParseError> {
        let mut c = Cursor {
            rest: text.as_bytes(),
            format: HTTP_DATE,
        };
        let weekday = c.word(&DAY_NAMES, "a day name (Mon..Sun)")?;
        c.expect(b',', "',' after the day name")?;
        c.expect(b' ', "' ' after the day name")?;
        let day = c.digits(2, "a two-digit day")?;
        c.expect(b' ', "' ' after the day")?;
        let month = c.word(&MONTH_NAMES, "a month name (Jan..Dec)")? as u32 + 1;
        c.expect(b' ', "' ' after the month")?;
        let year = c.digits(4, "a four-digit year")?;
        c.expect(b' ', "' ' after the year")?;
        let hour = c.digits(2, "a two-digit hour")?;
        c.expect(b':', "':' after the hour")?;
        let minute = c.digits(2, "two-digit minutes")?;
        c.expect(b':', "':' after the minutes")?;
        let second = c.digits(2, "two-digit seconds")?;
        let nanos = c.fraction()?;
        if !c.rest.starts_with(b" GMT") || c.rest.len() != 4 {
            return c.fail("' GMT' at the end");
        }
        let t = assemble(
            &c,
            (i64::from(year), month, day),
            (hour, minute, second),
            nanos,
            0,
        )?;
        if weekday_index(&t) != weekday {
            return c.fail("the day name does not match the date");
        }
        Ok(t)
    }

    /// Parses epoch seconds written as text (`1700000000`, `-1.5`, `1700000000.123`).
    pub fn parse_epoch_seconds(text: &str) -> Result<DateTime, TimestampParseError> {
        let fail = |reason| TimestampParseError {
            format: EPOCH,
            reason,
        };
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(fail("expected decimal seconds"));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (body.contains('.') && frac.is_empty()) {
            return Err(fail("expected fraction digits after '.'"));
        }
        let secs: i64 = whole.parse().map_err(|_| fail("seconds out of range"))?;
        let mut nanos = 0u32;
        for (i, b) in frac.bytes().enumerate().take(9) {
            nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
        }
        Ok(match (negative, nanos) {
            (false, _) => DateTime::from_secs_and_nanos(secs, nanos),
            (true, 0) => DateTime::from_secs(-secs),
            (true, n) => DateTime::from_secs_and_nanos(-secs - 1, 1_000_000_000 - n),
        })
    }

    /// RFC 3339 in UTC (Smithy `date-time`): `2014-04-29T18:30:38Z`, with the fraction of a
    /// second when there is one (`2014-04-29T18:30:38.123Z`).
    pub fn to_date_time(&self) -> String {
        let (y, mo, d, h, mi, s) = fields(self);
        format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}Z",
            fraction(self.subsec_nanos())
        )
    }

    /// IMF-fixdate (Smithy `http-date`): `Tue, 29 Apr 2014 18:30:38 GMT`, with the fraction of a
    /// second when there is one (as smithy clients write and read it).
    pub fn to_http_date(&self) -> String {
        let (y, mo, d, h, mi, s) = fields(self);
        format!(
            "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02}{} GMT",
            DAY_NAMES[weekday_index(self)],
            MONTH_NAMES[mo as usize - 1],
            fraction(self.subsec_nanos())
        )
    }

    /// Whether the date-time and http-date formats can write this instant (years 0001-9999).
    pub fn fits_four_digit_year(&self) -> bool {
        (1..=9999).contains(&fields(self).0)
    }
}

/// Index into [`DAY_NAMES`] (1970-01-01 was a Thursday).
fn weekday_index(t: &DateTime) -> usize {
    t.secs().div_euclid(SECS_PER_DAY).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_reads_offsets_and_fractions_and_writes_utc() {
        let t = DateTime::parse_date_time("1985-04-12T23:20:50.52Z").unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (482_196_050, 520_000_000));
        assert_eq!(t.to_date_time(), "1985-04-12T23:20:50.52Z");
        let t = DateTime::parse_date_time("1996-12-19T16:39:57-08:00").unwrap();
        assert_eq!(t.to_date_time(), "1996-12-20T00:39:57Z");
        let t = DateTime::parse_date_time("2024-02-29t23:59:59.123456789123+01:30").unwrap();
        assert_eq!(t.to_date_time(), "2024-02-29T22:29:59.123456789Z");
        assert_eq!(
            DateTime::parse_date_time("1970-01-01T00:00:00Z").unwrap(),
            DateTime::from_secs(0)
        );
        assert_eq!(
            DateTime::parse_date_time("1969-12-31T23:59:59.5Z").unwrap(),
            DateTime::from_secs_f64(-0.5).unwrap()
        );
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00Zjunk",
            "2024-01-01T00:00:00+0100",
            "",
        ] {
            assert!(DateTime::parse_date_time(bad).is_err(), "{bad}");
        }
        let err = DateTime::parse_date_time("2024-01-01").unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a valid date-time (RFC 3339) timestamp: 'T' between date and time"
        );
    }

    #[test]
    fn http_date_round_trips_and_checks_the_day_name() {
        let t = DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT").unwrap();
        assert_eq!(t.secs(), 1_398_796_238);
        assert_eq!(t.to_http_date(), "Tue, 29 Apr 2014 18:30:38 GMT");
        let t = DateTime::parse_http_date("Thu, 01 Jan 1970 00:00:00.25 GMT").unwrap();
        assert_eq!(t, DateTime::from_secs_and_nanos(0, 250_000_000));
        assert_eq!(t.to_http_date(), "Thu, 01 Jan 1970 00:00:00.25 GMT");
        assert!(DateTime::parse_http_date("Wed, 29 Apr 2014 18:30:38 GMT").is_err());
        assert!(DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38 UTC").is_err());
        assert!(DateTime::parse_http_date("Tue, 29 Apx 2014 18:30:38 GMT").is_err());
    }

    #[test]
    fn epoch_text_and_calendar_edges() {
        assert_eq!(
            DateTime::parse_epoch_seconds("-1.25").unwrap(),
            DateTime::from_secs_f64(-1.25).unwrap()
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("1700000000.000000001").unwrap(),
            DateTime::from_secs_and_nanos(1_700_000_000, 1)
        );
        assert!(DateTime::parse_epoch_seconds("1e9").is_err());
        assert!(DateTime::parse_epoch_seconds("1.").is_err());
        for days in [-800_000i64, -1, 0, 1, 59, 60, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(
            DateTime::from_secs(253_402_300_799).to_date_time(),
            "9999-12-31T23:59:59Z"
        );
        assert!(!DateTime::from_secs(253_402_300_800).fits_four_digit_year());
    }
}
