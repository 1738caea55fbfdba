//! awsJson1_1 on the server side: the body parsed as a JSON object, decoded into the
//! operation's generated input with the errors Cognito gives (a member of the wrong JSON type is
//! a SerializationException, a missing required member or a broken `@length` / `@range` /
//! `@pattern` constraint an InvalidParameterException naming the member), and the generated
//! output encoded back.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{lower_camel, ApiError, ApiResult};
use crate::model::{Validate, Validator};

/// Largest request body accepted; bigger ones get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The request body as a JSON object (an empty body is `{}`), with AWS's errors otherwise.
pub(crate) fn parse_members(body: &[u8]) -> ApiResult<Map<String, Value>> {
    let value: Value = if body.iter().all(|b| b.is_ascii_whitespace()) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::serialization(format!(
                "Malformed JSON request body at line {} column {}",
                e.line(),
                e.column()
            ))
        })?
    };
    match value {
        Value::Object(members) => Ok(members),
        _ => Err(ApiError::serialization(
            "Start of structure or map expected: the request body must be a JSON object",
        )),
    }
}

/// Constraints of the model that Cognito does not enforce: (operation, member). A custom
/// domain (`auth.example.com`) is refused by DomainType's pattern, which only fits prefix
/// domains; the operations check domains themselves.
const NOT_ENFORCED: &[(&str, &str)] = &[
    ("CreateUserPoolDomain", "Domain"),
    ("UpdateUserPoolDomain", "Domain"),
    ("DeleteUserPoolDomain", "Domain"),
    ("DescribeUserPoolDomain", "Domain"),
];

/// Decodes request members into operation `op`'s generated input and checks the model's
/// constraints on it. A JSON `null` counts as absent, as it does for AWS.
pub(crate) fn decode<I: DeserializeOwned + Validate>(
    op: &str,
    members: Map<String, Value>,
) -> ApiResult<I> {
    let mut value = Value::Object(members);
    drop_nulls(&mut value);
    let input: I = serde_path_to_error::deserialize(value).map_err(|e| decode_error(&e))?;
    if let Err(e) = Validator::check(&input) {
        let enforced: Vec<&crate::model::ValidationProblem> = e
            .problems()
            .iter()
            .filter(|p| !NOT_ENFORCED.contains(&(op, p.member.as_str())))
            .collect();
        if !enforced.is_empty() {
            return Err(validation_error(&enforced));
        }
    }
    Ok(input)
}

/// A generated output as the response body.
pub(crate) fn encode<O: Serialize>(output: &O) -> ApiResult<Value> {
    serde_json::to_value(output)
        .map_err(|e| ApiError::internal(format!("The response could not be encoded: {e}")))
}

fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The member path as AWS writes it in validation messages: lower camel case, list items as
/// `N.member` counted from 1 (`schema.2.member.name`).
fn aws_path(segments: &[Segment]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in segments {
        match s {
            Segment::Member(name) => parts.push(lower_camel(name)),
            Segment::Index(i) => parts.push(format!("{}.member", i + 1)),
            Segment::Key(k) => parts.push(k.clone()),
        }
    }
    parts.join(".")
}

enum Segment {
    Member(String),
    Index(usize),
    Key(String),
}

fn segments_of(path: &serde_path_to_error::Path) -> Vec<Segment> {
    use serde_path_to_error::Segment as S;
    path.iter()
        .filter_map(|s| match s {
            S::Map { key } => Some(Segment::Member(key.clone())),
            S::Seq { index } => Some(Segment::Index(*index)),
            S::Enum { variant } => Some(Segment::Member(variant.clone())),
            S::Unknown => None,
        })
        .collect()
}

fn decode_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let mut segments = segments_of(e.path());
    let message = e.inner().to_string();
    if let Some(member) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        segments.push(Segment::Member(member.to_owned()));
        return ApiError::null_at(&aws_path(&segments));
    }
    // serde's text names the value it found; only the expected type is repeated, so no
    // password sent as a number shows up in an error.
    let expected = message
        .rsplit_once(", expected ")
        .map(|(_, t)| t.to_owned())
        .unwrap_or_else(|| "a value of the member's type".to_owned());
    let member = e.path().to_string();
    ApiError::serialization(format!(
        "Unexpected JSON type for member {member}: expected {expected}"
    ))
}

/// The model's constraints, worded as Cognito words them (without the value, which may be a
/// secret).
fn validation_error(problems: &[&crate::model::ValidationProblem]) -> ApiError {
    let problems: Vec<String> = problems
        .iter()
        .map(|p| {
            let path = aws_path(&wire_path_segments(&p.member));
            format!(
                "Value at '{path}' failed to satisfy constraint: {}",
                rule_text(&p.rule)
            )
        })
        .collect();
    let n = problems.len();
    ApiError::invalid_parameter(format!(
        "{n} validation error{} detected: {}",
        if n == 1 { "" } else { "s" },
        problems.join("; ")
    ))
}

/// `Schema[0].Name` -> members and indexes.
fn wire_path_segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(Segment::Member(rest[..i].to_owned()));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else {
                    break;
                };
                let inside = &stripped[..end];
                match inside.parse::<usize>() {
                    Ok(n) => out.push(Segment::Index(n)),
                    Err(_) => out.push(Segment::Key(inside.trim_matches('"').to_owned())),
                }
                rest = &stripped[end + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Segment::Member(rest.to_owned()));
        }
    }
    out
}

/// The runtime's rule ("length 0 is outside [1, 128]", ...) in Cognito's words.
fn rule_text(rule: &impl std::fmt::Display) -> String {
    let rule = rule.to_string();
    let bounds = |text: &str| -> (Option<String>, Option<String>) {
        let inner = text
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let (a, b) = inner.split_once(", ").unwrap_or(("..", ".."));
        let f = |s: &str| (s != "..").then(|| s.to_owned());
        (f(a), f(b))
    };
    if let Some(rest) = rule.strip_prefix("length ") {
        if let Some((actual, range)) = rest.split_once(" is outside ") {
            let (min, max) = bounds(range);
            let actual: u64 = actual.parse().unwrap_or(0);
            return match (min, max) {
                (_, Some(max)) if actual > max.parse().unwrap_or(u64::MAX) => {
                    format!("Member must have length less than or equal to {max}")
                }
                (Some(min), _) => format!("Member must have length greater than or equal to {min}"),
                _ => "Member must have a valid length".to_owned(),
            };
        }
    }
    if let Some(range) = rule.strip_prefix("value is outside the range ") {
        return match bounds(range) {
            (Some(min), Some(max)) => format!("Member must have value between {min} and {max}"),
            (Some(min), None) => format!("Member must have value greater than or equal to {min}"),
            (None, Some(max)) => format!("Member must have value less than or equal to {max}"),
            (None, None) => "Member must be a number".to_owned(),
        };
    }
    if let Some(pattern) = rule.strip_prefix("value does not match the pattern ") {
        return format!("Member must satisfy regular expression pattern: {pattern}");
    }
    if rule == "required member is missing" {
        return "Member must not be null".to_owned();
    }
    rule
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CreateGroupInput, InitiateAuthInput};
    use serde_json::json;

    fn members(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn missing_wrong_type_null_and_constraints() {
        let e = decode::<InitiateAuthInput>("InitiateAuth", members(json!({"ClientId": "abc"})))
            .unwrap_err();
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null"
        );
        let e = decode::<InitiateAuthInput>(
            "InitiateAuth",
            members(json!({"AuthFlow": 7, "ClientId": "c"})),
        )
        .unwrap_err();
        assert_eq!(e.code, "SerializationException");
        assert!(e.message.contains("AuthFlow"), "{}", e.message);
        assert!(
            !e.message.contains('7'),
            "the value is not repeated: {}",
            e.message
        );
        // null is absent
        let e = decode::<InitiateAuthInput>(
            "InitiateAuth",
            members(json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": null})),
        )
        .unwrap_err();
        assert!(e.message.contains("'clientId'"), "{}", e.message);
        let ok = decode::<InitiateAuthInput>(
            "InitiateAuth",
            members(json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "c", "Session": null})),
        )
        .unwrap();
        assert!(ok.session.is_none());
        let e = decode::<CreateGroupInput>(
            "CreateGroup",
            members(json!({"UserPoolId": "us-east-1_x", "GroupName": "", "Precedence": -1})),
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidParameterException");
        assert!(
            e.message.contains(" validation errors detected"),
            "{}",
            e.message
        );
        assert!(e.message.contains("'groupName'"), "{}", e.message);
        assert!(e.message.contains("'precedence'"), "{}", e.message);
    }

    #[test]
    fn nested_paths() {
        let s = wire_path_segments("Schema[1].Name");
        assert_eq!(aws_path(&s), "schema.2.member.name");
    }
}
