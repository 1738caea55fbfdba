//! Model fuzzing, shared by the stable harness (`codegen/tests/fuzz_model.rs`) and the
//! cargo-fuzz targets (`fuzz/fuzz_targets/model_*.rs`), which include this file by path.
//!
//! Two inputs: arbitrary text as a model, and structure-aware mutations of the real Cognito
//! model. The real model is cut into small sub-models (the service with a few operations and
//! every shape they reach), so one execution costs well under a millisecond; the mutations
//! then work on the JSON tree (retarget members, swap shape types, add traits with wrong
//! values, rename to keywords and recasing clashes, delete and duplicate), with an occasional
//! byte-level edit of the printed text on top.
//!
//! The oracle: `awsjson_codegen::expand` returns, without panicking; an error carries at least one
//! diagnostic with text; and a successful expansion is a syntactically valid Rust file.
#![allow(dead_code)]

use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use test_support::fuzz::Choices;

/// The real model: `FUZZ_MODEL` if set (e.g. an official model with its documentation), else the
/// project's own `model/`. The caller fails loudly if the file cannot be read.
pub fn real_model_path(workspace: &Path) -> PathBuf {
    match std::env::var("FUZZ_MODEL") {
        Ok(p) => PathBuf::from(p),
        Err(_) => workspace.join("model/cognito-identity-provider.json"),
    }
}

/// One small, valid sub-model of the real model and the operations it keeps.
#[derive(Clone)]
pub struct Seed {
    pub model: Value,
    pub operations: Vec<String>,
}

/// Every `"target"` string anywhere inside `v`.
fn targets(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("target", Value::String(s)) => out.push(s.clone()),
                    _ => targets(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| targets(x, out)),
        _ => {}
    }
}

/// The service with only `ops` and every shape they reach, documentation dropped unless
/// `keep_docs`, endpoint tests dropped unless `keep_tests`.
pub fn sub_model(full: &Value, ops: &[&str], keep_docs: bool, keep_tests: bool) -> Option<Seed> {
    let shapes = full.get("shapes")?.as_object()?;
    let (svc_id, svc) = shapes
        .iter()
        .find(|(_, s)| s.get("type").and_then(Value::as_str) == Some("service"))?;
    let ns = svc_id.split('#').next()?;
    let mut keep = BTreeSet::new();
    let mut queue: VecDeque<String> = ops.iter().map(|o| format!("{ns}#{o}")).collect();
    while let Some(id) = queue.pop_front() {
        if !keep.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = shapes.get(&id) {
            let mut found = Vec::new();
            targets(shape, &mut found);
            queue.extend(found.into_iter().filter(|t| shapes.contains_key(t)));
        }
    }
    let mut out = Map::new();
    let mut service = svc.clone();
    if let Some(s) = service.as_object_mut() {
        s.remove("resources");
        s.insert(
            "operations".into(),
            Value::Array(
                ops.iter()
                    .map(|o| serde_json::json!({ "target": format!("{ns}#{o}") }))
                    .collect(),
            ),
        );
        if let Some(Value::Object(t)) = s.get_mut("traits") {
            if !keep_tests {
                t.remove("smithy.rules#endpointTests");
            }
        }
    }
    out.insert(svc_id.clone(), service);
    for id in keep {
        if let Some(s) = shapes.get(&id) {
            out.insert(id, s.clone());
        }
    }
    let mut model = serde_json::json!({ "smithy": full.get("smithy").cloned().unwrap_or("2.0".into()), "shapes": out });
    if !keep_docs {
        strip_docs(&mut model);
    }
    Some(Seed {
        model,
        operations: ops.iter().map(|s| s.to_string()).collect(),
    })
}

fn strip_docs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("smithy.api#documentation");
            m.values_mut().for_each(strip_docs);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_docs),
        _ => {}
    }
}

/// Operation groups cut from the real model: sign-in, self-service, admin and paginated ones.
pub const OPERATION_GROUPS: &[&[&str]] = &[
    &["InitiateAuth"],
    &["RespondToAuthChallenge"],
    &["GetUser", "GlobalSignOut"],
    &["SignUp", "ConfirmSignUp"],
    &["ConfirmDevice", "ForgetDevice", "UpdateDeviceStatus"],
    &["AssociateSoftwareToken", "VerifySoftwareToken"],
    &["AdminCreateUser", "AdminDeleteUser"],
    &["ListUsers"],
    &["CreateUserPoolClient"],
    &["AdminSetUserMFAPreference", "RevokeToken"],
    &["GetTokensFromRefreshToken", "ChangePassword"],
    &["CreateUserPool"],
];

/// The seeds: every group without docs, a few with docs or endpoint tests.
pub fn seeds(full: &Value) -> Vec<Seed> {
    let mut out = Vec::new();
    for (i, ops) in OPERATION_GROUPS.iter().enumerate() {
        out.extend(sub_model(full, ops, false, false));
        if i % 4 == 0 {
            out.extend(sub_model(full, ops, true, i == 0));
        }
    }
    out
}

pub fn load_seeds(workspace: &Path) -> Vec<Seed> {
    let path = real_model_path(workspace);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read real model {}: {e}", path.display()));
    let full: Value = serde_json::from_str(&text).expect("real model is JSON");
    let seeds = seeds(&full);
    assert!(seeds.len() >= OPERATION_GROUPS.len(), "sub-models cut");
    seeds
}

const TYPES: &[&str] = &[
    "structure",
    "union",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "string",
    "blob",
    "boolean",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "member",
    "operation",
    "service",
    "resource",
    "apply",
    "unknown",
];

const TRAITS: &[&str] = &[
    "smithy.api#required",
    "smithy.api#sensitive",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#default",
    "smithy.api#enum",
    "smithy.api#enumValue",
    "smithy.api#error",
    "smithy.api#retryable",
    "smithy.api#idempotencyToken",
    "smithy.api#paginated",
    "smithy.api#streaming",
    "smithy.api#eventStream",
    "smithy.api#documentation",
    "smithy.api#deprecated",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#sparse",
    "smithy.api#mixin",
    "smithy.api#auth",
    "smithy.api#optionalAuth",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#httpError",
    "smithy.api#clientOptional",
    "smithy.api#addedDefault",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "aws.api#service",
    "aws.auth#sigv4",
];

const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "await",
    "dyn",
    "fn",
    "impl",
    "match",
    "mod",
    "ref",
    "static",
    "union",
    "yield",
    "try",
    "macro_rules",
    "r#type",
    "",
    "_",
    "__",
    "1abc",
    "a-b",
    "a b",
    "ü",
    "日本",
    "Foo",
    "foo",
    "FOO",
    "foo_bar",
    "FooBar",
    "fooBar",
    "Foo_Bar",
    "FOO_BAR",
    "Unhandled",
    "Unknown",
    "Client",
    "Error",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "meta",
    "Meta",
    "SERVICE",
    "Value",
    "as_str",
    "build",
    "send",
    "PasswordVerifier",
    "SessionKey",
];

fn interesting_value(c: &mut impl Choices, ids: &[String]) -> Value {
    match c.below(16) {
        0 => Value::Null,
        1 => Value::Bool(c.chance(2)),
        2 => Value::from(0),
        3 => Value::from(-1),
        4 => Value::from(i64::MAX),
        5 => serde_json::json!(1e308),
        6 => serde_json::json!(-0.5),
        7 => Value::Array(Vec::new()),
        8 => Value::Object(Map::new()),
        9 => Value::String(TYPES[c.below(TYPES.len())].into()),
        10 => Value::String(TRAITS[c.below(TRAITS.len())].into()),
        11 => Value::String(NAMES[c.below(NAMES.len())].into()),
        12 | 13 if !ids.is_empty() => serde_json::json!({ "target": ids[c.below(ids.len())] }),
        14 if !ids.is_empty() => Value::String(ids[c.below(ids.len())].clone()),
        _ => Value::String(weird_string(c)),
    }
}

fn weird_string(c: &mut impl Choices) -> String {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        "9",
        "_",
        "-",
        ".",
        "#",
        "$",
        "\\",
        "\"",
        "'",
        "\n",
        "\t",
        " ",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "^",
        "$",
        "*",
        "+",
        "?",
        "|",
        "\\w",
        "\\d",
        "(?<!x)",
        "<p>",
        "</p>",
        "<code>",
        "<a href=\"x\">",
        "&amp;",
        "&#x0;",
        "`",
        "```",
        "/*",
        "*/",
        "//",
        "\u{0}",
        "\u{7f}",
        "\u{feff}",
        "é",
        "𝄞",
        "smithy.api#",
        "aws.",
        "#",
        "r#",
    ];
    let n = c.below(12);
    (0..n).map(|_| PIECES[c.below(PIECES.len())]).collect()
}

/// A random path into the tree, as keys and indexes; stops at a random depth.
fn pick_path(v: &Value, c: &mut impl Choices) -> Vec<PathStep> {
    let mut path = Vec::new();
    let mut cur = v;
    loop {
        match cur {
            Value::Object(m) if !m.is_empty() && (path.len() < 2 || !c.chance(4)) => {
                let i = c.below(m.len());
                let (k, next) = m.iter().nth(i).expect("index in range");
                path.push(PathStep::Key(k.clone()));
                cur = next;
            }
            Value::Array(a) if !a.is_empty() && !c.chance(4) => {
                let i = c.below(a.len());
                path.push(PathStep::Index(i));
                cur = &a[i];
            }
            _ => return path,
        }
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at_mut<'v>(v: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (PathStep::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (PathStep::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn shape_ids(model: &Value) -> Vec<String> {
    let mut ids: Vec<String> = model
        .get("shapes")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    ids.extend(
        [
            "smithy.api#String",
            "smithy.api#Unit",
            "smithy.api#Document",
            "smithy.api#Nope",
            "ex#Missing",
            "",
            "#",
        ]
        .map(String::from),
    );
    ids
}

/// One structure-aware edit of the model tree.
pub fn mutate_tree(model: &mut Value, c: &mut impl Choices) {
    let ids = shape_ids(model);
    let shape_keys: Vec<String> = model
        .get("shapes")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    match c.below(12) {
        // Retarget a member, list member, input/output or error to any shape (operations,
        // services, itself: cycles), or to nothing.
        0 | 1 => {
            let mut all = Vec::new();
            collect_target_paths(model, &mut Vec::new(), &mut all);
            if !all.is_empty() && !ids.is_empty() {
                let p = &all[c.below(all.len())];
                if let Some(v) = at_mut(model, p) {
                    *v = Value::String(ids[c.below(ids.len())].clone());
                }
            }
        }
        // Change a shape's type.
        2 if !shape_keys.is_empty() => {
            let k = &shape_keys[c.below(shape_keys.len())];
            if let Some(Value::Object(s)) = model.pointer_mut(&format!("/shapes/{}", esc(k))) {
                s.insert(
                    "type".into(),
                    Value::String(TYPES[c.below(TYPES.len())].into()),
                );
            }
        }
        // Add or replace a trait with a value of any type.
        3 | 4 if !shape_keys.is_empty() => {
            let k = &shape_keys[c.below(shape_keys.len())];
            let v = interesting_value(c, &ids);
            let t = TRAITS[c.below(TRAITS.len())];
            if let Some(Value::Object(s)) = model.pointer_mut(&format!("/shapes/{}", esc(k))) {
                let target = if c.chance(2) {
                    s.get_mut("members")
                        .and_then(Value::as_object_mut)
                        .and_then(|m| {
                            let n = m.len();
                            m.values_mut().nth(c.below(n.max(1)))
                        })
                } else {
                    None
                };
                let holder = match target {
                    Some(Value::Object(member)) => member,
                    _ => s,
                };
                let traits = holder
                    .entry("traits")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(tm) = traits {
                    tm.insert(t.into(), v);
                } else {
                    *traits = v;
                }
            }
        }
        // Rename a member or shape: keywords, recasing clashes, invalid identifiers.
        5 => {
            let path = pick_path(model, c);
            rename_at(model, &path, c);
        }
        // Duplicate a shape under a new id, or a member under a new name.
        6 if !shape_keys.is_empty() => {
            let k = shape_keys[c.below(shape_keys.len())].clone();
            let ns = k.split('#').next().unwrap_or("ex").to_owned();
            let name = NAMES[c.below(NAMES.len())];
            if let Some(shapes) = model.get_mut("shapes").and_then(Value::as_object_mut) {
                if let Some(v) = shapes.get(&k).cloned() {
                    shapes.insert(format!("{ns}#{name}"), v);
                }
            }
        }
        // Delete whatever a random path leads to.
        7 => {
            let path = pick_path(model, c);
            if let Some((last, parent)) = path.split_last() {
                match (last, at_mut(model, parent)) {
                    (PathStep::Key(k), Some(Value::Object(m))) => {
                        m.remove(k);
                    }
                    (PathStep::Index(i), Some(Value::Array(a))) if *i < a.len() => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Replace a random node with an interesting value.
        8 | 9 => {
            let path = pick_path(model, c);
            let v = interesting_value(c, &ids);
            if let Some(slot) = at_mut(model, &path) {
                *slot = v;
            }
        }
        // Edit a string or number in place.
        10 => {
            let path = pick_path(model, c);
            let extra = weird_string(c);
            if let Some(slot) = at_mut(model, &path) {
                match slot {
                    Value::String(s) => {
                        if c.chance(2) {
                            let cut = s
                                .char_indices()
                                .map(|(i, _)| i)
                                .nth(c.below(s.len().max(1)));
                            if let Some(cut) = cut {
                                s.truncate(cut);
                            }
                        }
                        s.push_str(&extra);
                    }
                    Value::Number(n) => {
                        let f = n.as_f64().unwrap_or(0.0);
                        *slot = serde_json::json!(
                            [-f, f * 1e300, f + 0.5, u64::MAX as f64][c.below(4)]
                        );
                    }
                    _ => {}
                }
            }
        }
        // Add a member to a structure/union/enum with a random target and traits.
        _ if !shape_keys.is_empty() => {
            let k = &shape_keys[c.below(shape_keys.len())];
            let name = NAMES[c.below(NAMES.len())].to_owned();
            let target = ids.get(c.below(ids.len())).cloned().unwrap_or_default();
            let mut member = serde_json::json!({ "target": target });
            if c.chance(2) {
                member["traits"] = serde_json::json!({ TRAITS[c.below(TRAITS.len())]: interesting_value(c, &ids) });
            }
            if let Some(Value::Object(s)) = model.pointer_mut(&format!("/shapes/{}", esc(k))) {
                let members = s
                    .entry("members")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = members {
                    m.insert(name, member);
                }
            }
        }
        _ => {}
    }
}

fn esc(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn rename_at(model: &mut Value, path: &[PathStep], c: &mut impl Choices) {
    let Some((PathStep::Key(k), parent)) = path.split_last() else {
        return;
    };
    let new = match c.below(3) {
        0 => NAMES[c.below(NAMES.len())].to_owned(),
        1 => recase(k),
        _ => format!("{k}{}", weird_string(c)),
    };
    if let Some(Value::Object(m)) = at_mut(model, parent) {
        if let Some(v) = m.remove(k) {
            m.insert(new, v);
        }
    }
}

/// `FooBar` → `foo_bar` style respellings that collide after heck's recasing.
fn recase(k: &str) -> String {
    let (prefix, name) = match k.rsplit_once('#') {
        Some((ns, n)) => (format!("{ns}#"), n),
        None => (String::new(), k),
    };
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    format!("{prefix}{out}")
}

fn collect_target_paths(v: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(PathStep::Key(k.clone()));
                if k == "target" && x.is_string() {
                    out.push(path.clone());
                } else {
                    collect_target_paths(x, path, out);
                }
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(PathStep::Index(i));
                collect_target_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Byte-level damage to the printed model: truncation, a flipped byte, a spliced token.
pub fn mutate_text(text: &mut Vec<u8>, c: &mut impl Choices) {
    if text.is_empty() {
        return;
    }
    let at = c.below(text.len());
    match c.below(5) {
        0 => text.truncate(at),
        1 => text[at] ^= 1 << c.below(8),
        2 => {
            const TOKENS: &[&[u8]] = &[
                b"{", b"}", b"[", b"]", b",", b":", b"\"", b"\\u", b"null", b"1e999", b"-",
            ];
            let t = TOKENS[c.below(TOKENS.len())];
            text.splice(at..at, t.iter().copied());
        }
        3 => {
            let end = (at + c.below(64)).min(text.len());
            text.drain(at..end);
        }
        _ => {
            let end = (at + c.below(64)).min(text.len());
            let chunk: Vec<u8> = text[at..end].to_vec();
            let to = c.below(text.len());
            text.splice(to..to, chunk);
        }
    }
}

/// Options for a mutated seed: its operations, sometimes all, sometimes a misspelt one.
pub fn options_for(seed: &Seed, c: &mut impl Choices) -> awsjson_codegen::Options {
    let operations = match c.below(8) {
        0 => None,
        1 => Some(vec![NAMES[c.below(NAMES.len())].to_owned()]),
        2 => Some(Vec::new()),
        _ => Some(seed.operations.clone()),
    };
    options(operations, c.chance(2))
}

/// Generator options; fields added to `Options` later keep their defaults.
#[allow(clippy::needless_update)]
pub fn options(operations: Option<Vec<String>>, endpoint_tests: bool) -> awsjson_codegen::Options {
    awsjson_codegen::Options {
        operations,
        endpoint_tests,
        ..Default::default()
    }
}

/// A mutated model from the seeds, decided entirely by `c`.
pub fn mutated_model(seeds: &[Seed], c: &mut impl Choices) -> (Vec<u8>, awsjson_codegen::Options) {
    let seed = &seeds[c.below(seeds.len())];
    let mut model = seed.model.clone();
    let n = 1 + c.below(6);
    for _ in 0..n {
        mutate_tree(&mut model, c);
    }
    let opts = options_for(seed, c);
    let mut text = serde_json::to_vec(&model).expect("a Value serializes");
    if c.chance(6) {
        mutate_text(&mut text, c);
    }
    (text, opts)
}

/// Run the generator on one model and check the oracle; panics (the finding) on a violation.
/// Parsing, validation and lowering always run (`to_ir`); with `emit`, also the emitter, and a
/// successful expansion must parse as a Rust file (ten times the cost, so done for a sample).
pub fn check_model(text: &[u8], opts: &awsjson_codegen::Options, emit: bool) {
    let text = String::from_utf8_lossy(text);
    let result = if emit {
        awsjson_codegen::expand(&text, opts).map(|tokens| {
            if let Err(e) = syn::parse2::<syn::File>(tokens) {
                panic!("the generator accepted a model but emitted invalid Rust: {e}");
            }
        })
    } else {
        awsjson_codegen::to_ir(&text, opts).map(drop)
    };
    if let Err(diags) = result {
        assert!(!diags.is_empty(), "an error without a diagnostic");
        for d in diags.iter() {
            assert!(!d.message.is_empty(), "a diagnostic without a message");
        }
    }
}

/// Arbitrary text: random JSON built from Smithy's vocabulary, or raw bytes.
pub fn arbitrary_model(c: &mut impl Choices) -> Vec<u8> {
    if c.chance(8) {
        let n = c.below(64);
        return (0..n).map(|_| c.next_u64() as u8).collect();
    }
    let ids = vec!["ex#S".to_owned(), "ex#Op".to_owned(), "ex#T".to_owned()];
    let mut shapes = Map::new();
    for _ in 0..c.below(6) {
        let id = format!("ex#{}", NAMES[c.below(NAMES.len())]);
        shapes.insert(id, random_json(c, &ids, 3));
    }
    if c.chance(2) {
        shapes.insert(
            "ex#S".into(),
            serde_json::json!({"type": "service", "version": "1",
                "operations": [{"target": "ex#Op"}],
                "traits": {TRAITS[c.below(TRAITS.len())]: random_json(c, &ids, 2)}}),
        );
        shapes.insert(
            "ex#Op".into(),
            serde_json::json!({"type": TYPES[c.below(TYPES.len())], "input": {"target": "ex#T"}}),
        );
    }
    let mut top = Map::new();
    if !c.chance(8) {
        top.insert("smithy".into(), random_json(c, &ids, 0));
    }
    top.insert("shapes".into(), Value::Object(shapes));
    serde_json::to_vec(&Value::Object(top)).expect("serializes")
}

fn random_json(c: &mut impl Choices, ids: &[String], depth: usize) -> Value {
    if depth == 0 || c.chance(3) {
        return interesting_value(c, ids);
    }
    match c.below(3) {
        0 => Value::Array(
            (0..c.below(4))
                .map(|_| random_json(c, ids, depth - 1))
                .collect(),
        ),
        _ => {
            let mut m = Map::new();
            for _ in 0..c.below(5) {
                let k = match c.below(4) {
                    0 => "type".to_owned(),
                    1 => "members".to_owned(),
                    2 => "traits".to_owned(),
                    _ => [
                        "target",
                        "member",
                        "key",
                        "value",
                        "input",
                        "output",
                        "errors",
                        "operations",
                        "version",
                        "mixins",
                        "smithy.api#required",
                        "aws.protocols#awsJson1_0",
                    ][c.below(12)]
                    .to_owned(),
                };
                m.insert(k, random_json(c, ids, depth - 1));
            }
            Value::Object(m)
        }
    }
}
