//! Challenge parameters that hold structured values inside strings: JSON arrays and objects
//! (`MFAS_CAN_SETUP`, `requiredAttributes`, `userAttributes`), and moto's Python-style lists
//! (`"['SOFTWARE_TOKEN_MFA']"`). Parsing never fails: what cannot be read is left out.

use std::collections::{BTreeMap, HashMap};

/// The prefix Cognito puts before attribute names in NEW_PASSWORD_REQUIRED.
pub(crate) const USER_ATTRIBUTES_PREFIX: &str = "userAttributes.";

/// A list of names from a JSON array string, a Python-style list, or a bare comma-separated
/// list. Surrounding quotes and whitespace are removed; empty entries are dropped.
pub(crate) fn name_list(text: &str) -> Vec<String> {
    let text = text.trim();
    if let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(text) {
        return values
            .into_iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
            .filter(|s| !s.is_empty())
            .collect();
    }
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    inner
        .split(',')
        .map(|item| {
            item.trim()
                .trim_matches(|c| c == '\'' || c == '"')
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// A list parameter, empty when absent.
pub(crate) fn list_param(params: &HashMap<String, String>, key: &str) -> Vec<String> {
    params.get(key).map(|v| name_list(v)).unwrap_or_default()
}

/// A JSON object string of attributes (`userAttributes`), values as text. Non-string values
/// keep their JSON text; `null` values are left out.
pub(crate) fn attribute_map(text: &str) -> BTreeMap<String, String> {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text.trim()) {
        Ok(map) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((strip_attribute_prefix(&k), s)),
                serde_json::Value::Null => None,
                other => Some((strip_attribute_prefix(&k), other.to_string())),
            })
            .collect(),
        Err(_) => BTreeMap::new(),
    }
}

/// `userAttributes.name` → `name`.
pub(crate) fn strip_attribute_prefix(name: &str) -> String {
    name.strip_prefix(USER_ATTRIBUTES_PREFIX)
        .unwrap_or(name)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_in_every_shape() {
        let want = vec!["SMS_MFA".to_owned(), "SOFTWARE_TOKEN_MFA".to_owned()];
        assert_eq!(name_list(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#), want);
        assert_eq!(name_list("['SMS_MFA', 'SOFTWARE_TOKEN_MFA']"), want);
        assert_eq!(name_list("SMS_MFA,SOFTWARE_TOKEN_MFA"), want);
        assert_eq!(name_list(" [ \"SMS_MFA\" , 'SOFTWARE_TOKEN_MFA' ] "), want);
        assert_eq!(
            name_list("['SOFTWARE_TOKEN_MFA']"),
            vec!["SOFTWARE_TOKEN_MFA"]
        );
        assert!(name_list("").is_empty());
        assert!(name_list("[]").is_empty());
        assert!(name_list("[ ]").is_empty());
        assert_eq!(name_list("[\"a\", null, 3]"), vec!["a", "3"]);
    }

    #[test]
    fn attributes() {
        let m = attribute_map(r#"{"email":"a@b.c","email_verified":true,"phone_number":null}"#);
        assert_eq!(m.get("email").map(String::as_str), Some("a@b.c"));
        assert_eq!(m.get("email_verified").map(String::as_str), Some("true"));
        assert!(!m.contains_key("phone_number"));
        assert!(attribute_map("not json").is_empty());
        assert_eq!(
            name_list(r#"["userAttributes.given_name"]"#)
                .iter()
                .map(|n| strip_attribute_prefix(n))
                .collect::<Vec<_>>(),
            vec!["given_name"]
        );
    }
}
