//! The one error type of the program: a failure already worded for the user.

use cognito_idp::auth::AuthError;

/// A failure, already worded for the user.
#[derive(Debug)]
pub struct Fail(pub String);

impl From<AuthError> for Fail {
    fn from(e: AuthError) -> Self {
        Fail(e.to_string())
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Self {
        Fail(e.to_string())
    }
}

impl From<String> for Fail {
    fn from(s: String) -> Self {
        Fail(s)
    }
}

impl From<&str> for Fail {
    fn from(s: &str) -> Self {
        Fail(s.to_owned())
    }
}
