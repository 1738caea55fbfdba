//! Operation traits that change how a call is made, read into the IR: request compression and
//! waiters.

use crate::ir::{AcceptorState, Waiter, WaiterAcceptor, WaiterMatcher};
use serde_json::Value;
use std::collections::BTreeMap;

/// `smithy.api#requestCompression`'s encodings, in the model's order of preference.
pub fn request_compression(traits: &BTreeMap<String, Value>) -> Vec<String> {
    traits
        .get("smithy.api#requestCompression")
        .and_then(|t| t.get("encodings"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `smithy.waiters#waitable`: the waiters the runtime can run, and, for each one it cannot
/// (an acceptor path outside the runtime's JMESPath subset), why it was left out.
pub fn waiters(traits: &BTreeMap<String, Value>) -> (Vec<Waiter>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let Some(all) = traits
        .get("smithy.waiters#waitable")
        .and_then(Value::as_object)
    else {
        return (out, skipped);
    };
    for (name, w) in all {
        match waiter(name, w) {
            Ok(w) => out.push(w),
            Err(why) => skipped.push(format!("waiter `{name}` is not generated: {why}")),
        }
    }
    (out, skipped)
}

fn waiter(name: &str, w: &Value) -> Result<Waiter, String> {
    let min_delay = w.get("minDelay").and_then(Value::as_u64).unwrap_or(2);
    let max_delay = w.get("maxDelay").and_then(Value::as_u64).unwrap_or(120);
    let mut acceptors = Vec::new();
    for a in w
        .get("acceptors")
        .and_then(Value::as_array)
        .ok_or("no acceptors")?
    {
        let state = match a.get("state").and_then(Value::as_str) {
            Some("success") => AcceptorState::Success,
            Some("failure") => AcceptorState::Failure,
            Some("retry") => AcceptorState::Retry,
            other => return Err(format!("unknown acceptor state {other:?}")),
        };
        let m = a
            .get("matcher")
            .and_then(Value::as_object)
            .ok_or("an acceptor without matcher")?;
        let matcher = if let Some(b) = m.get("success").and_then(Value::as_bool) {
            WaiterMatcher::Success(b)
        } else if let Some(e) = m.get("errorType").and_then(Value::as_str) {
            WaiterMatcher::ErrorType(e.to_owned())
        } else if let Some((key, p)) = m
            .get("output")
            .map(|p| ("output", p))
            .or(m.get("inputOutput").map(|p| ("inputOutput", p)))
        {
            let path = p
                .get("path")
                .and_then(Value::as_str)
                .ok_or("a path matcher without path")?;
            check_path(path)?;
            let expected = p
                .get("expected")
                .and_then(Value::as_str)
                .ok_or("a path matcher without expected")?;
            let comparator = match p.get("comparator").and_then(Value::as_str) {
                Some(
                    c @ ("stringEquals" | "booleanEquals" | "allStringEquals" | "anyStringEquals"),
                ) => c.to_owned(),
                other => return Err(format!("unknown comparator {other:?}")),
            };
            WaiterMatcher::Path {
                input_output: key == "inputOutput",
                path: path.to_owned(),
                expected: expected.to_owned(),
                comparator,
            }
        } else {
            return Err("an unknown matcher".into());
        };
        acceptors.push(WaiterAcceptor { state, matcher });
    }
    Ok(Waiter {
        name: name.to_owned(),
        method: format!(
            "wait_until_{}",
            crate::names::bare(&crate::names::snake(name))
        ),
        min_delay,
        max_delay,
        deprecated: w
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        acceptors,
    })
}

/// The runtime's path grammar (`awsjson_runtime::waiter::Path`): fields, `.`, `[]`, `[*]`, `[N]`.
fn check_path(path: &str) -> Result<(), String> {
    let mut rest = path;
    let mut expect_field = true;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let close = r
                .find(']')
                .ok_or_else(|| format!("path `{path}`: `[` without `]`"))?;
            let inner = r[..close].trim();
            if !(inner.is_empty() || inner == "*" || inner.parse::<i64>().is_ok()) {
                return Err(format!(
                    "path `{path}` uses `[{inner}]`, outside the supported JMESPath subset"
                ));
            }
            rest = &r[close + 1..];
            expect_field = false;
        } else if let (Some(r), false) = (rest.strip_prefix('.'), expect_field) {
            rest = r;
            expect_field = true;
        } else if expect_field {
            let n = rest
                .char_indices()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
                .count();
            if n == 0 || rest.as_bytes()[0].is_ascii_digit() {
                return Err(format!("path `{path}` is outside the supported JMESPath subset (fields, `.`, `[]`, `[*]`, `[N]`)"));
            }
            rest = &rest[n..];
            expect_field = false;
        } else {
            return Err(format!("path `{path}` is outside the supported JMESPath subset (fields, `.`, `[]`, `[*]`, `[N]`)"));
        }
    }
    if expect_field {
        return Err(format!("path `{path}` is empty or ends with `.`"));
    }
    Ok(())
}

/// `aws.api#clientDiscoveredEndpoint(required: true)` on an operation of a service with
/// `aws.api#clientEndpointDiscovery`: the discovery operation and the invalid-endpoint error.
/// `Err` names what the runtime cannot do (discovery keyed by `clientEndpointDiscoveryId`
/// members, or a discovered endpoint without the service trait).
pub fn endpoint_discovery(
    service: &BTreeMap<String, Value>,
    operation: &BTreeMap<String, Value>,
    input_has_discovery_id: bool,
) -> Result<Option<(String, String)>, String> {
    let Some(op) = operation.get("aws.api#clientDiscoveredEndpoint") else {
        return Ok(None);
    };
    if !op.get("required").and_then(Value::as_bool).unwrap_or(false) {
        // Optional discovery: the regular endpoint is always correct.
        return Ok(None);
    }
    let Some(svc) = service.get("aws.api#clientEndpointDiscovery") else {
        return Err("`aws.api#clientDiscoveredEndpoint` is required but the service has no `aws.api#clientEndpointDiscovery`".into());
    };
    if input_has_discovery_id {
        return Err("endpoint discovery keyed by `aws.api#clientEndpointDiscoveryId` members is not supported: the operation would be sent to a wrong endpoint".into());
    }
    let short = |k: &str| {
        svc.get(k)
            .and_then(Value::as_str)
            .map(|id| id.rsplit('#').next().unwrap_or(id).to_owned())
    };
    match short("operation") {
        Some(op) => Ok(Some((op, short("error").unwrap_or_default()))),
        None => Err("`aws.api#clientEndpointDiscovery` names no discovery operation".into()),
    }
}

/// Does the operation's input have `aws.api#clientEndpointDiscoveryId` members?
pub fn input_has_discovery_id(model: &crate::smithy::Model, op: &crate::smithy::Shape) -> bool {
    op.input
        .as_ref()
        .and_then(|t| model.shapes.get(&t.target))
        .is_some_and(|s| {
            s.members
                .iter()
                .any(|(_, m)| m.has_trait("aws.api#clientEndpointDiscoveryId"))
        })
}
