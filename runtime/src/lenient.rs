//! Maps of strings as real servers send them.
//!
//! The model says a map's values are strings, but servers that emulate a service are not always
//! that strict: moto sends InitiateAuth's `ChallengeParameters` `MFAS_CAN_SETUP` as a JSON array.
//! A strict decoder fails the whole call on such a value; this one keeps it as its JSON text
//! (`["SMS_MFA"]`), so the rest of the answer is usable and nothing sent is lost. A `null` value
//! in a dense map is left out (the map cannot hold it), as AWS SDKs do; a sparse map keeps it.
//!
//! The public types stay the plain `HashMap<String, String>` of aws-sdk-rust. The generator marks
//! every member whose type holds such a map, in the shapes an output or error reaches (what a
//! client decodes), with
//! `#[serde(default, deserialize_with = "::awsjson_runtime::private::lenient")]` (`default` where
//! the member may be absent) and decodes such union variants with [`lenient`] too; [`Lenient`]
//! walks lists, maps, options and boxes around the string maps, so a map inside a list is decoded
//! the same way. Shapes only inputs reach stay strict: a server built on the generated types
//! (the emulator) refuses a non-string value as the service does.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// Decodes a member whose type holds maps of strings, accepting non-string values in them.
pub fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    T::deserialize_lenient(deserializer)
}

/// A type that holds maps of strings and decodes them leniently (see the module docs).
pub trait Lenient: Sized {
    /// Decode, keeping non-string map values as their JSON text.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A map value as text: a string as itself, anything else as its JSON, `null` as `None`.
fn value_text(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl Lenient for HashMap<String, String> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = HashMap::<String, Value>::deserialize(deserializer)?;
        Ok(raw
            .into_iter()
            .filter_map(|(k, v)| value_text(v).map(|v| (k, v)))
            .collect())
    }
}

/// A sparse map of strings: `null` values are kept as `None`.
impl Lenient for HashMap<String, Option<String>> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = HashMap::<String, Value>::deserialize(deserializer)?;
        Ok(raw.into_iter().map(|(k, v)| (k, value_text(v))).collect())
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::deserialize_lenient(d).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<T: Lenient> Lenient for Box<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(deserializer).map(Box::new)
    }
}

/// Decodes one element with [`Lenient`] (for lists and map values that hold string maps).
struct Seed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize_lenient(d)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element_seed(Seed(PhantomData))? {
                    out.push(item);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

/// A map whose values hold string maps (a map of maps of strings).
impl<T: Lenient> Lenient for HashMap<String, T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for MapVisitor<T> {
            type Value = HashMap<String, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(1024));
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Seed(PhantomData))?;
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Reply {
        #[serde(rename = "ChallengeParameters", default, deserialize_with = "lenient")]
        parameters: Option<HashMap<String, String>>,
        #[serde(rename = "Rows", default, deserialize_with = "lenient")]
        rows: Vec<HashMap<String, String>>,
        #[serde(rename = "Sparse", default, deserialize_with = "lenient")]
        sparse: Option<HashMap<String, Option<String>>>,
        // Boxed on purpose: the `Box` impl is what this member tests.
        #[allow(clippy::box_collection)]
        #[serde(rename = "Nested", default, deserialize_with = "lenient")]
        nested: Option<Box<HashMap<String, HashMap<String, String>>>>,
    }

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn non_string_values_are_kept_as_json_text() {
        let r: Reply = serde_json::from_str(
            r#"{"ChallengeParameters":{"USER_ID_FOR_SRP":"alice","MFAS_CAN_SETUP":["SMS_MFA","SOFTWARE_TOKEN_MFA"],
                "N":5,"B":true,"O":{"a":1},"Gone":null}}"#,
        )
        .unwrap();
        assert_eq!(
            r.parameters,
            Some(map(&[
                ("USER_ID_FOR_SRP", "alice"),
                ("MFAS_CAN_SETUP", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#),
                ("N", "5"),
                ("B", "true"),
                ("O", r#"{"a":1}"#),
            ]))
        );
        assert!(r.rows.is_empty() && r.sparse.is_none() && r.nested.is_none());
    }

    #[test]
    fn every_position_around_a_string_map() {
        let r: Reply = serde_json::from_str(
            r#"{"ChallengeParameters":null,"Rows":[{"a":"1"},{"b":2}],"Sparse":{"x":null,"y":[1]},
                "Nested":{"outer":{"inner":false}}}"#,
        )
        .unwrap();
        assert_eq!(r.parameters, None);
        assert_eq!(r.rows, vec![map(&[("a", "1")]), map(&[("b", "2")])]);
        let sparse = r.sparse.unwrap();
        assert_eq!(sparse["x"], None);
        assert_eq!(sparse["y"].as_deref(), Some("[1]"));
        assert_eq!(r.nested.unwrap()["outer"], map(&[("inner", "false")]));
    }

    #[test]
    fn what_is_not_a_map_is_still_refused() {
        for body in [
            r#"{"ChallengeParameters":["a"]}"#,
            r#"{"ChallengeParameters":"a"}"#,
            r#"{"Rows":{"a":"b"}}"#,
            r#"{"Rows":[1]}"#,
        ] {
            assert!(serde_json::from_str::<Reply>(body).is_err(), "{body}");
        }
    }
}
