//! The `smithy.rules#endpointTests` cases of the service, for the generated endpoint tests.

use crate::ir::{EndpointExpect, EndpointTest};
use crate::smithy::Shape;
use crate::traits;
use serde_json::Value;

/// The service's test cases; `None` for each case that expects neither a url nor an error (the
/// check pass refuses those).
pub fn cases(svc: &Shape) -> Vec<Option<EndpointTest>> {
    let Some(cases) = svc
        .traits
        .get(traits::ENDPOINT_TESTS)
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    cases.iter().map(case).collect()
}

fn case(case: &Value) -> Option<EndpointTest> {
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
    } else {
        let err = expect
            .and_then(|e| e.get("error"))
            .and_then(Value::as_str)?;
        EndpointExpect::Error(err.to_owned())
    };
    Some(EndpointTest {
        params: params.to_string(),
        expect,
    })
}
