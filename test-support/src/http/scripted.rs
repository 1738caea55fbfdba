//! A tiny HTTP/1.1 server on a real 127.0.0.1 socket whose answer to each request is scripted:
//! JSON, raw bytes, a reset, a stall, a short body, an endless or trickling one. It records
//! every request it reads.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        /// No Content-Length: the body ends when the connection closes.
        close_delimited: bool,
    },
    /// Reset the connection (SO_LINGER 0) without answering.
    Reset,
    /// Read the request, then never answer.
    Stall,
    /// Send the head with `Content-Length: declared_len` and only `body` (shorter), then reset
    /// the connection (`reset`) or hold it open without sending more.
    Partial {
        status: u16,
        declared_len: usize,
        body: Vec<u8>,
        reset: bool,
    },
    /// A close-delimited body that never ends: 64 KiB chunks until the client hangs up.
    Endless { status: u16 },
    /// The whole body, one byte every `every`.
    Trickle {
        status: u16,
        body: Vec<u8>,
        every: Duration,
    },
}

pub fn json(status: u16, body: &str) -> Action {
    Action::Respond {
        status,
        headers: vec![
            ("content-type".into(), "application/x-amz-json-1.1".into()),
            ("x-amzn-requestid".into(), "req-1234".into()),
        ],
        body: body.as_bytes().to_vec(),
        close_delimited: false,
    }
}

pub fn with_header(action: Action, name: &str, value: &str) -> Action {
    match action {
        Action::Respond {
            status,
            mut headers,
            body,
            close_delimited,
        } => {
            headers.push((name.into(), value.into()));
            Action::Respond {
                status,
                headers,
                body,
                close_delimited,
            }
        }
        other => other,
    }
}

pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Action {
    Action::Respond {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.to_vec(),
        close_delimited: false,
    }
}

type Script = Arc<dyn Fn(usize, &Recorded) -> Action + Send + Sync>;

pub struct TestServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Start a server; `script(n, request)` decides the answer to the n-th request (0-based).
    pub async fn start(
        script: impl Fn(usize, &Recorded) -> Action + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let recorded = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = script.clone();
                let recorded = recorded.clone();
                tokio::spawn(serve_connection(stream, script, recorded));
            }
        });
        TestServer {
            url: format!("http://{addr}"),
            requests,
        }
    }

    /// A server answering every request the same way.
    pub async fn always(action: Action) -> Self {
        TestServer::start(move |_, _| action.clone()).await
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    script: Script,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) {
    let mut buf = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buf).await else {
            return;
        };
        let n = {
            let mut all = recorded.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        match script(n, &request) {
            Action::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
            Action::Stall => {
                tokio::time::sleep(Duration::from_secs(600)).await;
                return;
            }
            Action::Partial {
                status,
                declared_len,
                body,
                reset,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\n\
                     content-length: {declared_len}\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.flush().await;
                if reset {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let _ = stream.set_zero_linger();
                } else {
                    tokio::time::sleep(Duration::from_secs(600)).await;
                }
                return;
            }
            Action::Endless { status } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\n\
                     connection: close\r\n\r\n{{\"Value\":\""
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let chunk = vec![b'x'; 64 * 1024];
                while stream.write_all(&chunk).await.is_ok() {}
                return;
            }
            Action::Trickle {
                status,
                body,
                every,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\n\
                     content-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                for b in body {
                    tokio::time::sleep(every).await;
                    if stream.write_all(&[b]).await.is_err() {
                        return;
                    }
                }
            }
            Action::Respond {
                status,
                headers,
                body,
                close_delimited,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\n");
                for (k, v) in &headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                if close_delimited {
                    head.push_str("connection: close\r\n\r\n");
                } else {
                    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                }
                let mut out = head.into_bytes();
                out.extend_from_slice(&body);
                if stream.write_all(&out).await.is_err() {
                    return;
                }
                if close_delimited {
                    let _ = stream.shutdown().await;
                    return;
                }
            }
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}
