//! `cognito-emulator [--port N] [--host ADDR] [--state DIR]`: serves on ADDR:N (default
//! 127.0.0.1:9229; port 0 = any free port) and prints `listening on http://ADDR:N` as its first
//! stdout line once it accepts connections.

#![forbid(unsafe_code)]

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cognito-emulator [--port N] [--host ADDR] [--state DIR]

  --port N      port to listen on (default 9229; 0 = any free port)
  --host ADDR   address to bind (default 127.0.0.1; anything else is reachable from
                other machines and prints a warning)
  --state DIR   keep pools, clients, users, tokens and the signing key in DIR across
                restarts (created if missing); without it everything is in memory
  --seed FILE   create what a YAML or JSON seed file describes (pools, app clients with
                pinned ids and secrets, groups, users, trigger endpoints); applying it
                again changes nothing
  --trigger ARN=URL
                run the Lambda function ARN (as a pool's LambdaConfig names it) at the
                HTTP endpoint URL: Cognito's trigger event is POSTed there and the event
                it returns is used (repeat for each function)
  --request-log FORMAT
                json (default): one JSON line per request on standard error (operation,
                status, error type, latency; never bodies or headers); off: none
  --state-compact-bytes N
                fold the state's log into a new snapshot once it is N bytes long
                (default 67108864)";

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

#[derive(Debug)]
struct Args {
    port: u16,
    host: IpAddr,
    state: Option<PathBuf>,
    compact_above: Option<u64>,
    request_log: bool,
    triggers: Vec<(String, String)>,
    seed: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        port: 9229,
        host: IpAddr::from([127, 0, 0, 1]),
        state: None,
        compact_above: None,
        request_log: true,
        triggers: Vec::new(),
        seed: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => {
                let v = value()?;
                out.port = v
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--host" => {
                let v = value()?;
                out.host = match v.as_str() {
                    "localhost" => IpAddr::from([127, 0, 0, 1]),
                    _ => v
                        .parse()
                        .map_err(|_| format!("--host: not an IP address: {v}"))?,
                };
            }
            "--state" => out.state = Some(PathBuf::from(value()?)),
            "--seed" => out.seed = Some(PathBuf::from(value()?)),
            "--trigger" => {
                let v = value()?;
                let (arn, url) = v
                    .split_once('=')
                    .filter(|(a, u)| a.starts_with("arn:") && u.starts_with("http://"))
                    .ok_or_else(|| format!("--trigger: ARN=http://HOST:PORT/PATH, not {v}"))?;
                out.triggers.push((arn.to_owned(), url.to_owned()));
            }
            "--request-log" => {
                out.request_log = match value()?.as_str() {
                    "json" => true,
                    "off" => false,
                    other => return Err(format!("--request-log: json or off, not {other}")),
                }
            }
            "--state-compact-bytes" => {
                let v = value()?;
                out.compact_above = Some(
                    v.parse()
                        .map_err(|_| format!("--state-compact-bytes: not a number: {v}"))?,
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Some(out))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => return usage(),
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return usage();
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cognito-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> ExitCode {
    if args.state.is_none() {
        if let Err(e) = cognito_emulator::warm_up_signing_key() {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(warning) = bind_warning(args.host) {
        eprintln!("cognito-emulator: warning: {warning}");
    }
    let mut options = cognito_emulator::Options::default().request_log(args.request_log);
    if let Some(dir) = &args.state {
        options = options.state_dir(dir);
    }
    if let Some(file) = &args.seed {
        options = options.seed(file);
    }
    for (arn, url) in &args.triggers {
        options = options.trigger(arn, url);
    }
    if let Some(bytes) = args.compact_above {
        options = options.compact_above_bytes(bytes);
    }
    let addr = std::net::SocketAddr::new(args.host, args.port).to_string();
    let emu = match cognito_emulator::Emulator::start_with(&addr, options).await {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("cognito-emulator: cannot start on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let (Some(dir), Some(r)) = (&args.state, emu.load_report()) {
        let how = if r.created { "created" } else { "loaded" };
        eprintln!(
            "cognito-emulator: state {how} in {}: {} pools, {} users, {} records in {} ms{}",
            dir.display(),
            r.pools,
            r.users,
            r.records,
            r.millis,
            match r.migrated_from {
                Some(v) => format!(" (migrated from format {v})"),
                None => String::new(),
            }
        );
    }
    if let Some(r) = emu.seed_report() {
        eprintln!(
            "cognito-emulator: seed applied: {} pools, {} clients, {} groups, {} users created, {} updated",
            r.pools, r.clients, r.groups, r.users_created, r.users_updated
        );
    }
    // Handlers first, so a signal right after the announcement is not missed.
    let stop = StopSignal::install();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", emu.endpoint_url());
    let _ = out.flush();
    drop(out);
    stop.wait().await;
    emu.shutdown().await;
    ExitCode::SUCCESS
}

/// Binding anything but a loopback address exposes an emulator that takes any credentials.
fn bind_warning(host: IpAddr) -> Option<String> {
    (!host.is_loopback()).then(|| {
        format!("listening on {host} makes this emulator (which accepts any credentials) reachable from other machines")
    })
}

/// Ctrl-C, or SIGTERM where there is one.
struct StopSignal {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl StopSignal {
    fn install() -> Self {
        StopSignal {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some(mut term) = self.term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_and_the_warning_for_non_loopback_hosts() {
        let a = args(&["--port", "0", "--host", "::1", "--state=/tmp/x"])
            .unwrap()
            .unwrap();
        assert_eq!(a.port, 0);
        assert!(a.host.is_loopback());
        assert_eq!(a.state.as_deref(), Some(std::path::Path::new("/tmp/x")));
        assert!(a.request_log);
        let a = args(&["--host", "localhost", "--request-log", "off"])
            .unwrap()
            .unwrap();
        assert_eq!(a.host, IpAddr::from([127, 0, 0, 1]));
        assert!(!a.request_log);
        assert!(args(&["--host", "example.com"])
            .unwrap_err()
            .contains("not an IP"));
        assert!(args(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(args(&["--bogus"]).unwrap_err().contains("unknown argument"));
        let a = args(&[
            "--trigger",
            "arn:aws:lambda:us-east-1:1:function:f=http://127.0.0.1:9/x?a=b",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            a.triggers,
            [(
                "arn:aws:lambda:us-east-1:1:function:f".to_owned(),
                "http://127.0.0.1:9/x?a=b".to_owned()
            )]
        );
        assert!(args(&["--trigger", "nonsense"])
            .unwrap_err()
            .contains("ARN=http"));
        assert!(args(&["--help"]).unwrap().is_none());
        assert!(bind_warning(IpAddr::from([127, 0, 0, 2])).is_none());
        assert!(bind_warning("::1".parse().unwrap()).is_none());
        let w = bind_warning(IpAddr::from([0, 0, 0, 0])).unwrap();
        assert!(w.contains("0.0.0.0") && w.contains("other machines"), "{w}");
    }
}
