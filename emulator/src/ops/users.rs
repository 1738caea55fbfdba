//! Users as an administrator manages them: AdminCreateUser (temporary password, invitation),
//! AdminSetUserPassword, AdminGetUser, AdminDeleteUser, AdminConfirmSignUp,
//! AdminEnable/DisableUser, AdminResetUserPassword, AdminUserGlobalSignOut,
//! AdminSetUserSettings, ListUsers.

use std::collections::BTreeMap;

use super::checks::known;
use super::context::Ctx;
use super::lambda;
use super::passwords::{check_policy, make_password};
use super::schema::{check_write, Write};
use super::shapes::{attributes, date, mfa_options, pairs, sorted, user_status, user_type};
use super::signup::new_user;
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::model as m;
use crate::store::{CodeKind, Pool, SentCode, Store, User, UserStatus};
use crate::triggers;

fn temporary_password() -> ApiResult<String> {
    let tail = ids::opaque(9).map_err(no_randomness)?;
    Ok(format!("Tmp{tail}7!a"))
}

/// How long a temporary password is valid in this pool, in seconds.
fn temporary_validity(pool: &Pool) -> i64 {
    pool.policy.temporary_password_validity_days * 86_400
}

/// Where the invitation goes: the mediums asked for (email by default) that the user has.
fn invitation_targets(user: &User, mediums: &[m::DeliveryMediumType]) -> Vec<(CodeKind, String)> {
    let wants = |d: m::DeliveryMediumType| {
        if mediums.is_empty() {
            d == m::DeliveryMediumType::Email
        } else {
            mediums.contains(&d)
        }
    };
    let mut out = Vec::new();
    if wants(m::DeliveryMediumType::Email) {
        if let Some(e) = user.attribute("email") {
            out.push((CodeKind::Email, e.to_owned()));
        }
    }
    if wants(m::DeliveryMediumType::Sms) {
        if let Some(p) = user.attribute("phone_number") {
            out.push((CodeKind::Sms, p.to_owned()));
        }
    }
    out
}

pub(super) fn admin_create_user(
    ctx: &Ctx<'_>,
    input: m::AdminCreateUserInput,
) -> ApiResult<m::AdminCreateUserOutput> {
    let pool_id = input.user_pool_id;
    let username = input.username;
    if let Some(a) = &input.message_action {
        known("messageAction", a)?;
    }
    let mediums = input.desired_delivery_mediums.unwrap_or_default();
    for d in &mediums {
        known("desiredDeliveryMediums", d)?;
    }
    let attrs = pairs(input.user_attributes);
    let validation_data: Option<BTreeMap<String, String>> = input
        .validation_data
        .map(|v| pairs(Some(v)).into_iter().collect());
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
    let resend = input.message_action == Some(m::MessageActionType::Resend);
    let suppress = input.message_action == Some(m::MessageActionType::Suppress);
    if resend {
        return resend_invitation(ctx, &pool_id, &username, input.temporary_password, &mediums);
    }
    let (password, mut user, expires, realm, trigger) = {
        let store = ctx.store();
        let pool = store.pool(&pool_id)?;
        check_write(pool, &attrs, Write::Create)?;
        let password = match &input.temporary_password {
            Some(p) => {
                check_policy(pool, p)?;
                p.clone()
            }
            None => temporary_password()?,
        };
        let force_alias = input.force_alias_creation.unwrap_or(false);
        let user = new_user(ctx, pool, &username, attrs, force_alias)?;
        let expires = ctx.now() + temporary_validity(pool);
        let trigger = triggers::configured(pool, triggers::Kind::PreSignUp);
        (
            password,
            user,
            expires,
            pool.srp_realm().to_owned(),
            trigger,
        )
    };
    if let Some(t) = &trigger {
        lambda::pre_sign_up(
            ctx,
            t,
            "PreSignUp_AdminCreateUser",
            &pool_id,
            None,
            &lambda::EventUser::of(&user),
            validation_data.as_ref(),
            metadata.as_ref(),
        )?;
    }
    // The verifier is made without the store lock.
    user.password = Some(make_password(
        &realm,
        &user.username,
        &password,
        Some(expires),
    )?);
    user.status = UserStatus::ForceChangePassword;
    let mut store = ctx.store();
    let pool = store.pool(&pool_id)?;
    if pool.resolve(&username).is_some() || pool.users.contains_key(&pool.user_key(&user.username))
    {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    if input.force_alias_creation == Some(true) {
        take_aliases(&mut store, &pool_id, &user)?;
    }
    let body = user_type(&user);
    let pool = store.pool_mut(&pool_id)?;
    let key = pool.user_key(&user.username);
    let internal_name = user.username.clone();
    let targets = invitation_targets(&user, &mediums);
    pool.users.insert(key, user);
    if !suppress {
        for (kind, destination) in targets {
            ctx.record_code(
                &mut store,
                &pool_id,
                &internal_name,
                SentCode {
                    kind,
                    code: password.clone(),
                    destination,
                    message: None,
                    subject: None,
                },
            );
        }
    }
    Ok(m::AdminCreateUserOutput::builder().user(body).build()?)
}

/// ForceAliasCreation: an alias (email, phone) another user has moves to the new user.
fn take_aliases(store: &mut Store, pool_id: &str, new: &User) -> ApiResult<()> {
    let pool = store.pool_mut(pool_id)?;
    let aliases: Vec<(String, String)> = pool
        .alias_attributes
        .iter()
        .filter_map(|a| new.attribute(a).map(|v| (a.clone(), v.to_owned())))
        .collect();
    for (attr, value) in aliases {
        let holders: Vec<String> = pool
            .users
            .iter()
            .filter(|(_, u)| {
                u.attribute(&attr)
                    .is_some_and(|v| v.eq_ignore_ascii_case(&value))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in holders {
            if let Some(u) = pool.users.get_mut(&k) {
                u.attributes.remove(&format!("{attr}_verified"));
            }
        }
    }
    Ok(())
}

/// MessageAction RESEND: a new temporary password for a user who has not signed in yet.
fn resend_invitation(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    temporary: Option<String>,
    mediums: &[m::DeliveryMediumType],
) -> ApiResult<m::AdminCreateUserOutput> {
    let (realm, internal_name, expires, password) = {
        let store = ctx.store();
        let pool = store.pool(pool_id)?;
        let user = pool.user(username)?;
        if user.status != UserStatus::ForceChangePassword {
            return Err(ApiError::new(
                "UnsupportedUserStateException",
                "Resend not possible. User status is not FORCE_CHANGE_PASSWORD",
            ));
        }
        let password = match temporary {
            Some(p) => {
                check_policy(pool, &p)?;
                p
            }
            None => temporary_password()?,
        };
        (
            pool.srp_realm().to_owned(),
            user.username.clone(),
            ctx.now() + temporary_validity(pool),
            password,
        )
    };
    let stored = make_password(&realm, &internal_name, &password, Some(expires))?;
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(&internal_name)?;
    user.password = Some(stored);
    let targets = invitation_targets(user, mediums);
    let body = user_type(user);
    for (kind, destination) in targets {
        ctx.record_code(
            &mut store,
            pool_id,
            &internal_name,
            SentCode {
                kind,
                code: password.clone(),
                destination,
                message: None,
                subject: None,
            },
        );
    }
    Ok(m::AdminCreateUserOutput::builder().user(body).build()?)
}

pub(super) fn admin_set_user_password(
    ctx: &Ctx<'_>,
    input: m::AdminSetUserPasswordInput,
) -> ApiResult<m::AdminSetUserPasswordOutput> {
    let pool_id = input.user_pool_id;
    let username = input.username;
    let permanent = input.permanent.unwrap_or(false);
    let (realm, internal_name, expires) = {
        let store = ctx.store();
        let pool = store.pool(&pool_id)?;
        check_policy(pool, &input.password)?;
        let user = pool.user(&username)?;
        let expires = (!permanent).then(|| ctx.now() + temporary_validity(pool));
        (pool.srp_realm().to_owned(), user.username.clone(), expires)
    };
    // The SRP verifier (a modular exponentiation) is made without the store lock.
    let stored = make_password(&realm, &internal_name, &input.password, expires)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    // The verifier's identity is the internal name: if the name given resolves to another
    // user by now (an alias moved meanwhile), the verifier would not fit that user.
    if user.username != internal_name {
        return Err(ApiError::user_not_found());
    }
    user.password = Some(stored);
    user.modified = now;
    user.reset_code = None;
    user.status = if permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    Ok(m::AdminSetUserPasswordOutput::builder().build()?)
}

pub(super) fn admin_get_user(
    ctx: &Ctx<'_>,
    input: m::AdminGetUserInput,
) -> ApiResult<m::AdminGetUserOutput> {
    let store = ctx.store();
    let user = store.pool(&input.user_pool_id)?.user(&input.username)?;
    let (preferred, list) = super::mfa::mfa_fields(user);
    let mut out = m::AdminGetUserOutput::builder()
        .username(user.username.clone())
        .set_user_attributes(Some(attributes(user)))
        .user_create_date(date(user.created))
        .user_last_modified_date(date(user.modified))
        .enabled(user.enabled)
        .user_status(user_status(user.status));
    if let Some(o) = mfa_options(user) {
        out = out.set_mfa_options(Some(o));
    }
    if let Some(p) = preferred {
        out = out.preferred_mfa_setting(p);
    }
    if let Some(l) = list {
        out = out.set_user_mfa_setting_list(Some(l));
    }
    Ok(out.build()?)
}

/// Removes a user and everything issued to it.
pub(crate) fn remove_user(store: &mut Store, pool_id: &str, login: &str) -> ApiResult<()> {
    let pool = store.pool_mut(pool_id)?;
    let key = pool.resolve(login).ok_or_else(ApiError::user_not_found)?;
    if let Some(user) = pool.users.remove(&key) {
        let name = user.username;
        store
            .sessions
            .retain(|_, s| !(s.pool_id == pool_id && s.username == name));
        store
            .refresh_tokens
            .retain(|_, r| !(r.pool_id == pool_id && r.username == name));
        store
            .access_tokens
            .retain(|_, r| !(r.pool_id == pool_id && r.username == name));
        store.guard.forget(pool_id, &name);
        store.outbox.remove(&(pool_id.to_owned(), name));
    }
    Ok(())
}

pub(super) fn admin_delete_user(
    ctx: &Ctx<'_>,
    input: m::AdminDeleteUserInput,
) -> ApiResult<m::AdminDeleteUserOutput> {
    remove_user(&mut ctx.store(), &input.user_pool_id, &input.username)?;
    Ok(m::AdminDeleteUserOutput::builder().build()?)
}

pub(super) fn admin_confirm_sign_up(
    ctx: &Ctx<'_>,
    input: m::AdminConfirmSignUpInput,
) -> ApiResult<m::AdminConfirmSignUpOutput> {
    let pool_id = input.user_pool_id;
    let username = input.username;
    {
        let mut store = ctx.store();
        let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ApiError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            )));
        }
        user.status = UserStatus::Confirmed;
        user.confirmation_code = None;
    }
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
    lambda::post_confirmation(
        ctx,
        &pool_id,
        None,
        &username,
        "PostConfirmation_ConfirmSignUp",
        metadata.as_ref(),
    )?;
    Ok(m::AdminConfirmSignUpOutput::builder().build()?)
}

fn set_enabled(ctx: &Ctx<'_>, pool_id: &str, username: &str, enabled: bool) -> ApiResult<()> {
    let now = ctx.now();
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    user.enabled = enabled;
    user.modified = now;
    Ok(())
}

pub(super) fn admin_disable_user(
    ctx: &Ctx<'_>,
    input: m::AdminDisableUserInput,
) -> ApiResult<m::AdminDisableUserOutput> {
    set_enabled(ctx, &input.user_pool_id, &input.username, false)?;
    Ok(m::AdminDisableUserOutput::builder().build()?)
}

pub(super) fn admin_enable_user(
    ctx: &Ctx<'_>,
    input: m::AdminEnableUserInput,
) -> ApiResult<m::AdminEnableUserOutput> {
    set_enabled(ctx, &input.user_pool_id, &input.username, true)?;
    Ok(m::AdminEnableUserOutput::builder().build()?)
}

/// AdminResetUserPassword: the password stops working (RESET_REQUIRED) and a reset code is
/// sent, which ConfirmForgotPassword takes.
pub(super) fn admin_reset_user_password(
    ctx: &Ctx<'_>,
    input: m::AdminResetUserPasswordInput,
) -> ApiResult<m::AdminResetUserPasswordOutput> {
    let pool_id = input.user_pool_id;
    let (code, name) =
        super::password::send_code(ctx, &pool_id, &input.username, CodeKind::PasswordReset)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let user = store.pool_mut(&pool_id)?.user_mut(&name)?;
    user.reset_code = Some(code);
    user.status = UserStatus::ResetRequired;
    user.modified = now;
    store
        .guard
        .code_sent(&pool_id, &name, Purpose::PasswordReset, now);
    Ok(m::AdminResetUserPasswordOutput::builder().build()?)
}

/// Signs a user out everywhere: every refresh and access token issued so far stops working.
pub(crate) fn sign_out_everywhere(store: &mut Store, pool_id: &str, login: &str) -> ApiResult<()> {
    let user = store.pool_mut(pool_id)?.user_mut(login)?;
    user.token_generation += 1;
    let name = user.username.clone();
    store
        .refresh_tokens
        .retain(|_, r| !(r.pool_id == pool_id && r.username == name));
    Ok(())
}

pub(super) fn admin_user_global_sign_out(
    ctx: &Ctx<'_>,
    input: m::AdminUserGlobalSignOutInput,
) -> ApiResult<m::AdminUserGlobalSignOutOutput> {
    sign_out_everywhere(&mut ctx.store(), &input.user_pool_id, &input.username)?;
    Ok(m::AdminUserGlobalSignOutOutput::builder().build()?)
}

/// The legacy MFAOptions: SMS to the phone number turns SMS MFA on, an empty list off.
pub(crate) fn apply_mfa_options(user: &mut User, options: &[m::MfaOptionType]) -> ApiResult<()> {
    let mut sms = false;
    for o in options {
        if let Some(d) = &o.delivery_medium {
            known("mfaOptions.member.deliveryMedium", d)?;
        }
        match (&o.delivery_medium, o.attribute_name.as_deref()) {
            (Some(m::DeliveryMediumType::Sms), Some("phone_number")) => sms = true,
            _ => {
                return Err(ApiError::invalid_parameter(
                    "Only SMS to phone_number can be set in MFAOptions.",
                ))
            }
        }
    }
    if sms && user.attribute("phone_number").is_none() {
        return Err(ApiError::invalid_parameter(
            "User does not have a phone number for SMS MFA",
        ));
    }
    user.mfa.sms_option = sms;
    let kind = crate::store::MfaKind::Sms;
    if sms {
        if !user.mfa.enabled.contains(&kind) {
            user.mfa.enabled.push(kind);
        }
    } else {
        user.mfa.enabled.retain(|k| *k != kind);
        if user.mfa.preferred == Some(kind) {
            user.mfa.preferred = None;
        }
    }
    Ok(())
}

pub(super) fn admin_set_user_settings(
    ctx: &Ctx<'_>,
    input: m::AdminSetUserSettingsInput,
) -> ApiResult<m::AdminSetUserSettingsOutput> {
    let mut store = ctx.store();
    let user = store
        .pool_mut(&input.user_pool_id)?
        .user_mut(&input.username)?;
    apply_mfa_options(user, &input.mfa_options)?;
    Ok(m::AdminSetUserSettingsOutput::builder().build()?)
}

/// ListUsers with Cognito's filter forms `attr = "v"` and `attr ^= "v"` and AttributesToGet.
pub(super) fn list_users(ctx: &Ctx<'_>, input: m::ListUsersInput) -> ApiResult<m::ListUsersOutput> {
    let limit = match input.limit {
        None | Some(0) => 60,
        Some(n) => n.clamp(1, 60) as usize,
    };
    let filter = match input.filter.as_deref() {
        Some(f) if !f.trim().is_empty() => Some(parse_filter(f)?),
        _ => None,
    };
    let after = input.pagination_token.as_deref();
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let mut users = Vec::new();
    let mut next = None;
    for (key, u) in pool.users.iter() {
        if after.is_some_and(|a| key.as_str() <= a) {
            continue;
        }
        let keep = match &filter {
            None => true,
            Some((attr, prefix, value)) => {
                let actual = match attr.as_str() {
                    "username" => Some(u.username.as_str()),
                    "sub" => Some(u.sub.as_str()),
                    "status" | "cognito:user_status" => Some(u.status.as_str()),
                    other => u.attribute(other),
                };
                actual.is_some_and(|a| {
                    if *prefix {
                        a.starts_with(value.as_str())
                    } else {
                        a == value
                    }
                })
            }
        };
        if !keep {
            continue;
        }
        if users.len() == limit {
            next = users
                .last()
                .and_then(|v: &m::UserType| v.username.as_deref())
                .map(|s| pool.user_key(s));
            break;
        }
        let mut t = user_type(u);
        if let Some(only) = &input.attributes_to_get {
            if let Some(a) = &mut t.attributes {
                a.retain(|x| only.contains(&x.name));
            }
        }
        users.push(t);
    }
    let mut out = m::ListUsersOutput::builder().set_users(Some(users));
    if let Some(n) = next {
        out = out.pagination_token(n);
    }
    Ok(out.build()?)
}

fn parse_filter(f: &str) -> ApiResult<(String, bool, String)> {
    let bad = || ApiError::invalid_parameter("Error while parsing filter.");
    let (attr, prefix, rest) = if let Some((a, r)) = f.split_once("^=") {
        (a, true, r)
    } else if let Some((a, r)) = f.split_once('=') {
        (a, false, r)
    } else {
        return Err(bad());
    };
    let value = rest
        .trim()
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    Ok((attr.trim().to_owned(), prefix, value.to_owned()))
}
