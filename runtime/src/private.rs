//! Helpers the generated code calls; not part of the runtime's documented API (their shape may
//! change with the generator that emits the calls, which is versioned with this crate). Logic
//! lives here, in ordinary Rust, so that the expansion is declarations plus calls.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::{Error as _, SerializeMap as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::endpoint::{resolve, Params, RuleSetSource};
use crate::paginate::Paginator;
use crate::{BuildError, ErrorMeta, OperationError, ValidationError};

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

// ---- unions -------------------------------------------------------------------------------

/// Serialize a union whose member `wire` is set to `value` (`{"wire": value}`).
pub fn serialize_union<S: Serializer, T: Serialize + ?Sized>(
    s: S,
    wire: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(wire, value)?;
    m.end()
}

/// Serialize a union whose member `wire` targets `smithy.api#Unit` (`{"wire": {}}`).
pub fn serialize_unit_union<S: Serializer>(s: S, wire: &str) -> Result<S::Ok, S::Error> {
    serialize_union(s, wire, &Map::new())
}

/// A union member this version of the model does not know cannot be sent.
pub fn serialize_unknown_union<S: Serializer>(_s: S) -> Result<S::Ok, S::Error> {
    Err(S::Error::custom("cannot send an unknown union member"))
}

/// The one member set in a union's JSON object: its name and value. `null` members and a
/// `__type` tag are not members; none or several set is an error.
pub fn union_member<'de, D: Deserializer<'de>>(d: D) -> Result<(String, Value), D::Error> {
    let map: Map<String, Value> = Deserialize::deserialize(d)?;
    let mut set = map
        .into_iter()
        .filter(|(k, v)| !v.is_null() && k != "__type");
    let first = set
        .next()
        .ok_or_else(|| D::Error::custom("a union needs exactly one member set"))?;
    if set.next().is_some() {
        return Err(D::Error::custom("a union needs exactly one member set"));
    }
    Ok(first)
}

/// The value of the union member [`union_member`] found, as the member's type.
pub fn union_value<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

// ---- errors -------------------------------------------------------------------------------

/// A modeled error struct: decoded from the error body, then given the response's metadata.
pub trait ModeledError: DeserializeOwned {
    /// Store the response metadata (the struct keeps it in a field the body does not set).
    fn set_meta(&mut self, meta: ErrorMeta);
}

/// Decode a modeled error from its body (the runtime passes `{}` when the response had none);
/// `None` if the body does not fit the error's shape.
pub fn decode_error<E: ModeledError>(meta: &ErrorMeta, body: &[u8]) -> Option<E> {
    let mut e: E = serde_json::from_slice(body).ok()?;
    e.set_meta(meta.clone());
    Some(e)
}

/// How a modeled error displays: `Code: message`, or the code alone.
pub fn fmt_error(f: &mut fmt::Formatter<'_>, code: &str, message: Option<&str>) -> fmt::Result {
    f.write_str(code)?;
    match message {
        Some(m) => write!(f, ": {m}"),
        None => Ok(()),
    }
}

/// How an operation error's `Validation` variant displays.
pub fn fmt_validation(f: &mut fmt::Formatter<'_>, e: &ValidationError) -> fmt::Result {
    write!(f, "ValidationError: {e}")
}

/// A builder's missing required member, as the operation's error (its `Validation` variant).
pub fn build_error<E: OperationError>(e: BuildError) -> E {
    E::validation(ValidationError::from(e))
}

// ---- pagination ---------------------------------------------------------------------------

/// One page's call, boxed so that a generated paginator can name its type.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

/// The paginator of an operation: `call(client, input)` sends one page's input; `set_token`
/// and `next_token` write and read the token members.
pub fn paginator<C, I, O, E, F, Fut>(
    client: C,
    input: I,
    call: F,
    set_token: fn(&mut I, Option<String>),
    next_token: fn(&O) -> Option<String>,
) -> Paginator<I, O, impl FnMut(I) -> PageFuture<O, E>>
where
    C: Clone,
    I: Clone,
    F: Fn(C, I) -> Fut,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
{
    Paginator::new(
        input,
        move |input: I| Box::pin(call(client.clone(), input)) as PageFuture<O, E>,
        set_token,
        next_token,
    )
}

// ---- endpoint rule-set tests ---------------------------------------------------------------

/// One `smithy.rules#endpointTests` case: resolving `params` (a JSON object) with `rules` gives
/// the url (`Ok`) or the error message (`Err`) the model expects; panics (fails the test)
/// otherwise.
pub fn check_endpoint_case(rules: &RuleSetSource, params: &str, expect: Result<&str, &str>) {
    let values: Map<String, Value> =
        serde_json::from_str(params).expect("endpoint test params are a JSON object");
    let mut p = Params::new();
    for (name, value) in values {
        p.set(&name, value);
    }
    match (resolve(rules, &p), expect) {
        (Ok(e), Ok(url)) => assert_eq!(e.url(), url),
        (Err(e), Err(msg)) => assert_eq!(e.to_string(), msg),
        (got, want) => panic!("endpoint resolution gave {got:?}, the model expects {want:?}"),
    }
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
