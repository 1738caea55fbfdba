//! App clients: Create/Describe/Update/Delete/ListUserPoolClients and the client secrets
//! (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret: a client
//! has at most two, so one can be rotated out while the other is in use).

use super::checks::known;
use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::shapes::date;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model::{self as m, ModelEnum};
use crate::store::{AppClient, ClientConfig, ClientSecret, Store};

/// Secrets a client may have at once.
const MAX_SECRETS: usize = 2;
/// App clients per pool (Cognito's default quota is 1,000).
const MAX_CLIENTS: usize = 1000;

/// The flows a client allows when the request names none.
fn default_flows() -> Vec<String> {
    vec![
        "ALLOW_REFRESH_TOKEN_AUTH".into(),
        "ALLOW_USER_SRP_AUTH".into(),
        "ALLOW_CUSTOM_AUTH".into(),
    ]
}

fn flows(requested: Option<Vec<m::ExplicitAuthFlowsType>>) -> ApiResult<Vec<String>> {
    let Some(list) = requested else {
        return Ok(default_flows());
    };
    for f in &list {
        if !f.is_known() {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
                f.as_str(),
                m::ExplicitAuthFlowsType::values().join(", ")
            )));
        }
    }
    let names: Vec<String> = list.iter().map(|f| f.as_str().to_owned()).collect();
    let legacy = names.iter().any(|f| !f.starts_with("ALLOW_"));
    let modern = names.iter().any(|f| f.starts_with("ALLOW_"));
    if legacy && modern {
        return Err(ApiError::invalid_parameter(
            "The combination of old and new ExplicitAuthFlows values is not supported.",
        ));
    }
    Ok(names)
}

fn unit_secs(unit: Option<&m::TimeUnitsType>, default: &m::TimeUnitsType) -> ApiResult<i64> {
    let unit = unit.unwrap_or(default);
    known("tokenValidityUnits", unit)?;
    Ok(match unit {
        m::TimeUnitsType::Seconds => 1,
        m::TimeUnitsType::Minutes => 60,
        m::TimeUnitsType::Hours => 3600,
        _ => 86_400,
    })
}

/// Token validities in seconds, checked against Cognito's bounds.
struct Validities {
    access: i64,
    id: i64,
    refresh: i64,
    session_minutes: i64,
}

fn validities(
    access: Option<i32>,
    id: Option<i32>,
    refresh: Option<i32>,
    units: Option<&m::TokenValidityUnitsType>,
    session: Option<i32>,
) -> ApiResult<Validities> {
    let unit = |f: fn(&m::TokenValidityUnitsType) -> Option<&m::TimeUnitsType>, default| {
        unit_secs(units.and_then(f), &default)
    };
    let access = match access {
        Some(v) => i64::from(v) * unit(|u| u.access_token.as_ref(), m::TimeUnitsType::Hours)?,
        None => 3600,
    };
    let id = match id {
        Some(v) => i64::from(v) * unit(|u| u.id_token.as_ref(), m::TimeUnitsType::Hours)?,
        None => 3600,
    };
    let refresh = match refresh {
        Some(0) | None => 30 * 86_400,
        Some(v) => i64::from(v) * unit(|u| u.refresh_token.as_ref(), m::TimeUnitsType::Days)?,
    };
    for (what, secs, min, max) in [
        ("AccessTokenValidity", access, 300, 86_400),
        ("IdTokenValidity", id, 300, 86_400),
        ("RefreshTokenValidity", refresh, 3600, 315_360_000),
    ] {
        if !(min..=max).contains(&secs) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid range for token validity: {what} must be between {min} and {max} seconds."
            )));
        }
    }
    let session_minutes = i64::from(session.unwrap_or(3));
    if !(3..=15).contains(&session_minutes) {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15",
        ));
    }
    Ok(Validities {
        access,
        id,
        refresh,
        session_minutes,
    })
}

fn prevent(p: Option<&m::PreventUserExistenceErrorTypes>) -> ApiResult<bool> {
    match p {
        None | Some(m::PreventUserExistenceErrorTypes::Legacy) => Ok(false),
        Some(m::PreventUserExistenceErrorTypes::Enabled) => Ok(true),
        Some(other) => known("preventUserExistenceErrors", other).map(|()| false),
    }
}

fn new_secret(ctx: &Ctx<'_>, client_id: &str, value: Option<String>) -> ApiResult<ClientSecret> {
    let value = match value {
        Some(v) => v,
        None => ids::client_secret().map_err(no_randomness)?,
    };
    Ok(ClientSecret {
        id: format!("{client_id}--{}", ids::opaque(12).map_err(no_randomness)?),
        value,
        created: ctx.now(),
    })
}

/// The OAuth and attribute members a client keeps as they are, checked the way
/// CreateUserPoolClient and UpdateUserPoolClient check them.
fn checked_config(
    store: &Store,
    pool_id: &str,
    config: ClientConfig,
    has_secret: bool,
) -> ApiResult<ClientConfig> {
    for f in config.allowed_oauth_flows.iter().flatten() {
        known("allowedOAuthFlows", f)?;
    }
    let pool = store.pool(pool_id)?;
    for (member, list) in [
        ("readAttributes", &config.read_attributes),
        ("writeAttributes", &config.write_attributes),
    ] {
        let schema = super::schema::attributes(pool);
        for a in list.iter().flatten() {
            if !schema.iter().any(|s| s.name.as_deref() == Some(a.as_str())) {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid {member} attribute: {a} is not in the pool's schema"
                )));
            }
        }
    }
    if let Some(r) = &config.refresh_token_rotation {
        known("refreshTokenRotation.feature", &r.feature)?;
    }
    let providers = super::providers::names(pool);
    crate::oauth::client_settings::check_client_request(
        &store.oauth,
        pool_id,
        &config,
        has_secret,
        &providers,
    )?;
    Ok(config)
}

pub(crate) fn build_client(
    ctx: &Ctx<'_>,
    input: m::CreateUserPoolClientInput,
) -> ApiResult<AppClient> {
    let pool_id = input.user_pool_id;
    let explicit_flows = flows(input.explicit_auth_flows)?;
    let prevent = prevent(input.prevent_user_existence_errors.as_ref())?;
    let v = validities(
        input.access_token_validity,
        input.id_token_validity,
        input.refresh_token_validity,
        input.token_validity_units.as_ref(),
        input.auth_session_validity,
    )?;
    let id = ids::client_id().map_err(no_randomness)?;
    let secrets = if input.generate_secret.unwrap_or(false) || input.client_secret.is_some() {
        vec![new_secret(ctx, &id, input.client_secret)?]
    } else {
        Vec::new()
    };
    let config = ClientConfig {
        read_attributes: input.read_attributes,
        write_attributes: input.write_attributes,
        supported_identity_providers: input.supported_identity_providers,
        callback_urls: input.callback_ur_ls,
        logout_urls: input.logout_ur_ls,
        default_redirect_uri: input.default_redirect_uri,
        allowed_oauth_flows: input.allowed_o_auth_flows,
        allowed_oauth_scopes: input.allowed_o_auth_scopes,
        allowed_oauth_flows_user_pool_client: input.allowed_o_auth_flows_user_pool_client,
        analytics_configuration: input.analytics_configuration,
        enable_token_revocation: input.enable_token_revocation,
        enable_propagate_additional_user_context_data: input
            .enable_propagate_additional_user_context_data,
        refresh_token_rotation: input.refresh_token_rotation,
        last_modified: 0,
    };
    let config = checked_config(&ctx.store(), &pool_id, config, !secrets.is_empty())?;
    Ok(AppClient {
        id,
        name: input.client_name,
        secrets,
        explicit_flows,
        prevent_user_existence_errors: prevent,
        access_validity_secs: v.access,
        id_validity_secs: v.id,
        refresh_validity_secs: v.refresh,
        session_validity_secs: v.session_minutes * 60,
        created: ctx.now(),
        config,
    })
}

pub(super) fn create_user_pool_client(
    ctx: &Ctx<'_>,
    input: m::CreateUserPoolClientInput,
) -> ApiResult<m::CreateUserPoolClientOutput> {
    let pool_id = input.user_pool_id.clone();
    let client = build_client(ctx, input)?;
    let body = client_type(&pool_id, &client);
    let mut store = ctx.store();
    if store.pool(&pool_id)?.clients.len() >= MAX_CLIENTS {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("A user pool can have at most {MAX_CLIENTS} app clients."),
        ));
    }
    store.insert_client(&pool_id, client)?;
    Ok(m::CreateUserPoolClientOutput::builder()
        .user_pool_client(body)
        .build()?)
}

/// The client as DescribeUserPoolClient shows it. Validities are given in minutes (days for
/// the refresh token), with the units that say so.
pub(crate) fn client_type(pool_id: &str, c: &AppClient) -> m::UserPoolClientType {
    let cfg = &c.config;
    let (refresh, refresh_unit) = if c.refresh_validity_secs % 86_400 == 0 {
        (c.refresh_validity_secs / 86_400, m::TimeUnitsType::Days)
    } else {
        (c.refresh_validity_secs / 60, m::TimeUnitsType::Minutes)
    };
    m::UserPoolClientType {
        user_pool_id: Some(pool_id.to_owned()),
        client_name: Some(c.name.clone()),
        client_id: Some(c.id.clone()),
        client_secret: c.first_secret().map(str::to_owned),
        last_modified_date: Some(date(cfg.last_modified.max(c.created))),
        creation_date: Some(date(c.created)),
        refresh_token_validity: Some(refresh as i32),
        access_token_validity: Some((c.access_validity_secs / 60) as i32),
        id_token_validity: Some((c.id_validity_secs / 60) as i32),
        token_validity_units: Some(m::TokenValidityUnitsType {
            access_token: Some(m::TimeUnitsType::Minutes),
            id_token: Some(m::TimeUnitsType::Minutes),
            refresh_token: Some(refresh_unit),
        }),
        read_attributes: cfg.read_attributes.clone(),
        write_attributes: cfg.write_attributes.clone(),
        explicit_auth_flows: Some(
            c.explicit_flows
                .iter()
                .map(|f| m::ExplicitAuthFlowsType::from(f.as_str()))
                .collect(),
        ),
        supported_identity_providers: cfg.supported_identity_providers.clone(),
        callback_ur_ls: cfg.callback_urls.clone(),
        logout_ur_ls: cfg.logout_urls.clone(),
        default_redirect_uri: cfg.default_redirect_uri.clone(),
        allowed_o_auth_flows: cfg.allowed_oauth_flows.clone(),
        allowed_o_auth_scopes: cfg.allowed_oauth_scopes.clone(),
        allowed_o_auth_flows_user_pool_client: Some(
            cfg.allowed_oauth_flows_user_pool_client.unwrap_or(false),
        ),
        analytics_configuration: cfg.analytics_configuration.clone(),
        prevent_user_existence_errors: Some(if c.prevent_user_existence_errors {
            m::PreventUserExistenceErrorTypes::Enabled
        } else {
            m::PreventUserExistenceErrorTypes::Legacy
        }),
        enable_token_revocation: Some(cfg.enable_token_revocation.unwrap_or(true)),
        enable_propagate_additional_user_context_data: Some(
            cfg.enable_propagate_additional_user_context_data
                .unwrap_or(false),
        ),
        auth_session_validity: Some((c.session_validity_secs / 60) as i32),
        refresh_token_rotation: cfg.refresh_token_rotation.clone(),
    }
}

pub(super) fn describe_user_pool_client(
    ctx: &Ctx<'_>,
    input: m::DescribeUserPoolClientInput,
) -> ApiResult<m::DescribeUserPoolClientOutput> {
    let store = ctx.store();
    let client = store.pool(&input.user_pool_id)?.client(&input.client_id)?;
    Ok(m::DescribeUserPoolClientOutput::builder()
        .user_pool_client(client_type(&input.user_pool_id, client))
        .build()?)
}

/// UpdateUserPoolClient: as in Cognito, members the request leaves out go back to their
/// defaults (the name and secrets stay).
pub(super) fn update_user_pool_client(
    ctx: &Ctx<'_>,
    input: m::UpdateUserPoolClientInput,
) -> ApiResult<m::UpdateUserPoolClientOutput> {
    let pool_id = input.user_pool_id;
    let client_id = input.client_id;
    let explicit_flows = flows(input.explicit_auth_flows)?;
    let prevent = prevent(input.prevent_user_existence_errors.as_ref())?;
    let v = validities(
        input.access_token_validity,
        input.id_token_validity,
        input.refresh_token_validity,
        input.token_validity_units.as_ref(),
        input.auth_session_validity,
    )?;
    let mut store = ctx.store();
    let has_secret = store.pool(&pool_id)?.client(&client_id)?.has_secret();
    let config = ClientConfig {
        read_attributes: input.read_attributes,
        write_attributes: input.write_attributes,
        supported_identity_providers: input.supported_identity_providers,
        callback_urls: input.callback_ur_ls,
        logout_urls: input.logout_ur_ls,
        default_redirect_uri: input.default_redirect_uri,
        allowed_oauth_flows: input.allowed_o_auth_flows,
        allowed_oauth_scopes: input.allowed_o_auth_scopes,
        allowed_oauth_flows_user_pool_client: input.allowed_o_auth_flows_user_pool_client,
        analytics_configuration: input.analytics_configuration,
        enable_token_revocation: input.enable_token_revocation,
        enable_propagate_additional_user_context_data: input
            .enable_propagate_additional_user_context_data,
        refresh_token_rotation: input.refresh_token_rotation,
        last_modified: ctx.now(),
    };
    let config = checked_config(&store, &pool_id, config, has_secret)?;
    let client = store
        .pool_mut(&pool_id)?
        .clients
        .get_mut(&client_id)
        .ok_or_else(|| ApiError::unknown_client(&client_id))?;
    if let Some(name) = input.client_name {
        client.name = name;
    }
    client.explicit_flows = explicit_flows;
    client.prevent_user_existence_errors = prevent;
    client.access_validity_secs = v.access;
    client.id_validity_secs = v.id;
    client.refresh_validity_secs = v.refresh;
    client.session_validity_secs = v.session_minutes * 60;
    client.config = config;
    let body = client_type(&pool_id, client);
    Ok(m::UpdateUserPoolClientOutput::builder()
        .user_pool_client(body)
        .build()?)
}

pub(super) fn delete_user_pool_client(
    ctx: &Ctx<'_>,
    input: m::DeleteUserPoolClientInput,
) -> ApiResult<m::DeleteUserPoolClientOutput> {
    ctx.store()
        .remove_client(&input.user_pool_id, &input.client_id)?;
    Ok(m::DeleteUserPoolClientOutput::builder().build()?)
}

pub(super) fn list_user_pool_clients(
    ctx: &Ctx<'_>,
    input: m::ListUserPoolClientsInput,
) -> ApiResult<m::ListUserPoolClientsOutput> {
    let max = input.max_results.unwrap_or(60).clamp(1, 60) as usize;
    let after = after_token(input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let mut page: Vec<&AppClient> = pool
        .clients
        .values()
        .filter(|c| after.as_deref().map_or(true, |a| c.id.as_str() > a))
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let list: Vec<m::UserPoolClientDescription> = page
        .iter()
        .map(|c| m::UserPoolClientDescription {
            client_id: Some(c.id.clone()),
            user_pool_id: Some(pool.id.clone()),
            client_name: Some(c.name.clone()),
        })
        .collect();
    let mut out = m::ListUserPoolClientsOutput::builder().set_user_pool_clients(Some(list));
    if more {
        if let Some(last) = page.last() {
            out = out.next_token(page_token(&last.id));
        }
    }
    Ok(out.build()?)
}

fn descriptor(s: &ClientSecret, with_value: bool) -> m::ClientSecretDescriptorType {
    m::ClientSecretDescriptorType {
        client_secret_id: Some(s.id.clone()),
        client_secret_value: with_value.then(|| s.value.clone()),
        client_secret_create_date: Some(date(s.created)),
    }
}

/// AddUserPoolClientSecret: a second secret (generated, or the one given) for a client that
/// has one; both are accepted until the old one is deleted.
pub(super) fn add_user_pool_client_secret(
    ctx: &Ctx<'_>,
    input: m::AddUserPoolClientSecretInput,
) -> ApiResult<m::AddUserPoolClientSecretOutput> {
    let secret = new_secret(ctx, &input.client_id, input.client_secret)?;
    let mut store = ctx.store();
    let client = store
        .pool_mut(&input.user_pool_id)?
        .clients
        .get_mut(&input.client_id)
        .ok_or_else(|| ApiError::unknown_client(&input.client_id))?;
    if !client.has_secret() {
        return Err(ApiError::invalid_parameter(
            "The app client has no client secret: a public client cannot get one.",
        ));
    }
    if client.secrets.len() >= MAX_SECRETS {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("An app client can have at most {MAX_SECRETS} client secrets."),
        ));
    }
    let out = descriptor(&secret, true);
    client.secrets.push(secret);
    Ok(m::AddUserPoolClientSecretOutput::builder()
        .client_secret_descriptor(out)
        .build()?)
}

pub(super) fn list_user_pool_client_secrets(
    ctx: &Ctx<'_>,
    input: m::ListUserPoolClientSecretsInput,
) -> ApiResult<m::ListUserPoolClientSecretsOutput> {
    let store = ctx.store();
    let client = store.pool(&input.user_pool_id)?.client(&input.client_id)?;
    let list: Vec<m::ClientSecretDescriptorType> = client
        .secrets
        .iter()
        .map(|s| descriptor(s, false))
        .collect();
    Ok(m::ListUserPoolClientSecretsOutput::builder()
        .set_client_secrets(Some(list))
        .build()?)
}

pub(super) fn delete_user_pool_client_secret(
    ctx: &Ctx<'_>,
    input: m::DeleteUserPoolClientSecretInput,
) -> ApiResult<m::DeleteUserPoolClientSecretOutput> {
    let mut store = ctx.store();
    let client = store
        .pool_mut(&input.user_pool_id)?
        .clients
        .get_mut(&input.client_id)
        .ok_or_else(|| ApiError::unknown_client(&input.client_id))?;
    let Some(i) = client
        .secrets
        .iter()
        .position(|s| s.id == input.client_secret_id)
    else {
        return Err(ApiError::resource_not_found(format!(
            "Client secret {} does not exist.",
            input.client_secret_id
        )));
    };
    if client.secrets.len() == 1 {
        return Err(ApiError::invalid_parameter(
            "The last client secret of an app client cannot be deleted.",
        ));
    }
    client.secrets.remove(i);
    Ok(m::DeleteUserPoolClientSecretOutput::builder().build()?)
}
