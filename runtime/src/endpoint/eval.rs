//! Parsing and evaluation of a rule set.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{is_valid_host_label, partition, Endpoint, EndpointError, ParamValue, Params};

/// Values during evaluation.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    None,
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Record(BTreeMap<String, Value>),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            _ => true,
        }
    }

    fn to_json(&self) -> Json {
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

    fn type_name(&self) -> &'static str {
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

#[derive(Clone, Debug)]
enum PathPart {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
enum TemplatePart {
    Lit(String),
    Var(String, Vec<PathPart>),
}

#[derive(Clone, Debug)]
enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Ref(String),
    Call(String, Vec<Expr>),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
}

#[derive(Debug)]
struct Condition {
    call: Expr,
    assign: Option<String>,
}

#[derive(Debug)]
struct EndpointDef {
    url: Expr,
    headers: Vec<(String, Vec<Expr>)>,
    properties: Vec<(String, Expr)>,
}

#[derive(Debug)]
enum RuleKind {
    Endpoint(EndpointDef),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
struct Rule {
    conditions: Vec<Condition>,
    kind: RuleKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamType {
    String,
    Boolean,
    StringArray,
}

#[derive(Debug)]
struct ParamDef {
    name: String,
    ty: ParamType,
    required: bool,
    default: Option<ParamValue>,
    built_in: Option<String>,
}

/// A parsed rule set.
#[derive(Debug)]
pub(crate) struct RuleSet {
    params: Vec<ParamDef>,
    rules: Vec<Rule>,
}

const NO_RULE_SET: &str = r#"{"version":"1.0",
  "parameters":{"Endpoint":{"builtIn":"SDK::Endpoint","required":false,"type":"String"}},
  "rules":[
    {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],
     "endpoint":{"url":{"ref":"Endpoint"}},"type":"endpoint"},
    {"conditions":[],"type":"error",
     "error":"the service model has no endpoint rule set: configure an endpoint URL"}]}"#;

fn err(msg: impl Into<String>) -> EndpointError {
    EndpointError::new(msg)
}

impl RuleSet {
    pub(crate) fn parse(json: &str) -> Result<RuleSet, EndpointError> {
        // A model without a rule set: only an endpoint override can say where to send.
        let json = if json.trim().is_empty() {
            NO_RULE_SET
        } else {
            json
        };
        let root: Json = serde_json::from_str(json)
            .map_err(|e| err(format!("endpoint rule set is not valid JSON: {e}")))?;
        let mut params = Vec::new();
        if let Some(map) = root.get("parameters").and_then(Json::as_object) {
            for (name, def) in map {
                let ty = match def.get("type").and_then(Json::as_str) {
                    Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
                    Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
                    Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
                    other => {
                        return Err(err(format!("parameter {name}: unsupported type {other:?}")))
                    }
                };
                let default = match def.get("default") {
                    None | Some(Json::Null) => None,
                    Some(Json::String(s)) => Some(ParamValue::String(s.clone())),
                    Some(Json::Bool(b)) => Some(ParamValue::Bool(*b)),
                    Some(Json::Array(a)) => Some(ParamValue::StringArray(
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect(),
                    )),
                    Some(_) => return Err(err(format!("parameter {name}: bad default"))),
                };
                params.push(ParamDef {
                    name: name.clone(),
                    ty,
                    required: def.get("required").and_then(Json::as_bool).unwrap_or(false),
                    default,
                    built_in: def
                        .get("builtIn")
                        .and_then(Json::as_str)
                        .map(str::to_string),
                });
            }
        }
        let rules = parse_rules(root.get("rules"))?;
        Ok(RuleSet { params, rules })
    }

    pub(crate) fn builtins(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .filter_map(|p| Some((p.built_in.clone()?, p.name.clone())))
            .collect()
    }

    pub(crate) fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        let mut scope = Scope { vars: Vec::new() };
        for def in &self.params {
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
        match eval_rules(&self.rules, &mut scope)? {
            Some(Outcome::Endpoint(e)) => Ok(e),
            Some(Outcome::Error(m)) => Err(err(m)),
            None => Err(err("no endpoint rule matched the parameters")),
        }
    }
}

fn parse_rules(value: Option<&Json>) -> Result<Vec<Rule>, EndpointError> {
    let Some(items) = value.and_then(Json::as_array) else {
        return Err(err("rule set: `rules` must be an array"));
    };
    items.iter().map(parse_rule).collect()
}

fn parse_rule(rule: &Json) -> Result<Rule, EndpointError> {
    let mut conditions = Vec::new();
    if let Some(conds) = rule.get("conditions").and_then(Json::as_array) {
        for c in conds {
            conditions.push(Condition {
                call: parse_call(c)?,
                assign: c.get("assign").and_then(Json::as_str).map(str::to_string),
            });
        }
    }
    let kind = match rule.get("type").and_then(Json::as_str) {
        Some("endpoint") => {
            let e = rule
                .get("endpoint")
                .ok_or_else(|| err("endpoint rule without `endpoint`"))?;
            let url = parse_expr(e.get("url").ok_or_else(|| err("endpoint without `url`"))?)?;
            let mut headers = Vec::new();
            if let Some(map) = e.get("headers").and_then(Json::as_object) {
                for (k, v) in map {
                    let values = v
                        .as_array()
                        .ok_or_else(|| err(format!("header {k}: values must be an array")))?
                        .iter()
                        .map(parse_expr)
                        .collect::<Result<_, _>>()?;
                    headers.push((k.clone(), values));
                }
            }
            let mut properties = Vec::new();
            if let Some(map) = e.get("properties").and_then(Json::as_object) {
                for (k, v) in map {
                    properties.push((k.clone(), parse_expr(v)?));
                }
            }
            RuleKind::Endpoint(EndpointDef {
                url,
                headers,
                properties,
            })
        }
        Some("error") => RuleKind::Error(parse_expr(
            rule.get("error")
                .ok_or_else(|| err("error rule without `error`"))?,
        )?),
        Some("tree") => RuleKind::Tree(parse_rules(rule.get("rules"))?),
        other => return Err(err(format!("unknown rule type {other:?}"))),
    };
    Ok(Rule { conditions, kind })
}

fn parse_call(v: &Json) -> Result<Expr, EndpointError> {
    let name = v
        .get("fn")
        .and_then(Json::as_str)
        .ok_or_else(|| err("condition without `fn`"))?;
    let args = v
        .get("argv")
        .and_then(Json::as_array)
        .ok_or_else(|| err(format!("function {name} without `argv`")))?
        .iter()
        .map(parse_expr)
        .collect::<Result<_, _>>()?;
    Ok(Expr::Call(name.to_string(), args))
}

fn parse_expr(v: &Json) -> Result<Expr, EndpointError> {
    Ok(match v {
        Json::String(s) => Expr::Template(parse_template(s)?),
        Json::Bool(b) => Expr::Bool(*b),
        Json::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| err("only integer literals are supported"))?,
        ),
        Json::Array(items) => Expr::Array(items.iter().map(parse_expr).collect::<Result<_, _>>()?),
        Json::Object(map) => {
            if let Some(r) = map.get("ref").and_then(Json::as_str) {
                Expr::Ref(r.to_string())
            } else if map.contains_key("fn") {
                parse_call(v)?
            } else {
                Expr::Record(
                    map.iter()
                        .map(|(k, v)| Ok((k.clone(), parse_expr(v)?)))
                        .collect::<Result<_, EndpointError>>()?,
                )
            }
        }
        Json::Null => return Err(err("null literal in rule set")),
    })
}

fn parse_template(s: &str) -> Result<Vec<TemplatePart>, EndpointError> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(err(format!("unclosed `{{` in template {s:?}"))),
                    }
                }
                if !lit.is_empty() {
                    parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                }
                let (name, path) = match inner.split_once('#') {
                    Some((n, p)) => (n.to_string(), parse_path(p)?),
                    None => (inner, Vec::new()),
                };
                parts.push(TemplatePart::Var(name, path));
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Lit(lit));
    }
    Ok(parts)
}

/// `a.b[2]` → `[Key(a), Key(b), Index(2)]`.
fn parse_path(path: &str) -> Result<Vec<PathPart>, EndpointError> {
    let mut out = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            out.push(PathPart::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(err(format!("bad attribute path {path:?}")));
            };
            let index = r[..end]
                .parse::<usize>()
                .map_err(|_| err(format!("bad index in attribute path {path:?}")))?;
            out.push(PathPart::Index(index));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return Err(err(format!("bad attribute path {path:?}")));
        }
    }
    if out.is_empty() {
        return Err(err("empty attribute path"));
    }
    Ok(out)
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
            Ok(Some(Outcome::Endpoint(Endpoint {
                url,
                headers,
                properties,
            })))
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
            let Some(region) = str_arg(0)? else {
                return Ok(Value::None);
            };
            let p = partition(&region);
            let mut rec = BTreeMap::new();
            rec.insert("name".into(), Value::Str(p.name.into()));
            rec.insert("dnsSuffix".into(), Value::Str(p.dns_suffix.into()));
            rec.insert(
                "dualStackDnsSuffix".into(),
                Value::Str(p.dual_stack_dns_suffix.into()),
            );
            rec.insert("supportsFIPS".into(), Value::Bool(p.supports_fips));
            rec.insert(
                "supportsDualStack".into(),
                Value::Bool(p.supports_dual_stack),
            );
            rec.insert(
                "implicitGlobalRegion".into(),
                Value::Str(p.implicit_global_region.into()),
            );
            Ok(Value::Record(rec))
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

/// `substring`: ASCII only; `None` when out of range.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || stop <= start {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let (a, b) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    input.get(a..b).map(str::to_string)
}

/// Percent-encode everything but the RFC 3986 unreserved characters.
fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `parseURL`: `http`/`https` URLs without a query; `{scheme, authority, path, normalizedPath, isIp}`.
fn parse_url(s: &str) -> Option<Value> {
    let (scheme, rest) = s.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']')?;
        let addr = &v6[..end];
        addr.parse::<std::net::Ipv6Addr>().ok()?;
        format!("[{addr}]")
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(h, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    h
                } else {
                    authority
                }
            })
            .to_string()
    };
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let mut normalized = String::new();
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut rec = BTreeMap::new();
    rec.insert("scheme".into(), Value::Str(scheme.into()));
    rec.insert("authority".into(), Value::Str(authority.into()));
    rec.insert("path".into(), Value::Str(path.into()));
    rec.insert("normalizedPath".into(), Value::Str(normalized));
    rec.insert("isIp".into(), Value::Bool(is_ip));
    Some(Value::Record(rec))
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`; resourceId split on `:` and `/`.
fn parse_arn(s: &str) -> Option<Value> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let ids = resource
        .split([':', '/'])
        .map(|p| Value::Str(p.to_string()))
        .collect();
    let mut rec = BTreeMap::new();
    rec.insert("partition".into(), Value::Str(partition.into()));
    rec.insert("service".into(), Value::Str(service.into()));
    rec.insert("region".into(), Value::Str(region.into()));
    rec.insert("accountId".into(), Value::Str(account.into()));
    rec.insert("resourceId".into(), Value::Array(ids));
    Some(Value::Record(rec))
}

fn is_virtual_hostable_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let label_ok = |l: &str| {
        (3..=63).contains(&l.len())
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && l.as_bytes()[0] != b'-'
            && !l.ends_with('-')
    };
    let plain = |l: &str| {
        is_valid_host_label(l, false)
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return false;
    }
    if allow_subdomains {
        (3..=63).contains(&bucket.len()) && bucket.split('.').all(plain)
    } else {
        label_ok(bucket)
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
        let e = set.resolve(&Params::new().with("Region", "x")).unwrap_err();
        assert_eq!(e.message(), "bad x {ok}");
        let e = set
            .resolve(&Params::new().with("Region", "eu-west-1"))
            .unwrap();
        assert_eq!(e.url(), "https://svc.eu-west-1.amazonaws.com");
        let e = set
            .resolve(
                &Params::new()
                    .with("Region", "cn-north-1")
                    .with("Arr", vec!["first".to_string()]),
            )
            .unwrap();
        assert_eq!(e.url(), "https://first.amazonaws.com.cn");
        assert_eq!(e.headers()["h"], vec!["cn-north-1".to_string()]);
        assert_eq!(e.signing_region(), Some("cn-north-1"));
        assert!(set.resolve(&Params::new()).is_err());
        assert!(set.resolve(&Params::new().with("Region", true)).is_err());
        assert!(RuleSet::parse("{").is_err());
        let empty = RuleSet::parse("").unwrap();
        assert!(empty.resolve(&Params::new()).is_err());
        assert_eq!(
            empty
                .resolve(&Params::new().with("Endpoint", "http://127.0.0.1:1"))
                .unwrap()
                .url(),
            "http://127.0.0.1:1"
        );
        assert!(RuleSet::parse(r#"{"rules":[{"type":"nope"}]}"#).is_err());
    }
}
