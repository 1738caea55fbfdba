//! Self-service sign-up: SignUp (PreSignUp, the confirmation code) and ConfirmSignUp, and how a
//! new user is made (also for AdminCreateUser, seeds and UserMigration).

use std::collections::BTreeMap;

use super::checks::check_sign_up_secret_hash;
use super::context::Ctx;
use super::lambda;
use super::passwords::{check_policy, make_password};
use super::schema::{check_write, Write};
use super::shapes::{delivery, pairs, sorted};
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::model as m;
use crate::store::{CodeKind, MfaSettings, Pool, SentCode, User, UserStatus};
use crate::triggers;

fn username_attribute_value(attr: &str, username: &str) -> bool {
    match attr {
        "email" => username.contains('@'),
        "phone_number" => {
            username.starts_with('+') && username[1..].bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Builds a new user; for pools that sign in by email/phone the internal username is the sub.
/// `force_alias` lets an alias another user has move to the new user (AdminCreateUser).
pub(crate) fn new_user(
    ctx: &Ctx<'_>,
    pool: &Pool,
    username: &str,
    attributes: Vec<(String, String)>,
    force_alias: bool,
) -> ApiResult<User> {
    let sub = ids::uuid_v4().map_err(no_randomness)?;
    let mut attrs: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in attributes {
        if k == "sub" {
            continue;
        }
        attrs.insert(k, v);
    }
    let internal_name = if pool.username_attributes.is_empty() {
        if username.is_empty() || username.chars().count() > 128 {
            return Err(ApiError::invalid_parameter(
                "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length between 1 and 128",
            ));
        }
        username.to_owned()
    } else {
        let attr = pool
            .username_attributes
            .iter()
            .find(|a| username_attribute_value(a, username))
            .ok_or_else(|| {
                ApiError::invalid_parameter("Username should be either an email or a phone number.")
            })?;
        attrs.insert(attr.clone(), username.to_owned());
        sub.clone()
    };
    if pool.resolve(username).is_some() || pool.users.contains_key(&pool.user_key(&internal_name)) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    if !force_alias {
        for attr in &pool.alias_attributes {
            if let Some(v) = attrs.get(attr) {
                if pool.resolve(v).is_some() {
                    return Err(ApiError::new(
                        "AliasExistsException",
                        "An account with the given email already exists.",
                    ));
                }
            }
        }
    }
    let now = ctx.now();
    Ok(User {
        username: internal_name,
        sub,
        attributes: attrs,
        status: UserStatus::Unconfirmed,
        enabled: true,
        password: None,
        created: now,
        modified: now,
        mfa: MfaSettings::default(),
        devices: BTreeMap::new(),
        confirmation_code: None,
        reset_code: None,
        token_generation: 0,
        groups: Default::default(),
        identities: Vec::new(),
        pending_attributes: BTreeMap::new(),
        attribute_codes: BTreeMap::new(),
        events: Vec::new(),
    })
}

/// Where SignUp sends the confirmation code: an auto-verified attribute the user has (phone
/// first, as Cognito prefers SMS). A pool that never set AutoVerifiedAttributes sends it to the
/// email, else the phone, else keeps it for the tests that read codes (as this emulator always
/// did); one that set a list sends only to those attributes.
fn confirmation_target(pool: &Pool, user: &User) -> Option<(&'static str, String)> {
    let has = |a: &'static str| user.attribute(a).map(|v| (a, v.to_owned()));
    match &pool.config.auto_verified_attributes {
        None => has("email")
            .or_else(|| has("phone_number"))
            .or(Some(("email", String::new()))),
        Some(list) => {
            let on = |a: &str| list.iter().any(|x| x.as_str() == a);
            (on("phone_number").then(|| has("phone_number")).flatten())
                .or_else(|| on("email").then(|| has("email")).flatten())
        }
    }
}

pub(super) fn sign_up(ctx: &Ctx<'_>, input: m::SignUpInput) -> ApiResult<m::SignUpOutput> {
    let client_id = input.client_id;
    let username = input.username;
    let password = input
        .password
        .ok_or_else(|| ApiError::missing_member("Password"))?;
    let attributes = pairs(input.user_attributes);
    let validation_data: Option<BTreeMap<String, String>> = input
        .validation_data
        .map(|v| pairs(Some(v)).into_iter().collect());
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
    let (pool_id, realm, mut user, trigger) = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(&client_id)?;
        let pool = store.pool(&pool_id)?;
        check_sign_up_secret_hash(
            pool.client(&client_id)?,
            &username,
            input.secret_hash.as_deref(),
        )?;
        if pool
            .config
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.allow_admin_create_user_only)
            == Some(true)
        {
            return Err(ApiError::not_authorized(
                "SignUp is not permitted for this user pool",
            ));
        }
        check_write(pool, &attributes, Write::Create)?;
        for required in &pool.required_attributes {
            let given = attributes.iter().any(|(k, _)| k == required)
                || (pool.username_attributes.contains(required)
                    && username_attribute_value(required, &username));
            if !given {
                return Err(ApiError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {required}: The attribute is required"
                )));
            }
        }
        check_policy(pool, &password)?;
        let user = new_user(ctx, pool, &username, attributes, false)?;
        let trigger = triggers::configured(pool, triggers::Kind::PreSignUp);
        (pool_id, pool.srp_realm().to_owned(), user, trigger)
    };
    // The verifier (a modular exponentiation) and the trigger run without the store lock.
    user.password = Some(make_password(&realm, &user.username, &password, None)?);
    let decision = match &trigger {
        Some(t) => lambda::pre_sign_up(
            ctx,
            t,
            "PreSignUp_SignUp",
            &pool_id,
            Some(&client_id),
            &lambda::EventUser::of(&user),
            validation_data.as_ref(),
            metadata.as_ref(),
        )?,
        None => lambda::SignUpDecision::default(),
    };
    if decision.auto_verify_email && user.attributes.contains_key("email") {
        user.attributes
            .insert("email_verified".into(), "true".into());
    }
    if decision.auto_verify_phone && user.attributes.contains_key("phone_number") {
        user.attributes
            .insert("phone_number_verified".into(), "true".into());
    }
    let sub = user.sub.clone();
    let internal_name = user.username.clone();
    let mut store = ctx.store();
    let pool = store.pool(&pool_id)?;
    // Someone may have taken the name while the lock was released.
    if pool.resolve(&username).is_some() || pool.users.contains_key(&pool.user_key(&internal_name))
    {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let key = pool.user_key(&user.username);
    if decision.auto_confirm {
        user.status = UserStatus::Confirmed;
        store.pool_mut(&pool_id)?.users.insert(key, user);
        return Ok(m::SignUpOutput::builder()
            .user_confirmed(true)
            .user_sub(sub)
            .build()?);
    }
    let target = confirmation_target(pool, &user);
    let Some((attr, destination)) = target else {
        store.pool_mut(&pool_id)?.users.insert(key, user);
        return Ok(m::SignUpOutput::builder()
            .user_confirmed(false)
            .user_sub(sub)
            .build()?);
    };
    let code = ids::numeric_code().map_err(no_randomness)?;
    user.confirmation_code = Some(code.clone());
    store.pool_mut(&pool_id)?.users.insert(key, user);
    store.guard.code_sent(
        &pool_id,
        &internal_name,
        Purpose::SignUpConfirmation,
        ctx.now(),
    );
    ctx.record_code(
        &mut store,
        &pool_id,
        &internal_name,
        SentCode {
            kind: CodeKind::SignUpConfirmation,
            code,
            destination: destination.clone(),
            message: None,
            subject: None,
        },
    );
    Ok(m::SignUpOutput::builder()
        .user_confirmed(false)
        .user_sub(sub)
        .code_delivery_details(delivery(attr, &destination))
        .build()?)
}

pub(super) fn confirm_sign_up(
    ctx: &Ctx<'_>,
    input: m::ConfirmSignUpInput,
) -> ApiResult<m::ConfirmSignUpOutput> {
    let client_id = input.client_id;
    let username = input.username;
    let metadata = input.client_metadata.map(|m| sorted(Some(m)));
    let pool_id = confirm_with_code(
        ctx,
        &client_id,
        &username,
        &input.confirmation_code,
        input.secret_hash.as_deref(),
        input.force_alias_creation.unwrap_or(false),
    )?;
    lambda::post_confirmation(
        ctx,
        &pool_id,
        Some(&client_id),
        &username,
        "PostConfirmation_ConfirmSignUp",
        metadata.as_ref(),
    )?;
    Ok(m::ConfirmSignUpOutput::builder().build()?)
}

fn confirm_with_code(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    code: &str,
    secret_hash: Option<&str>,
    force_alias: bool,
) -> ApiResult<String> {
    let mut store = ctx.store();
    let pool_id = store.client_pool_id(client_id)?;
    let pool = store.pool(&pool_id)?;
    check_sign_up_secret_hash(pool.client(client_id)?, username, secret_hash)?;
    let user = pool.user(username)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    let (name, expected) = (user.username.clone(), user.confirmation_code.clone());
    // A confirmed email or phone becomes a sign-in alias: it must not be another user's.
    let verified_attr = ["email", "phone_number"]
        .into_iter()
        .find(|a| user.attributes.contains_key(*a));
    if !force_alias {
        if let Some(a) = verified_attr {
            let value = user.attribute(a).unwrap_or_default().to_owned();
            if pool.alias_attributes.iter().any(|x| x == a) {
                super::attributes::check_alias_free(pool, &name, &[(a.to_owned(), value)])?;
            }
        }
    }
    store.guard.check_code(
        &pool_id,
        &name,
        Purpose::SignUpConfirmation,
        expected.as_deref(),
        code,
        ctx.now(),
    )?;
    let user = store.pool_mut(&pool_id)?.user_mut(username)?;
    user.status = UserStatus::Confirmed;
    user.confirmation_code = None;
    if let Some(a) = verified_attr {
        user.attributes
            .insert(format!("{a}_verified"), "true".into());
    }
    Ok(pool_id)
}
