//! The claim checks, in order: claim types, `iss`, `exp`, `nbf`, `iat`, `token_use`, the app
//! client, groups, scopes, then the custom check. They run only after the signature verified,
//! so no error ever describes claims an attacker wrote.

use std::time::SystemTime;

use serde_json::Value;

use crate::claims::Claims;
use crate::error::VerifyError;
use crate::rules::Rules;

/// Registered claims and the JSON type each must have when present (what aws-jwt-verify and
/// Cognito's own tokens agree on).
const TYPES: &[(&str, Kind)] = &[
    ("iss", Kind::String),
    ("sub", Kind::String),
    ("jti", Kind::String),
    ("token_use", Kind::String),
    ("client_id", Kind::String),
    ("scope", Kind::String),
    ("aud", Kind::StringOrStrings),
    ("cognito:groups", Kind::Strings),
    ("exp", Kind::Number),
    ("nbf", Kind::Number),
    ("iat", Kind::Number),
];

#[derive(Clone, Copy)]
enum Kind {
    String,
    Strings,
    StringOrStrings,
    Number,
}

impl Kind {
    fn matches(self, v: &Value) -> bool {
        let strings = |v: &Value| matches!(v, Value::Array(a) if a.iter().all(Value::is_string));
        match self {
            Kind::String => v.is_string(),
            Kind::Strings => strings(v),
            Kind::StringOrStrings => v.is_string() || strings(v),
            Kind::Number => v.is_number(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Strings => "a list of strings",
            Kind::StringOrStrings => "a string or a list of strings",
            Kind::Number => "a number",
        }
    }
}

/// Every claim check for a token whose signature verified.
pub(crate) fn check(rules: &Rules, claims: &Claims, now: SystemTime) -> Result<(), VerifyError> {
    check_types(claims)?;
    check_issuer(rules, claims)?;
    check_times(rules, claims, now)?;
    let token_use = check_token_use(rules, claims)?;
    check_client(rules, claims, token_use)?;
    check_groups(rules, claims)?;
    check_scopes(rules, claims)?;
    if let Some(custom) = &rules.custom {
        custom(claims).map_err(|reason| VerifyError::Rejected { reason })?;
    }
    Ok(())
}

fn check_types(claims: &Claims) -> Result<(), VerifyError> {
    for &(claim, kind) in TYPES {
        if let Some(v) = claims.get(claim) {
            if !kind.matches(v) {
                return Err(VerifyError::ClaimType {
                    claim,
                    expected: kind.name(),
                });
            }
        }
    }
    Ok(())
}

fn required_str<'c>(claims: &'c Claims, claim: &'static str) -> Result<&'c str, VerifyError> {
    claims
        .get_str(claim)
        .ok_or(VerifyError::MissingClaim { claim })
}

fn check_issuer(rules: &Rules, claims: &Claims) -> Result<(), VerifyError> {
    let iss = required_str(claims, "iss")?;
    if rules.issuers.iter().any(|i| i == iss) {
        return Ok(());
    }
    Err(VerifyError::Issuer {
        found: iss.to_owned(),
        expected: rules.issuers.clone(),
    })
}

/// `exp` must be after now, `nbf` and `iat` not after now, each with the leeway (RFC 7519
/// 4.1.4-4.1.6). Cognito sets `exp` and `iat` on every token, so both are required.
fn check_times(rules: &Rules, claims: &Claims, now: SystemTime) -> Result<(), VerifyError> {
    let now_f = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let now_s = now_f as u64;
    let leeway = rules.leeway.as_secs_f64();
    let leeway_s = rules.leeway.as_secs();
    let number = |claim| claims.get(claim).and_then(Value::as_f64);

    let exp = number("exp").ok_or(VerifyError::MissingClaim { claim: "exp" })?;
    if now_f >= exp + leeway {
        return Err(VerifyError::Expired {
            exp,
            now: now_s,
            leeway: leeway_s,
        });
    }
    if let Some(nbf) = number("nbf") {
        if nbf > now_f + leeway {
            return Err(VerifyError::NotYetValid {
                nbf,
                now: now_s,
                leeway: leeway_s,
            });
        }
    }
    let iat = number("iat").ok_or(VerifyError::MissingClaim { claim: "iat" })?;
    if iat > now_f + leeway {
        return Err(VerifyError::IssuedInFuture {
            iat,
            now: now_s,
            leeway: leeway_s,
        });
    }
    Ok(())
}

fn check_token_use<'c>(rules: &Rules, claims: &'c Claims) -> Result<&'c str, VerifyError> {
    let found = required_str(claims, "token_use")?;
    if rules.accepts_token_use(found) {
        return Ok(found);
    }
    Err(VerifyError::TokenUse {
        found: found.to_owned(),
        expected: rules.token_use,
    })
}

/// Access tokens name their app client in `client_id` and have no `aud`; ID tokens name it in
/// `aud`, a single string as Cognito writes it.
fn check_client(rules: &Rules, claims: &Claims, token_use: &str) -> Result<(), VerifyError> {
    let Some(expected) = &rules.client_ids else {
        return Ok(());
    };
    let claim = if token_use == "id" {
        "aud"
    } else {
        "client_id"
    };
    let found = match claims.get(claim) {
        None => return Err(VerifyError::MissingClaim { claim }),
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(VerifyError::ClaimType {
                claim,
                expected: "a string",
            })
        }
    };
    if expected.iter().any(|e| e == found) {
        return Ok(());
    }
    Err(VerifyError::ClientId {
        claim,
        found: found.clone(),
        expected: expected.clone(),
    })
}

fn check_groups(rules: &Rules, claims: &Claims) -> Result<(), VerifyError> {
    let Some(required) = &rules.groups else {
        return Ok(());
    };
    if claims.get("cognito:groups").is_none() {
        return Err(VerifyError::MissingClaim {
            claim: "cognito:groups",
        });
    }
    let found = claims.groups();
    if required.is_met(found.iter().copied()) {
        return Ok(());
    }
    Err(VerifyError::Groups {
        found: found.into_iter().map(str::to_owned).collect(),
        required: required.clone(),
    })
}

fn check_scopes(rules: &Rules, claims: &Claims) -> Result<(), VerifyError> {
    let Some(required) = &rules.scopes else {
        return Ok(());
    };
    required_str(claims, "scope")?;
    let found = claims.scopes();
    if required.is_met(found.iter().copied()) {
        return Ok(());
    }
    Err(VerifyError::Scopes {
        found: found.into_iter().map(str::to_owned).collect(),
        required: required.clone(),
    })
}
