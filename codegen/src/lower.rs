//! Raw model → IR, keeping only what the chosen operations reach.

use crate::diagnostics::{did_you_mean, Diagnostics, Location};
use crate::docs::to_rustdoc;
use crate::ir::*;
use crate::names::{bare, camel, snake};
use crate::smithy::{prelude_kind, short_name, Member, Model, Shape};
use crate::validate::{service, SUPPORTED_PROTOCOLS};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Operation names (the model's spelling); `None` means all of the service's operations.
    pub operations: Option<Vec<String>>,
    /// Emit a `#[cfg(test)]` module with one test per `smithy.rules#endpointTests` case.
    pub endpoint_tests: bool,
}

const DOC: &str = "smithy.api#documentation";
static FALSE: Value = Value::Bool(false);
const UNSUPPORTED_TRAITS: &[(&str, &str)] = &[
    (
        "smithy.api#streaming",
        "streaming blobs are not supported by awsJson clients here",
    ),
    ("smithy.api#eventStream", "event streams are not supported"),
];

struct Lowerer<'m> {
    model: &'m Model,
    diags: &'m mut Diagnostics,
    /// Type name chosen for each named shape (structure, union, enum, intEnum, enum-trait string).
    names: HashMap<String, String>,
    /// Synthetic names for operations whose input or output is `smithy.api#Unit`.
    input_reach: HashSet<String>,
    /// Shape id → model names of the chosen operations that reach it, and whose input/output it is.
    used_by: HashMap<String, Vec<String>>,
    input_of: HashMap<String, Vec<String>>,
    output_of: HashMap<String, Vec<String>>,
    sensitive_cache: HashMap<String, bool>,
}

pub fn lower(model: &Model, opts: &Options, diags: &mut Diagnostics) -> Option<Service> {
    let (service_id, service_shape) = service(model)?;
    let mut l = Lowerer {
        model,
        diags,
        names: HashMap::new(),
        input_reach: HashSet::new(),
        used_by: HashMap::new(),
        input_of: HashMap::new(),
        output_of: HashMap::new(),
        sensitive_cache: HashMap::new(),
    };
    l.service(service_id, service_shape, opts)
}

fn doc_of(traits: &BTreeMap<String, Value>) -> String {
    traits
        .get(DOC)
        .and_then(Value::as_str)
        .map(to_rustdoc)
        .unwrap_or_default()
}

fn deprecated_of(traits: &BTreeMap<String, Value>) -> Option<String> {
    let d = traits.get("smithy.api#deprecated")?;
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

fn strip_docs(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| k.as_str() != "documentation")
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

impl<'m> Lowerer<'m> {
    fn shape(&self, id: &str) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    fn kind(&self, id: &str) -> Option<&'m str> {
        match self.model.shapes.get(id) {
            Some(s) => Some(s.kind.as_str()),
            None => prelude_kind(id),
        }
    }

    fn service(&mut self, service_id: &str, svc: &'m Shape, opts: &Options) -> Option<Service> {
        let protocol = if svc.has_trait(SUPPORTED_PROTOCOLS[1]) {
            Protocol::AwsJson1_1
        } else if svc.has_trait(SUPPORTED_PROTOCOLS[0]) {
            Protocol::AwsJson1_0
        } else {
            // Reported by validate::check_protocol; keep lowering to report everything else too.
            Protocol::AwsJson1_1
        };

        // Every operation of the service, directly or through resources.
        let mut all_ops = BTreeSet::new();
        self.collect_ops(svc, &mut all_ops, &mut HashSet::new());
        let by_name: BTreeMap<&str, &String> =
            all_ops.iter().map(|id| (short_name(id), id)).collect();

        let chosen: Vec<String> = match &opts.operations {
            None => all_ops.iter().cloned().collect(),
            Some(list) => {
                let mut chosen = BTreeSet::new();
                for name in list {
                    match by_name
                        .get(name.as_str())
                        .or_else(|| all_ops.get(name).map(|_| &name))
                    {
                        Some(id) => {
                            chosen.insert((*id).clone());
                        }
                        None => {
                            let hint = did_you_mean(name, by_name.keys().copied())
                                .map(|s| format!("; did you mean `{s}`?"))
                                .unwrap_or_default();
                            self.diags.at(
                                Location::Operation {
                                    service: service_id.to_owned(),
                                    name: name.clone(),
                                },
                                format!("unknown operation `{name}`: the service has no such operation{hint}"),
                            );
                        }
                    }
                }
                chosen.into_iter().collect()
            }
        };

        let service_errors: Vec<String> = svc.errors.iter().map(|t| t.target.clone()).collect();
        self.assign_names(&all_ops);

        // Reachable shapes.
        let mut reach = BTreeSet::new();
        let mut input_roots = Vec::new();
        for op_id in &chosen {
            let Some(op) = self.shape(op_id) else {
                continue;
            };
            if let Some(t) = &op.input {
                input_roots.push(t.target.clone());
                self.reach(&t.target, &mut reach);
            }
            if let Some(t) = &op.output {
                self.reach(&t.target, &mut reach);
            }
            for t in op.errors.iter().map(|t| &t.target).chain(&service_errors) {
                self.reach(t, &mut reach);
            }
        }
        let mut input_reach = BTreeSet::new();
        for root in &input_roots {
            self.reach(root, &mut input_reach);
        }
        self.input_reach = input_reach.into_iter().collect();
        self.record_uses(&chosen, &service_errors);

        let mut types = Vec::new();
        for id in &reach {
            if let Some(t) = self.type_def(id) {
                types.push(t);
            }
        }
        let mut operations = Vec::new();
        for op_id in &chosen {
            if let Some(op) = self.operation(op_id, svc, &service_errors, &mut types) {
                operations.push(op);
            }
        }
        self.check_name_clashes(&types, &operations);

        let sdk_id = svc
            .traits
            .get("aws.api#service")
            .and_then(|s| s.get("sdkId"))
            .and_then(Value::as_str)
            .unwrap_or(short_name(service_id))
            .to_owned();
        let signing_name = svc
            .traits
            .get("aws.auth#sigv4")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str)
            .or_else(|| {
                svc.traits
                    .get("aws.api#service")
                    .and_then(|s| s.get("endpointPrefix"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
            .unwrap_or_else(|| short_name(service_id).to_ascii_lowercase());
        let endpoint_rules = svc
            .traits
            .get("smithy.rules#endpointRuleSet")
            .map(|v| strip_docs(v).to_string())
            .unwrap_or_default();
        let endpoint_tests = if opts.endpoint_tests {
            self.endpoint_tests(service_id, svc)
        } else {
            Vec::new()
        };

        Some(Service {
            shape_id: service_id.to_owned(),
            shape_name: short_name(service_id).to_owned(),
            sdk_id,
            signing_name,
            protocol,
            api_version: svc.version.clone().unwrap_or_default(),
            docs: doc_of(&svc.traits),
            endpoint_rules,
            endpoint_tests,
            operations,
            types,
        })
    }

    /// For the docs: which operations reach each shape, and whose input or output it is.
    fn record_uses(&mut self, chosen: &[String], service_errors: &[String]) {
        for op_id in chosen {
            let Some(op) = self.shape(op_id) else {
                continue;
            };
            let name = short_name(op_id).to_owned();
            let mut reach = BTreeSet::new();
            for t in op.input.iter().chain(&op.output) {
                self.reach(&t.target, &mut reach);
            }
            for t in op.errors.iter().map(|t| &t.target).chain(service_errors) {
                self.reach(t, &mut reach);
            }
            for id in reach {
                self.used_by.entry(id).or_default().push(name.clone());
            }
            if let Some(t) = &op.input {
                self.input_of
                    .entry(t.target.clone())
                    .or_default()
                    .push(name.clone());
            }
            if let Some(t) = &op.output {
                self.output_of
                    .entry(t.target.clone())
                    .or_default()
                    .push(name.clone());
            }
        }
    }

    fn uses(map: &HashMap<String, Vec<String>>, id: &str) -> Vec<String> {
        map.get(id).cloned().unwrap_or_default()
    }

    fn collect_ops(
        &self,
        container: &'m Shape,
        out: &mut BTreeSet<String>,
        seen: &mut HashSet<String>,
    ) {
        let singles = [
            &container.create,
            &container.put,
            &container.read,
            &container.update,
            &container.delete,
            &container.list,
        ];
        for t in container
            .operations
            .iter()
            .chain(&container.collection_operations)
            .chain(singles.into_iter().flatten())
        {
            if self.kind(&t.target) == Some("operation") {
                out.insert(t.target.clone());
            }
        }
        for r in &container.resources {
            if seen.insert(r.target.clone()) {
                if let Some(res) = self.shape(&r.target) {
                    self.collect_ops(res, out, seen);
                }
            }
        }
    }

    /// Type names for every named shape, and the `{Op}Input`/`{Op}Output` renames, decided on the
    /// whole model so that a name never depends on which operations were chosen.
    fn assign_names(&mut self, all_ops: &BTreeSet<String>) {
        let mut member_targets: HashSet<&str> = HashSet::new();
        for shape in self.model.shapes.values() {
            for (_, m) in shape.members.iter() {
                member_targets.insert(&m.target);
            }
            for m in [&shape.member, &shape.key, &shape.value]
                .into_iter()
                .flatten()
            {
                member_targets.insert(&m.target);
            }
        }
        let mut io_uses: HashMap<&str, usize> = HashMap::new();
        for op_id in all_ops {
            if let Some(op) = self.shape(op_id) {
                for t in [&op.input, &op.output].into_iter().flatten() {
                    *io_uses.entry(&t.target).or_default() += 1;
                }
            }
        }
        for (id, shape) in &self.model.shapes {
            let named = matches!(
                shape.kind.as_str(),
                "structure" | "union" | "enum" | "intEnum"
            ) || (shape.kind == "string" && shape.has_trait("smithy.api#enum"));
            if named {
                self.names.insert(id.clone(), camel(short_name(id)));
            }
        }
        for op_id in all_ops {
            let Some(op) = self.shape(op_id) else {
                continue;
            };
            let op_name = camel(short_name(op_id));
            for (t, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
                if let Some(t) = t {
                    let exclusive = io_uses.get(t.target.as_str()) == Some(&1)
                        && !member_targets.contains(t.target.as_str());
                    if exclusive && t.target != "smithy.api#Unit" {
                        self.names
                            .insert(t.target.clone(), format!("{op_name}{suffix}"));
                    }
                }
            }
        }
    }

    fn reach(&self, id: &str, out: &mut BTreeSet<String>) {
        if !out.insert(id.to_owned()) {
            return;
        }
        let Some(shape) = self.shape(id) else { return };
        if shape.kind == "enum" || shape.kind == "intEnum" {
            return;
        }
        for (_, m) in shape.members.iter() {
            self.reach(&m.target, out);
        }
        for m in [&shape.member, &shape.key, &shape.value]
            .into_iter()
            .flatten()
        {
            self.reach(&m.target, out);
        }
    }

    fn type_name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| camel(short_name(id)))
    }

    fn module_of(&self, id: &str) -> Module {
        match self.shape(id) {
            Some(s) if s.has_trait("smithy.api#error") => Module::Error,
            _ => Module::Types,
        }
    }

    fn check_traits(&mut self, id: &str, member: Option<&str>, traits: &BTreeMap<String, Value>) {
        for (t, why) in UNSUPPORTED_TRAITS {
            if traits.contains_key(*t) {
                self.diags
                    .error(Some(id), member, format!("unsupported trait `{t}`: {why}"));
            }
        }
        if let Some(fmt) = traits
            .get("smithy.api#timestampFormat")
            .and_then(Value::as_str)
        {
            if fmt != "epoch-seconds" {
                self.diags.error(
                    Some(id),
                    member,
                    format!("unsupported trait value `smithy.api#timestampFormat: {fmt}`: awsJson clients here read and write epoch-seconds"),
                );
            }
        }
    }

    /// The Rust type of a member target.
    fn rust_type(&mut self, owner: &str, member: &str, target: &str) -> Type {
        self.rust_type_in(owner, member, target, &mut Vec::new())
    }

    /// `open` holds the lists and maps being lowered around this member. A collection that
    /// contains itself with no structure or union in between has no finite type (Smithy forbids
    /// it); without this check such a model recursed until the stack overflowed (found by
    /// fuzzing).
    fn rust_type_in(
        &mut self,
        owner: &str,
        member: &str,
        target: &str,
        open: &mut Vec<String>,
    ) -> Type {
        let Some(kind) = self.kind(target) else {
            return Type::Document; // dangling: reported by validate::check_targets
        };
        match kind {
            "string"
                if self
                    .shape(target)
                    .is_some_and(|s| s.has_trait("smithy.api#enum")) =>
            {
                Type::Named {
                    name: self.type_name(target),
                    module: Module::Types,
                }
            }
            "string" => Type::String,
            "boolean" => Type::Bool,
            "byte" => Type::I8,
            "short" => Type::I16,
            "integer" => Type::I32,
            "long" => Type::I64,
            "float" => Type::F32,
            "double" => Type::F64,
            "bigInteger" | "bigDecimal" => Type::BigNumber,
            "blob" => Type::Blob,
            "timestamp" => Type::DateTime,
            "document" => Type::Document,
            "structure" | "union" | "enum" | "intEnum" if target != "smithy.api#Unit" => {
                Type::Named {
                    name: self.type_name(target),
                    module: self.module_of(target),
                }
            }
            "list" | "set" | "map" if open.iter().any(|o| o == target) => {
                self.diags.error(
                    Some(target),
                    None,
                    "a list or map cannot contain itself without a structure or union in between",
                );
                Type::Document
            }
            "list" | "set" => {
                let shape = self.shape(target);
                let sparse = shape.is_some_and(|s| s.has_trait("smithy.api#sparse"));
                open.push(target.to_owned());
                let element = match shape.and_then(|s| s.member.as_ref()) {
                    Some(m) => self.rust_type_in(target, "member", &m.target, open),
                    None => Type::Document,
                };
                open.pop();
                Type::List {
                    element: Box::new(element),
                    sparse,
                }
            }
            "map" => {
                let shape = self.shape(target);
                let sparse = shape.is_some_and(|s| s.has_trait("smithy.api#sparse"));
                open.push(target.to_owned());
                let value = match shape.and_then(|s| s.value.as_ref()) {
                    Some(m) => self.rust_type_in(target, "value", &m.target, open),
                    None => Type::Document,
                };
                open.pop();
                Type::Map {
                    value: Box::new(value),
                    sparse,
                }
            }
            other => {
                self.diags.error(
                    Some(owner),
                    Some(member),
                    format!("a member cannot target `{target}` (a {other})"),
                );
                Type::Document
            }
        }
    }

    /// Sensitive itself, or a collection whose elements are.
    fn target_sensitive(&mut self, id: &str) -> bool {
        if let Some(v) = self.sensitive_cache.get(id) {
            return *v;
        }
        self.sensitive_cache.insert(id.to_owned(), false);
        let v = match self.shape(id) {
            Some(s) if s.has_trait("smithy.api#sensitive") => true,
            Some(s) if matches!(s.kind.as_str(), "list" | "set" | "map") => {
                let elems: Vec<&Member> = [&s.member, &s.key, &s.value]
                    .into_iter()
                    .flatten()
                    .collect();
                elems.iter().any(|m| {
                    m.has_trait("smithy.api#sensitive") || self.target_sensitive(&m.target)
                })
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
            if let Some(l) = get("smithy.api#length") {
                c.length = Some((
                    l.get("min").and_then(Value::as_u64),
                    l.get("max").and_then(Value::as_u64),
                ));
            }
        }
        if numeric {
            if let Some(r) = get("smithy.api#range") {
                c.range = Some((
                    r.get("min").and_then(Value::as_f64),
                    r.get("max").and_then(Value::as_f64),
                ));
            }
        }
        if matches!(base, Type::String) {
            c.pattern = get("smithy.api#pattern")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        c
    }

    /// Does a member with this target hold structures or unions (which validate themselves)?
    fn nests(&self, target: &str) -> bool {
        self.nests_in(target, &mut HashSet::new())
    }

    /// `seen`: the collections already followed (a list of itself must not recurse forever).
    fn nests_in(&self, target: &str, seen: &mut HashSet<String>) -> bool {
        let Some(s) = self.shape(target) else {
            return false;
        };
        match s.kind.as_str() {
            "structure" | "union" => target != "smithy.api#Unit",
            _ if !seen.insert(target.to_owned()) => false,
            "list" | "set" => s
                .member
                .as_ref()
                .is_some_and(|m| self.nests_in(&m.target, seen)),
            "map" => s
                .value
                .as_ref()
                .is_some_and(|m| self.nests_in(&m.target, seen)),
            _ => false,
        }
    }

    /// Does a direct (not through a list or map) chain of members lead from `from` back to `to`?
    fn cycles_to(&self, from: &str, to: &str, seen: &mut HashSet<String>) -> bool {
        if from == to {
            return true;
        }
        if !seen.insert(from.to_owned()) {
            return false;
        }
        let Some(s) = self.shape(from) else {
            return false;
        };
        if s.kind != "structure" && s.kind != "union" {
            return false;
        }
        s.members
            .iter()
            .any(|(_, m)| self.cycles_to(&m.target, to, seen))
    }

    fn field(&mut self, owner: &str, name: &str, m: &Member) -> Field {
        self.check_traits(owner, Some(name), &m.traits);
        let mut ty = self.rust_type(owner, name, &m.target);
        if matches!(self.kind(&m.target), Some("structure" | "union"))
            && self.cycles_to(&m.target, owner, &mut HashSet::new())
        {
            ty = Type::Boxed(Box::new(ty));
        }
        let idempotency_token = m.has_trait("smithy.api#idempotencyToken");
        let default_value = m.traits.get("smithy.api#default").or_else(|| {
            // Smithy 1.0 primitive prelude shapes default to zero.
            m.target
                .strip_prefix("smithy.api#Primitive")
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
        let always_present =
            m.has_trait("smithy.api#required") || m.target.starts_with("smithy.api#Primitive");
        let zero_default = always_present && default_value.is_some_and(is_zero) && primitive;
        let required =
            m.has_trait("smithy.api#required") && default_value.is_none() && !idempotency_token;
        let sensitive = m.has_trait("smithy.api#sensitive") || self.target_sensitive(&m.target);
        Field {
            name: snake(name),
            wire_name: name.to_owned(),
            constraints: self.constraints(&ty, m),
            nested: self.nests(&m.target),
            ty,
            optional: !required && !zero_default,
            required,
            default: zero_default && !idempotency_token,
            sensitive,
            idempotency_token,
            docs: doc_of(&m.traits),
            deprecated: deprecated_of(&m.traits),
            default_value: m.traits.get("smithy.api#default").map(Value::to_string),
        }
    }

    fn type_def(&mut self, id: &str) -> Option<TypeDef> {
        let shape = self.shape(id)?;
        self.check_traits(id, None, &shape.traits);
        let name = self.type_name(id);
        let docs = doc_of(&shape.traits);
        let deprecated = deprecated_of(&shape.traits);
        match shape.kind.as_str() {
            "structure" => {
                let mut fields = Vec::new();
                for (mname, m) in shape.members.iter() {
                    fields.push(self.field(id, mname, m));
                }
                self.check_field_clashes(id, &fields);
                let error = shape.traits.get("smithy.api#error").map(|fault| ErrorInfo {
                    code: short_name(id).to_owned(),
                    fault: fault.as_str().unwrap_or("server").to_owned(),
                    retryable: shape.has_trait("smithy.api#retryable"),
                    http_status: shape
                        .traits
                        .get("smithy.api#httpError")
                        .and_then(Value::as_u64)
                        .and_then(|n| u16::try_from(n).ok()),
                });
                if error.is_some() && fields.iter().any(|f| f.name == "meta") {
                    self.diags.error(Some(id), Some("meta"), "an error member named `meta` clashes with the generated error metadata field");
                }
                Some(TypeDef::Struct(Struct {
                    name,
                    shape_id: id.to_owned(),
                    fields,
                    docs,
                    deprecated,
                    sensitive: shape.has_trait("smithy.api#sensitive"),
                    error,
                    validate: self.input_reach.contains(id),
                    used_by: Self::uses(&self.used_by, id),
                    input_of: Self::uses(&self.input_of, id),
                    output_of: Self::uses(&self.output_of, id),
                }))
            }
            "union" => {
                let mut variants = Vec::new();
                for (mname, m) in shape.members.iter() {
                    self.check_traits(id, Some(mname), &m.traits);
                    let ty = if m.target == "smithy.api#Unit" {
                        None
                    } else {
                        let t = self.rust_type(id, mname, &m.target);
                        if matches!(self.kind(&m.target), Some("structure" | "union"))
                            && self.cycles_to(&m.target, id, &mut HashSet::new())
                        {
                            Some(Type::Boxed(Box::new(t)))
                        } else {
                            Some(t)
                        }
                    };
                    let mut vname = camel(mname);
                    if vname == "Unknown" {
                        vname = "UnknownValue".to_owned();
                    }
                    let sensitive =
                        m.has_trait("smithy.api#sensitive") || self.target_sensitive(&m.target);
                    variants.push(UnionVariant {
                        nested: ty.is_some() && self.nests(&m.target),
                        name: vname,
                        wire_name: mname.clone(),
                        ty,
                        sensitive,
                        docs: doc_of(&m.traits),
                        deprecated: deprecated_of(&m.traits),
                    });
                }
                self.check_clashes(
                    id,
                    variants
                        .iter()
                        .map(|v| (v.name.as_str(), v.wire_name.as_str())),
                );
                Some(TypeDef::Union(Union {
                    name,
                    docs,
                    deprecated,
                    sensitive: shape.has_trait("smithy.api#sensitive"),
                    variants,
                    validate: self.input_reach.contains(id),
                    used_by: Self::uses(&self.used_by, id),
                }))
            }
            "enum" => {
                let mut variants = Vec::new();
                for (mname, m) in shape.members.iter() {
                    let value = match m.traits.get("smithy.api#enumValue") {
                        Some(Value::String(s)) => s.clone(),
                        None => mname.clone(),
                        Some(other) => {
                            self.diags.error(
                                Some(id),
                                Some(mname),
                                format!("enum value must be a string, found {other}"),
                            );
                            continue;
                        }
                    };
                    variants.push(variant(mname, value, &m.traits));
                }
                self.check_clashes(
                    id,
                    variants.iter().map(|v| (v.name.as_str(), v.value.as_str())),
                );
                Some(TypeDef::Enum(Enum {
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by: Self::uses(&self.used_by, id),
                }))
            }
            "string" if shape.has_trait("smithy.api#enum") => {
                let mut variants = Vec::new();
                let defs = shape
                    .traits
                    .get("smithy.api#enum")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for def in &defs {
                    let Some(value) = def.get("value").and_then(Value::as_str) else {
                        self.diags.error(
                            Some(id),
                            None,
                            "`smithy.api#enum` entry without a string `value`",
                        );
                        continue;
                    };
                    let vname = def.get("name").and_then(Value::as_str).unwrap_or(value);
                    let mut traits = BTreeMap::new();
                    if let Some(d) = def.get("documentation") {
                        traits.insert(DOC.to_owned(), d.clone());
                    }
                    if def.get("deprecated").and_then(Value::as_bool) == Some(true) {
                        traits.insert(
                            "smithy.api#deprecated".to_owned(),
                            Value::Object(Default::default()),
                        );
                    }
                    variants.push(variant(vname, value.to_owned(), &traits));
                }
                self.check_clashes(
                    id,
                    variants.iter().map(|v| (v.name.as_str(), v.value.as_str())),
                );
                Some(TypeDef::Enum(Enum {
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by: Self::uses(&self.used_by, id),
                }))
            }
            "intEnum" => {
                let mut variants = Vec::new();
                for (mname, m) in shape.members.iter() {
                    let Some(value) = m
                        .traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_i64)
                        .filter(|v| i32::try_from(*v).is_ok())
                    else {
                        self.diags.error(
                            Some(id),
                            Some(mname),
                            "intEnum member needs a 32-bit integer `smithy.api#enumValue`",
                        );
                        continue;
                    };
                    variants.push(variant(mname, value, &m.traits));
                }
                let labels: Vec<(String, String)> = variants
                    .iter()
                    .map(|v| (v.name.clone(), v.value.to_string()))
                    .collect();
                self.check_clashes(id, labels.iter().map(|(a, b)| (a.as_str(), b.as_str())));
                Some(TypeDef::IntEnum(IntEnum {
                    name,
                    docs,
                    deprecated,
                    variants,
                    used_by: Self::uses(&self.used_by, id),
                }))
            }
            _ => None,
        }
    }

    fn check_field_clashes(&mut self, id: &str, fields: &[Field]) {
        self.check_clashes(
            id,
            fields
                .iter()
                .map(|f| (f.name.as_str(), f.wire_name.as_str())),
        );
        // Builders give every member `x(..)` and `set_x(..)`: member `SetX` beside `X` would
        // define `set_x` twice.
        let names: HashSet<&str> = fields.iter().map(|f| bare(&f.name)).collect();
        for f in fields {
            let setter = format!("set_{}", bare(&f.name));
            if names.contains(setter.as_str()) {
                self.diags.error(
                    Some(id),
                    Some(&f.wire_name),
                    format!("the builder method `{setter}` of `{}` clashes with the member that becomes `{setter}`", f.wire_name),
                );
            }
        }
    }

    /// Two model names that become one Rust name.
    fn check_clashes<'a>(&mut self, id: &str, names: impl Iterator<Item = (&'a str, &'a str)>) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for (rust, wire) in names {
            if let Some(prev) = seen.insert(rust, wire) {
                self.diags.error(
                    Some(id),
                    Some(wire),
                    format!("`{prev}` and `{wire}` both become `{}` in Rust", bare(rust)),
                );
            }
        }
    }

    fn check_name_clashes(&mut self, types: &[TypeDef], ops: &[Operation]) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut clash = |diags: &mut Diagnostics, name: String, what: String| {
            if let Some(prev) = seen.get(&name) {
                diags.error(
                    None,
                    None,
                    format!("{prev} and {what} both become the Rust type `{name}`"),
                );
            } else {
                seen.insert(name, what);
            }
        };
        for t in types {
            match t {
                TypeDef::Struct(s) => {
                    clash(
                        self.diags,
                        s.name.clone(),
                        format!("shape `{}`", s.shape_id),
                    );
                    if s.error.is_none() {
                        clash(
                            self.diags,
                            format!("{}Builder", s.name),
                            format!("the builder of `{}`", s.shape_id),
                        );
                    }
                }
                TypeDef::Enum(e) => clash(self.diags, e.name.clone(), format!("enum `{}`", e.name)),
                TypeDef::IntEnum(e) => {
                    clash(self.diags, e.name.clone(), format!("intEnum `{}`", e.name))
                }
                TypeDef::Union(u) => {
                    clash(self.diags, u.name.clone(), format!("union `{}`", u.name))
                }
            }
        }
        let mut methods: BTreeMap<String, String> = ["new", "from_env", "config"]
            .iter()
            .map(|m| (m.to_string(), "a Client method".to_owned()))
            .collect();
        for op in ops {
            clash(
                self.diags,
                format!("{}Error", op.type_name),
                format!("the error enum of operation `{}`", op.wire_name),
            );
            clash(
                self.diags,
                format!("{}FluentBuilder", op.type_name),
                format!("the fluent builder of operation `{}`", op.wire_name),
            );
            for m in [op.method.clone(), format!("call_{}", bare(&op.method))] {
                if let Some(prev) =
                    methods.insert(m.clone(), format!("operation `{}`", op.wire_name))
                {
                    self.diags.error(
                        None,
                        None,
                        format!(
                            "{prev} and operation `{}` both become the method `{m}`",
                            op.wire_name
                        ),
                    );
                }
            }
        }
    }

    fn operation(
        &mut self,
        op_id: &str,
        svc: &Shape,
        service_errors: &[String],
        types: &mut Vec<TypeDef>,
    ) -> Option<Operation> {
        let op = self.shape(op_id)?;
        self.check_traits(op_id, None, &op.traits);
        let type_name = camel(short_name(op_id));
        let mut io = |t: &Option<crate::smithy::Target>, suffix: &str, this: &mut Self| -> String {
            match t {
                Some(t) if t.target != "smithy.api#Unit" => this.type_name(&t.target),
                _ => {
                    let name = format!("{type_name}{suffix}");
                    types.push(TypeDef::Struct(Struct {
                        name: name.clone(),
                        shape_id: format!("{op_id}${suffix}"),
                        fields: Vec::new(),
                        docs: String::new(),
                        deprecated: None,
                        sensitive: false,
                        error: None,
                        validate: suffix == "Input",
                        used_by: vec![short_name(op_id).to_owned()],
                        input_of: if suffix == "Input" {
                            vec![short_name(op_id).to_owned()]
                        } else {
                            Vec::new()
                        },
                        output_of: if suffix == "Output" {
                            vec![short_name(op_id).to_owned()]
                        } else {
                            Vec::new()
                        },
                    }));
                    name
                }
            }
        };
        let input = io(&op.input, "Input", self);
        let output = io(&op.output, "Output", self);
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        for e in op.errors.iter().map(|t| &t.target).chain(service_errors) {
            if !seen.insert(e.clone()) {
                continue;
            }
            let Some(es) = self.shape(e) else { continue };
            errors.push(ErrorRef {
                code: short_name(e).to_owned(),
                type_name: self.type_name(e),
                retryable: es.has_trait("smithy.api#retryable"),
            });
        }
        self.check_clashes(
            op_id,
            errors
                .iter()
                .map(|e| (e.type_name.as_str(), e.code.as_str())),
        );
        for reserved in ["Unhandled", "Validation"] {
            if errors.iter().any(|e| e.type_name == reserved) {
                self.diags.error(
                    Some(op_id),
                    None,
                    format!("an error shape named `{reserved}` clashes with the generated `{reserved}` variant"),
                );
            }
        }
        let no_auth_trait = op
            .traits
            .get("smithy.api#auth")
            .and_then(Value::as_array)
            .is_some_and(|a| a.is_empty());
        let service_signs = svc.has_trait("aws.auth#sigv4");
        let auth_none = no_auth_trait || op.has_trait("smithy.api#optionalAuth") || !service_signs;
        let paginated = op.traits.get("smithy.api#paginated").and_then(|p| {
            let merged = |k: &str| {
                p.get(k)
                    .or_else(|| {
                        svc.traits
                            .get("smithy.api#paginated")
                            .and_then(|s| s.get(k))
                    })
                    .and_then(Value::as_str)
            };
            let (it, ot) = (merged("inputToken")?, merged("outputToken")?);
            if ot.contains('.') {
                return None;
            }
            Some(Paginated {
                input_token: snake(it),
                output_token: snake(ot),
            })
        });
        let idempotency_fields = types
            .iter()
            .find_map(|t| match t {
                TypeDef::Struct(s) if s.name == input => Some(
                    s.fields
                        .iter()
                        .filter(|f| f.idempotency_token)
                        .map(|f| f.name.clone())
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default();
        // Pagination helpers need an optional string token member on both sides.
        let token_ok = |struct_name: &str, field: &str| {
            types.iter().any(|t| match t {
                TypeDef::Struct(s) if s.name == struct_name => s
                    .fields
                    .iter()
                    .any(|f| f.name == field && f.optional && f.ty == Type::String),
                _ => false,
            })
        };
        let paginated = paginated
            .filter(|p| token_ok(&input, &p.input_token) && token_ok(&output, &p.output_token));
        Some(Operation {
            idempotency_fields,
            wire_name: short_name(op_id).to_owned(),
            method: snake(short_name(op_id)),
            type_name,
            input,
            output,
            errors,
            auth_none,
            docs: doc_of(&op.traits),
            deprecated: deprecated_of(&op.traits),
            paginated,
        })
    }

    fn endpoint_tests(&mut self, service_id: &str, svc: &Shape) -> Vec<EndpointTest> {
        let Some(cases) = svc
            .traits
            .get("smithy.rules#endpointTests")
            .and_then(|t| t.get("testCases"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let params = case
                .get("params")
                .cloned()
                .unwrap_or(Value::Object(Default::default()));
            let expect = case.get("expect");
            let expect = if let Some(url) = expect
                .and_then(|e| e.get("endpoint"))
                .and_then(|e| e.get("url"))
                .and_then(Value::as_str)
            {
                EndpointExpect::Url(url.to_owned())
            } else if let Some(err) = expect.and_then(|e| e.get("error")).and_then(Value::as_str) {
                EndpointExpect::Error(err.to_owned())
            } else {
                self.diags.error(
                    Some(service_id),
                    None,
                    format!("endpoint test case {i} expects neither an endpoint url nor an error"),
                );
                continue;
            };
            out.push(EndpointTest {
                params: params.to_string(),
                expect,
            });
        }
        out
    }
}

fn variant<V>(name: &str, value: V, traits: &BTreeMap<String, Value>) -> Variant<V> {
    let mut vname = camel(name);
    if vname == "Unknown" {
        vname = "UnknownValue".to_owned();
    }
    Variant {
        name: vname,
        value,
        docs: doc_of(traits),
        deprecated: deprecated_of(traits),
    }
}
