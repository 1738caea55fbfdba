//! What a verifier accepts: the user pool and its issuers, the token use, the app clients, the
//! group and scope requirements, the clock leeway and the custom check.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::claims::Claims;
use crate::error::ConfigError;
use crate::requirements::{IssuerFormat, Requirement, TokenUse};

/// A group or scope requirement as configured: it must name something, and no empty name.
pub(crate) fn validated(
    requirement: Requirement,
    what: &'static str,
) -> Result<Requirement, ConfigError> {
    let names = match &requirement {
        Requirement::AnyOf(n) | Requirement::AllOf(n) => n,
    };
    if names.is_empty() || names.iter().any(String::is_empty) {
        return Err(ConfigError::EmptyRequirement { what });
    }
    Ok(requirement)
}

/// The custom claims check: `Err(reason)` refuses the token.
pub type CustomCheck = Arc<dyn Fn(&Claims) -> Result<(), String> + Send + Sync>;

/// Everything a token's claims are checked against.
#[derive(Clone)]
pub(crate) struct Rules {
    pub pool_id: String,
    pub issuers: Vec<String>,
    pub token_use: TokenUse,
    /// `None`: any app client.
    pub client_ids: Option<Vec<String>>,
    pub groups: Option<Requirement>,
    pub scopes: Option<Requirement>,
    pub leeway: Duration,
    pub custom: Option<CustomCheck>,
}

impl Rules {
    pub fn accepts_token_use(&self, found: &str) -> bool {
        self.token_use.accepts(found)
    }
}

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rules")
            .field("pool_id", &self.pool_id)
            .field("issuers", &self.issuers)
            .field("token_use", &self.token_use)
            .field("client_ids", &self.client_ids)
            .field("groups", &self.groups)
            .field("scopes", &self.scopes)
            .field("leeway", &self.leeway)
            .field("custom", &self.custom.as_ref().map(|_| "fn"))
            .finish()
    }
}

/// The region of a user pool id (`us-east-1_AbC123` → `us-east-1`), if it is one.
pub(crate) fn pool_region(pool_id: &str) -> Result<&str, ConfigError> {
    let bad = || ConfigError::UserPoolId {
        found: pool_id.to_owned(),
    };
    let (region, id) = pool_id.split_once('_').ok_or_else(bad)?;
    if !is_region(region) || id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    Ok(region)
}

/// An AWS region name: lowercase words joined by `-`, the last one a number (`eu-west-1`,
/// `us-gov-west-1`).
pub(crate) fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The issuer of a pool in one form. `region` is where the token was issued: the pool's own
/// region, or a replica's for the original form under multi-Region replication.
pub(crate) fn issuer(format: IssuerFormat, region: &str, pool_id: &str) -> String {
    match format {
        IssuerFormat::Updated => {
            format!("https://issuer-cognito-idp.{region}.amazonaws.com/{pool_id}")
        }
        IssuerFormat::Original | IssuerFormat::Both => {
            format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
        }
    }
}

/// Every issuer a pool's tokens may carry, for the forms chosen. The updated form always names
/// the primary region; the original form names the region that issued the token, so replicas
/// (`additional_regions`) add original-form issuers only.
pub(crate) fn issuers(
    format: IssuerFormat,
    pool_id: &str,
    additional_regions: &[String],
) -> Result<Vec<String>, ConfigError> {
    let primary = pool_region(pool_id)?;
    let mut out = Vec::new();
    if matches!(format, IssuerFormat::Original | IssuerFormat::Both) {
        out.push(issuer(IssuerFormat::Original, primary, pool_id));
        for r in additional_regions {
            if !is_region(r) {
                return Err(ConfigError::Region { found: r.clone() });
            }
            let iss = issuer(IssuerFormat::Original, r, pool_id);
            if !out.contains(&iss) {
                out.push(iss);
            }
        }
    }
    if matches!(format, IssuerFormat::Updated | IssuerFormat::Both) {
        out.push(issuer(IssuerFormat::Updated, primary, pool_id));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_and_regions() {
        assert_eq!(pool_region("us-east-1_AbC123").unwrap(), "us-east-1");
        assert_eq!(pool_region("us-gov-west-1_x9").unwrap(), "us-gov-west-1");
        for bad in [
            "",
            "us-east-1",
            "us-east-1_",
            "_AbC",
            "US-east-1_AbC",
            "us-east_AbC",
            "us-east-1_Ab-C",
            "us-east-1_Ab_C",
            "east-1_AbC",
            "us--1_AbC",
        ] {
            assert!(pool_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn both_issuer_forms_and_replicas() {
        let all = issuers(
            IssuerFormat::Both,
            "eu-west-1_Ab1",
            &["eu-central-1".into()],
        )
        .unwrap();
        assert_eq!(
            all,
            [
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
                "https://cognito-idp.eu-central-1.amazonaws.com/eu-west-1_Ab1",
                "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1",
            ]
        );
        assert_eq!(
            issuers(
                IssuerFormat::Updated,
                "eu-west-1_Ab1",
                &["eu-central-1".into()]
            )
            .unwrap(),
            ["https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab1"]
        );
        assert!(matches!(
            issuers(IssuerFormat::Both, "eu-west-1_Ab1", &["Mars".into()]),
            Err(ConfigError::Region { .. })
        ));
    }

    #[test]
    fn requirements() {
        let any = Requirement::AnyOf(vec!["a".into(), "b".into()]);
        let all = Requirement::AllOf(vec!["a".into(), "b".into()]);
        assert!(any.is_met(["x", "b"].into_iter()));
        assert!(!any.is_met(["x"].into_iter()));
        assert!(all.is_met(["b", "x", "a"].into_iter()));
        assert!(!all.is_met(["a"].into_iter()));
        assert!(validated(Requirement::AnyOf(vec![]), "groups").is_err());
        assert!(validated(Requirement::AllOf(vec!["".into()]), "scopes").is_err());
    }
}
