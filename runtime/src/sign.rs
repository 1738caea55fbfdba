//! SigV4 request signing (cargo feature `sigv4`), on `hmac` + `sha2`.
//!
//! The rules are AWS's Signature Version 4 for headers, with the choices aws-sdk-rust's signer
//! makes by default, so the `authorization` header is byte-for-byte the one it would send
//! (checked against aws-sigv4 and botocore in this crate's tests, and against moto's check):
//! - signed: every header except `authorization`, `user-agent`, `x-amzn-trace-id` and
//!   `transfer-encoding` (changed by proxies or computed here), plus `host` (from the URL when
//!   absent, without a default port), `x-amz-date` and, for temporary credentials,
//!   `x-amz-security-token`;
//! - header values trimmed of spaces with inner runs of spaces collapsed; repeated headers
//!   joined with `,`;
//! - the path normalized (dot segments and empty segments removed) and percent-encoded a second
//!   time (`%` becomes `%25`); query parameters decoded, re-encoded and sorted;
//! - no `x-amz-content-sha256` header (the payload hash is only part of the canonical request).
//!
//! Nothing here logs: the canonical request holds the session token.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::http::HttpRequest;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Headers left out of the signature: computed here, or rewritten on the way.
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Sign `request` in place: adds `x-amz-date`, `authorization` and, for temporary
/// credentials, `x-amz-security-token`.
pub(crate) fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), String> {
    let (date_time, date) = amz_date(time)?;
    let headers = canonical_headers(request, &date_time, credentials.session_token())?;
    let signed_headers = headers
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical = String::new();
    canonical.push_str(request.method().as_str());
    canonical.push('\n');
    canonical.push_str(&canonical_path(request.uri().path()));
    canonical.push('\n');
    canonical.push_str(&canonical_query(request.uri().query().unwrap_or("")));
    canonical.push('\n');
    for (name, values) in &headers {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(&values.join(","));
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(&hex(&Sha256::digest(request.body())));

    let scope = format!("{date}/{region}/{signing_name}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let secret = format!("AWS4{}", credentials.secret_access_key());
    let key = hmac(secret.as_bytes(), date.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, signing_name.as_bytes());
    let key = hmac(&key, b"aws4_request");
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id()
    );

    let out = request.headers_mut();
    out.insert("x-amz-date", header_value(&date_time, false)?);
    if let Some(token) = credentials.session_token() {
        out.insert("x-amz-security-token", header_value(token, true)?);
    }
    out.insert(
        http::header::AUTHORIZATION,
        header_value(&authorization, true)?,
    );
    Ok(())
}

fn header_value(value: &str, sensitive: bool) -> Result<http::HeaderValue, String> {
    let mut value = http::HeaderValue::from_str(value)
        .map_err(|_| "a signing value is not a valid header value".to_string())?;
    value.set_sensitive(sensitive);
    Ok(value)
}

/// Lowercased name -> values in request order, for every signed header.
fn canonical_headers(
    request: &HttpRequest,
    date_time: &str,
    session_token: Option<&str>,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in request.headers() {
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = value
            .to_str()
            .map_err(|_| format!("header `{name}` is not visible ASCII and cannot be signed"))?;
        headers
            .entry(name.as_str().to_string())
            .or_default()
            .push(trim_spaces(value));
    }
    if !headers.contains_key("host") {
        headers.insert("host".into(), vec![host_of(request.uri())?]);
    }
    headers.insert("x-amz-date".into(), vec![date_time.to_string()]);
    if let Some(token) = session_token {
        // As aws-sigv4 does: the token as sent, not space-normalized like the other values.
        headers.insert("x-amz-security-token".into(), vec![token.to_string()]);
    }
    Ok(headers)
}

/// The URL's authority, without the port when it is the scheme's default.
fn host_of(uri: &http::Uri) -> Result<String, String> {
    let host = uri.host().ok_or("the request URL has no host")?;
    let default_port = match uri.scheme_str() {
        Some("http") => Some(80),
        Some("https") => Some(443),
        _ => None,
    };
    Ok(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_string(),
    })
}

/// Spaces trimmed at both ends, inner runs of spaces collapsed to one (other whitespace kept).
fn trim_spaces(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, word) in value.split(' ').filter(|w| !w.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// RFC 3986 dot-segment removal (empty segments dropped too), then `%`-encoding of everything
/// but unreserved characters and `/` (the path is already encoded: this encodes it twice).
fn canonical_path(path: &str) -> String {
    let normalized = if path.contains('.') || path.contains("//") || !path.starts_with('/') {
        let mut segments: Vec<&str> = Vec::new();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                other => segments.push(other),
            }
        }
        let mut out = format!("/{}", segments.join("/"));
        let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
        if trailing && !out.ends_with('/') {
            out.push('/');
        }
        out
    } else {
        path.to_string()
    };
    let mut out = String::with_capacity(normalized.len());
    for byte in normalized.bytes() {
        if byte == b'/' {
            out.push('/');
        } else {
            encode_byte(byte, &mut out);
        }
    }
    out
}

/// `application/x-www-form-urlencoded` pairs decoded, each side re-encoded (unreserved kept),
/// sorted by encoded key then value, joined as `k=v&...`.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&form_decode(k)), encode(&form_decode(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `+` as space and `%XX` decoded; invalid UTF-8 becomes U+FFFD, a bad escape stays as it is.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let digit = |at: usize| bytes.get(at).and_then(|b| hex_digit(*b));
                match (digit(i + 1), digit(i + 2)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        encode_byte(byte, &mut out);
    }
    out
}

fn encode_byte(byte: u8, out: &mut String) {
    if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
        out.push(byte as char);
    } else {
        out.push_str(&format!("%{byte:02X}"));
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `(YYYYMMDDTHHMMSSZ, YYYYMMDD)` in UTC.
fn amz_date(time: SystemTime) -> Result<(String, String), String> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the clock is before 1970".to_string())?
        .as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    let date = format!("{year:04}{month:02}{day:02}");
    let date_time = format!(
        "{date}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    Ok((date_time, date))
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request(uri: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpRequest {
        let mut builder = http::Request::builder().method("POST").uri(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(body.to_vec()).unwrap()
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        let at = |secs| amz_date(UNIX_EPOCH + Duration::from_secs(secs)).unwrap().0;
        assert_eq!(at(0), "19700101T000000Z");
        assert_eq!(at(951_782_400), "20000229T000000Z");
        assert_eq!(at(1_440_938_160), "20150830T123600Z");
        assert_eq!(at(4_102_444_799), "20991231T235959Z");
        assert_eq!(at(4_107_542_399), "21000228T235959Z");
    }

    /// AWS's published SigV4 example (GET, `/`, `?Param1=value1&Param2=value2`, 20150830T123600Z).
    #[test]
    fn matches_aws_published_example() {
        let mut req = http::Request::builder()
            .method("GET")
            .uri("https://example.amazonaws.com/?Param2=value2&Param1=value1")
            .header("host", "example.amazonaws.com")
            .body(Vec::new())
            .unwrap();
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        sign_request(&mut req, &creds, "us-east-1", "service", time).unwrap();
        assert_eq!(
            req.headers()["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
    }

    #[test]
    fn adds_signing_headers_marked_sensitive() {
        let mut req = request(
            "https://cognito-idp.us-east-1.amazonaws.com/",
            &[
                ("content-type", "application/x-amz-json-1.1"),
                (
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.AdminGetUser",
                ),
                ("user-agent", "test"),
            ],
            b"{}",
        );
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("tok".into()));
        sign_request(&mut req, &creds, "us-east-1", "cognito-idp", UNIX_EPOCH).unwrap();
        let auth = &req.headers()["authorization"];
        assert!(auth.is_sensitive());
        assert!(req.headers()["x-amz-security-token"].is_sensitive());
        assert_eq!(req.headers()["x-amz-security-token"], "tok");
        assert_eq!(req.headers()["x-amz-date"], "19700101T000000Z");
        let auth = auth.to_str().unwrap();
        assert!(auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/19700101/us-east-1/cognito-idp/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
        ));
    }

    #[test]
    fn canonical_pieces() {
        assert_eq!(canonical_path(""), "/");
        assert_eq!(canonical_path("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_path("/a%20b/~x"), "/a%2520b/~x");
        assert_eq!(canonical_path("/a/.."), "/");
        assert_eq!(canonical_query("b=2&a=%7e+x&a=1&c"), "a=1&a=~%20x&b=2&c=");
        assert_eq!(trim_spaces("  a   b\tc "), "a b\tc");
        let uri: http::Uri = "http://127.0.0.1:80/".parse().unwrap();
        assert_eq!(host_of(&uri).unwrap(), "127.0.0.1");
        let uri: http::Uri = "https://h:8443/".parse().unwrap();
        assert_eq!(host_of(&uri).unwrap(), "h:8443");
    }
}

#[cfg(test)]
mod against_aws_sigv4;
#[cfg(test)]
mod against_botocore;
