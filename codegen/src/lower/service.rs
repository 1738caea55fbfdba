//! Service metadata: protocol, SDK id, signing name, API version and the endpoint rule set, as the
//! runtime's `ServiceMeta` needs them.

use super::types::doc_of;
use crate::ir::Protocol;
use crate::smithy::{short_name, Shape};
use crate::traits;
use serde_json::Value;

/// The metadata of service `id`.
pub struct Metadata {
    pub shape_name: String,
    pub sdk_id: String,
    pub signing_name: String,
    pub protocol: Protocol,
    pub api_version: String,
    pub docs: String,
    pub endpoint_rules: String,
}

pub fn metadata(id: &str, svc: &Shape) -> Metadata {
    Metadata {
        shape_name: short_name(id).to_owned(),
        sdk_id: sdk_id(id, svc),
        signing_name: signing_name(id, svc),
        protocol: protocol(svc),
        api_version: svc.version.clone().unwrap_or_default(),
        docs: doc_of(&svc.traits),
        endpoint_rules: endpoint_rules(svc),
    }
}

/// awsJson 1.1 if the service declares it, else 1.0. A service with neither is refused by the
/// check pass; lowering goes on so that everything else is reported too.
fn protocol(svc: &Shape) -> Protocol {
    if svc.has_trait(traits::AWS_JSON_1_1) {
        Protocol::AwsJson1_1
    } else if svc.has_trait(traits::AWS_JSON_1_0) {
        Protocol::AwsJson1_0
    } else {
        Protocol::AwsJson1_1
    }
}

/// `aws.api#service` `sdkId`, else the shape name.
fn sdk_id(id: &str, svc: &Shape) -> String {
    svc.traits
        .get(traits::AWS_SERVICE)
        .and_then(|s| s.get("sdkId"))
        .and_then(Value::as_str)
        .unwrap_or(short_name(id))
        .to_owned()
}

/// SigV4's signing name, else the endpoint prefix, else the shape name in lower case.
fn signing_name(id: &str, svc: &Shape) -> String {
    svc.traits
        .get(traits::SIGV4)
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .or_else(|| {
            svc.traits
                .get(traits::AWS_SERVICE)
                .and_then(|s| s.get("endpointPrefix"))
                .and_then(Value::as_str)
        })
        .map(str::to_owned)
        .unwrap_or_else(|| short_name(id).to_ascii_lowercase())
}

/// The endpoint rule set as compact JSON without its documentation; empty if there is none.
fn endpoint_rules(svc: &Shape) -> String {
    svc.traits
        .get(traits::ENDPOINT_RULE_SET)
        .map(|v| strip_docs(v).to_string())
        .unwrap_or_default()
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

/// Does an operation go unsigned? `@auth([])`, `@optionalAuth`, or a service that does not sign.
pub fn auth_none(op: &Shape, svc: &Shape) -> bool {
    let no_auth_trait = op
        .traits
        .get(traits::AUTH)
        .and_then(Value::as_array)
        .is_some_and(|a| a.is_empty());
    no_auth_trait || op.has_trait(traits::OPTIONAL_AUTH) || !svc.has_trait(traits::SIGV4)
}
