//! The state directory's format version, the header lines that carry it, and the migration of
//! records written by older versions.
//!
//! Versions:
//! - 1: signing key, pools, app clients, users (with devices), refresh and access tokens.
//! - 2: groups; users carry the names of their groups (`groups`).
//! - 3: user pool domains, resource servers and OAuth grants (new tables; nothing to migrate).
//! - 4: pool and client settings in the model's shapes (`config`, was the raw request members
//!   `echo`), client secrets as a list (`secrets`, was `secret`), what a pool holds besides
//!   users (`resource`), and the lockout guard (`lockout`, `code`).
//! - 5: identity pools (with their roles), identities, rotated-out refresh tokens and revoked
//!   token families (new tables; nothing to migrate: a format-4 state had none of them).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format this build writes.
pub const FORMAT: u32 = 5;

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
            3 => from_3_to_4(table, &mut v),
            4 => {}
            _ => return Err(format!("no migration from state format {at}")),
        }
        at += 1;
    }
    Ok(Some(v.to_string()))
}

/// Format 2 added groups: users of format 1 are in none.
fn from_1_to_2(table: &str, v: &mut Value) {
    if table == super::tables::USER {
        if let Some(user) = v.as_object_mut() {
            user.entry("groups")
                .or_insert_with(|| Value::Array(Vec::new()));
        }
    }
}

/// Format 4 keeps pool and client settings in the model's shapes: the members of `echo` that
/// fit them become `config` (one that does not, which older versions echoed without checking,
/// is dropped with a warning naming it), and a client's `secret` becomes its first `secrets`.
fn from_3_to_4(table: &str, v: &mut Value) {
    let Some(record) = v.as_object_mut() else {
        return;
    };
    let fits = |member: &str, value: &Value| -> bool {
        let one = Value::Object([(member.to_owned(), value.clone())].into_iter().collect());
        match table {
            super::tables::POOL => serde_json::from_value::<crate::store::PoolConfig>(one).is_ok(),
            _ => serde_json::from_value::<crate::store::ClientConfig>(one).is_ok(),
        }
    };
    if table == super::tables::POOL || table == super::tables::CLIENT {
        if let Some(Value::Object(echo)) = record.remove("echo") {
            let mut config = serde_json::Map::new();
            for (member, value) in echo {
                if fits(&member, &value) {
                    config.insert(member, value);
                } else {
                    eprintln!(
                        "cognito-emulator: state format 3 -> 4: dropped {table} setting {member}, which does not have the model's shape"
                    );
                }
            }
            record.insert("config".into(), Value::Object(config));
        }
    }
    if table == super::tables::CLIENT {
        if let Some(secret) = record.remove("secret") {
            let secrets = match secret {
                Value::String(value) => {
                    let id = record
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    let created = record.get("created").cloned().unwrap_or(Value::from(0));
                    vec![
                        serde_json::json!({"id": format!("{id}--1"), "value": value, "created": created}),
                    ]
                }
                _ => Vec::new(),
            };
            record.insert("secrets".into(), Value::Array(secrets));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_3_settings_and_secrets_migrate() {
        let client = r#"{"id":"c1","name":"n","secret":"s3cr3t","explicit_flows":[],"prevent_user_existence_errors":false,"access_validity_secs":3600,"id_validity_secs":3600,"refresh_validity_secs":86400,"session_validity_secs":180,"created":5,"echo":{"CallbackURLs":["https://a/cb"],"EnableTokenRevocation":"yes"}}"#;
        let out = migrate(3, super::super::tables::CLIENT, Some(client))
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["secrets"][0]["value"], "s3cr3t");
        assert_eq!(v["secrets"][0]["created"], 5);
        assert_eq!(v["config"]["CallbackURLs"][0], "https://a/cb");
        // A value of the wrong shape is dropped, not kept to fail later.
        assert!(v["config"].get("EnableTokenRevocation").is_none());
        let c: crate::store::AppClient = serde_json::from_str(&out).unwrap();
        assert!(c.secret_matches("s3cr3t"));
    }
}
