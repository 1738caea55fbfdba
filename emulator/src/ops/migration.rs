//! UserMigration: a sign-in (USER_PASSWORD_AUTH) or ForgotPassword for a user the pool does not
//! have asks the trigger, and a user it returns is created on the spot, as Cognito does.

use std::collections::BTreeMap;

use super::context::Ctx;
use super::lambda;
use super::passwords::make_password;
use super::signup::new_user;
use crate::error::{ApiError, ApiResult};
use crate::store::UserStatus;

/// Creates the user the UserMigration trigger returns for `username`; false if the pool has no
/// such trigger or the trigger does not know the user.
pub(super) fn migrate(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    password: Option<&str>,
    source: &str,
    metadata: Option<&BTreeMap<String, String>>,
) -> ApiResult<bool> {
    let pool_id = ctx.store().client_pool_id(client_id)?;
    let Some(migrated) = lambda::user_migration(
        ctx, &pool_id, client_id, username, password, source, metadata,
    )?
    else {
        return Ok(false);
    };
    let (mut user, realm) = {
        let store = ctx.store();
        let pool = store.pool(&pool_id)?;
        let attributes = migrated.attributes.into_iter().collect();
        (
            new_user(ctx, pool, username, attributes, false)?,
            pool.srp_realm().to_owned(),
        )
    };
    if let Some(p) = password {
        user.password = Some(make_password(&realm, &user.username, p, None)?);
    }
    user.status = if migrated.reset_required || password.is_none() {
        UserStatus::ResetRequired
    } else {
        UserStatus::Confirmed
    };
    let mut store = ctx.store();
    let pool = store.pool_mut(&pool_id)?;
    let key = pool.user_key(&user.username);
    if pool.users.contains_key(&key) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    pool.users.insert(key, user);
    Ok(true)
}
