//! An operation's endpoint bindings on the wire: the `smithy.api#endpoint` host prefix with a
//! `@hostLabel` member (checked client-side), context parameters fed to the rule set
//! (member value and per-operation constant), and an endpoint URL's base path kept.

mod common;

use std::sync::{Arc, Mutex};

use awsjson_runtime::endpoint::{EndpointBindings, RuleSetSource, StaticParam};
use awsjson_runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use awsjson_runtime::{
    AuthRequirement, Config, Credentials, Handle, JsonProtocol, OperationMeta, ServiceMeta,
    Validate, ValidationRule, Validator,
};
use common::{json, DoThingError, DoThingOutput, TestServer};
use serde::Serialize;

const STREAM_RULES: &str = r#"{"version":"1.0","parameters":{
  "Region":{"builtIn":"AWS::Region","required":false,"type":"String"},
  "Endpoint":{"builtIn":"SDK::Endpoint","required":false,"type":"String"},
  "StreamARN":{"required":false,"type":"String"},
  "OperationType":{"required":false,"type":"String"}},
 "rules":[
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],
   "endpoint":{"url":{"ref":"Endpoint"},"properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"StreamARN"}]},
                 {"fn":"isSet","argv":[{"ref":"OperationType"}]},
                 {"fn":"aws.parseArn","argv":[{"ref":"StreamARN"}],"assign":"arn"}],
   "endpoint":{"url":"https://{arn#accountId}.{OperationType}.streams.{Region}.amazonaws.com","properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
   "endpoint":{"url":"https://streams.{Region}.amazonaws.com","properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[],"error":"Missing Region","type":"error"}]}"#;

static STREAMS: ServiceMeta = ServiceMeta {
    service_shape_name: "Streams",
    sdk_id: "Streams",
    signing_name: "streams",
    protocol: JsonProtocol::AwsJson1_1,
    api_version: "2020-01-01",
    endpoint_rules: RuleSetSource::new(STREAM_RULES),
};

/// `{AccountId}.data-` before the host; StreamARN and a constant OperationType to the rules.
static PUT_RECORD: OperationMeta = OperationMeta {
    name: "PutRecord",
    auth: AuthRequirement::SigV4,
    endpoint: EndpointBindings {
        host_prefix: Some("{AccountId}.data-"),
        context_params: &[("StreamARN", "StreamARN")],
        static_params: &[("OperationType", StaticParam::String("data"))],
        operation_params: &[],
    },
    request_compression: &[],
    endpoint_discovery: None,
};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecordInput {
    account_id: String,
    #[serde(rename = "StreamARN", skip_serializing_if = "Option::is_none")]
    stream_arn: Option<String>,
}

impl Validate for PutRecordInput {
    fn validate(&self, _: &mut Validator) {}
}

/// Answers `{}` to everything and keeps each request: the host names a prefix produces do not
/// resolve, so the request is inspected here rather than sent.
#[derive(Default)]
struct Recorder(Mutex<Vec<HttpRequest>>);

impl HttpClient for Recorder {
    fn send(
        &self,
        request: HttpRequest,
        _max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.0.lock().unwrap().push(request);
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/x-amz-json-1.1")
                .body(b"{}".to_vec())
                .unwrap())
        })
    }
}

fn recording_handle(host_prefix: bool) -> (Handle, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
        .env_vars(Vec::<(String, String)>::new())
        .host_prefix(host_prefix)
        .http_client(recorder.clone())
        .build()
        .expect("config");
    (Handle::new(config).expect("handle"), recorder)
}

async fn put(h: &Handle, input: &PutRecordInput) -> Result<DoThingOutput, DoThingError> {
    h.invoke(&STREAMS, &PUT_RECORD, input).await
}

#[tokio::test]
async fn host_prefix_and_context_params_reach_the_request() {
    let (h, recorder) = recording_handle(true);
    let input = PutRecordInput {
        account_id: "123456789012".into(),
        stream_arn: Some("arn:aws:kinesis:us-east-1:111122223333:stream/orders".into()),
    };
    put(&h, &input).await.expect("answered");
    let input = PutRecordInput {
        account_id: "acct-7".into(),
        stream_arn: None,
    };
    put(&h, &input).await.expect("answered");

    let sent = recorder.0.lock().unwrap();
    // StreamARN (member) and OperationType (constant) chose the rule; the prefix went in front.
    assert_eq!(
        sent[0].uri().to_string(),
        "https://123456789012.data-111122223333.data.streams.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        sent[0].headers()["host"],
        "123456789012.data-111122223333.data.streams.us-east-1.amazonaws.com"
    );
    let auth = sent[0].headers()["authorization"].to_str().unwrap();
    assert!(
        auth.contains("SignedHeaders=") && auth.contains("host"),
        "{auth}"
    );
    // Without a StreamARN the rule set's regional endpoint; the resolution is per call.
    assert_eq!(
        sent[1].uri().to_string(),
        "https://acct-7.data-streams.us-east-1.amazonaws.com/"
    );
}

#[tokio::test]
async fn a_bad_host_label_is_a_validation_error_and_nothing_is_sent() {
    let (h, recorder) = recording_handle(true);
    for bad in ["", "has.dot", "-lead", "sp ace", "evil.com/x?"] {
        let input = PutRecordInput {
            account_id: bad.into(),
            stream_arn: None,
        };
        match put(&h, &input).await {
            Err(DoThingError::Unhandled(awsjson_runtime::Error::Validation(v))) => {
                assert_eq!(v.member(), "AccountId");
                assert_eq!(v.rule(), &ValidationRule::HostLabel, "{bad:?}");
                assert!(v.to_string().contains("host label"), "{v}");
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(recorder.0.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn host_prefix_can_be_switched_off() {
    let (h, recorder) = recording_handle(false);
    let input = PutRecordInput {
        account_id: "123456789012".into(),
        stream_arn: None,
    };
    put(&h, &input).await.expect("answered");
    assert_eq!(
        recorder.0.lock().unwrap()[0].uri().to_string(),
        "https://streams.us-east-1.amazonaws.com/"
    );
}

#[tokio::test]
async fn an_ip_endpoint_is_not_prefixed_and_a_base_path_is_kept() {
    let server = TestServer::always(json(200, "{}")).await;
    for (endpoint, path) in [("", "/"), ("/custom", "/custom/"), ("/a/b/", "/a/b/")] {
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("{}{endpoint}", server.url))
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
            .env_vars(Vec::<(String, String)>::new())
            .build()
            .expect("config");
        let h = Handle::new(config).expect("handle");
        let input = PutRecordInput {
            account_id: "123456789012".into(),
            stream_arn: None,
        };
        put(&h, &input).await.expect("answered");
        let seen = server.requests().pop().expect("a request");
        assert_eq!(seen.path, path, "endpoint {endpoint:?}");
        assert!(seen.header("host").unwrap().starts_with("127.0.0.1:"));
    }
}
