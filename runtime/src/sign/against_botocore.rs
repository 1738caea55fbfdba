//! The signer against botocore (boto3's signer, the one moto checks signatures with): the same
//! `authorization` for the requests this runtime sends (POST, awsJson headers, endpoints with
//! and without a port or a path, long-term and temporary credentials). Needs the Python peers
//! (`scripts/peers.sh`, installed by scripts/install-peers.sh); fails if they are missing.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

use super::sign_request;
use crate::credentials::Credentials;

/// Reads `[[method, url, [[name, value]...], body, akid, secret, token|null, region, name,
/// amz_date]...]` on stdin, prints one Authorization header per line.
const BOTOCORE_SIGNER: &str = r#"
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
for method, url, headers, body, akid, secret, token, region, name, stamp in json.load(sys.stdin):
    request = AWSRequest(method=method, url=url, data=body.encode(), headers=dict(headers))
    request.context["timestamp"] = stamp
    auth = SigV4Auth(Credentials(akid, secret, token), name, region)
    auth._modify_request_before_signing(request)
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    auth._inject_signature_to_request(request, signature)
    print(request.headers["Authorization"])
"#;

#[test]
fn byte_exact_with_botocore() {
    let endpoints = [
        "https://cognito-idp.us-east-1.amazonaws.com/",
        "http://127.0.0.1:9229/",
        "http://localhost:5000/prefix/path",
    ];
    let targets = ["AdminGetUser", "CreateUserPool", "AdminDisableUser"];
    let bodies = [
        "{}",
        "{\"UserPoolId\":\"us-east-1_abc\",\"Username\":\"alice é\"}",
    ];
    let tokens = [None, Some("IQoJb3JpZ2luX2VjE token+/=")];
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for (i, endpoint) in endpoints.iter().enumerate() {
        for (j, target) in targets.iter().enumerate() {
            for (k, body) in bodies.iter().enumerate() {
                for token in tokens {
                    let uri: http::Uri = endpoint.parse().unwrap();
                    let mut headers = vec![
                        ("host", uri.authority().unwrap().as_str().to_string()),
                        ("content-type", "application/x-amz-json-1.1".to_string()),
                        (
                            "x-amz-target",
                            format!("AWSCognitoIdentityProviderService.{target}"),
                        ),
                        ("user-agent", "awsjson-runtime/0.1.0".to_string()),
                    ];
                    if k == 1 {
                        headers.push(("x-endpoint-header", "a  b".to_string()));
                    }
                    let mut request = http::Request::builder().method("POST").uri(*endpoint);
                    for (name, value) in &headers {
                        request = request.header(*name, value.as_str());
                    }
                    let mut request = request.body(body.as_bytes().to_vec()).unwrap();
                    let credentials = Credentials::new(
                        "AKIDEXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                        token.map(str::to_string),
                    );
                    let region = ["us-east-1", "eu-central-1"][(i + j) % 2];
                    let secs = 1_700_000_000 + (i * 100_000 + j * 1000 + k) as u64;
                    let time = UNIX_EPOCH + Duration::from_secs(secs);
                    sign_request(&mut request, &credentials, region, "cognito-idp", time).unwrap();
                    let stamp = request.headers()["x-amz-date"]
                        .to_str()
                        .unwrap()
                        .to_string();
                    ours.push(
                        request.headers()["authorization"]
                            .to_str()
                            .unwrap()
                            .to_string(),
                    );
                    cases.push(serde_json::json!([
                        "POST",
                        endpoint,
                        headers,
                        body,
                        "AKIDEXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                        token,
                        region,
                        "cognito-idp",
                        stamp
                    ]));
                }
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut child = Command::new("bash")
        .arg(root.join("scripts/peers.sh"))
        .args(["python", "-c", BOTOCORE_SIGNER])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run scripts/peers.sh (the Python peers with botocore)");
    let input = serde_json::to_vec(&cases).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "botocore signer failed (are the peers installed? scripts/install-peers.sh):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(theirs.len(), ours.len(), "one signature per case");
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(ours, theirs, "case {i}: {}", cases[i]);
    }
}
