//! SigV4 signing with the `aws-sigv4` crate (cargo feature `sigv4`).

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use crate::credentials::Credentials;
use crate::http::HttpRequest;

/// Sign `request` in place: adds `x-amz-date`, `authorization` and, for temporary
/// credentials, `x-amz-security-token`.
///
/// aws-sigv4 logs its canonical request (which carries the session token) at TRACE; the
/// signing runs with tracing switched off so no secret reaches a subscriber.
pub(crate) fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), String> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_string),
        None,
        "awsjson-runtime",
    )
    .into();
    let settings = SigningSettings::default();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let uri = request.uri().to_string();
    let method = request.method().as_str().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let instructions = tracing::dispatcher::with_default(&tracing::Dispatch::none(), || {
        let signable = SignableRequest::new(
            &method,
            uri.as_str(),
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(request.body()),
        )
        .map_err(|e| e.to_string())?;
        sign(signable, &params)
            .map(|out| out.into_parts().0)
            .map_err(|e| e.to_string())
    })?;
    let (new_headers, _params) = instructions.into_parts();
    for h in new_headers {
        let name = http::HeaderName::from_bytes(h.name().as_bytes()).map_err(|e| e.to_string())?;
        let mut value = http::HeaderValue::from_str(h.value()).map_err(|e| e.to_string())?;
        value.set_sensitive(h.sensitive());
        request.headers_mut().insert(name, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_authorization() {
        let mut req = http::Request::builder()
            .method("POST")
            .uri("https://cognito-idp.us-east-1.amazonaws.com/")
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.AdminGetUser",
            )
            .header("host", "cognito-idp.us-east-1.amazonaws.com")
            .body(b"{}".to_vec())
            .unwrap();
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("tok".into()));
        sign_request(
            &mut req,
            &creds,
            "us-east-1",
            "cognito-idp",
            SystemTime::UNIX_EPOCH,
        )
        .unwrap();
        let auth = req.headers()["authorization"].to_str().unwrap();
        assert!(auth.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/19700101/us-east-1/cognito-idp/aws4_request"
        ));
        assert!(auth.contains("x-amz-target"));
        assert_eq!(req.headers()["x-amz-security-token"], "tok");
        assert!(req.headers().contains_key("x-amz-date"));
    }
}
