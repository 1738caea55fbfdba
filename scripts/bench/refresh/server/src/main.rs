//! Listens on 127.0.0.1:PORT (0 = any; prints `listening on http://127.0.0.1:N`), answers each
//! HTTP/1.1 request with the same AuthenticationResult, one thread per keep-alive connection.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

fn token(kind: &str) -> String {
    // JWT-sized opaque strings (~1 KB), like Cognito's.
    format!("eyJraWQiOiJ{kind}.{}.{}", "a".repeat(700), "b".repeat(342))
}

fn serve(stream: TcpStream, body: &[u8]) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    stream.set_nodelay(true)?;
    let mut writer = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut request = vec![0; length];
        reader.read_exact(&mut request)?;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
             x-amzn-requestid: 6f1c2b1e-0000-4000-8000-000000000000\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // One write per response: split writes meet delayed ACKs and stall 40 ms.
        let mut response = head.into_bytes();
        response.extend_from_slice(body);
        writer.write_all(&response)?;
    }
}

fn main() -> std::io::Result<()> {
    let port = std::env::args().nth(1).unwrap_or_else(|| "0".into());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}"))?;
    let body = format!(
        "{{\"AuthenticationResult\":{{\"AccessToken\":\"{}\",\"ExpiresIn\":3600,\"IdToken\":\"{}\",\
         \"TokenType\":\"Bearer\"}},\"ChallengeParameters\":{{}}}}",
        token("access"),
        token("id")
    )
    .into_bytes();
    println!("listening on http://{}", listener.local_addr()?);
    for stream in listener.incoming().flatten() {
        let body = body.clone();
        std::thread::spawn(move || serve(stream, &body));
    }
    Ok(())
}
