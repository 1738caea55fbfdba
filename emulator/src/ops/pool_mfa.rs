//! A pool's MFA configuration: Set/GetUserPoolMfaConfig, and the MFA mode CreateUserPool and
//! UpdateUserPool set.

use super::checks::known;
use super::context::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::{MfaMode, Pool};

/// The pool's MFA mode from a request's MfaConfiguration (OFF without one).
pub(super) fn mfa_mode(mfa: Option<&m::UserPoolMfaType>) -> ApiResult<MfaMode> {
    match mfa {
        None | Some(m::UserPoolMfaType::Off) => Ok(MfaMode::Off),
        Some(m::UserPoolMfaType::On) => Ok(MfaMode::On),
        Some(m::UserPoolMfaType::Optional) => Ok(MfaMode::Optional),
        Some(other) => known("mfaConfiguration", other).map(|()| MfaMode::Off),
    }
}

pub(super) fn get_user_pool_mfa_config(
    ctx: &Ctx<'_>,
    input: m::GetUserPoolMfaConfigInput,
) -> ApiResult<m::GetUserPoolMfaConfigOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    mfa_config_output(pool)
}

fn software_token_enabled(pool: &Pool) -> bool {
    pool.config
        .software_token_mfa
        .as_ref()
        .and_then(|s| s.enabled)
        .unwrap_or(false)
}

macro_rules! mfa_config_output {
    ($out:ty, $pool:expr) => {{
        let pool = $pool;
        let c = &pool.config;
        let mut b = <$out>::builder()
            .mfa_configuration(m::UserPoolMfaType::from(pool.mfa.as_str()))
            .software_token_mfa_configuration(m::SoftwareTokenMfaConfigType {
                enabled: Some(software_token_enabled(pool)),
            });
        if let Some(s) = &c.sms_mfa {
            b = b.sms_mfa_configuration(s.clone());
        }
        if let Some(e) = &c.email_mfa {
            b = b.email_mfa_configuration(e.clone());
        }
        b = b.web_authn_configuration(c.web_authn.clone().unwrap_or(
            m::WebAuthnConfigurationType {
                relying_party_id: None,
                user_verification: Some(m::UserVerificationType::Preferred),
            },
        ));
        Ok(b.build()?)
    }};
}

fn mfa_config_output(pool: &Pool) -> ApiResult<m::GetUserPoolMfaConfigOutput> {
    mfa_config_output!(m::GetUserPoolMfaConfigOutput, pool)
}

/// SetUserPoolMfaConfig: which MFA methods the pool offers, and whether MFA is off, optional
/// or required. Sign-ins offer only the methods enabled here (see `flow::usable_mfa`).
pub(super) fn set_user_pool_mfa_config(
    ctx: &Ctx<'_>,
    input: m::SetUserPoolMfaConfigInput,
) -> ApiResult<m::SetUserPoolMfaConfigOutput> {
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    if let Some(w) = input
        .web_authn_configuration
        .as_ref()
        .and_then(|w| w.user_verification.as_ref())
    {
        known("webAuthnConfiguration.userVerification", w)?;
    }
    let mfa = match &input.mfa_configuration {
        Some(mode) => mfa_mode(Some(mode))?,
        None => pool.mfa,
    };
    if input.email_mfa_configuration.is_some()
        && !pool
            .config
            .email_configuration
            .as_ref()
            .is_some_and(|e| e.email_sending_account == Some(m::EmailSendingAccountType::Developer))
    {
        return Err(ApiError::invalid_parameter(
            "Email MFA requires a user pool that sends email with Amazon SES (EmailSendingAccount DEVELOPER).",
        ));
    }
    let software = input
        .software_token_mfa_configuration
        .or_else(|| pool.config.software_token_mfa.clone());
    let sms = input
        .sms_mfa_configuration
        .or_else(|| pool.config.sms_mfa.clone());
    let email = input
        .email_mfa_configuration
        .or_else(|| pool.config.email_mfa.clone());
    let any_method = software.as_ref().is_some_and(|s| s.enabled == Some(true))
        || sms.is_some()
        || email.is_some();
    if mfa != MfaMode::Off && !any_method {
        return Err(ApiError::invalid_parameter(
            "At least one MFA method must be enabled when MFA is ON or OPTIONAL.",
        ));
    }
    pool.mfa = mfa;
    pool.config.software_token_mfa = software;
    pool.config.sms_mfa = sms;
    pool.config.email_mfa = email;
    if let Some(w) = input.web_authn_configuration {
        pool.config.web_authn = Some(w);
    }
    pool.config.last_modified = ctx.now();
    let pool: &Pool = pool;
    mfa_config_output!(m::SetUserPoolMfaConfigOutput, pool)
}
