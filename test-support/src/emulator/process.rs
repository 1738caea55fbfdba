//! The `cognito-emulator` binary as a child process, for the tests of what only a process
//! has: flags, signals, restarts, its output.

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The emulator binary as a child process; killed (by its own pid) when dropped.
pub struct EmulatorProcess {
    child: Child,
    pub endpoint: String,
}

impl EmulatorProcess {
    /// Starts `binary` (`env!("CARGO_BIN_EXE_cognito-emulator")` in the emulator's tests).
    pub fn start(binary: &str) -> Self {
        Self::start_with(binary, &[])
    }

    /// Starts the binary with `--port 0` and `args`; panics unless it announces its URL.
    pub fn start_with(binary: &str, args: &[&str]) -> Self {
        Self::try_start_with(binary, args).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts the binary; Err with what it printed if it exits instead of announcing its URL.
    pub fn try_start_with(binary: &str, args: &[&str]) -> Result<Self, String> {
        use std::io::BufRead;
        // Request logs only where a test asks for them (`--request-log json`).
        let mut child = Command::new(Path::new(binary))
            .args(["--port", "0", "--request-log", "off"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start cognito-emulator");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let read = std::io::BufReader::new(stdout).read_line(&mut line);
        let mut guard = EmulatorProcess {
            child,
            endpoint: String::new(),
        };
        if read.is_err() || line.is_empty() {
            let status = guard.child.wait().ok();
            return Err(format!(
                "cognito-emulator exited without a first line: {status:?}"
            ));
        }
        guard.endpoint = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Ok(guard)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM (a clean stop), then waits; returns whether it exited successfully.
    pub fn terminate(mut self) -> bool {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(sent, "kill -TERM failed");
        self.child.wait().map(|s| s.success()).unwrap_or(false)
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
