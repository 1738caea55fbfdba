//! The rules engine's functions: the standard library (`substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`) and the AWS ones (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`). URLs are checked by [`EndpointUrl`] (on `http::Uri`);
//! percent-encoding is the `percent-encoding` crate's.

use std::collections::BTreeMap;

use super::partition::partition;
use super::url::EndpointUrl;
use super::value::Value;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `uriEncode` leaves alone: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `substring`: ASCII only; `None` when out of range.
pub(super) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || stop <= start {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let (a, b) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    input.get(a..b).map(str::to_string)
}

/// `uriEncode`: percent-encode (UTF-8, upper-case hex) everything but the unreserved characters.
pub(super) fn uri_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// `parseURL`: an absolute `http`/`https` URL without query, fragment or user info, as the record
/// `{scheme, authority, path, normalizedPath, isIp}`; `None` for anything else.
///
/// [`EndpointUrl`] decides what is a valid URL (host, port range, IPv6 brackets) and whether
/// the host is an IP address (IPv6, or a dotted-quad IPv4: `127.1` is a name here);
/// `authority` and `path` are the text as written, because the parsed form is normalized (it
/// drops a default port, lower-cases the host) and the rules build endpoints from the text.
pub(super) fn parse_url(s: &str) -> Option<Value> {
    let (scheme, rest) = s.split_once("://")?;
    if !matches!(scheme, "http" | "https") || s.contains(['?', '#']) {
        return None;
    }
    let parsed = EndpointUrl::parse(s).ok()?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let is_ip = parsed.host_is_ip();
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut rec = BTreeMap::new();
    rec.insert("scheme".into(), Value::Str(scheme.into()));
    rec.insert("authority".into(), Value::Str(authority.into()));
    rec.insert("path".into(), Value::Str(path.into()));
    rec.insert("normalizedPath".into(), Value::Str(normalized));
    rec.insert("isIp".into(), Value::Bool(is_ip));
    Some(Value::Record(rec))
}

/// `aws.partition`: the partition record of a region.
pub(super) fn partition_record(region: &str) -> Value {
    let p = partition(region);
    let mut rec = BTreeMap::new();
    rec.insert("name".into(), Value::Str(p.name.into()));
    rec.insert("dnsSuffix".into(), Value::Str(p.dns_suffix.into()));
    rec.insert(
        "dualStackDnsSuffix".into(),
        Value::Str(p.dual_stack_dns_suffix.into()),
    );
    rec.insert("supportsFIPS".into(), Value::Bool(p.supports_fips));
    rec.insert(
        "supportsDualStack".into(),
        Value::Bool(p.supports_dual_stack),
    );
    rec.insert(
        "implicitGlobalRegion".into(),
        Value::Str(p.implicit_global_region.into()),
    );
    Value::Record(rec)
}

/// A valid host label: 1-63 of `A-Za-z0-9-`, starting with a letter or digit; with
/// `allow_subdomains`, dot-separated labels each valid.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    let one = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && label.as_bytes()[0] != b'-'
    };
    if allow_subdomains {
        value.split('.').all(one)
    } else {
        one(value)
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`; resourceId split on `:` and `/`.
pub(super) fn parse_arn(s: &str) -> Option<Value> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let ids = resource
        .split([':', '/'])
        .map(|p| Value::Str(p.to_string()))
        .collect();
    let mut rec = BTreeMap::new();
    rec.insert("partition".into(), Value::Str(partition.into()));
    rec.insert("service".into(), Value::Str(service.into()));
    rec.insert("region".into(), Value::Str(region.into()));
    rec.insert("accountId".into(), Value::Str(account.into()));
    rec.insert("resourceId".into(), Value::Array(ids));
    Some(Value::Record(rec))
}

pub(super) fn is_virtual_hostable_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let label_ok = |l: &str| {
        (3..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && l.as_bytes()[0] != b'-'
            && !l.ends_with('-')
    };
    let plain = |l: &str| {
        is_valid_host_label(l, false)
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return false;
    }
    if allow_subdomains {
        (3..=63).contains(&bucket.len()) && bucket.split('.').all(plain)
    } else {
        label_ok(bucket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_record(s: &str) -> Option<Vec<(String, String)>> {
        match parse_url(s)? {
            Value::Record(r) => Some(
                r.into_iter()
                    .map(|(k, v)| {
                        let shown = match v {
                            Value::Str(s) => s,
                            Value::Bool(b) => b.to_string(),
                            other => format!("{other:?}"),
                        };
                        (k, shown)
                    })
                    .collect(),
            ),
            other => panic!("not a record: {other:?}"),
        }
    }

    fn record(
        scheme: &str,
        authority: &str,
        path: &str,
        normalized: &str,
        ip: bool,
    ) -> Vec<(String, String)> {
        let mut r = vec![
            ("authority".to_owned(), authority.to_owned()),
            ("isIp".to_owned(), ip.to_string()),
            ("normalizedPath".to_owned(), normalized.to_owned()),
            ("path".to_owned(), path.to_owned()),
            ("scheme".to_owned(), scheme.to_owned()),
        ];
        r.sort();
        r
    }

    #[test]
    fn parse_url_keeps_the_text_as_written() {
        assert_eq!(
            url_record("https://example.com"),
            Some(record("https", "example.com", "", "/", false))
        );
        // A default port and dot segments stay as written (the parsed form drops the port).
        assert_eq!(
            url_record("https://example.com:443/a/./b"),
            Some(record(
                "https",
                "example.com:443",
                "/a/./b",
                "/a/./b/",
                false
            ))
        );
        assert_eq!(
            url_record("http://127.0.0.1:8000/"),
            Some(record("http", "127.0.0.1:8000", "/", "/", true))
        );
        assert_eq!(
            url_record("http://[fe80::1]:80/x"),
            Some(record("http", "[fe80::1]:80", "/x", "/x/", true))
        );
        // WHATWG reads this as an IPv4 address; written like this it is not an IP.
        assert_eq!(
            url_record("http://127.1").map(|r| r[1].1.clone()),
            Some("false".into())
        );
    }

    #[test]
    fn parse_url_refuses_what_is_not_an_endpoint() {
        for bad in [
            "ftp://e.com",
            "https://e.com/?q=1",
            "https://e.com/?",
            "https://e.com/#top",
            "https://user@e.com",
            "https://u:p@e.com",
            "https://@e.com",
            "http:///path",
            "http:e.com",
            "https://e.com:99999",
            "https://e.com:port",
            "https://exa mple.com",
            "https://[::1",
            "https://",
            "not a url",
        ] {
            assert_eq!(url_record(bad), None, "{bad}");
        }
    }

    #[test]
    fn uri_encode_is_rfc_3986() {
        assert_eq!(uri_encode("a b/c~-_."), "a%20b%2Fc~-_.");
        assert_eq!(uri_encode("ä+%"), "%C3%A4%2B%25");
        assert_eq!(uri_encode(""), "");
    }
}
