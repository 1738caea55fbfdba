//! A rule set's JSON read into rules, conditions and expressions (rules engine 1.0).

use serde_json::Value as Json;

use super::params::ParamValue;
use super::resolved::EndpointError;

#[derive(Clone, Debug)]
pub(super) enum PathPart {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug)]
pub(super) enum TemplatePart {
    Lit(String),
    Var(String, Vec<PathPart>),
}

#[derive(Clone, Debug)]
pub(super) enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Ref(String),
    Call(String, Vec<Expr>),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
}

#[derive(Debug)]
pub(super) struct Condition {
    pub(super) call: Expr,
    pub(super) assign: Option<String>,
}

#[derive(Debug)]
pub(super) struct EndpointDef {
    pub(super) url: Expr,
    pub(super) headers: Vec<(String, Vec<Expr>)>,
    pub(super) properties: Vec<(String, Expr)>,
}

#[derive(Debug)]
pub(super) enum RuleKind {
    Endpoint(EndpointDef),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
pub(super) struct Rule {
    pub(super) conditions: Vec<Condition>,
    pub(super) kind: RuleKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ParamType {
    String,
    Boolean,
    StringArray,
}

#[derive(Debug)]
pub(super) struct ParamDef {
    pub(super) name: String,
    pub(super) ty: ParamType,
    pub(super) required: bool,
    pub(super) default: Option<ParamValue>,
    pub(super) built_in: Option<String>,
}

/// A parsed rule set.
#[derive(Debug)]
pub(crate) struct RuleSet {
    pub(super) params: Vec<ParamDef>,
    pub(super) rules: Vec<Rule>,
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
pub(super) fn parse_path(path: &str) -> Result<Vec<PathPart>, EndpointError> {
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
