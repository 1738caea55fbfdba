//! The three CUSTOM_AUTH triggers (DefineAuthChallenge, CreateAuthChallenge,
//! VerifyAuthChallengeResponse): the pool's Lambda functions when its LambdaConfig names them,
//! else the in-process hook a Rust test set (`Emulator::set_custom_auth`). Called without the
//! store lock.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::context::Ctx;
use super::lambda::{self, EventUser};
use crate::error::{ApiError, ApiResult};
use crate::hooks::{CreatedChallenge, CustomAuthHook, CustomAuthRequest, Define};
use crate::store::{Session, Store};
use crate::triggers::{self, Configured, Kind};

pub(super) enum Challenges {
    Hook(Arc<dyn CustomAuthHook>),
    Lambda {
        define: Configured,
        create: Option<Configured>,
        verify: Option<Configured>,
    },
}

pub(super) fn no_hook() -> ApiError {
    ApiError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
}

/// What runs the pool's custom challenges.
pub(super) fn for_pool(ctx: &Ctx<'_>, store: &Store, pool_id: &str) -> ApiResult<Challenges> {
    let pool = store.pool(pool_id)?;
    if let Some(define) = triggers::configured(pool, Kind::DefineAuthChallenge) {
        return Ok(Challenges::Lambda {
            define,
            create: triggers::configured(pool, Kind::CreateAuthChallenge),
            verify: triggers::configured(pool, Kind::VerifyAuthChallengeResponse),
        });
    }
    ctx.shared
        .custom_auth()
        .map(Challenges::Hook)
        .ok_or_else(no_hook)
}

fn history(session: &Session) -> Value {
    Value::Array(
        session
            .custom_history
            .iter()
            .map(|r| {
                json!({"challengeName": r.challenge_name, "challengeResult": r.challenge_result,
                       "challengeMetadata": r.challenge_metadata})
            })
            .collect(),
    )
}

fn hook_request<'a>(session: &'a Session, user: &'a EventUser) -> CustomAuthRequest<'a> {
    CustomAuthRequest {
        user_pool_id: &session.pool_id,
        client_id: &session.client_id,
        username: &user.username,
        user_attributes: &user.attributes,
        session: &session.custom_history,
        client_metadata: &session.client_metadata,
    }
}

fn call(
    ctx: &Ctx<'_>,
    trigger: &Configured,
    session: &Session,
    user: &EventUser,
    source: &str,
    mut request: Map<String, Value>,
    response: Value,
) -> ApiResult<Map<String, Value>> {
    request.insert("userAttributes".into(), user.attributes());
    request.insert(
        "clientMetadata".into(),
        lambda::metadata_value(Some(&session.client_metadata)),
    );
    request.insert("userNotFound".into(), json!(false));
    lambda::call(
        ctx,
        trigger,
        &session.pool_id,
        Some(&session.client_id),
        &user.username,
        source,
        Value::Object(request),
        response,
    )
}

fn missing(kind: Kind) -> ApiError {
    ApiError::invalid_parameter(format!(
        "{} lambda trigger is not configured for the user pool.",
        kind.name()
    ))
}

pub(super) fn define(
    ctx: &Ctx<'_>,
    c: &Challenges,
    session: &Session,
    user: &EventUser,
) -> ApiResult<Define> {
    match c {
        Challenges::Hook(h) => Ok(h.define(&hook_request(session, user))),
        Challenges::Lambda { define, .. } => {
            let mut request = Map::new();
            request.insert("session".into(), history(session));
            let r = call(
                ctx,
                define,
                session,
                user,
                "DefineAuthChallenge_Authentication",
                request,
                json!({"challengeName": null, "issueTokens": null, "failAuthentication": null}),
            )?;
            Ok(if triggers::bool_member(&r, "failAuthentication") {
                Define::Fail
            } else if triggers::bool_member(&r, "issueTokens") {
                Define::IssueTokens
            } else {
                match triggers::str_member(&r, "challengeName") {
                    Some(name) => Define::Challenge(name.to_owned()),
                    None => Define::Fail,
                }
            })
        }
    }
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    match v {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

pub(super) fn create(
    ctx: &Ctx<'_>,
    c: &Challenges,
    session: &Session,
    user: &EventUser,
    name: &str,
) -> ApiResult<CreatedChallenge> {
    match c {
        Challenges::Hook(h) => Ok(h.create(&hook_request(session, user), name)),
        Challenges::Lambda { create, .. } => {
            let create = create
                .as_ref()
                .ok_or_else(|| missing(Kind::CreateAuthChallenge))?;
            let mut request = Map::new();
            request.insert("challengeName".into(), json!(name));
            request.insert("session".into(), history(session));
            let r = call(
                ctx,
                create,
                session,
                user,
                "CreateAuthChallenge_Authentication",
                request,
                json!({"publicChallengeParameters": null, "privateChallengeParameters": null,
                       "challengeMetadata": null}),
            )?;
            Ok(CreatedChallenge {
                public: string_map(r.get("publicChallengeParameters")),
                private: string_map(r.get("privateChallengeParameters")),
                metadata: triggers::str_member(&r, "challengeMetadata").map(str::to_owned),
            })
        }
    }
}

pub(super) fn verify(
    ctx: &Ctx<'_>,
    c: &Challenges,
    session: &Session,
    user: &EventUser,
    private: &BTreeMap<String, String>,
    answer: &str,
) -> ApiResult<bool> {
    match c {
        Challenges::Hook(h) => Ok(h.verify(&hook_request(session, user), private, answer)),
        Challenges::Lambda { verify, .. } => {
            let verify = verify
                .as_ref()
                .ok_or_else(|| missing(Kind::VerifyAuthChallengeResponse))?;
            let mut request = Map::new();
            request.insert("privateChallengeParameters".into(), json!(private));
            request.insert("challengeAnswer".into(), json!(answer));
            let r = call(
                ctx,
                verify,
                session,
                user,
                "VerifyAuthChallengeResponse_Authentication",
                request,
                json!({"answerCorrect": null}),
            )?;
            Ok(triggers::bool_member(&r, "answerCorrect"))
        }
    }
}
