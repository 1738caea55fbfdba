//! What the OAuth side of a user pool keeps, in one struct of its own so that it can be persisted
//! beside the rest of the store: domains and resource servers (configuration), the scopes of
//! grants that outlive a sign-in (kept as long as their refresh tokens), and the short-lived
//! pieces of a managed-login sign-in (login flows, authorization codes, browser sessions).

use std::collections::{BTreeMap, HashMap};

use crate::store::Tracked;

/// A user pool domain: a prefix (`{prefix}.auth.{region}.amazoncognito.com`) or a custom domain.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Domain {
    pub domain: String,
    pub pool_id: String,
    /// The certificate ARN of a custom domain; `None` for a prefix domain.
    pub certificate_arn: Option<String>,
    pub managed_login_version: Option<i64>,
    pub created: i64,
}

impl Domain {
    /// The host name Cognito would serve this domain under.
    pub fn host_name(&self) -> String {
        match self.certificate_arn {
            Some(_) => self.domain.clone(),
            None => format!(
                "{}.auth.{}.amazoncognito.com",
                self.domain,
                crate::ids::region_of(&self.pool_id)
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scope {
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ResourceServer {
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

/// The OAuth part of a grant: the scopes in the access token, the nonce for the ID token, and
/// whether an ID token is issued at all (only with `openid`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthGrant {
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
}

impl OAuthGrant {
    pub fn scope_claim(&self) -> String {
        self.scopes.join(" ")
    }

    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// A grant remembered for its refresh token (refreshes keep the scopes, drop the nonce).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RememberedGrant {
    pub scopes: Vec<String>,
    pub expires: i64,
}

/// A user who finished signing in on the managed login pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub pool_id: String,
    pub client_id: String,
    /// internal username
    pub username: String,
    pub auth_time: i64,
}

/// A validated `/oauth2/authorize` request, carried through the login pages.
#[derive(Clone, Debug)]
pub struct AuthorizeRequest {
    pub domain: String,
    pub pool_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: ResponseType,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    /// Authorization code grant.
    Code,
    /// Implicit grant: tokens in the redirect's fragment.
    Token,
}

/// Which page of the managed login a flow is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginStage {
    Password,
    NewPassword {
        required_attributes: Vec<String>,
    },
    /// SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP: a code, sent to `destination` where there is one.
    Code {
        challenge: String,
        destination: Option<String>,
    },
    SelectMfa {
        options: Vec<String>,
    },
    /// MFA_SETUP with a TOTP secret associated for this sign-in.
    TotpSetup {
        secret: String,
    },
}

/// One sign-in on the login pages: the authorize request, and the Cognito challenge session.
#[derive(Clone, Debug)]
pub struct LoginFlow {
    pub request: AuthorizeRequest,
    pub stage: LoginStage,
    /// The internal username, once the password was accepted.
    pub username: Option<String>,
    /// The challenge Session of the sign-in state machine.
    pub session: Option<String>,
    pub created: i64,
}

/// An authorization code: single use, valid for `CODE_VALIDITY_SECS`.
#[derive(Clone, Debug)]
pub struct AuthorizationCode {
    pub signed_in: SignedIn,
    pub redirect_uri: String,
    pub grant: OAuthGrant,
    pub code_challenge: Option<String>,
    pub expires: i64,
}

/// The browser's managed-login session (the cookie), which lets `/oauth2/authorize` skip the
/// login page until it expires or `/logout` ends it.
#[derive(Clone, Debug)]
pub struct BrowserSession {
    pub domain: String,
    pub pool_id: String,
    pub username: String,
    pub auth_time: i64,
    pub expires: i64,
}

/// Authorization codes are valid for five minutes, as Cognito documents.
pub const CODE_VALIDITY_SECS: i64 = 300;
/// A login flow (the pages between the authorize request and the redirect) lasts 15 minutes.
pub const LOGIN_FLOW_SECS: i64 = 900;
/// The managed-login cookie lasts an hour.
pub const BROWSER_SESSION_SECS: i64 = 3600;

#[derive(Default)]
pub struct OAuthStore {
    // Configuration (persist these).
    /// domain -> its pool
    pub domains: Tracked<String, Domain>,
    /// pool id -> identifier -> resource server
    pub resource_servers: Tracked<String, BTreeMap<String, ResourceServer>>,
    /// origin_jti of a user grant -> its scopes, for refreshes (persisted with the refresh tokens).
    pub grants: Tracked<String, RememberedGrant>,
    // Short-lived.
    pub logins: HashMap<String, LoginFlow>,
    pub codes: HashMap<String, AuthorizationCode>,
    /// Codes already redeemed: their fingerprint -> (origin_jti of the tokens, expiry), so a
    /// replay can revoke what the first redemption issued.
    pub redeemed: HashMap<[u8; 32], (String, i64)>,
    pub browser_sessions: HashMap<String, BrowserSession>,
}

impl OAuthStore {
    /// The domain of a pool (prefix domain first).
    pub fn pool_domain(&self, pool_id: &str) -> Option<&Domain> {
        let mut of_pool = self.domains.values().filter(|d| d.pool_id == pool_id);
        let first = of_pool.next()?;
        Some(match first.certificate_arn {
            None => first,
            Some(_) => of_pool
                .find(|d| d.certificate_arn.is_none())
                .unwrap_or(first),
        })
    }

    /// Whether `scope` (`identifier/name`) is defined by one of the pool's resource servers.
    pub fn custom_scope_exists(&self, pool_id: &str, scope: &str) -> bool {
        let Some(servers) = self.resource_servers.get(pool_id) else {
            return false;
        };
        let Some((identifier, name)) = scope.rsplit_once('/') else {
            return false;
        };
        servers
            .get(identifier)
            .is_some_and(|rs| rs.scopes.iter().any(|s| s.name == name))
    }

    /// Drops everything that belongs to a deleted pool.
    pub fn forget_pool(&mut self, pool_id: &str) {
        self.domains.retain(|_, d| d.pool_id != pool_id);
        self.resource_servers.remove(pool_id);
        self.logins.retain(|_, f| f.request.pool_id != pool_id);
        self.codes.retain(|_, c| c.signed_in.pool_id != pool_id);
        self.browser_sessions.retain(|_, s| s.pool_id != pool_id);
    }

    /// Removes what has expired.
    pub fn sweep(&mut self, now: i64) {
        self.logins
            .retain(|_, f| now - f.created <= LOGIN_FLOW_SECS);
        self.codes.retain(|_, c| c.expires > now);
        self.redeemed.retain(|_, (_, exp)| *exp > now);
        self.browser_sessions.retain(|_, s| s.expires > now);
        // Expired grants are not written as removals: loading drops them as well.
        self.grants.expire(|g| g.expires > now);
    }
}
