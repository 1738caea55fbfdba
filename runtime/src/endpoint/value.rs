//! The values a rule set computes with: strings, booleans, integers, arrays and records.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::params::ParamValue;

/// Values during evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    None,
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Record(BTreeMap<String, Value>),
}

impl Value {
    pub(super) fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            _ => true,
        }
    }

    pub(super) fn to_json(&self) -> Json {
        match self {
            Value::None => Json::Null,
            Value::Str(s) => Json::String(s.clone()),
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Record(map) => {
                Json::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Value::None => "none",
            Value::Str(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Record(_) => "record",
        }
    }
}

impl From<&ParamValue> for Value {
    fn from(p: &ParamValue) -> Self {
        match p {
            ParamValue::String(s) => Value::Str(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(v) => Value::Array(v.iter().cloned().map(Value::Str).collect()),
            ParamValue::Unset => Value::None,
        }
    }
}
