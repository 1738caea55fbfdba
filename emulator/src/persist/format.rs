//! The state directory's format version, the header lines that carry it, and the migration of
//! records written by older versions.
//!
//! Versions:
//! - 1: signing key, pools, app clients, users (with devices), refresh and access tokens.

use serde::{Deserialize, Serialize};

/// The format this build writes.
pub const FORMAT: u32 = 1;

/// The first line of the snapshot: its format, and the log generation that continues it.
#[derive(Serialize, Deserialize)]
pub struct SnapshotHeader {
    #[serde(rename = "cognito-emulator-state")]
    pub format: u32,
    pub log: u64,
}

/// The first line of a log file.
#[derive(Serialize, Deserialize)]
pub struct LogHeader {
    #[serde(rename = "cognito-emulator-log")]
    pub format: u32,
}

/// Refuses a format this build cannot read.
pub fn check(format: u32, file: &std::path::Path) -> Result<(), String> {
    if format > FORMAT {
        return Err(format!(
            "{} was written in state format {format} by a newer cognito-emulator; this one reads formats up to {FORMAT}. Use a newer cognito-emulator, or another --state directory.",
            file.display()
        ));
    }
    if format == 0 {
        return Err(format!("{}: state format 0 does not exist", file.display()));
    }
    Ok(())
}

/// Brings a record written in `format` to the current format (`Some(json)` when it changed).
pub fn migrate(format: u32, _table: &str, _value: Option<&str>) -> Result<Option<String>, String> {
    if format == FORMAT {
        return Ok(None);
    }
    Ok(None)
}
