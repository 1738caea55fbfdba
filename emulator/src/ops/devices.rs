//! Device tracking: ConfirmDevice stores the device's SRP verifier, UpdateDeviceStatus
//! remembers it (remembered devices skip MFA), ForgetDevice drops it; ListDevices/GetDevice and
//! their Admin variants show them.

use srp_core::Verifier;

use super::checks::known;
use super::context::Ctx;
use super::issue::check_access_token;
use super::paging::{after_token, page_token};
use super::shapes::device_type;
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::{Device, Store, User};

fn no_device() -> ApiError {
    ApiError::resource_not_found("Device does not exist.")
}

fn access_token(token: Option<String>) -> ApiResult<String> {
    token.ok_or_else(|| ApiError::not_authorized("Missing Authentication Token"))
}

/// The confirmed devices of a user (a device never confirmed is not one yet).
fn confirmed(user: &User) -> impl Iterator<Item = &Device> {
    user.devices.values().filter(|d| d.verifier.is_some())
}

pub(super) fn confirm_device(
    ctx: &Ctx<'_>,
    input: m::ConfirmDeviceInput,
) -> ApiResult<m::ConfirmDeviceOutput> {
    let config = input
        .device_secret_verifier_config
        .ok_or_else(|| ApiError::missing_member("DeviceSecretVerifierConfig"))?;
    let pv = config
        .password_verifier
        .ok_or_else(|| ApiError::null_at("deviceSecretVerifierConfig.passwordVerifier"))?;
    let salt = config
        .salt
        .ok_or_else(|| ApiError::null_at("deviceSecretVerifierConfig.salt"))?;
    let verifier = Verifier::from_device_config(&pv, &salt).map_err(|e| {
        ApiError::invalid_parameter(format!("Invalid DeviceSecretVerifierConfig: {e}"))
    })?;
    let now = ctx.now();
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let pool = store.pool_mut(&pool_id)?;
    let on_prompt = pool.devices_on_prompt();
    let user = pool.user_mut(&username)?;
    let device = user
        .devices
        .get_mut(&input.device_key)
        .ok_or_else(no_device)?;
    if device.verifier.is_some() {
        return Err(ApiError::invalid_parameter("Device already confirmed."));
    }
    device.verifier = Some(verifier);
    device.name = input.device_name;
    device.remembered = if on_prompt { None } else { Some(true) };
    device.modified = now;
    Ok(m::ConfirmDeviceOutput::builder()
        .user_confirmation_necessary(on_prompt)
        .build()?)
}

fn remembered(status: Option<&m::DeviceRememberedStatusType>) -> ApiResult<Option<bool>> {
    match status {
        None => Ok(None),
        Some(m::DeviceRememberedStatusType::Remembered) => Ok(Some(true)),
        Some(m::DeviceRememberedStatusType::NotRemembered) => Ok(Some(false)),
        Some(other) => known("deviceRememberedStatus", other).map(|()| None),
    }
}

fn set_status(
    ctx: &Ctx<'_>,
    store: &mut Store,
    pool_id: &str,
    username: &str,
    device_key: &str,
    status: Option<bool>,
) -> ApiResult<()> {
    let now = ctx.now();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    let device = user
        .devices
        .get_mut(device_key)
        .filter(|d| d.verifier.is_some())
        .ok_or_else(no_device)?;
    device.remembered = status;
    device.modified = now;
    Ok(())
}

pub(super) fn update_device_status(
    ctx: &Ctx<'_>,
    input: m::UpdateDeviceStatusInput,
) -> ApiResult<m::UpdateDeviceStatusOutput> {
    let status = remembered(input.device_remembered_status.as_ref())?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    set_status(
        ctx,
        &mut store,
        &pool_id,
        &username,
        &input.device_key,
        status,
    )?;
    Ok(m::UpdateDeviceStatusOutput::builder().build()?)
}

pub(super) fn admin_update_device_status(
    ctx: &Ctx<'_>,
    input: m::AdminUpdateDeviceStatusInput,
) -> ApiResult<m::AdminUpdateDeviceStatusOutput> {
    let status = remembered(input.device_remembered_status.as_ref())?;
    let mut store = ctx.store();
    set_status(
        ctx,
        &mut store,
        &input.user_pool_id,
        &input.username,
        &input.device_key,
        status,
    )?;
    Ok(m::AdminUpdateDeviceStatusOutput::builder().build()?)
}

fn forget(store: &mut Store, pool_id: &str, username: &str, device_key: &str) -> ApiResult<()> {
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    user.devices.remove(device_key).ok_or_else(no_device)?;
    Ok(())
}

pub(super) fn forget_device(
    ctx: &Ctx<'_>,
    input: m::ForgetDeviceInput,
) -> ApiResult<m::ForgetDeviceOutput> {
    let token = access_token(input.access_token)?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &token)?;
    forget(&mut store, &pool_id, &username, &input.device_key)?;
    Ok(m::ForgetDeviceOutput::builder().build()?)
}

pub(super) fn admin_forget_device(
    ctx: &Ctx<'_>,
    input: m::AdminForgetDeviceInput,
) -> ApiResult<m::AdminForgetDeviceOutput> {
    let mut store = ctx.store();
    let name = store
        .pool(&input.user_pool_id)?
        .user(&input.username)?
        .username
        .clone();
    forget(&mut store, &input.user_pool_id, &name, &input.device_key)?;
    Ok(m::AdminForgetDeviceOutput::builder().build()?)
}

fn get(user: &User, device_key: &str) -> ApiResult<m::DeviceType> {
    user.devices
        .get(device_key)
        .filter(|d| d.verifier.is_some())
        .map(device_type)
        .ok_or_else(no_device)
}

pub(super) fn get_device(ctx: &Ctx<'_>, input: m::GetDeviceInput) -> ApiResult<m::GetDeviceOutput> {
    let token = access_token(input.access_token)?;
    let store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &token)?;
    let user = store.pool(&pool_id)?.user(&username)?;
    Ok(m::GetDeviceOutput::builder()
        .device(get(user, &input.device_key)?)
        .build()?)
}

pub(super) fn admin_get_device(
    ctx: &Ctx<'_>,
    input: m::AdminGetDeviceInput,
) -> ApiResult<m::AdminGetDeviceOutput> {
    let store = ctx.store();
    let user = store.pool(&input.user_pool_id)?.user(&input.username)?;
    Ok(m::AdminGetDeviceOutput::builder()
        .device(get(user, &input.device_key)?)
        .build()?)
}

/// One page of a user's confirmed devices, by device key.
fn page(
    user: &User,
    limit: Option<i32>,
    token: Option<&str>,
) -> ApiResult<(Vec<m::DeviceType>, Option<String>)> {
    let limit = match limit {
        None | Some(0) => 60,
        Some(n) => n.clamp(1, 60) as usize,
    };
    let after = after_token(token)?;
    let mut list: Vec<&Device> = confirmed(user)
        .filter(|d| after.as_deref().map_or(true, |a| d.key.as_str() > a))
        .take(limit + 1)
        .collect();
    let more = list.len() > limit;
    list.truncate(limit);
    let next = if more {
        list.last().map(|d| page_token(&d.key))
    } else {
        None
    };
    Ok((list.into_iter().map(device_type).collect(), next))
}

pub(super) fn list_devices(
    ctx: &Ctx<'_>,
    input: m::ListDevicesInput,
) -> ApiResult<m::ListDevicesOutput> {
    let store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let user = store.pool(&pool_id)?.user(&username)?;
    let (devices, next) = page(user, input.limit, input.pagination_token.as_deref())?;
    let mut out = m::ListDevicesOutput::builder().set_devices(Some(devices));
    if let Some(n) = next {
        out = out.pagination_token(n);
    }
    Ok(out.build()?)
}

pub(super) fn admin_list_devices(
    ctx: &Ctx<'_>,
    input: m::AdminListDevicesInput,
) -> ApiResult<m::AdminListDevicesOutput> {
    let store = ctx.store();
    let user = store.pool(&input.user_pool_id)?.user(&input.username)?;
    let (devices, next) = page(user, input.limit, input.pagination_token.as_deref())?;
    let mut out = m::AdminListDevicesOutput::builder().set_devices(Some(devices));
    if let Some(n) = next {
        out = out.pagination_token(n);
    }
    Ok(out.build()?)
}
