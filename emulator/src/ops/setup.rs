//! Pool, app client and user administration: what boto3 setup scripts call, plus SignUp and
//! ConfirmSignUp.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::lambda;
use super::{
    attributes_json, check_policy, check_sign_up_secret_hash, internal, make_password, Ctx,
};
use crate::error::{ApiError, ApiResult};
use crate::guard::Purpose;
use crate::ids;
use crate::input::Input;
use crate::store::{
    AppClient, CodeKind, DeviceConfig, MfaMode, MfaSettings, PasswordPolicy, Pool, SentCode, User,
    UserStatus,
};
use crate::triggers;

const KNOWN_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

fn username_attribute_value(attr: &str, username: &str) -> bool {
    match attr {
        "email" => username.contains('@'),
        "phone_number" => {
            username.starts_with('+') && username[1..].bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

pub(super) fn create_user_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let name = input.str("PoolName")?.to_owned();
    if name.is_empty() || name.chars().count() > 128 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'poolName' failed to satisfy constraint: Member must have length between 1 and 128",
        ));
    }
    let mut policy = PasswordPolicy::default();
    let mut first_factors = vec!["PASSWORD".to_owned()];
    if let Some(policies) = input.opt_object("Policies")? {
        if let Some(pp) = policies.opt_object("PasswordPolicy")? {
            policy = PasswordPolicy {
                minimum_length: pp.opt_i64("MinimumLength")?.unwrap_or(8).clamp(6, 99) as usize,
                require_uppercase: pp.opt_bool("RequireUppercase")?.unwrap_or(false),
                require_lowercase: pp.opt_bool("RequireLowercase")?.unwrap_or(false),
                require_numbers: pp.opt_bool("RequireNumbers")?.unwrap_or(false),
                require_symbols: pp.opt_bool("RequireSymbols")?.unwrap_or(false),
                temporary_password_validity_days: pp
                    .opt_i64("TemporaryPasswordValidityDays")?
                    .unwrap_or(7),
            };
        }
        if let Some(sip) = policies.opt_object("SignInPolicy")? {
            if let Some(f) = sip.opt_string_list("AllowedFirstAuthFactors")? {
                first_factors = f;
            }
        }
    }
    let username_attributes = input
        .opt_string_list("UsernameAttributes")?
        .unwrap_or_default();
    let alias_attributes = input
        .opt_string_list("AliasAttributes")?
        .unwrap_or_default();
    if !username_attributes.is_empty() && !alias_attributes.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Only one of aliasAttributes or usernameAttributes may be set",
        ));
    }
    for a in &username_attributes {
        if a != "email" && a != "phone_number" {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid UsernameAttributes value: {a}"
            )));
        }
    }
    for a in &alias_attributes {
        if !["email", "phone_number", "preferred_username"].contains(&a.as_str()) {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid AliasAttributes value: {a}"
            )));
        }
    }
    let mfa = match input.opt_str("MfaConfiguration")?.unwrap_or("OFF") {
        "OFF" => MfaMode::Off,
        "ON" => MfaMode::On,
        "OPTIONAL" => MfaMode::Optional,
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
            )))
        }
    };
    let device = match input.opt_object("DeviceConfiguration")? {
        Some(d) => Some(DeviceConfig {
            only_remembered_on_user_prompt: d
                .opt_bool("DeviceOnlyRememberedOnUserPrompt")?
                .unwrap_or(false),
        }),
        None => None,
    };
    let mut required_attributes = Vec::new();
    for attr in input.opt_object_list("Schema")?.unwrap_or_default() {
        let attr_name = attr.str("Name")?;
        if attr.opt_bool("Required")?.unwrap_or(false) {
            required_attributes.push(attr_name.to_owned());
        }
    }
    let case_sensitive = match input.opt_object("UsernameConfiguration")? {
        Some(u) => u.opt_bool("CaseSensitive")?.unwrap_or(true),
        None => true,
    };

    let mut echo = Map::new();
    for member in [
        "Policies",
        "LambdaConfig",
        "AutoVerifiedAttributes",
        "AliasAttributes",
        "UsernameAttributes",
        "MfaConfiguration",
        "DeviceConfiguration",
        "EmailConfiguration",
        "SmsConfiguration",
        "UserPoolTags",
        "AdminCreateUserConfig",
        "UsernameConfiguration",
        "AccountRecoverySetting",
        "UserPoolTier",
        "DeletionProtection",
    ] {
        if let Some(v) = input.raw(member) {
            echo.insert(member.to_owned(), echoable(member, v)?.clone());
        }
    }
    let region = ctx.region().to_owned();
    let id = ids::pool_id(&region).map_err(internal)?;
    let pool = Pool {
        id: id.clone(),
        name,
        created: ctx.now(),
        policy,
        username_attributes,
        alias_attributes,
        mfa,
        device,
        required_attributes,
        case_sensitive,
        first_factors,
        echo,
        clients: Default::default(),
        users: Default::default(),
        groups: Default::default(),
    };
    let body = pool_json(&pool);
    ctx.store().insert_pool(pool);
    Ok(json!({ "UserPool": body }))
}

fn pool_json(pool: &Pool) -> Value {
    let mut m = pool.echo.clone();
    let region = crate::store::region_of(&pool.id);
    m.insert("Id".into(), json!(pool.id));
    m.insert("Name".into(), json!(pool.name));
    m.insert(
        "Arn".into(),
        json!(format!(
            "arn:aws:cognito-idp:{region}:123456789012:userpool/{}",
            pool.id
        )),
    );
    m.insert("CreationDate".into(), json!(pool.created));
    m.insert("LastModifiedDate".into(), json!(pool.created));
    m.insert("MfaConfiguration".into(), json!(pool.mfa.as_str()));
    m.insert("EstimatedNumberOfUsers".into(), json!(pool.users.len()));
    // What Cognito reports for settings the request left out.
    m.entry("AdminCreateUserConfig").or_insert(json!({
        "AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": 7}));
    m.entry("VerificationMessageTemplate")
        .or_insert(json!({"DefaultEmailOption": "CONFIRM_WITH_CODE"}));
    m.entry("EmailConfiguration")
        .or_insert(json!({"EmailSendingAccount": "COGNITO_DEFAULT"}));
    m.entry("LambdaConfig").or_insert(json!({}));
    m.insert("SchemaAttributes".into(), schema_attributes(pool));
    let p = &pool.policy;
    m.insert(
        "Policies".into(),
        json!({
            "PasswordPolicy": {
                "MinimumLength": p.minimum_length,
                "RequireUppercase": p.require_uppercase,
                "RequireLowercase": p.require_lowercase,
                "RequireNumbers": p.require_numbers,
                "RequireSymbols": p.require_symbols,
                "TemporaryPasswordValidityDays": p.temporary_password_validity_days,
            },
            "SignInPolicy": { "AllowedFirstAuthFactors": pool.first_factors },
        }),
    );
    Value::Object(m)
}

/// The standard attributes every pool has (OpenID Connect's).
fn schema_attributes(pool: &Pool) -> Value {
    let string = |name: &str, mutable: bool, min: &str, max: &str| {
        json!({"Name": name, "AttributeDataType": "String", "DeveloperOnlyAttribute": false,
               "Mutable": mutable, "Required": pool.required_attributes.iter().any(|r| r == name),
               "StringAttributeConstraints": {"MinLength": min, "MaxLength": max}})
    };
    let mut list = vec![string("sub", false, "1", "2048")];
    list[0]["Required"] = json!(true);
    for name in [
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "email",
    ] {
        list.push(string(name, true, "0", "2048"));
    }
    list.push(
        json!({"Name": "email_verified", "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false}),
    );
    list.push(string("gender", true, "0", "2048"));
    list.push(string("birthdate", true, "10", "10"));
    for name in ["zoneinfo", "locale", "phone_number"] {
        list.push(string(name, true, "0", "2048"));
    }
    list.push(
        json!({"Name": "phone_number_verified", "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false}),
    );
    list.push(string("address", true, "0", "2048"));
    list.push(json!({"Name": "updated_at", "AttributeDataType": "Number",
        "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false,
        "NumberAttributeConstraints": {"MinValue": "0"}}));
    list.push(string("identities", true, "0", "2048"));
    Value::Array(list)
}

pub(super) fn describe_user_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let store = ctx.store();
    let mut body = pool_json(store.pool(pool_id)?);
    for d in store
        .oauth
        .domains
        .values()
        .filter(|d| d.pool_id == pool_id)
    {
        let member = match d.certificate_arn {
            Some(_) => "CustomDomain",
            None => "Domain",
        };
        body[member] = json!(d.domain);
    }
    Ok(json!({ "UserPool": body }))
}

pub(super) fn delete_user_pool(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let mut store = ctx.store();
    store
        .remove_pool(pool_id)
        .ok_or_else(|| ApiError::unknown_pool(pool_id))?;
    store.oauth.forget_pool(pool_id);
    Ok(json!({}))
}

pub(super) fn list_user_pools(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let max = input.opt_i64("MaxResults")?.unwrap_or(60).clamp(1, 60) as usize;
    let store = ctx.store();
    let pools: Vec<Value> = store
        .pools_in(ctx.region())
        .take(max)
        .map(|p| {
            json!({"Id": p.id, "Name": p.name, "CreationDate": p.created, "LastModifiedDate": p.created,
                   "LambdaConfig": p.echo.get("LambdaConfig").cloned().unwrap_or_else(|| json!({}))})
        })
        .collect();
    Ok(json!({ "UserPools": pools }))
}

fn validity(
    input: &Input<'_>,
    member: &str,
    unit_member: &str,
    default_secs: i64,
) -> ApiResult<i64> {
    let Some(v) = input.opt_i64(member)? else {
        return Ok(default_secs);
    };
    let unit = match input.opt_object("TokenValidityUnits")? {
        Some(u) => u.opt_str(unit_member)?.map(str::to_owned),
        None => None,
    };
    let default_unit = if member == "RefreshTokenValidity" {
        "days"
    } else {
        "hours"
    };
    let secs = match unit.as_deref().unwrap_or(default_unit) {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid time unit: {other}"
            )))
        }
    };
    Ok(v.saturating_mul(secs))
}

pub(super) fn create_user_pool_client(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?.to_owned();
    let name = input.str("ClientName")?.to_owned();
    let flows = input
        .opt_string_list("ExplicitAuthFlows")?
        .unwrap_or_else(|| {
            vec![
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
                "ALLOW_USER_SRP_AUTH".into(),
                "ALLOW_CUSTOM_AUTH".into(),
            ]
        });
    for f in &flows {
        if !KNOWN_FLOWS.contains(&f.as_str()) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{f}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
                KNOWN_FLOWS.join(", ")
            )));
        }
    }
    let legacy = flows.iter().any(|f| !f.starts_with("ALLOW_"));
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    if legacy && modern {
        return Err(ApiError::invalid_parameter(
            "The combination of old and new ExplicitAuthFlows values is not supported.",
        ));
    }
    let prevent = match input.opt_str("PreventUserExistenceErrors")? {
        None | Some("LEGACY") => false,
        Some("ENABLED") => true,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "Invalid PreventUserExistenceErrors value: {other}"
            )))
        }
    };
    let secret = if input.opt_bool("GenerateSecret")?.unwrap_or(false) {
        Some(ids::client_secret().map_err(internal)?)
    } else {
        None
    };
    let access = validity(input, "AccessTokenValidity", "AccessToken", 3600)?;
    let id_validity = validity(input, "IdTokenValidity", "IdToken", 3600)?;
    let refresh = validity(input, "RefreshTokenValidity", "RefreshToken", 30 * 86_400)?;
    let session_minutes = input.opt_i64("AuthSessionValidity")?.unwrap_or(3);
    if !(3..=15).contains(&session_minutes) {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15",
        ));
    }
    let mut echo = Map::new();
    for member in [
        "ReadAttributes",
        "WriteAttributes",
        "SupportedIdentityProviders",
        "CallbackURLs",
        "LogoutURLs",
        "DefaultRedirectURI",
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "AllowedOAuthFlowsUserPoolClient",
        "EnableTokenRevocation",
        "EnablePropagateAdditionalUserContextData",
    ] {
        if let Some(v) = input.raw(member) {
            echo.insert(member.to_owned(), echoable(member, v)?.clone());
        }
    }
    crate::oauth::client_settings::check_client_request(
        &ctx.store().oauth,
        &pool_id,
        input,
        secret.is_some(),
    )?;
    let id = ids::client_id().map_err(internal)?;
    let client = AppClient {
        id: id.clone(),
        name,
        secret,
        explicit_flows: flows,
        prevent_user_existence_errors: prevent,
        access_validity_secs: access,
        id_validity_secs: id_validity,
        refresh_validity_secs: refresh,
        session_validity_secs: session_minutes * 60,
        created: ctx.now(),
        echo,
    };
    let body = client_json(&pool_id, &client);
    ctx.store().insert_client(&pool_id, client)?;
    Ok(json!({ "UserPoolClient": body }))
}

fn client_json(pool_id: &str, c: &AppClient) -> Value {
    let mut m = c.echo.clone();
    m.insert("UserPoolId".into(), json!(pool_id));
    m.insert("ClientName".into(), json!(c.name));
    m.insert("ClientId".into(), json!(c.id));
    if let Some(s) = &c.secret {
        m.insert("ClientSecret".into(), json!(s));
    }
    m.insert("CreationDate".into(), json!(c.created));
    m.insert("LastModifiedDate".into(), json!(c.created));
    m.insert("ExplicitAuthFlows".into(), json!(c.explicit_flows));
    m.insert(
        "AuthSessionValidity".into(),
        json!(c.session_validity_secs / 60),
    );
    m.insert(
        "RefreshTokenValidity".into(),
        json!(c.refresh_validity_secs / 86_400),
    );
    m.insert(
        "AccessTokenValidity".into(),
        json!(c.access_validity_secs / 60),
    );
    m.insert("IdTokenValidity".into(), json!(c.id_validity_secs / 60));
    m.insert(
        "TokenValidityUnits".into(),
        json!({"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}),
    );
    m.insert(
        "PreventUserExistenceErrors".into(),
        json!(if c.prevent_user_existence_errors {
            "ENABLED"
        } else {
            "LEGACY"
        }),
    );
    m.entry("EnableTokenRevocation").or_insert(json!(true));
    m.entry("EnablePropagateAdditionalUserContextData")
        .or_insert(json!(false));
    m.entry("AllowedOAuthFlowsUserPoolClient")
        .or_insert(json!(false));
    Value::Object(m)
}

pub(super) fn describe_user_pool_client(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let client_id = input.str("ClientId")?;
    let store = ctx.store();
    let client = store.pool(pool_id)?.client(client_id)?;
    Ok(json!({ "UserPoolClient": client_json(pool_id, client) }))
}

pub(super) fn delete_user_pool_client(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let client_id = input.str("ClientId")?;
    ctx.store().remove_client(pool_id, client_id)?;
    Ok(json!({}))
}

/// Builds a new user; for pools that sign in by email/phone the internal username is the sub.
pub(super) fn new_user(
    ctx: &Ctx<'_>,
    pool: &Pool,
    username: &str,
    attributes: Vec<(String, String)>,
) -> ApiResult<User> {
    let sub = ids::uuid_v4().map_err(internal)?;
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
    })
}

fn temporary_password() -> ApiResult<String> {
    let tail = ids::opaque(9).map_err(internal)?;
    Ok(format!("Tmp{tail}7!a"))
}

pub(super) fn user_json(user: &User, attributes_key: &str) -> Value {
    let mut m = Map::new();
    m.insert("Username".into(), json!(user.username));
    m.insert(attributes_key.into(), attributes_json(user));
    m.insert("UserCreateDate".into(), json!(user.created));
    m.insert("UserLastModifiedDate".into(), json!(user.modified));
    m.insert("Enabled".into(), json!(user.enabled));
    m.insert("UserStatus".into(), json!(user.status.as_str()));
    Value::Object(m)
}

pub(super) fn admin_create_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let attributes = input.opt_attributes("UserAttributes")?.unwrap_or_default();
    let temp = input.opt_str("TemporaryPassword")?;
    let action = input.opt_str("MessageAction")?;
    if let Some(a) = action {
        if a != "SUPPRESS" && a != "RESEND" {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{a}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]"
            )));
        }
    }
    let validation_data: Option<BTreeMap<String, String>> = input
        .opt_attributes("ValidationData")?
        .map(|v| v.into_iter().collect());
    let metadata = input.opt_string_map("ClientMetadata")?;
    let (password, mut user, expires, realm, trigger) = {
        let store = ctx.store();
        let pool = store.pool(pool_id)?;
        if action == Some("RESEND") {
            let user = pool.user(username)?;
            return Ok(json!({ "User": user_json(user, "Attributes") }));
        }
        let password = match temp {
            Some(p) => {
                check_policy(pool, p)?;
                p.to_owned()
            }
            None => temporary_password()?,
        };
        let user = new_user(ctx, pool, username, attributes)?;
        let expires = ctx.now() + pool.policy.temporary_password_validity_days * 86_400;
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
            pool_id,
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
    let pool = store.pool(pool_id)?;
    if pool.resolve(username).is_some() || pool.users.contains_key(&pool.user_key(&user.username)) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let body = user_json(&user, "Attributes");
    let key = pool.user_key(&user.username);
    let internal_name = user.username.clone();
    let email = user.attribute("email").map(str::to_owned);
    store.pool_mut(pool_id)?.users.insert(key, user);
    if action != Some("SUPPRESS") {
        if let Some(email) = email {
            ctx.record_code(
                &mut store,
                pool_id,
                &internal_name,
                SentCode {
                    kind: CodeKind::Email,
                    code: password,
                    destination: email,
                    message: None,
                    subject: None,
                },
            );
        }
    }
    Ok(json!({ "User": body }))
}

pub(super) fn admin_set_user_password(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let password = input.str("Password")?;
    let permanent = input.opt_bool("Permanent")?.unwrap_or(false);
    let (realm, internal_name, expires) = {
        let store = ctx.store();
        let pool = store.pool(pool_id)?;
        check_policy(pool, password)?;
        let user = pool.user(username)?;
        let expires =
            (!permanent).then(|| ctx.now() + pool.policy.temporary_password_validity_days * 86_400);
        (pool.srp_realm().to_owned(), user.username.clone(), expires)
    };
    // The SRP verifier (a modular exponentiation) is made without the store lock.
    let stored = make_password(&realm, &internal_name, password, expires)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    // The verifier's identity is the internal name: if the name given resolves to another
    // user by now (an alias moved meanwhile), the verifier would not fit that user.
    if user.username != internal_name {
        return Err(ApiError::user_not_found());
    }
    user.password = Some(stored);
    user.modified = now;
    user.status = if permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    Ok(json!({}))
}

pub(super) fn admin_get_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let store = ctx.store();
    let user = store.pool(pool_id)?.user(username)?;
    let mut body = user_json(user, "UserAttributes");
    super::mfa::add_mfa_fields(&mut body, user);
    Ok(body)
}

pub(super) fn admin_delete_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    let key = pool
        .resolve(username)
        .ok_or_else(ApiError::user_not_found)?;
    let removed = pool.users.remove(&key);
    if let Some(user) = removed {
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
    Ok(json!({}))
}

pub(super) fn admin_confirm_sign_up(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    user.status = UserStatus::Confirmed;
    user.confirmation_code = None;
    drop(store);
    let metadata = input.opt_string_map("ClientMetadata")?;
    lambda::post_confirmation(
        ctx,
        pool_id,
        None,
        username,
        "PostConfirmation_ConfirmSignUp",
        metadata.as_ref(),
    )?;
    Ok(json!({}))
}

pub(super) fn admin_update_user_attributes(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let attributes = input
        .opt_attributes("UserAttributes")?
        .ok_or_else(|| ApiError::missing_member("UserAttributes"))?;
    let now = ctx.now();
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    for (k, v) in attributes {
        if k == "sub" {
            return Err(ApiError::invalid_parameter(
                "Cannot modify an attribute that is not mutable: sub",
            ));
        }
        user.attributes.insert(k, v);
    }
    user.modified = now;
    Ok(json!({}))
}

fn set_enabled(ctx: &Ctx<'_>, input: &Input<'_>, enabled: bool) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let username = input.str("Username")?;
    let mut store = ctx.store();
    let user = store.pool_mut(pool_id)?.user_mut(username)?;
    user.enabled = enabled;
    Ok(json!({}))
}

pub(super) fn admin_disable_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    set_enabled(ctx, input, false)
}

pub(super) fn admin_enable_user(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    set_enabled(ctx, input, true)
}

/// ListUsers with the documented filter forms `attr = "v"` and `attr ^= "v"`.
pub(super) fn list_users(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("UserPoolId")?;
    let limit = input.opt_i64("Limit")?.unwrap_or(60).clamp(1, 60) as usize;
    let filter = match input.opt_str("Filter")? {
        Some(f) if !f.trim().is_empty() => Some(parse_filter(f)?),
        _ => None,
    };
    let after = input.opt_str("PaginationToken")?;
    let store = ctx.store();
    let pool = store.pool(pool_id)?;
    let mut users = Vec::new();
    let mut next = None;
    for (key, u) in pool.users.iter() {
        if let Some(a) = after {
            if key.as_str() <= a {
                continue;
            }
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
        if keep {
            if users.len() == limit {
                next = users
                    .last()
                    .and_then(|v: &Value| v["Username"].as_str())
                    .map(|s| pool.user_key(s));
                break;
            }
            users.push(user_json(u, "Attributes"));
        }
    }
    let mut out = json!({ "Users": users });
    if let Some(n) = next {
        out["PaginationToken"] = json!(n);
    }
    Ok(out)
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

pub(super) fn sign_up(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let client_id = input.str("ClientId")?;
    let username = input.str("Username")?;
    let password = input.str("Password")?;
    let attributes = input.opt_attributes("UserAttributes")?.unwrap_or_default();
    let secret_hash = input.opt_str("SecretHash")?;
    let validation_data: Option<BTreeMap<String, String>> = input
        .opt_attributes("ValidationData")?
        .map(|v| v.into_iter().collect());
    let metadata = input.opt_string_map("ClientMetadata")?;
    let (pool_id, realm, mut user, trigger) = {
        let store = ctx.store();
        let pool_id = store.client_pool_id(client_id)?;
        let pool = store.pool(&pool_id)?;
        check_sign_up_secret_hash(pool.client(client_id)?, username, secret_hash)?;
        for required in &pool.required_attributes {
            let given = attributes.iter().any(|(k, _)| k == required)
                || (pool.username_attributes.contains(required)
                    && username_attribute_value(required, username));
            if !given {
                return Err(ApiError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {required}: The attribute is required"
                )));
            }
        }
        check_policy(pool, password)?;
        let user = new_user(ctx, pool, username, attributes)?;
        let trigger = triggers::configured(pool, triggers::Kind::PreSignUp);
        (pool_id, pool.srp_realm().to_owned(), user, trigger)
    };
    // The verifier (a modular exponentiation) and the trigger run without the store lock.
    user.password = Some(make_password(&realm, &user.username, password, None)?);
    let decision = match &trigger {
        Some(t) => lambda::pre_sign_up(
            ctx,
            t,
            "PreSignUp_SignUp",
            &pool_id,
            Some(client_id),
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
    if pool.resolve(username).is_some() || pool.users.contains_key(&pool.user_key(&internal_name)) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let key = pool.user_key(&user.username);
    if decision.auto_confirm {
        user.status = UserStatus::Confirmed;
        store.pool_mut(&pool_id)?.users.insert(key, user);
        return Ok(json!({ "UserConfirmed": true, "UserSub": sub }));
    }
    let code = ids::numeric_code().map_err(internal)?;
    user.confirmation_code = Some(code.clone());
    let (medium, attr, destination) =
        match (user.attribute("email"), user.attribute("phone_number")) {
            (Some(e), _) => ("EMAIL", "email", e.to_owned()),
            (None, Some(p)) => ("SMS", "phone_number", p.to_owned()),
            (None, None) => ("EMAIL", "email", String::new()),
        };
    let masked = if medium == "EMAIL" {
        super::mask_email(&destination)
    } else {
        super::mask_phone(&destination)
    };
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
            destination,
            message: None,
            subject: None,
        },
    );
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": {"Destination": masked, "DeliveryMedium": medium, "AttributeName": attr},
    }))
}

pub(super) fn confirm_sign_up(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let client_id = input.str("ClientId")?;
    let username = input.str("Username")?;
    let code = input.str("ConfirmationCode")?;
    let secret_hash = input.opt_str("SecretHash")?;
    let metadata = input.opt_string_map("ClientMetadata")?;
    let pool_id = confirm_with_code(ctx, client_id, username, code, secret_hash)?;
    lambda::post_confirmation(
        ctx,
        &pool_id,
        Some(client_id),
        username,
        "PostConfirmation_ConfirmSignUp",
        metadata.as_ref(),
    )?;
    Ok(json!({}))
}

fn confirm_with_code(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    code: &str,
    secret_hash: Option<&str>,
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
    if user.attributes.contains_key("email") {
        user.attributes
            .insert("email_verified".into(), "true".into());
    } else if user.attributes.contains_key("phone_number") {
        user.attributes
            .insert("phone_number_verified".into(), "true".into());
    }
    Ok(pool_id)
}

/// Cognito's request shapes nest a few levels at most. A member echoed back in a description
/// is refused past `MAX_ECHO_DEPTH`: the response wraps it in more levels, and a JSON parser
/// with a recursion limit (serde_json's is 128) could not read the answer. (Fuzzing finding.)
const MAX_ECHO_DEPTH: usize = 16;

fn echoable<'v>(member: &str, v: &'v Value) -> ApiResult<&'v Value> {
    fn depth(v: &Value, limit: usize) -> usize {
        if limit == 0 {
            return 1;
        }
        1 + match v {
            Value::Array(items) => items.iter().map(|i| depth(i, limit - 1)).max().unwrap_or(0),
            Value::Object(m) => m.values().map(|i| depth(i, limit - 1)).max().unwrap_or(0),
            _ => 0,
        }
    }
    if depth(v, MAX_ECHO_DEPTH + 1) > MAX_ECHO_DEPTH {
        return Err(ApiError::serialization(format!(
            "{member} nests deeper than its shape allows"
        )));
    }
    Ok(v)
}
