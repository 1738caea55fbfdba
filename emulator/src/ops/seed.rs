//! Applying a seed file (see `crate::seed`) through the operations' own code, so a seeded pool
//! or client is checked exactly as CreateUserPool / CreateUserPoolClient check theirs; the ids
//! are then pinned to the seed's.

use serde_json::{json, Map, Value};

use super::context::Ctx;
use super::passwords::{make_password, password_matches};
use crate::error::ApiError;
use crate::identity::Input;
use crate::model as m;
use crate::protocol::decode;
use crate::seed::{Seed, SeedIdentityPool, SeedPool, SeedStatus, SeedUser};
use crate::shared::Shared;
use crate::store::{Group, MfaKind, UserStatus};

/// What applying a seed did.
#[derive(Debug, Default, Clone)]
pub struct SeedReport {
    pub pools: usize,
    pub clients: usize,
    pub groups: usize,
    pub users_created: usize,
    pub users_updated: usize,
    pub identity_pools: usize,
}

fn at(path: &str) -> impl Fn(ApiError) -> String + '_ {
    move |e| format!("{path}: {}: {}", e.code, e.message)
}

fn check_pool_id(path: &str, id: &str) -> Result<(), String> {
    let ok = id.split_once('_').is_some_and(|(region, name)| {
        let r: Vec<&str> = region.split('-').collect();
        r.len() >= 3
            && r.iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
            && !name.is_empty()
            && name.len() <= 55
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{path}: {id:?} is not a user pool id (REGION_NAME, e.g. us-east-1_TestPool1)"
        ))
    }
}

pub(crate) fn apply(shared: &Shared, seed: &Seed) -> Result<SeedReport, String> {
    for (arn, url) in &seed.triggers {
        if !url.starts_with("http://") {
            return Err(format!("triggers.{arn}: {url:?} is not an http:// URL"));
        }
        shared.triggers.set_url(arn, url);
    }
    let mut report = SeedReport::default();
    for (i, pool) in seed.pools.iter().enumerate() {
        let path = format!("pools[{i}]");
        check_pool_id(&format!("{path}.id"), &pool.id)?;
        let region = crate::store::region_of(&pool.id).to_owned();
        let ctx = Ctx::new(shared, Some(&region), "Seed");
        let outcome = apply_pool(&ctx, &path, pool, &mut report);
        // What was applied so far is kept (and made durable) even if a later part fails.
        shared
            .commit()
            .map_err(|e| format!("{path}: {}", e.message))?;
        outcome?;
        for (j, d) in pool.domains.iter().enumerate() {
            child_by_api(
                shared,
                &format!("{path}.domains[{j}]"),
                &pool.id,
                d,
                "Domain",
                "DescribeUserPoolDomain",
                "CreateUserPoolDomain",
            )?;
        }
        for (j, r) in pool.resource_servers.iter().enumerate() {
            child_by_api(
                shared,
                &format!("{path}.resource_servers[{j}]"),
                &pool.id,
                r,
                "Identifier",
                "DescribeResourceServer",
                "CreateResourceServer",
            )?;
        }
    }
    for (i, pool) in seed.identity_pools.iter().enumerate() {
        apply_identity_pool(shared, &format!("identity_pools[{i}]"), pool)?;
        report.identity_pools += 1;
    }
    Ok(report)
}

/// An identity pool: checked as CreateIdentityPool and SetIdentityPoolRoles check theirs, then
/// put under its pinned id unless it is there already with the same settings. Its identities
/// stay either way.
fn apply_identity_pool(shared: &Shared, path: &str, seed: &SeedIdentityPool) -> Result<(), String> {
    let mut settings = seed.settings.clone();
    settings.insert("IdentityPoolName".into(), json!(seed.name));
    let roles = seed.roles.as_ref().map(|roles| {
        let mut request = Map::new();
        request.insert("Roles".into(), json!(roles));
        if let Some(m) = &seed.role_mappings {
            request.insert("RoleMappings".into(), Value::Object(m.clone()));
        }
        request
    });
    if roles.is_none() && seed.role_mappings.is_some() {
        return Err(format!("{path}.role_mappings: needs roles beside it"));
    }
    let pool = crate::identity::seeded_pool(
        &seed.id,
        &Input::new(&settings),
        roles.as_ref().map(Input::new).as_ref(),
    )
    .map_err(|(part, e)| at(&format!("{path}.{part}"))(e))?;
    {
        let mut store = shared.store();
        if store.identity.pools.get(&seed.id) != Some(&pool) {
            store.identity.pools.insert(seed.id.clone(), pool);
        }
    }
    shared
        .commit()
        .map_err(|e| format!("{path}: {}", e.message))
}

/// A domain or resource server: created through its operation unless describing it finds it.
fn child_by_api(
    shared: &Shared,
    path: &str,
    pool_id: &str,
    request: &Map<String, Value>,
    key: &str,
    describe: &str,
    create: &str,
) -> Result<(), String> {
    let mut body = request.clone();
    body.insert("UserPoolId".into(), json!(pool_id));
    let key_value = body
        .get(key)
        .cloned()
        .ok_or_else(|| format!("{path}: {key} is required"))?;
    let call = |op: &str, body: &Value| super::call(shared, op, body.to_string().as_bytes(), None);
    let found = match call(describe, &json!({ key: key_value, "UserPoolId": pool_id })) {
        // DescribeUserPoolDomain answers an empty description for a free domain.
        Ok(v) => v.as_object().is_some_and(|m| {
            m.values()
                .any(|d| d.get("UserPoolId").is_some() || d.get(key).is_some())
        }),
        Err(e) if e.code == "ResourceNotFoundException" => false,
        Err(e) => return Err(at(path)(e)),
    };
    if !found {
        call(create, &Value::Object(body)).map_err(at(path))?;
    }
    Ok(())
}

fn apply_pool(
    ctx: &Ctx<'_>,
    path: &str,
    seed: &SeedPool,
    report: &mut SeedReport,
) -> Result<(), String> {
    // The pool: built by CreateUserPool's code from the seed's settings, then given its id.
    let mut request = seed.settings.clone();
    request.insert("PoolName".into(), json!(seed.name));
    let settings_path = format!("{path}.settings");
    let request: m::CreateUserPoolInput =
        decode("CreateUserPool", request).map_err(at(&settings_path))?;
    let mut pool = super::pools::build_pool(ctx, request).map_err(at(&settings_path))?;
    {
        let mut store = ctx.store();
        pool.id = seed.id.clone();
        if let Some(old) = store.remove_pool(&seed.id) {
            // Same pool as before: keep what it holds and when it was made.
            pool.created = old.created;
            pool.clients = old.clients;
            pool.users = old.users;
            pool.groups = old.groups;
            pool.resources = old.resources;
        }
        store.insert_pool(pool);
    }
    report.pools += 1;

    for (j, c) in seed.clients.iter().enumerate() {
        let cpath = format!("{path}.clients[{j}]");
        if c.id.is_empty()
            || c.id.len() > 128
            || !c
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+')
        {
            return Err(format!(
                "{cpath}.id: {:?} is not a client id (1 to 128 characters of [\\w+])",
                c.id
            ));
        }
        let mut request = c.settings.clone();
        request.insert("UserPoolId".into(), json!(seed.id));
        request.insert("ClientName".into(), json!(c.name));
        let settings_path = format!("{cpath}.settings");
        let request: m::CreateUserPoolClientInput =
            decode("CreateUserPoolClient", request).map_err(at(&settings_path))?;
        let mut client = super::clients::build_client(ctx, request).map_err(at(&settings_path))?;
        let mut store = ctx.store();
        if let Some(other) = store.client_pool_id(&c.id).ok().filter(|p| p != &seed.id) {
            return Err(format!(
                "{cpath}.id: client {} already belongs to pool {other}",
                c.id
            ));
        }
        let old = store.remove_client(&seed.id, &c.id).ok();
        client.id = c.id.clone();
        client.secrets = match (&c.secret, &old) {
            (Some(s), _) => vec![crate::store::ClientSecret {
                id: format!("{}--seed", c.id),
                value: s.clone(),
                created: old.as_ref().map_or(client.created, |o| o.created),
            }],
            // A generated secret stays the same from one start to the next.
            (None, Some(o)) if client.has_secret() && o.has_secret() => o.secrets.clone(),
            (None, _) => client.secrets.clone(),
        };
        if let Some(o) = &old {
            client.created = o.created;
        }
        store.insert_client(&seed.id, client).map_err(at(&cpath))?;
        report.clients += 1;
    }

    let now = ctx.now();
    for (j, g) in seed.groups.iter().enumerate() {
        let gpath = format!("{path}.groups[{j}]");
        let mut request = Map::new();
        request.insert("GroupName".into(), json!(g.name));
        request.insert("UserPoolId".into(), json!(seed.id));
        if let Some(d) = &g.description {
            request.insert("Description".into(), json!(d));
        }
        if let Some(p) = g.precedence {
            request.insert("Precedence".into(), json!(p));
        }
        if let Some(r) = &g.role_arn {
            request.insert("RoleArn".into(), json!(r));
        }
        decode::<m::CreateGroupInput>("CreateGroup", request).map_err(at(&gpath))?;
        let mut store = ctx.store();
        let pool = store.pool_mut(&seed.id).map_err(at(&gpath))?;
        let same = pool.groups.get(&g.name).is_some_and(|o| {
            o.description == g.description
                && o.precedence == g.precedence
                && o.role_arn == g.role_arn
        });
        if !same {
            let created = pool.groups.get(&g.name).map_or(now, |o| o.created);
            pool.groups.insert(
                g.name.clone(),
                Group {
                    name: g.name.clone(),
                    description: g.description.clone(),
                    role_arn: g.role_arn.clone(),
                    precedence: g.precedence,
                    created,
                    modified: now,
                },
            );
        }
        report.groups += 1;
    }

    for (j, u) in seed.users.iter().enumerate() {
        apply_user(ctx, &format!("{path}.users[{j}]"), &seed.id, u, report)?;
    }
    Ok(())
}

fn apply_user(
    ctx: &Ctx<'_>,
    path: &str,
    pool_id: &str,
    u: &SeedUser,
    report: &mut SeedReport,
) -> Result<(), String> {
    let (exists, realm, internal_name) = {
        let store = ctx.store();
        let pool = store.pool(pool_id).map_err(at(path))?;
        for (k, g) in u.groups.iter().enumerate() {
            if !pool.groups.contains_key(g) {
                return Err(format!("{path}.groups[{k}]: no group {g:?} in this pool (define it in the pool's groups)"));
            }
        }
        if let Some(p) = &u.password {
            super::passwords::check_policy(pool, p).map_err(at(&format!("{path}.password")))?;
        }
        match pool.user(&u.username) {
            Ok(user) => (true, pool.srp_realm().to_owned(), user.username.clone()),
            Err(_) => {
                let attrs = u
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let user = super::signup::new_user(ctx, pool, &u.username, attrs, false)
                    .map_err(at(path))?;
                let name = user.username.clone();
                let key = pool.user_key(&name);
                drop(store);
                ctx.store()
                    .pool_mut(pool_id)
                    .map_err(at(path))?
                    .users
                    .insert(key, user);
                (false, String::new(), name)
            }
        }
    };
    let realm = if realm.is_empty() {
        ctx.store()
            .pool(pool_id)
            .map_err(at(path))?
            .srp_realm()
            .to_owned()
    } else {
        realm
    };
    // A password is set when the user has none or a different one (checked against its
    // salted digest), so an unchanged seed does not make new verifiers.
    let new_password = match &u.password {
        Some(p) => {
            let store = ctx.store();
            let user = store
                .pool(pool_id)
                .and_then(|pool| pool.user(&internal_name))
                .map_err(at(path))?;
            if password_matches(user, p) {
                None
            } else {
                drop(store);
                let temporary =
                    (u.status == SeedStatus::ForceChangePassword).then(|| ctx.now() + 7 * 86_400);
                Some(
                    make_password(&realm, &internal_name, p, temporary)
                        .map_err(at(&format!("{path}.password")))?,
                )
            }
        }
        None => None,
    };
    let mut store = ctx.store();
    let pool = store.pool_mut(pool_id).map_err(at(path))?;
    let user = pool
        .users
        .peek_mut(&pool.user_key(&internal_name))
        .ok_or_else(|| format!("{path}: the user is gone"))?;
    let status = match u.status {
        SeedStatus::Confirmed => UserStatus::Confirmed,
        SeedStatus::Unconfirmed => UserStatus::Unconfirmed,
        SeedStatus::ForceChangePassword => UserStatus::ForceChangePassword,
    };
    let groups: std::collections::BTreeSet<String> = u.groups.iter().cloned().collect();
    let mut mfa_enabled = Vec::new();
    let mut totp = None;
    let mut preferred = None;
    if let Some(m) = &u.mfa {
        if let Some(s) = &m.totp_secret {
            if crate::totp::code_at(s, 0).is_empty() {
                return Err(format!(
                    "{path}.mfa.totp_secret: not a base32 secret of at least 128 bits"
                ));
            }
            totp = Some(s.clone());
            mfa_enabled.push(MfaKind::Totp);
        }
        if m.sms {
            mfa_enabled.push(MfaKind::Sms);
        }
        if m.email {
            mfa_enabled.push(MfaKind::Email);
        }
        preferred = match m.preferred.as_deref() {
            None => None,
            Some(p) => Some(
                MfaKind::from_answer(p)
                    .filter(|k| mfa_enabled.contains(k))
                    .ok_or_else(|| format!("{path}.mfa.preferred: {p:?} is not one of the user's MFA methods (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP)"))?,
            ),
        };
    }
    let attrs_same = u
        .attributes
        .iter()
        .all(|(k, v)| user.attributes.get(k) == Some(v));
    let same = new_password.is_none()
        && attrs_same
        && user.groups == groups
        && user.enabled == u.enabled
        && (exists && (user.status == status || u.password.is_none()))
        && user.mfa.enabled == mfa_enabled
        && user.mfa.totp_secret == totp
        && user.mfa.preferred == preferred;
    if same {
        return Ok(());
    }
    let user = pool
        .users
        .get_mut(&pool.user_key(&internal_name))
        .ok_or_else(|| format!("{path}: the user is gone"))?;
    for (k, v) in &u.attributes {
        if k == "sub" {
            return Err(format!(
                "{path}.attributes.sub: sub is given by the emulator"
            ));
        }
        user.attributes.insert(k.clone(), v.clone());
    }
    if let Some(p) = new_password {
        user.password = Some(p);
        user.status = status;
    } else if !exists {
        user.status = status;
    }
    user.groups = groups;
    user.enabled = u.enabled;
    user.mfa.enabled = mfa_enabled;
    user.mfa.totp_secret = totp;
    user.mfa.preferred = preferred;
    user.modified = ctx.now();
    if exists {
        report.users_updated += 1;
    } else {
        report.users_created += 1;
    }
    Ok(())
}
