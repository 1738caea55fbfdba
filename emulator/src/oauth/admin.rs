//! The operations that set up a pool's OAuth side: user pool domains
//! (Create/Describe/Update/DeleteUserPoolDomain) and resource servers with their custom scopes
//! (Create/Describe/List/Update/DeleteResourceServer); the model's length and pattern rules are
//! checked when the request is decoded.

use std::collections::BTreeMap;

use super::state::{Domain, ResourceServer, Scope};
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::ops::context::Ctx;

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

fn certificate_arn(config: Option<m::CustomDomainConfigType>) -> ApiResult<Option<String>> {
    let Some(config) = config else {
        return Ok(None);
    };
    let arn = config.certificate_arn;
    if arn.len() < 20 || arn.len() > 2048 || !arn.starts_with("arn:") {
        return Err(constraint(
            "customDomainConfig.certificateArn",
            "Member must be an ARN between 20 and 2048 characters",
        ));
    }
    Ok(Some(arn))
}

pub(crate) fn create_user_pool_domain(
    ctx: &Ctx<'_>,
    input: m::CreateUserPoolDomainInput,
) -> ApiResult<m::CreateUserPoolDomainOutput> {
    let domain = input.domain;
    let pool_id = input.user_pool_id;
    let certificate_arn = certificate_arn(input.custom_domain_config)?;
    let managed_login_version = input.managed_login_version.map(i64::from);
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
    let mut out =
        m::CreateUserPoolDomainOutput::builder().cloud_front_domain(cloudfront_name(&record));
    if let Some(v) = managed_login_version {
        out = out.managed_login_version(v as i32);
    }
    store.oauth.domains.insert(domain, record);
    Ok(out.build()?)
}

/// A stable, made-up distribution name (the emulator serves the domain itself).
fn cloudfront_name(d: &Domain) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(d.domain.as_bytes());
    let tail: String = digest[..7].iter().map(|b| format!("{b:02x}")).collect();
    format!("d{tail}.cloudfront.net")
}

pub(crate) fn describe_user_pool_domain(
    ctx: &Ctx<'_>,
    input: m::DescribeUserPoolDomainInput,
) -> ApiResult<m::DescribeUserPoolDomainOutput> {
    let store = ctx.store();
    // Cognito answers an unknown domain with an empty description, not an error.
    let description = match store.oauth.domains.get(&input.domain) {
        None => m::DomainDescriptionType {
            user_pool_id: None,
            aws_account_id: None,
            domain: None,
            s3_bucket: None,
            cloud_front_distribution: None,
            version: None,
            status: None,
            custom_domain_config: None,
            managed_login_version: None,
        },
        Some(d) => m::DomainDescriptionType {
            user_pool_id: Some(d.pool_id.clone()),
            aws_account_id: Some(crate::ops::ACCOUNT.to_owned()),
            domain: Some(d.domain.clone()),
            s3_bucket: Some("aws-cognito-prod-emulator-assets".to_owned()),
            cloud_front_distribution: Some(cloudfront_name(d)),
            version: Some(d.created.to_string()),
            status: Some(m::DomainStatusType::Active),
            custom_domain_config: d
                .certificate_arn
                .as_ref()
                .map(|arn| m::CustomDomainConfigType {
                    certificate_arn: arn.clone(),
                }),
            managed_login_version: d.managed_login_version.map(|v| v as i32),
        },
    };
    Ok(m::DescribeUserPoolDomainOutput::builder()
        .domain_description(description)
        .build()?)
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

pub(crate) fn update_user_pool_domain(
    ctx: &Ctx<'_>,
    input: m::UpdateUserPoolDomainInput,
) -> ApiResult<m::UpdateUserPoolDomainOutput> {
    let certificate_arn = certificate_arn(input.custom_domain_config)?;
    let version = input.managed_login_version.map(i64::from);
    let mut store = ctx.store();
    let d = domain_of_pool(&mut store, &input.domain, &input.user_pool_id)?;
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
    let mut out = m::UpdateUserPoolDomainOutput::builder();
    if d.certificate_arn.is_some() {
        out = out.cloud_front_domain(cloudfront_name(d));
    }
    if let Some(v) = d.managed_login_version {
        out = out.managed_login_version(v as i32);
    }
    Ok(out.build()?)
}

pub(crate) fn delete_user_pool_domain(
    ctx: &Ctx<'_>,
    input: m::DeleteUserPoolDomainInput,
) -> ApiResult<m::DeleteUserPoolDomainOutput> {
    let domain = input.domain;
    let mut store = ctx.store();
    domain_of_pool(&mut store, &domain, &input.user_pool_id)?;
    store.oauth.domains.remove(&domain);
    store.oauth.logins.retain(|_, f| f.request.domain != domain);
    store
        .oauth
        .browser_sessions
        .retain(|_, s| s.domain != domain);
    Ok(m::DeleteUserPoolDomainOutput::builder().build()?)
}

/// The model checks lengths and patterns; duplicate scope names are refused here.
fn resource_server(
    identifier: String,
    name: String,
    scopes: Option<Vec<m::ResourceServerScopeType>>,
) -> ApiResult<ResourceServer> {
    let mut out: Vec<Scope> = Vec::new();
    for item in scopes.unwrap_or_default() {
        if out.iter().any(|s| s.name == item.scope_name) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate scope name {}.",
                item.scope_name
            )));
        }
        out.push(Scope {
            name: item.scope_name,
            description: item.scope_description,
        });
    }
    Ok(ResourceServer {
        identifier,
        name,
        scopes: out,
    })
}

fn resource_server_type(pool_id: &str, rs: &ResourceServer) -> m::ResourceServerType {
    m::ResourceServerType {
        user_pool_id: Some(pool_id.to_owned()),
        identifier: Some(rs.identifier.clone()),
        name: Some(rs.name.clone()),
        scopes: Some(
            rs.scopes
                .iter()
                .map(|s| m::ResourceServerScopeType {
                    scope_name: s.name.clone(),
                    scope_description: s.description.clone(),
                })
                .collect(),
        ),
    }
}

fn not_found(identifier: &str) -> ApiError {
    ApiError::resource_not_found(format!("Resource server {identifier} does not exist."))
}

pub(crate) fn create_resource_server(
    ctx: &Ctx<'_>,
    input: m::CreateResourceServerInput,
) -> ApiResult<m::CreateResourceServerOutput> {
    let pool_id = input.user_pool_id;
    let rs = resource_server(input.identifier, input.name, input.scopes)?;
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
    let body = resource_server_type(&pool_id, &rs);
    servers.insert(rs.identifier.clone(), rs);
    Ok(m::CreateResourceServerOutput::builder()
        .resource_server(body)
        .build()?)
}

pub(crate) fn describe_resource_server(
    ctx: &Ctx<'_>,
    input: m::DescribeResourceServerInput,
) -> ApiResult<m::DescribeResourceServerOutput> {
    let pool_id = input.user_pool_id;
    let store = ctx.store();
    store.pool(&pool_id)?;
    let rs = store
        .oauth
        .resource_servers
        .get(&pool_id)
        .and_then(|m| m.get(&input.identifier))
        .ok_or_else(|| not_found(&input.identifier))?;
    Ok(m::DescribeResourceServerOutput::builder()
        .resource_server(resource_server_type(&pool_id, rs))
        .build()?)
}

pub(crate) fn list_resource_servers(
    ctx: &Ctx<'_>,
    input: m::ListResourceServersInput,
) -> ApiResult<m::ListResourceServersOutput> {
    let pool_id = input.user_pool_id;
    let max = input.max_results.unwrap_or(50).clamp(1, 50) as usize;
    let after = input.next_token.as_deref();
    let store = ctx.store();
    store.pool(&pool_id)?;
    let empty = BTreeMap::new();
    let servers = store.oauth.resource_servers.get(&pool_id).unwrap_or(&empty);
    let mut page: Vec<&ResourceServer> = servers
        .values()
        .filter(|rs| after.map_or(true, |a| rs.identifier.as_str() > a))
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let list: Vec<m::ResourceServerType> = page
        .iter()
        .map(|rs| resource_server_type(&pool_id, rs))
        .collect();
    let mut out = m::ListResourceServersOutput::builder().set_resource_servers(Some(list));
    if more {
        if let Some(last) = page.last() {
            out = out.next_token(last.identifier.clone());
        }
    }
    Ok(out.build()?)
}

pub(crate) fn update_resource_server(
    ctx: &Ctx<'_>,
    input: m::UpdateResourceServerInput,
) -> ApiResult<m::UpdateResourceServerOutput> {
    let pool_id = input.user_pool_id;
    let rs = resource_server(input.identifier, input.name, input.scopes)?;
    let mut store = ctx.store();
    store.pool(&pool_id)?;
    let existing = store
        .oauth
        .resource_servers
        .get_mut(&pool_id)
        .and_then(|m| m.get_mut(&rs.identifier))
        .ok_or_else(|| not_found(&rs.identifier))?;
    *existing = rs;
    Ok(m::UpdateResourceServerOutput::builder()
        .resource_server(resource_server_type(&pool_id, existing))
        .build()?)
}

pub(crate) fn delete_resource_server(
    ctx: &Ctx<'_>,
    input: m::DeleteResourceServerInput,
) -> ApiResult<m::DeleteResourceServerOutput> {
    let pool_id = input.user_pool_id;
    let mut store = ctx.store();
    store.pool(&pool_id)?;
    store
        .oauth
        .resource_servers
        .get_mut(&pool_id)
        .and_then(|m| m.remove(&input.identifier))
        .ok_or_else(|| not_found(&input.identifier))?;
    Ok(m::DeleteResourceServerOutput::builder().build()?)
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
