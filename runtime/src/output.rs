//! What every operation output carries besides the model's members: the call's request id.

/// Implemented by generated operation outputs: [`crate::Handle::invoke`] decodes the body, then
/// hands the output the `x-amzn-RequestId` of the response.
pub trait OperationOutput: serde::de::DeserializeOwned {
    /// Store the request id of the response this output was decoded from.
    fn set_request_id(&mut self, request_id: Option<String>);
}

/// `serde_json::Value` as an output: the raw reply, for callers that decode it themselves.
impl OperationOutput for serde_json::Value {
    fn set_request_id(&mut self, _request_id: Option<String>) {}
}
