//! Where the operations call the pool's triggers (see `crate::triggers`): each function here
//! is called without the store lock, with what the event needs copied out of the store.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::context::Ctx;
use crate::error::ApiResult;
use crate::store::{CodeKind, Store};
use crate::triggers::{self, attributes, Configured, Context, Kind};

/// The trigger `kind` of the pool, if it has one.
pub(super) fn lookup(store: &Store, pool_id: &str, kind: Kind) -> Option<Configured> {
    triggers::configured(store.pool(pool_id).ok()?, kind)
}

fn metadata(m: Option<&BTreeMap<String, String>>) -> Value {
    match m {
        Some(m) if !m.is_empty() => json!(m),
        _ => Value::Null,
    }
}

/// A user as the events show them.
pub(super) struct EventUser {
    pub username: String,
    pub sub: String,
    pub attributes: BTreeMap<String, String>,
}

impl EventUser {
    pub fn of(user: &crate::store::User) -> Self {
        EventUser {
            username: user.username.clone(),
            sub: user.sub.clone(),
            attributes: user.attributes.clone(),
        }
    }

    pub fn attributes(&self) -> Value {
        attributes(&self.sub, &self.attributes)
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn call(
    ctx: &Ctx<'_>,
    trigger: &Configured,
    pool_id: &str,
    client_id: Option<&str>,
    username: &str,
    source: &str,
    request: Value,
    response: Value,
) -> ApiResult<Map<String, Value>> {
    let event = triggers::event(
        trigger,
        &Context {
            pool_id,
            client_id,
            username,
            trigger_source: source,
        },
        request,
        response,
    );
    triggers::invoke(&ctx.shared.triggers, trigger, event)
}

pub(super) fn metadata_value(m: Option<&BTreeMap<String, String>>) -> Value {
    metadata(m)
}

/// What PreSignUp decided.
#[derive(Default)]
pub(super) struct SignUpDecision {
    pub auto_confirm: bool,
    pub auto_verify_email: bool,
    pub auto_verify_phone: bool,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn pre_sign_up(
    ctx: &Ctx<'_>,
    trigger: &Configured,
    source: &str,
    pool_id: &str,
    client_id: Option<&str>,
    user: &EventUser,
    validation_data: Option<&BTreeMap<String, String>>,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> ApiResult<SignUpDecision> {
    let r = call(
        ctx,
        trigger,
        pool_id,
        client_id,
        &user.username,
        source,
        json!({"userAttributes": user.attributes(), "validationData": metadata(validation_data),
               "clientMetadata": metadata(client_metadata)}),
        json!({"autoConfirmUser": false, "autoVerifyPhone": false, "autoVerifyEmail": false}),
    )?;
    Ok(SignUpDecision {
        auto_confirm: triggers::bool_member(&r, "autoConfirmUser"),
        auto_verify_email: triggers::bool_member(&r, "autoVerifyEmail"),
        auto_verify_phone: triggers::bool_member(&r, "autoVerifyPhone"),
    })
}

/// PostConfirmation (after ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword).
pub(super) fn post_confirmation(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: Option<&str>,
    login: &str,
    source: &str,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> ApiResult<()> {
    let (trigger, user) = {
        let store = ctx.store();
        let Some(t) = lookup(&store, pool_id, Kind::PostConfirmation) else {
            return Ok(());
        };
        (t, EventUser::of(store.pool(pool_id)?.user(login)?))
    };
    call(
        ctx,
        &trigger,
        pool_id,
        client_id,
        &user.username,
        source,
        json!({"userAttributes": user.attributes(), "clientMetadata": metadata(client_metadata)}),
        json!({}),
    )
    .map(|_| ())
}

/// PreAuthentication: may refuse a sign-in before the password is looked at.
pub(super) fn pre_authentication(
    ctx: &Ctx<'_>,
    client_id: &str,
    login: &str,
    validation_data: Option<&BTreeMap<String, String>>,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> ApiResult<()> {
    let (trigger, user, pool_id) = {
        let store = ctx.store();
        let Ok(pool_id) = store.client_pool_id(client_id) else {
            return Ok(());
        };
        let Some(t) = lookup(&store, &pool_id, Kind::PreAuthentication) else {
            return Ok(());
        };
        let Ok(user) = store.pool(&pool_id)?.user(login) else {
            return Ok(());
        };
        (t, EventUser::of(user), pool_id)
    };
    call(
        ctx,
        &trigger,
        &pool_id,
        Some(client_id),
        &user.username,
        "PreAuthentication_Authentication",
        json!({"userAttributes": user.attributes(), "userNotFound": false,
               "validationData": metadata(validation_data), "clientMetadata": metadata(client_metadata)}),
        json!({}),
    )
    .map(|_| ())
}

/// What UserMigration returned for a user the pool does not have.
pub(super) struct Migrated {
    pub attributes: BTreeMap<String, String>,
    pub reset_required: bool,
}

/// UserMigration: a user the pool does not know, looked up elsewhere. None if the pool has no
/// such trigger or the trigger did not return the user.
pub(super) fn user_migration(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: Option<&str>,
    source: &str,
    client_metadata: Option<&BTreeMap<String, String>>,
) -> ApiResult<Option<Migrated>> {
    let Some(trigger) = lookup(&ctx.store(), pool_id, Kind::UserMigration) else {
        return Ok(None);
    };
    let mut request = json!({"validationData": null, "clientMetadata": metadata(client_metadata)});
    if let Some(p) = password {
        request["password"] = json!(p);
    }
    let r = call(
        ctx,
        &trigger,
        pool_id,
        Some(client_id),
        username,
        source,
        request,
        json!({"userAttributes": null, "finalUserStatus": null, "messageAction": null,
               "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null}),
    )?;
    let Some(Value::Object(attrs)) = r.get("userAttributes") else {
        return Ok(None);
    };
    let attributes = attrs
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
        .collect();
    Ok(Some(Migrated {
        attributes,
        reset_required: triggers::str_member(&r, "finalUserStatus") == Some("RESET_REQUIRED"),
    }))
}

/// CustomMessage for a code just recorded: the message and subject the trigger wrote, with
/// the code put in for `{####}` (and the username for `{username}`).
pub(super) fn custom_message(
    ctx: &Ctx<'_>,
    trigger: &Configured,
    pool_id: &str,
    user: &EventUser,
    kind: &CodeKind,
    code: &str,
    op: &str,
) -> ApiResult<(Option<String>, Option<String>)> {
    let source = match (kind, op) {
        (CodeKind::SignUpConfirmation, "ResendConfirmationCode") => "CustomMessage_ResendCode",
        (CodeKind::SignUpConfirmation, _) => "CustomMessage_SignUp",
        (CodeKind::PasswordReset, "AdminResetUserPassword") => "CustomMessage_ForgotPassword",
        (CodeKind::PasswordReset, _) => "CustomMessage_ForgotPassword",
        (CodeKind::AttributeVerification, "GetUserAttributeVerificationCode") => {
            "CustomMessage_VerifyUserAttribute"
        }
        (CodeKind::AttributeVerification, _) => "CustomMessage_UpdateUserAttribute",
        (_, "AdminCreateUser") => "CustomMessage_AdminCreateUser",
        _ => "CustomMessage_Authentication",
    };
    let username_parameter = if source == "CustomMessage_AdminCreateUser" {
        json!("{username}")
    } else {
        Value::Null
    };
    let r = call(
        ctx,
        trigger,
        pool_id,
        None,
        &user.username,
        source,
        json!({"userAttributes": user.attributes(), "codeParameter": "{####}",
               "linkParameter": "{##Click Here##}", "usernameParameter": username_parameter,
               "clientMetadata": null}),
        json!({"smsMessage": null, "emailMessage": null, "emailSubject": null}),
    )?;
    let fill = |t: &str| {
        t.replace("{####}", code)
            .replace("{username}", &user.username)
    };
    let message = triggers::str_member(&r, "emailMessage")
        .or_else(|| triggers::str_member(&r, "smsMessage"))
        .map(fill);
    Ok((
        message,
        triggers::str_member(&r, "emailSubject").map(str::to_owned),
    ))
}
