//! The smallest HTTP/1.1 client the triggers need: one POST of a JSON event to an `http://`
//! URL on its own connection, with a deadline; the answer's status and body. Trigger servers
//! are local test servers, so plain HTTP is all there is.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Largest trigger answer read (a Lambda response is capped at 6 MB; a trigger's is tiny).
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

#[derive(Debug)]
pub enum Failure {
    /// The URL is not `http://host:port/path`.
    BadUrl,
    /// Nothing answered, or the connection broke.
    Unreachable(String),
    TimedOut,
    /// Not an HTTP response.
    Garbled,
}

pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

pub fn post_json(url: &str, body: &[u8], timeout: Duration) -> Result<Answer, Failure> {
    let rest = url.strip_prefix("http://").ok_or(Failure::BadUrl)?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(Failure::BadUrl);
    }
    let deadline = Instant::now() + timeout;
    let addr = authority
        .to_socket_addrs()
        .map_err(|_| Failure::BadUrl)?
        .next()
        .ok_or(Failure::BadUrl)?;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::TimedOut,
        _ => Failure::Unreachable(e.to_string()),
    };
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(io)?;
    let _ = stream.set_nodelay(true);
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let left = |deadline: Instant| {
        deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(Failure::TimedOut)
    };
    stream
        .set_write_timeout(Some(left(deadline)?))
        .map_err(io)?;
    stream.write_all(head.as_bytes()).map_err(io)?;
    stream.write_all(body).map_err(io)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        stream.set_read_timeout(Some(left(deadline)?)).map_err(io)?;
        match stream.read(&mut chunk).map_err(io)? {
            0 => break,
            n => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > MAX_RESPONSE_BYTES {
            return Err(Failure::Garbled);
        }
        if let Some(done) = complete(&buf) {
            buf.truncate(done);
            break;
        }
    }
    parse(&buf).ok_or(Failure::Garbled)
}

/// The end of the response once it is all there (by Content-Length), if known.
fn complete(buf: &[u8]) -> Option<usize> {
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..split]).ok()?;
    let length: usize = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse().ok())?
    })?;
    (buf.len() >= split + 4 + length).then_some(split + 4 + length)
}

fn parse(buf: &[u8]) -> Option<Answer> {
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..split]).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")
        })
    });
    let mut body = buf[split + 4..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Answer { status, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..eol]).ok()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let start = eol + 2;
        out.extend_from_slice(data.get(start..start + size)?);
        data = data.get(start + size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_responses() {
        assert!(matches!(
            post_json("https://x/", b"{}", Duration::from_secs(1)),
            Err(Failure::BadUrl)
        ));
        let a = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").unwrap();
        assert_eq!((a.status, a.body.as_slice()), (200, &b"{}"[..]));
        let a = parse(b"HTTP/1.1 500 X\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
            .unwrap();
        assert_eq!((a.status, a.body.as_slice()), (500, &b"{}"[..]));
        assert!(parse(b"garbage").is_none());
        assert_eq!(
            complete(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}xx"),
            Some(40)
        );
        // Nothing listens on port 1.
        assert!(matches!(
            post_json("http://127.0.0.1:1/", b"{}", Duration::from_secs(2)),
            Err(Failure::Unreachable(_))
        ));
    }
}
