//! Cross-check tool: one JSON object per line on stdin,
//! `{"pool_name","user_id","password","a","srp_b","salt","secret_block","timestamp"}`
//! (a, srp_b, salt as hex; pool_name used as given, so device vectors pass the group key),
//! one JSON line per input on stdout: `{"srp_a","key","signature"}` or `{"error"}`.
//!
//! Also `{"kind":"device_verifier","device_group_key","device_key","device_password","salt"}`
//! (salt as hex bytes, read as an unsigned integer) → `{"salt","password_verifier"}`: the
//! base64 DeviceSecretVerifierConfig values ConfirmDevice sends.

use std::io::{self, BufRead, Write};

use serde_json::{json, Value};
use srp_core::{DeviceRegistration, PasswordVerifierChallenge, SrpClient, Timestamp};

fn field<'a>(input: &'a Value, name: &str) -> Result<&'a str, String> {
    input
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field `{name}`"))
}

fn hex_bytes(name: &str, text: &str) -> Result<Vec<u8>, String> {
    let padded = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| {
            padded
                .get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("`{name}` is not hex"))
        })
        .collect()
}

fn device_verifier(input: &Value) -> Result<Value, String> {
    let salt = hex_bytes("salt", field(input, "salt")?)?;
    let registration = DeviceRegistration::from_known_values(
        field(input, "device_group_key")?,
        field(input, "device_key")?,
        field(input, "device_password")?,
        &salt,
    )
    .map_err(|e| e.to_string())?;
    Ok(json!({
        "salt": registration.salt(),
        "password_verifier": registration.password_verifier(),
    }))
}

fn process(line: &str) -> Result<Value, String> {
    let input: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    if input.get("kind").and_then(Value::as_str) == Some("device_verifier") {
        return device_verifier(&input);
    }
    let a = hex_bytes("a", field(&input, "a")?)?;
    let client = SrpClient::from_known_ephemeral(&a).map_err(|e| e.to_string())?;
    let pool_name = field(&input, "pool_name")?;
    let user_id = field(&input, "user_id")?;
    let password = field(&input, "password")?;
    let salt = field(&input, "salt")?;
    let srp_b = field(&input, "srp_b")?;
    let timestamp = Timestamp::parse(field(&input, "timestamp")?).map_err(|e| e.to_string())?;
    let challenge = PasswordVerifierChallenge {
        salt,
        srp_b,
        secret_block: field(&input, "secret_block")?,
    };
    let key = client
        .session_key(pool_name, user_id, password, salt, srp_b)
        .map_err(|e| e.to_string())?;
    let claim = client
        .user_password_claim(pool_name, user_id, password, &challenge, &timestamp)
        .map_err(|e| e.to_string())?;
    let key_hex: String = key.expose().iter().map(|b| format!("{b:02x}")).collect();
    Ok(json!({ "srp_a": client.srp_a(), "key": key_hex, "signature": claim.signature }))
}

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                eprintln!("vectors: cannot read stdin: {e}");
                std::process::exit(1);
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let result = process(&line).unwrap_or_else(|error| json!({ "error": error }));
        if writeln!(out, "{result}").is_err() {
            std::process::exit(1);
        }
    }
}
