//! Errors as Cognito sends them: HTTP status, `X-Amzn-ErrorType`, body `{"__type", "message"}`.

use std::fmt;

/// One error response. `code` is the bare shape name (no namespace), as Cognito's `__type` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The message Cognito gives for every failed password or password claim.
pub const INCORRECT_CREDENTIALS: &str = "Incorrect username or password.";

impl ApiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code,
            message: message.into(),
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }

    pub fn incorrect_credentials() -> Self {
        Self::not_authorized(INCORRECT_CREDENTIALS)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    pub fn resource_not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }

    pub fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }

    pub fn code_mismatch() -> Self {
        Self::new("CodeMismatchException", "Invalid code received for user")
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", message).with_status(500)
    }

    /// The validation error AWS gives for a required member that is absent or null.
    pub fn missing_member(member: &str) -> Self {
        Self::null_at(&lower_camel(member))
    }

    /// The same for a member at an AWS path (`schema.1.member.name`).
    pub fn null_at(path: &str) -> Self {
        Self::new(
            "InvalidParameterException",
            format!(
                "1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null"
            ),
        )
    }

    /// A value outside an enum of the model, as Cognito words it.
    pub fn not_in_enum(path: &str, value: &str, allowed: &[&str]) -> Self {
        Self::invalid_parameter(format!(
            "1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ))
    }

    /// The error for a client id that names no app client (Cognito does not echo the id).
    pub fn unknown_client(_client_id: &str) -> Self {
        Self::resource_not_found("User pool client does not exist.")
    }

    pub fn unknown_pool(pool_id: &str) -> Self {
        Self::resource_not_found(format!("User pool {pool_id} does not exist."))
    }

    /// The answer to an operation this emulator does not serve (named, so the caller knows
    /// which).
    pub(crate) fn unknown_operation(op: &str) -> Self {
        Self::new(
            "UnknownOperationException",
            format!("Operation {op} is not supported by this service"),
        )
    }

    pub fn body(&self) -> String {
        serde_json::json!({ "__type": self.code, "message": self.message }).to_string()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The operating system's random number generator failed (ids, codes, secrets need it).
pub(crate) fn no_randomness(_: getrandom::Error) -> ApiError {
    ApiError::internal("The random number generator failed")
}

/// An output the operation built without a required member: the emulator's own mistake.
impl From<crate::model::BuildError> for ApiError {
    fn from(e: crate::model::BuildError) -> Self {
        ApiError::internal(format!("The response could not be built: {e}"))
    }
}

/// `ClientId` -> `clientId`, as AWS names members in validation messages.
pub(crate) fn lower_camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_validation_message() {
        let e = ApiError::missing_member("ClientId");
        assert!(e.message.contains("'clientId'"));
        let v: serde_json::Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(v["__type"], "InvalidParameterException");
    }
}
