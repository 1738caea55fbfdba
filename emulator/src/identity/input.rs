//! Reading request members from the JSON body with the errors AWS gives: a member of the wrong
//! JSON type is a SerializationException, a missing required member an InvalidParameterException.
//! A JSON `null` counts as absent.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// The request body: always a JSON object.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    members: &'a Map<String, Value>,
}

fn wrong_type(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!(
        "Unexpected JSON type for member {member}: expected {expected}"
    ))
}

impl<'a> Input<'a> {
    pub fn new(members: &'a Map<String, Value>) -> Self {
        Input { members }
    }

    fn get(&self, member: &str) -> Option<&'a Value> {
        match self.members.get(member) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    pub fn opt_str(&self, member: &str) -> ApiResult<Option<&'a str>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(wrong_type(member, "string")),
        }
    }

    pub fn str(&self, member: &str) -> ApiResult<&'a str> {
        self.opt_str(member)?
            .ok_or_else(|| ApiError::missing_member(member))
    }

    pub fn opt_bool(&self, member: &str) -> ApiResult<Option<bool>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(member, "boolean")),
        }
    }

    pub fn opt_i64(&self, member: &str) -> ApiResult<Option<i64>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| wrong_type(member, "integer")),
            Some(_) => Err(wrong_type(member, "integer")),
        }
    }

    /// A `map<string, string>` member (AuthParameters, ChallengeResponses, ClientMetadata).
    pub fn opt_string_map(&self, member: &str) -> ApiResult<Option<BTreeMap<String, String>>> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        let Value::Object(m) = value else {
            return Err(wrong_type(member, "map"));
        };
        let mut out = BTreeMap::new();
        for (k, v) in m {
            match v {
                Value::String(s) => {
                    out.insert(k.clone(), s.clone());
                }
                Value::Null => {}
                _ => return Err(wrong_type(member, "map of strings")),
            }
        }
        Ok(Some(out))
    }

    /// A `list<string>` member.
    pub fn opt_string_list(&self, member: &str) -> ApiResult<Option<Vec<String>>> {
        self.opt_list(member, "list of strings", |v| v.as_str().map(str::to_owned))
    }

    /// A `list<structure>` member.
    pub fn opt_object_list(&self, member: &str) -> ApiResult<Option<Vec<Input<'a>>>> {
        self.opt_list(member, "list of structures", |v| {
            v.as_object().map(Input::new)
        })
    }

    /// A list member whose items `item` reads (`None`: an item of the wrong type, named `kind`).
    fn opt_list<T>(
        &self,
        member: &str,
        kind: &str,
        item: impl Fn(&'a Value) -> Option<T>,
    ) -> ApiResult<Option<Vec<T>>> {
        let Some(value) = self.get(member) else {
            return Ok(None);
        };
        let Value::Array(items) = value else {
            return Err(wrong_type(member, "list"));
        };
        items
            .iter()
            .map(|v| item(v).ok_or_else(|| wrong_type(member, kind)))
            .collect::<ApiResult<Vec<_>>>()
            .map(Some)
    }

    pub fn raw(&self, member: &str) -> Option<&'a Value> {
        self.get(member)
    }
}

/// `MaxResults` of the list operations: required, 1 to 60.
pub(crate) fn max_results(input: &Input<'_>) -> ApiResult<usize> {
    match input.opt_i64("MaxResults")? {
        Some(n) if (1..=60).contains(&n) => Ok(n as usize),
        Some(n) => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy \
             constraint: Member must have value between 1 and 60"
        ))),
        None => Err(ApiError::missing_member("MaxResults")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_and_nulls() {
        let v = json!({"A": "x", "B": 1, "C": null, "M": {"k": "v"}, "L": ["a"]});
        let m = v.as_object().unwrap();
        let i = Input::new(m);
        assert_eq!(i.str("A").unwrap(), "x");
        assert_eq!(i.str("B").unwrap_err().code, "SerializationException");
        assert_eq!(i.str("C").unwrap_err().code, "InvalidParameterException");
        assert_eq!(i.opt_string_map("M").unwrap().unwrap()["k"], "v");
        assert_eq!(
            i.opt_string_map("A").unwrap_err().code,
            "SerializationException"
        );
        assert_eq!(i.opt_string_list("L").unwrap().unwrap(), vec!["a"]);
    }
}
