//! What a token must be, as a verifier's settings say it: its use (`token_use`), the groups or
//! scopes it must carry, and the issuer forms accepted for the pool.

use std::fmt;

/// Which tokens a verifier accepts, by their `token_use` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// Access tokens (`token_use` = `access`): the app client is `client_id`.
    Access,
    /// ID tokens (`token_use` = `id`): the app client is `aud`.
    Id,
    /// Either kind.
    Either,
}

impl TokenUse {
    /// `access`, `id`, or `id or access`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Access => "access",
            TokenUse::Id => "id",
            TokenUse::Either => "id or access",
        }
    }

    pub(crate) fn accepts(self, found: &str) -> bool {
        match self {
            TokenUse::Access => found == "access",
            TokenUse::Id => found == "id",
            TokenUse::Either => found == "access" || found == "id",
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenUse::Either => f.write_str("\"id\" or \"access\""),
            other => write!(f, "{:?}", other.as_str()),
        }
    }
}

/// A requirement on a list of names (groups, scopes): at least one of them, or all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// The token has at least one of these (aws-jwt-verify's `groups` / `scope` semantics).
    AnyOf(Vec<String>),
    /// The token has every one of these.
    AllOf(Vec<String>),
}

impl Requirement {
    pub(crate) fn is_met<'a>(&self, found: impl Iterator<Item = &'a str> + Clone) -> bool {
        match self {
            Requirement::AnyOf(want) => found.clone().any(|f| want.iter().any(|w| w == f)),
            Requirement::AllOf(want) => want.iter().all(|w| found.clone().any(|f| f == w)),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requirement::AnyOf(n) => write!(f, "any of {n:?}"),
            Requirement::AllOf(n) => write!(f, "all of {n:?}"),
        }
    }
}

/// Which issuer forms a verifier accepts for its pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IssuerFormat {
    /// Both forms (the default), as a pool may switch between them.
    #[default]
    Both,
    /// `https://cognito-idp.{region}.amazonaws.com/{poolId}` only (Cognito's ORIGINAL type).
    Original,
    /// `https://issuer-cognito-idp.{region}.amazonaws.com/{poolId}` only (Cognito's UPDATED
    /// type, recommended for multi-Region replication; the region is the pool's primary one).
    Updated,
}
