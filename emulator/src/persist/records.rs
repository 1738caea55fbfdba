//! The tables of the state directory: what each persisted entity is called, what its key is,
//! and how it is written and read back. One record is `{"t": TABLE, "k": KEY, "v": VALUE}`;
//! a record without `v` removes the entity.
//!
//! **Persisting something new** (a new kind of entity in the store):
//! 1. keep it in a [`Tracked`](crate::store::Tracked) map (in the `Store`, or inside a `Pool`
//!    for what belongs to a pool), so every change is recorded;
//! 2. give it a table name in `tables.rs`, write its changed entries here in `changed` and all of them in
//!    `everything`, and read it back in `import`;
//! 3. if records that exist already change shape, raise `FORMAT` in `format.rs` and add a step
//!    to `migrate` there (fields with `#[serde(default)]` need none). A new table needs a new
//!    `FORMAT` too, so that an older emulator refuses the directory instead of failing on it.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::tables::{
    ACCESS_TOKEN, CLIENT, CODE, DOMAIN, GROUP, IDENTITY, IDENTITY_POOL, LOCKOUT, OAUTH_GRANT, POOL,
    REFRESH_TOKEN, RESOURCE, RESOURCE_SERVERS, REVOKED_FAMILY, ROTATED_OUT, SIGNING_KEY, USER,
};
use crate::guard::Guard;
use crate::store::{
    AccessRecord, AppClient, Fingerprint, Group, Pool, RefreshRecord, Resource, Store, Tracked,
    User,
};
use crate::tokens::Keys;

fn lockout_key(k: &crate::guard::UserKey) -> String {
    format!("{}/{}", k.0, k.1)
}

fn code_key(k: &crate::guard::CodeKey) -> String {
    format!("{}/{}/{}", k.0, k.1, Guard::purpose_name(k.2))
}

/// A record as read back: the value is parsed only by the table that owns it.
#[derive(Deserialize)]
pub struct Incoming<'a> {
    pub t: String,
    pub k: String,
    #[serde(borrow, default)]
    pub v: Option<&'a RawValue>,
}

/// Records being written: one JSON array per log line.
#[derive(Default)]
pub struct Batch {
    json: String,
    count: usize,
}

impl Batch {
    fn push(&mut self, table: &str, key: &str, value: Option<String>) {
        self.json.push(if self.count == 0 { '[' } else { ',' });
        self.count += 1;
        self.json.push_str("{\"t\":");
        self.json.push_str(&json_string(table));
        self.json.push_str(",\"k\":");
        self.json.push_str(&json_string(key));
        if let Some(v) = value {
            self.json.push_str(",\"v\":");
            self.json.push_str(&v);
        }
        self.json.push('}');
    }

    pub fn put<T: serde::Serialize>(
        &mut self,
        table: &str,
        key: &str,
        value: &T,
    ) -> Result<(), String> {
        let v = serde_json::to_string(value).map_err(|e| format!("{table} {key}: {e}"))?;
        self.push(table, key, Some(v));
        Ok(())
    }

    pub fn delete(&mut self, table: &str, key: &str) {
        self.push(table, key, None);
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// The JSON array, or None when empty.
    pub fn finish(mut self) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        self.json.push(']');
        Some(self.json)
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

pub fn hex(fp: &Fingerprint) -> String {
    fp.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Fingerprint> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

fn child_key(pool_id: &str, key: &str) -> String {
    format!("{pool_id}/{key}")
}

/// Pool settings records already written, by a digest of their JSON: a pool touched only to
/// reach its users is not rewritten.
pub type PoolDigests = std::collections::HashMap<String, u64>;

fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Fills the digests of the pools' settings records as they are now (after loading).
pub fn fill_pool_digests(store: &Store, digests: &mut PoolDigests) -> Result<(), String> {
    digests.clear();
    for (pool_id, pool) in store.pools.iter() {
        let settings = serde_json::to_string(pool).map_err(|e| format!("pool: {e}"))?;
        digests.insert(pool_id.clone(), digest(&settings));
    }
    Ok(())
}

/// Records for everything changed since the last call (and forgets the change marks).
pub fn changed(store: &mut Store, digests: &mut PoolDigests) -> Result<Batch, String> {
    let mut batch = Batch::default();
    for pool_id in store.pools.take_touched() {
        let Some(pool) = store.pools.peek_mut(&pool_id) else {
            digests.remove(&pool_id);
            batch.delete(POOL, &pool_id);
            continue;
        };
        let settings = serde_json::to_string(&*pool).map_err(|e| format!("pool: {e}"))?;
        let d = digest(&settings);
        if digests.get(&pool_id) != Some(&d) {
            digests.insert(pool_id.clone(), d);
            batch.push(POOL, &pool_id, Some(settings));
        }
        for id in pool.clients.take_touched() {
            match pool.clients.get(&id) {
                Some(c) => batch.put(CLIENT, &child_key(&pool_id, &id), c)?,
                None => batch.delete(CLIENT, &child_key(&pool_id, &id)),
            }
        }
        for key in pool.users.take_touched() {
            match pool.users.get(&key) {
                Some(u) => batch.put(USER, &child_key(&pool_id, &key), u)?,
                None => batch.delete(USER, &child_key(&pool_id, &key)),
            }
        }
        for name in pool.groups.take_touched() {
            match pool.groups.get(&name) {
                Some(g) => batch.put(GROUP, &child_key(&pool_id, &name), g)?,
                None => batch.delete(GROUP, &child_key(&pool_id, &name)),
            }
        }
        for key in pool.resources.take_touched() {
            match pool.resources.get(&key) {
                Some(r) => batch.put(RESOURCE, &child_key(&pool_id, &key), r)?,
                None => batch.delete(RESOURCE, &child_key(&pool_id, &key)),
            }
        }
    }
    for fp in store.refresh_tokens.take_touched() {
        match store.refresh_tokens.get(&fp) {
            Some(r) => batch.put(REFRESH_TOKEN, &hex(&fp), r)?,
            None => batch.delete(REFRESH_TOKEN, &hex(&fp)),
        }
    }
    for fp in store.access_tokens.take_touched() {
        match store.access_tokens.get(&fp) {
            Some(r) => batch.put(ACCESS_TOKEN, &hex(&fp), r)?,
            None => batch.delete(ACCESS_TOKEN, &hex(&fp)),
        }
    }
    let oauth = &mut store.oauth;
    for d in oauth.domains.take_touched() {
        match oauth.domains.get(&d) {
            Some(v) => batch.put(DOMAIN, &d, v)?,
            None => batch.delete(DOMAIN, &d),
        }
    }
    for p in oauth.resource_servers.take_touched() {
        match oauth.resource_servers.get(&p) {
            Some(v) => batch.put(RESOURCE_SERVERS, &p, v)?,
            None => batch.delete(RESOURCE_SERVERS, &p),
        }
    }
    for g in oauth.grants.take_touched() {
        match oauth.grants.get(&g) {
            Some(v) => batch.put(OAUTH_GRANT, &g, v)?,
            None => batch.delete(OAUTH_GRANT, &g),
        }
    }
    let (identity, rotation) = (&mut store.identity, &mut store.rotation);
    let same = String::clone;
    put_touched(&mut batch, IDENTITY_POOL, &mut identity.pools, same)?;
    put_touched(&mut batch, IDENTITY, &mut identity.identities, same)?;
    put_touched(&mut batch, ROTATED_OUT, &mut rotation.rotated_out, hex)?;
    let families = &mut rotation.revoked_families;
    put_touched(&mut batch, REVOKED_FAMILY, families, same)?;
    let guard = &mut store.guard;
    for k in guard.sign_ins.take_touched() {
        match guard.sign_ins.get(&k) {
            Some(v) => batch.put(LOCKOUT, &lockout_key(&k), v)?,
            None => batch.delete(LOCKOUT, &lockout_key(&k)),
        }
    }
    for k in guard.codes.take_touched() {
        match guard.codes.get(&k) {
            Some(v) => batch.put(CODE, &code_key(&k), v)?,
            None => batch.delete(CODE, &code_key(&k)),
        }
    }
    Ok(batch)
}

/// Records for the entries of `map` changed since the last call: the entry, or its removal.
fn put_touched<K: Ord + Clone, V: Serialize>(
    batch: &mut Batch,
    table: &str,
    map: &mut Tracked<K, V>,
    key: impl Fn(&K) -> String,
) -> Result<(), String> {
    for k in map.take_touched() {
        match map.get(&k) {
            Some(v) => batch.put(table, &key(&k), v)?,
            None => batch.delete(table, &key(&k)),
        }
    }
    Ok(())
}

/// Applies a record of a table kept in one `Tracked` map: the entry, or its removal.
fn load_entry<K: Ord + Clone, V: DeserializeOwned>(
    map: &mut Tracked<K, V>,
    key: K,
    record: &Incoming<'_>,
) -> Result<(), String> {
    match record.v {
        Some(v) => {
            let value = serde_json::from_str(v.get())
                .map_err(|e| format!("{} record {:?}: {e}", record.t, record.k))?;
            map.load(key, value);
        }
        None => map.unload(&key),
    }
    Ok(())
}

#[derive(serde::Serialize, Deserialize)]
struct StoredKey {
    pkcs8: String,
}

pub fn key_record(keys: &Keys) -> Result<Batch, String> {
    use base64::Engine;
    let mut batch = Batch::default();
    batch.put(
        SIGNING_KEY,
        "signing",
        &StoredKey {
            pkcs8: base64::engine::general_purpose::STANDARD.encode(keys.pkcs8()),
        },
    )?;
    Ok(batch)
}

/// Every record of the state, in batches of about `per_line` records (for a snapshot).
pub fn everything(
    store: &Store,
    keys: &Keys,
    digests: &mut PoolDigests,
    per_line: usize,
) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let mut batch = key_record(keys)?;
    let flush = |batch: &mut Batch, lines: &mut Vec<String>, force: bool| {
        if batch.len() >= per_line || (force && batch.len() > 0) {
            if let Some(json) = std::mem::take(batch).finish() {
                lines.push(json);
            }
        }
    };
    digests.clear();
    for (pool_id, pool) in store.pools.iter() {
        let settings = serde_json::to_string(pool).map_err(|e| format!("pool: {e}"))?;
        digests.insert(pool_id.clone(), digest(&settings));
        batch.push(POOL, pool_id, Some(settings));
        for (id, c) in pool.clients.iter() {
            batch.put(CLIENT, &child_key(pool_id, id), c)?;
        }
        for (name, g) in pool.groups.iter() {
            batch.put(GROUP, &child_key(pool_id, name), g)?;
        }
        for (key, r) in pool.resources.iter() {
            batch.put(RESOURCE, &child_key(pool_id, key), r)?;
            flush(&mut batch, &mut lines, false);
        }
        flush(&mut batch, &mut lines, false);
        for (key, u) in pool.users.iter() {
            batch.put(USER, &child_key(pool_id, key), u)?;
            flush(&mut batch, &mut lines, false);
        }
    }
    for (fp, r) in store.refresh_tokens.iter() {
        batch.put(REFRESH_TOKEN, &hex(fp), r)?;
        flush(&mut batch, &mut lines, false);
    }
    for (fp, r) in store.access_tokens.iter() {
        batch.put(ACCESS_TOKEN, &hex(fp), r)?;
        flush(&mut batch, &mut lines, false);
    }
    for (d, v) in store.oauth.domains.iter() {
        batch.put(DOMAIN, d, v)?;
    }
    for (p, v) in store.oauth.resource_servers.iter() {
        batch.put(RESOURCE_SERVERS, p, v)?;
    }
    for (g, v) in store.oauth.grants.iter() {
        batch.put(OAUTH_GRANT, g, v)?;
        flush(&mut batch, &mut lines, false);
    }
    for (id, p) in store.identity.pools.iter() {
        batch.put(IDENTITY_POOL, id, p)?;
        flush(&mut batch, &mut lines, false);
    }
    for (id, i) in store.identity.identities.iter() {
        batch.put(IDENTITY, id, i)?;
        flush(&mut batch, &mut lines, false);
    }
    for (fp, r) in store.rotation.rotated_out.iter() {
        batch.put(ROTATED_OUT, &hex(fp), r)?;
        flush(&mut batch, &mut lines, false);
    }
    for (family, r) in store.rotation.revoked_families.iter() {
        batch.put(REVOKED_FAMILY, family, r)?;
        flush(&mut batch, &mut lines, false);
    }
    for (k, v) in store.guard.sign_ins.iter() {
        batch.put(LOCKOUT, &lockout_key(k), v)?;
        flush(&mut batch, &mut lines, false);
    }
    for (k, v) in store.guard.codes.iter() {
        batch.put(CODE, &code_key(k), v)?;
        flush(&mut batch, &mut lines, false);
    }
    flush(&mut batch, &mut lines, true);
    Ok(lines)
}

/// What loading found besides the store.
#[derive(Default)]
pub struct Loaded {
    pub keys: Option<Keys>,
}

/// A record read back and decoded, not yet applied: loading decodes the lines of a file on
/// several threads (users, nearly all of a large state, are deserialized there) and applies
/// them in order on one.
pub enum Decoded {
    User {
        pool_id: String,
        key: String,
        user: Box<User>,
    },
    Other {
        t: String,
        k: String,
        v: Option<Box<RawValue>>,
    },
}

/// Migrates a record written in `format` and deserializes it if it is a user.
pub fn decode(format: u32, record: Incoming<'_>) -> Result<Decoded, String> {
    let migrated = super::format::migrate(format, &record.t, record.v.map(RawValue::get))?;
    if record.t == USER {
        let text = migrated.as_deref().or(record.v.map(RawValue::get));
        if let (Some(text), Some((pool_id, key))) = (text, record.k.split_once('/')) {
            let user: User = serde_json::from_str(text)
                .map_err(|e| format!("{} record {:?}: {e}", record.t, record.k))?;
            return Ok(Decoded::User {
                pool_id: pool_id.to_owned(),
                key: key.to_owned(),
                user: Box::new(user),
            });
        }
    }
    let v = match migrated {
        Some(m) => Some(RawValue::from_string(m).map_err(|e| e.to_string())?),
        None => record.v.map(RawValue::to_owned),
    };
    Ok(Decoded::Other {
        t: record.t,
        k: record.k,
        v,
    })
}

/// Applies one decoded record to the store being loaded.
pub fn apply(store: &mut Store, loaded: &mut Loaded, record: Decoded) -> Result<(), String> {
    match record {
        Decoded::User { pool_id, key, user } => {
            let Some(pool) = store.pools.peek_mut(pool_id.as_str()) else {
                return Err(format!(
                    "{USER} record \"{pool_id}/{key}\": no pool {pool_id} before it"
                ));
            };
            pool.users.load(key, *user);
            Ok(())
        }
        Decoded::Other { t, k, v } => import(
            store,
            loaded,
            &Incoming {
                t,
                k,
                v: v.as_deref(),
            },
        ),
    }
}

/// Applies one record to the store being loaded.
fn import(store: &mut Store, loaded: &mut Loaded, record: &Incoming<'_>) -> Result<(), String> {
    let what = || format!("{} record {:?}", record.t, record.k);
    let key = || record.k.clone();
    let parse_err = |e: serde_json::Error| format!("{}: {e}", what());
    let split = || {
        record
            .k
            .split_once('/')
            .ok_or_else(|| format!("{}: the key has no pool id", what()))
    };
    match record.t.as_str() {
        SIGNING_KEY => {
            use base64::Engine;
            let Some(v) = record.v else {
                return Err(format!("{}: the signing key cannot be removed", what()));
            };
            let stored: StoredKey = serde_json::from_str(v.get()).map_err(parse_err)?;
            let der = base64::engine::general_purpose::STANDARD
                .decode(stored.pkcs8)
                .map_err(|e| format!("{}: {e}", what()))?;
            loaded.keys = Some(Keys::from_pkcs8(&der).map_err(|e| format!("{}: {e}", what()))?);
        }
        POOL => match record.v {
            Some(v) => {
                let mut pool: Pool = serde_json::from_str(v.get()).map_err(parse_err)?;
                // A settings record keeps the pool's clients and users.
                if let Some(old) = store.pools.peek_mut(&record.k) {
                    pool.clients = std::mem::take(&mut old.clients);
                    pool.users = std::mem::take(&mut old.users);
                    pool.groups = std::mem::take(&mut old.groups);
                    pool.resources = std::mem::take(&mut old.resources);
                }
                store.pools.load(record.k.clone(), pool);
            }
            None => store.pools.unload(&record.k),
        },
        CLIENT | USER | GROUP | RESOURCE => {
            let (pool_id, key) = split()?;
            let Some(pool) = store.pools.peek_mut(pool_id) else {
                return Err(format!("{}: no pool {pool_id} before it", what()));
            };
            match (record.t.as_str(), record.v) {
                (CLIENT, Some(v)) => {
                    let c: AppClient = serde_json::from_str(v.get()).map_err(parse_err)?;
                    pool.clients.load(key.to_owned(), c);
                }
                (CLIENT, None) => pool.clients.unload(&key.to_owned()),
                (GROUP, Some(v)) => {
                    let g: Group = serde_json::from_str(v.get()).map_err(parse_err)?;
                    pool.groups.load(key.to_owned(), g);
                }
                (GROUP, None) => pool.groups.unload(&key.to_owned()),
                (RESOURCE, Some(v)) => {
                    let r: Resource = serde_json::from_str(v.get()).map_err(parse_err)?;
                    pool.resources.load(key.to_owned(), r);
                }
                (RESOURCE, None) => pool.resources.unload(&key.to_owned()),
                (_, Some(v)) => {
                    let u: User = serde_json::from_str(v.get()).map_err(parse_err)?;
                    pool.users.load(key.to_owned(), u);
                }
                (_, None) => pool.users.unload(&key.to_owned()),
            }
        }
        REFRESH_TOKEN => {
            let fp = unhex(&record.k).ok_or_else(|| format!("{}: bad fingerprint", what()))?;
            match record.v {
                Some(v) => {
                    let r: RefreshRecord = serde_json::from_str(v.get()).map_err(parse_err)?;
                    store.refresh_tokens.load(fp, r);
                }
                None => store.refresh_tokens.unload(&fp),
            }
        }
        ACCESS_TOKEN => {
            let fp = unhex(&record.k).ok_or_else(|| format!("{}: bad fingerprint", what()))?;
            match record.v {
                Some(v) => {
                    let r: AccessRecord = serde_json::from_str(v.get()).map_err(parse_err)?;
                    store.access_tokens.load(fp, r);
                }
                None => store.access_tokens.unload(&fp),
            }
        }
        DOMAIN => match record.v {
            Some(v) => {
                let d = serde_json::from_str(v.get()).map_err(parse_err)?;
                store.oauth.domains.load(record.k.clone(), d);
            }
            None => store.oauth.domains.unload(&record.k),
        },
        RESOURCE_SERVERS => match record.v {
            Some(v) => {
                let m = serde_json::from_str(v.get()).map_err(parse_err)?;
                store.oauth.resource_servers.load(record.k.clone(), m);
            }
            None => store.oauth.resource_servers.unload(&record.k),
        },
        OAUTH_GRANT => match record.v {
            Some(v) => {
                let g = serde_json::from_str(v.get()).map_err(parse_err)?;
                store.oauth.grants.load(record.k.clone(), g);
            }
            None => store.oauth.grants.unload(&record.k),
        },
        IDENTITY_POOL => load_entry(&mut store.identity.pools, key(), record)?,
        IDENTITY => load_entry(&mut store.identity.identities, key(), record)?,
        ROTATED_OUT => {
            let fp = unhex(&record.k).ok_or_else(|| format!("{}: bad fingerprint", what()))?;
            load_entry(&mut store.rotation.rotated_out, fp, record)?
        }
        REVOKED_FAMILY => load_entry(&mut store.rotation.revoked_families, key(), record)?,
        LOCKOUT => {
            let (pool_id, user) = split()?;
            let k = (pool_id.to_owned(), user.to_owned());
            match record.v {
                Some(v) => {
                    let f = serde_json::from_str(v.get()).map_err(parse_err)?;
                    store.guard.sign_ins.load(k, f);
                }
                None => store.guard.sign_ins.unload(&k),
            }
        }
        CODE => {
            let (pool_id, rest) = split()?;
            let (user, purpose) = rest
                .rsplit_once('/')
                .ok_or_else(|| format!("{}: the key has no purpose", what()))?;
            let purpose = Guard::purpose_of(purpose)
                .ok_or_else(|| format!("{}: unknown purpose {purpose:?}", what()))?;
            let k = (pool_id.to_owned(), user.to_owned(), purpose);
            match record.v {
                Some(v) => {
                    let c = serde_json::from_str(v.get()).map_err(parse_err)?;
                    store.guard.codes.load(k, c);
                }
                None => store.guard.codes.unload(&k),
            }
        }
        other => return Err(format!("unknown table {other:?} ({})", what())),
    }
    Ok(())
}
