//! The emulator under test: in-process ([`start`]), as a child process ([`EmulatorProcess`]),
//! and set up through its wire API ([`wire`], [`in_process`]) where a test wants the exact JSON
//! a client sends.

pub mod in_process;
mod process;
pub mod wire;

pub use process::EmulatorProcess;

use cognito_emulator::Emulator;

/// The emulator in this process on a free port of 127.0.0.1.
pub async fn start() -> Emulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("start the emulator")
}
