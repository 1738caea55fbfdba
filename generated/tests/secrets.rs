//! Secret hygiene: every generated operation's input, output and errors filled with marker
//! strings in every `@sensitive` member (and everything nested in one), formatted with Debug and
//! Display, validated, and sent through the runtime to a local server at TRACE level; no
//! marker may appear in any formatted text or log line.
//!
//! The shapes are filled from the same IR the macro expanded, so a new operation or member is
//! covered without editing this file. Hand-written types (the auth flows, srp-core) are listed
//! in `hand_written_types`: add a type there with its secrets set to `marker(..)` values.

#[path = "fuzzing/shapes.rs"]
mod shapes;

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use cognito_idp::runtime::{
    AuthRequirement, Config, ErrorMeta, Handle, OperationError, OperationMeta, Validate, Validator,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Every marker contains this; none may ever be printed.
const MARK: &str = "SEKRIT";

/// A marker string for one secret.
fn marker(what: &str) -> String {
    format!("{MARK}-{what}")
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(MARK),
        "{what} leaks a secret marker:\n{text}"
    );
}

// ---- tracing capture -------------------------------------------------------------------

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A global TRACE subscriber writing into memory (installed once per test binary).
fn trace_log() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        captured
    })
}

// ---- a local server that answers each request with the next canned response -------------

struct Server {
    url: String,
    next: Arc<Mutex<(u16, Vec<u8>)>>,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

async fn server() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let next = Arc::new(Mutex::new((200u16, b"{}".to_vec())));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (n, s) = (next.clone(), seen.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (next, seen) = (n.clone(), s.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let body_start = loop {
                    let Ok(k) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if k == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..body_start]).to_ascii_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < body_start + len {
                    let Ok(k) = stream.read(&mut chunk).await else {
                        return;
                    };
                    if k == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                }
                seen.lock()
                    .unwrap()
                    .push(buf[body_start..body_start + len].to_vec());
                let (status, body) = next.lock().unwrap().clone();
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\n\
                     x-amzn-requestid: req-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    Server { url, next, seen }
}

// ---- the generated types, per operation ------------------------------------------------

/// Sends an already-filled input as is: the real input's own validation is checked
/// separately, and the request must reach the server even if the markers break a pattern.
struct Unvalidated<'a, T>(&'a T);

impl<T: serde::Serialize> serde::Serialize for Unvalidated<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<T> Validate for Unvalidated<'_, T> {
    fn validate(&self, _v: &mut Validator) {}
}

struct Op {
    name: &'static str,
    /// Input JSON → (Debug of the input, Display of its validation error if any).
    input: fn(&Value) -> Vec<String>,
    /// Output body → Debug of the decoded output.
    output: fn(&[u8]) -> Vec<String>,
    /// Error body → Display, Debug and source chain of the decoded modeled error.
    error: fn(&ErrorMeta, &[u8]) -> Vec<String>,
    /// Send the input to the handle's server; Debug and Display of what comes back.
    send: fn(&Handle, Value) -> futures_like::Boxed,
}

mod futures_like {
    pub type Boxed = std::pin::Pin<Box<dyn std::future::Future<Output = Vec<String>> + Send>>;
}

fn formatted_error<E: std::error::Error>(e: &E) -> Vec<String> {
    let mut out = vec![e.to_string(), format!("{e:?}")];
    let mut source = e.source();
    while let Some(s) = source {
        out.push(s.to_string());
        out.push(format!("{s:?}"));
        source = s.source();
    }
    out
}

macro_rules! ops {
    ($(($op:ident, $module:ident, $input:ident, $output:ident, $error:ident)),* $(,)?) => {
        fn ops() -> Vec<Op> {
            use cognito_idp::operation;
            vec![$({
                static META: OperationMeta = OperationMeta {
                    name: stringify!($op),
                    auth: AuthRequirement::None,
                    request_compression: &[],
                    endpoint_discovery: None,
                    endpoint: cognito_idp::runtime::endpoint::EndpointBindings::NONE,
                };
                Op {
                    name: stringify!($op),
                    input: |v| {
                        let input: operation::$module::$input = serde_json::from_value(v.clone())
                            .unwrap_or_else(|e| panic!("{}: {e}: {v}", stringify!($input)));
                        let mut out = vec![format!("{input:?}")];
                        if let Err(e) = Validator::check(&input) {
                            out.extend(formatted_error(&e));
                        }
                        out
                    },
                    output: |body| {
                        let o: operation::$module::$output = serde_json::from_slice(body).unwrap_or_else(|e| {
                            panic!("{}: {e}: {}", stringify!($output), String::from_utf8_lossy(body))
                        });
                        vec![format!("{o:?}")]
                    },
                    error: |meta, body| match <operation::$module::$error as OperationError>::from_modeled(meta, body) {
                        Some(e) => formatted_error(&e),
                        None => panic!("{}: {} did not decode", stringify!($error), meta.code()),
                    },
                    send: |h, v| {
                        let h = h.clone();
                        Box::pin(async move {
                            let input: operation::$module::$input = serde_json::from_value(v).unwrap();
                            let r = h
                                .invoke::<_, operation::$module::$output, operation::$module::$error>(
                                    &cognito_idp::__private::SERVICE,
                                    &META,
                                    &Unvalidated(&input),
                                )
                                .await;
                            match r {
                                Ok(o) => vec![format!("{o:?}")],
                                Err(e) => formatted_error(&e),
                            }
                        })
                    },
                }
            }),*]
        }
    };
}

ops! {
    (InitiateAuth, initiate_auth, InitiateAuthInput, InitiateAuthOutput, InitiateAuthError),
    (RespondToAuthChallenge, respond_to_auth_challenge, RespondToAuthChallengeInput, RespondToAuthChallengeOutput, RespondToAuthChallengeError),
    (GetUser, get_user, GetUserInput, GetUserOutput, GetUserError),
    (GlobalSignOut, global_sign_out, GlobalSignOutInput, GlobalSignOutOutput, GlobalSignOutError),
    (RevokeToken, revoke_token, RevokeTokenInput, RevokeTokenOutput, RevokeTokenError),
    (SignUp, sign_up, SignUpInput, SignUpOutput, SignUpError),
    (ConfirmSignUp, confirm_sign_up, ConfirmSignUpInput, ConfirmSignUpOutput, ConfirmSignUpError),
    (ForgotPassword, forgot_password, ForgotPasswordInput, ForgotPasswordOutput, ForgotPasswordError),
    (ConfirmForgotPassword, confirm_forgot_password, ConfirmForgotPasswordInput, ConfirmForgotPasswordOutput, ConfirmForgotPasswordError),
    (ChangePassword, change_password, ChangePasswordInput, ChangePasswordOutput, ChangePasswordError),
    (ConfirmDevice, confirm_device, ConfirmDeviceInput, ConfirmDeviceOutput, ConfirmDeviceError),
    (UpdateDeviceStatus, update_device_status, UpdateDeviceStatusInput, UpdateDeviceStatusOutput, UpdateDeviceStatusError),
    (ForgetDevice, forget_device, ForgetDeviceInput, ForgetDeviceOutput, ForgetDeviceError),
    (AssociateSoftwareToken, associate_software_token, AssociateSoftwareTokenInput, AssociateSoftwareTokenOutput, AssociateSoftwareTokenError),
    (VerifySoftwareToken, verify_software_token, VerifySoftwareTokenInput, VerifySoftwareTokenOutput, VerifySoftwareTokenError),
    (GetTokensFromRefreshToken, get_tokens_from_refresh_token, GetTokensFromRefreshTokenInput, GetTokensFromRefreshTokenOutput, GetTokensFromRefreshTokenError),
    (CreateUserPool, create_user_pool, CreateUserPoolInput, CreateUserPoolOutput, CreateUserPoolError),
    (CreateUserPoolClient, create_user_pool_client, CreateUserPoolClientInput, CreateUserPoolClientOutput, CreateUserPoolClientError),
    (AdminCreateUser, admin_create_user, AdminCreateUserInput, AdminCreateUserOutput, AdminCreateUserError),
    (AdminSetUserPassword, admin_set_user_password, AdminSetUserPasswordInput, AdminSetUserPasswordOutput, AdminSetUserPasswordError),
    (AdminGetUser, admin_get_user, AdminGetUserInput, AdminGetUserOutput, AdminGetUserError),
    (DescribeUserPoolClient, describe_user_pool_client, DescribeUserPoolClientInput, DescribeUserPoolClientOutput, DescribeUserPoolClientError),
    (ListUsers, list_users, ListUsersInput, ListUsersOutput, ListUsersError),
    (AdminSetUserMFAPreference, admin_set_user_mfa_preference, AdminSetUserMfaPreferenceInput, AdminSetUserMfaPreferenceOutput, AdminSetUserMfaPreferenceError),
    (AdminDeleteUser, admin_delete_user, AdminDeleteUserInput, AdminDeleteUserOutput, AdminDeleteUserError),
}

/// Members that must be `@sensitive` (so markers land in them): if the model or the generator
/// ever loses one of these, the test says which.
const MUST_BE_SENSITIVE: &[&str] = &[
    "InitiateAuthInput.AuthParameters",
    "InitiateAuthInput.ClientId",
    "RespondToAuthChallengeInput.ChallengeResponses",
    "RespondToAuthChallengeInput.Session",
    "InitiateAuthOutput.Session",
    "InitiateAuthOutput.AuthenticationResult.AccessToken",
    "InitiateAuthOutput.AuthenticationResult.RefreshToken",
    "InitiateAuthOutput.AuthenticationResult.IdToken",
    "SignUpInput.Password",
    "SignUpInput.SecretHash",
    "ChangePasswordInput.PreviousPassword",
    "ChangePasswordInput.ProposedPassword",
    "ChangePasswordInput.AccessToken",
    "ConfirmForgotPasswordInput.Password",
    "AdminSetUserPasswordInput.Password",
    "AdminCreateUserInput.TemporaryPassword",
    "GetTokensFromRefreshTokenInput.RefreshToken",
    "GetTokensFromRefreshTokenInput.ClientSecret",
    "RevokeTokenInput.Token",
    "RevokeTokenInput.ClientSecret",
    "AssociateSoftwareTokenOutput.SecretCode",
    "CreateUserPoolClientOutput.UserPoolClient.ClientSecret",
    "DescribeUserPoolClientOutput.UserPoolClient.ClientSecret",
];

/// Fill shapes: a marker in every string, blob and map key under a sensitive member; plain
/// text elsewhere. Records where the markers went.
fn filler(placed: &mut BTreeSet<String>) -> impl FnMut(&shapes::Slot<'_>, u64) -> String + '_ {
    move |slot, _| {
        if slot.sensitive {
            placed.insert(slot.path.split(['[', '{']).next().unwrap_or("").to_owned());
            marker(slot.path)
        } else if slot.key {
            "key".to_owned()
        } else {
            "plain".to_owned()
        }
    }
}

#[tokio::test]
async fn no_secret_in_debug_display_errors_or_trace_output() {
    let log = trace_log();
    let ops = ops();
    let names: Vec<&str> = ops.iter().map(|o| o.name).collect();
    let ir = shapes::ir(&names);
    assert_eq!(
        ir.operations.len(),
        ops.len(),
        "ops! and the macro's list disagree"
    );
    let shapes = shapes::Shapes::new(&ir);
    let srv = server().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(&srv.url)
        .max_attempts(1)
        .env_vars(Vec::<(String, String)>::new())
        .build()
        .unwrap();
    let handle = Handle::new(config).unwrap();

    let mut placed = BTreeSet::new();
    let mut sent_markers = 0;
    for ir_op in &ir.operations {
        let op = ops
            .iter()
            .find(|o| o.name == ir_op.wire_name)
            .expect("in ops!");
        // Several fillings: unions take a different variant each time.
        for seed in 0..4u64 {
            let mut rng = test_support::fuzz::Rng(seed);
            let mut fill = filler(&mut placed);
            let input = shapes.structure(&ir_op.input.name, &mut rng, true, &mut fill);
            let output = shapes.structure(&ir_op.output.name, &mut rng, true, &mut fill);
            let output_body = serde_json::to_vec(&output).unwrap();
            drop(fill);
            for text in (op.input)(&input) {
                assert_clean(&format!("{} input", op.name), &text);
            }
            for text in (op.output)(&output_body) {
                assert_clean(&format!("{} output", op.name), &text);
            }

            // Errors: sensitive members filled, and the secrets of the request echoed in
            // members the error does not model (a body must never be shown).
            for e in &ir_op.errors {
                let mut fill = filler(&mut placed);
                let mut body = shapes.structure(&e.type_name, &mut rng, true, &mut fill);
                drop(fill);
                if let Value::Object(m) = &mut body {
                    m.insert("message".into(), "plain message".into());
                    m.insert("Password".into(), marker("echoed-password").into());
                    m.insert("Session".into(), marker("echoed-session").into());
                    m.insert("__input".into(), input.clone());
                }
                let body = serde_json::to_vec(&body).unwrap();
                let meta = ErrorMeta::new(
                    400,
                    e.code.clone(),
                    Some("plain message".into()),
                    Some("req-1".into()),
                );
                for text in (op.error)(&meta, &body) {
                    assert_clean(&format!("{} {}", op.name, e.code), &text);
                }
            }

            // Through the runtime: a success carrying secrets, then a modeled error, then an
            // unmodeled one, then a garbled body, each echoing the request's secrets.
            let echo = srv.seen.lock().unwrap().len();
            let mut answers = vec![(200, output_body.clone())];
            if let Some(e) = ir_op.errors.first() {
                answers.push((
                    400,
                    serde_json::to_vec(&serde_json::json!({
                        "__type": e.code, "message": "plain", "Password": marker("echo"), "Echo": input
                    }))
                    .unwrap(),
                ));
            }
            answers.push((
                400,
                serde_json::to_vec(&serde_json::json!({
                    "__type": "UnknownException", "message": "plain", "Token": marker("echo")
                }))
                .unwrap(),
            ));
            answers.push((
                500,
                format!("{{\"Token\": \"{}", marker("garbled")).into_bytes(),
            ));
            for answer in answers {
                *srv.next.lock().unwrap() = answer;
                for text in (op.send)(&handle, input.clone()).await {
                    assert_clean(&format!("{} sent", op.name), &text);
                }
            }
            // The server really received the secrets: the test is not vacuous.
            let seen = srv.seen.lock().unwrap();
            let got_marker = seen[echo..]
                .iter()
                .any(|b| String::from_utf8_lossy(b).contains(MARK));
            if got_marker {
                sent_markers += 1;
            }
        }
    }
    assert!(sent_markers > 0, "no request carried a secret");
    for must in MUST_BE_SENSITIVE {
        assert!(
            placed.contains(*must),
            "{must} got no marker: not @sensitive in the IR? (placed: {placed:#?})"
        );
    }
    let log = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(log.contains("awsjson.call"), "TRACE capture works: {log}");
    assert_clean("TRACE output", &log);
}

/// Hand-written types holding secrets: srp-core's, and (to be added by their owners) the
/// auth flows'. Each entry formats a value whose secrets are `marker(..)` strings.
fn hand_written_types() -> Vec<(&'static str, String)> {
    use srp_core::{DeviceRegistration, PasswordVerifierChallenge, SrpClient, SrpServer, Verifier};
    let password = marker("password");
    let device_password = marker("device-password");
    let secret_block = srp_core::encoding::base64_encode(marker("block").as_bytes());
    let mut out = Vec::new();

    let client = SrpClient::from_known_ephemeral(&[7; 32]).unwrap();
    out.push(("SrpClient", format!("{client:?}")));
    let verifier = Verifier::from_known_salt("0a1b", "Pool", "alice", &password).unwrap();
    out.push(("Verifier", format!("{verifier:?}")));
    let server = SrpServer::from_known_ephemeral(&verifier, &[9; 32]).unwrap();
    out.push(("SrpServer", format!("{server:?}")));
    let challenge = PasswordVerifierChallenge {
        salt: "0a1b",
        srp_b: server.srp_b(),
        secret_block: &secret_block,
    };
    out.push(("PasswordVerifierChallenge", format!("{challenge:?}")));
    let t = srp_core::Timestamp::from_unix_seconds(1_764_152_902).unwrap();
    let claim = client
        .user_password_claim("Pool", "alice", &password, &challenge, &t)
        .unwrap();
    out.push(("PasswordClaim", format!("{claim:?}")));
    let key = client
        .session_key("Pool", "alice", &password, "0a1b", server.srp_b())
        .unwrap();
    out.push(("SessionKey", format!("{key:?}")));
    let device =
        DeviceRegistration::from_known_values("us-east-1_g", "dk", &device_password, &[3; 16])
            .unwrap();
    out.push(("DeviceRegistration", format!("{device:?}")));
    // A wrong password: the error names the problem, not the secret.
    let wrong = verifier_error(&server, &client, &challenge, &t);
    out.push(("SrpError", wrong));

    // Auth flows: the types a caller builds. Those only a sign-in produces (tokens, steps,
    // errors, events) are formatted in `auth_flows_never_print_secrets`.
    use cognito_idp::auth::{
        Authenticator, ConfirmedDevice, PreferredChallenge, RememberedDevice, Secret,
    };
    let secret = Secret::new(marker("secret"));
    out.push(("Secret", format!("{secret:?} {:?}", Some(&secret))));
    let remembered = RememberedDevice {
        device_key: "us-east-1_dev-1".into(),
        device_group_key: "-grp".into(),
        device_password: Secret::new(marker("remembered-device-password")),
    };
    out.push(("RememberedDevice", format!("{remembered:?}")));
    let confirmed = ConfirmedDevice {
        device: remembered.clone(),
        user_confirmation_necessary: true,
        remembered: true,
    };
    out.push(("ConfirmedDevice", format!("{confirmed:?}")));
    for preferred in [
        PreferredChallenge::password(&marker("preferred-password")),
        PreferredChallenge::password_srp(&marker("preferred-srp-password")),
    ] {
        out.push(("PreferredChallenge", format!("{preferred:?}")));
    }
    let config = auth_config(&Arc::new(Mutex::new(Vec::new())), Some(remembered));
    out.push(("AuthConfig", format!("{config:?}")));
    let client = cognito_idp::Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .build()
            .unwrap(),
    )
    .unwrap();
    let auth = Authenticator::new(client, config).unwrap();
    out.push(("Authenticator", format!("{auth:?}")));
    out
}

fn verifier_error(
    server: &srp_core::SrpServer,
    client: &srp_core::SrpClient,
    challenge: &srp_core::PasswordVerifierChallenge<'_>,
    t: &srp_core::Timestamp,
) -> String {
    let claim = client
        .user_password_claim("Pool", "alice", &marker("wrong"), challenge, t)
        .unwrap();
    let block = srp_core::encoding::base64_decode_lenient(challenge.secret_block);
    match server.verify_claim(
        client.srp_a(),
        "Pool",
        "alice",
        &block,
        t.as_str(),
        &claim.signature,
    ) {
        Ok(()) => panic!("a wrong password verified"),
        Err(e) => format!("{e} {e:?}"),
    }
}

#[test]
fn hand_written_types_redact_their_secrets() {
    for (name, text) in hand_written_types() {
        assert_clean(name, &text);
    }
}

/// Zeroization is not observable without reading freed memory (undefined behaviour), so this
/// checks the construction instead: every field of srp-core that holds a secret is wrapped in
/// `Zeroizing`, which wipes it on drop.
#[test]
fn srp_core_secrets_are_held_in_zeroizing_wrappers() {
    let src = |f: &str| {
        std::fs::read_to_string(format!(
            "{}/../srp-core/src/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let (client, server, math) = (src("client.rs"), src("server.rs"), src("math.rs"));
    for (file, text, field) in [
        ("client.rs", &client, "    a: Zeroizing<"),
        ("server.rs", &server, "    b: Zeroizing<"),
        ("server.rs", &server, "    v: Zeroizing<"),
        ("server.rs", &server, "    v_mont: Zeroizing<"),
        ("math.rs", &math, "pub struct SessionKey(Zeroizing<"),
    ] {
        assert!(
            text.contains(field),
            "srp-core/src/{file}: `{}` is not Zeroizing",
            field.trim()
        );
    }
}

// ---- the auth flows, signed in against scripted answers ----------------------------------

/// An app client with a secret, client metadata whose values are markers, the given device,
/// and an observer recording the Debug of every event.
fn auth_config(
    events: &Arc<Mutex<Vec<String>>>,
    device: Option<cognito_idp::auth::RememberedDevice>,
) -> cognito_idp::auth::AuthConfig {
    let events = events.clone();
    cognito_idp::auth::AuthConfig::new("us-east-1_AbC123", "client123")
        .with_client_secret(marker("client-secret"))
        .with_device(device)
        .with_client_metadata([("meta".to_owned(), marker("metadata"))].into())
        .with_observer(move |e| events.lock().unwrap().push(format!("{e:?}")))
}

/// An in-memory HTTP client answering each request with the next scripted response.
#[derive(Default)]
struct Scripted {
    answers: Mutex<std::collections::VecDeque<(u16, Value)>>,
    sent: Mutex<Vec<String>>,
}

impl cognito_idp::runtime::http::HttpClient for Scripted {
    fn send(
        &self,
        request: cognito_idp::runtime::http::HttpRequest,
        _max_body: usize,
    ) -> cognito_idp::runtime::http::BoxFuture<
        '_,
        Result<cognito_idp::runtime::http::HttpResponse, cognito_idp::runtime::http::HttpError>,
    > {
        self.sent
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(request.body()).into_owned());
        let (status, answer) = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .expect("an answer is scripted for every request");
        let mut response = http::Response::builder()
            .status(status)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amzn-requestid", "req-1");
        if let Some(t) = answer.get("__type").and_then(Value::as_str) {
            response = response.header("x-amzn-errortype", t);
        }
        let body = match answer.get("__garbled").and_then(Value::as_str) {
            Some(raw) => raw.as_bytes().to_vec(),
            None => answer.to_string().into_bytes(),
        };
        let response = response.body(body).unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn scripted_authenticator(
    answers: Vec<(u16, Value)>,
    device: Option<cognito_idp::auth::RememberedDevice>,
    events: &Arc<Mutex<Vec<String>>>,
) -> (cognito_idp::auth::Authenticator, Arc<Scripted>) {
    let wire = Arc::new(Scripted::default());
    *wire.answers.lock().unwrap() = answers.into();
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .max_attempts(1)
        .env_vars(Vec::<(String, String)>::new())
        .http_client(wire.clone())
        .build()
        .unwrap();
    let client = cognito_idp::Client::new(config).unwrap();
    let auth = cognito_idp::auth::Authenticator::new(client, auth_config(events, device)).unwrap();
    (auth, wire)
}

/// A challenge answer whose Session is a marker.
fn challenge(name: &str, parameters: Value) -> (u16, Value) {
    (
        200,
        serde_json::json!({
            "ChallengeName": name,
            "Session": marker(&format!("session-{name}")),
            "ChallengeParameters": parameters,
        }),
    )
}

/// Tokens whose every token is a marker, with a new device to confirm.
fn marked_tokens() -> (u16, Value) {
    (
        200,
        serde_json::json!({
            "AuthenticationResult": {
                "AccessToken": marker("access-token"),
                "IdToken": marker("id-token"),
                "RefreshToken": marker("refresh-token"),
                "ExpiresIn": 3600,
                "TokenType": "Bearer",
                "NewDeviceMetadata": {"DeviceKey": "us-east-1_0a1b-2c3d", "DeviceGroupKey": "-grp2"},
            },
            "ChallengeParameters": {},
        }),
    )
}

/// An error response echoing secrets in members no error models.
fn echoing_error(code: &str, message: &str) -> (u16, Value) {
    (
        400,
        serde_json::json!({
            "__type": code, "message": message,
            "Password": marker("echoed-password"), "Session": marker("echoed-session"),
            "AccessToken": marker("echoed-token"), "SECRET_HASH": marker("echoed-hash"),
        }),
    )
}

fn push_result<T: std::fmt::Debug>(
    out: &mut Vec<(String, String)>,
    what: &str,
    r: &Result<T, cognito_idp::auth::AuthError>,
) {
    let text = match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => formatted_error(e).join("\n"),
    };
    out.push((what.to_owned(), text));
}

#[tokio::test]
async fn auth_flows_never_print_secrets() {
    use cognito_idp::auth::{DeviceOptions, MfaType, RememberedDevice, Secret, SignInStep};
    let log = trace_log();
    let events = Arc::new(Mutex::new(Vec::new()));
    let mut out: Vec<(String, String)> = Vec::new();
    let password = marker("password");
    let device = RememberedDevice {
        device_key: "us-east-1_dev-1".into(),
        device_group_key: "-grp".into(),
        device_password: Secret::new(marker("device-password")),
    };

    // USER_SRP_AUTH with a client secret and a remembered device: PASSWORD_VERIFIER, device
    // SRP, tokens; then the new device confirmed, and a refresh.
    let (auth, wire) = scripted_authenticator(
        vec![
            challenge(
                "PASSWORD_VERIFIER",
                serde_json::json!({
                    "SALT": "fa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5", "SRP_B": "9739fd9e9a536c69",
                    "SECRET_BLOCK": srp_core::encoding::base64_encode(marker("block").as_bytes()),
                    "USERNAME": "u1", "USER_ID_FOR_SRP": "u1",
                }),
            ),
            challenge("DEVICE_SRP_AUTH", serde_json::json!({})),
            challenge(
                "DEVICE_PASSWORD_VERIFIER",
                serde_json::json!({
                    "SALT": "9c111111111111111111111111111111", "SRP_B": "1234abcd",
                    "SECRET_BLOCK": srp_core::encoding::base64_encode(marker("device-block").as_bytes()),
                    "USERNAME": "u1",
                }),
            ),
            marked_tokens(),
            (200, serde_json::json!({"UserConfirmationNecessary": false})),
            (200, serde_json::json!({})),
            marked_tokens(),
        ],
        Some(device),
        &events,
    );
    out.push(("Authenticator".into(), format!("{auth:?}")));
    let step = auth.sign_in_srp("u1", &password).await.unwrap();
    out.push(("SignInStep::Done".into(), format!("{step:?}")));
    let tokens = step.done().unwrap();
    out.push(("Tokens".into(), format!("{tokens:?}")));
    let confirmed = auth
        .confirm_device(&tokens, DeviceOptions::remember("laptop"))
        .await
        .unwrap();
    let device_password = confirmed.device.device_password.expose().to_owned();
    out.push(("ConfirmedDevice".into(), format!("{confirmed:?}")));
    out.push(("Authenticator after".into(), format!("{auth:?}")));
    // (these tokens are no JWTs: refresh_tokens finds no username and refuses, which is an
    // error to format too; refresh is then given the username)
    let refused = auth.refresh_tokens(&tokens).await;
    push_result(&mut out, "refresh_tokens error", &refused);
    let fresh = auth
        .refresh(&Secret::new(marker("refresh-in")), Some("u1"))
        .await;
    push_result(&mut out, "refreshed Tokens", &fresh);
    assert!(fresh.is_ok(), "{fresh:?}");
    {
        let sent = wire.sent.lock().unwrap();
        assert!(
            sent.iter().any(|b| b.contains("SECRET_HASH"))
                && sent
                    .iter()
                    .any(|b| b.contains(&marker("session-DEVICE_PASSWORD_VERIFIER"))),
            "the sign-in really used the secret and the sessions: {sent:#?}"
        );
    }

    // Every challenge step, each holding a marker Session.
    let names = [
        "NEW_PASSWORD_REQUIRED",
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
        "EMAIL_OTP",
        "SMS_OTP",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "CUSTOM_CHALLENGE",
        "SELECT_CHALLENGE",
        "BRAND_NEW_CHALLENGE",
    ];
    for name in names {
        let mut answers = vec![challenge(
            name,
            serde_json::json!({
                "USERNAME": "u1", "MFAS_CAN_CHOOSE": "[\"SMS_MFA\"]",
                "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]", "requiredAttributes": "[]",
                "AVAILABLE_CHALLENGES": "[\"PASSWORD\"]",
            }),
        )];
        // What each step's answer then meets.
        match name {
            "MFA_SETUP" => answers.push((
                200,
                serde_json::json!({"SecretCode": marker("totp-secret"), "Session": marker("totp-session")}),
            )),
            _ => answers.push(echoing_error("CodeMismatchException", "Invalid code provided")),
        }
        let (auth, _wire) = scripted_authenticator(answers, None, &events);
        let step = auth.sign_in_password("u1", &password).await.unwrap();
        out.push((format!("SignInStep {name}"), format!("{step:?}")));
        let answered = match &step {
            SignInStep::NewPasswordRequired(c) => {
                out.push(("NewPasswordRequired".into(), format!("{c:?}")));
                c.complete(&marker("new-password")).await
            }
            SignInStep::SmsMfa(c)
            | SignInStep::SoftwareTokenMfa(c)
            | SignInStep::EmailOtp(c)
            | SignInStep::SmsOtp(c) => {
                out.push(("CodeChallenge".into(), format!("{c:?}")));
                c.answer(&marker("code")).await
            }
            SignInStep::SelectMfaType(c) => {
                out.push(("SelectMfaType".into(), format!("{c:?}")));
                c.select(MfaType::from("SMS_MFA")).await
            }
            SignInStep::MfaSetup(c) => {
                out.push(("MfaSetup".into(), format!("{c:?}")));
                let setup = c.associate_software_token().await;
                push_result(&mut out, "TotpSetup", &setup);
                let setup = setup.unwrap();
                out.push((
                    "otpauth_uri".into(),
                    format!("{:?}", setup.otpauth_uri("Issuer", "u1")),
                ));
                continue;
            }
            SignInStep::CustomChallenge(c) => {
                out.push(("CustomChallenge".into(), format!("{c:?}")));
                c.answer(&marker("custom-answer")).await
            }
            SignInStep::SelectChallenge(c) => {
                out.push(("SelectChallenge".into(), format!("{c:?}")));
                c.password(&marker("select-password")).await
            }
            SignInStep::Unknown(c) => {
                out.push(("UnknownChallenge".into(), format!("{c:?}")));
                c.respond([("ANSWER".to_owned(), marker("unknown-answer"))].into())
                    .await
            }
            other => panic!("unexpected step {}", other.name()),
        };
        push_result(&mut out, &format!("answer to {name}"), &answered);
        let not_done = step.done();
        push_result(&mut out, &format!("done() on {name}"), &not_done);
    }

    // Errors: each kind Cognito sends, with secrets echoed in unmodeled members; an unmodeled
    // error; a garbled body; a malformed SRP_B.
    let errors = [
        echoing_error("NotAuthorizedException", "Incorrect username or password."),
        echoing_error(
            "NotAuthorizedException",
            "Unable to verify secret hash for client",
        ),
        echoing_error("NotAuthorizedException", "Invalid session for the user."),
        echoing_error("NotAuthorizedException", "Invalid Refresh Token"),
        echoing_error("UserNotFoundException", "User does not exist."),
        echoing_error("ResourceNotFoundException", "Device does not exist."),
        echoing_error("InvalidParameterException", "bad parameter"),
        echoing_error("InvalidPasswordException", "policy"),
        echoing_error("UnknownBrandNewException", "plain"),
        (
            500,
            serde_json::json!({"__garbled": format!("{{\"Token\": \"{}", marker("garbled"))}),
        ),
    ];
    for answer in errors {
        let (auth, _wire) = scripted_authenticator(vec![answer], None, &events);
        let r = auth.sign_in_password("u1", &password).await;
        push_result(&mut out, "sign-in error", &r);
    }
    let (auth, _wire) = scripted_authenticator(
        vec![challenge(
            "PASSWORD_VERIFIER",
            serde_json::json!({"SALT": "0a1b", "SRP_B": "00", "SECRET_BLOCK": marker("block"),
                               "USERNAME": "u1", "USER_ID_FOR_SRP": "u1"}),
        )],
        None,
        &events,
    );
    let r = auth.sign_in_srp("u1", &password).await;
    push_result(&mut out, "SRP error", &r);

    for (what, text) in &out {
        assert_clean(what, text);
        assert!(
            !text.contains(&device_password),
            "{what} leaks the new device password:\n{text}"
        );
    }
    let events = events.lock().unwrap();
    assert!(
        events.iter().any(|e| e.contains("PasswordClaim"))
            && events.iter().any(|e| e.contains("DeviceConfirmed")),
        "the observer saw the sign-in: {events:#?}"
    );
    for e in events.iter() {
        assert_clean("AuthEvent", e);
        assert!(
            !e.contains(&device_password),
            "AuthEvent leaks the device password: {e}"
        );
    }
    let log = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(log.contains("sign-in step"), "TRACE capture works: {log}");
    assert_clean("TRACE output", &log);
    assert!(
        !log.contains(&device_password),
        "TRACE output leaks the device password"
    );
}
