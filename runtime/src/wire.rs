//! How awsJson writes values whose JSON form is not their type's own: timestamps in a
//! `@timestampFormat` other than epoch seconds, and floats that are NaN or infinite (JSON has no
//! number for them; awsJson sends the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
//!
//! The generated code names a format per member, nested as the member's type is
//! (`#[serde(with = "As::<Opt<List<HttpDate>>>")]` on an `Option<Vec<DateTime>>`), so the same
//! rules hold for members, list items and map values, in both directions.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::types::DateTime;

/// Writes a `T` in this format.
pub trait SerializeAs<T: ?Sized> {
    /// Serialize `value`.
    fn serialize_as<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Reads a `T` in this format.
pub trait DeserializeAs<'de, T>: Sized {
    /// Deserialize a value.
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// The `serde(with = ...)` entry point: `As::<F>::serialize` / `As::<F>::deserialize`.
pub struct As<F: ?Sized>(PhantomData<F>);

impl<F: ?Sized> As<F> {
    /// Serialize `value` in format `F`.
    pub fn serialize<T: ?Sized, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        F: SerializeAs<T>,
    {
        F::serialize_as(value, serializer)
    }

    /// Deserialize a value in format `F`.
    pub fn deserialize<'de, T, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>
    where
        F: DeserializeAs<'de, T>,
    {
        F::deserialize_as(deserializer)
    }
}

/// `T` as written by `F`, as a `Serialize` value.
struct Written<'a, T: ?Sized, F: ?Sized>(&'a T, PhantomData<F>);

impl<T: ?Sized, F: SerializeAs<T> + ?Sized> Serialize for Written<'_, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        F::serialize_as(self.0, serializer)
    }
}

/// `T` as read by `F`, as a `Deserialize` value.
struct Read<T, F>(T, PhantomData<F>);

impl<'de, T, F: DeserializeAs<'de, T>> Deserialize<'de> for Read<T, F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        F::deserialize_as(deserializer).map(|v| Read(v, PhantomData))
    }
}

/// `value` as format `F` writes it (a union variant's value, a map entry's).
pub fn written<'a, F: SerializeAs<T> + ?Sized + 'a, T: ?Sized>(
    value: &'a T,
) -> impl Serialize + 'a {
    Written::<T, F>(value, PhantomData)
}

/// Read a `T` in format `F` from a JSON value (a union variant's value).
pub fn from_value<F, T>(value: serde_json::Value) -> Result<T, serde_json::Error>
where
    F: for<'de> DeserializeAs<'de, T>,
{
    F::deserialize_as(value)
}

/// An optional value (an unset member, or a null item of a `@sparse` list or map).
pub struct Opt<F>(PhantomData<F>);

impl<T, F: SerializeAs<T>> SerializeAs<Option<T>> for Opt<F> {
    fn serialize_as<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&Written::<T, F>(v, PhantomData)),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de, T, F: DeserializeAs<'de, T>> DeserializeAs<'de, Option<T>> for Opt<F> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        Ok(Option::<Read<T, F>>::deserialize(deserializer)?.map(|r| r.0))
    }
}

/// A list whose items are written by `F`.
pub struct List<F>(PhantomData<F>);

impl<T, F: SerializeAs<T>> SerializeAs<Vec<T>> for List<F> {
    fn serialize_as<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&Written::<T, F>(item, PhantomData))?;
        }
        seq.end()
    }
}

impl<'de, T, F: DeserializeAs<'de, T>> DeserializeAs<'de, Vec<T>> for List<F> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        Ok(Vec::<Read<T, F>>::deserialize(deserializer)?
            .into_iter()
            .map(|r| r.0)
            .collect())
    }
}

/// A map (string keys) whose values are written by `F`.
pub struct Map<F>(PhantomData<F>);

impl<T, F: SerializeAs<T>> SerializeAs<HashMap<String, T>> for Map<F> {
    fn serialize_as<S: Serializer>(
        value: &HashMap<String, T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(value.len()))?;
        for (k, v) in value {
            map.serialize_entry(k, &Written::<T, F>(v, PhantomData))?;
        }
        map.end()
    }
}

impl<'de, T, F: DeserializeAs<'de, T>> DeserializeAs<'de, HashMap<String, T>> for Map<F> {
    fn deserialize_as<D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HashMap<String, T>, D::Error> {
        Ok(HashMap::<String, Read<T, F>>::deserialize(deserializer)?
            .into_iter()
            .map(|(k, r)| (k, r.0))
            .collect())
    }
}

/// Smithy `epoch-seconds` (a JSON number; awsJson's default, [`DateTime`]'s own serde form).
pub struct EpochSeconds;

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
}

impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        DateTime::deserialize(deserializer)
    }
}

/// Smithy `date-time`: an RFC 3339 string, written in UTC with `Z`.
pub struct DateTimeText;

impl SerializeAs<DateTime> for DateTimeText {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if !value.fits_four_digit_year() {
            return Err(serde::ser::Error::custom(
                "a date-time timestamp must fall in the years 0001-9999",
            ));
        }
        serializer.serialize_str(&value.to_date_time())
    }
}

impl<'de> DeserializeAs<'de, DateTime> for DateTimeText {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_any(TextVisitor(
            DateTime::parse_date_time,
            "date-time (RFC 3339)",
        ))
    }
}

/// Smithy `http-date`: an IMF-fixdate string (`Tue, 29 Apr 2014 18:30:38 GMT`).
pub struct HttpDate;

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if !value.fits_four_digit_year() {
            return Err(serde::ser::Error::custom(
                "an http-date timestamp must fall in the years 0001-9999",
            ));
        }
        serializer.serialize_str(&value.to_http_date())
    }
}

impl<'de> DeserializeAs<'de, DateTime> for HttpDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_str(TextVisitor(
            DateTime::parse_http_date,
            "an IMF-fixdate string",
        ))
    }
}

type Parse = fn(&str) -> Result<DateTime, crate::timestamp::TimestampParseError>;

struct TextVisitor(Parse, &'static str);

impl TextVisitor {
    fn not_a_string<E: de::Error>(&self) -> E {
        E::custom(format!(
            "not a valid {} timestamp: expected a string",
            self.1
        ))
    }
}

impl Visitor<'_> for TextVisitor {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", self.1)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        (self.0)(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<DateTime, E> {
        Err(self.not_a_string())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<DateTime, E> {
        Err(self.not_a_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<DateTime, E> {
        Err(self.not_a_string())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<DateTime, E> {
        Err(self.not_a_string())
    }
}

/// A `float` or `double`: a JSON number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub struct Float;

/// The awsJson string of a non-finite float, `None` for a finite one.
fn non_finite_text(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("NaN")
    } else if v == f64::INFINITY {
        Some("Infinity")
    } else if v == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

impl SerializeAs<f64> for Float {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(*value) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f64(*value),
        }
    }
}

impl SerializeAs<f32> for Float {
    fn serialize_as<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(f64::from(*value)) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f32(*value),
        }
    }
}

impl<'de> DeserializeAs<'de, f64> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl<'de> DeserializeAs<'de, f32> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        // The narrowing is the model's choice of `float`: values round to the nearest f32.
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            // The value is not echoed: error texts never carry wire values.
            _ => Err(E::custom(
                "not a valid float: expected a number, or \"NaN\", \"Infinity\" or \"-Infinity\"",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "As::<Opt<DateTimeText>>"
        )]
        when: Option<DateTime>,
        #[serde(with = "As::<List<Opt<HttpDate>>>")]
        dates: Vec<Option<DateTime>>,
        #[serde(with = "As::<Map<EpochSeconds>>")]
        epochs: HashMap<String, DateTime>,
        #[serde(with = "As::<List<Float>>")]
        ratios: Vec<f64>,
        #[serde(with = "As::<Float>")]
        single: f32,
    }

    #[test]
    fn nested_formats_both_ways() {
        let wire = json!({
            "when": "2014-04-29T18:30:38.5Z",
            "dates": ["Tue, 29 Apr 2014 18:30:38 GMT", null],
            "epochs": {"a": 1398796238.5},
            "ratios": [1.5, "NaN", "Infinity", "-Infinity", 2],
            "single": "-Infinity",
        });
        let v: Sample = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(
            v.when,
            Some(DateTime::from_secs_and_nanos(1_398_796_238, 5e8 as u32))
        );
        assert_eq!(
            v.dates,
            vec![Some(DateTime::from_secs(1_398_796_238)), None]
        );
        assert!(v.ratios[1].is_nan());
        assert_eq!(v.single, f32::NEG_INFINITY);
        let mut back = serde_json::to_value(&v).unwrap();
        back["ratios"][4] = json!(2);
        assert_eq!(back, wire);
        let absent: Sample =
            serde_json::from_value(json!({"dates": [], "epochs": {}, "ratios": [], "single": 0}))
                .unwrap();
        assert_eq!(absent.when, None);
    }

    #[test]
    fn bad_text_is_a_clear_error() {
        let e = serde_json::from_value::<Sample>(json!({
            "when": "yesterday", "dates": [], "epochs": {}, "ratios": [], "single": 0
        }))
        .unwrap_err();
        assert!(e.to_string().contains("date-time (RFC 3339)"), "{e}");
        let e = serde_json::from_value::<Sample>(json!({
            "dates": [], "epochs": {}, "ratios": ["nan"], "single": 0
        }))
        .unwrap_err();
        assert!(e.to_string().contains("\"NaN\""), "{e}");
    }
}
