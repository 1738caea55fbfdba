//! Identities: GetId (one identity per user and provider, a new one per unauthenticated
//! call), DescribeIdentity, ListIdentities, DeleteIdentities, UnlinkIdentity.

use serde_json::{json, Value};

use super::input::max_results;
use super::logins::{check_login, logins_member, verify_signatures, VerifiedLogin};
use super::region_ids::{check_id, new_id, region_of};
use super::state::{unknown_identity, Identity, IdentityPool, IdentityState};
use crate::error::{ApiError, ApiResult};
use crate::identity::Input;
use crate::ops::context::Ctx;
use crate::store::Store;

fn unauthenticated_refused() -> ApiError {
    ApiError::not_authorized("Unauthenticated access is not supported for this identity pool.")
}

pub(super) fn logins_do_not_match() -> ApiError {
    ApiError::not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or \
         identity pool.",
    )
}

/// Verifies the request's logins against the identity pool (signatures were checked by the
/// caller without the lock).
pub(super) fn verify_all(
    store: &Store,
    pool: &IdentityPool,
    signed: Vec<(String, serde_json::Map<String, Value>)>,
    now: i64,
) -> ApiResult<Vec<VerifiedLogin>> {
    signed
        .into_iter()
        .map(|(provider, claims)| check_login(store, pool, &provider, claims, now))
        .collect()
}

/// The identity of these logins in `pool_id`, created (or extended with new logins) as needed.
pub(super) fn identity_for(
    state: &mut IdentityState,
    pool_id: &str,
    logins: &[VerifiedLogin],
    now: i64,
) -> ApiResult<String> {
    let mut found: Option<String> = None;
    for login in logins {
        let key = (
            pool_id.to_owned(),
            login.provider.clone(),
            login.subject.clone(),
        );
        if let Some(id) = state.by_login.get(&key) {
            match &found {
                Some(other) if other != id => {
                    return Err(ApiError::new(
                        "ResourceConflictException",
                        "The logins belong to different identities.",
                    ))
                }
                _ => found = Some(id.clone()),
            }
        }
    }
    let id = match found {
        Some(id) => id,
        None => {
            let id = new_id(region_of(pool_id))?;
            state.identities.insert(
                id.clone(),
                Identity {
                    id: id.clone(),
                    pool_id: pool_id.to_owned(),
                    logins: Default::default(),
                    created: now,
                    modified: now,
                },
            );
            id
        }
    };
    link(state, &id, logins, now)?;
    Ok(id)
}

/// Adds logins to an identity (a login already there is left as it is). An identity whose
/// logins are all there already is not touched, so a repeated GetId writes nothing.
pub(super) fn link(
    state: &mut IdentityState,
    identity_id: &str,
    logins: &[VerifiedLogin],
    now: i64,
) -> ApiResult<()> {
    let current = state
        .identities
        .get(identity_id)
        .ok_or_else(|| unknown_identity(identity_id))?;
    let pool_id = current.pool_id.clone();
    let new: Vec<&VerifiedLogin> = logins
        .iter()
        .filter(|l| current.logins.get(&l.provider) != Some(&l.subject))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let identity = state
        .identities
        .get_mut(identity_id)
        .ok_or_else(|| unknown_identity(identity_id))?;
    for login in new {
        identity
            .logins
            .insert(login.provider.clone(), login.subject.clone());
        identity.modified = now;
        state.by_login.insert(
            (
                pool_id.clone(),
                login.provider.clone(),
                login.subject.clone(),
            ),
            identity_id.to_owned(),
        );
    }
    Ok(())
}

pub(super) fn get_id(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", pool_id)?;
    if let Some(account) = input.opt_str("AccountId")? {
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{account}' at 'accountId' failed to satisfy \
                 constraint: Member must satisfy regular expression pattern: \\d+ (12 digits)"
            )));
        }
    }
    let signed = verify_signatures(&ctx.shared.keys, &logins_member(input)?)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool = store.identity.pool(pool_id)?;
    let verified = verify_all(&store, pool, signed, now)?;
    if verified.is_empty() && !pool.allow_unauthenticated {
        return Err(unauthenticated_refused());
    }
    let id = identity_for(&mut store.identity, pool_id, &verified, now)?;
    Ok(json!({ "IdentityId": id }))
}

/// Refuses an unauthenticated use of a pool that does not allow it.
pub(super) fn check_unauthenticated(pool: &IdentityPool) -> ApiResult<()> {
    if pool.allow_unauthenticated {
        Ok(())
    } else {
        Err(unauthenticated_refused())
    }
}

fn identity_json(i: &Identity) -> Value {
    json!({
        "IdentityId": i.id,
        "Logins": i.logins.keys().collect::<Vec<_>>(),
        "CreationDate": i.created,
        "LastModifiedDate": i.modified,
    })
}

pub(super) fn describe_identity(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    check_id("IdentityId", id)?;
    let store = ctx.store();
    let identity = store
        .identity
        .identities
        .get(id)
        .ok_or_else(|| unknown_identity(id))?;
    Ok(identity_json(identity))
}

pub(super) fn list_identities(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let pool_id = input.str("IdentityPoolId")?;
    check_id("IdentityPoolId", pool_id)?;
    let max = max_results(input)?;
    let hide_disabled = input.opt_bool("HideDisabled")?.unwrap_or(false);
    let after = input.opt_str("NextToken")?;
    let store = ctx.store();
    store.identity.pool(pool_id)?;
    let _ = hide_disabled; // identities are never disabled here
    let mut matching: Vec<&Identity> = store
        .identity
        .identities
        .values()
        .filter(|i| i.pool_id == pool_id)
        .filter(|i| after.map_or(true, |a| i.id.as_str() > a))
        .collect();
    matching.sort_by(|a, b| a.id.cmp(&b.id));
    let page = &matching[..matching.len().min(max)];
    let mut out = json!({
        "IdentityPoolId": pool_id,
        "Identities": page.iter().map(|i| identity_json(i)).collect::<Vec<_>>(),
    });
    if matching.len() > max {
        if let Some(last) = page.last() {
            out["NextToken"] = json!(last.id);
        }
    }
    Ok(out)
}

pub(super) fn delete_identities(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let ids = input
        .opt_string_list("IdentityIdsToDelete")?
        .ok_or_else(|| ApiError::missing_member("IdentityIdsToDelete"))?;
    if ids.is_empty() || ids.len() > 60 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy \
             constraint: Member must have length between 1 and 60",
        ));
    }
    let mut store = ctx.store();
    let state = &mut store.identity;
    let mut unprocessed = Vec::new();
    for id in ids {
        match state.identities.remove(&id) {
            Some(identity) => {
                for (provider, subject) in identity.logins {
                    state
                        .by_login
                        .remove(&(identity.pool_id.clone(), provider, subject));
                }
            }
            None => unprocessed.push(json!({"IdentityId": id, "ErrorCode": "InternalServerError"})),
        }
    }
    Ok(json!({ "UnprocessedIdentityIds": unprocessed }))
}

pub(super) fn unlink_identity(ctx: &Ctx<'_>, input: &Input<'_>) -> ApiResult<Value> {
    let id = input.str("IdentityId")?;
    check_id("IdentityId", id)?;
    let remove = input
        .opt_string_list("LoginsToRemove")?
        .ok_or_else(|| ApiError::missing_member("LoginsToRemove"))?;
    let signed = verify_signatures(&ctx.shared.keys, &logins_member(input)?)?;
    let now = ctx.now();
    let mut store = ctx.store();
    let pool_id = store
        .identity
        .identities
        .get(id)
        .map(|i| i.pool_id.clone())
        .ok_or_else(|| unknown_identity(id))?;
    let pool = store.identity.pool(&pool_id)?;
    let verified = verify_all(&store, pool, signed, now)?;
    let identity = store
        .identity
        .identities
        .get(id)
        .ok_or_else(|| unknown_identity(id))?;
    let owns = verified
        .iter()
        .any(|l| identity.logins.get(&l.provider) == Some(&l.subject));
    if !owns {
        return Err(logins_do_not_match());
    }
    let state = &mut store.identity;
    if let Some(identity) = state.identities.get_mut(id) {
        for provider in remove {
            if let Some(subject) = identity.logins.remove(&provider) {
                state.by_login.remove(&(pool_id.clone(), provider, subject));
                identity.modified = now;
            }
        }
    }
    Ok(json!({}))
}
