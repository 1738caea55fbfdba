//! How to run an emulator: the state directory, the request log, trigger URLs, a seed file.

use std::path::PathBuf;

/// How to run an emulator; `Options::default()` is what `Emulator::start` uses.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// Keep the state in this directory across restarts (`--state DIR`); in memory if None.
    pub state_dir: Option<PathBuf>,
    /// Fold the state's log into a new snapshot once it is this long (default 64 MiB).
    pub compact_above_bytes: Option<u64>,
    /// Log each request as a JSON line on standard error (`--request-log json`).
    pub request_log: bool,
    /// Lambda ARN -> the URL of the HTTP endpoint that runs it (`--trigger ARN=URL`).
    pub triggers: Vec<(String, String)>,
    /// A seed file (YAML or JSON) applied at start (`--seed FILE`).
    pub seed: Option<PathBuf>,
}

impl Options {
    /// Serves the Lambda function `arn` (named in a pool's LambdaConfig) at `url`.
    pub fn trigger(mut self, arn: impl Into<String>, url: impl Into<String>) -> Self {
        self.triggers.push((arn.into(), url.into()));
        self
    }

    pub fn seed(mut self, file: impl Into<PathBuf>) -> Self {
        self.seed = Some(file.into());
        self
    }

    pub fn request_log(mut self, on: bool) -> Self {
        self.request_log = on;
        self
    }

    pub fn compact_above_bytes(mut self, bytes: u64) -> Self {
        self.compact_above_bytes = Some(bytes);
        self
    }

    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(dir.into());
        self
    }
}
