//! `cognito-emulator [--port N]`: serves on 127.0.0.1:N (0 = any free port) and prints
//! `listening on http://127.0.0.1:N` as its first stdout line once it accepts connections.

#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: cognito-emulator [--port N]   (0 = any free port; default 9229)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut port: u16 = 9229;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" | "-p" => args.next(),
            "--help" | "-h" => return usage(),
            other => match other.strip_prefix("--port=") {
                Some(v) => Some(v.to_owned()),
                None => {
                    eprintln!("cognito-emulator: unknown argument {other}");
                    return usage();
                }
            },
        };
        match value.as_deref().map(str::parse::<u16>) {
            Some(Ok(p)) => port = p,
            _ => return usage(),
        }
    }
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
    runtime.block_on(async move {
        if let Err(e) = cognito_emulator::warm_up_signing_key() {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::FAILURE;
        }
        let emu = match cognito_emulator::Emulator::start(&format!("127.0.0.1:{port}")).await {
            Ok(emu) => emu,
            Err(e) => {
                eprintln!("cognito-emulator: cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Handlers first, so a signal right after the announcement is not missed.
        let stop = StopSignal::install();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emu.endpoint_url());
        let _ = out.flush();
        drop(out);
        stop.wait().await;
        emu.shutdown().await;
        ExitCode::SUCCESS
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
