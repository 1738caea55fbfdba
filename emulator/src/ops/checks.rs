//! Checks of request values that several operations make: model enum values, SECRET_HASH.

use crate::error::{ApiError, ApiResult};
use crate::store::AppClient;

/// Refuses a value of a model enum that the model does not know, as Cognito does.
pub(crate) fn known<E: crate::model::ModelEnum>(path: &str, value: &E) -> ApiResult<()> {
    if value.is_known() {
        Ok(())
    } else {
        Err(ApiError::not_in_enum(path, value.wire(), E::known_values()))
    }
}

/// Checks SECRET_HASH for clients with a secret, computed over `username` as sent.
pub(crate) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    if !client.has_secret() {
        return Ok(());
    }
    let Some(provided) = provided else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.id
        )));
    };
    if client.secret_hash_matches(username, provided) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// SignUp and ConfirmSignUp take the hash as `SecretHash` and word the missing case differently.
pub(crate) fn check_sign_up_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> ApiResult<()> {
    if client.has_secret() && provided.is_none() {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        )));
    }
    check_secret_hash(client, username, provided)
}
