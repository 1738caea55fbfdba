//! The real peers the tests compare against, installed into the git-ignored `.peers/` by the
//! repository's scripts, and the processes and folders tests start and clean up. A test that
//! needs a peer installs it or fails loudly; it never skips.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The workspace root (this crate's parent folder).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("test-support/ has a parent")
        .to_path_buf()
}

/// A free TCP port on 127.0.0.1 (free when asked; bind it soon).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn peers_sh(args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/peers.sh"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("cannot run scripts/peers.sh")
}

/// Installs the Python peers (moto, boto3, pycognito; idempotent) and returns the venv's
/// python.
pub fn peers_python() -> PathBuf {
    let install = peers_sh(&["install"]);
    assert!(
        install.status.success(),
        "scripts/peers.sh install failed: the python peers (moto, boto3, pycognito) are \
         required:\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let py = repo_root().join(".peers/venv/bin/python");
    assert!(py.exists(), "peer python missing at .peers/venv/bin/python");
    py
}

/// Installs amazon-cognito-identity-js (and pycognito) with `scripts/install-peers.sh srp` and
/// returns the node_modules folder.
pub fn node_modules() -> PathBuf {
    let root = repo_root();
    let ok = Command::new("bash")
        .arg(root.join("scripts/install-peers.sh"))
        .arg("srp")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "scripts/install-peers.sh srp failed: amazon-cognito-identity-js is required"
    );
    let nm = root.join(".peers/node/node_modules");
    assert!(
        nm.join("amazon-cognito-identity-js").exists(),
        "amazon-cognito-identity-js missing under .peers/node/node_modules"
    );
    nm
}

/// Runs a peer program; returns its stdout, panicking with its stderr when it fails.
pub fn run(program: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run peer");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{} {:?} failed:\nstdout:\n{}\nstderr:\n{}",
        program.display(),
        args,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

struct MotoState {
    users: usize,
    port: u16,
}

static MOTO: Mutex<MotoState> = Mutex::new(MotoState { users: 0, port: 0 });

/// A running moto_server (through `scripts/peers.sh`, which keeps one per checkout), shared
/// by the tests of one binary that run at the same time and stopped when the last of them
/// drops its guard. Starting is serialised, so two tests never start two servers.
pub struct Moto {
    port: u16,
    /// Held by [`Moto::fresh`] for the whole test.
    _alone: Option<MutexGuard<'static, ()>>,
}

static ALONE: Mutex<()> = Mutex::new(());

impl Moto {
    /// Starts moto (installing it first if needed); waits up to three minutes for another test
    /// binary of this checkout to release its server rather than touching it.
    pub fn start() -> Moto {
        let mut state = MOTO.lock().unwrap_or_else(|e| e.into_inner());
        if state.users == 0 {
            peers_python();
            let deadline = Instant::now() + Duration::from_secs(180);
            state.port = loop {
                let port = free_port();
                let out = peers_sh(&["moto-start", &port.to_string()]);
                if out.status.success() {
                    break port;
                }
                let err = String::from_utf8_lossy(&out.stderr).into_owned();
                if err.contains("already running") && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(500));
                    continue;
                }
                panic!("`scripts/peers.sh moto-start {port}` failed:\n{err}");
            };
        }
        state.users += 1;
        Moto {
            port: state.port,
            _alone: None,
        }
    }

    /// A server of this test's own, started for it and stopped after it: for tests that compare
    /// whole listings with another server. The tests of a binary that ask for one take turns
    /// (don't mix with [`Moto::start`] in one binary).
    pub fn fresh() -> Moto {
        let alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
        let mut moto = Moto::start();
        moto._alone = Some(alone);
        moto
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let mut state = MOTO.lock().unwrap_or_else(|e| e.into_inner());
        state.users -= 1;
        if state.users == 0 {
            let out = peers_sh(&["moto-stop"]);
            if !out.status.success() {
                eprintln!("moto-stop failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
}

/// A fresh directory under the system's temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `<tmp>/<prefix>-<random>`.
    pub fn new(prefix: &str) -> Self {
        let mut bytes = [0u8; 6];
        getrandom::getrandom(&mut bytes).expect("random");
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dir = std::env::temp_dir().join(format!("{prefix}-{suffix}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The path as a command-line argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
