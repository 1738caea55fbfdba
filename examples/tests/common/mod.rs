//! Shared by the end-to-end tests against the in-process emulator: setup through the
//! generated admin operations, an RFC 6238 TOTP code (as an authenticator app computes it),
//! and event capture.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use cognito_emulator::Emulator;
use cognito_idp::auth::{AuthConfig, AuthEvent, Authenticator, RememberedDevice, Secret};
use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::{
    AttributeType, AuthFactorType, DeviceConfigurationType, ExplicitAuthFlowsType,
    MessageActionType, SchemaAttributeType, SignInPolicyType, UserPoolMfaType, UserPoolPolicyType,
    UsernameAttributeType,
};
use cognito_idp::Client;

pub const PASSWORD: &str = "Passw0rd-Rust";

pub async fn emulator() -> Emulator {
    Emulator::start("127.0.0.1:0")
        .await
        .expect("start the emulator")
}

pub fn client(url: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new("AKIDTEST", "testing", None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

#[derive(Clone, Default)]
pub struct PoolSpec {
    pub secret: bool,
    pub email_username: bool,
    pub mfa: Option<UserPoolMfaType>,
    pub devices: bool,
    pub required: Vec<&'static str>,
    /// USER_AUTH first factors PASSWORD and EMAIL_OTP (the default is PASSWORD only).
    pub email_otp: bool,
    /// ExplicitAuthFlows; empty = all.
    pub flows: Vec<ExplicitAuthFlowsType>,
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub url: String,
    pub id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

pub fn all_flows() -> Vec<ExplicitAuthFlowsType> {
    vec![
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ExplicitAuthFlowsType::AllowCustomAuth,
        ExplicitAuthFlowsType::AllowUserAuth,
    ]
}

pub async fn pool(url: &str, spec: PoolSpec) -> Pool {
    let admin = client(url);
    let mut req = admin.create_user_pool().pool_name("e2e");
    if spec.email_username {
        req = req.username_attributes(UsernameAttributeType::Email);
    }
    if let Some(mfa) = spec.mfa.clone() {
        req = req.mfa_configuration(mfa);
    }
    if spec.email_otp {
        req = req.policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .set_allowed_first_auth_factors(Some(vec![
                            AuthFactorType::Password,
                            AuthFactorType::EmailOtp,
                        ]))
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        );
    }
    if spec.devices {
        req = req.device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(true)
                .build()
                .unwrap(),
        );
    }
    if !spec.required.is_empty() {
        req = req.set_schema(Some(
            spec.required
                .iter()
                .map(|name| {
                    SchemaAttributeType::builder()
                        .name(*name)
                        .required(true)
                        .mutable(true)
                        .build()
                        .unwrap()
                })
                .collect::<Vec<_>>(),
        ));
    }
    let id = req
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let flows = if spec.flows.is_empty() {
        all_flows()
    } else {
        spec.flows.clone()
    };
    let c = admin
        .create_user_pool_client()
        .user_pool_id(id.clone())
        .client_name("app")
        .generate_secret(spec.secret)
        .set_explicit_auth_flows(Some(flows))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    Pool {
        url: url.to_owned(),
        id,
        client_id: c.client_id.expect("client id"),
        client_secret: c.client_secret,
    }
}

/// A user; `temporary` leaves it in FORCE_CHANGE_PASSWORD.
pub async fn user(pool: &Pool, username: &str, attributes: &[(&str, &str)], temporary: bool) {
    let admin = client(&pool.url);
    let mut req = admin
        .admin_create_user()
        .user_pool_id(pool.id.clone())
        .username(username)
        .message_action(MessageActionType::Suppress)
        .temporary_password(PASSWORD);
    if !attributes.is_empty() {
        req = req.set_user_attributes(Some(
            attributes
                .iter()
                .map(|(n, v)| AttributeType {
                    name: (*n).to_owned(),
                    value: Some((*v).to_owned()),
                })
                .collect::<Vec<_>>(),
        ));
    }
    req.send().await.expect("AdminCreateUser");
    if !temporary {
        admin
            .admin_set_user_password()
            .user_pool_id(pool.id.clone())
            .username(username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
    }
}

pub type Events = Arc<Mutex<Vec<AuthEvent>>>;

/// An authenticator for the pool (with its secret, if any), recording every event.
pub fn auth(pool: &Pool, device: Option<RememberedDevice>) -> (Authenticator, Events) {
    let events: Events = Arc::default();
    let sink = events.clone();
    let config = AuthConfig::new(&pool.id, &pool.client_id)
        .with_optional_client_secret(pool.client_secret.clone().map(Secret::new))
        .with_device(device)
        .with_observer(move |e| sink.lock().unwrap().push(e.clone()));
    let auth = Authenticator::new(client(&pool.url), config).expect("authenticator");
    (auth, events)
}

/// Challenge names seen, in order.
pub fn challenges(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            AuthEvent::Challenge { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// USERNAMEs sent in challenge answers, in order.
pub fn answered_as(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            AuthEvent::Respond { username, .. } => Some(username.clone()),
            _ => None,
        })
        .collect()
}

/// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) for a base32 secret at a Unix time, with the
/// same crate the emulator uses (`totp-rs`).
pub fn totp(secret_base32: &str, unix: u64) -> String {
    use totp_rs::{Algorithm, Secret, TOTP};
    let key = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .unwrap_or_else(|e| panic!("not base32: {secret_base32:?}: {e:?}"));
    TOTP::new(Algorithm::SHA1, 6, 1, 30, key)
        .expect("a TOTP secret of at least 128 bits")
        .generate(unix)
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn totp_matches_rfc_6238() {
    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits there; 6 here
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(totp(secret, 59), "287082");
    assert_eq!(totp(secret, 1_111_111_109), "081804");
}
