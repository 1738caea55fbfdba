//! A bounded cache of verified signatures, so a backend that sees the same access token on
//! every request pays for the RSA check once.
//!
//! An entry means only "this exact token's signature was valid under this key". It is the
//! SHA-256 of the key's fingerprint (kid, modulus, exponent) and the token's bytes — never the
//! token itself — so a hit needs the same key and the same bytes, and answers exactly what the
//! RSA check answered. Claims are not cached: every verification checks them again.
//!
//! Entries of a key that leaves the JWKS are dropped when the new set is installed, and none is
//! added for a key that is no longer published (a verification that read the old set and
//! finishes after the swap).
//!
//! Eviction keeps about the most recently used entries: new entries and hits go into the young
//! generation; when it is full it becomes the old one and the previous old one is dropped. A hit
//! in the old generation moves the entry back into the young one.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ring::digest::{Context, SHA256};

use crate::jwk::{Fingerprint, KeySet, RsaKey};

/// Entries kept by default. One takes about 100 bytes at most (a 32-byte digest, an 8-byte key
/// tag, the hash table's slack), so the default costs at most about 1 MB.
pub const DEFAULT_SIGNATURE_CACHE_SIZE: usize = 10_000;

/// What a verifier's signature cache holds and how often it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignatureCacheStats {
    /// Most entries kept (0: the cache is off).
    pub capacity: usize,
    /// Entries kept now.
    pub entries: usize,
    /// Verifications whose signature was found in the cache (no RSA check).
    pub hits: u64,
    /// Verifications whose signature was checked with RSA (not found, or the cache is off).
    pub misses: u64,
}

/// The digest of (key, token): compared in constant time, hashed in full.
#[derive(Clone, Copy)]
struct Entry([u8; 32]);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        // No early exit: how long a comparison takes says nothing about where digests differ.
        self.0
            .iter()
            .zip(&other.0)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Eq for Entry {}

impl Hash for Entry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(&self.0);
    }
}

/// Which key an entry belongs to, for dropping a key's entries: the fingerprint's first 8
/// bytes. A hit never relies on it (the digest holds the whole fingerprint).
type KeyTag = u64;

fn tag(fingerprint: &Fingerprint) -> KeyTag {
    let mut first = [0u8; 8];
    first.copy_from_slice(&fingerprint[..8]);
    u64::from_be_bytes(first)
}

#[derive(Default)]
struct Generations {
    young: HashMap<Entry, KeyTag>,
    old: HashMap<Entry, KeyTag>,
    /// The keys of the JWKS installed now.
    live: HashSet<KeyTag>,
}

pub(crate) struct SignatureCache {
    capacity: usize,
    generations: Mutex<Generations>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl SignatureCache {
    /// A cache of at most `capacity` entries (0: off) for the keys of `keys`.
    pub fn new(capacity: usize, keys: &KeySet) -> SignatureCache {
        let cache = SignatureCache {
            capacity,
            generations: Mutex::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        };
        cache.keep_only(keys);
        cache
    }

    /// Whether `token`'s signature (over `signing_input`) is valid under `key`: from the cache,
    /// or by the RSA check, whose success is then remembered.
    pub fn verifies(
        &self,
        key: &RsaKey,
        token: &str,
        signing_input: &[u8],
        signature: &[u8],
    ) -> bool {
        if self.capacity == 0 {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return key.verifies(signing_input, signature);
        }
        let entry = digest(key.fingerprint(), token);
        if self.lookup(entry) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let valid = key.verifies(signing_input, signature);
        if valid {
            self.insert(entry, tag(key.fingerprint()));
        }
        valid
    }

    /// Drops the entries of every key not in `keys`, which becomes the set entries may be
    /// added for. Called whenever a JWKS is installed.
    pub fn keep_only(&self, keys: &KeySet) {
        let live: HashSet<KeyTag> = keys.fingerprints().map(tag).collect();
        let mut g = self.lock();
        g.young.retain(|_, key| live.contains(key));
        g.old.retain(|_, key| live.contains(key));
        g.live = live;
    }

    pub fn stats(&self) -> SignatureCacheStats {
        let g = self.lock();
        SignatureCacheStats {
            capacity: self.capacity,
            entries: g.young.len() + g.old.len(),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // The maps stay consistent whatever panicked while holding the lock.
        self.generations.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lookup(&self, entry: Entry) -> bool {
        let mut g = self.lock();
        if g.young.contains_key(&entry) {
            return true;
        }
        match g.old.remove(&entry) {
            Some(key) => {
                self.add(&mut g, entry, key);
                true
            }
            None => false,
        }
    }

    fn insert(&self, entry: Entry, key: KeyTag) {
        let mut g = self.lock();
        if g.live.contains(&key) {
            self.add(&mut g, entry, key);
        }
    }

    /// Adds to the young generation, turning it old first when it is full. Each generation
    /// holds at most half the capacity, so both together never exceed it.
    fn add(&self, g: &mut Generations, entry: Entry, key: KeyTag) {
        let young_max = (self.capacity / 2).max(1);
        if g.young.len() >= young_max {
            g.old = std::mem::take(&mut g.young);
            if self.capacity == 1 {
                g.old.clear();
            }
        }
        g.young.insert(entry, key);
    }
}

impl fmt::Debug for SignatureCache {
    /// Counts only: the digests identify tokens, so they are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.stats(), f)
    }
}

/// SHA-256 of the key's fingerprint and the token's exact bytes.
fn digest(key: &Fingerprint, token: &str) -> Entry {
    let mut h = Context::new(&SHA256);
    h.update(b"cognito-verify signature v1\0");
    h.update(key);
    h.update(token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(h.finish().as_ref());
    Entry(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use serde_json::json;

    fn key_set(kids: &[&str]) -> KeySet {
        let mut n = vec![0xffu8; 256];
        n[0] = 0xc5;
        let keys: Vec<_> = kids
            .iter()
            .map(|kid| json!({"kid": kid, "kty": "RSA", "n": URL_SAFE_NO_PAD.encode(&n), "e": "AQAB"}))
            .collect();
        KeySet::parse(json!({ "keys": keys }).to_string().as_bytes()).unwrap()
    }

    fn fingerprint(set: &KeySet, kid: &str) -> Fingerprint {
        match &*set.get(kid).unwrap() {
            crate::jwk::Key::Rsa(k) => *k.fingerprint(),
            crate::jwk::Key::Unusable(r) => panic!("{r}"),
        }
    }

    fn entry(i: usize) -> Entry {
        digest(&[7; 32], &format!("token-{i}"))
    }

    #[test]
    fn never_more_than_the_capacity_and_recent_entries_stay() {
        let set = key_set(&["a"]);
        let a = tag(&fingerprint(&set, "a"));
        for capacity in [1, 2, 3, 10, 101] {
            let cache = SignatureCache::new(capacity, &set);
            for i in 0..1000 {
                cache.insert(entry(i), a);
                assert!(cache.stats().entries <= capacity, "{capacity}: {i}");
                assert!(cache.lookup(entry(i)), "{capacity}: the newest stays");
            }
        }
        // An entry used all along survives a stream of others.
        let cache = SignatureCache::new(10, &set);
        cache.insert(entry(0), a);
        for i in 1..1000 {
            cache.insert(entry(i), a);
            assert!(cache.lookup(entry(0)), "hot entry evicted at {i}");
        }
        assert!(!cache.lookup(entry(1)), "a cold one is evicted");
    }

    #[test]
    fn entries_of_a_key_that_leaves_are_dropped_and_not_added_again() {
        let both = key_set(&["a", "b"]);
        let (a, b) = (tag(&fingerprint(&both, "a")), tag(&fingerprint(&both, "b")));
        assert_ne!(a, b, "the kid is part of the fingerprint");
        let cache = SignatureCache::new(100, &both);
        cache.insert(entry(1), a);
        cache.insert(entry(2), b);
        assert_eq!(cache.stats().entries, 2);
        cache.keep_only(&key_set(&["b"]));
        assert_eq!(cache.stats().entries, 1);
        assert!(!cache.lookup(entry(1)) && cache.lookup(entry(2)));
        // A verification that read the old set and finishes late adds nothing for `a`.
        cache.insert(entry(3), a);
        assert!(!cache.lookup(entry(3)));
    }

    #[test]
    fn off_keeps_nothing_and_debug_shows_counts_only() {
        let cache = SignatureCache::new(0, &key_set(&["a"]));
        assert_eq!(cache.stats().capacity, 0);
        let cache = SignatureCache::new(4, &key_set(&["a"]));
        assert_eq!(
            format!("{cache:?}"),
            "SignatureCacheStats { capacity: 4, entries: 0, hits: 0, misses: 0 }"
        );
    }

    #[test]
    fn digests_bind_key_and_every_byte() {
        let (k1, k2) = ([1u8; 32], [2u8; 32]);
        assert!(digest(&k1, "x.y.z") == digest(&k1, "x.y.z"));
        assert!(digest(&k1, "x.y.z") != digest(&k2, "x.y.z"));
        assert!(digest(&k1, "x.y.z") != digest(&k1, "x.y.Z"));
        assert!(digest(&k1, "x.y.z") != digest(&k1, "x.y.z "));
    }
}
