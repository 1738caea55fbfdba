//! How an operation's input feeds its endpoint: `smithy.rules` context parameters (a member's
//! value, a constant per operation, a path into the input) and the `smithy.api#endpoint` host
//! prefix with its `@hostLabel` members. The generated code only lists the bindings (wire names,
//! constants, paths); reading them from the serialized input happens here.

use serde_json::Value;

use super::{is_valid_host_label, ParamValue, Params};
use crate::validate::{ValidationError, ValidationProblem, ValidationRule};

/// A `smithy.rules#staticContextParams` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticParam {
    /// A boolean parameter.
    Bool(bool),
    /// A string parameter.
    String(&'static str),
    /// A `stringArray` parameter.
    StringArray(&'static [&'static str]),
}

impl StaticParam {
    fn value(&self) -> ParamValue {
        match self {
            StaticParam::Bool(b) => ParamValue::Bool(*b),
            StaticParam::String(s) => ParamValue::String((*s).to_owned()),
            StaticParam::StringArray(items) => {
                ParamValue::StringArray(items.iter().map(|s| (*s).to_owned()).collect())
            }
        }
    }
}

/// What one operation binds to endpoint resolution. `const`-constructible for `static`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointBindings {
    /// `smithy.api#endpoint` `hostPrefix`, with `{Member}` labels (`"{AccountId}."`, `"sync-"`).
    pub host_prefix: Option<&'static str>,
    /// `smithy.rules#contextParam`: (rule parameter, input member wire name).
    pub context_params: &'static [(&'static str, &'static str)],
    /// `smithy.rules#staticContextParams`: (rule parameter, value).
    pub static_params: &'static [(&'static str, StaticParam)],
    /// `smithy.rules#operationContextParams`: (rule parameter, JMESPath into the input:
    /// `A.B`, `A[*].B`, `keys(A)`).
    pub operation_params: &'static [(&'static str, &'static str)],
}

impl EndpointBindings {
    /// An operation that binds nothing.
    pub const NONE: EndpointBindings = EndpointBindings {
        host_prefix: None,
        context_params: &[],
        static_params: &[],
        operation_params: &[],
    };

    /// Whether resolution depends on the operation (so a per-service cache cannot be used).
    pub fn adds_params(&self) -> bool {
        !self.context_params.is_empty()
            || !self.static_params.is_empty()
            || !self.operation_params.is_empty()
    }

    /// Whether the input's values are needed (context parameters or host labels).
    pub fn reads_input(&self) -> bool {
        !self.context_params.is_empty()
            || !self.operation_params.is_empty()
            || self.host_prefix.is_some_and(|p| p.contains('{'))
    }

    /// Set the operation's parameters from the serialized input. A member that is not set
    /// leaves its parameter unset (the rule set then applies its default or its rules for that).
    pub fn add_params(&self, input: &Value, params: &mut Params) {
        for (name, value) in self.static_params {
            params.set(*name, value.value());
        }
        for (name, member) in self.context_params {
            if let Some(v) = input.get(member).and_then(param_value) {
                params.set(*name, v);
            }
        }
        for (name, path) in self.operation_params {
            if let Some(v) = eval_path(input, path).as_ref().and_then(param_value) {
                params.set(*name, v);
            }
        }
    }

    /// The host prefix with its labels filled from the input, each checked to be a host label.
    pub fn host_prefix(&self, input: &Value) -> Result<Option<String>, ValidationError> {
        let Some(template) = self.host_prefix else {
            return Ok(None);
        };
        let mut out = String::with_capacity(template.len());
        let mut problems = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                // A malformed template is the model's problem: keep it literally.
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let member = &rest[open + 1..open + close];
            match input.get(member).and_then(Value::as_str) {
                Some(label) if is_valid_host_label(label, false) => out.push_str(label),
                Some(_) => problems.push(ValidationProblem {
                    member: member.to_owned(),
                    rule: ValidationRule::HostLabel,
                }),
                None => problems.push(ValidationProblem {
                    member: member.to_owned(),
                    rule: ValidationRule::Required,
                }),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        if problems.is_empty() {
            Ok(Some(out))
        } else {
            Err(ValidationError::from_problems(problems))
        }
    }
}

/// Strings, booleans and lists of strings are parameter values; anything else is not.
fn param_value(v: &Value) -> Option<ParamValue> {
    match v {
        Value::String(s) => Some(ParamValue::String(s.clone())),
        Value::Bool(b) => Some(ParamValue::Bool(*b)),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(ParamValue::StringArray),
        _ => None,
    }
}

/// The JMESPath subset `operationContextParams` allows: `keys(P)`, and `P` made of
/// `.`-separated fields, each optionally followed by `[*]` (a projection over a list).
fn eval_path(input: &Value, path: &str) -> Option<Value> {
    let path = path.trim();
    if let Some(inner) = path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        let keys = eval_path(input, inner)?;
        let map = keys.as_object()?;
        return Some(Value::Array(
            map.keys().map(|k| Value::String(k.clone())).collect(),
        ));
    }
    let mut current = vec![input.clone()];
    let mut projected = false;
    for segment in path.split('.') {
        let (field, wildcard) = match segment.strip_suffix("[*]") {
            Some(f) => (f, true),
            None => (segment, false),
        };
        let mut next = Vec::new();
        for v in &current {
            let Some(child) = v.get(field) else { continue };
            match (wildcard, child) {
                (true, Value::Array(items)) => next.extend(items.iter().cloned()),
                (true, _) => {}
                (false, Value::Null) => {}
                (false, other) => next.push(other.clone()),
            }
        }
        projected |= wildcard;
        current = next;
    }
    if projected {
        // A projection flattens one level and drops nulls, as JMESPath does.
        let mut flat = Vec::new();
        for v in current {
            match v {
                Value::Array(items) => flat.extend(items.into_iter().filter(|i| !i.is_null())),
                Value::Null => {}
                other => flat.push(other),
            }
        }
        Some(Value::Array(flat))
    } else {
        current.into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PREFIXED: EndpointBindings = EndpointBindings {
        host_prefix: Some("{AccountId}.data-"),
        ..EndpointBindings::NONE
    };

    #[test]
    fn host_prefix_fills_and_checks_labels() {
        let input = json!({"AccountId": "123456789012"});
        assert_eq!(
            PREFIXED.host_prefix(&input).unwrap().as_deref(),
            Some("123456789012.data-")
        );
        for bad in ["", "a.b", "-lead", "has space", "ünï", &"x".repeat(64)] {
            let err = PREFIXED
                .host_prefix(&json!({ "AccountId": bad }))
                .unwrap_err();
            assert_eq!(err.member(), "AccountId");
            assert_eq!(err.rule(), &ValidationRule::HostLabel, "{bad:?}");
        }
        let err = PREFIXED.host_prefix(&json!({})).unwrap_err();
        assert_eq!(err.rule(), &ValidationRule::Required);
        let constant = EndpointBindings {
            host_prefix: Some("sync-"),
            ..EndpointBindings::NONE
        };
        assert!(!constant.reads_input());
        assert_eq!(
            constant.host_prefix(&json!({})).unwrap().as_deref(),
            Some("sync-")
        );
    }

    #[test]
    fn context_static_and_operation_params() {
        const B: EndpointBindings = EndpointBindings {
            host_prefix: None,
            context_params: &[("StreamARN", "StreamARN"), ("Flag", "Flag")],
            static_params: &[
                ("OperationType", StaticParam::String("control")),
                ("Accel", StaticParam::Bool(true)),
                ("Names", StaticParam::StringArray(&["a", "b"])),
            ],
            operation_params: &[
                ("Keys", "keys(Items)"),
                ("Ids", "Delete.Objects[*].Key"),
                ("Nested", "Delete.Quiet"),
            ],
        };
        let input = json!({
            "StreamARN": "arn:aws:kinesis:us-east-1:123:stream/s",
            "Items": {"t1": 1, "t2": 2},
            "Delete": {"Objects": [{"Key": "k1"}, {"Key": "k2"}, {"Other": 1}], "Quiet": true}
        });
        let mut p = Params::new();
        B.add_params(&input, &mut p);
        assert!(B.adds_params() && B.reads_input());
        let s = |v: &str| Some(ParamValue::String(v.to_owned()));
        let list = |v: &[&str]| {
            Some(ParamValue::StringArray(
                v.iter().map(|s| s.to_string()).collect(),
            ))
        };
        assert_eq!(
            p.get("StreamARN").cloned(),
            s("arn:aws:kinesis:us-east-1:123:stream/s")
        );
        assert_eq!(
            p.get("Flag"),
            None,
            "an unset member leaves its parameter unset"
        );
        assert_eq!(p.get("OperationType").cloned(), s("control"));
        assert_eq!(p.get("Accel"), Some(&ParamValue::Bool(true)));
        assert_eq!(p.get("Names").cloned(), list(&["a", "b"]));
        assert_eq!(p.get("Keys").cloned(), list(&["t1", "t2"]));
        assert_eq!(p.get("Ids").cloned(), list(&["k1", "k2"]));
        assert_eq!(p.get("Nested"), Some(&ParamValue::Bool(true)));
    }
}
