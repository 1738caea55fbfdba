//! The process environment and the shared AWS files (`~/.aws/config`, `~/.aws/credentials`)
//! as the configuration and the credentials chain read them: one place that knows variable
//! names, file locations and the INI-style profile format.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Where environment lookups go: the process environment, or a fixed map.
#[derive(Clone)]
pub(crate) enum EnvSource {
    Process,
    Fixed(Arc<HashMap<String, String>>),
}

impl EnvSource {
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        match self {
            EnvSource::Process => std::env::var(name).ok(),
            EnvSource::Fixed(map) => map.get(name).cloned(),
        }
        .filter(|v| !v.trim().is_empty())
    }

    /// Whether any `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_*` variable is set.
    pub(crate) fn has_endpoint_var(&self) -> bool {
        let is_endpoint =
            |k: &str, v: &str| k.starts_with("AWS_ENDPOINT_URL") && !v.trim().is_empty();
        match self {
            EnvSource::Process => std::env::vars_os().any(|(k, v)| {
                matches!((k.to_str(), v.to_str()), (Some(k), Some(v)) if is_endpoint(k, v))
            }),
            EnvSource::Fixed(map) => map.iter().any(|(k, v)| is_endpoint(k, v)),
        }
    }
}

/// `AWS_ENDPOINT_URL_` + the sdkId in upper snake case (`Cognito Identity Provider` →
/// `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`).
pub(crate) fn service_endpoint_env_var(sdk_id: &str) -> String {
    let mut out = String::from("AWS_ENDPOINT_URL_");
    for c in sdk_id.trim().chars() {
        if c == ' ' || c == '-' {
            out.push('_');
        } else {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

fn home_dir(env: &EnvSource) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .map(PathBuf::from)
}

pub(crate) fn credentials_file(env: &EnvSource) -> Option<PathBuf> {
    env.get("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home_dir(env).map(|h| h.join(".aws").join("credentials")))
}

pub(crate) fn config_file(env: &EnvSource) -> Option<PathBuf> {
    env.get("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home_dir(env).map(|h| h.join(".aws").join("config")))
}

/// The region of a profile in the shared config file, if any.
pub(crate) fn profile_region(env: &EnvSource, profile: Option<&str>) -> Option<String> {
    let profile = profile
        .map(str::to_string)
        .or_else(|| env.get("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_string());
    let text = std::fs::read_to_string(config_file(env)?).ok()?;
    profile_properties(&text, &profile, true)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("region"))
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The `key = value` pairs of one profile in an INI-style shared file. In the config file a
/// profile other than `default` is written `[profile name]`; in the credentials file `[name]`.
/// Indented lines (sub-properties) and comments are skipped.
pub(crate) fn profile_properties(
    text: &str,
    profile: &str,
    is_config: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_profile = false;
    for raw in text.lines() {
        if raw.starts_with([' ', '\t']) {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(name) = rest.split(']').next() else {
                in_profile = false;
                continue;
            };
            let name = name.trim();
            let name = if is_config {
                match name.strip_prefix("profile") {
                    Some(n) if n.starts_with([' ', '\t']) => n.trim(),
                    _ if name == "default" => "default",
                    _ => {
                        in_profile = false;
                        continue;
                    }
                }
            } else {
                name
            };
            in_profile = name == profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = strip_comment(v.trim());
            out.push((k.trim().to_string(), v.to_string()));
        }
    }
    out
}

fn strip_comment(v: &str) -> &str {
    for marker in [" #", "\t#", " ;", "\t;"] {
        if let Some(i) = v.find(marker) {
            return v[..i].trim_end();
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_name_from_sdk_id() {
        assert_eq!(
            service_endpoint_env_var("Cognito Identity Provider"),
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
        );
        assert_eq!(
            service_endpoint_env_var("DynamoDB"),
            "AWS_ENDPOINT_URL_DYNAMODB"
        );
    }

    #[test]
    fn parses_profiles() {
        let config = "[default]\nregion = us-east-1\n[profile dev]\nregion=eu-west-1 # note\n\
                      s3 =\n  max_concurrent_requests = 10\n[sso-session x]\nregion = no\n";
        assert_eq!(
            profile_properties(config, "dev", true),
            vec![
                ("region".to_string(), "eu-west-1".to_string()),
                ("s3".to_string(), String::new())
            ]
        );
        assert_eq!(
            profile_properties(config, "default", true)[0].1,
            "us-east-1"
        );
        assert!(profile_properties(config, "x", true).is_empty());
        let creds = "; comment\n[dev]\naws_access_key_id = AKID\naws_secret_access_key = S\n";
        assert_eq!(profile_properties(creds, "dev", false).len(), 2);
        assert!(profile_properties("[broken\nk=v", "broken", false).len() <= 1);
    }
}
