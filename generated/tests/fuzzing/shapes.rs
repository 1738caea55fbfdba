//! JSON for any generated shape, built from the same IR the macro expanded (`awsjson_codegen::to_ir`
//! on the crate's model and operation list), so tests can fill *every* member of every
//! operation's input, output and error: the decode fuzzer (random, well-typed values to mutate)
//! and the secret-hygiene test (marker strings in every string).
#![allow(dead_code)]

use awsjson_codegen::ir::{Module, Service, TimestampFormat, Type, TypeDef};
use serde_json::{Map, Value};
use std::collections::HashMap;
use test_support::fuzz::Choices;

/// The crate's IR, lowered from the model file the macro reads.
pub fn ir(operations: &[&str]) -> Service {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../generated/model/cognito-identity-provider.json"
    );
    let text = std::fs::read_to_string(path).expect("read the crate's model");
    #[allow(clippy::needless_update)]
    let opts = awsjson_codegen::Options {
        operations: Some(operations.iter().map(|s| s.to_string()).collect()),
        endpoint_tests: false,
        ..Default::default()
    };
    match awsjson_codegen::to_ir(&text, &opts) {
        Ok(s) => s,
        Err(d) => panic!("{:?}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>()),
    }
}

/// Where a string goes, so a string maker can choose per member.
pub struct Slot<'a> {
    /// `Shape.member` path from the top shape (wire names).
    pub path: &'a str,
    /// The member, or a structure or union on the way, is `@sensitive`.
    pub sensitive: bool,
    /// The string is a map key (keys are never redacted; values are).
    pub key: bool,
}

/// Builds JSON for shapes of one IR.
pub struct Shapes<'ir> {
    ir: &'ir Service,
    /// The shapes of `types` and every operation's own input and output, by Rust name.
    by_name: HashMap<String, TypeDef>,
}

impl<'ir> Shapes<'ir> {
    pub fn new(ir: &'ir Service) -> Self {
        let io = ir
            .operations
            .iter()
            .flat_map(|op| [&op.input, &op.output])
            .map(|s| TypeDef::Struct(s.clone()));
        let by_name = ir
            .types
            .iter()
            .cloned()
            .chain(io)
            .map(|t| {
                let name = match &t {
                    TypeDef::Struct(s) => s.name.clone(),
                    TypeDef::Enum(e) => e.name.clone(),
                    TypeDef::IntEnum(e) => e.name.clone(),
                    TypeDef::Union(u) => u.name.clone(),
                };
                (name, t)
            })
            .collect();
        Shapes { ir, by_name }
    }

    pub fn ir(&self) -> &'ir Service {
        self.ir
    }

    pub fn def(&self, name: &str) -> Option<&TypeDef> {
        self.by_name.get(name)
    }

    /// A JSON object for the named structure. `all` fills every optional member too.
    pub fn structure(
        &self,
        name: &str,
        c: &mut impl Choices,
        all: bool,
        strings: &mut dyn FnMut(&Slot<'_>, u64) -> String,
    ) -> Value {
        let ty = Type::Named {
            name: name.to_owned(),
            module: Module::Types,
        };
        self.value(&ty, c, all, 0, name, false, strings)
    }

    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        ty: &Type,
        c: &mut impl Choices,
        all: bool,
        depth: usize,
        path: &str,
        sensitive: bool,
        strings: &mut dyn FnMut(&Slot<'_>, u64) -> String,
    ) -> Value {
        match ty {
            Type::String => Value::String(string(strings, path, sensitive, false, c.next_u64())),
            Type::Bool => Value::Bool(c.chance(2)),
            Type::I8 => Value::from(c.below(256) as i64 - 128),
            Type::I16 => Value::from(c.below(65536) as i64 - 32768),
            Type::I32 | Type::I64 => Value::from(c.below(1 << 20) as i64),
            Type::F32 | Type::F64 => serde_json::json!(c.below(10_000) as f64 / 8.0),
            Type::BigNumber => Value::from(c.below(1 << 30) as u64),
            Type::Blob => {
                let s = string(strings, path, sensitive, false, c.next_u64());
                Value::String(b64(s.as_bytes()))
            }
            Type::DateTime(format) => {
                let t = cognito_idp::runtime::DateTime::from_secs_and_nanos(
                    1_700_000_000 + c.below(1 << 20) as i64,
                    if c.chance(2) {
                        0
                    } else {
                        c.below(1000) as u32 * 1_000_000
                    },
                );
                match format {
                    TimestampFormat::EpochSeconds => serde_json::to_value(t).unwrap_or_default(),
                    TimestampFormat::DateTime => Value::String(t.to_date_time()),
                    TimestampFormat::HttpDate => Value::String(t.to_http_date()),
                }
            }
            Type::Document => {
                serde_json::json!({ "doc": string(strings, path, sensitive, false, c.next_u64()) })
            }
            Type::Boxed(inner) => self.value(inner, c, all, depth, path, sensitive, strings),
            Type::List { element, sparse } => {
                let n = if depth > 4 {
                    0
                } else if all {
                    1 + c.below(2)
                } else {
                    c.below(3)
                };
                Value::Array(
                    (0..n)
                        .map(|i| {
                            if *sparse && c.chance(4) {
                                Value::Null
                            } else {
                                let p = format!("{path}[{i}]");
                                self.value(element, c, all, depth + 1, &p, sensitive, strings)
                            }
                        })
                        .collect(),
                )
            }
            Type::Map { value, sparse } => {
                let n = if depth > 4 {
                    0
                } else if all {
                    1 + c.below(2)
                } else {
                    c.below(3)
                };
                let mut m = Map::new();
                for i in 0..n {
                    let p = format!("{path}{{{i}}}");
                    let k = string(strings, &p, sensitive, true, c.next_u64());
                    let v = if *sparse && c.chance(4) {
                        Value::Null
                    } else {
                        self.value(value, c, all, depth + 1, &p, sensitive, strings)
                    };
                    m.insert(format!("{k}{i}"), v);
                }
                Value::Object(m)
            }
            Type::Named { name, .. } => match self.def(name) {
                Some(TypeDef::Struct(s)) => {
                    let mut m = Map::new();
                    if depth > 6 {
                        return Value::Object(m);
                    }
                    for f in &s.fields {
                        if !(f.required || all || c.chance(2)) {
                            continue;
                        }
                        let p = format!("{path}.{}", f.wire_name);
                        let v = self.value(
                            &f.ty,
                            c,
                            all,
                            depth + 1,
                            &p,
                            sensitive || s.sensitive || f.sensitive,
                            strings,
                        );
                        m.insert(f.wire_name.clone(), v);
                    }
                    Value::Object(m)
                }
                Some(TypeDef::Union(u)) => {
                    let mut m = Map::new();
                    let with_value: Vec<_> = u.variants.iter().filter(|v| v.ty.is_some()).collect();
                    if let Some(v) = with_value.get(c.below(with_value.len().max(1))) {
                        let p = format!("{path}.{}", v.wire_name);
                        let ty = v.ty.as_ref().expect("filtered");
                        let x = self.value(
                            ty,
                            c,
                            all,
                            depth + 1,
                            &p,
                            sensitive || u.sensitive || v.sensitive,
                            strings,
                        );
                        m.insert(v.wire_name.clone(), x);
                    }
                    Value::Object(m)
                }
                Some(TypeDef::Enum(e)) => {
                    if e.variants.is_empty() || c.chance(8) {
                        Value::String("SOME_FUTURE_VALUE".into())
                    } else {
                        Value::String(e.variants[c.below(e.variants.len())].value.clone())
                    }
                }
                Some(TypeDef::IntEnum(e)) => {
                    if e.variants.is_empty() || c.chance(8) {
                        Value::from(987_654)
                    } else {
                        Value::from(e.variants[c.below(e.variants.len())].value)
                    }
                }
                None => Value::Null,
            },
        }
    }
}

fn string(
    strings: &mut dyn FnMut(&Slot<'_>, u64) -> String,
    path: &str,
    sensitive: bool,
    key: bool,
    r: u64,
) -> String {
    strings(
        &Slot {
            path,
            sensitive,
            key,
        },
        r,
    )
}

/// Standard base64 with padding (no dependency for one helper).
pub fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
