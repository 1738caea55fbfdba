//! The state of one sign-in between requests, and the loop that answers the challenges a person
//! never sees (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use srp_core::{PasswordVerifierChallenge, SrpClient, Timestamp};

use super::context::Context;
use super::device::RememberedDevice;
use super::error::AuthError;
use super::events::AuthEvent;
use super::secret::Secret;
use super::tokens::Tokens;

use crate::operation::initiate_auth::{InitiateAuthError, InitiateAuthInput};
use crate::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeInput,
};
use crate::types::{AuthFlowType, AuthenticationResultType, ChallengeNameType};
use crate::Client;

/// An SRP exchange waiting for PASSWORD_VERIFIER.
pub(crate) struct PendingSrp {
    pub(crate) client: SrpClient,
    pub(crate) password: Secret,
}

/// InitiateAuth's and RespondToAuthChallenge's answers, seen alike.
pub(crate) struct Reply {
    pub(crate) operation: &'static str,
    pub(crate) challenge: Option<ChallengeNameType>,
    pub(crate) session: Option<String>,
    pub(crate) parameters: HashMap<String, String>,
    pub(crate) result: Option<AuthenticationResultType>,
    pub(crate) available: Option<Vec<ChallengeNameType>>,
}

impl Reply {
    /// Sends InitiateAuth (the generated call: validated, unsigned as the model says; a
    /// ChallengeParameters value that is not a string, as moto sends `MFAS_CAN_SETUP`, is kept
    /// as its JSON text by the generated output's lenient string maps).
    pub(crate) async fn initiate(
        client: &Client,
        input: InitiateAuthInput,
    ) -> Result<Reply, InitiateAuthError> {
        let out = input.send_with(client).await?;
        Ok(Reply {
            operation: "InitiateAuth",
            challenge: out.challenge_name,
            session: out.session,
            parameters: out.challenge_parameters.unwrap_or_default(),
            result: out.authentication_result,
            available: out.available_challenges,
        })
    }

    /// Sends RespondToAuthChallenge (the generated call).
    pub(crate) async fn respond(
        client: &Client,
        input: RespondToAuthChallengeInput,
    ) -> Result<Reply, RespondToAuthChallengeError> {
        let out = input.send_with(client).await?;
        Ok(Reply {
            operation: "RespondToAuthChallenge",
            challenge: out.challenge_name,
            session: out.session,
            parameters: out.challenge_parameters.unwrap_or_default(),
            result: out.authentication_result,
            available: None,
        })
    }
}

/// Where [`Flow::advance`] stopped: tokens, or a challenge a person must answer (the steps
/// module turns it into a `SignInStep`).
pub(crate) enum Next {
    Done(Tokens),
    Challenge(Flow, ChallengeNameType, HashMap<String, String>),
}

/// One sign-in in progress. Cloned into every step a caller receives, so a step can be answered
/// again (a mistyped code) with the same session.
#[derive(Clone)]
pub(crate) struct Flow {
    pub(crate) auth: Arc<Context>,
    pub(crate) flow: AuthFlowType,
    /// USERNAME for the next request: what the user typed until Cognito names the user.
    pub(crate) username: String,
    /// True once the username came from Cognito (USERNAME / USER_ID_FOR_SRP).
    internal_username: bool,
    pub(crate) session: Option<Secret>,
    pub(crate) srp: Option<Arc<PendingSrp>>,
    pub(crate) device: Option<RememberedDevice>,
    device_srp: Option<Arc<SrpClient>>,
    pub(crate) available: Vec<String>,
}

impl fmt::Debug for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field("flow", &self.flow)
            .field("username", &self.username)
            .field("session", &self.session)
            .field("device_key", &self.device.as_ref().map(|d| &d.device_key))
            .finish()
    }
}

impl Flow {
    pub(crate) fn new(
        auth: Arc<Context>,
        flow: AuthFlowType,
        username: &str,
        srp: Option<Arc<PendingSrp>>,
        device: Option<RememberedDevice>,
    ) -> Self {
        Flow {
            auth,
            flow,
            username: username.to_owned(),
            internal_username: false,
            session: None,
            srp,
            device,
            device_srp: None,
            available: Vec::new(),
        }
    }

    /// Follows Cognito's answers until tokens or a challenge a person must answer.
    pub(crate) async fn advance(mut self, mut reply: Reply) -> Result<Next, AuthError> {
        loop {
            if let Some(result) = reply.result.take() {
                let tokens = Tokens::from_result(result, None).ok_or_else(|| {
                    AuthError::unexpected(
                        reply.operation,
                        "AuthenticationResult without an AccessToken",
                    )
                })?;
                self.auth.emit(AuthEvent::Authenticated {
                    expires_in: tokens.expires_in(),
                    refresh_token: tokens.refresh_token().is_some(),
                    new_device: tokens.new_device().is_some(),
                });
                return Ok(Next::Done(tokens));
            }
            let Some(name) = reply.challenge.take() else {
                return Err(AuthError::unexpected(
                    reply.operation,
                    format!(
                        "neither tokens nor a challenge (does the server implement {}?)",
                        self.flow
                    ),
                ));
            };
            if let Some(session) = reply.session.take() {
                self.session = Some(Secret::new(session));
            }
            if let Some(available) = reply.available.take() {
                self.available = available.iter().map(|c| c.as_str().to_owned()).collect();
            }
            let parameters = std::mem::take(&mut reply.parameters);
            self.auth.emit(AuthEvent::Challenge {
                name: name.as_str().to_owned(),
                parameters: shown_parameters(&parameters),
            });
            self.learn_username(&parameters);
            reply = match name {
                ChallengeNameType::PasswordVerifier => self.password_verifier(&parameters).await?,
                ChallengeNameType::DeviceSrpAuth => self.device_srp_auth().await?,
                ChallengeNameType::DevicePasswordVerifier => {
                    self.device_password_verifier(&parameters).await?
                }
                other => return Ok(Next::Challenge(self, other, parameters)),
            };
        }
    }

    /// The internal username: the challenge's USERNAME if present, else USER_ID_FOR_SRP until a
    /// name is known (moto's USER_ID_FOR_SRP is the sub and it accepts only USERNAME; on AWS
    /// the two are equal).
    fn learn_username(&mut self, parameters: &HashMap<String, String>) {
        if let Some(name) = parameters.get("USERNAME").filter(|n| !n.is_empty()) {
            self.username = name.clone();
            self.internal_username = true;
        } else if !self.internal_username {
            if let Some(id) = parameters.get("USER_ID_FOR_SRP").filter(|n| !n.is_empty()) {
                self.username = id.clone();
                self.internal_username = true;
            }
        }
    }

    /// Sends a challenge answer with USERNAME, SECRET_HASH (over that USERNAME) and DEVICE_KEY
    /// added, in the current session.
    pub(crate) async fn respond(
        &self,
        challenge: ChallengeNameType,
        mut responses: HashMap<String, String>,
    ) -> Result<Reply, AuthError> {
        let username = responses
            .entry("USERNAME".to_owned())
            .or_insert_with(|| self.username.clone())
            .clone();
        if let Some(hash) = self.auth.secret_hash(&username) {
            responses.insert("SECRET_HASH".to_owned(), hash);
        }
        if let Some(device) = &self.device {
            responses
                .entry("DEVICE_KEY".to_owned())
                .or_insert_with(|| device.device_key.clone());
        }
        let mut names: Vec<String> = responses.keys().cloned().collect();
        names.sort();
        self.auth.emit(AuthEvent::Respond {
            challenge: challenge.as_str().to_owned(),
            username,
            responses: names,
        });
        let config = self.auth.config();
        let mut input = RespondToAuthChallengeInput::builder()
            .client_id(config.client_id.clone())
            .challenge_name(challenge)
            .set_challenge_responses(Some(responses));
        if let Some(session) = &self.session {
            input = input.session(session.expose());
        }
        if !config.client_metadata.is_empty() {
            input = input.set_client_metadata(Some(config.client_metadata.clone()));
        }
        let input = input.build().map_err(|e| AuthError::input(e.to_string()))?;
        match Reply::respond(self.auth.client(), input).await {
            Ok(reply) => Ok(reply),
            Err(e) => {
                let err = AuthError::from_operation(
                    "RespondToAuthChallenge",
                    Some(self.flow.as_str()),
                    e,
                );
                if let (AuthError::DeviceNotFound(_), Some(device)) = (&err, &self.device) {
                    self.auth.forget_device(&device.device_key);
                }
                Err(err)
            }
        }
    }

    /// Answers a challenge and follows the answer.
    pub(crate) async fn respond_and_advance(
        self,
        challenge: ChallengeNameType,
        responses: HashMap<String, String>,
    ) -> Result<Next, AuthError> {
        let reply = self.respond(challenge, responses).await?;
        self.advance(reply).await
    }

    async fn password_verifier(
        &mut self,
        parameters: &HashMap<String, String>,
    ) -> Result<Reply, AuthError> {
        let srp = self.srp.take().ok_or_else(|| {
            AuthError::unexpected(
                "InitiateAuth",
                "PASSWORD_VERIFIER was asked, but this sign-in did not start SRP",
            )
        })?;
        let user_id = required(parameters, "USER_ID_FOR_SRP", "PASSWORD_VERIFIER")?;
        let challenge = PasswordVerifierChallenge {
            salt: required(parameters, "SALT", "PASSWORD_VERIFIER")?,
            srp_b: required(parameters, "SRP_B", "PASSWORD_VERIFIER")?,
            secret_block: required(parameters, "SECRET_BLOCK", "PASSWORD_VERIFIER")?,
        };
        let timestamp = Timestamp::now()?;
        let claim = srp.client.user_password_claim(
            self.auth.pool_name(),
            user_id,
            srp.password.expose(),
            &challenge,
            &timestamp,
        )?;
        self.auth.emit(AuthEvent::PasswordClaim {
            identity: user_id.to_owned(),
            timestamp: claim.timestamp.clone(),
        });
        let responses = claim_responses(claim);
        self.respond(ChallengeNameType::PasswordVerifier, responses)
            .await
    }

    async fn device_srp_auth(&mut self) -> Result<Reply, AuthError> {
        let device = self.device.clone().ok_or_else(|| {
            AuthError::unexpected(
                "RespondToAuthChallenge",
                "DEVICE_SRP_AUTH was asked, but no device is remembered",
            )
        })?;
        let client = SrpClient::new()?;
        let responses: HashMap<String, String> = [
            ("DEVICE_KEY".to_owned(), device.device_key.clone()),
            ("SRP_A".to_owned(), client.srp_a().to_owned()),
        ]
        .into_iter()
        .collect();
        self.device_srp = Some(Arc::new(client));
        self.respond(ChallengeNameType::DeviceSrpAuth, responses)
            .await
    }

    async fn device_password_verifier(
        &mut self,
        parameters: &HashMap<String, String>,
    ) -> Result<Reply, AuthError> {
        let (Some(device), Some(client)) = (self.device.clone(), self.device_srp.take()) else {
            return Err(AuthError::unexpected(
                "RespondToAuthChallenge",
                "DEVICE_PASSWORD_VERIFIER was asked before DEVICE_SRP_AUTH",
            ));
        };
        let challenge = PasswordVerifierChallenge {
            salt: required(parameters, "SALT", "DEVICE_PASSWORD_VERIFIER")?,
            srp_b: required(parameters, "SRP_B", "DEVICE_PASSWORD_VERIFIER")?,
            secret_block: required(parameters, "SECRET_BLOCK", "DEVICE_PASSWORD_VERIFIER")?,
        };
        let timestamp = Timestamp::now()?;
        let claim = client.device_password_claim(
            &device.device_group_key,
            &device.device_key,
            device.device_password.expose(),
            &challenge,
            &timestamp,
        )?;
        self.auth.emit(AuthEvent::PasswordClaim {
            identity: device.device_key.clone(),
            timestamp: claim.timestamp.clone(),
        });
        let mut responses = claim_responses(claim);
        responses.insert("DEVICE_KEY".to_owned(), device.device_key.clone());
        self.respond(ChallengeNameType::DevicePasswordVerifier, responses)
            .await
    }
}

fn claim_responses(claim: srp_core::PasswordClaim) -> HashMap<String, String> {
    [
        ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), claim.secret_block),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), claim.signature),
        ("TIMESTAMP".to_owned(), claim.timestamp),
    ]
    .into_iter()
    .collect()
}

fn required<'a>(
    parameters: &'a HashMap<String, String>,
    key: &'static str,
    challenge: &'static str,
) -> Result<&'a str, AuthError> {
    parameters
        .get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            AuthError::unexpected(
                "RespondToAuthChallenge",
                format!("{challenge} without {key}"),
            )
        })
}

/// Challenge parameters safe to show: SECRET_BLOCK is replaced by its length.
fn shown_parameters(parameters: &HashMap<String, String>) -> BTreeMap<String, String> {
    parameters
        .iter()
        .map(|(k, v)| {
            let shown = if k == "SECRET_BLOCK" {
                format!("<secret block, {} chars>", v.chars().count())
            } else {
                v.clone()
            };
            (k.clone(), shown)
        })
        .collect()
}
