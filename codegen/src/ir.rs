//! The generator's intermediate representation: what the emitter sees, and all it sees.
//! Names here are already Rust names; wire names are the model's.

/// The whole expansion.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub shape_id: String,
    /// Shape name, the `X-Amz-Target` prefix.
    pub shape_name: String,
    pub sdk_id: String,
    pub signing_name: String,
    pub protocol: Protocol,
    pub api_version: String,
    pub docs: String,
    /// The endpoint rule set as compact JSON, documentation stripped; empty if the model has none.
    pub endpoint_rules: String,
    pub endpoint_tests: Vec<EndpointTest>,
    pub operations: Vec<Operation>,
    /// Operations of the service left out of "all operations", with why (event streams).
    pub omitted_operations: Vec<(String, String)>,
    pub types: Vec<TypeDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// Parameters as a compact JSON object.
    pub params: String,
    pub expect: EndpointExpect,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EndpointExpect {
    Url(String),
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operation's shape id.
    pub shape_id: String,
    /// The model's name (wire name in `X-Amz-Target`).
    pub wire_name: String,
    /// The client method, e.g. `initiate_auth` (`_operation` appended where the client has a
    /// method of that name already: see `lower::naming::client_method`).
    pub method: String,
    /// The operation's module under `operation::`, e.g. `initiate_auth`.
    pub module: String,
    /// UpperCamelCase, e.g. `InitiateAuth`; prefixes `...Input`, `...Output`, `...Error` and
    /// `...FluentBuilder` in the operation's module.
    pub type_name: String,
    /// `{Op}Input`: the operation's own copy of its input shape (empty for `smithy.api#Unit`).
    pub input: Struct,
    /// `{Op}Output`: the operation's own copy of its output shape.
    pub output: Struct,
    pub errors: Vec<ErrorRef>,
    pub auth_none: bool,
    pub docs: String,
    pub deprecated: Option<String>,
    pub paginated: Option<Paginated>,
    /// Input fields (Rust names) with `@idempotencyToken`, filled automatically when unset.
    pub idempotency_fields: Vec<String>,
    /// `smithy.api#requestCompression` encodings (empty: never compressed).
    pub request_compression: Vec<String>,
    /// `smithy.waiters#waitable` waiters on this operation.
    pub waiters: Vec<Waiter>,
    /// Sent to an endpoint discovered by this service operation (wire name) and invalidated by
    /// this error (shape name): `aws.api#clientDiscoveredEndpoint(required)`.
    pub endpoint_discovery: Option<(String, String)>,
    /// What the input binds to endpoint resolution.
    pub endpoint: EndpointBindings,
}

/// An operation's `smithy.api#endpoint` host prefix and `smithy.rules` context parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointBindings {
    /// `hostPrefix`, its `{Label}`s naming input members (wire names).
    pub host_prefix: Option<String>,
    /// `contextParam`: (rule parameter, input member wire name).
    pub context_params: Vec<(String, String)>,
    /// `staticContextParams`: (rule parameter, value).
    pub static_params: Vec<(String, StaticParam)>,
    /// `operationContextParams`: (rule parameter, path into the input).
    pub operation_params: Vec<(String, String)>,
}

impl EndpointBindings {
    pub fn is_empty(&self) -> bool {
        *self == EndpointBindings::default()
    }
}

/// A `staticContextParams` value.
#[derive(Debug, Clone, PartialEq)]
pub enum StaticParam {
    Bool(bool),
    String(String),
    StringArray(Vec<String>),
}

/// One `smithy.waiters#waitable` waiter.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The model's name (`StreamExists`).
    pub name: String,
    /// `wait_until_stream_exists`.
    pub method: String,
    pub min_delay: u64,
    pub max_delay: u64,
    pub deprecated: bool,
    pub acceptors: Vec<WaiterAcceptor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaiterAcceptor {
    pub state: AcceptorState,
    pub matcher: WaiterMatcher,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WaiterMatcher {
    Success(bool),
    ErrorType(String),
    Path {
        input_output: bool,
        path: String,
        expected: String,
        /// The model's comparator name (`anyStringEquals`).
        comparator: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paginated {
    /// Input field (Rust name) carrying the token, and the output field returning it.
    pub input_token: String,
    pub output_token: String,
}

/// An error an operation may return: the variant and the error struct it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRef {
    pub code: String,
    /// The error struct in `types::error`.
    pub type_name: String,
    /// The variant of the operation's error enum: the struct's name, with `Error` appended
    /// while it is a variant the enum always has (`Unhandled`, `Validation`) or another one's.
    pub variant: String,
    pub retryable: bool,
}

/// Which generated module a type lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Types,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct(Struct),
    Enum(Enum),
    IntEnum(IntEnum),
    Union(Union),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub name: String,
    pub shape_id: String,
    pub fields: Vec<Field>,
    pub docs: String,
    pub deprecated: Option<String>,
    /// The whole shape is `@sensitive`: Debug prints only the redaction marker.
    pub sensitive: bool,
    /// Set for `@error` shapes (which live in `types::error`).
    pub error: Option<ErrorInfo>,
    /// Reachable from an operation input: gets a `Validate` impl.
    pub validate: bool,
    /// Reachable from an operation output or error, so a client decodes it: its members that
    /// hold maps of strings are read leniently (see [`Type::holds_string_map`]).
    pub decoded: bool,
    /// Model names of the chosen operations that reach this shape (input, output or error).
    pub used_by: Vec<String>,
    /// The operation whose input this is (`{Op}Input`, in `operation::<op>`).
    pub input_of: Vec<String>,
    /// The operation whose output this is (`{Op}Output`): the struct carries the call's request id.
    pub output_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorInfo {
    pub code: String,
    pub fault: String,
    pub retryable: bool,
    /// `smithy.api#httpError`, if the model gives one.
    pub http_status: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub ty: Type,
    /// `Option<ty>` in the struct.
    pub optional: bool,
    /// Required without a default: the builder's `build()` fails when it is missing.
    pub required: bool,
    /// `@required` with a zero-valued `@default`: a plain value with `#[serde(default)]`.
    pub default: bool,
    pub sensitive: bool,
    pub idempotency_token: bool,
    pub docs: String,
    pub deprecated: Option<String>,
    /// The model's `@default`, as compact JSON.
    pub default_value: Option<String>,
    pub constraints: Constraints,
    /// The element types hold structures or unions that validate themselves.
    pub nested: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
    pub pattern: Option<String>,
    /// Why `pattern` is not checked before sending: valid syntax the runtime's linear-time
    /// matcher does not implement (lookaround, backreferences...); the service checks it.
    pub pattern_unchecked: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    BigNumber,
    Blob,
    /// A `timestamp`, written in the member's (or its target's) `@timestampFormat`.
    DateTime(TimestampFormat),
    Document,
    Named {
        name: String,
        module: Module,
    },
    List {
        element: Box<Type>,
        sparse: bool,
    },
    Map {
        value: Box<Type>,
        sparse: bool,
    },
    /// Breaks a cycle of structures/unions that would otherwise have infinite size.
    Boxed(Box<Type>),
}

impl Type {
    /// Whether this type is a map of strings or holds one through lists, maps and boxes: a
    /// decoded member of such a type keeps a non-string map value as its JSON text instead of
    /// failing the call (`awsjson_runtime::private::lenient`; moto sends a list where the model
    /// says string). A map of enums, numbers or structures is decoded as the model says.
    pub fn holds_string_map(&self) -> bool {
        match self {
            Type::Map { value, .. } => **value == Type::String || value.holds_string_map(),
            Type::List { element, .. } => element.holds_string_map(),
            Type::Boxed(inner) => inner.holds_string_map(),
            _ => false,
        }
    }
}

/// `smithy.api#timestampFormat`; awsJson's default is epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampFormat {
    #[default]
    EpochSeconds,
    DateTime,
    HttpDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub shape_id: String,
    pub name: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub variants: Vec<Variant<String>>,
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntEnum {
    pub shape_id: String,
    pub name: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub variants: Vec<Variant<i64>>,
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant<V> {
    pub name: String,
    pub value: V,
    pub docs: String,
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub shape_id: String,
    pub name: String,
    pub docs: String,
    pub deprecated: Option<String>,
    pub sensitive: bool,
    pub variants: Vec<UnionVariant>,
    pub validate: bool,
    /// Reachable from an operation output or error (see [`Struct::decoded`]).
    pub decoded: bool,
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub wire_name: String,
    /// `None` for a member targeting `smithy.api#Unit`.
    pub ty: Option<Type>,
    pub sensitive: bool,
    pub docs: String,
    pub deprecated: Option<String>,
    pub nested: bool,
}
