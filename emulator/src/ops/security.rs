//! Threat protection and logging: sign-in events (recorded while the pool's
//! AdvancedSecurityMode is AUDIT or ENFORCED; AdminListUserAuthEvents,
//! AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback), risk configurations
//! (Set/DescribeRiskConfiguration) and the log delivery configuration
//! (Set/GetLogDeliveryConfiguration). The emulator has no risk engine: every event is rated
//! NoRisk/Low and the risk configuration's actions are kept, not taken; no logs are delivered.

use super::checks::known;
use super::context::Ctx;
use super::paging::{after_token, page_token};
use super::shapes::date;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::store::resource::{key, LOG_DELIVERY, RISK_CONFIGURATION};
use crate::store::{AuthEvent, CodeKind, Pool, Resource, SentCode, Store};

/// Events kept per user, newest last.
const EVENTS_PER_USER: usize = 50;
/// A risk configuration that applies to every app client.
const ALL_CLIENTS: &str = "ALL";

fn protected(pool: &Pool) -> bool {
    pool.config
        .user_pool_add_ons
        .as_ref()
        .is_some_and(|a| a.advanced_security_mode != m::AdvancedSecurityModeType::Off)
}

fn require_protection(pool: &Pool) -> ApiResult<()> {
    if protected(pool) {
        Ok(())
    } else {
        Err(ApiError::new(
            "UserPoolAddOnNotEnabledException",
            "Threat protection (UserPoolAddOns.AdvancedSecurityMode) is not enabled for this user pool.",
        ))
    }
}

/// A wrong password or code: counted towards the lockout, and recorded as an event.
pub(crate) fn sign_in_failed(store: &mut Store, pool_id: &str, username: &str, now: i64) {
    store.guard.sign_in_failed(pool_id, username, now);
    record_sign_in(store, pool_id, username, false, now);
}

/// Tokens are being issued: the lockout history starts again, and the event is recorded.
pub(crate) fn signed_in(store: &mut Store, pool_id: &str, username: &str, now: i64) {
    store.guard.signed_in(pool_id, username);
    record_sign_in(store, pool_id, username, true, now);
}

/// Records a sign-in attempt of a user of a protected pool.
fn record_sign_in(store: &mut Store, pool_id: &str, username: &str, success: bool, now: i64) {
    let Ok(pool) = store.pool_mut(pool_id) else {
        return;
    };
    if !protected(pool) {
        return;
    }
    let (Ok(id), Ok(token)) = (ids::uuid_v4(), ids::opaque(32)) else {
        return;
    };
    let Ok(user) = pool.user_mut(username) else {
        return;
    };
    user.events.push(AuthEvent {
        id: id.clone(),
        created: now,
        success,
        challenges: vec![("Password".to_owned(), success)],
        feedback: None,
        feedback_provider: None,
        feedback_token: token.clone(),
    });
    if user.events.len() > EVENTS_PER_USER {
        user.events.remove(0);
    }
    let name = user.username.clone();
    store.record_code(
        pool_id,
        &name,
        SentCode {
            kind: CodeKind::AuthEventFeedback,
            code: token,
            destination: id,
            message: None,
            subject: None,
        },
    );
}

fn event_type(e: &AuthEvent) -> m::AuthEventType {
    m::AuthEventType {
        event_id: Some(e.id.clone()),
        event_type: Some(m::EventType::SignIn),
        creation_date: Some(date(e.created)),
        event_response: Some(if e.success {
            m::EventResponseType::Pass
        } else {
            m::EventResponseType::Fail
        }),
        event_risk: Some(m::EventRiskType {
            risk_decision: Some(m::RiskDecisionType::NoRisk),
            risk_level: Some(m::RiskLevelType::Low),
            compromised_credentials_detected: Some(false),
        }),
        challenge_responses: Some(
            e.challenges
                .iter()
                .map(|(name, ok)| m::ChallengeResponseType {
                    challenge_name: Some(m::ChallengeName::from(name.as_str())),
                    challenge_response: Some(if *ok {
                        m::ChallengeResponse::Success
                    } else {
                        m::ChallengeResponse::Failure
                    }),
                })
                .collect(),
        ),
        event_context_data: None,
        event_feedback: e.feedback.as_ref().map(|f| m::EventFeedbackType {
            feedback_value: m::FeedbackValueType::from(f.as_str()),
            provider: e.feedback_provider.clone().unwrap_or_default(),
            feedback_date: Some(date(e.created)),
        }),
    }
}

pub(super) fn admin_list_user_auth_events(
    ctx: &Ctx<'_>,
    input: m::AdminListUserAuthEventsInput,
) -> ApiResult<m::AdminListUserAuthEventsOutput> {
    let max = match input.max_results {
        None | Some(0) => 60,
        Some(n) => n.clamp(1, 60) as usize,
    };
    let after = after_token(input.next_token.as_deref())?;
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    require_protection(pool)?;
    let user = pool.user(&input.username)?;
    // Newest first, as Cognito lists them; the token is the id the next page starts after.
    let mut events: Vec<&AuthEvent> = user.events.iter().rev().collect();
    if let Some(a) = &after {
        if let Some(i) = events.iter().position(|e| &e.id == a) {
            events.drain(..=i);
        }
    }
    let more = events.len() > max;
    events.truncate(max);
    let mut out = m::AdminListUserAuthEventsOutput::builder().set_auth_events(Some(
        events.iter().map(|e| event_type(e)).collect::<Vec<_>>(),
    ));
    if more {
        if let Some(last) = events.last() {
            out = out.next_token(page_token(&last.id));
        }
    }
    Ok(out.build()?)
}

fn feedback(
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    event_id: &str,
    value: &m::FeedbackValueType,
    token: Option<&str>,
    provider: &str,
) -> ApiResult<()> {
    known("feedbackValue", value)?;
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id)?;
    require_protection(pool)?;
    let user = pool.user_mut(username)?;
    let event = user
        .events
        .iter_mut()
        .find(|e| e.id == event_id)
        .ok_or_else(|| ApiError::resource_not_found("Auth event not found."))?;
    if let Some(t) = token {
        if !crate::guard::constant_time_eq(t.as_bytes(), event.feedback_token.as_bytes()) {
            return Err(ApiError::not_authorized("Invalid feedback token."));
        }
    }
    event.feedback = Some(value.as_str().to_owned());
    event.feedback_provider = Some(provider.to_owned());
    Ok(())
}

pub(super) fn admin_update_auth_event_feedback(
    ctx: &Ctx<'_>,
    input: m::AdminUpdateAuthEventFeedbackInput,
) -> ApiResult<m::AdminUpdateAuthEventFeedbackOutput> {
    feedback(
        ctx,
        &input.user_pool_id,
        &input.username,
        &input.event_id,
        &input.feedback_value,
        None,
        "Admin",
    )?;
    Ok(m::AdminUpdateAuthEventFeedbackOutput::builder().build()?)
}

pub(super) fn update_auth_event_feedback(
    ctx: &Ctx<'_>,
    input: m::UpdateAuthEventFeedbackInput,
) -> ApiResult<m::UpdateAuthEventFeedbackOutput> {
    feedback(
        ctx,
        &input.user_pool_id,
        &input.username,
        &input.event_id,
        &input.feedback_value,
        Some(&input.feedback_token),
        "User",
    )?;
    Ok(m::UpdateAuthEventFeedbackOutput::builder().build()?)
}

fn check_risk(input: &m::SetRiskConfigurationInput) -> ApiResult<()> {
    if let Some(c) = &input.compromised_credentials_risk_configuration {
        known(
            "compromisedCredentialsRiskConfiguration.actions.eventAction",
            &c.actions.event_action,
        )?;
        for f in c.event_filter.iter().flatten() {
            known("compromisedCredentialsRiskConfiguration.eventFilter", f)?;
        }
    }
    if let Some(a) = &input.account_takeover_risk_configuration {
        for action in [
            &a.actions.low_action,
            &a.actions.medium_action,
            &a.actions.high_action,
        ]
        .into_iter()
        .flatten()
        {
            known(
                "accountTakeoverRiskConfiguration.actions.eventAction",
                &action.event_action,
            )?;
            if action.notify && a.notify_configuration.is_none() {
                return Err(ApiError::invalid_parameter(
                    "NotifyConfiguration is required when an action notifies the user.",
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn set_risk_configuration(
    ctx: &Ctx<'_>,
    input: m::SetRiskConfigurationInput,
) -> ApiResult<m::SetRiskConfigurationOutput> {
    check_risk(&input)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    require_protection(pool)?;
    let client = match &input.client_id {
        Some(c) if c != ALL_CLIENTS => {
            pool.client(c)?;
            c.clone()
        }
        _ => ALL_CLIENTS.to_owned(),
    };
    let config = m::RiskConfigurationType {
        user_pool_id: Some(pool.id.clone()),
        client_id: Some(client.clone()),
        compromised_credentials_risk_configuration: input
            .compromised_credentials_risk_configuration,
        account_takeover_risk_configuration: input.account_takeover_risk_configuration,
        risk_exception_configuration: input.risk_exception_configuration,
        last_modified_date: Some(date(now)),
    };
    pool.resources.insert(
        key(RISK_CONFIGURATION, &client),
        Resource::RiskConfiguration(Box::new(config.clone())),
    );
    Ok(m::SetRiskConfigurationOutput::builder()
        .risk_configuration(config)
        .build()?)
}

pub(super) fn describe_risk_configuration(
    ctx: &Ctx<'_>,
    input: m::DescribeRiskConfigurationInput,
) -> ApiResult<m::DescribeRiskConfigurationOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    require_protection(pool)?;
    let client = input.client_id.unwrap_or_else(|| ALL_CLIENTS.to_owned());
    if client != ALL_CLIENTS {
        pool.client(&client)?;
    }
    let found = [client.as_str(), ALL_CLIENTS].iter().find_map(|c| {
        match pool.resources.get(&key(RISK_CONFIGURATION, c)) {
            Some(Resource::RiskConfiguration(r)) => Some((**r).clone()),
            _ => None,
        }
    });
    let config = found.unwrap_or(m::RiskConfigurationType {
        user_pool_id: Some(pool.id.clone()),
        client_id: Some(client),
        compromised_credentials_risk_configuration: None,
        account_takeover_risk_configuration: None,
        risk_exception_configuration: None,
        last_modified_date: None,
    });
    Ok(m::DescribeRiskConfigurationOutput::builder()
        .risk_configuration(config)
        .build()?)
}

pub(super) fn set_log_delivery_configuration(
    ctx: &Ctx<'_>,
    input: m::SetLogDeliveryConfigurationInput,
) -> ApiResult<m::SetLogDeliveryConfigurationOutput> {
    let mut seen = Vec::new();
    for (i, c) in input.log_configurations.iter().enumerate() {
        let at = |m: &str| format!("logConfigurations.{}.member.{m}", i + 1);
        known(&at("logLevel"), &c.log_level)?;
        known(&at("eventSource"), &c.event_source)?;
        let destinations = [
            c.cloud_watch_logs_configuration.is_some(),
            c.s3_configuration.is_some(),
            c.firehose_configuration.is_some(),
        ]
        .iter()
        .filter(|d| **d)
        .count();
        if destinations != 1 {
            return Err(ApiError::invalid_parameter(
                "Each log configuration needs exactly one destination (CloudWatch Logs, S3 or Firehose).",
            ));
        }
        if seen.contains(&c.event_source) {
            return Err(ApiError::invalid_parameter(format!(
                "Duplicate log configuration for {}.",
                c.event_source.as_str()
            )));
        }
        seen.push(c.event_source.clone());
    }
    let mut store = ctx.store();
    let pool = store.pool_mut(&input.user_pool_id)?;
    let plus = pool.config.user_pool_tier == Some(m::UserPoolTierType::Plus);
    if seen.contains(&m::EventSourceName::UserAuthEvents) && !plus {
        return Err(ApiError::new(
            "FeatureUnavailableInTierException",
            "Exporting user auth events needs the PLUS feature plan.",
        ));
    }
    let config = m::LogDeliveryConfigurationType {
        user_pool_id: pool.id.clone(),
        log_configurations: input.log_configurations,
    };
    pool.resources.insert(
        key(LOG_DELIVERY, "config"),
        Resource::LogDelivery(config.clone()),
    );
    Ok(m::SetLogDeliveryConfigurationOutput::builder()
        .log_delivery_configuration(config)
        .build()?)
}

pub(super) fn get_log_delivery_configuration(
    ctx: &Ctx<'_>,
    input: m::GetLogDeliveryConfigurationInput,
) -> ApiResult<m::GetLogDeliveryConfigurationOutput> {
    let store = ctx.store();
    let pool = store.pool(&input.user_pool_id)?;
    let config = match pool.resources.get(&key(LOG_DELIVERY, "config")) {
        Some(Resource::LogDelivery(c)) => c.clone(),
        _ => m::LogDeliveryConfigurationType {
            user_pool_id: pool.id.clone(),
            log_configurations: Vec::new(),
        },
    };
    Ok(m::GetLogDeliveryConfigurationOutput::builder()
        .log_delivery_configuration(config)
        .build()?)
}
