//! The bridge between the managed login pages (`crate::oauth`) and the sign-in state machine:
//! the pages sign users in through the same code as InitiateAuth and RespondToAuthChallenge
//! (password policy, user state, MFA, NEW_PASSWORD_REQUIRED, attempt limits), but a completed
//! sign-in is handed back instead of tokens; the token endpoint issues those later, with the
//! OAuth grant's scopes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::Ctx;
use super::issue::{issue, Grant};
use super::request::AuthRequest;
use super::run::finish;
use super::step::Step;
use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::oauth::state::{OAuthGrant, SignedIn};
use crate::shared::Shared;

/// Where a sign-in on the login pages stands.
pub(crate) enum HostedStep {
    Challenge {
        name: String,
        session: String,
        parameters: BTreeMap<String, String>,
    },
    SignedIn(SignedIn),
}

/// SECRET_HASH for the client, when it has a secret: the pages act for the client, which the
/// emulator knows.
fn secret_hash(shared: &Shared, client_id: &str, username: &str) -> ApiResult<Option<String>> {
    let store = shared.store();
    let pool_id = store.client_pool_id(client_id)?;
    let client = store.pool(&pool_id)?.client(client_id)?;
    Ok(client
        .first_secret()
        .map(|s| srp_core::secret_hash(s, username, client_id)))
}

fn outcome(ctx: Ctx<'_>, step: Step) -> ApiResult<HostedStep> {
    if let Some(signed_in) = ctx.hosted_sign_in.as_ref().and_then(|slot| slot.take()) {
        return Ok(HostedStep::SignedIn(signed_in));
    }
    match step {
        Step::Challenge {
            name,
            session,
            parameters,
            ..
        } => Ok(HostedStep::Challenge {
            name,
            session,
            parameters,
        }),
        _ => Err(ApiError::internal(
            "the sign-in ended without tokens or a challenge",
        )),
    }
}

/// The password page: the client's ExplicitAuthFlows do not apply to managed login.
pub(crate) fn sign_in(
    shared: &Shared,
    client_id: &str,
    username: &str,
    password: &str,
) -> ApiResult<HostedStep> {
    let mut params = BTreeMap::new();
    params.insert("USERNAME".to_owned(), username.to_owned());
    params.insert("PASSWORD".to_owned(), password.to_owned());
    if let Some(hash) = secret_hash(shared, client_id, username)? {
        params.insert("SECRET_HASH".to_owned(), hash);
    }
    let req = AuthRequest {
        client_id: client_id.to_owned(),
        flow: "USER_PASSWORD_AUTH".to_owned(),
        params,
        metadata: BTreeMap::new(),
    };
    let ctx = Ctx::for_hosted_ui(shared);
    let step = super::auth::user_password_auth(&ctx, &req, None)?;
    outcome(ctx, step)
}

/// An answer to the challenge the flow is on (NEW_PASSWORD_REQUIRED, an MFA code,
/// SELECT_MFA_TYPE, MFA_SETUP).
pub(crate) fn respond(
    shared: &Shared,
    client_id: &str,
    session: &str,
    challenge: &str,
    username: &str,
    mut responses: BTreeMap<String, String>,
) -> ApiResult<HostedStep> {
    responses.insert("USERNAME".to_owned(), username.to_owned());
    if let Some(hash) = secret_hash(shared, client_id, username)? {
        responses.insert("SECRET_HASH".to_owned(), hash);
    }
    let ctx = Ctx::for_hosted_ui(shared);
    let step = super::challenges::respond(&ctx, client_id, challenge, responses, Some(session))?;
    outcome(ctx, step)
}

/// MFA_SETUP: associates a TOTP secret with the sign-in. Returns (secret, new session).
pub(crate) fn associate_totp(shared: &Shared, session: &str) -> ApiResult<(String, String)> {
    let ctx = Ctx::for_hosted_ui(shared);
    let (secret, next) = super::mfa::associate(&ctx, None, Some(session))?;
    Ok((secret, next.unwrap_or_default()))
}

/// MFA_SETUP: checks the first code of the new authenticator. Returns the new session.
pub(crate) fn verify_totp(shared: &Shared, session: &str, code: &str) -> ApiResult<String> {
    let ctx = Ctx::for_hosted_ui(shared);
    let next = super::mfa::verify(&ctx, None, Some(session), code)?;
    Ok(next.unwrap_or_default())
}

/// Tokens for a user who signed in on the login pages (authorization code or implicit grant):
/// Cognito's AuthenticationResult, with the grant's scopes, nonce and no ID token without
/// `openid`.
pub(crate) fn issue_tokens(
    shared: &Shared,
    signed_in: &SignedIn,
    grant: OAuthGrant,
) -> ApiResult<Value> {
    let ctx = Ctx::new(shared, None, "HostedUI");
    let step = {
        let mut store = ctx.store();
        issue(
            &ctx,
            &mut store,
            Grant {
                pool_id: &signed_in.pool_id,
                client_id: &signed_in.client_id,
                username: &signed_in.username,
                device_key: None,
                auth_time: signed_in.auth_time,
                refreshing: None,
                new_device: false,
                source: "TokenGeneration_HostedAuth",
                client_metadata: None,
                oauth: Some(grant),
            },
        )?
    };
    finish(ctx, tokens_value(step)?)
}

/// The AuthenticationResult of a step that granted tokens, as the token endpoint reads it.
fn tokens_value(step: Step) -> ApiResult<Value> {
    match step {
        Step::Tokens(result) => Ok(serde_json::json!({
            "AuthenticationResult": crate::protocol::encode(&result)?
        })),
        _ => Err(ApiError::internal("no tokens were granted")),
    }
}

/// The token endpoint's refresh_token grant (the client has been authenticated there).
pub(crate) fn refresh(shared: &Shared, client_id: &str, refresh_token: &str) -> ApiResult<Value> {
    let ctx = Ctx::new(shared, None, "HostedUI");
    let step = super::auth::refresh_with(&ctx, client_id, refresh_token, None, |_, _, _| Ok(()))?;
    finish(ctx, tokens_value(step)?)
}

/// RevokeToken for the revocation endpoint (the client has been authenticated there).
pub(crate) fn revoke(shared: &Shared, client_id: &str, token: &str) -> ApiResult<()> {
    let secret = {
        let store = shared.store();
        let pool_id = store.client_pool_id(client_id)?;
        store
            .pool(&pool_id)?
            .client(client_id)?
            .first_secret()
            .map(str::to_owned)
    };
    let input = m::RevokeTokenInput {
        token: token.to_owned(),
        client_id: client_id.to_owned(),
        client_secret: secret,
    };
    let ctx = Ctx::new(shared, None, "HostedUI");
    super::account::revoke_token(&ctx, input).map(|_| ())
}

/// The user behind an access token this emulator issued and still honours:
/// (pool id, internal username).
pub(crate) fn access_token_user(shared: &Shared, token: &str) -> ApiResult<(String, String)> {
    let ctx = Ctx::new(shared, None, "HostedUI");
    let store = ctx.store();
    let (pool_id, username, _) = super::issue::check_access_token(&ctx, &store, token)?;
    Ok((pool_id, username))
}
