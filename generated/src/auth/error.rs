//! Sign-in errors in words a user understands, each keeping the service error behind it.

use std::error::Error as StdError;
use std::fmt;

use awsjson_runtime::ErrorMeta;

use crate::operation;

/// An error response from Cognito: which operation, the error code and message, and the
/// operation's own error value as the [`source`](StdError::source).
pub struct ServiceError(Box<ServiceErrorInner>);

struct ServiceErrorInner {
    operation: &'static str,
    code: String,
    message: Option<String>,
    request_id: Option<String>,
    status: u16,
    source: Box<dyn StdError + Send + Sync + 'static>,
}

impl ServiceError {
    /// The Cognito operation that failed (`InitiateAuth`, `RespondToAuthChallenge`, …).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }
    /// The error code (`NotAuthorizedException`, …).
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// The service's message, if it sent one.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    /// The request id, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }
    /// The generated per-operation error (`operation::initiate_auth::InitiateAuthError`, …), for matching.
    pub fn inner(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.0.source
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("operation", &self.0.operation)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("request_id", &self.0.request_id)
            .field("status", &self.0.status)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.0.operation, self.0.code)?;
        match self.0.message.as_deref() {
            Some(m) if !m.is_empty() => write!(f, ": {m}"),
            _ => Ok(()),
        }
    }
}

impl StdError for ServiceError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.0.source)
    }
}

/// Why a sign-in, challenge answer, refresh or device call failed.
///
/// Variants name the cause; those that come from a Cognito error response carry it as a
/// [`ServiceError`] (also the `source()`). No variant ever holds a password, token, session or
/// secret hash.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The username or password is wrong (Cognito does not say which).
    IncorrectUsernameOrPassword(ServiceError),
    /// No such user (pools that reveal user existence).
    UserNotFound(ServiceError),
    /// The user signed up but has not confirmed the account yet.
    UserNotConfirmed(ServiceError),
    /// An administrator reset the password; the user must set a new one with a code
    /// (ForgotPassword / ConfirmForgotPassword).
    PasswordResetRequired(ServiceError),
    /// The user is disabled.
    UserDisabled(ServiceError),
    /// This authentication flow is not enabled for the app client (its ExplicitAuthFlows).
    FlowNotEnabled {
        /// The flow that was refused, as sent (`USER_PASSWORD_AUTH`, …).
        flow: String,
        /// Cognito's answer.
        source: ServiceError,
    },
    /// The app client has a secret and the SECRET_HASH did not match it: the configured client
    /// secret is wrong, or the client has none configured here.
    SecretHashMismatch(ServiceError),
    /// The user pool or app client does not exist (check the ids and the region).
    UnknownUserPoolOrClient(ServiceError),
    /// The remembered device is not known to Cognito any more (it was forgotten); it has been
    /// dropped from the authenticator.
    DeviceNotFound(ServiceError),
    /// The code (MFA, OTP, TOTP setup) is wrong. The same step can be answered again.
    CodeMismatch(ServiceError),
    /// The code has expired.
    ExpiredCode(ServiceError),
    /// The sign-in session expired (challenges must be answered within a few minutes).
    SessionExpired(ServiceError),
    /// The new password does not meet the pool's password policy.
    InvalidPassword(ServiceError),
    /// The refresh token is invalid, expired or revoked, or belongs to another client or
    /// device.
    InvalidRefreshToken(ServiceError),
    /// Too many failed attempts; wait before trying again.
    TooManyFailedAttempts(ServiceError),
    /// Request rate or quota exceeded.
    TooManyRequests(ServiceError),
    /// Any other authorization failure (Cognito's message says which).
    NotAuthorized(ServiceError),
    /// Cognito rejected a parameter (its message says which).
    InvalidParameter(ServiceError),
    /// Any other error response from Cognito.
    Service(ServiceError),
    /// The request never got an answer from Cognito: connection, timeout, bad response,
    /// client configuration or a request that failed validation before sending.
    Request {
        /// The operation being called.
        operation: &'static str,
        /// What went wrong.
        source: awsjson_runtime::Error,
    },
    /// Computing the SRP answer failed (for example a malformed SRP_B from the server).
    Srp(srp_core::SrpError),
    /// The server answered in a way the sign-in cannot continue from.
    UnexpectedResponse {
        /// The operation that answered.
        operation: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// The authenticator's configuration or the caller's input cannot work.
    InvalidInput {
        /// What is wrong.
        reason: String,
    },
}

impl AuthError {
    /// The Cognito error behind this one, if it came from an error response.
    pub fn service_error(&self) -> Option<&ServiceError> {
        use AuthError::*;
        match self {
            IncorrectUsernameOrPassword(e)
            | UserNotFound(e)
            | UserNotConfirmed(e)
            | PasswordResetRequired(e)
            | UserDisabled(e)
            | SecretHashMismatch(e)
            | UnknownUserPoolOrClient(e)
            | DeviceNotFound(e)
            | CodeMismatch(e)
            | ExpiredCode(e)
            | SessionExpired(e)
            | InvalidPassword(e)
            | InvalidRefreshToken(e)
            | TooManyFailedAttempts(e)
            | TooManyRequests(e)
            | NotAuthorized(e)
            | InvalidParameter(e)
            | Service(e) => Some(e),
            FlowNotEnabled { source, .. } => Some(source),
            Request { .. } | Srp(_) | UnexpectedResponse { .. } | InvalidInput { .. } => None,
        }
    }

    /// The Cognito error code, if any (`NotAuthorizedException`, …).
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    pub(crate) fn unexpected(operation: &'static str, reason: impl Into<String>) -> Self {
        AuthError::UnexpectedResponse {
            operation,
            reason: reason.into(),
        }
    }

    pub(crate) fn input(reason: impl Into<String>) -> Self {
        AuthError::InvalidInput {
            reason: reason.into(),
        }
    }

    /// Classifies an operation's error. `flow` is the AuthFlow sent, for "flow not enabled".
    pub(crate) fn from_operation<E: OperationFailure>(
        operation: &'static str,
        flow: Option<&str>,
        err: E,
    ) -> Self {
        type Source = Box<dyn StdError + Send + Sync + 'static>;
        let (meta, source): (ErrorMeta, Source) = match err.error_meta() {
            Some(meta) => (meta.clone(), Box::new(err)),
            None => match err.into_unhandled() {
                Ok(source) => return AuthError::Request { operation, source },
                Err(meta) => (
                    meta.clone(),
                    Box::new(awsjson_runtime::Error::Service(meta)),
                ),
            },
        };
        let service = ServiceError(Box::new(ServiceErrorInner {
            operation,
            code: meta.code().to_owned(),
            message: meta.message().map(str::to_owned),
            request_id: meta.request_id().map(str::to_owned),
            status: meta.status(),
            source,
        }));
        classify(service, flow)
    }
}

fn classify(e: ServiceError, flow: Option<&str>) -> AuthError {
    let msg = e.0.message.as_deref().unwrap_or("").to_ascii_lowercase();
    let flow_refused = msg.contains("flow not enabled")
        || msg.contains("not enabled for this client")
        || msg.contains("auth flow not supported");
    match e.0.code.as_str() {
        _ if flow_refused => AuthError::FlowNotEnabled {
            flow: flow.unwrap_or("this flow").to_owned(),
            source: e,
        },
        "NotAuthorizedException" => {
            if msg.contains("incorrect username or password") {
                AuthError::IncorrectUsernameOrPassword(e)
            } else if msg.contains("secret hash") || msg.contains("secret_hash") {
                AuthError::SecretHashMismatch(e)
            } else if msg.contains("disabled") {
                AuthError::UserDisabled(e)
            } else if msg.contains("refresh token") {
                AuthError::InvalidRefreshToken(e)
            } else if msg.contains("attempts exceeded") {
                AuthError::TooManyFailedAttempts(e)
            } else if msg.contains("session")
                && (msg.contains("expired") || msg.contains("invalid"))
            {
                AuthError::SessionExpired(e)
            } else {
                AuthError::NotAuthorized(e)
            }
        }
        "UserNotFoundException" => AuthError::UserNotFound(e),
        "UserNotConfirmedException" => AuthError::UserNotConfirmed(e),
        "PasswordResetRequiredException" => AuthError::PasswordResetRequired(e),
        "ResourceNotFoundException" if msg.contains("device") => AuthError::DeviceNotFound(e),
        "ResourceNotFoundException" => AuthError::UnknownUserPoolOrClient(e),
        "CodeMismatchException" | "EnableSoftwareTokenMFAException" => AuthError::CodeMismatch(e),
        "ExpiredCodeException" => AuthError::ExpiredCode(e),
        "InvalidPasswordException" | "PasswordHistoryPolicyViolationException" => {
            AuthError::InvalidPassword(e)
        }
        "TooManyFailedAttemptsException" => AuthError::TooManyFailedAttempts(e),
        "TooManyRequestsException" | "LimitExceededException" => AuthError::TooManyRequests(e),
        "InvalidParameterException" if msg.contains("secret hash") => {
            AuthError::SecretHashMismatch(e)
        }
        "InvalidParameterException" => AuthError::InvalidParameter(e),
        _ => AuthError::Service(e),
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AuthError::*;
        let (what, cause): (std::borrow::Cow<'_, str>, Option<&ServiceError>) = match self {
            IncorrectUsernameOrPassword(e) => ("incorrect username or password".into(), Some(e)),
            UserNotFound(e) => ("the user does not exist in this user pool".into(), Some(e)),
            UserNotConfirmed(e) => ("the user has not confirmed the account yet".into(), Some(e)),
            PasswordResetRequired(e) => (
                "a password reset is required: set a new password with the code sent to the user"
                    .into(),
                Some(e),
            ),
            UserDisabled(e) => ("the user is disabled".into(), Some(e)),
            FlowNotEnabled { flow, source } => (
                format!(
                    "the {flow} flow is not enabled for this app client (add it to the client's \
                     ExplicitAuthFlows)"
                )
                .into(),
                Some(source),
            ),
            SecretHashMismatch(e) => (
                "the SECRET_HASH does not match: check the app client secret (a client with a \
                 secret needs it configured here)"
                    .into(),
                Some(e),
            ),
            UnknownUserPoolOrClient(e) => (
                "the user pool or app client does not exist (check the ids and the region)".into(),
                Some(e),
            ),
            DeviceNotFound(e) => (
                "the remembered device is no longer known to Cognito; it was dropped".into(),
                Some(e),
            ),
            CodeMismatch(e) => ("the code is wrong".into(), Some(e)),
            ExpiredCode(e) => ("the code has expired".into(), Some(e)),
            SessionExpired(e) => (
                "the sign-in session expired; start the sign-in again".into(),
                Some(e),
            ),
            InvalidPassword(e) => (
                "the new password does not meet the pool's password policy".into(),
                Some(e),
            ),
            InvalidRefreshToken(e) => (
                "the refresh token is invalid, expired or revoked (or was issued to another \
                 client or device)"
                    .into(),
                Some(e),
            ),
            TooManyFailedAttempts(e) => (
                "too many failed attempts; wait before trying again".into(),
                Some(e),
            ),
            TooManyRequests(e) => ("too many requests; slow down and retry".into(), Some(e)),
            NotAuthorized(e) => ("not authorized".into(), Some(e)),
            InvalidParameter(e) => ("Cognito rejected a parameter".into(), Some(e)),
            Service(e) => ("Cognito returned an error".into(), Some(e)),
            Request { operation, source } => {
                return write!(f, "{operation} got no usable answer from Cognito: {source}")
            }
            Srp(e) => return write!(f, "computing the SRP answer failed: {e}"),
            UnexpectedResponse { operation, reason } => {
                return write!(f, "unexpected answer to {operation}: {reason}")
            }
            InvalidInput { reason } => return f.write_str(reason),
        };
        f.write_str(&what)?;
        if let Some(e) = cause {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

impl StdError for AuthError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            AuthError::Request { source, .. } => Some(source),
            AuthError::Srp(e) => Some(e),
            other => other
                .service_error()
                .map(|e| e as &(dyn StdError + 'static)),
        }
    }
}

impl From<srp_core::SrpError> for AuthError {
    fn from(e: srp_core::SrpError) -> Self {
        AuthError::Srp(e)
    }
}

/// The generated per-operation error enums, seen uniformly.
pub(crate) trait OperationFailure: StdError + Send + Sync + Sized + 'static {
    /// The metadata of a modeled error.
    fn error_meta(&self) -> Option<&ErrorMeta>;
    /// For `Unhandled`: the runtime error, or the metadata of an unmodeled error response.
    fn into_unhandled(self) -> Result<awsjson_runtime::Error, ErrorMeta>;
}

macro_rules! operation_failure {
    ($($module:ident::$ty:ident),* $(,)?) => {$(
        impl OperationFailure for operation::$module::$ty {
            fn error_meta(&self) -> Option<&ErrorMeta> {
                self.meta()
            }
            fn into_unhandled(self) -> Result<awsjson_runtime::Error, ErrorMeta> {
                match self {
                    operation::$module::$ty::Unhandled(awsjson_runtime::Error::Service(meta)) => Err(meta),
                    operation::$module::$ty::Unhandled(e) => Ok(e),
                    // unreachable for modeled errors (error_meta is Some); keep a sane answer
                    other => Err(other.meta().cloned().unwrap_or_default()),
                }
            }
        }
    )*};
}

operation_failure!(
    initiate_auth::InitiateAuthError,
    respond_to_auth_challenge::RespondToAuthChallengeError,
    associate_software_token::AssociateSoftwareTokenError,
    verify_software_token::VerifySoftwareTokenError,
    confirm_device::ConfirmDeviceError,
    update_device_status::UpdateDeviceStatusError,
    get_tokens_from_refresh_token::GetTokensFromRefreshTokenError,
    revoke_token::RevokeTokenError,
);
