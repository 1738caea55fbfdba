//! What a sign-in asks next, as types: each challenge a person answers, with methods that send
//! the answer in the right session under the right username.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use srp_core::SrpClient;

use super::error::AuthError;
use super::flow::{Flow, Next, PendingSrp};
use super::params::{attribute_map, list_param, strip_attribute_prefix, USER_ATTRIBUTES_PREFIX};
use super::secret::Secret;
use super::tokens::Tokens;
use crate::types::{ChallengeNameType, VerifySoftwareTokenResponseType};

/// The result of a sign-in step: tokens, or the next challenge to answer.
///
/// Every challenge type answers with `async` methods that return the next `SignInStep`; they
/// take `&self`, so after a wrong code ([`AuthError::CodeMismatch`]) the same step can be
/// answered again.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignInStep {
    /// Signed in.
    Done(Tokens),
    /// NEW_PASSWORD_REQUIRED: the user must choose a new password (first sign-in after an
    /// administrator created the account).
    NewPasswordRequired(NewPasswordRequired),
    /// SMS_MFA: a code was sent by SMS.
    SmsMfa(CodeChallenge),
    /// SOFTWARE_TOKEN_MFA: a code from the user's authenticator app.
    SoftwareTokenMfa(CodeChallenge),
    /// EMAIL_OTP: a code was sent by email (MFA or USER_AUTH).
    EmailOtp(CodeChallenge),
    /// SMS_OTP: a one-time code was sent by SMS (USER_AUTH).
    SmsOtp(CodeChallenge),
    /// SELECT_MFA_TYPE: the user has several MFA methods and must pick one.
    SelectMfaType(SelectMfaType),
    /// MFA_SETUP: MFA is required and the user has none set up yet.
    MfaSetup(MfaSetup),
    /// CUSTOM_CHALLENGE: your Lambda triggers ask something.
    CustomChallenge(CustomChallenge),
    /// SELECT_CHALLENGE (USER_AUTH): pick how to sign in.
    SelectChallenge(SelectChallenge),
    /// A challenge this version does not know (for example WEB_AUTHN): its name and
    /// parameters, with a generic way to answer.
    Unknown(UnknownChallenge),
}

impl SignInStep {
    /// `DONE`, or the challenge name as Cognito sends it.
    pub fn name(&self) -> &str {
        match self {
            SignInStep::Done(_) => "DONE",
            SignInStep::NewPasswordRequired(_) => "NEW_PASSWORD_REQUIRED",
            SignInStep::SmsMfa(_) => "SMS_MFA",
            SignInStep::SoftwareTokenMfa(_) => "SOFTWARE_TOKEN_MFA",
            SignInStep::EmailOtp(_) => "EMAIL_OTP",
            SignInStep::SmsOtp(_) => "SMS_OTP",
            SignInStep::SelectMfaType(_) => "SELECT_MFA_TYPE",
            SignInStep::MfaSetup(_) => "MFA_SETUP",
            SignInStep::CustomChallenge(_) => "CUSTOM_CHALLENGE",
            SignInStep::SelectChallenge(_) => "SELECT_CHALLENGE",
            SignInStep::Unknown(u) => &u.name,
        }
    }

    /// The tokens, if signed in.
    pub fn into_tokens(self) -> Option<Tokens> {
        match self {
            SignInStep::Done(t) => Some(t),
            _ => None,
        }
    }

    /// The tokens, or an error naming the challenge that still needs an answer.
    pub fn done(self) -> Result<Tokens, AuthError> {
        match self {
            SignInStep::Done(t) => Ok(t),
            other => Err(AuthError::input(format!(
                "the sign-in is not finished: Cognito asks {}",
                other.name()
            ))),
        }
    }

    fn from_challenge(
        flow: Flow,
        name: ChallengeNameType,
        parameters: HashMap<String, String>,
    ) -> SignInStep {
        match name {
            ChallengeNameType::NewPasswordRequired => {
                let required_attributes = list_param(&parameters, "requiredAttributes")
                    .iter()
                    .map(|n| strip_attribute_prefix(n))
                    .collect();
                let current_attributes = parameters
                    .get("userAttributes")
                    .map(|t| attribute_map(t))
                    .unwrap_or_default();
                SignInStep::NewPasswordRequired(NewPasswordRequired {
                    flow,
                    required_attributes,
                    current_attributes,
                })
            }
            ChallengeNameType::SmsMfa
            | ChallengeNameType::SoftwareTokenMfa
            | ChallengeNameType::EmailOtp
            | ChallengeNameType::SmsOtp => {
                let challenge = CodeChallenge {
                    delivery_medium: parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM").cloned(),
                    destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
                    kind: name.clone(),
                    parameters,
                    flow,
                };
                match name {
                    ChallengeNameType::SmsMfa => SignInStep::SmsMfa(challenge),
                    ChallengeNameType::SoftwareTokenMfa => SignInStep::SoftwareTokenMfa(challenge),
                    ChallengeNameType::EmailOtp => SignInStep::EmailOtp(challenge),
                    _ => SignInStep::SmsOtp(challenge),
                }
            }
            ChallengeNameType::SelectMfaType => SignInStep::SelectMfaType(SelectMfaType {
                options: list_param(&parameters, "MFAS_CAN_CHOOSE")
                    .iter()
                    .map(|n| MfaType::from(n.as_str()))
                    .collect(),
                flow,
                parameters,
            }),
            ChallengeNameType::MfaSetup => SignInStep::MfaSetup(MfaSetup {
                options: list_param(&parameters, "MFAS_CAN_SETUP")
                    .iter()
                    .map(|n| MfaType::from(n.as_str()))
                    .collect(),
                flow,
                parameters,
            }),
            ChallengeNameType::CustomChallenge => {
                SignInStep::CustomChallenge(CustomChallenge { flow, parameters })
            }
            ChallengeNameType::SelectChallenge => {
                let mut available = flow.available.clone();
                if available.is_empty() {
                    available = list_param(&parameters, "AVAILABLE_CHALLENGES");
                }
                SignInStep::SelectChallenge(SelectChallenge {
                    flow,
                    available,
                    parameters,
                })
            }
            other => SignInStep::Unknown(UnknownChallenge {
                name: other.as_str().to_owned(),
                challenge: other,
                flow,
                parameters,
            }),
        }
    }
}

/// A way to receive a second factor or one-time code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MfaType {
    /// `SMS_MFA`.
    Sms,
    /// `SOFTWARE_TOKEN_MFA` (authenticator app, TOTP).
    SoftwareToken,
    /// `EMAIL_OTP`.
    Email,
    /// Another value, as sent.
    Other(String),
}

impl MfaType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            MfaType::Email => "EMAIL_OTP",
            MfaType::Other(s) => s,
        }
    }
}

impl From<&str> for MfaType {
    fn from(s: &str) -> Self {
        match s {
            "SMS_MFA" => MfaType::Sms,
            "SOFTWARE_TOKEN_MFA" => MfaType::SoftwareToken,
            "EMAIL_OTP" | "EMAIL_MFA" => MfaType::Email,
            other => MfaType::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for MfaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// USER_AUTH's first choice (`PREFERRED_CHALLENGE`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PreferredChallenge {
    /// `PASSWORD`: the password is sent with InitiateAuth.
    Password(Secret),
    /// `PASSWORD_SRP`: SRP with this password.
    PasswordSrp(Secret),
    /// `EMAIL_OTP`: a code by email.
    EmailOtp,
    /// `SMS_OTP`: a code by SMS.
    SmsOtp,
    /// `WEB_AUTHN`: a passkey (answered with [`UnknownChallenge::respond`]).
    WebAuthn,
}

impl PreferredChallenge {
    /// `PASSWORD` with this password.
    pub fn password(password: &str) -> Self {
        PreferredChallenge::Password(Secret::new(password))
    }
    /// `PASSWORD_SRP` with this password.
    pub fn password_srp(password: &str) -> Self {
        PreferredChallenge::PasswordSrp(Secret::new(password))
    }
    /// The wire value.
    pub fn as_str(&self) -> &'static str {
        match self {
            PreferredChallenge::Password(_) => "PASSWORD",
            PreferredChallenge::PasswordSrp(_) => "PASSWORD_SRP",
            PreferredChallenge::EmailOtp => "EMAIL_OTP",
            PreferredChallenge::SmsOtp => "SMS_OTP",
            PreferredChallenge::WebAuthn => "WEB_AUTHN",
        }
    }
}

fn one(key: &str, value: impl Into<String>) -> HashMap<String, String> {
    [(key.to_owned(), value.into())].into_iter().collect()
}

/// NEW_PASSWORD_REQUIRED.
#[derive(Debug)]
pub struct NewPasswordRequired {
    flow: Flow,
    /// Attributes the user must provide with the new password (without the `userAttributes.`
    /// prefix). Empty when the server does not list them.
    pub required_attributes: Vec<String>,
    /// The user's current attributes, as Cognito sent them (for display).
    pub current_attributes: BTreeMap<String, String>,
}

impl NewPasswordRequired {
    /// The username Cognito knows the user by.
    pub fn username(&self) -> &str {
        &self.flow.username
    }

    /// Sets the new password (no attributes).
    pub async fn complete(&self, new_password: &str) -> Result<SignInStep, AuthError> {
        self.complete_with_attributes(new_password, std::iter::empty::<(String, String)>())
            .await
    }

    /// Sets the new password and the given attributes (names without the prefix, e.g.
    /// `given_name`). Every name in `required_attributes` must be given (checked before
    /// sending). Only the attributes given are sent, never the current (possibly read-only)
    /// ones.
    pub async fn complete_with_attributes<K, V>(
        &self,
        new_password: &str,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Result<SignInStep, AuthError>
    where
        K: Into<String>,
        V: Into<String>,
    {
        if new_password.is_empty() {
            return Err(AuthError::input("the new password is empty"));
        }
        let mut responses = one("NEW_PASSWORD", new_password);
        let mut given = Vec::new();
        for (k, v) in attributes {
            let name = strip_attribute_prefix(&k.into());
            responses.insert(format!("{USER_ATTRIBUTES_PREFIX}{name}"), v.into());
            given.push(name);
        }
        let missing: Vec<&str> = self
            .required_attributes
            .iter()
            .filter(|r| !given.contains(r))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(AuthError::input(format!(
                "NEW_PASSWORD_REQUIRED needs these attributes too: {}",
                missing.join(", ")
            )));
        }
        self.flow
            .clone()
            .answer(ChallengeNameType::NewPasswordRequired, responses)
            .await
    }
}

/// SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP or SMS_OTP: answer with the code.
#[derive(Debug)]
pub struct CodeChallenge {
    flow: Flow,
    kind: ChallengeNameType,
    /// `SMS` or `EMAIL`, when Cognito says where the code went.
    pub delivery_medium: Option<String>,
    /// The masked destination (`+*******1234`, `a***@e***`).
    pub destination: Option<String>,
    /// Every parameter as sent.
    pub parameters: HashMap<String, String>,
}

impl CodeChallenge {
    /// The challenge name.
    pub fn challenge_name(&self) -> &str {
        self.kind.as_str()
    }

    /// The username Cognito knows the user by.
    pub fn username(&self) -> &str {
        &self.flow.username
    }

    /// Sends the code.
    pub async fn answer(&self, code: &str) -> Result<SignInStep, AuthError> {
        let key = match self.kind {
            ChallengeNameType::SmsMfa => "SMS_MFA_CODE",
            ChallengeNameType::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
            ChallengeNameType::EmailOtp => "EMAIL_OTP_CODE",
            _ => "SMS_OTP_CODE",
        };
        let code = code.trim();
        if code.is_empty() {
            return Err(AuthError::input("the code is empty"));
        }
        self.flow
            .clone()
            .answer(self.kind.clone(), one(key, code))
            .await
    }
}

/// SELECT_MFA_TYPE.
#[derive(Debug)]
pub struct SelectMfaType {
    flow: Flow,
    /// The methods the user can choose from (`MFAS_CAN_CHOOSE`).
    pub options: Vec<MfaType>,
    /// Every parameter as sent.
    pub parameters: HashMap<String, String>,
}

impl SelectMfaType {
    /// Picks a method; Cognito then asks its code.
    pub async fn select(&self, choice: MfaType) -> Result<SignInStep, AuthError> {
        self.flow
            .clone()
            .answer(
                ChallengeNameType::SelectMfaType,
                one("ANSWER", choice.as_str()),
            )
            .await
    }
}

/// MFA_SETUP: set up an authenticator app ([`associate_software_token`](Self::associate_software_token))
/// or, where offered, email ([`setup_email`](Self::setup_email)).
#[derive(Debug)]
pub struct MfaSetup {
    flow: Flow,
    /// What can be set up (`MFAS_CAN_SETUP`).
    pub options: Vec<MfaType>,
    /// Every parameter as sent.
    pub parameters: HashMap<String, String>,
}

impl MfaSetup {
    /// AssociateSoftwareToken in this session: returns the secret to enroll in the app.
    pub async fn associate_software_token(&self) -> Result<TotpSetup, AuthError> {
        let mut request = self.flow.auth.client().associate_software_token();
        if let Some(session) = &self.flow.session {
            request = request.session(session.expose());
        }
        let out = request
            .send()
            .await
            .map_err(|e| AuthError::from_operation("AssociateSoftwareToken", None, e))?;
        let secret_code = out.secret_code.filter(|s| !s.is_empty()).ok_or_else(|| {
            AuthError::unexpected("AssociateSoftwareToken", "no SecretCode in the answer")
        })?;
        let mut flow = self.flow.clone();
        if let Some(session) = out.session {
            flow.session = Some(Secret::new(session));
        }
        Ok(TotpSetup {
            flow,
            secret_code: Secret::new(secret_code),
        })
    }

    /// Sets up email MFA with this address (MFA_SETUP with EMAIL).
    pub async fn setup_email(&self, email: &str) -> Result<SignInStep, AuthError> {
        self.flow
            .clone()
            .answer(ChallengeNameType::MfaSetup, one("EMAIL", email))
            .await
    }
}

/// An authenticator-app enrollment in progress (after AssociateSoftwareToken).
#[derive(Debug)]
pub struct TotpSetup {
    flow: Flow,
    secret_code: Secret,
}

impl TotpSetup {
    /// The base32 shared secret to enter in the authenticator app.
    pub fn secret_code(&self) -> &Secret {
        &self.secret_code
    }

    /// An `otpauth://totp/...` URI for a QR code. Contains the secret.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> Secret {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        Secret::new(format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}",
            enc(issuer),
            enc(account),
            self.secret_code.expose(),
            enc(issuer)
        ))
    }

    /// VerifySoftwareToken with a code from the app, then answers MFA_SETUP in the new session.
    pub async fn verify(
        &self,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<SignInStep, AuthError> {
        let mut request = self
            .flow
            .auth
            .client()
            .verify_software_token()
            .user_code(code.trim());
        if let Some(session) = &self.flow.session {
            request = request.session(session.expose());
        }
        if let Some(name) = friendly_device_name {
            request = request.friendly_device_name(name);
        }
        let out = request
            .send()
            .await
            .map_err(|e| AuthError::from_operation("VerifySoftwareToken", None, e))?;
        if let Some(status) = &out.status {
            if *status != VerifySoftwareTokenResponseType::Success {
                return Err(AuthError::unexpected(
                    "VerifySoftwareToken",
                    format!("the code was not accepted (status {})", status.as_str()),
                ));
            }
        }
        let mut flow = self.flow.clone();
        if let Some(session) = out.session {
            flow.session = Some(Secret::new(session));
        }
        flow.answer(ChallengeNameType::MfaSetup, HashMap::new())
            .await
    }
}

/// CUSTOM_CHALLENGE: your CreateAuthChallenge trigger's public parameters; answer with text.
#[derive(Debug)]
pub struct CustomChallenge {
    flow: Flow,
    /// The public challenge parameters.
    pub parameters: HashMap<String, String>,
}

impl CustomChallenge {
    /// Sends the answer (ANSWER).
    pub async fn answer(&self, answer: &str) -> Result<SignInStep, AuthError> {
        self.flow
            .clone()
            .answer(ChallengeNameType::CustomChallenge, one("ANSWER", answer))
            .await
    }
}

/// SELECT_CHALLENGE (USER_AUTH): pick one of `available`.
#[derive(Debug)]
pub struct SelectChallenge {
    flow: Flow,
    /// The challenges offered (`AvailableChallenges`), e.g. `PASSWORD`, `PASSWORD_SRP`,
    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`.
    pub available: Vec<String>,
    /// Every parameter as sent.
    pub parameters: HashMap<String, String>,
}

impl SelectChallenge {
    /// Whether `name` is offered.
    pub fn offers(&self, name: &str) -> bool {
        self.available.iter().any(|a| a == name)
    }

    /// PASSWORD: send the password.
    pub async fn password(&self, password: &str) -> Result<SignInStep, AuthError> {
        let mut responses = one("ANSWER", "PASSWORD");
        responses.insert("PASSWORD".to_owned(), password.to_owned());
        self.flow
            .clone()
            .answer(ChallengeNameType::SelectChallenge, responses)
            .await
    }

    /// PASSWORD_SRP: SRP with the password (PASSWORD_VERIFIER is answered inside).
    pub async fn password_srp(&self, password: &str) -> Result<SignInStep, AuthError> {
        let client = SrpClient::new()?;
        let mut responses = one("ANSWER", "PASSWORD_SRP");
        responses.insert("SRP_A".to_owned(), client.srp_a().to_owned());
        let mut flow = self.flow.clone();
        flow.srp = Some(Arc::new(PendingSrp {
            client,
            password: Secret::new(password),
        }));
        flow.answer(ChallengeNameType::SelectChallenge, responses)
            .await
    }

    /// EMAIL_OTP: Cognito sends a code and asks it next.
    pub async fn email_otp(&self) -> Result<SignInStep, AuthError> {
        self.choose("EMAIL_OTP").await
    }

    /// SMS_OTP: Cognito sends a code and asks it next.
    pub async fn sms_otp(&self) -> Result<SignInStep, AuthError> {
        self.choose("SMS_OTP").await
    }

    /// Any other choice, with no extra fields (e.g. `WEB_AUTHN`, answered next with
    /// [`UnknownChallenge::respond`]).
    pub async fn choose(&self, name: &str) -> Result<SignInStep, AuthError> {
        self.flow
            .clone()
            .answer(ChallengeNameType::SelectChallenge, one("ANSWER", name))
            .await
    }
}

/// A challenge without a dedicated type: its name and parameters, answered with raw fields.
#[derive(Debug)]
pub struct UnknownChallenge {
    flow: Flow,
    challenge: ChallengeNameType,
    /// ChallengeName as sent.
    pub name: String,
    /// ChallengeParameters as sent.
    pub parameters: HashMap<String, String>,
}

impl UnknownChallenge {
    /// Sends these ChallengeResponses (USERNAME, SECRET_HASH and DEVICE_KEY are added).
    pub async fn respond(
        &self,
        responses: HashMap<String, String>,
    ) -> Result<SignInStep, AuthError> {
        self.flow
            .clone()
            .answer(self.challenge.clone(), responses)
            .await
    }
}

impl From<Next> for SignInStep {
    fn from(next: Next) -> Self {
        match next {
            Next::Done(tokens) => SignInStep::Done(tokens),
            Next::Challenge(flow, name, parameters) => {
                SignInStep::from_challenge(flow, name, parameters)
            }
        }
    }
}

impl Flow {
    /// Answers a challenge and follows the answer to the next step.
    async fn answer(
        self,
        challenge: ChallengeNameType,
        responses: HashMap<String, String>,
    ) -> Result<SignInStep, AuthError> {
        self.respond_and_advance(challenge, responses)
            .await
            .map(SignInStep::from)
    }
}
