//! The entry point: start a sign-in in any flow, refresh tokens, confirm a device.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use srp_core::{DeviceRegistration, SrpClient};

use super::config::AuthConfig;
use super::context::Context;
use super::device::{ConfirmedDevice, DeviceOptions, RememberedDevice};
use super::error::AuthError;
use super::events::AuthEvent;
use super::flow::{Flow, PendingSrp, Reply};
use super::secret::Secret;
use super::steps::{PreferredChallenge, SignInStep};
use super::tokens::Tokens;
use crate::operation::initiate_auth::InitiateAuthInput;
use crate::types::{AuthFlowType, DeviceRememberedStatusType, DeviceSecretVerifierConfigType};
use crate::Client;

/// Signs users in to one app client of one user pool, over the generated [`Client`].
///
/// Cheap to clone (shared state); every step it returns holds a clone. SECRET_HASH, the
/// internal username, SRP and device SRP are handled inside; callers see only the steps a
/// person has to answer.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use cognito_idp::auth::{AuthConfig, Authenticator, SignInStep};
/// let client = cognito_idp::Client::from_env()?;
/// let auth = Authenticator::new(client, AuthConfig::new("us-east-1_AbC123", "1example23456789"))?;
/// let tokens = match auth.sign_in_srp("alice", "correct horse").await? {
///     SignInStep::Done(tokens) => tokens,
///     SignInStep::SoftwareTokenMfa(mfa) => match mfa.answer("123456").await? {
///         SignInStep::Done(tokens) => tokens,
///         other => return Err(format!("unexpected step {}", other.name()).into()),
///     },
///     other => return Err(format!("unhandled step {}", other.name()).into()),
/// };
/// println!("signed in, expires at {:?}", tokens.expires_at());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Context>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("config", self.inner.config())
            .field("device", &self.remembered_device())
            .finish()
    }
}

/// How a sign-in begins: everything needed to send (or resend) InitiateAuth.
pub(crate) struct Start {
    pub(crate) flow: AuthFlowType,
    pub(crate) username: String,
    pub(crate) parameters: HashMap<String, String>,
    /// The password for SRP (SRP_A is sent and PASSWORD_VERIFIER answered inside).
    pub(crate) srp_password: Option<Secret>,
}

impl Authenticator {
    /// An authenticator for `config`. Fails if the user pool id is not `<region>_<name>`.
    pub fn new(client: Client, mut config: AuthConfig) -> Result<Self, AuthError> {
        let pool_name = srp_core::pool_name(&config.user_pool_id)
            .map_err(|_| {
                AuthError::input(format!(
                    "user pool id {:?} must look like <region>_<name>, e.g. us-east-1_AbC123",
                    config.user_pool_id
                ))
            })?
            .to_owned();
        if config.client_id.is_empty() {
            return Err(AuthError::input("the app client id is empty"));
        }
        let device = config.device.take();
        Ok(Authenticator {
            inner: Arc::new(Context::new(client, config, pool_name, device)),
        })
    }

    /// The generated client underneath (for GetUser, ChangePassword, …).
    pub fn client(&self) -> &Client {
        self.inner.client()
    }

    /// The configuration (without the device; see [`remembered_device`](Self::remembered_device)).
    pub fn config(&self) -> &AuthConfig {
        self.inner.config()
    }

    /// The device in use: the configured one, one confirmed since, or `None` after Cognito
    /// reported it forgotten. Persist it when it changes.
    pub fn remembered_device(&self) -> Option<RememberedDevice> {
        self.inner.remembered_device()
    }

    /// Replaces the device in use.
    pub fn set_remembered_device(&self, device: Option<RememberedDevice>) {
        self.inner.set_remembered_device(device);
    }

    /// USER_SRP_AUTH: the password never leaves this process; PASSWORD_VERIFIER (and device
    /// SRP, with a remembered device) are answered inside.
    pub async fn sign_in_srp(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInStep, AuthError> {
        self.sign_in(Start {
            flow: AuthFlowType::UserSrpAuth,
            username: username.to_owned(),
            parameters: HashMap::new(),
            srp_password: Some(Secret::new(password)),
        })
        .await
    }

    /// USER_PASSWORD_AUTH: the password is sent (over TLS) to Cognito. The app client must
    /// allow `ALLOW_USER_PASSWORD_AUTH`.
    pub async fn sign_in_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<SignInStep, AuthError> {
        self.sign_in(Start {
            flow: AuthFlowType::UserPasswordAuth,
            username: username.to_owned(),
            parameters: [("PASSWORD".to_owned(), password.to_owned())]
                .into_iter()
                .collect(),
            srp_password: None,
        })
        .await
    }

    /// CUSTOM_AUTH (your Lambda triggers decide the challenges). With `srp_password`, the
    /// password is verified by SRP first (`CHALLENGE_NAME=SRP_A`), as Amplify's
    /// `CUSTOM_WITH_SRP` does.
    pub async fn sign_in_custom(
        &self,
        username: &str,
        srp_password: Option<&str>,
    ) -> Result<SignInStep, AuthError> {
        let mut parameters = HashMap::new();
        if srp_password.is_some() {
            parameters.insert("CHALLENGE_NAME".to_owned(), "SRP_A".to_owned());
        }
        self.sign_in(Start {
            flow: AuthFlowType::CustomAuth,
            username: username.to_owned(),
            parameters,
            srp_password: srp_password.map(Secret::new),
        })
        .await
    }

    /// USER_AUTH (choice-based sign-in). With a preferred challenge Cognito starts with it
    /// when it can; otherwise it answers SELECT_CHALLENGE with the available ones.
    pub async fn sign_in_user_auth(
        &self,
        username: &str,
        preferred: Option<PreferredChallenge>,
    ) -> Result<SignInStep, AuthError> {
        let mut parameters = HashMap::new();
        let mut srp_password = None;
        if let Some(preferred) = preferred {
            parameters.insert(
                "PREFERRED_CHALLENGE".to_owned(),
                preferred.as_str().to_owned(),
            );
            match preferred {
                PreferredChallenge::Password(pw) => {
                    parameters.insert("PASSWORD".to_owned(), pw.expose().to_owned());
                }
                PreferredChallenge::PasswordSrp(pw) => srp_password = Some(pw),
                _ => {}
            }
        }
        self.sign_in(Start {
            flow: AuthFlowType::UserAuth,
            username: username.to_owned(),
            parameters,
            srp_password,
        })
        .await
    }

    /// Starts a sign-in; a remembered device that Cognito no longer knows is dropped and the
    /// sign-in retried once without it, as the official clients do.
    pub(crate) async fn sign_in(&self, start: Start) -> Result<SignInStep, AuthError> {
        let device = self.remembered_device();
        match self.attempt(&start, device.clone()).await {
            Err(AuthError::DeviceNotFound(_)) if device.is_some() => {
                if let Some(d) = &device {
                    self.inner.forget_device(&d.device_key);
                    self.inner.emit(AuthEvent::DeviceForgotten {
                        device_key: d.device_key.clone(),
                    });
                }
                self.attempt(&start, None).await
            }
            other => other,
        }
    }

    async fn attempt(
        &self,
        start: &Start,
        device: Option<RememberedDevice>,
    ) -> Result<SignInStep, AuthError> {
        let mut parameters = start.parameters.clone();
        parameters.insert("USERNAME".to_owned(), start.username.clone());
        let srp = match &start.srp_password {
            Some(password) => {
                let client = SrpClient::new()?;
                parameters.insert("SRP_A".to_owned(), client.srp_a().to_owned());
                Some(Arc::new(PendingSrp {
                    client,
                    password: password.clone(),
                }))
            }
            None => None,
        };
        if let Some(hash) = self.inner.secret_hash(&start.username) {
            parameters.insert("SECRET_HASH".to_owned(), hash);
        }
        if let Some(d) = &device {
            parameters.insert("DEVICE_KEY".to_owned(), d.device_key.clone());
        }
        let flow = Flow::new(
            self.inner.clone(),
            start.flow.clone(),
            &start.username,
            srp,
            device,
        );
        let reply = self
            .initiate(&start.flow, Some(&start.username), parameters)
            .await?;
        flow.advance(reply).await.map(SignInStep::from)
    }

    /// Sends InitiateAuth and classifies errors.
    async fn initiate(
        &self,
        flow: &AuthFlowType,
        username: Option<&str>,
        parameters: HashMap<String, String>,
    ) -> Result<Reply, AuthError> {
        let mut names: Vec<String> = parameters.keys().cloned().collect();
        names.sort();
        self.inner.emit(AuthEvent::Initiate {
            flow: flow.as_str().to_owned(),
            username: username.map(str::to_owned),
            parameters: names,
            srp_a: parameters.get("SRP_A").cloned(),
            device_key: parameters.get("DEVICE_KEY").cloned(),
        });
        let mut input = InitiateAuthInput::builder()
            .auth_flow(flow.clone())
            .client_id(self.inner.config().client_id.clone())
            .set_auth_parameters(Some(parameters));
        if !self.inner.config().client_metadata.is_empty() {
            input = input.set_client_metadata(Some(self.inner.config().client_metadata.clone()));
        }
        let input = input.build().map_err(|e| AuthError::input(e.to_string()))?;
        Reply::initiate(self.inner.client(), input)
            .await
            .map_err(|e| AuthError::from_operation("InitiateAuth", Some(flow.as_str()), e))
    }

    /// REFRESH_TOKEN_AUTH. `username` is the user's internal username (the `username` claim of
    /// the access token): only needed when the client has a secret, for SECRET_HASH. DEVICE_KEY
    /// is sent when a device is remembered. The returned tokens keep `refresh_token` when
    /// Cognito sends no new one.
    pub async fn refresh(
        &self,
        refresh_token: &Secret,
        username: Option<&str>,
    ) -> Result<Tokens, AuthError> {
        let device = self.remembered_device();
        match self
            .refresh_once(refresh_token, username, device.as_ref())
            .await
        {
            Err(AuthError::DeviceNotFound(_)) if device.is_some() => {
                if let Some(d) = &device {
                    self.inner.forget_device(&d.device_key);
                    self.inner.emit(AuthEvent::DeviceForgotten {
                        device_key: d.device_key.clone(),
                    });
                }
                self.refresh_once(refresh_token, username, None).await
            }
            other => other,
        }
    }

    /// Refreshes `tokens` with their own refresh token and username (see [`refresh`](Self::refresh)).
    pub async fn refresh_tokens(&self, tokens: &Tokens) -> Result<Tokens, AuthError> {
        let refresh_token = tokens
            .refresh_token()
            .ok_or_else(|| AuthError::input("these tokens have no refresh token"))?;
        let username = tokens.username();
        self.refresh(refresh_token, username.as_deref()).await
    }

    async fn refresh_once(
        &self,
        refresh_token: &Secret,
        username: Option<&str>,
        device: Option<&RememberedDevice>,
    ) -> Result<Tokens, AuthError> {
        if refresh_token.is_empty() {
            return Err(AuthError::input("the refresh token is empty"));
        }
        let mut parameters: HashMap<String, String> = [(
            "REFRESH_TOKEN".to_owned(),
            refresh_token.expose().to_owned(),
        )]
        .into_iter()
        .collect();
        if self.inner.config().client_secret.is_some() {
            let username = username.filter(|u| !u.is_empty()).ok_or_else(|| {
                AuthError::input(
                    "this app client has a secret: refreshing needs the user's internal username \
                     (the access token's `username` claim) for SECRET_HASH",
                )
            })?;
            if let Some(hash) = self.inner.secret_hash(username) {
                parameters.insert("SECRET_HASH".to_owned(), hash);
            }
        }
        if let Some(d) = device {
            parameters.insert("DEVICE_KEY".to_owned(), d.device_key.clone());
        }
        let reply = self
            .initiate(&AuthFlowType::RefreshTokenAuth, None, parameters)
            .await?;
        let op = reply.operation;
        match reply.result {
            Some(result) => {
                let new_refresh_token =
                    result.refresh_token.as_ref().is_some_and(|t| !t.is_empty());
                let tokens = Tokens::from_result(result, Some(refresh_token)).ok_or_else(|| {
                    AuthError::unexpected(op, "AuthenticationResult without an AccessToken")
                })?;
                self.inner.emit(AuthEvent::Authenticated {
                    expires_in: tokens.expires_in(),
                    refresh_token: new_refresh_token,
                    new_device: tokens.new_device().is_some(),
                });
                Ok(tokens)
            }
            None => Err(AuthError::unexpected(
                op,
                match reply.challenge {
                    Some(c) => format!("a refresh answered with the challenge {c}"),
                    None => "a refresh answered with neither tokens nor a challenge".to_owned(),
                },
            )),
        }
    }

    /// GetTokensFromRefreshToken: the refresh an app client with refresh-token rotation needs
    /// (it also works without rotation). The client secret itself is sent, not SECRET_HASH;
    /// DEVICE_KEY when a device is remembered. With rotation the returned tokens carry the new
    /// refresh token, which replaces `refresh_token`: store it before using the tokens.
    pub async fn refresh_rotating(&self, refresh_token: &Secret) -> Result<Tokens, AuthError> {
        if refresh_token.is_empty() {
            return Err(AuthError::input("the refresh token is empty"));
        }
        let device = self.remembered_device();
        let mut request = self
            .inner
            .client()
            .get_tokens_from_refresh_token()
            .refresh_token(refresh_token.expose())
            .client_id(self.inner.config().client_id.clone());
        if let Some(secret) = &self.inner.config().client_secret {
            request = request.client_secret(secret.expose());
        }
        if let Some(d) = &device {
            request = request.device_key(d.device_key.clone());
        }
        if !self.inner.config().client_metadata.is_empty() {
            request =
                request.set_client_metadata(Some(self.inner.config().client_metadata.clone()));
        }
        self.inner.emit(AuthEvent::Initiate {
            flow: "GetTokensFromRefreshToken".to_owned(),
            username: None,
            parameters: Vec::new(),
            srp_a: None,
            device_key: device.as_ref().map(|d| d.device_key.clone()),
        });
        let out = request
            .send()
            .await
            .map_err(|e| AuthError::from_operation("GetTokensFromRefreshToken", None, e))?;
        let result = out.authentication_result.ok_or_else(|| {
            AuthError::unexpected("GetTokensFromRefreshToken", "no AuthenticationResult")
        })?;
        let rotated = result.refresh_token.as_ref().is_some_and(|t| !t.is_empty());
        let tokens = Tokens::from_result(result, Some(refresh_token)).ok_or_else(|| {
            AuthError::unexpected(
                "GetTokensFromRefreshToken",
                "AuthenticationResult without an AccessToken",
            )
        })?;
        self.inner.emit(AuthEvent::Authenticated {
            expires_in: tokens.expires_in(),
            refresh_token: rotated,
            new_device: tokens.new_device().is_some(),
        });
        Ok(tokens)
    }

    /// Confirms the device Cognito created at this sign-in (ConfirmDevice with a fresh device
    /// password and SRP verifier), optionally marks it remembered (UpdateDeviceStatus), and
    /// makes it this authenticator's device. Persist the returned device for later sign-ins.
    pub async fn confirm_device(
        &self,
        tokens: &Tokens,
        options: DeviceOptions,
    ) -> Result<ConfirmedDevice, AuthError> {
        let new = tokens.new_device().ok_or_else(|| {
            AuthError::input(
                "Cognito created no device at this sign-in (device tracking is off for the pool, \
                 or the sign-in used a remembered device)",
            )
        })?;
        let registration = DeviceRegistration::generate(&new.device_group_key, &new.device_key)?;
        let verifier = DeviceSecretVerifierConfigType::builder()
            .password_verifier(registration.password_verifier())
            .salt(registration.salt())
            .build()
            .map_err(|e| AuthError::input(e.to_string()))?;
        let mut request = self
            .inner
            .client()
            .confirm_device()
            .access_token(tokens.access_token().expose())
            .device_key(new.device_key.clone())
            .device_secret_verifier_config(verifier);
        if let Some(name) = &options.name {
            request = request.device_name(name.clone());
        }
        let out = request
            .send()
            .await
            .map_err(|e| AuthError::from_operation("ConfirmDevice", None, e))?;
        if options.remember {
            self.inner
                .client()
                .update_device_status()
                .access_token(tokens.access_token().expose())
                .device_key(new.device_key.clone())
                .device_remembered_status(DeviceRememberedStatusType::Remembered)
                .send()
                .await
                .map_err(|e| AuthError::from_operation("UpdateDeviceStatus", None, e))?;
        }
        let device = RememberedDevice {
            device_key: new.device_key.clone(),
            device_group_key: new.device_group_key.clone(),
            device_password: Secret::new(registration.device_password()),
        };
        self.set_remembered_device(Some(device.clone()));
        self.inner.emit(AuthEvent::DeviceConfirmed {
            device_key: device.device_key.clone(),
            remembered: options.remember,
        });
        Ok(ConfirmedDevice {
            device,
            user_confirmation_necessary: out.user_confirmation_necessary.unwrap_or(false),
            remembered: options.remember,
        })
    }
}
