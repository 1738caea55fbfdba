//! Passwords: the pool's policy, and how a password is stored (its SRP verifier and a salted
//! digest) and matched. The operations that set or change one are in `password.rs`,
//! `signup.rs`, `users.rs` and `challenges.rs`.

use sha2::{Digest, Sha256};
use srp_core::Verifier;

use crate::error::{ApiError, ApiResult};
use crate::guard::constant_time_eq;
use crate::store::{Password, Pool, User};

/// Checks a new password against the pool's policy, with Cognito's messages.
pub(crate) fn check_policy(pool: &Pool, password: &str) -> ApiResult<()> {
    let p = &pool.policy;
    let fail = |why: &str| {
        Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        ))
    };
    if password.chars().count() < p.minimum_length {
        return fail("Password not long enough");
    }
    if p.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if p.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if p.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if p.require_symbols
        && !password
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// Stores a password: its SRP verifier (identity = internal username) and a salted digest.
pub(crate) fn make_password(
    realm: &str,
    username: &str,
    password: &str,
    temporary_expires: Option<i64>,
) -> ApiResult<Password> {
    let verifier = Verifier::generate(realm, username, password)
        .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let salt = crate::ids::random_bytes(16).map_err(|_| ApiError::internal("no randomness"))?;
    Ok(Password {
        digest: digest(&salt, password),
        salt,
        verifier,
        temporary_expires,
    })
}

fn digest(salt: &[u8], password: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(password.as_bytes());
    h.finalize().into()
}

pub(crate) fn password_matches(user: &User, password: &str) -> bool {
    match &user.password {
        Some(p) => constant_time_eq(&digest(&p.salt, password), &p.digest),
        None => false,
    }
}
