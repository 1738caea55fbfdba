//! HTTP/1.1 on a Tokio listener: `POST /` carries awsJson1_1 operations, `GET
//! /{poolId}/.well-known/jwks.json` the signing keys, `GET /health` whether it serves. Bodies
//! are capped at `MAX_BODY_BYTES`; each operation runs on the blocking pool (SRP arithmetic is
//! CPU work), where a panic would become a 500 for that request only. Every response carries
//! CORS headers and `OPTIONS` answers preflights, so browser apps can call it; each request can
//! be logged as one JSON line (see `request_log`).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::error::ApiError;
use crate::protocol::MAX_BODY_BYTES;
use crate::shared::Shared;
use crate::{cors, identity, ids, ops};

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const JSON_11: &str = "application/x-amz-json-1.1";

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: watch::Receiver<bool>) {
    let mut stop_accept = stop.clone();
    loop {
        let accepted = tokio::select! {
            _ = stop_accept.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors and similar: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let mut stop_conn = stop.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(shared, req).await) }
            });
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                // A client that never finishes its headers does not hold a connection forever.
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop_conn.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(5), conn).await;
                }
            }
        });
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = std::time::Instant::now();
    let request_id = ids::uuid_v4().unwrap_or_default();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let operation_name = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(|t| t.strip_prefix(TARGET_PREFIX).unwrap_or(t).to_owned());
    let cors = cors::Request::of(req.headers());
    // The OAuth endpoints decide their own CORS (the login pages must not be readable from
    // other origins); everything else allows any origin.
    let response = match crate::oauth::http::route(&shared, &req) {
        Some(route) => crate::oauth::http::serve(shared.clone(), req, route).await,
        None => {
            let mut r = api(&shared, req).await;
            cors.apply(r.headers_mut(), method == Method::OPTIONS);
            r
        }
    };
    let response = with_request_id(response, &request_id);
    if let Some(log) = &shared.request_log {
        log.write(&crate::request_log::Entry {
            request_id: &request_id,
            method: method.as_str(),
            path: &path,
            operation: operation_name.as_deref(),
            status: response.status().as_u16(),
            error: response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok()),
            latency: started.elapsed(),
        });
    }
    response
}

/// Everything but the OAuth endpoints: the awsJson API, JWKS, discovery, health, codes.
async fn api(shared: &Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let shared = shared.clone();
    match (req.method(), req.uri().path()) {
        (&Method::OPTIONS, _) => cors::preflight(),
        (&Method::POST, "/") => operation(shared.clone(), req).await,
        (&Method::GET, path) if path.ends_with("/.well-known/jwks.json") => jwks(&shared, path),
        (&Method::GET, path) if path.ends_with("/.well-known/openid-configuration") => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1")
                .to_owned();
            openid_configuration(&shared, path, &host)
        }
        (&Method::GET, "/health") => health(&shared),
        (&Method::GET, path) if path.starts_with("/_emulator/codes/") => codes(&shared, path),
        (&Method::GET, path) if path.starts_with(UI_PREFIX) => ui_logo(&shared, path),
        (&Method::PUT, path) if path.starts_with(IMPORT_PREFIX) => {
            let path = path.to_owned();
            import_upload(shared, req, &path).await
        }
        _ => plain_error(
            StatusCode::NOT_FOUND,
            ApiError::new("UnknownOperationException", "Not found"),
        ),
    }
}

/// Where the hosted UI customizations' logos are served (their ImageUrl).
const UI_PREFIX: &str = "/_emulator/ui/";

/// `GET /_emulator/ui/{poolId}/{clientId|ALL}/logo`: the logo SetUICustomization stored.
fn ui_logo(shared: &Shared, path: &str) -> Response<Full<Bytes>> {
    let found = path
        .strip_prefix(UI_PREFIX)
        .and_then(|rest| rest.strip_suffix("/logo"))
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(pool, client)| crate::ops::branding::logo(shared, pool, client));
    match found {
        Some(bytes) => {
            let kind = if bytes.starts_with(b"\x89PNG") {
                "image/png"
            } else {
                "image/jpeg"
            };
            let mut r = Response::new(Full::new(Bytes::from(bytes)));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            r
        }
        None => plain_error(
            StatusCode::NOT_FOUND,
            ApiError::resource_not_found("No such logo"),
        ),
    }
}

/// Where user import jobs' pre-signed URLs point.
const IMPORT_PREFIX: &str = "/_emulator/import/";

/// `PUT /_emulator/import/{poolId}/{jobId}`: the CSV file of a user import job, as S3 would
/// take it at the job's pre-signed URL.
async fn import_upload(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    path: &str,
) -> Response<Full<Bytes>> {
    let Some((pool_id, job_id)) = path
        .strip_prefix(IMPORT_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .map(|(p, j)| (p.to_owned(), j.to_owned()))
    else {
        return plain_error(
            StatusCode::NOT_FOUND,
            ApiError::resource_not_found("No such import job"),
        );
    };
    let body = match Limited::new(req.into_body(), crate::ops::imports::MAX_CSV_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return plain_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                ApiError::new(
                    "EntityTooLarge",
                    "The CSV file is larger than the emulator takes",
                )
                .with_status(413),
            )
        }
    };
    let outcome = tokio::task::spawn_blocking(move || {
        crate::ops::imports::upload(&shared, &pool_id, &job_id, &body)
    })
    .await;
    match outcome {
        Ok(Ok(())) => Response::new(Full::new(Bytes::new())),
        Ok(Err(e)) => error_response(e),
        Err(_) => error_response(ApiError::internal("Internal error")),
    }
}

/// `GET /health`: 200 while the emulator serves, with what it holds (no secrets).
fn health(shared: &Shared) -> Response<Full<Bytes>> {
    let (pools, users) = {
        let store = shared.store();
        let users: usize = store.pools.values().map(|p| p.users.len()).sum();
        (store.pools.len(), users)
    };
    let body = serde_json::json!({
        "status": "ok",
        "state": if shared.state.is_some() { "persistent" } else { "memory" },
        "pools": pools,
        "users": users,
    });
    json_response(StatusCode::OK, body.to_string())
}

async fn operation(shared: Arc<Shared>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let region_hint = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(region_from_authorization);
    let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            let too_large = e.is::<http_body_util::LengthLimitError>();
            return if too_large {
                plain_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ApiError::new(
                        "RequestEntityTooLargeException",
                        format!("Request body exceeds {MAX_BODY_BYTES} bytes"),
                    )
                    .with_status(413),
                )
            } else {
                plain_error(
                    StatusCode::BAD_REQUEST,
                    ApiError::serialization("Could not read the request body"),
                )
            };
        }
    };
    if target.strip_prefix(TARGET_PREFIX).is_none()
        && target.strip_prefix(identity::TARGET_PREFIX).is_none()
    {
        return error_response(unknown_target());
    }
    let outcome = tokio::task::spawn_blocking(move || {
        dispatch(&shared, &target, &body, region_hint.as_deref())
    })
    .await;
    match outcome {
        Ok(Ok(value)) => json_response(StatusCode::OK, value),
        Ok(Err(e)) => error_response(e),
        Err(_) => error_response(ApiError::internal("Internal error")),
    }
}

fn unknown_target() -> ApiError {
    ApiError::new(
        "UnknownOperationException",
        "The X-Amz-Target header must name an AWSCognitoIdentityProviderService or \
         AWSCognitoIdentityService operation",
    )
}

/// One awsJson1_1 operation from its `X-Amz-Target` value and body, as the HTTP layer runs it
/// (after the body cap): the response body on success. Also behind `Emulator::handle_json`.
pub(crate) fn dispatch(
    shared: &Shared,
    target: &str,
    body: &[u8],
    region_hint: Option<&str>,
) -> Result<String, ApiError> {
    if let Some(op) = target.strip_prefix(identity::TARGET_PREFIX) {
        return identity::call(shared, op, body, region_hint).map(|value| value.to_string());
    }
    let op = target
        .strip_prefix(TARGET_PREFIX)
        .ok_or_else(unknown_target)?;
    ops::call(shared, op, body, region_hint).map(|value| value.to_string())
}

/// `dispatch` with the HTTP layer's body cap, as (status, body).
pub(crate) fn handle_json(shared: &Shared, target: &str, body: &[u8]) -> (u16, Vec<u8>) {
    if body.len() > MAX_BODY_BYTES {
        let e = ApiError::new(
            "RequestEntityTooLargeException",
            format!("Request body exceeds {MAX_BODY_BYTES} bytes"),
        )
        .with_status(413);
        return (e.status, e.body().into_bytes());
    }
    match dispatch(shared, target, body, None) {
        Ok(body) => (200, body.into_bytes()),
        Err(e) => (e.status, e.body().into_bytes()),
    }
}

fn jwks(shared: &Shared, path: &str) -> Response<Full<Bytes>> {
    let pool_id = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if shared.store().pool(pool_id).is_err() {
        return plain_error(
            StatusCode::NOT_FOUND,
            ApiError::unknown_pool(pool_id).with_status(404),
        );
    }
    let mut r = json_response(StatusCode::OK, shared.keys.jwks().to_string());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The discovery document: Cognito's issuer, the JWKS and the domain's endpoints on this emulator.
fn openid_configuration(shared: &Shared, path: &str, host: &str) -> Response<Full<Bytes>> {
    let pool_id = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if shared.store().pool(pool_id).is_err() {
        return plain_error(
            StatusCode::NOT_FOUND,
            ApiError::unknown_pool(pool_id).with_status(404),
        );
    }
    let doc = crate::oauth::discovery::document(&shared.store(), pool_id, host);
    let mut r = json_response(StatusCode::OK, doc.to_string());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `GET /_emulator/codes/{poolId}/{username}`: the codes "sent" to a user, for programs that
/// drive the binary (the in-process API is `Emulator::sent_codes`). Not part of Cognito's API.
fn codes(shared: &Shared, path: &str) -> Response<Full<Bytes>> {
    let rest = path.trim_start_matches("/_emulator/codes/");
    let Some((pool_id, username)) = rest.split_once('/') else {
        return plain_error(
            StatusCode::NOT_FOUND,
            ApiError::new("UnknownOperationException", "Not found").with_status(404),
        );
    };
    let username = percent_decode(username);
    let list = shared.sent_codes(pool_id, &username);
    let body: Vec<serde_json::Value> = list
        .iter()
        .map(|c| {
            serde_json::json!({
                "kind": format!("{:?}", c.kind),
                "code": c.code,
                "destination": c.destination,
            })
        })
        .collect();
    json_response(
        StatusCode::OK,
        serde_json::json!({ "codes": body }).to_string(),
    )
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The region of a SigV4 credential scope: `Credential=AKID/20240101/us-east-1/cognito-idp/...`.
fn region_from_authorization(auth: &str) -> Option<String> {
    let scope = auth.split("Credential=").nth(1)?;
    let scope = scope.split([',', ' ']).next()?;
    let region = scope.split('/').nth(2)?;
    let ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then(|| region.to_owned())
}

fn json_response(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    r
}

fn error_response(e: ApiError) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    plain_error(status, e)
}

fn plain_error(status: StatusCode, e: ApiError) -> Response<Full<Bytes>> {
    let mut r = json_response(status, e.body());
    if let Ok(v) = HeaderValue::from_str(e.code) {
        r.headers_mut().insert("x-amzn-errortype", v);
    }
    r
}

fn with_request_id(mut r: Response<Full<Bytes>>, id: &str) -> Response<Full<Bytes>> {
    if let Ok(v) = HeaderValue::from_str(id) {
        r.headers_mut().insert("x-amzn-requestid", v);
    }
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn region_from_sigv4_scope() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";
        assert_eq!(
            super::region_from_authorization(auth).as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(super::region_from_authorization("Bearer x"), None);
        assert_eq!(super::region_from_authorization("Credential=a/b"), None);
    }
}
