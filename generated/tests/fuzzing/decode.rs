//! Response decoding for every generated operation: the output struct (`serde_json::from_slice`,
//! then Debug and equality), every modeled error (`OperationError::from_modeled`
//! with each of the operation's codes, and codes it does not have), and the whole runtime path
//! (`Handle::invoke` with an in-memory HTTP client answering any status, headers and body).
//!
//! Bodies are well-typed JSON for the shape (from the IR) with type confusions, unknown and
//! missing members, deep nesting and byte damage on top, or raw bytes. Shared by the stable
//! harness (`generated/tests/fuzz_decode.rs`) and the cargo-fuzz target `decode`.
#![allow(dead_code)]

use crate::shapes::{Shapes, Slot};
use cognito_idp::runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use cognito_idp::runtime::{
    Config, ErrorMeta, Handle, OperationError, OperationMeta, Validate, Validator,
};
use serde_json::{Map, Value};
use std::sync::Mutex;
use test_support::fuzz::Choices;

/// What `invoke` sends: nothing to validate, an empty object.
#[derive(serde::Serialize)]
pub struct NoInput {}

impl Validate for NoInput {
    fn validate(&self, _v: &mut Validator) {}
}

/// One operation's decode entry points, built by `op_table!`.
pub struct Op {
    pub name: &'static str,
    pub output_type: &'static str,
    /// Decode as the output; on success format and compare it.
    pub output: fn(&[u8]) -> bool,
    /// `from_modeled`; on success format the error (Display, Debug, source chain).
    pub error: fn(&ErrorMeta, &[u8]) -> bool,
    /// The whole runtime path with the canned response; formats whatever comes back.
    pub invoke: fn(&Handle) -> bool,
}

pub fn check_output<O>(body: &[u8]) -> bool
where
    O: serde::de::DeserializeOwned + Clone + PartialEq + std::fmt::Debug,
{
    let Ok(out) = serde_json::from_slice::<O>(body) else {
        return false;
    };
    let _ = format!("{out:?}");
    assert!(
        out.clone() == out,
        "a decoded output differs from its clone"
    );
    true
}

pub fn check_error<E: OperationError + std::fmt::Debug>(meta: &ErrorMeta, body: &[u8]) -> bool {
    match E::from_modeled(meta, body) {
        Some(e) => {
            let _ = (format!("{e}"), format!("{e:?}"), e.is_retryable());
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let _ = s.to_string();
                source = s.source();
            }
            true
        }
        None => false,
    }
}

pub fn check_invoke<O, E>(handle: &Handle, meta: &'static OperationMeta) -> bool
where
    O: cognito_idp::runtime::OperationOutput + std::fmt::Debug,
    E: OperationError + std::fmt::Debug,
{
    let result = runtime().block_on(handle.invoke::<NoInput, O, E>(
        &cognito_idp::__private::SERVICE,
        meta,
        &NoInput {},
    ));
    match result {
        Ok(o) => {
            let _ = format!("{o:?}");
            true
        }
        Err(e) => {
            let _ = (format!("{e}"), format!("{e:?}"));
            false
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    thread_local! {
        static RT: &'static tokio::runtime::Runtime = Box::leak(Box::new(
            tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"),
        ));
    }
    RT.with(|r| *r)
}

/// An HTTP client that answers with whatever the current case put in it.
#[derive(Default)]
pub struct Canned {
    pub next: Mutex<Option<HttpResponse>>,
}

impl HttpClient for Canned {
    fn send(
        &self,
        _request: HttpRequest,
        max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let mut r = self
            .next
            .lock()
            .unwrap()
            .take()
            .unwrap_or_else(|| http::Response::new(Vec::new()));
        r.body_mut().truncate(max_body);
        Box::pin(async move { Ok(r) })
    }
}

/// A handle over `canned`: one attempt (no backoff sleeps), a small body cap.
pub fn handle(canned: std::sync::Arc<Canned>) -> Handle {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .max_response_body(64 * 1024)
        .env_vars(Vec::<(String, String)>::new())
        .http_client(canned)
        .build()
        .expect("config");
    Handle::new(config).expect("handle")
}

#[macro_export]
macro_rules! op_table {
    ($(($op:ident, $module:ident, $output:ident, $error:ident)),* $(,)?) => {
        pub fn ops() -> Vec<$crate::decode::Op> {
            vec![$({
                static META: cognito_idp::runtime::OperationMeta = cognito_idp::runtime::OperationMeta {
                    name: stringify!($op),
                    auth: cognito_idp::runtime::AuthRequirement::None,
                    request_compression: &[],
                    endpoint_discovery: None,
                    endpoint: cognito_idp::runtime::endpoint::EndpointBindings::NONE,
                };
                $crate::decode::Op {
                    name: stringify!($op),
                    output_type: stringify!($output),
                    output: $crate::decode::check_output::<cognito_idp::operation::$module::$output>,
                    error: $crate::decode::check_error::<cognito_idp::operation::$module::$error>,
                    invoke: |h| $crate::decode::check_invoke::<cognito_idp::operation::$module::$output, cognito_idp::operation::$module::$error>(h, &META),
                }
            }),*]
        }
    };
}

op_table! {
    (InitiateAuth, initiate_auth, InitiateAuthOutput, InitiateAuthError),
    (RespondToAuthChallenge, respond_to_auth_challenge, RespondToAuthChallengeOutput, RespondToAuthChallengeError),
    (GetUser, get_user, GetUserOutput, GetUserError),
    (GlobalSignOut, global_sign_out, GlobalSignOutOutput, GlobalSignOutError),
    (RevokeToken, revoke_token, RevokeTokenOutput, RevokeTokenError),
    (SignUp, sign_up, SignUpOutput, SignUpError),
    (ConfirmSignUp, confirm_sign_up, ConfirmSignUpOutput, ConfirmSignUpError),
    (ForgotPassword, forgot_password, ForgotPasswordOutput, ForgotPasswordError),
    (ConfirmForgotPassword, confirm_forgot_password, ConfirmForgotPasswordOutput, ConfirmForgotPasswordError),
    (ChangePassword, change_password, ChangePasswordOutput, ChangePasswordError),
    (ConfirmDevice, confirm_device, ConfirmDeviceOutput, ConfirmDeviceError),
    (UpdateDeviceStatus, update_device_status, UpdateDeviceStatusOutput, UpdateDeviceStatusError),
    (ForgetDevice, forget_device, ForgetDeviceOutput, ForgetDeviceError),
    (AssociateSoftwareToken, associate_software_token, AssociateSoftwareTokenOutput, AssociateSoftwareTokenError),
    (VerifySoftwareToken, verify_software_token, VerifySoftwareTokenOutput, VerifySoftwareTokenError),
    (GetTokensFromRefreshToken, get_tokens_from_refresh_token, GetTokensFromRefreshTokenOutput, GetTokensFromRefreshTokenError),
    (CreateUserPool, create_user_pool, CreateUserPoolOutput, CreateUserPoolError),
    (CreateUserPoolClient, create_user_pool_client, CreateUserPoolClientOutput, CreateUserPoolClientError),
    (AdminCreateUser, admin_create_user, AdminCreateUserOutput, AdminCreateUserError),
    (AdminSetUserPassword, admin_set_user_password, AdminSetUserPasswordOutput, AdminSetUserPasswordError),
    (AdminGetUser, admin_get_user, AdminGetUserOutput, AdminGetUserError),
    (DescribeUserPoolClient, describe_user_pool_client, DescribeUserPoolClientOutput, DescribeUserPoolClientError),
    (ListUsers, list_users, ListUsersOutput, ListUsersError),
    (AdminSetUserMFAPreference, admin_set_user_mfa_preference, AdminSetUserMfaPreferenceOutput, AdminSetUserMfaPreferenceError),
    (AdminDeleteUser, admin_delete_user, AdminDeleteUserOutput, AdminDeleteUserError),
}

/// Everything one case needs, built once.
pub struct Harness {
    pub ops: Vec<Op>,
    pub ir: awsjson_codegen::ir::Service,
    pub canned: std::sync::Arc<Canned>,
    pub handle: Handle,
}

impl Harness {
    pub fn new() -> Self {
        let mut ops = ops();
        let names: Vec<&str> = ops.iter().map(|o| o.name).collect();
        let ir = crate::shapes::ir(&names);
        // The table covers exactly the IR's operations, in the IR's order, with its types.
        ops.sort_by_key(|o| ir.operations.iter().position(|i| i.wire_name == o.name));
        assert_eq!(
            ir.operations.len(),
            ops.len(),
            "op_table! and the IR disagree"
        );
        for (o, i) in ops.iter().zip(&ir.operations) {
            assert_eq!(
                (o.name, o.output_type),
                (i.wire_name.as_str(), i.output.name.as_str())
            );
        }
        let canned = std::sync::Arc::new(Canned::default());
        let handle = handle(canned.clone());
        Harness {
            ops,
            ir,
            canned,
            handle,
        }
    }

    /// One case: every decision from `c`.
    pub fn run(&self, c: &mut impl Choices) {
        let shapes = Shapes::new(&self.ir);
        let i = c.below(self.ops.len());
        let (op, ir_op) = (&self.ops[i], &self.ir.operations[i]);
        let codes: Vec<&str> = ir_op.errors.iter().map(|e| e.code.as_str()).collect();
        let mode = c.below(4);
        // The shape the body is built for: the output, or one of the op's errors.
        let shape = if mode == 0 || codes.is_empty() || c.chance(3) {
            ir_op.output.name.clone()
        } else {
            ir_op.errors[c.below(codes.len())].type_name.clone()
        };
        let body = body(&shapes, &shape, c);
        match mode {
            0 => {
                (op.output)(&body);
            }
            1 | 2 => {
                let code = error_code(&codes, c);
                let meta = ErrorMeta::new(
                    [400, 403, 404, 429, 500, 503][c.below(6)],
                    code,
                    c.chance(2).then(|| "a message".to_owned()),
                    c.chance(2).then(|| "req-1".to_owned()),
                );
                (op.error)(&meta, &body);
            }
            _ => {
                let status: u16 = match c.below(4) {
                    0 => 200,
                    1 => [400, 403, 404, 429, 500, 501, 502, 503, 504][c.below(9)],
                    2 => 100 + c.below(900) as u16,
                    _ => 400,
                };
                let mut r = http::Response::builder().status(status);
                let ct = [
                    "application/x-amz-json-1.1",
                    "application/json",
                    "text/html",
                    "text/plain",
                    "",
                    "application/x-amz-json-1.0; charset=utf-8",
                ][c.below(6)];
                if !ct.is_empty() {
                    r = r.header("content-type", ct);
                }
                if c.chance(2) {
                    let code = error_code(&codes, c);
                    let header = match c.below(3) {
                        0 => code,
                        1 => format!("{code}:http://internal.amazon.com/coral/"),
                        _ => format!("aws.protocols#{code}"),
                    };
                    if let Ok(v) = http::HeaderValue::from_str(&header) {
                        r = r.header("x-amzn-errortype", v);
                    }
                }
                if c.chance(2) {
                    r = r.header("x-amzn-requestid", "req-2");
                }
                if c.chance(4) {
                    r = r.header("x-amzn-errormessage", "header message");
                }
                if let Ok(resp) = r.body(body) {
                    *self.canned.next.lock().unwrap() = Some(resp);
                    (op.invoke)(&self.handle);
                }
            }
        }
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

fn error_code(codes: &[&str], c: &mut impl Choices) -> String {
    match c.below(6) {
        0 => "SomeUnknownException".to_owned(),
        1 => String::new(),
        2 => "ThrottlingException".to_owned(),
        _ if !codes.is_empty() => codes[c.below(codes.len())].to_owned(),
        _ => "InternalErrorException".to_owned(),
    }
}

/// A body for `shape`: well-typed JSON with damage, or raw bytes.
pub fn body(shapes: &Shapes<'_>, shape: &str, c: &mut impl Choices) -> Vec<u8> {
    if c.chance(10) {
        let n = c.below(48);
        return (0..n).map(|_| c.next_u64() as u8).collect();
    }
    let mut strings = |_: &Slot<'_>, r: u64| -> String {
        const S: &[&str] = &[
            "",
            "x",
            "alice",
            "é\u{0}\u{ffff}",
            "\\",
            "\"",
            "PASSWORD_VERIFIER",
            "SOFTWARE_TOKEN_MFA",
            "2024-01-01T00:00:00Z",
            "1e400",
            "eyJhbGciOi.x.y",
        ];
        S[(r % S.len() as u64) as usize].to_owned()
    };
    let all = c.chance(2);
    let mut v = shapes.structure(shape, c, all, &mut strings);
    for _ in 0..c.below(4) {
        mutate_json(&mut v, c);
    }
    let mut text = serde_json::to_vec(&v).expect("serializes");
    if c.chance(6) {
        damage(&mut text, c);
    }
    text
}

fn mutate_json(v: &mut Value, c: &mut impl Choices) {
    let cur = random_node(v, c);
    *cur = match c.below(14) {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => serde_json::json!(-1),
        3 => serde_json::json!(u64::MAX),
        4 => serde_json::json!(i64::MIN),
        5 => serde_json::json!(1.7e308),
        6 => serde_json::json!(-0.000001),
        7 => Value::String("not the type".into()),
        8 => Value::Array(vec![cur.take()]),
        9 => serde_json::json!({ "Unknown": cur.take(), "__type": "X" }),
        10 => {
            // Deep nesting: past serde_json's recursion limit.
            let mut x = Value::Null;
            for _ in 0..(c.below(200) + 1) {
                x = Value::Array(vec![x]);
            }
            x
        }
        11 => Value::Object(Map::new()),
        12 => serde_json::json!(1e-300),
        _ => serde_json::json!(9_007_199_254_740_993u64),
    };
}

fn random_node<'v>(v: &'v mut Value, c: &mut impl Choices) -> &'v mut Value {
    if c.chance(3) {
        return v;
    }
    let len = match v {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if len == 0 {
        return v;
    }
    let i = c.below(len);
    match v {
        Value::Object(m) => random_node(m.values_mut().nth(i).expect("in range"), c),
        Value::Array(a) => random_node(&mut a[i], c),
        _ => unreachable!("checked above"),
    }
}

fn damage(text: &mut Vec<u8>, c: &mut impl Choices) {
    if text.is_empty() {
        return;
    }
    let at = c.below(text.len());
    match c.below(4) {
        0 => text.truncate(at),
        1 => text[at] ^= 1 << c.below(8),
        2 => {
            const T: &[&[u8]] = &[
                b"\\ud800",
                b"\xff\xfe",
                b"<html>",
                b"\0",
                b"}}",
                b"[",
                b"\"",
                b"-",
                b"1e99999",
            ];
            let t = T[c.below(T.len())];
            text.splice(at..at, t.iter().copied());
        }
        _ => {
            let end = (at + c.below(32)).min(text.len());
            text.drain(at..end);
        }
    }
}
