//! User pools: Create/Describe/Update/Delete/ListUserPools, their schema (AddCustomAttributes,
//! GetCSVHeader) and signing certificate. The MFA configuration is in `pool_mfa.rs`, the ARN
//! and tags in `tags.rs`.

use super::checks::known;
use super::context::Ctx;
use super::pool_mfa::mfa_mode;
use super::shapes::date;
use super::tags::{check_tags, pool_arn};
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::store::{PasswordPolicy, Pool, PoolConfig, Store};

/// The password policy and first factors a `Policies` member sets (defaults without one).
fn policies(p: Option<&m::UserPoolPolicyType>) -> ApiResult<(PasswordPolicy, Vec<String>)> {
    let mut policy = PasswordPolicy::default();
    let mut first_factors = vec!["PASSWORD".to_owned()];
    if let Some(p) = p {
        if let Some(pp) = &p.password_policy {
            policy = PasswordPolicy {
                minimum_length: pp.minimum_length.unwrap_or(8).clamp(6, 99) as usize,
                require_uppercase: pp.require_uppercase.unwrap_or(false),
                require_lowercase: pp.require_lowercase.unwrap_or(false),
                require_numbers: pp.require_numbers.unwrap_or(false),
                require_symbols: pp.require_symbols.unwrap_or(false),
                temporary_password_validity_days: i64::from(
                    pp.temporary_password_validity_days.unwrap_or(7),
                ),
            };
        }
        if let Some(factors) = p
            .sign_in_policy
            .as_ref()
            .and_then(|s| s.allowed_first_auth_factors.as_ref())
        {
            for f in factors {
                known("policies.signInPolicy.allowedFirstAuthFactors", f)?;
            }
            if !factors.contains(&m::AuthFactorType::Password) {
                return Err(ApiError::invalid_parameter(
                    "AllowedFirstAuthFactors must include PASSWORD.",
                ));
            }
            first_factors = factors.iter().map(|f| f.as_str().to_owned()).collect();
        }
    }
    Ok((policy, first_factors))
}

/// The checks on the settings CreateUserPool and UpdateUserPool share.
fn check_settings(config: &PoolConfig) -> ApiResult<()> {
    for a in config.auto_verified_attributes.iter().flatten() {
        known("autoVerifiedAttributes", a)?;
    }
    if let Some(d) = &config.deletion_protection {
        known("deletionProtection", d)?;
    }
    if let Some(t) = &config.user_pool_tier {
        known("userPoolTier", t)?;
    }
    if let Some(a) = &config.user_pool_add_ons {
        known(
            "userPoolAddOns.advancedSecurityMode",
            &a.advanced_security_mode,
        )?;
    }
    if let Some(t) = &config.verification_message_template {
        if let Some(o) = &t.default_email_option {
            known("verificationMessageTemplate.defaultEmailOption", o)?;
        }
    }
    if let Some(e) = &config.email_configuration {
        if let Some(a) = &e.email_sending_account {
            known("emailConfiguration.emailSendingAccount", a)?;
        }
        if e.email_sending_account == Some(m::EmailSendingAccountType::Developer)
            && e.source_arn.is_none()
        {
            return Err(ApiError::invalid_parameter(
                "SourceArn is required when EmailSendingAccount is DEVELOPER.",
            ));
        }
    }
    if let Some(r) = &config.account_recovery_setting {
        let mechanisms = r.recovery_mechanisms.as_deref().unwrap_or_default();
        for (i, o) in mechanisms.iter().enumerate() {
            known(
                &format!(
                    "accountRecoverySetting.recoveryMechanisms.{}.member.name",
                    i + 1
                ),
                &o.name,
            )?;
        }
        let priorities: Vec<i32> = mechanisms.iter().map(|o| o.priority).collect();
        if priorities.len() == 2 && priorities[0] == priorities[1] {
            return Err(ApiError::invalid_parameter(
                "Recovery mechanisms must have different priorities.",
            ));
        }
        if mechanisms.len() == 2
            && mechanisms
                .iter()
                .any(|o| o.name == m::RecoveryOptionNameType::AdminOnly)
        {
            return Err(ApiError::invalid_parameter(
                "admin_only cannot be combined with another recovery mechanism.",
            ));
        }
    }
    if let Some(lambda) = &config.lambda_config {
        if let Some(p) = &lambda.pre_token_generation_config {
            known(
                "lambdaConfig.preTokenGenerationConfig.lambdaVersion",
                &p.lambda_version,
            )?;
            if let Some(arn) = &lambda.pre_token_generation {
                if arn != &p.lambda_arn {
                    return Err(ApiError::invalid_parameter(
                        "PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function.",
                    ));
                }
            }
        }
    }
    if let Some(tags) = &config.user_pool_tags {
        check_tags(tags)?;
    }
    Ok(())
}

/// Builds a pool from a CreateUserPool request (with a fresh id); the caller stores it.
pub(crate) fn build_pool(ctx: &Ctx<'_>, input: m::CreateUserPoolInput) -> ApiResult<Pool> {
    let username_attributes: Vec<String> = input
        .username_attributes
        .iter()
        .flatten()
        .map(|a| known("usernameAttributes", a).map(|()| a.as_str().to_owned()))
        .collect::<ApiResult<_>>()?;
    let alias_attributes: Vec<String> = input
        .alias_attributes
        .iter()
        .flatten()
        .map(|a| known("aliasAttributes", a).map(|()| a.as_str().to_owned()))
        .collect::<ApiResult<_>>()?;
    if !username_attributes.is_empty() && !alias_attributes.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Only one of aliasAttributes or usernameAttributes may be set",
        ));
    }
    let mfa = mfa_mode(input.mfa_configuration.as_ref())?;
    let (policy, first_factors) = policies(input.policies.as_ref())?;
    let schema = super::schema::from_request(input.schema.unwrap_or_default())?;
    let required_attributes = super::schema::required(&schema);
    let case_sensitive = input
        .username_configuration
        .as_ref()
        .map(|u| u.case_sensitive)
        .unwrap_or(true);
    let config = PoolConfig {
        policies: input.policies,
        lambda_config: input.lambda_config,
        auto_verified_attributes: input.auto_verified_attributes,
        sms_verification_message: input.sms_verification_message,
        email_verification_message: input.email_verification_message,
        email_verification_subject: input.email_verification_subject,
        verification_message_template: input.verification_message_template,
        sms_authentication_message: input.sms_authentication_message,
        user_attribute_update_settings: input.user_attribute_update_settings,
        device_configuration: input.device_configuration,
        email_configuration: input.email_configuration,
        sms_configuration: input.sms_configuration,
        user_pool_tags: input.user_pool_tags,
        admin_create_user_config: input.admin_create_user_config,
        user_pool_add_ons: input.user_pool_add_ons,
        account_recovery_setting: input.account_recovery_setting,
        user_pool_tier: input.user_pool_tier,
        deletion_protection: input.deletion_protection,
        schema,
        software_token_mfa: None,
        sms_mfa: None,
        email_mfa: None,
        web_authn: None,
        last_modified: 0,
    };
    check_settings(&config)?;
    let id = ids::pool_id(ctx.region()).map_err(no_randomness)?;
    Ok(Pool {
        id,
        name: input.pool_name,
        created: ctx.now(),
        policy,
        username_attributes,
        alias_attributes,
        mfa,
        required_attributes,
        case_sensitive,
        first_factors,
        config,
        clients: Default::default(),
        users: Default::default(),
        groups: Default::default(),
        resources: Default::default(),
    })
}

pub(super) fn create_user_pool(
    ctx: &Ctx<'_>,
    input: m::CreateUserPoolInput,
) -> ApiResult<m::CreateUserPoolOutput> {
    let pool = build_pool(ctx, input)?;
    let mut store = ctx.store();
    let body = user_pool_type(&store, &pool);
    store.insert_pool(pool);
    Ok(m::CreateUserPoolOutput::builder().user_pool(body).build()?)
}

/// The pool as DescribeUserPool shows it, with Cognito's defaults for what was never set.
// `Status` is deprecated in the model; it is left out, as Cognito leaves it out.
#[allow(deprecated)]
pub(crate) fn user_pool_type(store: &Store, pool: &Pool) -> m::UserPoolType {
    let c = &pool.config;
    let p = &pool.policy;
    let (mut domain, mut custom_domain) = (None, None);
    for d in store
        .oauth
        .domains
        .values()
        .filter(|d| d.pool_id == pool.id)
    {
        match d.certificate_arn {
            Some(_) => custom_domain = Some(d.domain.clone()),
            None => domain = Some(d.domain.clone()),
        }
    }
    let password_policy = m::PasswordPolicyType {
        minimum_length: Some(p.minimum_length as i32),
        require_uppercase: Some(p.require_uppercase),
        require_lowercase: Some(p.require_lowercase),
        require_numbers: Some(p.require_numbers),
        require_symbols: Some(p.require_symbols),
        password_history_size: c
            .policies
            .as_ref()
            .and_then(|x| x.password_policy.as_ref())
            .and_then(|x| x.password_history_size),
        temporary_password_validity_days: Some(p.temporary_password_validity_days as i32),
    };
    let first_factors = pool
        .first_factors
        .iter()
        .map(|f| m::AuthFactorType::from(f.as_str()))
        .collect();
    let modified = c.last_modified.max(pool.created);
    m::UserPoolType {
        id: Some(pool.id.clone()),
        name: Some(pool.name.clone()),
        policies: Some(m::UserPoolPolicyType {
            password_policy: Some(password_policy),
            sign_in_policy: Some(m::SignInPolicyType {
                allowed_first_auth_factors: Some(first_factors),
            }),
        }),
        deletion_protection: Some(
            c.deletion_protection
                .clone()
                .unwrap_or(m::DeletionProtectionType::Inactive),
        ),
        lambda_config: Some(c.lambda_config.clone().unwrap_or_else(empty_lambda_config)),
        status: None,
        last_modified_date: Some(date(modified)),
        creation_date: Some(date(pool.created)),
        schema_attributes: Some(super::schema::attributes(pool)),
        auto_verified_attributes: c.auto_verified_attributes.clone(),
        alias_attributes: list_or_none(&pool.alias_attributes),
        username_attributes: list_or_none(&pool.username_attributes),
        sms_verification_message: c.sms_verification_message.clone(),
        email_verification_message: c.email_verification_message.clone(),
        email_verification_subject: c.email_verification_subject.clone(),
        verification_message_template: Some(c.verification_message_template.clone().unwrap_or(
            m::VerificationMessageTemplateType {
                sms_message: None,
                email_message: None,
                email_subject: None,
                email_message_by_link: None,
                email_subject_by_link: None,
                default_email_option: Some(m::DefaultEmailOptionType::ConfirmWithCode),
            },
        )),
        sms_authentication_message: c.sms_authentication_message.clone(),
        user_attribute_update_settings: c.user_attribute_update_settings.clone(),
        mfa_configuration: Some(m::UserPoolMfaType::from(pool.mfa.as_str())),
        device_configuration: c.device_configuration.clone(),
        estimated_number_of_users: Some(pool.users.len().min(i32::MAX as usize) as i32),
        email_configuration: Some(c.email_configuration.clone().unwrap_or(
            m::EmailConfigurationType {
                source_arn: None,
                reply_to_email_address: None,
                email_sending_account: Some(m::EmailSendingAccountType::CognitoDefault),
                from: None,
                configuration_set: None,
            },
        )),
        sms_configuration: c.sms_configuration.clone(),
        user_pool_tags: c.user_pool_tags.clone(),
        sms_configuration_failure: None,
        email_configuration_failure: None,
        domain,
        custom_domain,
        admin_create_user_config: Some(c.admin_create_user_config.clone().unwrap_or(
            m::AdminCreateUserConfigType {
                allow_admin_create_user_only: Some(false),
                unused_account_validity_days: Some(7),
                invite_message_template: None,
            },
        )),
        user_pool_add_ons: c.user_pool_add_ons.clone(),
        username_configuration: Some(m::UsernameConfigurationType {
            case_sensitive: pool.case_sensitive,
        }),
        arn: Some(pool_arn(&pool.id)),
        account_recovery_setting: c.account_recovery_setting.clone(),
        user_pool_tier: Some(
            c.user_pool_tier
                .clone()
                .unwrap_or(m::UserPoolTierType::Essentials),
        ),
    }
}

fn empty_lambda_config() -> m::LambdaConfigType {
    m::LambdaConfigType {
        pre_sign_up: None,
        custom_message: None,
        post_confirmation: None,
        pre_authentication: None,
        post_authentication: None,
        define_auth_challenge: None,
        create_auth_challenge: None,
        verify_auth_challenge_response: None,
        pre_token_generation: None,
        user_migration: None,
        pre_token_generation_config: None,
        custom_sms_sender: None,
        custom_email_sender: None,
        kms_key_id: None,
        inbound_federation: None,
    }
}

fn list_or_none<T: for<'a> From<&'a str>>(names: &[String]) -> Option<Vec<T>> {
    (!names.is_empty()).then(|| names.iter().map(|n| T::from(n.as_str())).collect())
}

pub(super) fn describe_user_pool(
    ctx: &Ctx<'_>,
    input: m::DescribeUserPoolInput,
) -> ApiResult<m::DescribeUserPoolOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let body = user_pool_type(&store, pool);
    Ok(m::DescribeUserPoolOutput::builder()
        .user_pool(body)
        .build()?)
}

/// UpdateUserPool: as in Cognito, every setting the request leaves out goes back to its
/// default; what only CreateUserPool sets (username and alias attributes, schema, case
/// sensitivity) stays.
pub(super) fn update_user_pool(
    ctx: &Ctx<'_>,
    input: m::UpdateUserPoolInput,
) -> ApiResult<m::UpdateUserPoolOutput> {
    let mfa = mfa_mode(input.mfa_configuration.as_ref())?;
    let (policy, first_factors) = policies(input.policies.as_ref())?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let old = &pool.config;
    let config = PoolConfig {
        policies: input.policies,
        lambda_config: input.lambda_config,
        auto_verified_attributes: input.auto_verified_attributes,
        sms_verification_message: input.sms_verification_message,
        email_verification_message: input.email_verification_message,
        email_verification_subject: input.email_verification_subject,
        verification_message_template: input.verification_message_template,
        sms_authentication_message: input.sms_authentication_message,
        user_attribute_update_settings: input.user_attribute_update_settings,
        device_configuration: input.device_configuration,
        email_configuration: input.email_configuration,
        sms_configuration: input.sms_configuration,
        user_pool_tags: input.user_pool_tags.or_else(|| old.user_pool_tags.clone()),
        admin_create_user_config: input.admin_create_user_config,
        user_pool_add_ons: input.user_pool_add_ons,
        account_recovery_setting: input.account_recovery_setting,
        user_pool_tier: input.user_pool_tier.or_else(|| old.user_pool_tier.clone()),
        deletion_protection: input.deletion_protection,
        schema: old.schema.clone(),
        software_token_mfa: old.software_token_mfa.clone(),
        sms_mfa: old.sms_mfa.clone(),
        email_mfa: old.email_mfa.clone(),
        web_authn: old.web_authn.clone(),
        last_modified: now,
    };
    check_settings(&config)?;
    if let Some(name) = input.pool_name {
        pool.name = name;
    }
    pool.policy = policy;
    pool.first_factors = first_factors;
    pool.mfa = mfa;
    pool.config = config;
    Ok(m::UpdateUserPoolOutput::builder().build()?)
}

pub(super) fn delete_user_pool(
    ctx: &Ctx<'_>,
    input: m::DeleteUserPoolInput,
) -> ApiResult<m::DeleteUserPoolOutput> {
    let pool_id = input.user_pool_id;
    let mut store = ctx.store();
    let pool = store.pool(&pool_id)?;
    if pool.config.deletion_protection == Some(m::DeletionProtectionType::Active) {
        return Err(ApiError::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
        ));
    }
    store
        .remove_pool(&pool_id)
        .ok_or_else(|| ApiError::unknown_pool(&pool_id))?;
    store.oauth.forget_pool(&pool_id);
    store.guard.forget_pool(&pool_id);
    Ok(m::DeleteUserPoolOutput::builder().build()?)
}

#[allow(deprecated)]
pub(super) fn list_user_pools(
    ctx: &Ctx<'_>,
    input: m::ListUserPoolsInput,
) -> ApiResult<m::ListUserPoolsOutput> {
    let max = input.max_results.clamp(1, 60) as usize;
    let after = input.next_token.as_deref();
    let store = ctx.store();
    let mut page: Vec<&Pool> = store
        .pools_in(ctx.region())
        .filter(|p| after.map_or(true, |a| p.id.as_str() > a))
        .take(max + 1)
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let next = more.then(|| page.last().map(|p| p.id.clone())).flatten();
    let pools: Vec<m::UserPoolDescriptionType> = page
        .iter()
        .map(|p| m::UserPoolDescriptionType {
            id: Some(p.id.clone()),
            name: Some(p.name.clone()),
            lambda_config: Some(
                p.config
                    .lambda_config
                    .clone()
                    .unwrap_or_else(empty_lambda_config),
            ),
            status: None,
            last_modified_date: Some(date(p.config.last_modified.max(p.created))),
            creation_date: Some(date(p.created)),
        })
        .collect();
    let mut out = m::ListUserPoolsOutput::builder().set_user_pools(Some(pools));
    if let Some(n) = next {
        out = out.next_token(n);
    }
    Ok(out.build()?)
}

pub(super) fn add_custom_attributes(
    ctx: &Ctx<'_>,
    input: m::AddCustomAttributesInput,
) -> ApiResult<m::AddCustomAttributesOutput> {
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let added = super::schema::custom_from_request(&pool.config.schema, input.custom_attributes)?;
    pool.config.schema.extend(added);
    pool.config.last_modified = ctx.now();
    Ok(m::AddCustomAttributesOutput::builder().build()?)
}

/// GetCSVHeader: the columns of a user import file for this pool.
pub(super) fn get_csv_header(
    ctx: &Ctx<'_>,
    input: m::GetCsvHeaderInput,
) -> ApiResult<m::GetCsvHeaderOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    Ok(m::GetCsvHeaderOutput::builder()
        .user_pool_id(pool.id.clone())
        .set_csv_header(Some(super::imports::csv_header(pool)))
        .build()?)
}

/// GetSigningCertificate: a self-signed certificate over the emulator's signing key, base64
/// DER (as Cognito returns it).
pub(super) fn get_signing_certificate(
    ctx: &Ctx<'_>,
    input: m::GetSigningCertificateInput,
) -> ApiResult<m::GetSigningCertificateOutput> {
    use base64::Engine;
    let created = ctx.store().pool(&input.user_pool_id)?.created;
    let der =
        crate::certificate::signing_certificate(&ctx.shared.keys, &input.user_pool_id, created)?;
    Ok(m::GetSigningCertificateOutput::builder()
        .certificate(base64::engine::general_purpose::STANDARD.encode(der))
        .build()?)
}
