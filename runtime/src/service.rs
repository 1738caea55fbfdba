//! What the generated code tells the runtime about a service and its operations, as `static`s.

use crate::endpoint;

/// The awsJson protocol version of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonProtocol {
    /// `aws.protocols#awsJson1_0`: `Content-Type: application/x-amz-json-1.0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: `Content-Type: application/x-amz-json-1.1`.
    AwsJson1_1,
}

impl JsonProtocol {
    /// The request `Content-Type` of this protocol.
    pub const fn content_type(self) -> &'static str {
        match self {
            JsonProtocol::AwsJson1_0 => "application/x-amz-json-1.0",
            JsonProtocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// What the generated code knows about a service, as one `static`.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The service shape's name, the `X-Amz-Target` prefix (`AWSCognitoIdentityProviderService`).
    pub service_shape_name: &'static str,
    /// `aws.api#service` sdkId (`Cognito Identity Provider`); names `AWS_ENDPOINT_URL_<SDK_ID>`.
    pub sdk_id: &'static str,
    /// `aws.auth#sigv4` signing name (`cognito-idp`).
    pub signing_name: &'static str,
    /// awsJson 1.0 or 1.1.
    pub protocol: JsonProtocol,
    /// The service's `version` (`2016-04-18`).
    pub api_version: &'static str,
    /// The `smithy.rules#endpointRuleSet` JSON, parsed on first use.
    pub endpoint_rules: endpoint::RuleSetSource,
}

impl ServiceMeta {
    /// The service-specific endpoint variable: `AWS_ENDPOINT_URL_` + sdkId in upper snake case.
    pub fn endpoint_env_var(&self) -> String {
        crate::env::service_endpoint_env_var(self.sdk_id)
    }
}

/// How an operation authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthRequirement {
    /// `smithy.api#auth: []` or `@optionalAuth`: sent unsigned; credentials are never looked up.
    None,
    /// AWS Signature Version 4 (needs the cargo feature `sigv4`).
    SigV4,
}

/// What the generated code knows about one operation, as one `static`.
#[derive(Clone, Copy, Debug)]
pub struct OperationMeta {
    /// The operation's shape name, the `X-Amz-Target` suffix (`InitiateAuth`).
    pub name: &'static str,
    /// How the operation authenticates.
    pub auth: AuthRequirement,
    /// `smithy.api#requestCompression` encodings (empty: never compressed).
    pub request_compression: &'static [&'static str],
    /// `aws.api#clientDiscoveredEndpoint(required)`: sent to the discovered address.
    pub endpoint_discovery: Option<&'static EndpointDiscovery>,
    /// What the operation's input binds to endpoint resolution (host prefix, context
    /// parameters); [`crate::endpoint::EndpointBindings::NONE`] for most operations.
    pub endpoint: crate::endpoint::EndpointBindings,
}

/// What the generated code knows about an operation's endpoint discovery.
#[derive(Debug)]
pub struct EndpointDiscovery {
    /// The service's discovery operation (`DescribeEndpoints`).
    pub operation: OperationMeta,
    /// The error shape name that says a discovered address is no longer valid.
    pub invalid_endpoint_error: &'static str,
}
