//! One structured log line per request (`--request-log json`): request id, method, path,
//! operation, status, error type and latency. Bodies and headers are never logged, so no
//! password, token, SECRET_HASH or Session can appear.

use std::io::Write;
use std::time::Duration;

use serde::Serialize;

#[derive(Serialize)]
pub struct Entry<'a> {
    pub request_id: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<&'a str>,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    #[serde(rename = "latency_ms", serialize_with = "millis")]
    pub latency: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

/// Where request lines go: standard error.
#[derive(Debug, Default)]
pub struct RequestLog;

impl RequestLog {
    pub fn write(&self, entry: &Entry<'_>) {
        #[derive(Serialize)]
        struct Line<'a> {
            ts: String,
            #[serde(flatten)]
            entry: &'a Entry<'a>,
        }
        let line = Line {
            ts: rfc3339_now(),
            entry,
        };
        if let Ok(mut text) = serde_json::to_string(&line) {
            text.push('\n');
            // One write per line, so concurrent requests do not interleave.
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
    }
}

/// The current UTC time as RFC 3339 with milliseconds.
fn rfc3339_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_are_rfc3339() {
        let t = super::rfc3339_now();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert!(t.starts_with("20"), "{t}");
    }
}
