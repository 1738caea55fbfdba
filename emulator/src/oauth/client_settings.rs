//! An app client's OAuth settings (AllowedOAuthFlows, AllowedOAuthScopes, CallbackURLs,
//! LogoutURLs, DefaultRedirectURI, SupportedIdentityProviders, AllowedOAuthFlowsUserPoolClient,
//! EnableTokenRevocation): checked when a client is created or updated, and read back from the
//! members the client keeps.

use super::state::OAuthStore;
use crate::error::{ApiError, ApiResult};
use crate::store::ClientConfig;

/// The scopes Cognito defines itself; every other scope is `resourceServerIdentifier/name`.
pub const STANDARD_SCOPES: [&str; 5] = [
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthClientSettings {
    pub enabled: bool,
    pub flows: Vec<String>,
    pub scopes: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub identity_providers: Vec<String>,
    pub token_revocation: bool,
}

impl OAuthClientSettings {
    /// From the settings an app client keeps (validated when they were set).
    pub fn of(c: &ClientConfig) -> Self {
        OAuthClientSettings {
            enabled: c.allowed_oauth_flows_user_pool_client.unwrap_or(false),
            flows: c
                .allowed_oauth_flows
                .iter()
                .flatten()
                .map(|f| f.as_str().to_owned())
                .collect(),
            scopes: c.allowed_oauth_scopes.clone().unwrap_or_default(),
            callback_urls: c.callback_urls.clone().unwrap_or_default(),
            logout_urls: c.logout_urls.clone().unwrap_or_default(),
            identity_providers: c.supported_identity_providers.clone().unwrap_or_default(),
            token_revocation: c.enable_token_revocation.unwrap_or(true),
        }
    }

    pub fn allows_flow(&self, flow: &str) -> bool {
        self.enabled && self.flows.iter().any(|f| f == flow)
    }

    pub fn allows_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

fn invalid_flow(message: &str) -> ApiError {
    ApiError::new("InvalidOAuthFlowException", message)
}

/// A callback or sign-out URL as Cognito accepts it: absolute, no fragment, HTTPS except for
/// `http://localhost` (testing), or an app scheme such as `myapp://callback`.
pub fn check_redirect_url(member: &str, url: &str) -> ApiResult<()> {
    let bad = |why: &str| {
        Err(ApiError::invalid_parameter(format!(
            "Invalid {member} {url:?}: {why}"
        )))
    };
    if url.is_empty() || url.chars().count() > 1024 {
        return bad("must have length between 1 and 1024");
    }
    if url.contains('#') {
        return bad("a redirect URL cannot have a fragment");
    }
    if url.chars().any(char::is_whitespace) {
        return bad("a URL cannot contain white space");
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return bad("must be an absolute URL");
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return bad("must be an absolute URL");
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" => {
            let host = rest.split(['/', '?']).next().unwrap_or_default();
            let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
            if host != "localhost" {
                return bad("HTTPS is required except for http://localhost");
            }
        }
        _ if rest.is_empty() && scheme.is_empty() => return bad("must be an absolute URL"),
        _ => {}
    }
    Ok(())
}

/// Checks the OAuth members of a CreateUserPoolClient (or UpdateUserPoolClient) request:
/// `has_secret` says whether the client has (or gets) a secret, `providers` names the pool's
/// identity providers (besides COGNITO).
pub fn check_client_request(
    oauth: &OAuthStore,
    pool_id: &str,
    c: &ClientConfig,
    has_secret: bool,
    providers: &[String],
) -> ApiResult<()> {
    let flows: Vec<&str> = c
        .allowed_oauth_flows
        .iter()
        .flatten()
        .map(|f| f.as_str())
        .collect();
    for f in &flows {
        if !["code", "implicit", "client_credentials"].contains(f) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '[{f}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [implicit, client_credentials, code]"
            )));
        }
    }
    let machine = flows.contains(&"client_credentials");
    if machine && flows.iter().any(|f| *f != "client_credentials") {
        return Err(invalid_flow(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ));
    }
    if machine && !has_secret {
        return Err(invalid_flow(
            "client_credentials flow can not be selected if client does not have a client secret.",
        ));
    }
    let scopes = c.allowed_oauth_scopes.clone().unwrap_or_default();
    for s in &scopes {
        let standard = STANDARD_SCOPES.contains(&s.as_str());
        if machine && standard {
            return Err(invalid_flow(
                "client_credentials flow can only be used with custom scopes.",
            ));
        }
        if !standard && !oauth.custom_scope_exists(pool_id, s) {
            return Err(ApiError::new(
                "ScopeDoesNotExistException",
                format!("Invalid scope requested: {s}"),
            ));
        }
    }
    for (list, key) in [
        (&c.callback_urls, "CallbackURL"),
        (&c.logout_urls, "LogoutURL"),
    ] {
        for url in list.iter().flatten() {
            check_redirect_url(key, url)?;
        }
    }
    let callbacks = c.callback_urls.clone().unwrap_or_default();
    if let Some(default) = &c.default_redirect_uri {
        check_redirect_url("DefaultRedirectURI", default)?;
        if !callbacks.iter().any(|cb| cb == default) {
            return Err(ApiError::invalid_parameter(
                "DefaultRedirectURI must be one of the CallbackURLs.",
            ));
        }
    }
    if flows.iter().any(|f| *f == "code" || *f == "implicit") && callbacks.is_empty() {
        return Err(ApiError::invalid_parameter(
            "CallbackURLs can not be empty when code or implicit flow is selected.",
        ));
    }
    for p in c.supported_identity_providers.iter().flatten() {
        if p != "COGNITO" && !providers.contains(p) {
            return Err(ApiError::invalid_parameter(format!(
                "The provider {p} does not exist for User Pool {pool_id}"
            )));
        }
    }
    if c.allowed_oauth_flows_user_pool_client == Some(true)
        && (flows.is_empty() || scopes.is_empty())
    {
        return Err(invalid_flow(
            "AllowedOAuthFlows and AllowedOAuthScopes are required when AllowedOAuthFlowsUserPoolClient is true.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls() {
        assert!(check_redirect_url("CallbackURL", "https://app.example.com/cb").is_ok());
        assert!(check_redirect_url("CallbackURL", "http://localhost:8080/cb").is_ok());
        assert!(check_redirect_url("CallbackURL", "myapp://callback").is_ok());
        assert!(check_redirect_url("CallbackURL", "http://example.com/cb").is_err());
        assert!(check_redirect_url("CallbackURL", "https://a/cb#frag").is_err());
        assert!(check_redirect_url("CallbackURL", "/relative").is_err());
    }
}
