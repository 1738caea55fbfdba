//! A JWKS server on 127.0.0.1 that counts requests and can misbehave: delay, hang, fail,
//! send too much. Also serves as an HTTP proxy (it answers absolute-form requests the same).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server answers.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// 200 with this body (and a Content-Length), after the delay.
    Serve { body: String, delay: Duration },
    /// Accepts, reads the request, never answers.
    Hang,
    /// This status, empty body.
    Status(u16),
    /// 200 chunked, no Content-Length, this many bytes of JSON-ish filler.
    Stream(usize),
    /// 200 with a Content-Length of this many bytes (sent in full).
    Large(usize),
}

pub struct JwksServer {
    pub url: String,
    pub addr: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    lines: Arc<Mutex<Vec<String>>>,
    behaviour: Arc<Mutex<Behaviour>>,
    task: JoinHandle<()>,
}

impl JwksServer {
    pub async fn start(behaviour: Behaviour) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(Mutex::new(behaviour));
        let task = tokio::spawn({
            let (requests, lines, behaviour) = (requests.clone(), lines.clone(), behaviour.clone());
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (requests, lines, behaviour) =
                        (requests.clone(), lines.clone(), behaviour.clone());
                    tokio::spawn(async move {
                        serve(stream, &requests, &lines, &behaviour).await;
                    });
                }
            }
        });
        JwksServer {
            url: format!("http://{addr}/us-east-1_TestPool1/.well-known/jwks.json"),
            addr,
            requests,
            lines,
            behaviour,
            task,
        }
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The request lines received (method, target, version).
    pub fn request_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: &AtomicUsize,
    lines: &Mutex<Vec<String>>,
    behaviour: &Mutex<Behaviour>,
) {
    loop {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
            if head.len() > 64 * 1024 {
                return;
            }
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let text = String::from_utf8_lossy(&head);
        lines
            .lock()
            .unwrap()
            .push(text.lines().next().unwrap_or_default().to_owned());
        let now = behaviour.lock().unwrap().clone();
        let ok = match now {
            Behaviour::Serve { body, delay } => {
                tokio::time::sleep(delay).await;
                write(&mut stream, 200, &body).await
            }
            Behaviour::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                false
            }
            Behaviour::Status(code) => write(&mut stream, code, "").await,
            Behaviour::Stream(total) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 8192];
                let mut sent = 0;
                while sent < total {
                    let frame = format!("{:x}\r\n", chunk.len());
                    if stream.write_all(frame.as_bytes()).await.is_err()
                        || stream.write_all(&chunk).await.is_err()
                        || stream.write_all(b"\r\n").await.is_err()
                    {
                        return;
                    }
                    sent += chunk.len();
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                false
            }
            Behaviour::Large(len) => write(&mut stream, 200, &" ".repeat(len)).await,
        };
        if !ok {
            return;
        }
    }
}

async fn write(stream: &mut TcpStream, status: u16, body: &str) -> bool {
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await.is_ok()
}
