//! Prints the import cycles of the crates whose root files are named on the command line:
//! `cargo run -p workspace-checks --example cycles -- emulator/src/lib.rs generated/src/lib.rs`.
//! (The test `module_cycles` checks every target of the workspace; this shows one crate's.)

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut found = false;
    for root in std::env::args().skip(1) {
        match workspace_checks::crate_cycles(Path::new(&root)) {
            Ok(cycles) => {
                for cycle in cycles {
                    found = true;
                    print!("{root}: {cycle}");
                }
            }
            Err(e) => {
                eprintln!("{root}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if found {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
