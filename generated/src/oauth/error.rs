//! OAuth 2.0 errors: the `error` codes of RFC 6749 / 7009 / 6750 as a matchable kind, with the
//! server's description; and what can go wrong on this side (state mismatch, transport,
//! configuration, a reply that is not OAuth JSON). No message ever carries a secret.

use std::fmt;

/// The `error` code of an OAuth 2.0 error response or redirect.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthErrorKind {
    /// A parameter is missing, repeated, malformed or not supported.
    InvalidRequest,
    /// Client authentication failed (unknown client, wrong or missing secret).
    InvalidClient,
    /// The code or refresh token is invalid, expired, used, revoked, or was issued to
    /// another client or redirect URI; or the PKCE verifier does not match.
    InvalidGrant,
    /// The app client may not use this grant (or response type).
    UnauthorizedClient,
    /// The grant type is not supported.
    UnsupportedGrantType,
    /// A requested scope is not allowed or does not exist.
    InvalidScope,
    /// The response type is not supported (authorize).
    UnsupportedResponseType,
    /// Only refresh tokens can be revoked.
    UnsupportedTokenType,
    /// The access token is expired, revoked or lacks a needed scope (userInfo).
    InvalidToken,
    /// The user or server refused the request.
    AccessDenied,
    /// The server failed.
    ServerError,
    /// The server is overloaded or down for maintenance.
    TemporarilyUnavailable,
    /// A code this library does not know.
    Other(String),
}

impl OAuthErrorKind {
    /// From the wire value.
    pub fn from_code(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            "unsupported_response_type" => Self::UnsupportedResponseType,
            "unsupported_token_type" => Self::UnsupportedTokenType,
            "invalid_token" => Self::InvalidToken,
            "access_denied" => Self::AccessDenied,
            "server_error" => Self::ServerError,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::UnsupportedTokenType => "unsupported_token_type",
            Self::InvalidToken => "invalid_token",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an OAuth call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthError {
    /// The endpoint answered with an OAuth error (`{"error": ..., "error_description": ...}`).
    Endpoint {
        /// `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`.
        endpoint: &'static str,
        /// The HTTP status (400, or 401 for a failed client authentication or token).
        status: u16,
        /// The `error` code.
        kind: OAuthErrorKind,
        /// `error_description`, if sent.
        description: Option<String>,
    },
    /// The authorization server redirected back with `error=...` instead of a code.
    Authorization {
        /// The redirect's `error`.
        kind: OAuthErrorKind,
        /// Its `error_description`, if any.
        description: Option<String>,
    },
    /// The redirect's `state` is missing or is not the one this request sent: the redirect
    /// may be forged (CSRF), so its code is not used.
    StateMismatch,
    /// The redirect has neither a code nor an error.
    MissingCode,
    /// The request could not be sent or the reply not read.
    Transport(awsjson_runtime::http::HttpError),
    /// The reply was not what the endpoint should send.
    InvalidResponse {
        /// The endpoint's path.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// What was wrong with the reply.
        reason: String,
    },
    /// The domain URL or another setting is not usable.
    Config(String),
}

impl OAuthError {
    /// The OAuth error code, for errors that have one.
    pub fn kind(&self) -> Option<&OAuthErrorKind> {
        match self {
            Self::Endpoint { kind, .. } | Self::Authorization { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The server's description, where it sent one.
    pub fn description(&self) -> Option<&str> {
        match self {
            Self::Endpoint { description, .. } | Self::Authorization { description, .. } => {
                description.as_deref()
            }
            _ => None,
        }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Endpoint {
                endpoint,
                status,
                kind,
                description,
            } => {
                write!(f, "{endpoint} refused the request: {kind} (HTTP {status})")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                Ok(())
            }
            Self::Authorization { kind, description } => {
                write!(f, "the sign-in was refused: {kind}")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                Ok(())
            }
            Self::StateMismatch => f.write_str(
                "the redirect's state does not match the request's: not using its code (possible CSRF)",
            ),
            Self::MissingCode => f.write_str("the redirect has neither a code nor an error"),
            Self::Transport(e) => write!(f, "request failed: {e}"),
            Self::InvalidResponse {
                endpoint,
                status,
                reason,
            } => write!(f, "unexpected reply from {endpoint} (HTTP {status}): {reason}"),
            Self::Config(why) => write!(f, "invalid OAuth configuration: {why}"),
        }
    }
}

impl std::error::Error for OAuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl From<awsjson_runtime::http::HttpError> for OAuthError {
    fn from(e: awsjson_runtime::http::HttpError) -> Self {
        Self::Transport(e)
    }
}
