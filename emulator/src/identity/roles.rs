//! Roles: SetIdentityPoolRoles / GetIdentityPoolRoles, and which role an identity gets
//! (the pool's authenticated or unauthenticated role, a role mapping by token or by rules, or
//! the CustomRoleArn asked for when the identity may assume it).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::region_ids::check_id;
use super::state::IdentityPool;
use crate::error::{ApiError, ApiResult};
use crate::identity::Input;
use crate::ops::context::Ctx;

fn check_role_arn(what: &str, arn: &str) -> ApiResult<()> {
    let ok = arn.starts_with("arn:aws") && arn.contains(":role/") && arn.len() <= 2048;
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{what} {arn:?} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
        )))
    }
}

fn check_mapping(provider: &str, mapping: &Value) -> ApiResult<()> {
    let bad = |why: &str| {
        Err(ApiError::invalid_parameter(format!(
            "Invalid RoleMapping for {provider}: {why}"
        )))
    };
    let Some(m) = mapping.as_object() else {
        return bad("expected an object");
    };
    match m.get("Type").and_then(Value::as_str) {
        Some("Token") => {}
        Some("Rules") => {
            let rules = m
                .get("RulesConfiguration")
                .and_then(|r| r.get("Rules"))
                .and_then(Value::as_array);
            let Some(rules) = rules.filter(|r| !r.is_empty() && r.len() <= 25) else {
                return bad("Type Rules needs RulesConfiguration.Rules with 1 to 25 rules");
            };
            for rule in rules {
                for member in ["Claim", "MatchType", "Value", "RoleARN"] {
                    if rule.get(member).and_then(Value::as_str).is_none() {
                        return bad(&format!("every rule needs {member}"));
                    }
                }
                if !matches!(
                    rule["MatchType"].as_str(),
                    Some("Equals" | "Contains" | "StartsWith" | "NotEqual")
                ) {
                    return bad("MatchType must be Equals, Contains, StartsWith or NotEqual");
                }
                check_role_arn("RoleARN", rule["RoleARN"].as_str().unwrap_or_default())?;
            }
        }
        _ => return bad("Type must be Token or Rules"),
    }
    match m.get("AmbiguousRoleResolution").and_then(Value::as_str) {
        None | Some("AuthenticatedRole" | "Deny") => Ok(()),
        Some(_) => bad("AmbiguousRoleResolution must be AuthenticatedRole or Deny"),
    }
}

/// The `Roles` and `RoleMappings` of a SetIdentityPoolRoles request, checked.
pub(super) fn role_settings(
    input: &Input<'_>,
) -> ApiResult<(BTreeMap<String, String>, Map<String, Value>)> {
    let roles = input
        .opt_string_map("Roles")?
        .ok_or_else(|| ApiError::missing_member("Roles"))?;
    for (kind, arn) in &roles {
        if kind != "authenticated" && kind != "unauthenticated" {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid role type {kind:?}: the keys of Roles are authenticated and unauthenticated"
            )));
        }
        check_role_arn(&format!("The {kind} role"), arn)?;
    }
    let mappings: Map<String, Value> = match input.raw("RoleMappings") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(ApiError::serialization(
                "Unexpected JSON type for member RoleMappings: expected map",
            ))
        }
    };
    for (provider, mapping) in &mappings {
        check_mapping(provider, mapping)?;
    }
    Ok((roles, mappings))
}

pub(super) fn set_identity_pool_roles(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", id)?;
    let (roles, mappings) = role_settings(input)?;
    let mut store = ctx.store();
    let pool = store.identity.pool_mut(id)?;
    pool.roles = roles;
    pool.role_mappings = mappings;
    Ok(json!({}))
}

pub(super) fn get_identity_pool_roles(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", id)?;
    let store = ctx.store();
    let pool = store.identity.pool(id)?;
    let mut out = json!({ "IdentityPoolId": pool.id, "Roles": pool.roles });
    if !pool.role_mappings.is_empty() {
        out["RoleMappings"] = Value::Object(pool.role_mappings.clone());
    }
    Ok(out)
}

fn no_role() -> ApiError {
    ApiError::new(
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
}

fn rule_matches(rule: &Value, claims: &Map<String, Value>) -> bool {
    let claim = rule["Claim"].as_str().unwrap_or_default();
    let expected = rule["Value"].as_str().unwrap_or_default();
    let actual = match claims.get(claim) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return rule["MatchType"] == "NotEqual",
        Some(other) => other.to_string(),
    };
    match rule["MatchType"].as_str() {
        Some("Equals") => actual == expected,
        Some("Contains") => actual.contains(expected),
        Some("StartsWith") => actual.starts_with(expected),
        Some("NotEqual") => actual != expected,
        _ => false,
    }
}

/// The role for an identity: `logins` are the verified (provider, claims) of this request,
/// empty for an unauthenticated identity.
pub(super) fn role_for(
    pool: &IdentityPool,
    logins: &[(String, Map<String, Value>)],
    custom_role_arn: Option<&str>,
) -> ApiResult<String> {
    if logins.is_empty() {
        let role = pool
            .roles
            .get("unauthenticated")
            .cloned()
            .ok_or_else(no_role)?;
        return match custom_role_arn {
            Some(custom) if custom != role => Err(not_assumable(custom)),
            _ => Ok(role),
        };
    }
    // The roles the identity may assume, the first being the one it gets by default.
    let mut allowed: Vec<String> = Vec::new();
    let mut deny = false;
    for (provider, claims) in logins {
        let Some(mapping) = pool.role_mappings.get(provider) else {
            continue;
        };
        let before = allowed.len();
        match mapping["Type"].as_str() {
            Some("Token") => {
                if let Some(Value::String(preferred)) = claims.get("cognito:preferred_role") {
                    allowed.push(preferred.clone());
                }
                if let Some(Value::Array(roles)) = claims.get("cognito:roles") {
                    allowed.extend(roles.iter().filter_map(Value::as_str).map(str::to_owned));
                }
            }
            Some("Rules") => {
                let rules = mapping["RulesConfiguration"]["Rules"].as_array();
                for rule in rules.into_iter().flatten() {
                    if rule_matches(rule, claims) {
                        allowed.push(rule["RoleARN"].as_str().unwrap_or_default().to_owned());
                    }
                }
            }
            _ => {}
        }
        if allowed.len() == before && mapping["AmbiguousRoleResolution"] == "Deny" {
            deny = true;
        }
    }
    if allowed.is_empty() && deny {
        return Err(ApiError::not_authorized(
            "The role mapping gives this identity no role (AmbiguousRoleResolution is Deny).",
        ));
    }
    if let Some(role) = pool.roles.get("authenticated") {
        allowed.push(role.clone());
    }
    let Some(default) = allowed.first().cloned() else {
        return Err(no_role());
    };
    match custom_role_arn {
        Some(custom) if allowed.iter().any(|r| r == custom) => Ok(custom.to_owned()),
        Some(custom) => Err(not_assumable(custom)),
        None => Ok(default),
    }
}

fn not_assumable(arn: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "CustomRoleArn {arn} is not a role this identity may assume in this identity pool"
    ))
}
