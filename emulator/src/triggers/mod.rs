//! Cognito's Lambda triggers, run as HTTP endpoints: a pool's `LambdaConfig` names an ARN per
//! trigger, `--trigger ARN=URL` (or the seed file) says where that ARN is served, and the
//! emulator POSTs Cognito's event JSON there (`version`, `triggerSource`, `region`,
//! `userPoolId`, `userName`, `callerContext`, `request`, `response`) and reads the event back
//! with `response` filled in, as a Lambda function returns it. Rust tests can register an
//! in-process function for an ARN instead of a URL.
//!
//! A trigger that answers with an error (a non-2xx status; a Lambda-style `errorMessage` in
//! the body is quoted) fails the call with UserLambdaValidationException, one that cannot be
//! reached or does not answer in time with UnexpectedLambdaException, one whose answer is not
//! an event with InvalidLambdaResponseException, as Cognito reports them. Triggers are always
//! called without the store lock (a trigger may call the emulator back).

mod http;
pub mod pre_token;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::store::{region_of, Pool};

/// How long a trigger may take, as Cognito waits for a Lambda function.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The triggers a pool can name in its LambdaConfig.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    PreTokenGeneration,
    CustomMessage,
    UserMigration,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
}

impl Kind {
    /// The LambdaConfig member, which is also the name Cognito's errors use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::PreSignUp => "PreSignUp",
            Kind::PostConfirmation => "PostConfirmation",
            Kind::PreAuthentication => "PreAuthentication",
            Kind::PostAuthentication => "PostAuthentication",
            Kind::PreTokenGeneration => "PreTokenGeneration",
            Kind::CustomMessage => "CustomMessage",
            Kind::UserMigration => "UserMigration",
            Kind::DefineAuthChallenge => "DefineAuthChallenge",
            Kind::CreateAuthChallenge => "CreateAuthChallenge",
            Kind::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
        }
    }
}

/// A function standing in for a Lambda in Rust tests: the event in, the event (with its
/// `response`) or an error message out.
pub type InProcess = Arc<dyn Fn(Value) -> Result<Value, String> + Send + Sync>;

#[derive(Clone)]
enum Target {
    Url(String),
    InProcess(InProcess),
}

/// ARN -> where that function runs.
#[derive(Default)]
pub struct Registry {
    targets: RwLock<HashMap<String, Target>>,
}

impl Registry {
    pub fn set_url(&self, arn: &str, url: &str) {
        self.write()
            .insert(arn.to_owned(), Target::Url(url.to_owned()));
    }

    pub fn set_in_process(&self, arn: &str, f: InProcess) {
        self.write().insert(arn.to_owned(), Target::InProcess(f));
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Target>> {
        self.targets.write().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, arn: &str) -> Option<Target> {
        self.targets
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(arn)
            .cloned()
    }
}

/// A trigger configured on a pool, ready to call without the store lock.
#[derive(Clone, Debug)]
pub struct Configured {
    pub kind: Kind,
    pub arn: String,
    /// PreTokenGeneration's event version: "1" (V1_0) or "2" (V2_0 and V3_0).
    pub version: &'static str,
}

/// The trigger `kind` of `pool`, if its LambdaConfig names one.
pub fn configured(pool: &Pool, kind: Kind) -> Option<Configured> {
    let config = pool.config.lambda_config.as_ref()?;
    if kind == Kind::PreTokenGeneration {
        if let Some(c) = &config.pre_token_generation_config {
            let version = match c.lambda_version.as_str() {
                "V2_0" | "V3_0" => "2",
                _ => "1",
            };
            return Some(Configured {
                kind,
                arn: c.lambda_arn.clone(),
                version,
            });
        }
    }
    let arn = match kind {
        Kind::PreSignUp => &config.pre_sign_up,
        Kind::PostConfirmation => &config.post_confirmation,
        Kind::PreAuthentication => &config.pre_authentication,
        Kind::PostAuthentication => &config.post_authentication,
        Kind::PreTokenGeneration => &config.pre_token_generation,
        Kind::CustomMessage => &config.custom_message,
        Kind::UserMigration => &config.user_migration,
        Kind::DefineAuthChallenge => &config.define_auth_challenge,
        Kind::CreateAuthChallenge => &config.create_auth_challenge,
        Kind::VerifyAuthChallengeResponse => &config.verify_auth_challenge_response,
    };
    Some(Configured {
        kind,
        arn: arn.clone()?,
        version: "1",
    })
}

/// What every event carries besides `request`.
pub struct Context<'a> {
    pub pool_id: &'a str,
    pub client_id: Option<&'a str>,
    pub username: &'a str,
    pub trigger_source: &'a str,
}

/// A user's attributes as events show them (`sub` first, strings throughout).
pub fn attributes(sub: &str, attrs: &BTreeMap<String, String>) -> Value {
    let mut m = Map::new();
    m.insert("sub".into(), json!(sub));
    for (k, v) in attrs {
        m.insert(k.clone(), json!(v));
    }
    Value::Object(m)
}

/// The event for a trigger: `request` as given, `response` with the trigger's fields empty.
pub fn event(trigger: &Configured, ctx: &Context<'_>, request: Value, response: Value) -> Value {
    json!({
        "version": trigger.version,
        "triggerSource": ctx.trigger_source,
        "region": region_of(ctx.pool_id),
        "userPoolId": ctx.pool_id,
        "userName": ctx.username,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": ctx.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
        },
        "request": request,
        "response": response,
    })
}

/// Calls the trigger with `event` and returns the `response` object it sent back.
pub fn invoke(
    registry: &Registry,
    trigger: &Configured,
    event: Value,
) -> ApiResult<Map<String, Value>> {
    let name = trigger.kind.name();
    let unexpected = |why: String| {
        ApiError::new(
            "UnexpectedLambdaException",
            format!("{name} invocation failed due to error {why}."),
        )
    };
    let returned: Value = match registry.get(&trigger.arn) {
        None => {
            return Err(unexpected(format!(
                "AccessDeniedException: no endpoint for {} (give one with --trigger ARN=URL)",
                trigger.arn
            )))
        }
        Some(Target::InProcess(f)) => f(event).map_err(|message| failed(name, &message))?,
        Some(Target::Url(url)) => {
            let body = event.to_string();
            let answer = http::post_json(&url, body.as_bytes(), TIMEOUT).map_err(|f| match f {
                http::Failure::TimedOut => ApiError::new(
                    "UnexpectedLambdaException",
                    format!("{name} invocation failed due to error Socket timeout while invoking Lambda function."),
                ),
                http::Failure::BadUrl => unexpected(format!("a trigger URL that is not http://HOST:PORT/PATH: {url}")),
                http::Failure::Unreachable(e) => unexpected(format!("the trigger at {url} cannot be reached: {e}")),
                http::Failure::Garbled => unexpected(format!("the trigger at {url} sent no HTTP response")),
            })?;
            if !(200..300).contains(&answer.status) {
                let message = serde_json::from_slice::<Value>(&answer.body)
                    .ok()
                    .and_then(|v| {
                        v.get("errorMessage")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| format!("HTTP {}", answer.status));
                return Err(failed(name, &message));
            }
            serde_json::from_slice(&answer.body).map_err(|_| invalid(name))?
        }
    };
    match returned.get("response") {
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(Value::Null) | None => Ok(Map::new()),
        Some(_) => Err(invalid(name)),
    }
}

fn failed(name: &str, message: &str) -> ApiError {
    ApiError::new(
        "UserLambdaValidationException",
        format!("{name} failed with error {message}."),
    )
}

fn invalid(name: &str) -> ApiError {
    ApiError::new(
        "InvalidLambdaResponseException",
        format!("Unrecognizable lambda output from the {name} trigger"),
    )
}

/// A string member of a trigger's response.
pub fn str_member<'m>(response: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    response.get(name).and_then(Value::as_str)
}

/// A boolean member of a trigger's response (absent or null is false).
pub fn bool_member(response: &Map<String, Value>, name: &str) -> bool {
    response.get(name).and_then(Value::as_bool).unwrap_or(false)
}
