//! What the command prints: each step as it happens, the summary, or Cognito's JSON.

use std::time::{Duration, SystemTime};

use cognito_idp::auth::{shorten, AuthEvent, Tokens, UnverifiedClaims};
pub use timefmt::format_time;

/// One line per sign-in step, never with a secret in it.
pub fn describe(event: &AuthEvent) -> String {
    match event {
        AuthEvent::Initiate {
            flow,
            username,
            parameters,
            srp_a,
            device_key,
        } => {
            let mut s = format!("→ InitiateAuth {flow}");
            if let Some(u) = username {
                s.push_str(&format!(" as {u:?}"));
            }
            s.push_str(&format!(" [{}]", parameters.join(", ")));
            if let Some(a) = srp_a {
                s.push_str(&format!("\n    SRP_A = {}", abbreviate(a)));
            }
            if let Some(d) = device_key {
                s.push_str(&format!("\n    DEVICE_KEY = {d}"));
            }
            s
        }
        AuthEvent::Challenge { name, parameters } => {
            let mut s = format!("← challenge {name}");
            for (k, v) in parameters {
                s.push_str(&format!("\n    {k} = {}", abbreviate(v)));
            }
            s
        }
        AuthEvent::PasswordClaim {
            identity,
            timestamp,
        } => format!(
            "  computed the SRP password claim for {identity:?}, signed at TIMESTAMP {timestamp:?}"
        ),
        AuthEvent::Respond {
            challenge,
            username,
            responses,
        } => format!(
            "→ RespondToAuthChallenge {challenge} as {username:?} [{}]",
            responses.join(", ")
        ),
        AuthEvent::DeviceForgotten { device_key } => format!(
            "! the remembered device {device_key} is unknown to Cognito: dropped, retrying without it"
        ),
        AuthEvent::Authenticated {
            expires_in,
            refresh_token,
            new_device,
        } => format!(
            "← tokens: valid for {} s{}{}",
            expires_in.as_secs(),
            if *refresh_token {
                ", with a refresh token"
            } else {
                ""
            },
            if *new_device {
                ", new device created"
            } else {
                ""
            }
        ),
        AuthEvent::DeviceConfirmed {
            device_key,
            remembered,
        } => format!(
            "→ ConfirmDevice {device_key}{}",
            if *remembered {
                " and UpdateDeviceStatus remembered"
            } else {
                ""
            }
        ),
        other => format!("{other:?}"),
    }
}

/// Long public values (SRP_A, SRP_B) shortened for display.
fn abbreviate(value: &str) -> String {
    let n = value.chars().count();
    if n <= 48 {
        value.to_owned()
    } else {
        let head: String = value.chars().take(24).collect();
        format!("{head}… ({n} chars)")
    }
}

/// Cognito's AuthenticationResult fields as one JSON object.
pub fn tokens_json(tokens: &Tokens) -> String {
    let mut m = serde_json::Map::new();
    m.insert(
        "AccessToken".into(),
        tokens.access_token().expose().to_owned().into(),
    );
    if let Some(t) = tokens.id_token() {
        m.insert("IdToken".into(), t.expose().to_owned().into());
    }
    if let Some(t) = tokens.refresh_token() {
        m.insert("RefreshToken".into(), t.expose().to_owned().into());
    }
    m.insert("ExpiresIn".into(), tokens.expires_in().as_secs().into());
    if let Some(t) = tokens.token_type() {
        m.insert("TokenType".into(), t.to_owned().into());
    }
    serde_json::Value::Object(m).to_string()
}

/// A readable summary: who, which flow, expiry, decoded claims, shortened tokens.
pub fn summary(tokens: &Tokens, flow: &str) -> String {
    let who = tokens.username().unwrap_or_else(|| "(unknown user)".into());
    titled_summary(tokens, &format!("Signed in as {who} with {flow}"))
}

/// The summary under another first line (machine-to-machine tokens have no user).
pub fn titled_summary(tokens: &Tokens, title: &str) -> String {
    let mut s = String::new();
    s.push_str(title);
    s.push('\n');
    let expires = tokens.expires_at();
    let left = expires
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    s.push_str(&format!(
        "  tokens expire {} (in {} min)\n",
        format_time(expires),
        left.as_secs() / 60
    ));
    if let Some(claims) = tokens.id_claims_unverified() {
        s.push_str("  ID token claims (decoded, NOT verified):\n");
        push_claims(&mut s, &claims);
    } else if let Some(claims) = tokens.access_claims_unverified() {
        s.push_str("  access token claims (decoded, NOT verified):\n");
        push_claims(&mut s, &claims);
    }
    s.push_str(&format!(
        "  access token:  {}\n",
        shorten(tokens.access_token().expose())
    ));
    if let Some(t) = tokens.id_token() {
        s.push_str(&format!("  id token:      {}\n", shorten(t.expose())));
    }
    if let Some(t) = tokens.refresh_token() {
        s.push_str(&format!("  refresh token: {}\n", shorten(t.expose())));
    }
    s
}

fn push_claims(s: &mut String, claims: &UnverifiedClaims) {
    for (k, v) in claims.as_map() {
        let text = match v {
            serde_json::Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        let text = if matches!(k.as_str(), "exp" | "iat" | "auth_time") {
            v.as_u64()
                .map(|secs| {
                    format!(
                        "{text} ({})",
                        format_time(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
                    )
                })
                .unwrap_or(text)
        } else {
            text
        };
        s.push_str(&format!("    {k}: {text}\n"));
    }
}

/// Credentials as the AWS CLI and SDKs read them from a `credential_process` program:
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}` with the
/// expiry in RFC 3339 UTC.
pub fn credential_process_json(
    credentials: &cognito_idp::runtime::Credentials,
) -> Result<String, crate::Fail> {
    let mut out = serde_json::Map::new();
    out.insert("Version".into(), 1.into());
    out.insert("AccessKeyId".into(), credentials.access_key_id().into());
    out.insert(
        "SecretAccessKey".into(),
        credentials.secret_access_key().into(),
    );
    if let Some(token) = credentials.session_token() {
        out.insert("SessionToken".into(), token.into());
    }
    if let Some(expiry) = credentials.expiry() {
        out.insert("Expiration".into(), timefmt::rfc3339(expiry).into());
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(out))
        .map_err(|e| crate::Fail(format!("cannot encode the credentials: {e}")))
}

/// Times as `YYYY-MM-DD hh:mm:ss UTC`, without any locale.
mod timefmt {
    use std::time::SystemTime;

    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub fn rfc3339(t: SystemTime) -> String {
        format_time(t).replacen(' ', "T", 1).replace(" UTC", "Z")
    }

    pub fn format_time(t: SystemTime) -> String {
        let secs = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
            rem / 3600,
            (rem / 60) % 60,
            rem % 60
        )
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    fn civil_from_days(z: i64) -> (i64, u32, u32) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::time::Duration;

        #[test]
        fn dates() {
            let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_622_249);
            assert_eq!(format_time(t), "2024-03-05 07:04:09 UTC");
            assert_eq!(
                format_time(SystemTime::UNIX_EPOCH),
                "1970-01-01 00:00:00 UTC"
            );
            assert_eq!(rfc3339(t), "2024-03-05T07:04:09Z");
        }
    }
}
