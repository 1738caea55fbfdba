//! The parameters a rule set is evaluated with (`Region`, `UseFIPS`, `Endpoint`, ...).

use std::collections::BTreeMap;

use super::resolved::EndpointError;

/// The value of one endpoint parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A string parameter.
    String(String),
    /// A boolean parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
    /// Explicitly unset (JSON `null`): the same as not setting the parameter.
    Unset,
}

/// JSON strings, booleans and string arrays map to their variants; `null` is
/// [`ParamValue::Unset`]; numbers and objects become their JSON text (and then fail the
/// parameter's type check).
impl From<serde_json::Value> for ParamValue {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::String(s) => ParamValue::String(s),
            serde_json::Value::Bool(b) => ParamValue::Bool(b),
            serde_json::Value::Null => ParamValue::Unset,
            serde_json::Value::Array(items) => ParamValue::StringArray(
                items
                    .into_iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .collect(),
            ),
            other => ParamValue::String(other.to_string()),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(v: Vec<String>) -> Self {
        ParamValue::StringArray(v)
    }
}

/// Endpoint parameters by name (`Region`, `UseFIPS`, `UseDualStack`, `Endpoint`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No parameters set.
    pub fn new() -> Self {
        Params::default()
    }

    /// Set a parameter (a `serde_json::Value`, `&str`, `String`, `bool` or `Vec<String>`).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        self.values.insert(name.into(), value.into());
    }

    /// Set a parameter, builder style.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// A parameter's value.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// From a JSON object like an endpoint test case's `params`
    /// (`{"Region": "us-east-1", "UseFIPS": false}`).
    pub fn from_json(value: &serde_json::Value) -> Result<Self, EndpointError> {
        let Some(map) = value.as_object() else {
            return Err(EndpointError::new("endpoint params must be a JSON object"));
        };
        let mut params = Params::new();
        for (k, v) in map {
            let value = match v {
                serde_json::Value::String(s) => ParamValue::String(s.clone()),
                serde_json::Value::Bool(b) => ParamValue::Bool(*b),
                serde_json::Value::Array(items) => ParamValue::StringArray(
                    items
                        .iter()
                        .map(|i| {
                            i.as_str().map(str::to_string).ok_or_else(|| {
                                EndpointError::new(format!("parameter {k}: not a string array"))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                ),
                serde_json::Value::Null => ParamValue::Unset,
                _ => {
                    return Err(EndpointError::new(format!(
                        "parameter {k}: unsupported value type"
                    )))
                }
            };
            params.values.insert(k.clone(), value);
        }
        Ok(params)
    }

    /// From a JSON text (see [`Params::from_json`]).
    pub fn from_json_str(text: &str) -> Result<Self, EndpointError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| EndpointError::new(format!("endpoint params are not JSON: {e}")))?;
        Params::from_json(&value)
    }
}
