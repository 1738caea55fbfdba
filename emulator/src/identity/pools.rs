//! Identity pool administration: Create, Describe, Update, List, Delete.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::input::max_results;
use super::region_ids::{check_id, new_id, region_of};
use super::state::{unknown_pool, IdentityPool, UserPoolProvider};
use crate::error::{ApiError, ApiResult};
use crate::identity::Input;
use crate::ops::context::Ctx;

/// The settings CreateIdentityPool and UpdateIdentityPool share.
struct Settings {
    name: String,
    allow_unauthenticated: bool,
    allow_classic_flow: bool,
    providers: Vec<UserPoolProvider>,
    supported_login_providers: BTreeMap<String, String>,
    developer_provider_name: Option<String>,
    open_id_connect_provider_arns: Vec<String>,
    saml_provider_arns: Vec<String>,
    tags: Option<BTreeMap<String, String>>,
}

fn settings(input: &Input<'_>) -> ApiResult<Settings> {
    let name = input.str("IdentityPoolName")?.to_owned();
    let name_ok = (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c));
    if !name_ok {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{name}' at 'identityPoolName' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+ and have \
             length between 1 and 128"
        )));
    }
    let allow_unauthenticated = match input.opt_bool("AllowUnauthenticatedIdentities")? {
        Some(b) => b,
        None => return Err(ApiError::missing_member("AllowUnauthenticatedIdentities")),
    };
    let mut providers = Vec::new();
    for p in input
        .opt_object_list("CognitoIdentityProviders")?
        .unwrap_or_default()
    {
        let provider_name = p.str("ProviderName")?.to_owned();
        check_provider_name(&provider_name)?;
        let client_id = p.str("ClientId")?.to_owned();
        if client_id.is_empty()
            || client_id.len() > 128
            || !client_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid ClientId {client_id:?} for provider {provider_name}"
            )));
        }
        if providers.iter().any(|q: &UserPoolProvider| {
            q.provider_name == provider_name && q.client_id == client_id
        }) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate provider {provider_name} with client {client_id}"
            )));
        }
        providers.push(UserPoolProvider {
            provider_name,
            client_id,
            server_side_token_check: p.opt_bool("ServerSideTokenCheck")?.unwrap_or(false),
        });
    }
    Ok(Settings {
        name,
        allow_unauthenticated,
        allow_classic_flow: input.opt_bool("AllowClassicFlow")?.unwrap_or(false),
        providers,
        supported_login_providers: input
            .opt_string_map("SupportedLoginProviders")?
            .unwrap_or_default(),
        developer_provider_name: input.opt_str("DeveloperProviderName")?.map(str::to_owned),
        open_id_connect_provider_arns: input
            .opt_string_list("OpenIdConnectProviderARNs")?
            .unwrap_or_default(),
        saml_provider_arns: input
            .opt_string_list("SamlProviderARNs")?
            .unwrap_or_default(),
        tags: input.opt_string_map("IdentityPoolTags")?,
    })
}

/// `cognito-idp.<region>.amazonaws.com/<region>_<name>`, as Cognito requires of user pool
/// providers.
fn check_provider_name(name: &str) -> ApiResult<()> {
    let ok = name
        .strip_prefix("cognito-idp.")
        .and_then(|rest| rest.split_once(".amazonaws.com/"))
        .is_some_and(|(region, pool)| {
            !region.is_empty()
                && pool
                    .split_once('_')
                    .is_some_and(|(r, n)| r == region && !n.is_empty())
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "Invalid Cognito Identity Provider {name:?}: expected \
             cognito-idp.<region>.amazonaws.com/<user pool id>"
        )))
    }
}

pub(super) fn pool_json(p: &IdentityPool) -> Value {
    let providers: Vec<Value> = p
        .providers
        .iter()
        .map(|q| {
            json!({
                "ProviderName": q.provider_name,
                "ClientId": q.client_id,
                "ServerSideTokenCheck": q.server_side_token_check,
            })
        })
        .collect();
    let mut out = json!({
        "IdentityPoolId": p.id,
        "IdentityPoolName": p.name,
        "AllowUnauthenticatedIdentities": p.allow_unauthenticated,
        "AllowClassicFlow": p.allow_classic_flow,
        "SupportedLoginProviders": p.supported_login_providers,
        "CognitoIdentityProviders": providers,
        "OpenIdConnectProviderARNs": p.open_id_connect_provider_arns,
        "SamlProviderARNs": p.saml_provider_arns,
        "IdentityPoolTags": p.tags,
    });
    if let (Some(name), Some(m)) = (&p.developer_provider_name, out.as_object_mut()) {
        m.insert("DeveloperProviderName".into(), json!(name));
    }
    out
}

/// A new identity pool with these settings and no roles yet.
fn new_pool(id: String, s: Settings) -> IdentityPool {
    IdentityPool {
        id,
        name: s.name,
        allow_unauthenticated: s.allow_unauthenticated,
        allow_classic_flow: s.allow_classic_flow,
        providers: s.providers,
        supported_login_providers: s.supported_login_providers,
        developer_provider_name: s.developer_provider_name,
        open_id_connect_provider_arns: s.open_id_connect_provider_arns,
        saml_provider_arns: s.saml_provider_arns,
        tags: s.tags.unwrap_or_default(),
        roles: BTreeMap::new(),
        role_mappings: Default::default(),
    }
}

pub(super) fn create_identity_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let s = settings(input)?;
    let id = new_id(ctx.region())?;
    let pool = new_pool(id.clone(), s);
    let body = pool_json(&pool);
    ctx.store().identity.pools.insert(id, pool);
    Ok(body)
}

/// The identity pool a seed file describes, checked as CreateIdentityPool and
/// SetIdentityPoolRoles check theirs: `settings` holds CreateIdentityPool's request members,
/// `roles` SetIdentityPoolRoles' (or None for no roles). An error comes with the part of the
/// description it is about: `id`, `settings` or `roles`.
pub(crate) fn seeded_pool(
    id: &str,
    settings_request: &Input<'_>,
    roles_request: Option<&Input<'_>>,
) -> Result<IdentityPool, (&'static str, ApiError)> {
    check_id("IdentityPoolId", id).map_err(|e| ("id", e))?;
    let settings = settings(settings_request).map_err(|e| ("settings", e))?;
    let mut pool = new_pool(id.to_owned(), settings);
    if let Some(request) = roles_request {
        (pool.roles, pool.role_mappings) =
            super::roles::role_settings(request).map_err(|e| ("roles", e))?;
    }
    Ok(pool)
}

pub(super) fn describe_identity_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", id)?;
    let store = ctx.store();
    Ok(pool_json(store.identity.pool(id)?))
}

pub(super) fn update_identity_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", id)?;
    let s = settings(input)?;
    let mut store = ctx.store();
    let pool = store.identity.pool_mut(id)?;
    pool.name = s.name;
    pool.allow_unauthenticated = s.allow_unauthenticated;
    pool.allow_classic_flow = s.allow_classic_flow;
    pool.providers = s.providers;
    pool.supported_login_providers = s.supported_login_providers;
    pool.developer_provider_name = s.developer_provider_name;
    pool.open_id_connect_provider_arns = s.open_id_connect_provider_arns;
    pool.saml_provider_arns = s.saml_provider_arns;
    if let Some(tags) = s.tags {
        pool.tags = tags;
    }
    Ok(pool_json(pool))
}

pub(super) fn list_identity_pools(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let max = max_results(input)?;
    let after = input.opt_str("NextToken")?;
    let store = ctx.store();
    let region = ctx.region();
    let matching: Vec<&IdentityPool> = store
        .identity
        .pools
        .values()
        .filter(|p| region_of(&p.id) == region)
        .filter(|p| after.map_or(true, |a| p.id.as_str() > a))
        .collect();
    let page = &matching[..matching.len().min(max)];
    let listed: Vec<Value> = page
        .iter()
        .map(|p| json!({"IdentityPoolId": p.id, "IdentityPoolName": p.name}))
        .collect();
    let mut out = json!({ "IdentityPools": listed });
    if matching.len() > max {
        if let Some(last) = page.last() {
            out["NextToken"] = json!(last.id);
        }
    }
    Ok(out)
}

pub(super) fn delete_identity_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", id)?;
    let mut store = ctx.store();
    let state = &mut store.identity;
    state.pools.remove(id).ok_or_else(|| unknown_pool(id))?;
    state.identities.retain(|_, i| i.pool_id != id);
    state.by_login.retain(|(pool, _, _), _| pool != id);
    Ok(json!({}))
}
