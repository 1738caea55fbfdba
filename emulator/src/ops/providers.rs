//! Identity providers of a pool (Create/Describe/Update/Delete/ListIdentityProviders,
//! GetIdentityProviderByIdentifier) and linking their users to the pool's
//! (AdminLinkProviderForUser, AdminDisableProviderForUser). App clients may name a provider
//! in SupportedIdentityProviders once it exists. The emulator does not federate: nobody signs
//! in through a provider, but the configuration and the links are kept and shown as Cognito
//! shows them (`identities` attribute).

use std::collections::HashMap;

use super::checks::known;
use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::shapes::date;
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::resource::{key, IDENTITY_PROVIDER};
use crate::store::{LinkedIdentity, Pool, Resource};

/// Identity providers per pool (Cognito's default quota).
const MAX_PROVIDERS: usize = 300;
/// External identities linked to one user.
const MAX_LINKS: usize = 5;

/// The names of the pool's identity providers.
pub(crate) fn names(pool: &Pool) -> Vec<String> {
    providers(pool)
        .filter_map(|p| p.provider_name.clone())
        .collect()
}

fn providers(pool: &Pool) -> impl Iterator<Item = &m::IdentityProviderType> {
    pool.resources.values().filter_map(|r| match r {
        Resource::IdentityProvider(p) => Some(p),
        _ => None,
    })
}

fn provider<'p>(pool: &'p Pool, name: &str) -> ApiResult<&'p m::IdentityProviderType> {
    match pool.resources.get(&key(IDENTITY_PROVIDER, name)) {
        Some(Resource::IdentityProvider(p)) => Ok(p),
        _ => Err(ApiError::resource_not_found(format!(
            "Identity provider {name} does not exist."
        ))),
    }
}

/// The ProviderDetails each type needs.
fn required_details(t: &m::IdentityProviderTypeType) -> &'static [&'static str] {
    match t {
        m::IdentityProviderTypeType::Google
        | m::IdentityProviderTypeType::Facebook
        | m::IdentityProviderTypeType::LoginWithAmazon => {
            &["client_id", "client_secret", "authorize_scopes"]
        }
        m::IdentityProviderTypeType::SignInWithApple => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        m::IdentityProviderTypeType::Oidc => &[
            "client_id",
            "attributes_request_method",
            "oidc_issuer",
            "authorize_scopes",
        ],
        _ => &[],
    }
}

fn check_details(
    t: &m::IdentityProviderTypeType,
    details: &HashMap<String, String>,
) -> ApiResult<()> {
    for k in required_details(t) {
        if !details.contains_key(*k) {
            return Err(ApiError::invalid_parameter(format!(
                "ProviderDetails of a {} identity provider must have {k}.",
                t.as_str()
            )));
        }
    }
    if *t == m::IdentityProviderTypeType::Saml
        && !details.contains_key("MetadataURL")
        && !details.contains_key("MetadataFile")
    {
        return Err(ApiError::invalid_parameter(
            "ProviderDetails of a SAML identity provider must have MetadataURL or MetadataFile.",
        ));
    }
    if let Some(method) = details.get("attributes_request_method") {
        if method != "GET" && method != "POST" {
            return Err(ApiError::invalid_parameter(
                "attributes_request_method must be GET or POST.",
            ));
        }
    }
    Ok(())
}

/// Mapped attributes must be in the pool's schema; identifiers unique in the pool.
fn check_mapping_and_identifiers(
    pool: &Pool,
    name: &str,
    mapping: Option<&HashMap<String, String>>,
    identifiers: Option<&Vec<String>>,
) -> ApiResult<()> {
    let schema = super::schema::attributes(pool);
    for attr in mapping.into_iter().flatten().map(|(k, _)| k) {
        if attr != "username"
            && !schema
                .iter()
                .any(|a| a.name.as_deref() == Some(attr.as_str()))
        {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid AttributeMapping: {attr} is not an attribute of the user pool"
            )));
        }
    }
    for id in identifiers.into_iter().flatten() {
        let taken = providers(pool).any(|p| {
            p.provider_name.as_deref() != Some(name)
                && p.idp_identifiers.iter().flatten().any(|x| x == id)
        });
        if taken {
            return Err(ApiError::invalid_parameter(format!(
                "The identifier {id} is already used by another identity provider."
            )));
        }
    }
    Ok(())
}

pub(super) fn create_identity_provider(
    ctx: &Ctx<'_>,
    input: m::CreateIdentityProviderInput,
) -> ApiResult<m::CreateIdentityProviderOutput> {
    known("providerType", &input.provider_type)?;
    if input.provider_name.eq_ignore_ascii_case("cognito") {
        return Err(ApiError::invalid_parameter(
            "COGNITO is the user pool's own directory, not an identity provider name.",
        ));
    }
    check_details(&input.provider_type, &input.provider_details)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let k = key(IDENTITY_PROVIDER, &input.provider_name);
    if pool.resources.contains_key(&k) {
        return Err(ApiError::new(
            "DuplicateProviderException",
            format!(
                "A provider with the name {} already exists in this user pool.",
                input.provider_name
            ),
        ));
    }
    if providers(pool).count() >= MAX_PROVIDERS {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("A user pool can have at most {MAX_PROVIDERS} identity providers."),
        ));
    }
    check_mapping_and_identifiers(
        pool,
        &input.provider_name,
        input.attribute_mapping.as_ref(),
        input.idp_identifiers.as_ref(),
    )?;
    let provider = m::IdentityProviderType {
        user_pool_id: Some(pool.id.clone()),
        provider_name: Some(input.provider_name),
        provider_type: Some(input.provider_type),
        provider_details: Some(input.provider_details),
        attribute_mapping: input.attribute_mapping,
        idp_identifiers: input.idp_identifiers,
        last_modified_date: Some(date(now)),
        creation_date: Some(date(now)),
    };
    pool.resources
        .insert(k, Resource::IdentityProvider(provider.clone()));
    Ok(m::CreateIdentityProviderOutput::builder()
        .identity_provider(provider)
        .build()?)
}

pub(super) fn describe_identity_provider(
    ctx: &Ctx<'_>,
    input: m::DescribeIdentityProviderInput,
) -> ApiResult<m::DescribeIdentityProviderOutput> {
    let store = ctx.store();
    let p = provider(store.pool(&input.user_pool_id)?, &input.provider_name)?.clone();
    Ok(m::DescribeIdentityProviderOutput::builder()
        .identity_provider(p)
        .build()?)
}

pub(super) fn get_identity_provider_by_identifier(
    ctx: &Ctx<'_>,
    input: m::GetIdentityProviderByIdentifierInput,
) -> ApiResult<m::GetIdentityProviderByIdentifierOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let p = providers(pool)
        .find(|p| {
            p.idp_identifiers
                .iter()
                .flatten()
                .any(|i| *i == input.idp_identifier)
        })
        .cloned()
        .ok_or_else(|| {
            ApiError::resource_not_found(format!(
                "No identity provider has the identifier {}.",
                input.idp_identifier
            ))
        })?;
    Ok(m::GetIdentityProviderByIdentifierOutput::builder()
        .identity_provider(p)
        .build()?)
}

pub(super) fn update_identity_provider(
    ctx: &Ctx<'_>,
    input: m::UpdateIdentityProviderInput,
) -> ApiResult<m::UpdateIdentityProviderOutput> {
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let mut p = provider(pool, &input.provider_name)?.clone();
    check_mapping_and_identifiers(
        pool,
        &input.provider_name,
        input.attribute_mapping.as_ref(),
        input.idp_identifiers.as_ref(),
    )?;
    if let Some(details) = input.provider_details {
        let t = p
            .provider_type
            .clone()
            .unwrap_or(m::IdentityProviderTypeType::Oidc);
        // Details left out keep their values (Cognito merges them).
        let mut merged = p.provider_details.clone().unwrap_or_default();
        merged.extend(details);
        check_details(&t, &merged)?;
        p.provider_details = Some(merged);
    }
    if input.attribute_mapping.is_some() {
        p.attribute_mapping = input.attribute_mapping;
    }
    if input.idp_identifiers.is_some() {
        p.idp_identifiers = input.idp_identifiers;
    }
    p.last_modified_date = Some(date(now));
    pool.resources.insert(
        key(IDENTITY_PROVIDER, &input.provider_name),
        Resource::IdentityProvider(p.clone()),
    );
    Ok(m::UpdateIdentityProviderOutput::builder()
        .identity_provider(p)
        .build()?)
}

pub(super) fn delete_identity_provider(
    ctx: &Ctx<'_>,
    input: m::DeleteIdentityProviderInput,
) -> ApiResult<m::DeleteIdentityProviderOutput> {
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    provider(pool, &input.provider_name)?;
    pool.resources
        .remove(&key(IDENTITY_PROVIDER, &input.provider_name));
    Ok(m::DeleteIdentityProviderOutput::builder().build()?)
}

pub(super) fn list_identity_providers(
    ctx: &Ctx<'_>,
    input: m::ListIdentityProvidersInput,
) -> ApiResult<m::ListIdentityProvidersOutput> {
    let max = match input.max_results {
        None | Some(0) => 50,
        Some(n) => n.clamp(1, 50) as usize,
    };
    let after = after_token(input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let mut page: Vec<&m::IdentityProviderType> = providers(pool)
        .filter(|p| {
            after
                .as_deref()
                .map_or(true, |a| p.provider_name.as_deref().unwrap_or_default() > a)
        })
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let list: Vec<m::ProviderDescription> = page
        .iter()
        .map(|p| m::ProviderDescription {
            provider_name: p.provider_name.clone(),
            provider_type: p.provider_type.clone(),
            last_modified_date: p.last_modified_date,
            creation_date: p.creation_date,
        })
        .collect();
    let mut out = m::ListIdentityProvidersOutput::builder().set_providers(Some(list));
    if more {
        if let Some(name) = page.last().and_then(|p| p.provider_name.as_deref()) {
            out = out.next_token(page_token(name));
        }
    }
    Ok(out.build()?)
}

fn field<'a>(u: &'a m::ProviderUserIdentifierType, what: &str, path: &str) -> ApiResult<&'a str> {
    let v = match what {
        "name" => u.provider_name.as_deref(),
        "attribute" => u.provider_attribute_name.as_deref(),
        _ => u.provider_attribute_value.as_deref(),
    };
    v.filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::null_at(path))
}

pub(super) fn admin_link_provider_for_user(
    ctx: &Ctx<'_>,
    input: m::AdminLinkProviderForUserInput,
) -> ApiResult<m::AdminLinkProviderForUserOutput> {
    let dest = &input.destination_user;
    let source = &input.source_user;
    let dest_provider = field(dest, "name", "destinationUser.providerName")?;
    let dest_value = field(dest, "value", "destinationUser.providerAttributeValue")?;
    let source_provider = field(source, "name", "sourceUser.providerName")?;
    let source_attribute = field(source, "attribute", "sourceUser.providerAttributeName")?;
    let source_value = field(source, "value", "sourceUser.providerAttributeValue")?;
    if !dest_provider.eq_ignore_ascii_case("cognito") {
        return Err(ApiError::invalid_parameter(
            "The destination user must be a user of the pool (ProviderName Cognito).",
        ));
    }
    if source_provider.eq_ignore_ascii_case("cognito") {
        return Err(ApiError::invalid_parameter(
            "The source user must be a user of an identity provider.",
        ));
    }
    if source_attribute != "Cognito_Subject" {
        return Err(ApiError::invalid_parameter(
            "Only ProviderAttributeName Cognito_Subject is supported for the source user.",
        ));
    }
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let provider_type = provider(pool, source_provider)?
        .provider_type
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    let linked_elsewhere = pool.users.values().any(|u| {
        u.identities
            .iter()
            .any(|i| i.provider_name == source_provider && i.user_id == source_value)
    });
    if linked_elsewhere {
        return Err(ApiError::new(
            "AliasExistsException",
            "The source user is already linked to a user of this pool.",
        ));
    }
    let user = pool.user_mut(dest_value)?;
    if user.identities.len() >= MAX_LINKS {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("A user can be linked to at most {MAX_LINKS} identities."),
        ));
    }
    user.identities.push(LinkedIdentity {
        provider_name: source_provider.to_owned(),
        provider_type,
        user_id: source_value.to_owned(),
        created: now,
    });
    user.modified = now;
    Ok(m::AdminLinkProviderForUserOutput::builder().build()?)
}

pub(super) fn admin_disable_provider_for_user(
    ctx: &Ctx<'_>,
    input: m::AdminDisableProviderForUserInput,
) -> ApiResult<m::AdminDisableProviderForUserOutput> {
    let u = &input.user;
    let provider_name = field(u, "name", "user.providerName")?;
    let value = field(u, "value", "user.providerAttributeValue")?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    provider(pool, provider_name)?;
    let holder = pool
        .users
        .iter()
        .find(|(_, user)| {
            user.identities
                .iter()
                .any(|i| i.provider_name == provider_name && i.user_id == value)
        })
        .map(|(k, _)| k.clone())
        .ok_or_else(|| {
            ApiError::resource_not_found(format!(
                "No user is linked to {provider_name} user {value}."
            ))
        })?;
    if let Some(user) = pool.users.get_mut(&holder) {
        user.identities
            .retain(|i| !(i.provider_name == provider_name && i.user_id == value));
        user.modified = now;
    }
    Ok(m::AdminDisableProviderForUserOutput::builder().build()?)
}
