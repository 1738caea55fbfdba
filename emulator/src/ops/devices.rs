//! Device tracking: ConfirmDevice stores the device's SRP verifier, UpdateDeviceStatus
//! remembers it (remembered devices skip MFA), ForgetDevice drops it.

use serde_json::{json, Value};
use srp_core::Verifier;

use super::issue::check_access_token;
use super::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Input;

pub(super) fn confirm_device(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let device_key = input.str("DeviceKey")?;
    let config = input
        .opt_object("DeviceSecretVerifierConfig")?
        .ok_or_else(|| ApiError::missing_member("DeviceSecretVerifierConfig"))?;
    let pv = config.str("PasswordVerifier")?;
    let salt = config.str("Salt")?;
    let name = input.opt_str("DeviceName")?.map(str::to_owned);
    let verifier = Verifier::from_device_config(pv, salt).map_err(|e| {
        ApiError::invalid_parameter(format!("Invalid DeviceSecretVerifierConfig: {e}"))
    })?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let pool = store.pool_mut(&pool_id)?;
    let on_prompt = pool
        .device
        .as_ref()
        .is_some_and(|d| d.only_remembered_on_user_prompt);
    let user = pool.user_mut(&username)?;
    let device = user
        .devices
        .get_mut(device_key)
        .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?;
    if device.verifier.is_some() {
        return Err(ApiError::invalid_parameter("Device already confirmed."));
    }
    device.verifier = Some(verifier);
    device.name = name;
    device.remembered = if on_prompt { None } else { Some(true) };
    Ok(json!({ "UserConfirmationNecessary": on_prompt }))
}

pub(super) fn update_device_status(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let device_key = input.str("DeviceKey")?;
    let remembered = match input.opt_str("DeviceRememberedStatus")? {
        Some("remembered") => Some(true),
        Some("not_remembered") => Some(false),
        None => None,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]"
            )))
        }
    };
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    let device = user
        .devices
        .get_mut(device_key)
        .filter(|d| d.verifier.is_some())
        .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?;
    device.remembered = remembered;
    Ok(json!({}))
}

pub(super) fn forget_device(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let device_key = input.str("DeviceKey")?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    user.devices
        .remove(device_key)
        .ok_or_else(|| ApiError::resource_not_found("Device does not exist."))?;
    Ok(json!({}))
}
