//! The signer against aws-sigv4 (aws-sdk-rust's signer, default settings): the same
//! `authorization`, `x-amz-date` and `x-amz-security-token` for a few thousand generated requests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::sign_request;
use crate::credentials::Credentials;
use crate::http::HttpRequest;
use crate::xorshift::XorShift;

/// aws-sigv4's signing headers for `request` (name, value) in its output order.
fn reference(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    name: &str,
    time: SystemTime,
) -> Vec<(String, String)> {
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_string),
        None,
        "test",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = request.uri().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
        .collect();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri.as_str(),
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(request.body()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (headers, _) = instructions.into_parts();
    headers
        .into_iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect()
}

struct Cases(XorShift);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0.next()
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.0.below(from.len())]
    }
}

const PATHS: &[&str] = &[
    "/",
    "",
    "/prefix",
    "/prefix/",
    "/a/./b/../c",
    "/a//b/",
    "/%20space/x%2Fy",
    "/~tilde/-_.",
    "/a/..",
    "/a/b/.",
    "/..//x",
];
const QUERIES: &[&str] = &[
    "",
    "",
    "?a=1",
    "?b=2&a=1",
    "?a=2&a=1",
    "?k",
    "?x=a+b&y=%7E%2f",
    "?Z=1&a=1&_=1",
    "?e=%E2%82%AC",
    "?bad=%zz",
];
const HOSTS: &[&str] = &[
    "https://cognito-idp.us-east-1.amazonaws.com",
    "http://127.0.0.1:9229",
    "http://localhost:80",
    "https://example.com:443",
    "https://example.com:8443",
];
const EXTRA_HEADERS: &[(&str, &str)] = &[
    (
        "x-amz-target",
        "AWSCognitoIdentityProviderService.AdminGetUser",
    ),
    ("content-type", "application/x-amz-json-1.1"),
    ("user-agent", "awsjson-runtime/0.1 cognito-idp"),
    ("x-amzn-trace-id", "Root=1-abc"),
    ("x-custom", "  spaced   out  value "),
    ("x-custom", "second"),
    ("x-tab", "a\tb"),
    ("authorization", "stale"),
    ("x-amz-date", "19990101T000000Z"),
    ("expect", "100-continue"),
    ("x-empty", ""),
];
const REGIONS: &[&str] = &["us-east-1", "eu-west-3", "ap-southeast-2"];
const NAMES: &[&str] = &["cognito-idp", "cognito-identity", "service"];
const BODIES: &[&str] = &[
    "",
    "{}",
    "{\"UserPoolId\":\"us-east-1_x\",\"Username\":\"é\"}",
];

#[test]
fn byte_exact_with_aws_sigv4() {
    let mut cases = Cases(XorShift(0x9e37_79b9_7f4a_7c15));
    for case in 0..3000 {
        let url = format!(
            "{}{}{}",
            cases.pick(HOSTS),
            cases.pick(PATHS),
            cases.pick(QUERIES)
        );
        let url = if url.contains("://") && !url.split("://").nth(1).unwrap().contains('/') {
            // "host?query" is not a valid URI; aws-sigv4 and http both need the path.
            url.replacen('?', "/?", 1)
        } else {
            url
        };
        let mut builder = http::Request::builder()
            .method(if case % 7 == 0 { "GET" } else { "POST" })
            .uri(url.as_str());
        if case % 3 != 0 {
            let uri: http::Uri = url.parse().unwrap();
            builder = builder.header("host", uri.authority().unwrap().as_str());
        }
        let extra = cases.next() as usize;
        for (i, (k, v)) in EXTRA_HEADERS.iter().enumerate() {
            if extra >> i & 1 == 1 {
                builder = builder.header(*k, *v);
            }
        }
        let body = cases.pick(BODIES).as_bytes().to_vec();
        let request = builder.body(body).unwrap();
        let token = match cases.next() % 3 {
            0 => None,
            1 => Some("FQoGZXIvYXdzE token/with+chars=".to_string()),
            _ => Some("  spaced  token ".to_string()),
        };
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token,
        );
        let region = cases.pick(REGIONS);
        let name = cases.pick(NAMES);
        let time = UNIX_EPOCH + Duration::from_secs(cases.next() % 4_000_000_000);

        let want = reference(&request, &credentials, region, name, time);
        let mut ours = request.clone();
        sign_request(&mut ours, &credentials, region, name, time).unwrap();
        for (header, value) in &want {
            let got = ours
                .headers()
                .get(header.as_str())
                .map(|v| v.to_str().unwrap());
            assert_eq!(
                got,
                Some(value.as_str()),
                "case {case}: {header} differs for {} {url} with headers {:?}",
                request.method(),
                request.headers()
            );
        }
        let added = ["authorization", "x-amz-date", "x-amz-security-token"];
        let ours_added = added
            .iter()
            .filter(|h| ours.headers().contains_key(**h))
            .count();
        assert_eq!(
            ours_added,
            want.len(),
            "case {case}: signing headers {want:?}"
        );
    }
}
