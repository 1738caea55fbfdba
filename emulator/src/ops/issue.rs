//! Tokens: the ID and access JWTs with Cognito's claims, opaque refresh tokens, and the
//! records that let GetUser, refresh, sign-out and revocation check them later.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::context::Ctx;
use super::lambda::{self, EventUser};
use super::step::Step;
use super::unsigned::{TokenContext, Unsigned};
use crate::error::{no_randomness, ApiError, ApiResult};
use crate::ids;
use crate::model as m;
use crate::oauth::state::{OAuthGrant, RememberedGrant, SignedIn};
use crate::shared::Shared;
use crate::store::{AccessRecord, Device, RefreshRecord, Store};
use crate::tokens;

/// What the tokens are for.
pub(super) struct Grant<'a> {
    pub pool_id: &'a str,
    pub client_id: &'a str,
    pub username: &'a str,
    pub device_key: Option<&'a str>,
    pub auth_time: i64,
    /// Refreshing: the origin of the refresh token, and no new refresh token.
    pub refreshing: Option<String>,
    /// Whether to hand out NewDeviceMetadata (pools with device tracking, no device sent).
    pub new_device: bool,
    /// PreTokenGeneration's triggerSource (`TokenGeneration_Authentication`, ...).
    pub source: &'static str,
    pub client_metadata: Option<&'a BTreeMap<String, String>>,
    /// A grant of the OAuth endpoints: its scopes and nonce go into the tokens. Refreshing
    /// finds the scopes of the original grant itself.
    pub oauth: Option<OAuthGrant>,
}

pub(super) fn issue(ctx: &Ctx<'_>, store: &mut Store, grant: Grant<'_>) -> ApiResult<Step> {
    if let Some(slot) = &ctx.hosted_sign_in {
        // The login pages issue an authorization code; tokens come from the token endpoint.
        slot.replace(Some(SignedIn {
            pool_id: grant.pool_id.to_owned(),
            client_id: grant.client_id.to_owned(),
            username: grant.username.to_owned(),
            auth_time: grant.auth_time,
        }));
        return Ok(Step::HostedSignedIn);
    }
    let now = ctx.now();
    let oauth = grant.oauth.clone().or_else(|| {
        let origin = grant.refreshing.as_ref()?;
        let remembered = store.oauth.grants.get(origin)?;
        Some(OAuthGrant {
            scopes: remembered.scopes.clone(),
            nonce: None,
        })
    });
    let pool = store.pool(grant.pool_id)?;
    let client = pool.client(grant.client_id)?;
    let user = pool.user(grant.username)?;
    let (access_validity, id_validity, refresh_validity) = (
        client.access_validity_secs,
        client.id_validity_secs,
        client.refresh_validity_secs,
    );
    let origin_jti = match &grant.refreshing {
        Some(o) => o.clone(),
        None => ids::uuid_v4().map_err(no_randomness)?,
    };
    let event_id = ids::uuid_v4().map_err(no_randomness)?;
    let iss = tokens::issuer(grant.pool_id);

    let mut access = Map::new();
    access.insert("sub".into(), json!(user.sub));
    if let Some(d) = grant.device_key {
        access.insert("device_key".into(), json!(d));
    }
    access.insert("iss".into(), json!(iss));
    access.insert("client_id".into(), json!(grant.client_id));
    access.insert("origin_jti".into(), json!(origin_jti));
    access.insert("event_id".into(), json!(event_id));
    access.insert("token_use".into(), json!("access"));
    let scope = match &oauth {
        Some(g) => g.scope_claim(),
        None => "aws.cognito.signin.user.admin".to_owned(),
    };
    access.insert("scope".into(), json!(scope));
    access.insert("auth_time".into(), json!(grant.auth_time));
    access.insert("exp".into(), json!(now + access_validity));
    access.insert("iat".into(), json!(now));
    access.insert("jti".into(), json!(ids::uuid_v4().map_err(no_randomness)?));
    access.insert("username".into(), json!(user.username));
    if oauth.is_some() {
        access.insert("version".into(), json!(2));
    }
    let groups = super::groups::groups_of(pool, &user.groups);
    let group_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    if !group_names.is_empty() {
        access.insert("cognito:groups".into(), json!(group_names));
    }

    let mut id = Map::new();
    id.insert("sub".into(), json!(user.sub));
    for (k, v) in &user.attributes {
        let value = if k.ends_with("_verified") {
            json!(v == "true")
        } else {
            json!(v)
        };
        id.insert(k.clone(), value);
    }
    if !group_names.is_empty() {
        id.insert("cognito:groups".into(), json!(group_names));
        let (roles, preferred) = crate::store::group_roles(&groups);
        if !roles.is_empty() {
            id.insert("cognito:roles".into(), json!(roles));
        }
        if let Some(p) = preferred {
            id.insert("cognito:preferred_role".into(), json!(p));
        }
    }
    id.insert("iss".into(), json!(iss));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert("origin_jti".into(), json!(origin_jti));
    id.insert("aud".into(), json!(grant.client_id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(grant.auth_time));
    id.insert("exp".into(), json!(now + id_validity));
    id.insert("iat".into(), json!(now));
    id.insert("jti".into(), json!(ids::uuid_v4().map_err(no_randomness)?));
    if let Some(nonce) = oauth.as_ref().and_then(|g| g.nonce.as_ref()) {
        id.insert("nonce".into(), json!(nonce));
    }
    // The OAuth endpoints issue an ID token only for the `openid` scope.
    let id = match &oauth {
        Some(g) if !g.has("openid") => None,
        _ => Some(id),
    };

    let generation = user.token_generation;
    let internal_name = user.username.clone();
    let region = crate::store::region_of(grant.pool_id).to_owned();

    let mut result = m::AuthenticationResultType {
        access_token: None,
        expires_in: Some(access_validity.min(i64::from(i32::MAX)) as i32),
        token_type: Some("Bearer".to_owned()),
        refresh_token: None,
        id_token: None,
        new_device_metadata: None,
    };

    // Signed by `sign_and_record` once the operation has released the store lock. A sign-out
    // in between bumps the generation, so the record made then is already revoked.
    let mut unsigned = Unsigned {
        access,
        id,
        at_hash: oauth.is_some(),
        context: TokenContext {
            pool_id: grant.pool_id.to_owned(),
            client_id: grant.client_id.to_owned(),
            username: internal_name.clone(),
            refresh: None,
            refreshing: grant.refreshing.is_some(),
            new_device_used: grant.new_device,
            source: grant.source,
            client_metadata: grant.client_metadata.cloned(),
        },
        record: AccessRecord {
            pool_id: grant.pool_id.to_owned(),
            client_id: grant.client_id.to_owned(),
            username: internal_name.clone(),
            origin_jti: origin_jti.clone(),
            expires: now + access_validity,
            generation,
        },
    };
    if grant.refreshing.is_none() {
        let refresh = format!(
            "{}.{}",
            ids::opaque(32).map_err(no_randomness)?,
            ids::opaque(96).map_err(no_randomness)?
        );
        unsigned.context.refresh = Some(tokens::fingerprint(&refresh));
        store.refresh_tokens.insert(
            tokens::fingerprint(&refresh),
            RefreshRecord {
                pool_id: grant.pool_id.to_owned(),
                client_id: grant.client_id.to_owned(),
                username: internal_name.clone(),
                origin_jti: origin_jti.clone(),
                device_key: grant.device_key.map(str::to_owned),
                auth_time: grant.auth_time,
                expires: now + refresh_validity,
                generation,
            },
        );
        if let Some(g) = &grant.oauth {
            store.oauth.grants.insert(
                origin_jti.clone(),
                RememberedGrant {
                    scopes: g.scopes.clone(),
                    expires: now + refresh_validity,
                },
            );
        }
        result.refresh_token = Some(refresh);
    }
    if ctx.pending.replace(Some(unsigned)).is_some() {
        return Err(ApiError::internal("tokens issued twice in one call"));
    }
    if grant.new_device {
        let key = format!("{region}_{}", ids::uuid_v4().map_err(no_randomness)?);
        let group_key = ids::device_group_key().map_err(no_randomness)?;
        let user = store.pool_mut(grant.pool_id)?.user_mut(&internal_name)?;
        // Unconfirmed devices from abandoned sign-ins must not pile up.
        if user
            .devices
            .values()
            .filter(|d| d.verifier.is_none())
            .count()
            >= 50
        {
            let stale: Vec<String> = user
                .devices
                .values()
                .filter(|d| d.verifier.is_none())
                .map(|d| d.key.clone())
                .collect();
            for k in stale {
                user.devices.remove(&k);
            }
        }
        user.devices.insert(
            key.clone(),
            Device {
                key: key.clone(),
                group_key: group_key.clone(),
                verifier: None,
                name: None,
                remembered: None,
                last_authenticated: now,
                created: now,
                modified: now,
            },
        );
        result.new_device_metadata = Some(m::NewDeviceMetadataType {
            device_key: Some(key),
            device_group_key: Some(group_key),
        });
    }
    Ok(Step::Tokens(result))
}

/// PostAuthentication (which may refuse the sign-in) and PreTokenGeneration (which may change
/// the claims), run without the store lock before the tokens are signed.
pub(super) fn before_signing(ctx: &Ctx<'_>, mut unsigned: Unsigned) -> ApiResult<Unsigned> {
    use crate::triggers::{pre_token, Kind};
    let c = &unsigned.context;
    let (post_auth, pre_token_trigger, user, groups) = {
        let store = ctx.store();
        let post = if c.refreshing {
            None
        } else {
            lambda::lookup(&store, &c.pool_id, Kind::PostAuthentication)
        };
        let pre = lambda::lookup(&store, &c.pool_id, Kind::PreTokenGeneration);
        if post.is_none() && pre.is_none() {
            return Ok(unsigned);
        }
        let pool = store.pool(&c.pool_id)?;
        let user = pool.user(&c.username)?;
        let groups = super::groups::groups_of(pool, &user.groups);
        let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
        let (roles, preferred) = crate::store::group_roles(&groups);
        (post, pre, EventUser::of(user), (names, roles, preferred))
    };
    let metadata = lambda::metadata_value(c.client_metadata.as_ref());
    if let Some(t) = post_auth {
        let outcome = lambda::call(
            ctx,
            &t,
            &c.pool_id,
            Some(&c.client_id),
            &user.username,
            "PostAuthentication_Authentication",
            json!({"userAttributes": user.attributes(), "newDeviceUsed": c.new_device_used,
                   "clientMetadata": metadata}),
            json!({}),
        );
        if let Err(e) = outcome {
            if let Some(fp) = &c.refresh {
                ctx.store().refresh_tokens.remove(fp);
            }
            return Err(e);
        }
    }
    if let Some(t) = pre_token_trigger {
        let mut request = json!({
            "userAttributes": user.attributes(),
            "groupConfiguration": pre_token::group_configuration(&groups.0, &groups.1, groups.2.as_deref()),
            "clientMetadata": metadata,
        });
        if t.version != "1" {
            let scopes: Vec<&str> = unsigned
                .access
                .get("scope")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .split_whitespace()
                .collect();
            request["scopes"] = json!(scopes);
        }
        let response = lambda::call(
            ctx,
            &t,
            &c.pool_id,
            Some(&c.client_id),
            &user.username,
            c.source,
            request,
            if t.version == "1" {
                json!({"claimsOverrideDetails": null})
            } else {
                json!({"claimsAndScopeOverrideDetails": null})
            },
        );
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                if let Some(fp) = &c.refresh {
                    ctx.store().refresh_tokens.remove(fp);
                }
                return Err(e);
            }
        };
        let mut no_id = Map::new();
        let id = unsigned.id.as_mut().unwrap_or(&mut no_id);
        pre_token::apply(t.version, &response, id, &mut unsigned.access);
    }
    Ok(unsigned)
}

/// The CustomMessage trigger for every code the operation sent: its message is kept with the
/// code (the emulator delivers nothing).
pub(super) fn write_messages(ctx: &Ctx<'_>) -> ApiResult<()> {
    let mut sent = ctx.sent.take();
    sent.dedup();
    for (pool_id, username) in sent {
        let found = {
            let store = ctx.store();
            let trigger = lambda::lookup(&store, &pool_id, crate::triggers::Kind::CustomMessage);
            let user = store.pool(&pool_id).and_then(|p| p.user(&username));
            let last = store
                .outbox
                .get(&(pool_id.clone(), username.clone()))
                .and_then(|l| l.last())
                .map(|c| (c.kind.clone(), c.code.clone()));
            match (trigger, user, last) {
                (Some(t), Ok(u), Some(last)) => Some((t, EventUser::of(u), last)),
                _ => None,
            }
        };
        let Some((trigger, user, (kind, code))) = found else {
            continue;
        };
        let (message, subject) =
            lambda::custom_message(ctx, &trigger, &pool_id, &user, &kind, &code, ctx.op)?;
        let mut store = ctx.store();
        if let Some(c) = store
            .outbox
            .get_mut(&(pool_id, username))
            .and_then(|l| l.iter_mut().rev().find(|c| c.code == code))
        {
            c.message = message;
            c.subject = subject;
        }
    }
    Ok(())
}

/// Signs the tokens `issue` granted (without the store lock: two RSA signatures), records the
/// access token, and puts both into the operation's AuthenticationResult.
pub(super) fn sign_and_record(
    shared: &Shared,
    unsigned: Unsigned,
    mut out: Value,
) -> ApiResult<Value> {
    let access_token = shared.keys.sign(&unsigned.access)?;
    let id_token = match unsigned.id {
        Some(mut id) => {
            if unsigned.at_hash {
                id.insert("at_hash".into(), json!(tokens::at_hash(&access_token)));
            }
            Some(shared.keys.sign(&id)?)
        }
        None => None,
    };
    let slot = out
        .get_mut("AuthenticationResult")
        .ok_or_else(|| ApiError::internal("no AuthenticationResult for the issued tokens"))?;
    let mut result: m::AuthenticationResultType = serde_json::from_value(slot.take())
        .map_err(|e| ApiError::internal(format!("AuthenticationResult: {e}")))?;
    let fingerprint = tokens::fingerprint(&access_token);
    result.access_token = Some(access_token);
    result.id_token = id_token;
    *slot = crate::protocol::encode(&result)?;
    let mut store = shared.store();
    store.access_tokens.insert(fingerprint, unsigned.record);
    if store.access_tokens.len() % 1024 == 0 {
        store.sweep(shared.now());
    }
    Ok(out)
}

/// The user behind an access token, if the token is one this emulator issued and is still
/// valid. Returns (pool id, internal username, client id).
pub(super) fn check_access_token(
    ctx: &Ctx<'_>,
    store: &Store,
    token: &str,
) -> ApiResult<(String, String, String)> {
    let record = store
        .access_tokens
        .get(&tokens::fingerprint(token))
        .ok_or_else(|| ApiError::not_authorized("Invalid Access Token"))?;
    if record.expires <= ctx.now() {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let pool = store
        .pool(&record.pool_id)
        .map_err(|_| ApiError::not_authorized("Invalid Access Token"))?;
    let user = pool
        .user(&record.username)
        .map_err(|_| ApiError::not_authorized("Access Token has been revoked"))?;
    if user.token_generation != record.generation || !user.enabled {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    Ok((
        record.pool_id.clone(),
        record.username.clone(),
        record.client_id.clone(),
    ))
}
