//! Why a credentials provider failed: Cognito Identity's answer classified into the variants
//! an app acts on (guests not allowed, not authorized, gone, misconfigured pool, ...).

use std::error::Error as StdError;
use std::fmt;

use awsjson_runtime::ErrorMeta;

use crate::operation;

/// An error response from Cognito Identity: the operation, code, message and request id.
#[derive(Clone, Debug)]
pub struct ServiceFailure {
    operation: &'static str,
    code: String,
    message: Option<String>,
    request_id: Option<String>,
    status: u16,
}

impl ServiceFailure {
    /// `GetId` or `GetCredentialsForIdentity`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// The error code (`NotAuthorizedException`, ...).
    pub fn code(&self) -> &str {
        &self.code
    }
    /// The service's message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// The request id, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for ServiceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.operation, self.code)?;
        match self.message.as_deref() {
            Some(m) if !m.is_empty() => write!(f, ": {m}"),
            _ => Ok(()),
        }
    }
}

/// Why no credentials could be had. No variant holds a token or a credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum CognitoCredentialsError {
    /// The logins could not be produced (for a user-pool session: the user must sign in
    /// again, see [`is_sign_in_required`](Self::is_sign_in_required)).
    Logins(Box<dyn StdError + Send + Sync + 'static>),
    /// The identity pool does not allow unauthenticated identities, and no login was given.
    UnauthenticatedNotAllowed(ServiceFailure),
    /// A login was refused: a token that is expired, from a provider the pool does not know,
    /// for another app client, with a bad signature; or a role the identity may not assume.
    NotAuthorized(ServiceFailure),
    /// The identity pool (or the identity) does not exist.
    NotFound(ServiceFailure),
    /// The identity pool has no role for this identity (SetIdentityPoolRoles).
    InvalidPoolConfiguration(ServiceFailure),
    /// Any other error response.
    Service(ServiceFailure),
    /// No usable answer: connection, timeout, configuration, a request that failed validation.
    Request {
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        source: awsjson_runtime::Error,
    },
    /// The answer lacked what credentials need.
    InvalidResponse {
        /// The operation.
        operation: &'static str,
        /// What was missing.
        reason: String,
    },
    /// The provider's configuration cannot work.
    InvalidInput(String),
}

impl CognitoCredentialsError {
    /// True when the user pool session behind the logins needs a new sign-in.
    pub fn is_sign_in_required(&self) -> bool {
        match self {
            #[cfg(feature = "user-pool")]
            CognitoCredentialsError::Logins(e) => e
                .downcast_ref::<cognito_idp::auth::SessionError>()
                .is_some_and(|e| e.is_sign_in_required()),
            _ => false,
        }
    }

    /// The Cognito error behind this one, if it came from an error response.
    pub fn service_failure(&self) -> Option<&ServiceFailure> {
        use CognitoCredentialsError::*;
        match self {
            UnauthenticatedNotAllowed(f)
            | NotAuthorized(f)
            | NotFound(f)
            | InvalidPoolConfiguration(f)
            | Service(f) => Some(f),
            Logins(_) | Request { .. } | InvalidResponse { .. } | InvalidInput(_) => None,
        }
    }
}

impl fmt::Display for CognitoCredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CognitoCredentialsError::*;
        match self {
            Logins(e) => write!(f, "no logins for the identity pool: {e}"),
            UnauthenticatedNotAllowed(e) => write!(
                f,
                "the identity pool does not allow unauthenticated identities: sign in first ({e})"
            ),
            NotAuthorized(e) => write!(f, "the identity pool refused the login ({e})"),
            NotFound(e) => write!(f, "no such identity pool or identity ({e})"),
            InvalidPoolConfiguration(e) => write!(
                f,
                "the identity pool has no role for this identity: set its roles ({e})"
            ),
            Service(e) => write!(f, "Cognito Identity returned an error ({e})"),
            Request { operation, source } => {
                write!(f, "{operation} got no usable answer: {source}")
            }
            InvalidResponse { operation, reason } => {
                write!(f, "unexpected answer to {operation}: {reason}")
            }
            InvalidInput(reason) => f.write_str(reason),
        }
    }
}

impl StdError for CognitoCredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            CognitoCredentialsError::Logins(e) => Some(&**e),
            CognitoCredentialsError::Request { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(feature = "user-pool")]
impl From<cognito_idp::auth::SessionError> for CognitoCredentialsError {
    fn from(e: cognito_idp::auth::SessionError) -> Self {
        CognitoCredentialsError::Logins(Box::new(e))
    }
}

/// The generated error enums of the two operations, seen uniformly.
pub(crate) trait OperationFailure: Sized {
    fn meta(&self) -> Option<&ErrorMeta>;
    fn into_runtime(self) -> Option<awsjson_runtime::Error>;
}

macro_rules! operation_failure {
    ($($module:ident::$ty:ident),*) => {$(
        impl OperationFailure for operation::$module::$ty {
            fn meta(&self) -> Option<&ErrorMeta> {
                operation::$module::$ty::meta(self)
            }
            fn into_runtime(self) -> Option<awsjson_runtime::Error> {
                match self {
                    operation::$module::$ty::Unhandled(e) => Some(e),
                    _ => None,
                }
            }
        }
    )*};
}
operation_failure!(
    get_id::GetIdError,
    get_credentials_for_identity::GetCredentialsForIdentityError
);

pub(crate) fn classify<E: OperationFailure>(
    operation: &'static str,
    err: E,
) -> CognitoCredentialsError {
    let meta = match err.meta() {
        Some(meta) => meta.clone(),
        None => match err.into_runtime() {
            Some(awsjson_runtime::Error::Service(meta)) => meta,
            Some(source) => return CognitoCredentialsError::Request { operation, source },
            None => ErrorMeta::default(),
        },
    };
    let failure = ServiceFailure {
        operation,
        code: meta.code().to_owned(),
        message: meta.message().map(str::to_owned),
        request_id: meta.request_id().map(str::to_owned),
        status: meta.status(),
    };
    let message = failure
        .message
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    match failure.code.as_str() {
        "NotAuthorizedException" if message.contains("unauthenticated access is not supported") => {
            CognitoCredentialsError::UnauthenticatedNotAllowed(failure)
        }
        "NotAuthorizedException" => CognitoCredentialsError::NotAuthorized(failure),
        "ResourceNotFoundException" => CognitoCredentialsError::NotFound(failure),
        "InvalidIdentityPoolConfigurationException" => {
            CognitoCredentialsError::InvalidPoolConfiguration(failure)
        }
        _ => CognitoCredentialsError::Service(failure),
    }
}
