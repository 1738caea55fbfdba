//! The operations that set up a pool's OAuth side: user pool domains
//! (Create/Describe/Update/DeleteUserPoolDomain) and resource servers with their custom scopes
//! (Create/Describe/List/Update/DeleteResourceServer), with the model's length and pattern rules.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::state::{Domain, ResourceServer, Scope};
use crate::error::{ApiError, ApiResult};
use crate::input::Input;
use crate::ops::Ctx;

/// Cognito refuses these words in a prefix domain.
const RESERVED_WORDS: [&str; 3] = ["aws", "amazon", "cognito"];
/// Resource servers per pool (Cognito's default quota).
const MAX_RESOURCE_SERVERS: usize = 25;

fn constraint(member: &str, rule: &str) -> ApiError {
    ApiError::invalid_parameter(format!(
        "1 validation error detected: Value at '{member}' failed to satisfy constraint: {rule}"
    ))
}

/// `^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$` (a prefix domain), or a dotted host name of such
/// labels for a custom domain.
fn check_domain(domain: &str, custom: bool) -> ApiResult<()> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let ok = if custom {
        domain.len() <= 253 && domain.contains('.') && domain.split('.').all(label_ok)
    } else {
        label_ok(domain)
    };
    if !ok {
        return Err(constraint(
            "domain",
            "Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
        ));
    }
    if !custom {
        if let Some(word) = RESERVED_WORDS.iter().find(|w| domain.contains(*w)) {
            return Err(ApiError::invalid_parameter(format!(
                "Domain prefix cannot contain the reserved word {word}."
            )));
        }
    }
    Ok(())
}

fn certificate_arn(input: &Input<'_>) -> ApiResult<Option<String>> {
    let Some(config) = input.opt_object("CustomDomainConfig")? else {
        return Ok(None);
    };
    let arn = config.str("CertificateArn")?;
    if arn.len() < 20 || arn.len() > 2048 || !arn.starts_with("arn:") {
        return Err(constraint(
            "customDomainConfig.certificateArn",
            "Member must be an ARN between 20 and 2048 characters",
        ));
    }
    Ok(Some(arn.to_owned()))
}

pub(crate) fn create_user_pool_domain(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let domain = input.str("Domain")?.to_owned();
    let pool_id = input.str("UserPoolId")?.to_owned();
    let certificate_arn = certificate_arn(input)?;
    let managed_login_version = input.opt_i64("ManagedLoginVersion")?;
    if let Some(v) = managed_login_version {
        if v != 1 && v != 2 {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid ManagedLoginVersion {v}: must be 1 (hosted UI) or 2 (managed login)"
            )));
        }
    }
    check_domain(&domain, certificate_arn.is_some())?;
    let mut store = ctx.store();
    store.pool(&pool_id)?;
    if store.oauth.domains.contains_key(&domain) {
        return Err(ApiError::invalid_parameter(
            "Domain already associated with another user pool.",
        ));
    }
    let custom = certificate_arn.is_some();
    if store
        .oauth
        .domains
        .values()
        .any(|d| d.pool_id == pool_id && d.certificate_arn.is_some() == custom)
    {
        return Err(ApiError::invalid_parameter(format!(
            "User pool {pool_id} already has a {} domain.",
            if custom { "custom" } else { "prefix" }
        )));
    }
    let record = Domain {
        domain: domain.clone(),
        pool_id,
        certificate_arn,
        managed_login_version,
        created: ctx.now(),
    };
    // moto names a distribution for prefix domains too; harmless, and clients may read it.
    let mut out = json!({ "CloudFrontDomain": cloudfront_name(&record) });
    if let Some(v) = managed_login_version {
        out["ManagedLoginVersion"] = json!(v);
    }
    store.oauth.domains.insert(domain, record);
    Ok(out)
}

/// A stable, made-up distribution name (the emulator serves the domain itself).
fn cloudfront_name(d: &Domain) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(d.domain.as_bytes());
    let tail: String = digest[..7].iter().map(|b| format!("{b:02x}")).collect();
    format!("d{tail}.cloudfront.net")
}

pub(crate) fn describe_user_pool_domain(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let domain = input.str("Domain")?;
    let store = ctx.store();
    // Cognito answers an unknown domain with an empty description, not an error.
    let Some(d) = store.oauth.domains.get(domain) else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    let mut out = json!({
        "UserPoolId": d.pool_id,
        "AWSAccountId": "123456789012",
        "Domain": d.domain,
        "S3Bucket": "aws-cognito-prod-emulator-assets",
        "CloudFrontDistribution": cloudfront_name(d),
        "Version": d.created.to_string(),
        "Status": "ACTIVE",
    });
    if let Some(arn) = &d.certificate_arn {
        out["CustomDomainConfig"] = json!({ "CertificateArn": arn });
    }
    if let Some(v) = d.managed_login_version {
        out["ManagedLoginVersion"] = json!(v);
    }
    Ok(json!({ "DomainDescription": out }))
}

fn domain_of_pool<'s>(
    store: &'s mut crate::store::Store,
    domain: &str,
    pool_id: &str,
) -> ApiResult<&'s mut Domain> {
    store.pool(pool_id)?;
    store
        .oauth
        .domains
        .get_mut(domain)
        .filter(|d| d.pool_id == pool_id)
        .ok_or_else(|| ApiError::invalid_parameter("No such domain or user pool exists."))
}

pub(crate) fn update_user_pool_domain(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let domain = input.str("Domain")?;
    let pool_id = input.str("UserPoolId")?;
    let certificate_arn = certificate_arn(input)?;
    let version = input.opt_i64("ManagedLoginVersion")?;
    let mut store = ctx.store();
    let d = domain_of_pool(&mut store, domain, pool_id)?;
    if certificate_arn.is_some() && d.certificate_arn.is_none() {
        return Err(ApiError::invalid_parameter(
            "A prefix domain has no certificate to update.",
        ));
    }
    if let Some(arn) = certificate_arn {
        d.certificate_arn = Some(arn);
    }
    if let Some(v) = version {
        d.managed_login_version = Some(v);
    }
    let mut out = json!({});
    if d.certificate_arn.is_some() {
        out["CloudFrontDomain"] = json!(cloudfront_name(d));
    }
    if let Some(v) = d.managed_login_version {
        out["ManagedLoginVersion"] = json!(v);
    }
    Ok(out)
}

pub(crate) fn delete_user_pool_domain(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let domain = input.str("Domain")?.to_owned();
    let pool_id = input.str("UserPoolId")?;
    let mut store = ctx.store();
    domain_of_pool(&mut store, &domain, pool_id)?;
    store.oauth.domains.remove(&domain);
    store.oauth.logins.retain(|_, f| f.request.domain != domain);
    store
        .oauth
        .browser_sessions
        .retain(|_, s| s.domain != domain);
    Ok(json!({}))
}

/// `[\x21\x23-\x5B\x5D-\x7E]+`: printable ASCII without space, `"` and `\`.
fn identifier_char(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\'
}

fn check_length(member: &str, value: &str, max: usize) -> ApiResult<()> {
    let n = value.chars().count();
    if n == 0 || n > max {
        return Err(constraint(
            member,
            &format!("Member must have length between 1 and {max}"),
        ));
    }
    Ok(())
}

fn resource_server_input(input: &Input<'_>) -> ApiResult<ResourceServer> {
    let identifier = input.str("Identifier")?;
    check_length("identifier", identifier, 256)?;
    if !identifier.bytes().all(identifier_char) {
        return Err(constraint(
            "identifier",
            "Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
        ));
    }
    let name = input.str("Name")?;
    check_length("name", name, 256)?;
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c))
    {
        return Err(constraint(
            "name",
            "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
        ));
    }
    let items = input.opt_object_list("Scopes")?.unwrap_or_default();
    if items.len() > 100 {
        return Err(constraint(
            "scopes",
            "Member must have length less than or equal to 100",
        ));
    }
    let mut scopes: Vec<Scope> = Vec::new();
    for item in items {
        let scope_name = item.str("ScopeName")?;
        check_length("scopes.member.scopeName", scope_name, 256)?;
        // like the identifier, and no `/` (it separates identifier and scope)
        if !scope_name.bytes().all(|b| identifier_char(b) && b != b'/') {
            return Err(constraint(
                "scopes.member.scopeName",
                "Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
            ));
        }
        let description = item.str("ScopeDescription")?;
        check_length("scopes.member.scopeDescription", description, 256)?;
        if scopes.iter().any(|s| s.name == scope_name) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate scope name {scope_name}."
            )));
        }
        scopes.push(Scope {
            name: scope_name.to_owned(),
            description: description.to_owned(),
        });
    }
    Ok(ResourceServer {
        identifier: identifier.to_owned(),
        name: name.to_owned(),
        scopes,
    })
}

fn resource_server_json(pool_id: &str, rs: &ResourceServer) -> Value {
    let scopes: Vec<Value> = rs
        .scopes
        .iter()
        .map(|s| json!({"ScopeName": s.name, "ScopeDescription": s.description}))
        .collect();
    json!({
        "UserPoolId": pool_id,
        "Identifier": rs.identifier,
        "Name": rs.name,
        "Scopes": scopes,
    })
}

fn not_found(identifier: &str) -> ApiError {
    ApiError::resource_not_found(format!("Resource server {identifier} does not exist."))
}

pub(crate) fn create_resource_server(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?.to_owned();
    let rs = resource_server_input(input)?;
    let mut store = ctx.store();
    store.pool(&pool_id)?;
    if !store.oauth.resource_servers.contains_key(&pool_id) {
        store
            .oauth
            .resource_servers
            .insert(pool_id.clone(), Default::default());
    }
    let servers = store
        .oauth
        .resource_servers
        .get_mut(&pool_id)
        .ok_or_else(|| ApiError::internal("resource servers"))?;
    if servers.contains_key(&rs.identifier) {
        return Err(ApiError::invalid_parameter(format!(
            "{} already exists in pool {pool_id}.",
            rs.identifier
        )));
    }
    if servers.len() >= MAX_RESOURCE_SERVERS {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("A user pool can have at most {MAX_RESOURCE_SERVERS} resource servers."),
        ));
    }
    let body = resource_server_json(&pool_id, &rs);
    servers.insert(rs.identifier.clone(), rs);
    Ok(json!({ "ResourceServer": body }))
}

pub(crate) fn describe_resource_server(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let identifier = input.str("Identifier")?;
    let store = ctx.store();
    store.pool(pool_id)?;
    let rs = store
        .oauth
        .resource_servers
        .get(pool_id)
        .and_then(|m| m.get(identifier))
        .ok_or_else(|| not_found(identifier))?;
    Ok(json!({ "ResourceServer": resource_server_json(pool_id, rs) }))
}

pub(crate) fn list_resource_servers(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let max = match input.opt_i64("MaxResults")? {
        None => 50,
        Some(n) if (1..=50).contains(&n) => n as usize,
        Some(_) => {
            return Err(constraint(
                "maxResults",
                "Member must have value between 1 and 50",
            ))
        }
    };
    let after = input.opt_str("NextToken")?;
    let store = ctx.store();
    store.pool(pool_id)?;
    let empty = BTreeMap::new();
    let servers = store.oauth.resource_servers.get(pool_id).unwrap_or(&empty);
    let mut page: Vec<&ResourceServer> = servers
        .values()
        .filter(|rs| after.map_or(true, |a| rs.identifier.as_str() > a))
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let mut out = json!({
        "ResourceServers": page.iter().map(|rs| resource_server_json(pool_id, rs)).collect::<Vec<_>>(),
    });
    if more {
        if let Some(last) = page.last() {
            out["NextToken"] = json!(last.identifier);
        }
    }
    Ok(out)
}

pub(crate) fn update_resource_server(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let rs = resource_server_input(input)?;
    let mut store = ctx.store();
    store.pool(pool_id)?;
    let existing = store
        .oauth
        .resource_servers
        .get_mut(pool_id)
        .and_then(|m| m.get_mut(&rs.identifier))
        .ok_or_else(|| not_found(&rs.identifier))?;
    *existing = rs;
    Ok(json!({ "ResourceServer": resource_server_json(pool_id, existing) }))
}

pub(crate) fn delete_resource_server(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let identifier = input.str("Identifier")?;
    let mut store = ctx.store();
    store.pool(pool_id)?;
    store
        .oauth
        .resource_servers
        .get_mut(pool_id)
        .and_then(|m| m.remove(identifier))
        .ok_or_else(|| not_found(identifier))?;
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_rules() {
        assert!(check_domain("my-app-1", false).is_ok());
        assert!(check_domain("-x", false).is_err());
        assert!(check_domain("My", false).is_err());
        assert!(check_domain("my.app", false).is_err());
        assert!(check_domain("myawsapp", false).is_err());
        assert!(check_domain("auth.example.com", true).is_ok());
        assert!(check_domain("example", true).is_err());
    }
}
