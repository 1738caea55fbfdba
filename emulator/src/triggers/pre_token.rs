//! What a PreTokenGeneration answer may change: claims added, overridden or suppressed, groups
//! and roles overridden (V1: the ID token; V2: both tokens and the access token's scopes).
//! Claims that carry the token's meaning (who, for whom, when, which token) cannot be touched:
//! an answer naming them is ignored for those claims, as Cognito ignores them.

use serde_json::{json, Map, Value};

/// Claims no trigger may add, override or suppress in an ID token.
const RESERVED_ID: &[&str] = &[
    "acr",
    "amr",
    "at_hash",
    "aud",
    "auth_time",
    "azp",
    "cognito:username",
    "event_id",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
    "cognito:groups",
    "cognito:roles",
    "cognito:preferred_role",
];

/// Claims no trigger may add, override or suppress in an access token (`scope` changes only
/// through scopesToAdd / scopesToSuppress).
const RESERVED_ACCESS: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "auth_time",
    "azp",
    "client_id",
    "device_key",
    "event_id",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "scope",
    "sub",
    "token_use",
    "username",
    "version",
    "cognito:groups",
];

/// The groups part of the request: the user's groups, their roles, the preferred role.
pub fn group_configuration(groups: &[String], roles: &[String], preferred: Option<&str>) -> Value {
    json!({
        "groupsToOverride": groups,
        "iamRolesToOverride": roles,
        "preferredRole": preferred,
    })
}

fn apply_claims(claims: &mut Map<String, Value>, details: &Value, reserved: &[&str], v1: bool) {
    if let Some(Value::Object(add)) = details.get("claimsToAddOrOverride") {
        for (k, v) in add {
            if reserved.contains(&k.as_str()) || v.is_null() {
                continue;
            }
            // V1 carries strings only; V2 any JSON value.
            let value = match (v1, v) {
                (true, Value::String(_)) | (false, _) => v.clone(),
                (true, other) => Value::String(other.to_string()),
            };
            claims.insert(k.clone(), value);
        }
    }
    if let Some(Value::Array(suppress)) = details.get("claimsToSuppress") {
        for k in suppress.iter().filter_map(Value::as_str) {
            if !reserved.contains(&k) {
                claims.remove(k);
            }
        }
    }
}

fn apply_groups(id: &mut Map<String, Value>, access: &mut Map<String, Value>, details: &Value) {
    let Some(g) = details
        .get("groupOverrideDetails")
        .filter(|g| g.is_object())
    else {
        return;
    };
    if let Some(Value::Array(groups)) = g.get("groupsToOverride") {
        for claims in [&mut *id, &mut *access] {
            if groups.is_empty() {
                claims.remove("cognito:groups");
            } else {
                claims.insert("cognito:groups".into(), Value::Array(groups.clone()));
            }
        }
    }
    if let Some(Value::Array(roles)) = g.get("iamRolesToOverride") {
        if roles.is_empty() {
            id.remove("cognito:roles");
        } else {
            id.insert("cognito:roles".into(), Value::Array(roles.clone()));
        }
    }
    match g.get("preferredRole") {
        Some(Value::String(r)) => {
            id.insert("cognito:preferred_role".into(), json!(r));
        }
        Some(Value::Null) if g.get("iamRolesToOverride").is_some() => {
            id.remove("cognito:preferred_role");
        }
        _ => {}
    }
}

fn apply_scopes(access: &mut Map<String, Value>, details: &Value) {
    let mut scopes: Vec<String> = access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if let Some(Value::Array(add)) = details.get("scopesToAdd") {
        for s in add.iter().filter_map(Value::as_str) {
            if !scopes.iter().any(|x| x == s) {
                scopes.push(s.to_owned());
            }
        }
    }
    if let Some(Value::Array(remove)) = details.get("scopesToSuppress") {
        scopes.retain(|s| !remove.iter().any(|r| r.as_str() == Some(s)));
    }
    if scopes.is_empty() {
        access.remove("scope");
    } else {
        access.insert("scope".into(), json!(scopes.join(" ")));
    }
}

/// Applies a PreTokenGeneration answer (`response`) of event version `version` to the claims.
pub fn apply(
    version: &str,
    response: &Map<String, Value>,
    id: &mut Map<String, Value>,
    access: &mut Map<String, Value>,
) {
    if version == "1" {
        let Some(d) = response
            .get("claimsOverrideDetails")
            .filter(|d| d.is_object())
        else {
            return;
        };
        apply_claims(id, d, RESERVED_ID, true);
        apply_groups(id, access, d);
        return;
    }
    let Some(d) = response
        .get("claimsAndScopeOverrideDetails")
        .filter(|d| d.is_object())
    else {
        return;
    };
    if let Some(idt) = d.get("idTokenGeneration").filter(|v| v.is_object()) {
        apply_claims(id, idt, RESERVED_ID, false);
    }
    if let Some(at) = d.get("accessTokenGeneration").filter(|v| v.is_object()) {
        apply_claims(access, at, RESERVED_ACCESS, false);
        apply_scopes(access, at);
    }
    apply_groups(id, access, d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_adds_suppresses_and_scopes_but_not_reserved_claims() {
        let mut id: Map<String, Value> =
            serde_json::from_value(json!({"sub": "s", "email": "e", "aud": "c"})).unwrap();
        let mut access: Map<String, Value> = serde_json::from_value(
            json!({"sub": "s", "scope": "aws.cognito.signin.user.admin", "client_id": "c"}),
        )
        .unwrap();
        let response: Map<String, Value> = serde_json::from_value(json!({
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": {"tier": {"level": 3}, "sub": "evil"},
                                      "claimsToSuppress": ["email", "aud"]},
                "accessTokenGeneration": {"claimsToAddOrOverride": {"plan": "pro", "client_id": "evil"},
                                          "scopesToAdd": ["orders/read"], "scopesToSuppress": ["aws.cognito.signin.user.admin"]},
                "groupOverrideDetails": {"groupsToOverride": ["vip"], "iamRolesToOverride": [], "preferredRole": null}
            }
        }))
        .unwrap();
        apply("2", &response, &mut id, &mut access);
        assert_eq!(id["tier"], json!({"level": 3}));
        assert_eq!(id["sub"], "s");
        assert!(id.get("email").is_none());
        assert_eq!(id["aud"], "c");
        assert_eq!(access["plan"], "pro");
        assert_eq!(access["client_id"], "c");
        assert_eq!(access["scope"], "orders/read");
        assert_eq!(access["cognito:groups"], json!(["vip"]));
        assert_eq!(id["cognito:groups"], json!(["vip"]));
    }

    #[test]
    fn v1_changes_the_id_token_only() {
        let mut id = Map::new();
        let mut access = Map::new();
        let response: Map<String, Value> = serde_json::from_value(json!({
            "claimsOverrideDetails": {"claimsToAddOrOverride": {"a": "1", "token_use": "access"}}
        }))
        .unwrap();
        apply("1", &response, &mut id, &mut access);
        assert_eq!(id["a"], "1");
        assert!(id.get("token_use").is_none());
        assert!(access.is_empty());
    }
}
