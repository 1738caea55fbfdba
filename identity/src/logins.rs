//! The `Logins` an identity pool is shown: provider name → token, fixed or fresh from a
//! signed-in session.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::failure::CognitoCredentialsError;

/// Provider name → token, as GetId and GetCredentialsForIdentity take them. `Debug` shows the
/// provider names only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LoginTokens(BTreeMap<String, String>);

impl LoginTokens {
    /// No logins: an unauthenticated identity.
    pub fn new() -> Self {
        LoginTokens::default()
    }

    /// Adds a login (`graph.facebook.com`, `accounts.google.com`, an OIDC issuer, ...).
    pub fn with(mut self, provider: impl Into<String>, token: impl Into<String>) -> Self {
        self.0.insert(provider.into(), token.into());
        self
    }

    /// Adds a Cognito user pool login: the provider
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>` with the user's ID token.
    pub fn with_user_pool(self, user_pool_id: &str, id_token: impl Into<String>) -> Self {
        self.with(user_pool_provider(user_pool_id), id_token)
    }

    /// True without any login.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The provider names.
    pub fn providers(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The map to send (the tokens are secrets: do not log it).
    pub fn to_map(&self) -> std::collections::HashMap<String, String> {
        self.0.clone().into_iter().collect()
    }
}

impl fmt::Debug for LoginTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, awsjson_runtime::REDACTED)))
            .finish()
    }
}

/// The identity-pool provider name of a Cognito user pool:
/// `cognito-idp.<region>.amazonaws.com/<user pool id>` (the region is the id's prefix).
pub fn user_pool_provider(user_pool_id: &str) -> String {
    let region = user_pool_id.split('_').next().unwrap_or_default();
    format!("cognito-idp.{region}.amazonaws.com/{user_pool_id}")
}

/// What [`ProvideLogins::logins`] returns.
pub type LoginsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<LoginTokens, CognitoCredentialsError>> + Send + 'a>>;

/// A source of logins, asked before every GetId / GetCredentialsForIdentity, so tokens that
/// expire (a user pool's ID token lasts an hour) can be refreshed first.
pub trait ProvideLogins: Send + Sync {
    /// The logins to present now.
    fn logins(&self) -> LoginsFuture<'_>;
}

impl ProvideLogins for LoginTokens {
    fn logins(&self) -> LoginsFuture<'_> {
        let logins = self.clone();
        Box::pin(async move { Ok(logins) })
    }
}

/// A signed-in user-pool session: its ID token, refreshed by the session when it is about to
/// expire (the session's margin applies).
#[cfg(feature = "user-pool")]
impl ProvideLogins for cognito_idp::auth::Session {
    fn logins(&self) -> LoginsFuture<'_> {
        Box::pin(async move {
            let id_token = self
                .id_token()
                .await
                .map_err(CognitoCredentialsError::from)?;
            let pool = self.authenticator().config().user_pool_id();
            Ok(LoginTokens::new().with_user_pool(pool, id_token.expose()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_pool_provider_name_and_redaction() {
        assert_eq!(
            user_pool_provider("eu-west-1_AbC123"),
            "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
        let logins = LoginTokens::new().with_user_pool("us-east-1_X", "eyJ.secret.token");
        let dbg = format!("{logins:?}");
        assert!(
            dbg.contains("cognito-idp.us-east-1.amazonaws.com/us-east-1_X"),
            "{dbg}"
        );
        assert!(!dbg.contains("secret"), "{dbg}");
        assert_eq!(logins.to_map().len(), 1);
    }
}
