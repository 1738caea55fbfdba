//! Password self-service: ForgotPassword / ConfirmForgotPassword (with a code the test can
//! read), ChangePassword, ResendConfirmationCode.

use serde_json::{json, Value};

use super::issue::check_access_token;
use super::{
    check_policy, check_sign_up_secret_hash, internal, make_password, mask_email, mask_phone,
    password_matches, Ctx,
};
use crate::error::{ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::input::Input;
use crate::store::{CodeKind, SentCode, UserStatus};

/// Records a code for the user and returns CodeDeliveryDetails.
fn send_code(
    ctx: &Ctx<'_>,
    pool_id: &str,
    login: &str,
    kind: CodeKind,
) -> ApiResult<(String, Value)> {
    let code = ids::numeric_code().map_err(internal)?;
    let mut store = ctx.store();
    let user = store.pool(pool_id)?.user(login)?;
    let (medium, attr, destination) =
        match (user.attribute("email"), user.attribute("phone_number")) {
            (Some(e), _) => ("EMAIL", "email", e.to_owned()),
            (None, Some(p)) => ("SMS", "phone_number", p.to_owned()),
            (None, None) => {
                return Err(ApiError::invalid_parameter(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number",
                ))
            }
        };
    let masked = if medium == "EMAIL" {
        mask_email(&destination)
    } else {
        mask_phone(&destination)
    };
    let name = user.username.clone();
    ctx.record_code(
        &mut store,
        pool_id,
        &name,
        SentCode {
            kind,
            code: code.clone(),
            destination,
            message: None,
            subject: None,
        },
    );
    Ok((
        code,
        json!({"Destination": masked, "DeliveryMedium": medium, "AttributeName": attr}),
    ))
}

pub(super) fn forgot_password(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let client_id = input.str("ClientId")?;
    let username = input.str("Username")?;
    let metadata = input.opt_string_map("ClientMetadata")?;
    let unknown = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        store.pool(&pool_id)?.resolve(username).is_none()
    };
    if unknown {
        let source = "UserMigration_ForgotPassword";
        super::migration::migrate(ctx, client_id, username, None, source, metadata.as_ref())?;
    }
    let pool_id = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        let pool = store.pool(&pool_id)?;
        check_sign_up_secret_hash(
            pool.client(client_id)?,
            username,
            input.opt_str("SecretHash")?,
        )?;
        pool_id
    };
    let (code, details) = send_code(ctx, &pool_id, username, CodeKind::PasswordReset)?;
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(username)?;
    user.reset_code = Some(code);
    let name = user.username.clone();
    store
        .guard
        .code_sent(&pool_id, &name, Purpose::PasswordReset, ctx.now());
    Ok(json!({ "CodeDeliveryDetails": details }))
}

pub(super) fn confirm_forgot_password(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let client_id = input.str("ClientId")?;
    let username = input.str("Username")?;
    let code = input.str("ConfirmationCode")?;
    let password = input.str("Password")?;
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let pool = store.pool(&pool_id)?;
    check_sign_up_secret_hash(
        pool.client(client_id)?,
        username,
        input.opt_str("SecretHash")?,
    )?;
    let user = pool.user(username)?;
    let (name, expected) = (user.username.clone(), user.reset_code.clone());
    store.guard.check_code(
        &pool_id,
        &name,
        Purpose::PasswordReset,
        expected.as_deref(),
        code,
        ctx.now(),
    )?;
    let pool = store.pool(&pool_id)?;
    let user = pool.user(username)?;
    check_policy(pool, password)?;
    let stored = make_password(pool.srp_realm(), &user.username, password, None)?;
    let now = ctx.now();
    let user = store.pool_mut(&pool_id)?.user_mut(username)?;
    user.password = Some(stored);
    user.reset_code = None;
    user.modified = now;
    if user.status == UserStatus::ForceChangePassword {
        user.status = UserStatus::Confirmed;
    }
    drop(store);
    super::lambda::post_confirmation(
        ctx,
        &pool_id,
        Some(client_id),
        username,
        "PostConfirmation_ConfirmForgotPassword",
        input.opt_string_map("ClientMetadata")?.as_ref(),
    )?;
    Ok(json!({}))
}

pub(super) fn change_password(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let token = input.str("AccessToken")?;
    let previous = input.opt_str("PreviousPassword")?;
    let proposed = input.str("ProposedPassword")?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, token)?;
    let pool = store.pool(&pool_id)?;
    let user = pool.user(&username)?;
    match previous {
        Some(p) if password_matches(user, p) => {}
        _ => return Err(ApiError::incorrect_credentials()),
    }
    check_policy(pool, proposed)?;
    let stored = make_password(pool.srp_realm(), &user.username, proposed, None)?;
    let now = ctx.now();
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    user.password = Some(stored);
    user.modified = now;
    Ok(json!({}))
}

pub(super) fn resend_confirmation_code(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let client_id = input.str("ClientId")?;
    let username = input.str("Username")?;
    let pool_id = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        let pool = store.pool(&pool_id)?;
        check_sign_up_secret_hash(
            pool.client(client_id)?,
            username,
            input.opt_str("SecretHash")?,
        )?;
        if pool.user(username)?.status != UserStatus::Unconfirmed {
            return Err(ApiError::invalid_parameter("User is already confirmed."));
        }
        pool_id
    };
    let (code, details) = send_code(ctx, &pool_id, username, CodeKind::SignUpConfirmation)?;
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(username)?;
    user.confirmation_code = Some(code);
    let name = user.username.clone();
    store
        .guard
        .code_sent(&pool_id, &name, Purpose::SignUpConfirmation, ctx.now());
    Ok(json!({ "CodeDeliveryDetails": details }))
}
