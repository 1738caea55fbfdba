//! The emulator tests' view of the workspace's test-support crate: the raw HTTP client, setup
//! over the wire, the project's own SRP login, the real peers, and the binary under test.
#![allow(unused_imports, dead_code)]

pub use test_support::cognito::{client, map, srp_login, Login, REGION};
pub use test_support::emulator::wire::*;
pub use test_support::emulator::EmulatorProcess;
pub use test_support::http::{get_raw, post_raw, Raw};
pub use test_support::peers::{
    free_port, node_modules, peers_python, repo_root, run, Moto, TempDir,
};

/// The binary cargo built for these tests.
pub const EMULATOR_BIN: &str = env!("CARGO_BIN_EXE_cognito-emulator");
