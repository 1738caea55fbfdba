//! The Smithy trait ids and prelude shape ids the generator reads, named once (serde_derive's
//! `symbol.rs`): a typo becomes a compile error instead of a trait silently never found.

// Documentation and deprecation.
pub const DOCUMENTATION: &str = "smithy.api#documentation";
pub const DEPRECATED: &str = "smithy.api#deprecated";

// Shape traits.
pub const ENUM: &str = "smithy.api#enum";
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
pub const ERROR: &str = "smithy.api#error";
pub const HTTP_ERROR: &str = "smithy.api#httpError";
pub const RETRYABLE: &str = "smithy.api#retryable";
pub const SENSITIVE: &str = "smithy.api#sensitive";
pub const SPARSE: &str = "smithy.api#sparse";

// Member traits.
pub const REQUIRED: &str = "smithy.api#required";
pub const DEFAULT: &str = "smithy.api#default";
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";

// Constraints.
pub const LENGTH: &str = "smithy.api#length";
pub const RANGE: &str = "smithy.api#range";
pub const PATTERN: &str = "smithy.api#pattern";

// Operations.
pub const AUTH: &str = "smithy.api#auth";
pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
pub const PAGINATED: &str = "smithy.api#paginated";

// Not supported by awsJson clients here.
pub const STREAMING: &str = "smithy.api#streaming";
pub const EVENT_STREAM: &str = "smithy.api#eventStream";

// Endpoint bindings of an operation and its input members.
pub const ENDPOINT: &str = "smithy.api#endpoint";
pub const HOST_LABEL: &str = "smithy.api#hostLabel";
pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

// Service metadata.
pub const AWS_SERVICE: &str = "aws.api#service";
pub const SIGV4: &str = "aws.auth#sigv4";
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";

// Protocols.
pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
/// The protocols this generator writes clients for.
pub const SUPPORTED_PROTOCOLS: &[&str] = &[AWS_JSON_1_0, AWS_JSON_1_1];

/// Namespaces whose traits name a protocol...
pub const PROTOCOL_NAMESPACES: &[&str] = &["aws.protocols#", "smithy.protocols#"];
/// ...except these, which only annotate shapes for a protocol.
pub const PROTOCOL_ANNOTATIONS: &[&str] = &["ec2QueryName", "awsQueryCompatible", "awsQueryError"];

// Prelude shapes.
/// The prelude's namespace prefix.
pub const PRELUDE: &str = "smithy.api#";
/// The empty structure operations use for "no input" / "no output", and unions for a tag alone.
pub const UNIT: &str = "smithy.api#Unit";
/// Smithy 1.0 primitive prelude shapes (`smithy.api#PrimitiveInteger`...) are never null.
pub const PRIMITIVE_PREFIX: &str = "smithy.api#Primitive";
