//! Endpoint URLs: absolute `http`/`https` URLs checked on `http::Uri` (which splits them by RFC
//! 3986), with what `http::Uri` leaves open decided here: the scheme, a host name or IP
//! address, a port that fits 16 bits, no user info. The scheme and host are lower-cased and a
//! default port is dropped, so the request URL and the `host` header are the same for every
//! way of writing one endpoint.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A parsed endpoint URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EndpointUrl {
    scheme: &'static str,
    /// Lower-cased; an IPv6 address keeps its brackets.
    host: String,
    /// Only when it is not the scheme's default.
    port: Option<u16>,
    /// As written; empty when the URL has none.
    path: String,
    query: Option<String>,
}

impl EndpointUrl {
    /// Parse `text`; the error says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        if !text.contains("://") {
            return Err("not an absolute URL (`scheme://host`)".into());
        }
        let uri: http::Uri = text.parse().map_err(|e| format!("not a URL: {e}"))?;
        let scheme = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => "https",
            Some(s) if s.eq_ignore_ascii_case("http") => "http",
            _ => return Err("the scheme must be http or https".into()),
        };
        let authority = uri.authority().ok_or("no host")?.as_str();
        if authority.contains('@') {
            return Err("credentials in the URL are not allowed".into());
        }
        let (host, port_text) = split_host_port(authority)?;
        check_host(host)?;
        let port = match port_text {
            None => None,
            Some(p) => Some(parse_port(p)?),
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let (path, query) = match uri.path_and_query() {
            Some(pq) => (pq.path().to_owned(), pq.query().map(str::to_owned)),
            None => (String::new(), None),
        };
        // `http::Uri` reports `/` for an empty path; keep what was written.
        let path = if path == "/" && !written_path_is_slash(text, authority) {
            String::new()
        } else {
            path
        };
        Ok(EndpointUrl {
            scheme,
            host: host.to_ascii_lowercase(),
            port: port.filter(|p| *p != default_port),
            path,
            query,
        })
    }

    /// Whether the host is an IPv6 address or a dotted-quad IPv4 address.
    pub(crate) fn host_is_ip(&self) -> bool {
        self.host.starts_with('[') || self.host.parse::<Ipv4Addr>().is_ok()
    }

    /// Make the path end with `/` (`https://host/custom` -> `/custom/`, no path -> `/`).
    pub(crate) fn ensure_trailing_slash(&mut self) {
        if !self.path.ends_with('/') {
            self.path.push('/');
        }
    }

    /// The `host` header's value: the host, and the port when it is not the default one.
    pub(crate) fn host_header(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.clone(),
        }
    }

    /// Put a host prefix in front of the host. An IP address has no name to prefix: it is left
    /// as it is (a local test server), as is an empty prefix.
    pub(crate) fn prefix_host(&mut self, prefix: &str) -> Result<(), String> {
        if prefix.is_empty() || self.host_is_ip() {
            return Ok(());
        }
        let prefixed = format!("{prefix}{}", self.host);
        check_host(&prefixed)
            .map_err(|e| format!("host prefix `{prefix}` does not make a host name: {e}"))?;
        self.host = prefixed.to_ascii_lowercase();
        Ok(())
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host_header())?;
        if self.path.is_empty() {
            f.write_str("/")?;
        } else {
            f.write_str(&self.path)?;
        }
        if let Some(q) = &self.query {
            write!(f, "?{q}")?;
        }
        Ok(())
    }
}

/// `host[:port]` or `[v6][:port]`.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    if authority.starts_with('[') {
        let end = authority.find(']').ok_or("an IPv6 address without `]`")?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if rest.is_empty() => Ok((host, None)),
            None => Err(format!("unexpected `{rest}` after the host")),
        };
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn parse_port(text: &str) -> Result<u16, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the port `{text}` is not a number"));
    }
    text.parse::<u16>()
        .map_err(|_| format!("the port `{text}` is out of range (at most 65535)"))
}

/// A host name (ASCII letters, digits, `-`, `_`, `.`; IDNs in their `xn--` form), a dotted
/// IPv4 address, or an IPv6 address in brackets.
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("no host".into());
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or("an IPv6 address without `]`")?;
        return inner
            .parse::<Ipv6Addr>()
            .map(drop)
            .map_err(|_| format!("`{inner}` is not an IPv6 address"));
    }
    let name_ok = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !host.starts_with('.')
        && !host.contains("..");
    if name_ok {
        Ok(())
    } else {
        Err(format!(
            "`{host}` is not a host name (ASCII letters, digits, `-`, `.`; IDNs in xn-- form)"
        ))
    }
}

/// Whether the text after the authority starts with `/` (`http::Uri` shows `/` either way).
fn written_path_is_slash(text: &str, authority: &str) -> bool {
    text.split_once("://")
        .and_then(|(_, rest)| rest.get(authority.len()..))
        .is_some_and(|after| after.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        EndpointUrl::parse(text).unwrap().to_string()
    }

    #[test]
    fn normal_forms() {
        assert_eq!(shown("https://Example.COM"), "https://example.com/");
        assert_eq!(shown("HTTPS://example.com:443/a"), "https://example.com/a");
        assert_eq!(shown("http://127.0.0.1:80"), "http://127.0.0.1/");
        assert_eq!(
            shown("http://127.0.0.1:8080/x?y=1"),
            "http://127.0.0.1:8080/x?y=1"
        );
        assert_eq!(shown("http://[::1]:9/"), "http://[::1]:9/");
        assert_eq!(shown("https://h.example/a/./b"), "https://h.example/a/./b");
        let u = EndpointUrl::parse("https://h.example:444/base").unwrap();
        assert_eq!(u.host_header(), "h.example:444");
        assert_eq!(u.path, "/base");
        assert_eq!(EndpointUrl::parse("https://h.example").unwrap().path, "");
        assert_eq!(EndpointUrl::parse("https://h.example/").unwrap().path, "/");
    }

    #[test]
    fn refusals_say_why() {
        let mut wrong = Vec::new();
        for (bad, why) in [
            ("ftp://e.com", "scheme"),
            ("e.com", "absolute"),
            ("http:e.com", "absolute"),
            ("https://user@e.com", "credentials"),
            ("https://u:p@e.com", "credentials"),
            ("https://e.com:99999", "out of range"),
            ("https://e.com:port", "not a number"),
            ("https://e.com:", "not a number"),
            ("https://exa mple.com", "not a URL"),
            ("https://[::1", "not a URL"),
            ("https://[::g]", "IPv6"),
            ("https://bücher.example", "not a URL"),
            ("https://a..b", "host name"),
            ("https://a*b.com", "host name"),
            ("http:///path", "not a URL"),
            ("https://", "not a URL"),
        ] {
            match EndpointUrl::parse(bad) {
                Err(e) if e.contains(why) => {}
                other => wrong.push(format!("{bad}: {other:?}")),
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn host_prefixes() {
        let mut u = EndpointUrl::parse("https://cognito-idp.us-east-1.amazonaws.com").unwrap();
        u.prefix_host("data.").unwrap();
        assert_eq!(
            u.to_string(),
            "https://data.cognito-idp.us-east-1.amazonaws.com/"
        );
        let mut ip = EndpointUrl::parse("http://127.0.0.1:9").unwrap();
        ip.prefix_host("data.").unwrap();
        assert_eq!(ip.host_header(), "127.0.0.1:9");
        assert!(u.prefix_host("bad prefix.").is_err());
        assert!(ip.host_is_ip());
        assert!(EndpointUrl::parse("http://[fe80::1]").unwrap().host_is_ip());
        assert!(!EndpointUrl::parse("http://127.1").unwrap().host_is_ip());
    }
}
