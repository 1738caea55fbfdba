//! Helpers the generated code calls; not part of the runtime's documented API (their shape may
//! change with the generator that emits the calls).

use std::collections::HashMap;

pub use crate::lenient::{lenient, Lenient};

/// A builder's per-item appender: add `item` to the list member, creating it if unset.
pub fn push_item<T>(list: &mut Option<Vec<T>>, item: T) {
    list.get_or_insert_with(Vec::new).push(item);
}

/// A builder's per-entry setter: insert `key` → `value` into the map member, creating it if
/// unset (an existing key's value is replaced, as `HashMap::insert` does).
pub fn insert_entry<V>(map: &mut Option<HashMap<String, V>>, key: String, value: V) {
    map.get_or_insert_with(HashMap::new).insert(key, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appenders_create_then_extend() {
        let mut list = None;
        push_item(&mut list, 1);
        push_item(&mut list, 2);
        assert_eq!(list, Some(vec![1, 2]));
        let mut map = None;
        insert_entry(&mut map, "a".into(), 1);
        insert_entry(&mut map, "b".into(), 2);
        insert_entry(&mut map, "a".into(), 3);
        let map = map.unwrap();
        assert_eq!((map.len(), map["a"], map["b"]), (2, 3, 2));
    }
}
