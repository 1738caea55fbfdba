//! Endpoint resolution: an interpreter for `smithy.rules#endpointRuleSet` (rules engine 1.0),
//! with the standard library (`isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `coalesce`, `ite`, `split`) and the
//! AWS functions (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`).

mod bindings;
mod eval;
mod partition;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

pub(crate) use bindings::apply_host_prefix;
pub use bindings::{is_host_label, EndpointBindings, StaticParam};
pub use partition::{partition, Partition};

use eval::RuleSet;

/// A rule set's JSON text, parsed once on first use. `const`-constructible for `static`s.
pub struct RuleSetSource {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, EndpointError>>,
}

impl RuleSetSource {
    /// Wrap the rule set JSON (the value of the `smithy.rules#endpointRuleSet` trait).
    pub const fn new(json: &'static str) -> Self {
        RuleSetSource {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn json(&self) -> &'static str {
        self.json
    }

    pub(crate) fn rule_set(&self) -> Result<&RuleSet, EndpointError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.json))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The names of the parameters bound to a built-in (`AWS::Region` → `Region`).
    pub fn builtin_parameters(&self) -> Result<Vec<(String, String)>, EndpointError> {
        Ok(self.rule_set()?.builtins())
    }
}

impl fmt::Debug for RuleSetSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleSetSource({} bytes of JSON)", self.json.len())
    }
}

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

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: BTreeMap<String, Vec<String>>,
    properties: serde_json::Map<String, serde_json::Value>,
}

impl Endpoint {
    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers the endpoint requires.
    pub fn headers(&self) -> &BTreeMap<String, Vec<String>> {
        &self.headers
    }

    /// Endpoint properties (`authSchemes`, ...), as JSON.
    pub fn properties(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.properties
    }

    /// The region to sign with from `authSchemes` (`signingRegion` of a sigv4 scheme), if any.
    pub fn signing_region(&self) -> Option<&str> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))?
            .get("signingRegion")?
            .as_str()
    }

    /// The signing name from `authSchemes` (`signingName` of a sigv4 scheme), if any.
    pub fn signing_name(&self) -> Option<&str> {
        self.properties
            .get("authSchemes")?
            .as_array()?
            .iter()
            .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))?
            .get("signingName")?
            .as_str()
    }
}

/// Resolution failed: an `error` rule matched (its message verbatim), no rule matched, or the
/// rule set is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    /// The message (for an `error` rule: exactly the rule's message).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// Resolve an endpoint from a rule set and parameters.
pub fn resolve(rules: &RuleSetSource, params: &Params) -> Result<Endpoint, EndpointError> {
    rules.rule_set()?.resolve(params)
}

/// A valid host label: 1-63 of `A-Za-z0-9-`, starting with a letter or digit; with
/// `allow_subdomains`, dot-separated labels each valid.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    let one = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && label.as_bytes()[0] != b'-'
    };
    if allow_subdomains {
        value.split('.').all(one)
    } else {
        one(value)
    }
}
