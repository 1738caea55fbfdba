//! Evaluating a parsed rule set against parameters: conditions, assignments, templates and
//! function calls, down to an endpoint or an error rule's message.

use std::collections::BTreeMap;

use super::functions::{
    is_valid_host_label, is_virtual_hostable_bucket, parse_arn, parse_url, partition_record,
    substring, uri_encode,
};
use super::params::{ParamValue, Params};
use super::resolved::{Endpoint, EndpointError};
use super::rules::{parse_path, Expr, ParamType, PathPart, Rule, RuleKind, RuleSet, TemplatePart};
use super::value::Value;

fn err(msg: impl Into<String>) -> EndpointError {
    EndpointError::new(msg)
}

/// Resolve an endpoint: bind the parameters (defaults, types, required), then the first rule
/// that applies decides.
pub(super) fn resolve(rule_set: &RuleSet, params: &Params) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope { vars: Vec::new() };
    for def in &rule_set.params {
        let value = params
            .get(&def.name)
            .filter(|v| **v != ParamValue::Unset)
            .or(def.default.as_ref());
        match value {
            Some(v) => {
                let ok = matches!(
                    (def.ty, v),
                    (ParamType::String, ParamValue::String(_))
                        | (ParamType::Boolean, ParamValue::Bool(_))
                        | (ParamType::StringArray, ParamValue::StringArray(_))
                );
                if !ok {
                    return Err(err(format!(
                        "parameter {} has the wrong type (expected {:?})",
                        def.name, def.ty
                    )));
                }
                scope.vars.push((def.name.clone(), Value::from(v)));
            }
            None if def.required => {
                return Err(err(format!("missing required parameter {}", def.name)))
            }
            None => {}
        }
    }
    match eval_rules(&rule_set.rules, &mut scope)? {
        Some(Outcome::Endpoint(e)) => Ok(e),
        Some(Outcome::Error(m)) => Err(err(m)),
        None => Err(err("no endpoint rule matched the parameters")),
    }
}

struct Scope {
    vars: Vec<(String, Value)>,
}

impl Scope {
    fn get(&self, name: &str) -> Value {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::None)
    }
}

enum Outcome {
    Endpoint(Endpoint),
    Error(String),
}

fn eval_rules(rules: &[Rule], scope: &mut Scope) -> Result<Option<Outcome>, EndpointError> {
    for rule in rules {
        let mark = scope.vars.len();
        let result = eval_rule(rule, scope);
        scope.vars.truncate(mark);
        if let Some(outcome) = result? {
            return Ok(Some(outcome));
        }
    }
    Ok(None)
}

fn eval_rule(rule: &Rule, scope: &mut Scope) -> Result<Option<Outcome>, EndpointError> {
    for cond in &rule.conditions {
        let value = eval(&cond.call, scope)?;
        if !value.truthy() {
            return Ok(None);
        }
        if let Some(name) = &cond.assign {
            scope.vars.push((name.clone(), value));
        }
    }
    match &rule.kind {
        RuleKind::Error(msg) => Ok(Some(Outcome::Error(expect_str(
            eval(msg, scope)?,
            "error",
        )?))),
        RuleKind::Tree(rules) => match eval_rules(rules, scope)? {
            Some(o) => Ok(Some(o)),
            // A tree whose conditions matched must resolve (the rules engine's exhaustiveness).
            None => Err(err("no rule in a matched tree rule applied")),
        },
        RuleKind::Endpoint(def) => {
            let url = expect_str(eval(&def.url, scope)?, "endpoint url")?;
            let mut headers = BTreeMap::new();
            for (name, values) in &def.headers {
                let mut out = Vec::new();
                for v in values {
                    out.push(expect_str(eval(v, scope)?, "header value")?);
                }
                headers.insert(name.clone(), out);
            }
            let mut properties = serde_json::Map::new();
            for (name, v) in &def.properties {
                properties.insert(name.clone(), eval(v, scope)?.to_json());
            }
            Ok(Some(Outcome::Endpoint(Endpoint::new(
                url, headers, properties,
            ))))
        }
    }
}

fn expect_str(v: Value, what: &str) -> Result<String, EndpointError> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(err(format!(
            "{what} must be a string, got {}",
            other.type_name()
        ))),
    }
}

fn get_path(value: &Value, path: &[PathPart]) -> Value {
    let mut cur = value;
    for part in path {
        let next = match (part, cur) {
            (PathPart::Key(k), Value::Record(map)) => map.get(k),
            (PathPart::Index(i), Value::Array(items)) => items.get(*i),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return Value::None,
        }
    }
    cur.clone()
}

fn eval(expr: &Expr, scope: &Scope) -> Result<Value, EndpointError> {
    match expr {
        Expr::Bool(b) => Ok(Value::Bool(*b)),
        Expr::Int(i) => Ok(Value::Int(*i)),
        Expr::Ref(name) => Ok(scope.get(name)),
        Expr::Array(items) => Ok(Value::Array(
            items
                .iter()
                .map(|e| eval(e, scope))
                .collect::<Result<_, _>>()?,
        )),
        Expr::Record(fields) => Ok(Value::Record(
            fields
                .iter()
                .map(|(k, e)| Ok((k.clone(), eval(e, scope)?)))
                .collect::<Result<_, EndpointError>>()?,
        )),
        Expr::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    TemplatePart::Lit(s) => out.push_str(s),
                    TemplatePart::Var(name, path) => {
                        let base = scope.get(name);
                        let v = if path.is_empty() {
                            base
                        } else {
                            get_path(&base, path)
                        };
                        match v {
                            Value::Str(s) => out.push_str(&s),
                            Value::Int(i) => out.push_str(&i.to_string()),
                            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                            other => {
                                return Err(err(format!(
                                    "template variable {name} is {}, not a string",
                                    other.type_name()
                                )))
                            }
                        }
                    }
                }
            }
            Ok(Value::Str(out))
        }
        Expr::Call(name, args) => call(name, args, scope),
    }
}

fn call(name: &str, args: &[Expr], scope: &Scope) -> Result<Value, EndpointError> {
    let arity = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(err(format!(
                "{name} takes {n} argument(s), got {}",
                args.len()
            )))
        }
    };
    let arg = |i: usize| eval(&args[i], scope);
    let str_arg = |i: usize| -> Result<Option<String>, EndpointError> {
        match arg(i)? {
            Value::Str(s) => Ok(Some(s)),
            Value::None => Ok(None),
            other => Err(err(format!(
                "{name}: argument {i} must be a string, got {}",
                other.type_name()
            ))),
        }
    };
    let bool_arg = |i: usize| -> Result<Option<bool>, EndpointError> {
        match arg(i)? {
            Value::Bool(b) => Ok(Some(b)),
            Value::None => Ok(None),
            other => Err(err(format!(
                "{name}: argument {i} must be a boolean, got {}",
                other.type_name()
            ))),
        }
    };
    match name {
        "isSet" => {
            arity(1)?;
            Ok(Value::Bool(arg(0)? != Value::None))
        }
        "not" => {
            arity(1)?;
            Ok(Value::Bool(!arg(0)?.truthy()))
        }
        "booleanEquals" => {
            arity(2)?;
            Ok(Value::Bool(matches!(
                (bool_arg(0)?, bool_arg(1)?),
                (Some(a), Some(b)) if a == b
            )))
        }
        "stringEquals" => {
            arity(2)?;
            Ok(Value::Bool(matches!(
                (str_arg(0)?, str_arg(1)?),
                (Some(a), Some(b)) if a == b
            )))
        }
        "getAttr" => {
            arity(2)?;
            let target = arg(0)?;
            let Some(path) = str_arg(1)? else {
                return Err(err("getAttr: the path must be a string"));
            };
            Ok(get_path(&target, &parse_path(&path)?))
        }
        "substring" => {
            arity(4)?;
            let (Some(input), Value::Int(start), Value::Int(stop), Some(reverse)) =
                (str_arg(0)?, arg(1)?, arg(2)?, bool_arg(3)?)
            else {
                return Ok(Value::None);
            };
            Ok(substring(&input, start, stop, reverse).map_or(Value::None, Value::Str))
        }
        "uriEncode" => {
            arity(1)?;
            Ok(str_arg(0)?.map_or(Value::None, |s| Value::Str(uri_encode(&s))))
        }
        "parseURL" => {
            arity(1)?;
            Ok(str_arg(0)?
                .and_then(|s| parse_url(&s))
                .unwrap_or(Value::None))
        }
        "isValidHostLabel" => {
            arity(2)?;
            Ok(Value::Bool(match (str_arg(0)?, bool_arg(1)?) {
                (Some(s), Some(sub)) => is_valid_host_label(&s, sub),
                _ => false,
            }))
        }
        "aws.partition" => {
            arity(1)?;
            Ok(str_arg(0)?.map_or(Value::None, |region| partition_record(&region)))
        }
        "aws.parseArn" => {
            arity(1)?;
            Ok(str_arg(0)?
                .and_then(|s| parse_arn(&s))
                .unwrap_or(Value::None))
        }
        "aws.isVirtualHostableS3Bucket" => {
            arity(2)?;
            Ok(Value::Bool(match (str_arg(0)?, bool_arg(1)?) {
                (Some(s), Some(sub)) => is_virtual_hostable_bucket(&s, sub),
                _ => false,
            }))
        }
        "coalesce" => {
            for a in args {
                let v = eval(a, scope)?;
                if v != Value::None {
                    return Ok(v);
                }
            }
            Ok(Value::None)
        }
        "ite" => {
            arity(3)?;
            if arg(0)?.truthy() {
                arg(1)
            } else {
                arg(2)
            }
        }
        "split" => {
            arity(3)?;
            let (Some(input), Some(delim), Value::Int(limit)) = (str_arg(0)?, str_arg(1)?, arg(2)?)
            else {
                return Ok(Value::None);
            };
            if delim.is_empty() {
                return Err(err("split: empty delimiter"));
            }
            let parts: Vec<Value> = if limit > 0 {
                input
                    .splitn(usize::try_from(limit).unwrap_or(usize::MAX), delim.as_str())
                    .map(|s| Value::Str(s.to_string()))
                    .collect()
            } else {
                input
                    .split(delim.as_str())
                    .map(|s| Value::Str(s.to_string()))
                    .collect()
            };
            Ok(Value::Array(parts))
        }
        other => Err(err(format!("unsupported rules function {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions() {
        assert_eq!(substring("abcdef", 0, 3, false).as_deref(), Some("abc"));
        assert_eq!(substring("abcdef", 0, 3, true).as_deref(), Some("def"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("äbc", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        let u = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(
            get_path(&u, &parse_path("authority").unwrap()),
            Value::Str("example.com:8443".into())
        );
        assert_eq!(
            get_path(&u, &parse_path("normalizedPath").unwrap()),
            Value::Str("/a/b/".into())
        );
        assert_eq!(
            get_path(&u, &parse_path("isIp").unwrap()),
            Value::Bool(false)
        );
        let ip = parse_url("http://127.0.0.1:80").unwrap();
        assert_eq!(
            get_path(&ip, &parse_path("isIp").unwrap()),
            Value::Bool(true)
        );
        assert!(parse_url("https://e.com/?q=1").is_none());
        assert!(parse_url("ftp://e.com").is_none());
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/x:y").unwrap();
        assert_eq!(
            get_path(&arn, &parse_path("resourceId[2]").unwrap()),
            Value::Str("y".into())
        );
        assert!(parse_arn("arn:aws:s3").is_none());
        assert!(parse_arn("arn::s3:r:a:res").is_none());
        assert!(is_valid_host_label("a-b", false));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
    }

    #[test]
    fn templates_and_rules() {
        let rules = r#"{"version":"1.0","parameters":{"Region":{"type":"String","required":true},
          "Arr":{"type":"stringArray","required":false}},
          "rules":[
            {"conditions":[{"fn":"stringEquals","argv":[{"ref":"Region"},"x"]}],
             "error":"bad {Region} {{ok}}","type":"error"},
            {"conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"P"},
                           {"fn":"isSet","argv":[{"ref":"Arr"}]}],
             "endpoint":{"url":"https://{Arr#[0]}.{P#dnsSuffix}","headers":{"h":["{Region}"]},
               "properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{Region}","n":1,"b":true}]}},
             "type":"endpoint"},
            {"conditions":[],"endpoint":{"url":"https://svc.{Region}.amazonaws.com"},"type":"endpoint"}
          ]}"#;
        let set = RuleSet::parse(rules).unwrap();
        let e = resolve(&set, &Params::new().with("Region", "x")).unwrap_err();
        assert_eq!(e.message(), "bad x {ok}");
        let e = resolve(&set, &Params::new().with("Region", "eu-west-1")).unwrap();
        assert_eq!(e.url(), "https://svc.eu-west-1.amazonaws.com");
        let e = resolve(
            &set,
            &Params::new()
                .with("Region", "cn-north-1")
                .with("Arr", vec!["first".to_string()]),
        )
        .unwrap();
        assert_eq!(e.url(), "https://first.amazonaws.com.cn");
        assert_eq!(e.headers()["h"], vec!["cn-north-1".to_string()]);
        assert_eq!(e.signing_region(), Some("cn-north-1"));
        assert!(resolve(&set, &Params::new()).is_err());
        assert!(resolve(&set, &Params::new().with("Region", true)).is_err());
        assert!(RuleSet::parse("{").is_err());
        let empty = RuleSet::parse("").unwrap();
        assert!(resolve(&empty, &Params::new()).is_err());
        assert_eq!(
            resolve(
                &empty,
                &Params::new().with("Endpoint", "http://127.0.0.1:1")
            )
            .unwrap()
            .url(),
            "http://127.0.0.1:1"
        );
        assert!(RuleSet::parse(r#"{"rules":[{"type":"nope"}]}"#).is_err());
    }
}
