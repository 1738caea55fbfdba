//! Signing in: an authenticator that records its events, and the project's own SRP login with
//! the bare generated calls and `srp-core` (what the emulator's tests check it against).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cognito_idp::auth::{AuthConfig, AuthEvent, Authenticator, RememberedDevice, Secret};
use cognito_idp::types::{AuthFlowType, AuthenticationResultType, ChallengeNameType};
use cognito_idp::Client;

use super::{client, Pool};

/// The events an authenticator reported, in order.
pub type Events = Arc<Mutex<Vec<AuthEvent>>>;

/// An authenticator for the pool (with its secret, if any), recording every event.
pub fn auth(pool: &Pool, device: Option<RememberedDevice>) -> (Authenticator, Events) {
    let events: Events = Arc::default();
    let sink = events.clone();
    let config = AuthConfig::new(&pool.id, &pool.client_id)
        .with_optional_client_secret(pool.client_secret.clone().map(Secret::new))
        .with_device(device)
        .with_observer(move |e| sink.lock().unwrap().push(e.clone()));
    let auth = Authenticator::new(client(&pool.url), config).expect("authenticator");
    (auth, events)
}

/// Challenge names seen, in order.
pub fn challenges(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            AuthEvent::Challenge { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// USERNAMEs sent in challenge answers, in order.
pub fn answered_as(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            AuthEvent::Respond { username, .. } => Some(username.clone()),
            _ => None,
        })
        .collect()
}

/// A map of strings from pairs.
pub fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Result of [`srp_login`].
#[derive(Debug)]
pub enum Login {
    Tokens(AuthenticationResultType),
    Challenge(ChallengeNameType, Option<String>, HashMap<String, String>),
}

/// USER_SRP_AUTH with the generated client and srp-core's client role.
pub async fn srp_login(
    client: &Client,
    pool_id: &str,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
) -> Result<Login, String> {
    let srp = srp_core::SrpClient::new().map_err(|e| e.to_string())?;
    let mut initiate = client
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(client_id)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", srp.srp_a());
    if let Some(s) = secret {
        initiate =
            initiate.auth_parameters("SECRET_HASH", srp_core::secret_hash(s, username, client_id));
    }
    let out = initiate.send().await.map_err(|e| e.to_string())?;
    let p = out.challenge_parameters.unwrap_or_default();
    let user_id = p.get("USER_ID_FOR_SRP").cloned().unwrap_or_default();
    let name = p
        .get("USERNAME")
        .cloned()
        .unwrap_or_else(|| user_id.clone());
    let challenge = srp_core::PasswordVerifierChallenge {
        salt: p.get("SALT").map(String::as_str).unwrap_or_default(),
        srp_b: p.get("SRP_B").map(String::as_str).unwrap_or_default(),
        secret_block: p
            .get("SECRET_BLOCK")
            .map(String::as_str)
            .unwrap_or_default(),
    };
    let claim = srp
        .user_password_claim(
            srp_core::pool_name(pool_id).map_err(|e| e.to_string())?,
            &user_id,
            password,
            &challenge,
            &srp_core::Timestamp::now().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    let mut req = client
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", name.as_str())
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block.as_str())
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", claim.signature.as_str())
        .challenge_responses("TIMESTAMP", claim.timestamp.as_str());
    if let Some(s) = secret {
        req = req.challenge_responses("SECRET_HASH", srp_core::secret_hash(s, &name, client_id));
    }
    if let Some(s) = out.session {
        req = req.session(s);
    }
    let out = req.send().await.map_err(|e| e.to_string())?;
    match (out.authentication_result, out.challenge_name) {
        (Some(r), _) => Ok(Login::Tokens(r)),
        (None, Some(c)) => Ok(Login::Challenge(
            c,
            out.session,
            out.challenge_parameters.unwrap_or_default(),
        )),
        (None, None) => Err("neither tokens nor a challenge".into()),
    }
}
