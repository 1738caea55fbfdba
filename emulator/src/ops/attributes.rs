//! Changing a user's attributes, by an administrator or the user: the schema's rules, unique
//! sign-in aliases, and verification of a changed email address or phone number (a code is
//! "sent" for auto-verified attributes; with UserAttributeUpdateSettings the new value waits
//! for the code). UpdateUserAttributes, DeleteUserAttributes, VerifyUserAttribute,
//! GetUserAttributeVerificationCode, AdminUpdateUserAttributes, AdminDeleteUserAttributes.

use super::context::Ctx;
use super::issue::check_access_token;
use super::schema::{check_write, Write};
use super::shapes::{delivery, pairs};
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::model as m;
use crate::store::{CodeKind, Pool, SentCode, Store};

/// The attributes whose changes are verified by a code.
const VERIFIABLE: [&str; 2] = ["email", "phone_number"];

fn verified_flag(attribute: &str) -> String {
    format!("{attribute}_verified")
}

fn auto_verified(pool: &Pool, attribute: &str) -> bool {
    pool.config
        .auto_verified_attributes
        .iter()
        .flatten()
        .any(|a| a.as_str() == attribute)
}

fn verify_before_update(pool: &Pool, attribute: &str) -> bool {
    pool.config
        .user_attribute_update_settings
        .as_ref()
        .and_then(|s| s.attributes_require_verification_before_update.as_ref())
        .is_some_and(|l| l.iter().any(|a| a.as_str() == attribute))
}

/// Refuses a sign-in alias (or email/phone username) another user already signs in with: a
/// username attribute anyone has, an alias someone has verified (preferred_username always).
pub(crate) fn check_alias_free(
    pool: &Pool,
    internal_name: &str,
    attributes: &[(String, String)],
) -> ApiResult<()> {
    for (name, value) in attributes {
        let username_attr = pool.username_attributes.contains(name);
        let alias = pool.alias_attributes.contains(name);
        if !(username_attr || alias) || value.is_empty() {
            continue;
        }
        let taken = pool.users.values().any(|u| {
            u.username != internal_name
                && u.attribute(name)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
                && (username_attr
                    || name == "preferred_username"
                    || u.attribute(&verified_flag(name)) == Some("true"))
        });
        if taken {
            return Err(ApiError::new(
                "AliasExistsException",
                format!("An account with the given {name} already exists."),
            ));
        }
    }
    Ok(())
}

/// Sends a verification code for `attribute` to `destination` and registers it.
pub(crate) fn send_verification(
    ctx: &Ctx<'_>,
    store: &mut Store,
    pool_id: &str,
    internal_name: &str,
    attribute: &str,
    destination: &str,
) -> ApiResult<m::CodeDeliveryDetailsType> {
    let code = ids::numeric_code().map_err(no_randomness)?;
    let user = store
        .pool_mut(pool_id)?
        .users
        .get_mut(internal_name)
        .ok_or_else(ApiError::user_not_found)?;
    user.attribute_codes
        .insert(attribute.to_owned(), code.clone());
    store.guard.code_sent(
        pool_id,
        internal_name,
        Purpose::verifying(attribute),
        ctx.now(),
    );
    ctx.record_code(
        store,
        pool_id,
        internal_name,
        SentCode {
            kind: CodeKind::AttributeVerification,
            code,
            destination: destination.to_owned(),
            message: None,
            subject: None,
        },
    );
    Ok(delivery(attribute, destination))
}

/// Applies attribute changes to the user `login` of `pool_id`: returns where verification
/// codes went.
pub(crate) fn update(
    ctx: &Ctx<'_>,
    store: &mut Store,
    pool_id: &str,
    login: &str,
    attributes: Vec<(String, String)>,
    how: Write,
) -> ApiResult<Vec<m::CodeDeliveryDetailsType>> {
    let now = ctx.now();
    let (key, plan) = {
        let pool = store.pool(pool_id)?;
        let key = pool.resolve(login).ok_or_else(ApiError::user_not_found)?;
        let user = pool.users.get(&key).ok_or_else(ApiError::user_not_found)?;
        check_write(pool, &attributes, how)?;
        check_alias_free(pool, &user.username, &attributes)?;
        let explicitly_verified = |a: &str| {
            attributes
                .iter()
                .any(|(k, v)| k == &verified_flag(a) && v == "true")
        };
        // (attribute, value, wait for the code, send a code)
        let plan: Vec<(String, String, bool, bool)> = attributes
            .iter()
            .map(|(k, v)| {
                let changes = user.attribute(k) != Some(v.as_str());
                if !VERIFIABLE.contains(&k.as_str()) || !changes || explicitly_verified(k) {
                    return (k.clone(), v.clone(), false, false);
                }
                let auto = auto_verified(pool, k);
                let wait = auto && verify_before_update(pool, k) && user.attribute(k).is_some();
                (k.clone(), v.clone(), wait, auto)
            })
            .collect();
        (key, plan)
    };
    let mut sends = Vec::new();
    let user = store
        .pool_mut(pool_id)?
        .users
        .get_mut(&key)
        .ok_or_else(ApiError::user_not_found)?;
    let internal_name = user.username.clone();
    for (k, v, wait, send) in plan {
        if wait {
            user.pending_attributes.insert(k.clone(), v.clone());
        } else {
            if VERIFIABLE.contains(&k.as_str()) && send {
                user.attributes.insert(verified_flag(&k), "false".into());
            }
            user.pending_attributes.remove(&k);
            user.attributes.insert(k.clone(), v.clone());
        }
        if send {
            sends.push((k, v));
        }
    }
    user.modified = now;
    let mut details = Vec::new();
    for (attribute, destination) in sends {
        details.push(send_verification(
            ctx,
            store,
            pool_id,
            &internal_name,
            &attribute,
            &destination,
        )?);
    }
    Ok(details)
}

/// Removes attributes (not required or immutable ones).
pub(crate) fn delete(
    ctx: &Ctx<'_>,
    store: &mut Store,
    pool_id: &str,
    login: &str,
    names: &[String],
    how: Write,
) -> ApiResult<()> {
    super::schema::check_delete(store.pool(pool_id)?, names, how)?;
    let now = ctx.now();
    let user = store.pool_mut(pool_id)?.user_mut(login)?;
    for n in names {
        user.attributes.remove(n);
        if VERIFIABLE.contains(&n.as_str()) {
            user.attributes.remove(&verified_flag(n));
            user.pending_attributes.remove(n);
        }
    }
    user.modified = now;
    Ok(())
}

pub(super) fn update_user_attributes(
    ctx: &Ctx<'_>,
    input: m::UpdateUserAttributesInput,
) -> ApiResult<m::UpdateUserAttributesOutput> {
    let mut store = ctx.store();
    let (pool_id, username, client_id) = check_access_token(ctx, &store, &input.access_token)?;
    let attributes = pairs(Some(input.user_attributes));
    check_client_may_write(&store, &pool_id, &client_id, &attributes)?;
    let details = update(
        ctx,
        &mut store,
        &pool_id,
        &username,
        attributes,
        Write::User,
    )?;
    let mut out = m::UpdateUserAttributesOutput::builder();
    if !details.is_empty() {
        out = out.set_code_delivery_details_list(Some(details));
    }
    Ok(out.build()?)
}

/// An app client with WriteAttributes may write only those.
fn check_client_may_write(
    store: &Store,
    pool_id: &str,
    client_id: &str,
    attributes: &[(String, String)],
) -> ApiResult<()> {
    let Ok(client) = store.pool(pool_id).and_then(|p| p.client(client_id)) else {
        return Ok(());
    };
    if let Some(allowed) = &client.config.write_attributes {
        for (k, _) in attributes {
            if !allowed.contains(k) {
                return Err(ApiError::not_authorized(format!(
                    "A client attempted to write unauthorized attribute {k}"
                )));
            }
        }
    }
    Ok(())
}

pub(super) fn delete_user_attributes(
    ctx: &Ctx<'_>,
    input: m::DeleteUserAttributesInput,
) -> ApiResult<m::DeleteUserAttributesOutput> {
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    delete(
        ctx,
        &mut store,
        &pool_id,
        &username,
        &input.user_attribute_names,
        Write::User,
    )?;
    Ok(m::DeleteUserAttributesOutput::builder().build()?)
}

fn verifiable(attribute: &str) -> ApiResult<()> {
    if VERIFIABLE.contains(&attribute) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "Only email and phone_number can be verified, not {attribute}"
        )))
    }
}

pub(super) fn verify_user_attribute(
    ctx: &Ctx<'_>,
    input: m::VerifyUserAttributeInput,
) -> ApiResult<m::VerifyUserAttributeOutput> {
    let attribute = input.attribute_name;
    verifiable(&attribute)?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let (expected, pending) = {
        let user = store.pool(&pool_id)?.user(&username)?;
        (
            user.attribute_codes.get(&attribute).cloned(),
            user.pending_attributes.get(&attribute).cloned(),
        )
    };
    store.guard.check_code(
        &pool_id,
        &username,
        Purpose::verifying(&attribute),
        expected.as_deref(),
        &input.code,
        ctx.now(),
    )?;
    if let Some(value) = &pending {
        let pool = store.pool(&pool_id)?;
        check_alias_free(pool, &username, &[(attribute.clone(), value.clone())])?;
    }
    let now = ctx.now();
    let user = store.pool_mut(&pool_id)?.user_mut(&username)?;
    if let Some(value) = pending {
        user.attributes.insert(attribute.clone(), value);
        user.pending_attributes.remove(&attribute);
    }
    user.attribute_codes.remove(&attribute);
    user.attributes
        .insert(verified_flag(&attribute), "true".into());
    user.modified = now;
    Ok(m::VerifyUserAttributeOutput::builder().build()?)
}

pub(super) fn get_user_attribute_verification_code(
    ctx: &Ctx<'_>,
    input: m::GetUserAttributeVerificationCodeInput,
) -> ApiResult<m::GetUserAttributeVerificationCodeOutput> {
    let attribute = input.attribute_name;
    verifiable(&attribute)?;
    let mut store = ctx.store();
    let (pool_id, username, _) = check_access_token(ctx, &store, &input.access_token)?;
    let destination = {
        let user = store.pool(&pool_id)?.user(&username)?;
        user.pending_attributes
            .get(&attribute)
            .cloned()
            .or_else(|| user.attribute(&attribute).map(str::to_owned))
            .ok_or_else(|| {
                ApiError::invalid_parameter(format!("The user has no {attribute} to verify."))
            })?
    };
    let details = send_verification(
        ctx,
        &mut store,
        &pool_id,
        &username,
        &attribute,
        &destination,
    )?;
    Ok(m::GetUserAttributeVerificationCodeOutput::builder()
        .code_delivery_details(details)
        .build()?)
}

pub(super) fn admin_update_user_attributes(
    ctx: &Ctx<'_>,
    input: m::AdminUpdateUserAttributesInput,
) -> ApiResult<m::AdminUpdateUserAttributesOutput> {
    let mut store = ctx.store();
    let attributes = pairs(Some(input.user_attributes));
    update(
        ctx,
        &mut store,
        &input.user_pool_id,
        &input.username,
        attributes,
        Write::Admin,
    )?;
    Ok(m::AdminUpdateUserAttributesOutput::builder().build()?)
}

pub(super) fn admin_delete_user_attributes(
    ctx: &Ctx<'_>,
    input: m::AdminDeleteUserAttributesInput,
) -> ApiResult<m::AdminDeleteUserAttributesOutput> {
    let mut store = ctx.store();
    delete(
        ctx,
        &mut store,
        &input.user_pool_id,
        &input.username,
        &input.user_attribute_names,
        Write::Admin,
    )?;
    Ok(m::AdminDeleteUserAttributesOutput::builder().build()?)
}
