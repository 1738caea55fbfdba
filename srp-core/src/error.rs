//! The one error type of this crate. Messages name what is wrong, never a secret value.

use std::fmt;

/// Why an SRP computation was refused. Nothing is sent to Cognito after any of these.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A hex integer (SALT, SRP_B, SRP_A) could not be parsed.
    InvalidHex {
        field: &'static str,
        reason: &'static str,
    },
    /// A value that must be strict base64 was not.
    InvalidBase64 { field: &'static str },
    /// The server's B is a multiple of N: continuing would reveal the password to a forger.
    IllegalServerValue,
    /// The client's A is a multiple of N (server role).
    IllegalClientValue,
    /// The scrambling parameter u = H(A ‖ B) is zero.
    ZeroScrambler,
    /// A user pool id is not `<region>_<name>`.
    InvalidPoolId,
    /// A required text input is empty.
    EmptyInput { field: &'static str },
    /// A TIMESTAMP cannot be built or parsed.
    InvalidTimestamp { reason: &'static str },
    /// A password claim signature does not match (server role).
    SignatureMismatch,
    /// The operating system's random number generator failed.
    Random,
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SrpError::InvalidHex { field, reason } => {
                write!(f, "{field} is not a valid hex integer: {reason}")
            }
            SrpError::InvalidBase64 { field } => write!(f, "{field} is not valid base64"),
            SrpError::IllegalServerValue => {
                f.write_str("SRP_B mod N is zero; refusing to continue")
            }
            SrpError::IllegalClientValue => f.write_str("SRP_A mod N is zero"),
            SrpError::ZeroScrambler => f.write_str("SRP scrambling parameter u is zero"),
            SrpError::InvalidPoolId => {
                f.write_str("user pool id must look like <region>_<name>, e.g. us-east-1_AbC123")
            }
            SrpError::EmptyInput { field } => write!(f, "{field} must not be empty"),
            SrpError::InvalidTimestamp { reason } => write!(f, "invalid TIMESTAMP: {reason}"),
            SrpError::SignatureMismatch => f.write_str("password claim signature does not match"),
            SrpError::Random => f.write_str("the system random number generator failed"),
        }
    }
}

impl std::error::Error for SrpError {}
