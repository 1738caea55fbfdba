//! The Smithy 2.0 JSON AST, as serde reads it. Traits stay `serde_json::Value`s until lowering.
//!
//! Shapes are read one by one from a raw map so that a malformed shape is reported under its own
//! id instead of failing the whole model; member order is kept as written.

use crate::diagnostics::{Diagnostics, Location};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A whole model file.
#[derive(Debug, Default)]
pub struct Model {
    pub version: String,
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Deserialize)]
struct RawModel {
    #[serde(default)]
    smithy: Option<Value>,
    #[serde(default)]
    shapes: Ordered<Box<serde_json::value::RawValue>>,
}

/// One shape of any type; fields that do not apply to a type stay empty.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: ShapeKind,
    #[serde(default)]
    pub members: Ordered<Member>,
    /// list/set element
    #[serde(default)]
    pub member: Option<Member>,
    #[serde(default)]
    pub key: Option<Member>,
    #[serde(default)]
    pub value: Option<Member>,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    #[serde(default)]
    pub input: Option<Target>,
    #[serde(default)]
    pub output: Option<Target>,
    #[serde(default)]
    pub errors: Vec<Target>,
    #[serde(default)]
    pub operations: Vec<Target>,
    #[serde(default)]
    pub resources: Vec<Target>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub mixins: Vec<Target>,
    #[serde(default)]
    pub create: Option<Target>,
    #[serde(default)]
    pub put: Option<Target>,
    #[serde(default)]
    pub read: Option<Target>,
    #[serde(default)]
    pub update: Option<Target>,
    #[serde(default)]
    pub delete: Option<Target>,
    #[serde(default)]
    pub list: Option<Target>,
    #[serde(default, rename = "collectionOperations")]
    pub collection_operations: Vec<Target>,
}

/// A shape's `type`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ShapeKind {
    Blob,
    Boolean,
    #[default]
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Operation,
    Resource,
    /// IDL `apply` statements, which a flattened model has applied already.
    Apply,
    /// A type Smithy 2.0 does not define (the check pass reports it).
    Other(String),
}

impl ShapeKind {
    /// The kind the AST spells `name`.
    pub fn parse(name: &str) -> Self {
        use ShapeKind::*;
        match name {
            "blob" => Blob,
            "boolean" => Boolean,
            "string" => String,
            "byte" => Byte,
            "short" => Short,
            "integer" => Integer,
            "long" => Long,
            "float" => Float,
            "double" => Double,
            "bigInteger" => BigInteger,
            "bigDecimal" => BigDecimal,
            "timestamp" => Timestamp,
            "document" => Document,
            "enum" => Enum,
            "intEnum" => IntEnum,
            "list" => List,
            "set" => Set,
            "map" => Map,
            "structure" => Structure,
            "union" => Union,
            "service" => Service,
            "operation" => Operation,
            "resource" => Resource,
            "apply" => Apply,
            other => Other(other.to_owned()),
        }
    }

    /// The AST's spelling.
    pub fn as_str(&self) -> &str {
        use ShapeKind::*;
        match self {
            Blob => "blob",
            Boolean => "boolean",
            String => "string",
            Byte => "byte",
            Short => "short",
            Integer => "integer",
            Long => "long",
            Float => "float",
            Double => "double",
            BigInteger => "bigInteger",
            BigDecimal => "bigDecimal",
            Timestamp => "timestamp",
            Document => "document",
            Enum => "enum",
            IntEnum => "intEnum",
            List => "list",
            Set => "set",
            Map => "map",
            Structure => "structure",
            Union => "union",
            Service => "service",
            Operation => "operation",
            Resource => "resource",
            Apply => "apply",
            Other(name) => name,
        }
    }

    /// A list, set or map.
    pub fn is_collection(&self) -> bool {
        matches!(self, ShapeKind::List | ShapeKind::Set | ShapeKind::Map)
    }
}

impl fmt::Display for ShapeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ShapeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::string::String::deserialize(d)?;
        Ok(ShapeKind::parse(&name))
    }
}

/// A member of a structure, union, enum, list or map.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Member {
    pub target: String,
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// A shape reference `{"target": "ns#Name"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    pub target: String,
}

/// A JSON object read as an ordered list of entries (the AST's member order matters).
#[derive(Debug, Clone)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl Model {
    /// The kind of shape `id`, defined in the model or in the prelude.
    pub fn kind_of(&self, id: &str) -> Option<ShapeKind> {
        match self.shapes.get(id) {
            Some(s) => Some(s.kind.clone()),
            None => prelude_kind(id),
        }
    }
}

impl Shape {
    pub fn has_trait(&self, name: &str) -> bool {
        self.traits.contains_key(name)
    }
}

impl Member {
    pub fn has_trait(&self, name: &str) -> bool {
        self.traits.contains_key(name)
    }
}

/// Parse model text; JSON syntax errors carry line and column, malformed shapes their id.
pub fn parse(text: &str, diags: &mut Diagnostics) -> Model {
    let raw: RawModel = match serde_json::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            diags.at(
                Location::Text {
                    line: e.line(),
                    column: e.column(),
                },
                format!("invalid model JSON: {}", strip_position(&e.to_string())),
            );
            return Model::default();
        }
    };
    if !text.trim_start().starts_with('{') {
        diags.error(None, None, "a Smithy JSON AST model is a JSON object");
        return Model::default();
    }
    let version = match raw.smithy {
        Some(Value::String(v)) => v,
        Some(_) => {
            diags.error(None, None, "the `smithy` version must be a string");
            String::new()
        }
        None => {
            diags.error(
                None,
                None,
                "not a Smithy JSON AST model: no `smithy` version",
            );
            String::new()
        }
    };
    if !version.is_empty() && !version.starts_with('1') && !version.starts_with('2') {
        diags.error(
            None,
            None,
            format!("unsupported Smithy version `{version}`"),
        );
    }
    let mut shapes = BTreeMap::new();
    for (id, value) in raw.shapes.0 {
        match serde_json::from_str::<Shape>(value.get()) {
            Ok(shape) => {
                shapes.insert(id, shape);
            }
            Err(e) => diags.error(
                Some(&id),
                None,
                format!("malformed shape: {}", strip_position(&e.to_string())),
            ),
        }
    }
    Model { version, shapes }
}

fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// The shape name without its namespace.
pub fn short_name(id: &str) -> &str {
    match id.rsplit_once('#') {
        Some((_, name)) => name,
        None => id,
    }
}

/// Shapes of the `smithy.api#` prelude that a model may target without defining.
pub fn prelude_kind(id: &str) -> Option<ShapeKind> {
    use ShapeKind::*;
    let name = id.strip_prefix(crate::traits::PRELUDE)?;
    Some(match name {
        "String" => String,
        "Blob" => Blob,
        "BigInteger" => BigInteger,
        "BigDecimal" => BigDecimal,
        "Timestamp" => Timestamp,
        "Document" => Document,
        "Boolean" | "PrimitiveBoolean" => Boolean,
        "Byte" | "PrimitiveByte" => Byte,
        "Short" | "PrimitiveShort" => Short,
        "Integer" | "PrimitiveInteger" => Integer,
        "Long" | "PrimitiveLong" => Long,
        "Float" | "PrimitiveFloat" => Float,
        "Double" | "PrimitiveDouble" => Double,
        "Unit" => Structure,
        _ => return None,
    })
}

impl Model {
    /// The single service shape of the model, if there is exactly one.
    pub fn service(&self) -> Option<(&String, &Shape)> {
        let mut services = self
            .shapes
            .iter()
            .filter(|(_, s)| s.kind == ShapeKind::Service);
        let first = services.next()?;
        if services.next().is_some() {
            return None;
        }
        Some(first)
    }
}
