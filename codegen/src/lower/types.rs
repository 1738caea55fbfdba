//! Type lowering: a reached shape becomes a struct, union or enum of the IR, a member a field with
//! its Rust type, constraints, defaults and docs. Nothing here refuses a model: the check pass has
//! reported every problem already, and what it refuses lowers to a placeholder.

use super::naming::{field_names, variant_name, TypeNames};
use super::reach::{cycles_to, nests, Reach};
use crate::docs::to_rustdoc;
use crate::ir::*;
use crate::smithy::{short_name, Member, Model, Shape, ShapeKind};
use crate::traits;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

static FALSE: Value = Value::Bool(false);

/// The rustdoc of a shape or member, from its documentation trait.
pub fn doc_of(traits: &BTreeMap<String, Value>) -> String {
    traits
        .get(traits::DOCUMENTATION)
        .and_then(Value::as_str)
        .map(to_rustdoc)
        .unwrap_or_default()
}

/// The `#[deprecated]` note, if deprecated.
pub fn deprecated_of(traits: &BTreeMap<String, Value>) -> Option<String> {
    let d = traits.get(traits::DEPRECATED)?;
    let mut note = d
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if let Some(since) = d.get("since").and_then(Value::as_str) {
        note = if note.is_empty() {
            format!("since {since}")
        } else {
            format!("{note} (since {since})")
        };
    }
    Some(note)
}

/// Smithy's `@default` values that equal Rust's `Default::default()`.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => false,
    }
}

/// Lowers shapes to IR types.
pub struct TypeLowerer<'m> {
    pub model: &'m Model,
    pub names: &'m TypeNames,
    pub reach: &'m Reach,
    sensitive_cache: HashMap<String, bool>,
}

impl<'m> TypeLowerer<'m> {
    pub fn new(model: &'m Model, names: &'m TypeNames, reach: &'m Reach) -> Self {
        TypeLowerer {
            model,
            names,
            reach,
            sensitive_cache: HashMap::new(),
        }
    }

    fn shape(&self, id: &str) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    fn module_of(&self, id: &str) -> Module {
        match self.shape(id) {
            Some(s) if s.has_trait(traits::ERROR) => Module::Error,
            _ => Module::Types,
        }
    }

    /// The Rust type of a member target. A target the check pass refuses (dangling, not data,
    /// a collection of itself) becomes a `Document`.
    pub fn rust_type(&self, member: Option<&Member>, target: &str) -> Type {
        self.rust_type_in(member, target, &mut Vec::new())
    }

    /// `open` holds the lists and maps being lowered around this member (see
    /// `validate::check_member_types`: without it a list of itself recursed forever).
    /// `member` (when known) is the member targeting `target`: its `@timestampFormat` wins.
    fn rust_type_in(&self, member: Option<&Member>, target: &str, open: &mut Vec<String>) -> Type {
        let Some(kind) = self.model.kind_of(target) else {
            return Type::Document;
        };
        match kind {
            ShapeKind::String
                if self
                    .shape(target)
                    .is_some_and(|s| s.has_trait(traits::ENUM)) =>
            {
                Type::Named {
                    name: self.names.of(target),
                    module: Module::Types,
                }
            }
            ShapeKind::String => Type::String,
            ShapeKind::Boolean => Type::Bool,
            ShapeKind::Byte => Type::I8,
            ShapeKind::Short => Type::I16,
            ShapeKind::Integer => Type::I32,
            ShapeKind::Long => Type::I64,
            ShapeKind::Float => Type::F32,
            ShapeKind::Double => Type::F64,
            ShapeKind::BigInteger | ShapeKind::BigDecimal => Type::BigNumber,
            ShapeKind::Blob => Type::Blob,
            ShapeKind::Timestamp => Type::DateTime(crate::wire_format::timestamp_format(
                member,
                self.shape(target),
            )),
            ShapeKind::Document => Type::Document,
            ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum
                if target != traits::UNIT =>
            {
                Type::Named {
                    name: self.names.of(target),
                    module: self.module_of(target),
                }
            }
            ShapeKind::List | ShapeKind::Set | ShapeKind::Map
                if open.iter().any(|o| o == target) =>
            {
                Type::Document
            }
            ShapeKind::List | ShapeKind::Set => {
                let shape = self.shape(target);
                let sparse = shape.is_some_and(|s| s.has_trait(traits::SPARSE));
                open.push(target.to_owned());
                let element = match shape.and_then(|s| s.member.as_ref()) {
                    Some(m) => self.rust_type_in(Some(m), &m.target, open),
                    None => Type::Document,
                };
                open.pop();
                Type::List {
                    element: Box::new(element),
                    sparse,
                }
            }
            ShapeKind::Map => {
                let shape = self.shape(target);
                let sparse = shape.is_some_and(|s| s.has_trait(traits::SPARSE));
                open.push(target.to_owned());
                let value = match shape.and_then(|s| s.value.as_ref()) {
                    Some(m) => self.rust_type_in(Some(m), &m.target, open),
                    None => Type::Document,
                };
                open.pop();
                Type::Map {
                    value: Box::new(value),
                    sparse,
                }
            }
            _ => Type::Document,
        }
    }

    /// A member's type, boxed where a direct chain of members leads back to its owner.
    fn member_type(&self, owner: &str, m: &Member) -> Type {
        let ty = self.rust_type(Some(m), &m.target);
        if matches!(
            self.model.kind_of(&m.target),
            Some(ShapeKind::Structure | ShapeKind::Union)
        ) && cycles_to(self.model, &m.target, owner, &mut HashSet::new())
        {
            Type::Boxed(Box::new(ty))
        } else {
            ty
        }
    }

    /// Sensitive itself, or a collection whose elements are.
    fn target_sensitive(&mut self, id: &str) -> bool {
        if let Some(v) = self.sensitive_cache.get(id) {
            return *v;
        }
        self.sensitive_cache.insert(id.to_owned(), false);
        let v = match self.shape(id) {
            Some(s) if s.has_trait(traits::SENSITIVE) => true,
            Some(s) if matches!(s.kind, ShapeKind::List | ShapeKind::Set | ShapeKind::Map) => {
                let elems: Vec<&Member> = [&s.member, &s.key, &s.value]
                    .into_iter()
                    .flatten()
                    .collect();
                elems
                    .iter()
                    .any(|m| m.has_trait(traits::SENSITIVE) || self.target_sensitive(&m.target))
            }
            _ => false,
        };
        self.sensitive_cache.insert(id.to_owned(), v);
        v
    }

    fn constraints(&self, ty: &Type, member: &Member) -> Constraints {
        let target = self.shape(&member.target);
        let get = |name: &str| {
            member
                .traits
                .get(name)
                .or_else(|| target.and_then(|t| t.traits.get(name)))
        };
        let mut c = Constraints::default();
        let base = match ty {
            Type::Boxed(t) => t,
            t => t,
        };
        let lengthy = matches!(
            base,
            Type::String | Type::Blob | Type::List { .. } | Type::Map { .. }
        );
        let numeric = matches!(
            base,
            Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::F32 | Type::F64
        );
        if lengthy {
            if let Some(l) = get(traits::LENGTH) {
                c.length = Some((
                    l.get("min").and_then(Value::as_u64),
                    l.get("max").and_then(Value::as_u64),
                ));
            }
        }
        if numeric {
            if let Some(r) = get(traits::RANGE) {
                c.range = Some((
                    r.get("min").and_then(Value::as_f64),
                    r.get("max").and_then(Value::as_f64),
                ));
            }
        }
        if matches!(base, Type::String) {
            c.pattern = get(traits::PATTERN)
                .and_then(Value::as_str)
                .map(str::to_owned);
            // An invalid pattern is refused by the check pass; one beyond the matcher is
            // documented and left to the service.
            c.pattern_unchecked = c
                .pattern
                .as_deref()
                .and_then(|p| awsjson_pattern::Pattern::compile(p).err())
                .map(|e| e.message().to_owned());
        }
        c
    }

    /// `name` is the field's Rust name, `wire` the member's.
    fn field(&mut self, owner: &str, name: String, wire: &str, m: &Member) -> Field {
        let ty = self.member_type(owner, m);
        let idempotency_token = m.has_trait(traits::IDEMPOTENCY_TOKEN);
        let default_value = m.traits.get(traits::DEFAULT).or_else(|| {
            // Smithy 1.0 primitive prelude shapes default to zero.
            m.target
                .strip_prefix(traits::PRIMITIVE_PREFIX)
                .map(|_| &FALSE)
        });
        let primitive = matches!(
            ty,
            Type::Bool
                | Type::I8
                | Type::I16
                | Type::I32
                | Type::I64
                | Type::F32
                | Type::F64
                | Type::String
        );
        // `@required` with a zero `@default` is always present: a plain value, defaulted when absent.
        // A `@default` alone stays an `Option`, so what was sent (or not) survives a round trip.
        // Smithy 1.0 primitive prelude shapes are never null, like a required member.
        // `@clientOptional` (and `@addedDefault`, a default a service may not send yet) keep the
        // member an `Option` that the builder never demands, whatever `@required` says.
        let client_optional = crate::wire_format::client_optional(&m.traits);
        let always_present = !client_optional
            && (m.has_trait(traits::REQUIRED) || m.target.starts_with(traits::PRIMITIVE_PREFIX));
        let zero_default = always_present && default_value.is_some_and(is_zero) && primitive;
        let required = !client_optional
            && m.has_trait(traits::REQUIRED)
            && default_value.is_none()
            && !idempotency_token;
        let sensitive = m.has_trait(traits::SENSITIVE) || self.target_sensitive(&m.target);
        Field {
            name,
            wire_name: wire.to_owned(),
            constraints: self.constraints(&ty, m),
            nested: nests(self.model, &m.target),
            ty,
            optional: !required && !zero_default,
            required,
            default: zero_default && !idempotency_token,
            sensitive,
            idempotency_token,
            docs: doc_of(&m.traits),
            deprecated: deprecated_of(&m.traits),
            default_value: m.traits.get(traits::DEFAULT).map(Value::to_string),
        }
    }

    /// The IR type of reached shape `id`; `None` for shapes that are no type of their own
    /// (strings, numbers, lists and maps become Rust types of the members that target them).
    pub fn type_def(&mut self, id: &str) -> Option<TypeDef> {
        let shape = self.shape(id)?;
        let name = self.names.of(id);
        let docs = doc_of(&shape.traits);
        let deprecated = deprecated_of(&shape.traits);
        let used_by = self.reach.used_by(id);
        match shape.kind {
            ShapeKind::Structure => {
                let names = field_names(shape.members.iter().map(|(mname, _)| mname.as_str()));
                let fields = shape
                    .members
                    .iter()
                    .zip(names)
                    .map(|((mname, m), name)| self.field(id, name, mname, m))
                    .collect();
                let error = shape.traits.get(traits::ERROR).map(|fault| ErrorInfo {
                    code: short_name(id).to_owned(),
                    fault: fault.as_str().unwrap_or("server").to_owned(),
                    retryable: shape.has_trait(traits::RETRYABLE),
                    http_status: shape
                        .traits
                        .get(traits::HTTP_ERROR)
                        .and_then(Value::as_u64)
                        .and_then(|n| u16::try_from(n).ok()),
                });
                Some(TypeDef::Struct(Struct {
                    name,
                    shape_id: id.to_owned(),
                    fields,
                    docs,
                    deprecated,
                    sensitive: shape.has_trait(traits::SENSITIVE),
                    error,
                    validate: self.reach.from_inputs.contains(id),
                    decoded: self.reach.decoded.contains(id),
                    used_by,
                    input_of: Vec::new(),
                    output_of: Vec::new(),
                }))
            }
            ShapeKind::Union => {
                let mut variants = Vec::new();
                for (mname, m) in shape.members.iter() {
                    let ty = (m.target != traits::UNIT).then(|| self.member_type(id, m));
                    let sensitive =
                        m.has_trait(traits::SENSITIVE) || self.target_sensitive(&m.target);
                    variants.push(UnionVariant {
                        nested: ty.is_some() && nests(self.model, &m.target),
                        name: variant_name(mname),
                        wire_name: mname.clone(),
                        ty,
                        sensitive,
                        docs: doc_of(&m.traits),
                        deprecated: deprecated_of(&m.traits),
                    });
                }
                Some(TypeDef::Union(Union {
                    shape_id: id.to_owned(),
                    name,
                    docs,
                    deprecated,
                    sensitive: shape.has_trait(traits::SENSITIVE),
                    variants,
                    validate: self.reach.from_inputs.contains(id),
                    decoded: self.reach.decoded.contains(id),
                    used_by,
                }))
            }
            ShapeKind::Enum => {
                // Members whose value is not a string are refused by the check pass.
                let variants = shape
                    .members
                    .iter()
                    .filter_map(|(mname, m)| {
                        let value = match m.traits.get(traits::ENUM_VALUE) {
                            Some(Value::String(s)) => s.clone(),
                            None => mname.clone(),
                            Some(_) => return None,
                        };
                        Some(variant(mname, value, &m.traits))
                    })
                    .collect();
                Some(TypeDef::Enum(Enum {
                    shape_id: id.to_owned(),
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by,
                }))
            }
            ShapeKind::String if shape.has_trait(traits::ENUM) => {
                let defs = shape
                    .traits
                    .get(traits::ENUM)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let variants = defs
                    .iter()
                    .filter_map(|def| {
                        let value = def.get("value").and_then(Value::as_str)?;
                        let vname = def.get("name").and_then(Value::as_str).unwrap_or(value);
                        let mut traits = BTreeMap::new();
                        if let Some(d) = def.get("documentation") {
                            traits.insert(traits::DOCUMENTATION.to_owned(), d.clone());
                        }
                        if def.get("deprecated").and_then(Value::as_bool) == Some(true) {
                            traits.insert(
                                traits::DEPRECATED.to_owned(),
                                Value::Object(Default::default()),
                            );
                        }
                        Some(variant(vname, value.to_owned(), &traits))
                    })
                    .collect();
                Some(TypeDef::Enum(Enum {
                    shape_id: id.to_owned(),
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by,
                }))
            }
            ShapeKind::IntEnum => {
                let variants = shape
                    .members
                    .iter()
                    .filter_map(|(mname, m)| {
                        let value = int_enum_value(m)?;
                        Some(variant(mname, value, &m.traits))
                    })
                    .collect();
                Some(TypeDef::IntEnum(IntEnum {
                    shape_id: id.to_owned(),
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by,
                }))
            }
            _ => None,
        }
    }
}

/// An intEnum member's value, if it is a 32-bit integer (the check pass refuses the others).
pub fn int_enum_value(m: &Member) -> Option<i64> {
    m.traits
        .get(traits::ENUM_VALUE)
        .and_then(Value::as_i64)
        .filter(|v| i32::try_from(*v).is_ok())
}

fn variant<V>(name: &str, value: V, traits: &BTreeMap<String, Value>) -> Variant<V> {
    Variant {
        name: variant_name(name),
        value,
        docs: doc_of(traits),
        deprecated: deprecated_of(traits),
    }
}
