//! The seed file's shape (YAML or JSON). Unknown members are refused, so a typo is an error
//! with its path, not a silently ignored setting.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Lambda ARN -> URL of the HTTP endpoint that runs it (as `--trigger ARN=URL`).
    #[serde(default)]
    pub triggers: BTreeMap<String, String>,
    #[serde(default)]
    pub pools: Vec<SeedPool>,
    #[serde(default)]
    pub identity_pools: Vec<SeedIdentityPool>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedPool {
    /// The pool id, pinned: `REGION_NAME` (e.g. `us-east-1_TestPool1`).
    pub id: String,
    pub name: String,
    /// CreateUserPool request members (Policies, MfaConfiguration, LambdaConfig, ...).
    #[serde(default)]
    pub settings: serde_json::Map<String, Value>,
    #[serde(default)]
    pub clients: Vec<SeedClient>,
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// CreateUserPoolDomain requests (UserPoolId is filled in).
    #[serde(default)]
    pub domains: Vec<serde_json::Map<String, Value>>,
    /// CreateResourceServer requests (UserPoolId is filled in).
    #[serde(default)]
    pub resource_servers: Vec<serde_json::Map<String, Value>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedClient {
    /// The client id, pinned (1 to 128 characters of `[\w+]`).
    pub id: String,
    pub name: String,
    /// A pinned client secret (the client gets one exactly when this is set).
    pub secret: Option<String>,
    /// CreateUserPoolClient request members (ExplicitAuthFlows, token validities, ...).
    #[serde(default)]
    pub settings: serde_json::Map<String, Value>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i64>,
    pub role_arn: Option<String>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SeedStatus {
    #[default]
    Confirmed,
    Unconfirmed,
    ForceChangePassword,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub username: String,
    /// The password (permanent unless status is FORCE_CHANGE_PASSWORD). Only its verifiers
    /// are kept.
    pub password: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub status: SeedStatus,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub mfa: Option<SeedMfa>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedMfa {
    /// A verified software token: its base32 secret (what an authenticator app holds).
    pub totp_secret: Option<String>,
    #[serde(default)]
    pub sms: bool,
    #[serde(default)]
    pub email: bool,
    /// SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP.
    pub preferred: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SeedIdentityPool {
    /// The identity pool id, pinned: `REGION:UUID`.
    pub id: String,
    pub name: String,
    /// CreateIdentityPool request members (AllowUnauthenticatedIdentities,
    /// CognitoIdentityProviders, ...).
    #[serde(default)]
    pub settings: serde_json::Map<String, Value>,
    /// SetIdentityPoolRoles' `Roles`: `authenticated` / `unauthenticated` -> role ARN.
    pub roles: Option<BTreeMap<String, String>>,
    /// SetIdentityPoolRoles' `RoleMappings`: provider name -> mapping.
    pub role_mappings: Option<serde_json::Map<String, Value>>,
}

/// Reads a seed file: JSON for `.json`, YAML otherwise. Errors name the file and the path of
/// the bad member (`pools[0].users[2].status: unknown variant ...`).
pub fn read(path: &std::path::Path) -> Result<Seed, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the seed file: {e}", path.display()))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let at = |p: &serde_path_to_error::Path| {
        let p = p.to_string();
        if p == "." {
            String::new()
        } else {
            format!(" at {p}")
        }
    };
    if json {
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| format!("{}{}: {}", path.display(), at(e.path()), e.inner()))
    } else {
        let de = serde_yaml_ng::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(de)
            .map_err(|e| format!("{}{}: {}", path.display(), at(e.path()), e.inner()))
    }
}
