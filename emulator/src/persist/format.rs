//! The state directory's format version, the header lines that carry it, and the migration of
//! records written by older versions.
//!
//! Versions:
//! - 1: signing key, pools, app clients, users (with devices), refresh and access tokens.
//! - 2: groups; users carry the names of their groups (`groups`).
//! - 3: user pool domains, resource servers and OAuth grants (new tables; nothing to migrate).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format this build writes.
pub const FORMAT: u32 = 3;

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

/// Brings a record written in `format` to the current format (`Some(json)` when it changed),
/// one version step at a time.
pub fn migrate(format: u32, table: &str, value: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = value else {
        return Ok(None);
    };
    if format >= FORMAT {
        return Ok(None);
    }
    let mut v: Value = serde_json::from_str(text).map_err(|e| format!("{table} record: {e}"))?;
    let mut at = format;
    while at < FORMAT {
        match at {
            1 => from_1_to_2(table, &mut v),
            2 => {}
            _ => return Err(format!("no migration from state format {at}")),
        }
        at += 1;
    }
    Ok(Some(v.to_string()))
}

/// Format 2 added groups: users of format 1 are in none.
fn from_1_to_2(table: &str, v: &mut Value) {
    if table == super::records::USER {
        if let Some(user) = v.as_object_mut() {
            user.entry("groups")
                .or_insert_with(|| Value::Array(Vec::new()));
        }
    }
}
