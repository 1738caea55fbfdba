//! Password self-service: ForgotPassword / ConfirmForgotPassword (with a code the test can
//! read), ChangePassword, ResendConfirmationCode.

use super::checks::check_sign_up_secret_hash;
use super::context::Ctx;
use super::issue::check_access_token;
use super::passwords::{check_policy, make_password, password_matches};
use super::shapes::{delivery, sorted};
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::model as m;
use crate::store::{CodeKind, Pool, SentCode, User, UserStatus};

/// Where a reset code goes, as the pool's AccountRecoverySetting orders it (verified email
/// first by default, then the phone); `admin_only` allows none.
fn recovery_target(pool: &Pool, user: &User) -> ApiResult<(&'static str, String)> {
    let mut order: Vec<(i32, &str)> = pool
        .config
        .account_recovery_setting
        .as_ref()
        .and_then(|r| r.recovery_mechanisms.as_ref())
        .map(|list| list.iter().map(|o| (o.priority, o.name.as_str())).collect())
        .unwrap_or_default();
    order.sort();
    if order.iter().any(|(_, n)| *n == "admin_only") {
        return Err(ApiError::not_authorized(
            "Contact administrator to reset password.",
        ));
    }
    let attrs: Vec<&'static str> = if order.is_empty() {
        vec!["email", "phone_number"]
    } else {
        order
            .iter()
            .map(|(_, n)| {
                if *n == "verified_phone_number" {
                    "phone_number"
                } else {
                    "email"
                }
            })
            .collect()
    };
    for a in &attrs {
        if let Some(v) = user.attribute(a) {
            return Ok((a, v.to_owned()));
        }
    }
    Err(ApiError::invalid_parameter(
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ))
}

/// Records a code for the user: returns the code and the internal username, and where it went.
pub(super) fn send_code(
    ctx: &Ctx<'_>,
    pool_id: &str,
    login: &str,
    kind: CodeKind,
) -> ApiResult<(String, String)> {
    send_code_to(ctx, pool_id, login, kind).map(|(code, name, _)| (code, name))
}

fn send_code_to(
    ctx: &Ctx<'_>,
    pool_id: &str,
    login: &str,
    kind: CodeKind,
) -> ApiResult<(String, String, m::CodeDeliveryDetailsType)> {
    let code = ids::numeric_code().map_err(no_randomness)?;
    let mut store = ctx.store();
    let pool = store.pool(pool_id)?;
    let user = pool.user(login)?;
    let (attr, destination) = if kind == CodeKind::PasswordReset {
        recovery_target(pool, user)?
    } else {
        match (user.attribute("email"), user.attribute("phone_number")) {
            (Some(e), _) => ("email", e.to_owned()),
            (None, Some(p)) => ("phone_number", p.to_owned()),
            (None, None) => {
                return Err(ApiError::invalid_parameter(
                    "The user has no email address or phone number to send a code to",
                ))
            }
        }
    };
    let details = delivery(attr, &destination);
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
    Ok((code, name, details))
}

pub(super) fn forgot_password(
    ctx: &Ctx<'_>,
    input: m::ForgotPasswordInput,
) -> ApiResult<m::ForgotPasswordOutput> {
    let client_id = input.client_id.as_str();
    let username = input.username.as_str();
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
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
            input.secret_hash.as_deref(),
        )?;
        pool_id
    };
    let (code, name, details) = send_code_to(ctx, &pool_id, username, CodeKind::PasswordReset)?;
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(&name)?;
    user.reset_code = Some(code);
    store
        .guard
        .code_sent(&pool_id, &name, Purpose::PasswordReset, ctx.now());
    Ok(m::ForgotPasswordOutput::builder()
        .code_delivery_details(details)
        .build()?)
}

pub(super) fn confirm_forgot_password(
    ctx: &Ctx<'_>,
    input: m::ConfirmForgotPasswordInput,
) -> ApiResult<m::ConfirmForgotPasswordOutput> {
    let client_id = input.client_id.as_str();
    let username = input.username.as_str();
    let code = input.confirmation_code.as_str();
    let password = input.password.as_str();
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let pool = store.pool(&pool_id)?;
    check_sign_up_secret_hash(
        pool.client(client_id)?,
        username,
        input.secret_hash.as_deref(),
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
    if matches!(
        user.status,
        UserStatus::ForceChangePassword | UserStatus::ResetRequired
    ) {
        user.status = UserStatus::Confirmed;
    }
    drop(store);
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
    super::lambda::post_confirmation(
        ctx,
        &pool_id,
        Some(client_id),
        username,
        "PostConfirmation_ConfirmForgotPassword",
        metadata.as_ref(),
    )?;
    Ok(m::ConfirmForgotPasswordOutput::builder().build()?)
}

pub(super) fn change_password(
    ctx: &Ctx<'_>,
    input: m::ChangePasswordInput,
) -> ApiResult<m::ChangePasswordOutput> {
    let previous = input.previous_password.as_deref();
    let proposed = input.proposed_password.as_str();
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
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
    Ok(m::ChangePasswordOutput::builder().build()?)
}

pub(super) fn resend_confirmation_code(
    ctx: &Ctx<'_>,
    input: m::ResendConfirmationCodeInput,
) -> ApiResult<m::ResendConfirmationCodeOutput> {
    let client_id = input.client_id.as_str();
    let username = input.username.as_str();
    let pool_id = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        let pool = store.pool(&pool_id)?;
        check_sign_up_secret_hash(
            pool.client(client_id)?,
            username,
            input.secret_hash.as_deref(),
        )?;
        if pool.user(username)?.status != UserStatus::Unconfirmed {
            return Err(ApiError::invalid_parameter("User is already confirmed."));
        }
        pool_id
    };
    let (code, name, details) =
        send_code_to(ctx, &pool_id, username, CodeKind::SignUpConfirmation)?;
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(&name)?;
    user.confirmation_code = Some(code);
    store
        .guard
        .code_sent(&pool_id, &name, Purpose::SignUpConfirmation, ctx.now());
    Ok(m::ResendConfirmationCodeOutput::builder()
        .code_delivery_details(details)
        .build()?)
}
