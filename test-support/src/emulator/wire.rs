//! Setup over HTTP with the exact JSON bodies a client sends (the emulator's tests judge the
//! wire, so their setup speaks it too).

use serde_json::{json, Value};

use crate::http::post_raw;

/// Calls an operation with a JSON body; panics unless it succeeds.
pub async fn call(endpoint: &str, op: &str, body: Value) -> Value {
    call_service(endpoint, USER_POOLS, op, body).await
}

/// Calls an operation expecting an error; returns (type, message).
pub async fn call_err(endpoint: &str, op: &str, body: Value) -> (String, String) {
    call_service_err(endpoint, USER_POOLS, op, body).await
}

/// The `X-Amz-Target` prefixes of the two services the emulator serves.
pub const USER_POOLS: &str = "AWSCognitoIdentityProviderService";
pub const IDENTITY_POOLS: &str = "AWSCognitoIdentityService";

/// Calls an operation of `service`; panics unless it succeeds.
pub async fn call_service(endpoint: &str, service: &str, op: &str, body: Value) -> Value {
    let r = post_raw(
        endpoint,
        Some(&format!("{service}.{op}")),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        r.status,
        200,
        "{op} failed: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

/// Calls an operation of `service` expecting an error; returns (type, message).
pub async fn call_service_err(
    endpoint: &str,
    service: &str,
    op: &str,
    body: Value,
) -> (String, String) {
    let r = post_raw(
        endpoint,
        Some(&format!("{service}.{op}")),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        r.status,
        400,
        "{op} should fail: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("x-amzn-errortype"), Some(r.error_type().as_str()));
    (r.error_type(), r.message())
}

/// A pool with a lenient password policy and its pool id.
pub async fn pool(endpoint: &str, extra: Value) -> String {
    let mut body = json!({
        "PoolName": "test",
        "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true,
            "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": false}},
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let out = call(endpoint, "CreateUserPool", body).await;
    out["UserPool"]["Id"].as_str().unwrap().to_owned()
}

/// An app client; returns (client id, secret if generated).
pub async fn app_client(
    endpoint: &str,
    pool_id: &str,
    secret: bool,
    flows: &[&str],
) -> (String, Option<String>) {
    let out = call(
        endpoint,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "app", "GenerateSecret": secret, "ExplicitAuthFlows": flows}),
    )
    .await;
    let c = &out["UserPoolClient"];
    (
        c["ClientId"].as_str().unwrap().to_owned(),
        c["ClientSecret"].as_str().map(str::to_owned),
    )
}

pub const ALL_FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
];

/// A confirmed user with a permanent password.
pub async fn user(endpoint: &str, pool_id: &str, username: &str, password: &str, attrs: Value) {
    call(
        endpoint,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
               "UserAttributes": attrs}),
    )
    .await;
    call(
        endpoint,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": true}),
    )
    .await;
}
