//! A map that remembers which entries changed since the last commit, so that `persist` writes
//! exactly those. Every persisted collection of the store is a `Tracked`: reads are free, and
//! every way to change an entry (`get_mut`, `insert`, `remove`, `retain`) records its key.
//! There is no way to change an entry without recording it, which is what makes an answered
//! write durable.

use std::collections::{BTreeMap, BTreeSet};

pub struct Tracked<K: Ord + Clone, V> {
    map: BTreeMap<K, V>,
    touched: BTreeSet<K>,
}

impl<K: Ord + Clone, V> Default for Tracked<K, V> {
    fn default() -> Self {
        Tracked {
            map: BTreeMap::new(),
            touched: BTreeSet::new(),
        }
    }
}

impl<K: Ord + Clone, V> Tracked<K, V> {
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get(key)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.contains_key(key)
    }

    pub fn iter(&self) -> std::collections::btree_map::Iter<'_, K, V> {
        self.map.iter()
    }

    pub fn values(&self) -> std::collections::btree_map::Values<'_, K, V> {
        self.map.values()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// The entry, recorded as changed.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ToOwned<Owned = K> + ?Sized,
    {
        let value = self.map.get_mut(key)?;
        self.touched.insert(key.to_owned());
        Some(value)
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.touched.insert(key.clone());
        self.map.insert(key, value)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ToOwned<Owned = K> + ?Sized,
    {
        let removed = self.map.remove(key)?;
        self.touched.insert(key.to_owned());
        Some(removed)
    }

    /// Keeps the entries `keep` accepts; the others are removed and recorded.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let touched = &mut self.touched;
        self.map.retain(|k, v| {
            let kept = keep(k, v);
            if !kept {
                touched.insert(k.clone());
            }
            kept
        });
    }

    /// Removes entries without recording them: for records that expire by themselves (a
    /// loaded record past its expiry is dropped on load anyway).
    pub fn expire(&mut self, mut keep: impl FnMut(&V) -> bool) {
        self.map.retain(|_, v| keep(v));
    }

    /// The keys changed since the last call, and forgets them.
    pub fn take_touched(&mut self) -> BTreeSet<K> {
        std::mem::take(&mut self.touched)
    }

    /// The entry without recording a change: for `persist`, which drains the change marks of
    /// what a pool holds, and for loading.
    pub fn peek_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_mut(key)
    }

    /// Puts an entry loaded from the state directory (not a change).
    pub fn load(&mut self, key: K, value: V) {
        self.map.insert(key, value);
    }

    /// Removes an entry because the state directory says so (not a change).
    pub fn unload(&mut self, key: &K) {
        self.map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_is_recorded_once_and_reads_are_not() {
        let mut t: Tracked<String, u32> = Tracked::default();
        t.load("a".into(), 1);
        t.load("b".into(), 2);
        let _ = t.get("a");
        assert!(t.take_touched().is_empty());
        *t.get_mut("a").unwrap() += 1;
        t.insert("c".into(), 3);
        t.remove("b");
        assert!(t.get_mut("zz").is_none());
        t.retain(|k, _| k != "c");
        t.expire(|v| *v < 10);
        let touched: Vec<String> = t.take_touched().into_iter().collect();
        assert_eq!(touched, ["a", "b", "c"]);
        assert!(t.take_touched().is_empty());
        assert_eq!(t.len(), 1);
    }
}
