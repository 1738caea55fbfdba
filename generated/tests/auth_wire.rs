//! The sign-in flows on the wire, with scripted answers from an in-memory HTTP client: exactly
//! which USERNAME, SECRET_HASH, DEVICE_KEY and Session each request carries, and how unusual
//! answers (moto's, future challenges) are read.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use cognito_idp::auth::{
    AuthConfig, AuthError, Authenticator, MfaType, RememberedDevice, Secret, SignInStep,
};
use cognito_idp::runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use cognito_idp::runtime::Config;
use cognito_idp::Client;
use serde_json::{json, Value};

const POOL: &str = "us-east-1_AbC123";
const CLIENT: &str = "client123";
const SECRET: &str = "s3cr3t";
const SESSION: &str = "SESSION-VALUE-1-0123456789";

struct Scripted {
    answers: Mutex<VecDeque<(u16, Value)>>,
    seen: Mutex<Vec<(String, Value)>>,
}

impl HttpClient for Scripted {
    fn send(
        &self,
        request: HttpRequest,
        _max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let target = request
            .headers()
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .trim_start_matches("AWSCognitoIdentityProviderService.")
            .to_owned();
        let body: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
        self.seen.lock().unwrap().push((target, body));
        let (status, answer) = self
            .answers
            .lock()
            .unwrap()
            .pop_front()
            .expect("an answer is scripted for every request");
        let mut response = http::Response::builder()
            .status(status)
            .header("content-type", "application/x-amz-json-1.1");
        if let Some(t) = answer.get("__type").and_then(Value::as_str) {
            response = response.header("x-amzn-errortype", t);
        }
        let response = response.body(answer.to_string().into_bytes()).unwrap();
        Box::pin(async move { Ok(response) })
    }
}

struct Harness {
    auth: Authenticator,
    wire: Arc<Scripted>,
}

impl Harness {
    fn new(secret: bool, device: Option<RememberedDevice>, answers: Vec<(u16, Value)>) -> Self {
        let wire = Arc::new(Scripted {
            answers: Mutex::new(answers.into()),
            seen: Mutex::new(Vec::new()),
        });
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .max_attempts(1)
            .http_client(wire.clone())
            .build()
            .unwrap();
        let mut auth_config = AuthConfig::new(POOL, CLIENT).with_device(device);
        if secret {
            auth_config = auth_config.with_client_secret(SECRET);
        }
        Harness {
            auth: Authenticator::new(Client::new(config).unwrap(), auth_config).unwrap(),
            wire,
        }
    }

    /// (operation, parameters map: AuthParameters or ChallengeResponses, whole body)
    fn requests(&self) -> Vec<(String, HashMap<String, String>, Value)> {
        self.wire
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|(op, body)| {
                let params = body
                    .get("AuthParameters")
                    .or_else(|| body.get("ChallengeResponses"))
                    .and_then(|m| serde_json::from_value(m.clone()).ok())
                    .unwrap_or_default();
                (op.clone(), params, body.clone())
            })
            .collect()
    }
}

fn hash(username: &str) -> String {
    srp_core::secret_hash(SECRET, username, CLIENT)
}

fn verifier(params: Value) -> (u16, Value) {
    let mut p = json!({
        "SALT": "fa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5",
        "SRP_B": "9739fd9e9a536c69",
        "SECRET_BLOCK": "3b241101-e2bb-4255-8caf-4136c566a962",
    });
    for (k, v) in params.as_object().unwrap() {
        p[k] = v.clone();
    }
    (
        200,
        json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": SESSION, "ChallengeParameters": p}),
    )
}

fn tokens(refresh: bool) -> (u16, Value) {
    let mut result = json!({"AccessToken": "a.b.c", "IdToken": "i.d.t", "ExpiresIn": 3600, "TokenType": "Bearer"});
    if refresh {
        result["RefreshToken"] = json!("refresh-1");
    }
    (
        200,
        json!({"AuthenticationResult": result, "ChallengeParameters": {}}),
    )
}

fn device() -> RememberedDevice {
    RememberedDevice {
        device_key: "us-east-1_dev-1".into(),
        device_group_key: "-grp".into(),
        device_password: Secret::new("device-password"),
    }
}

#[tokio::test]
async fn secret_hash_follows_the_username_of_each_request() {
    let h = Harness::new(
        true,
        None,
        vec![
            verifier(json!({"USERNAME": "internal-1", "USER_ID_FOR_SRP": "sub-uuid-1"})),
            tokens(true),
        ],
    );
    h.auth
        .sign_in_srp("alias@example.com", "pw")
        .await
        .unwrap()
        .done()
        .unwrap();
    let r = h.requests();
    assert_eq!(r[0].0, "InitiateAuth");
    assert_eq!(r[0].2["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(r[0].1["USERNAME"], "alias@example.com");
    assert_eq!(r[0].1["SECRET_HASH"], hash("alias@example.com"));
    assert!(!r[0].1["SRP_A"].is_empty());
    assert_eq!(r[1].0, "RespondToAuthChallenge");
    assert_eq!(r[1].2["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(r[1].2["Session"], SESSION);
    // challenge USERNAME wins over USER_ID_FOR_SRP (moto's sub), and SECRET_HASH follows it
    assert_eq!(r[1].1["USERNAME"], "internal-1");
    assert_eq!(r[1].1["SECRET_HASH"], hash("internal-1"));
    // the UUID secret block (moto) is echoed unchanged
    assert_eq!(
        r[1].1["PASSWORD_CLAIM_SECRET_BLOCK"],
        "3b241101-e2bb-4255-8caf-4136c566a962"
    );
    let ts = &r[1].1["TIMESTAMP"];
    assert!(srp_core::Timestamp::parse(ts).is_ok(), "{ts}");
    assert!(!r[1].1.contains_key("DEVICE_KEY"));
}

#[tokio::test]
async fn without_a_challenge_username_user_id_for_srp_is_sent() {
    let h = Harness::new(
        true,
        None,
        vec![
            verifier(json!({"USER_ID_FOR_SRP": "internal-2"})),
            (
                200,
                json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "SESSION-2-0123456789abcdef", "ChallengeParameters": {}}),
            ),
            tokens(true),
        ],
    );
    let step = h.auth.sign_in_srp("typed", "pw").await.unwrap();
    let SignInStep::SoftwareTokenMfa(mfa) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(mfa.username(), "internal-2");
    mfa.answer(" 123456 ").await.unwrap().done().unwrap();
    let r = h.requests();
    assert_eq!(r[1].1["USERNAME"], "internal-2");
    // the internal name is kept for later challenges, with the newest session
    assert_eq!(r[2].2["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(r[2].2["Session"], "SESSION-2-0123456789abcdef");
    assert_eq!(r[2].1["USERNAME"], "internal-2");
    assert_eq!(r[2].1["SECRET_HASH"], hash("internal-2"));
    assert_eq!(r[2].1["SOFTWARE_TOKEN_MFA_CODE"], "123456");
}

#[tokio::test]
async fn device_key_goes_everywhere_and_device_srp_is_answered() {
    let d = device();
    let h = Harness::new(
        true,
        Some(d.clone()),
        vec![
            verifier(json!({"USERNAME": "u1", "USER_ID_FOR_SRP": "u1"})),
            (
                200,
                json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "SESSION-2-0123456789abcdef", "ChallengeParameters": {}}),
            ),
            (
                200,
                json!({"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": "SESSION-3-0123456789abcdef", "ChallengeParameters": {
                    "SALT": "9c111111111111111111111111111111", "SRP_B": "1234abcd",
                    "SECRET_BLOCK": "AAECAwQF", "USERNAME": "u1"}}),
            ),
            tokens(false),
            tokens(false),
        ],
    );
    let t = h
        .auth
        .sign_in_srp("u1", "pw")
        .await
        .unwrap()
        .done()
        .unwrap();
    assert!(t.refresh_token().is_none());
    let r = h.requests();
    for (op, params, _) in &r {
        assert_eq!(params["DEVICE_KEY"], d.device_key, "{op}");
        assert_eq!(params["SECRET_HASH"], hash("u1"), "{op}");
    }
    assert_eq!(r[2].2["ChallengeName"], "DEVICE_SRP_AUTH");
    assert!(!r[2].1["SRP_A"].is_empty());
    assert_ne!(
        r[2].1["SRP_A"], r[0].1["SRP_A"],
        "a fresh ephemeral for the device"
    );
    assert_eq!(r[3].2["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert_eq!(r[3].2["Session"], "SESSION-3-0123456789abcdef");
    assert_eq!(r[3].1["PASSWORD_CLAIM_SECRET_BLOCK"], "AAECAwQF");

    // refresh: REFRESH_TOKEN, DEVICE_KEY, SECRET_HASH over the given username, no USERNAME
    let fresh = h
        .auth
        .refresh(&Secret::new("refresh-0"), Some("u1"))
        .await
        .unwrap();
    assert_eq!(fresh.refresh_token().unwrap().expose(), "refresh-0");
    let r = h.requests();
    let (op, params, body) = r.last().unwrap();
    assert_eq!(op, "InitiateAuth");
    assert_eq!(body["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(params["REFRESH_TOKEN"], "refresh-0");
    assert_eq!(params["DEVICE_KEY"], d.device_key);
    assert_eq!(params["SECRET_HASH"], hash("u1"));
    assert!(!params.contains_key("USERNAME"));
}

#[tokio::test]
async fn a_forgotten_device_is_dropped_and_the_sign_in_retried_once() {
    let h = Harness::new(
        false,
        Some(device()),
        vec![
            verifier(json!({"USERNAME": "u1", "USER_ID_FOR_SRP": "u1"})),
            (
                400,
                json!({"__type": "ResourceNotFoundException", "message": "Device does not exist."}),
            ),
            verifier(json!({"USERNAME": "u1", "USER_ID_FOR_SRP": "u1"})),
            tokens(true),
        ],
    );
    h.auth
        .sign_in_srp("u1", "pw")
        .await
        .unwrap()
        .done()
        .unwrap();
    assert!(h.auth.remembered_device().is_none());
    let r = h.requests();
    assert_eq!(r.len(), 4);
    assert!(r[0].1.contains_key("DEVICE_KEY") && r[1].1.contains_key("DEVICE_KEY"));
    assert_eq!(r[2].0, "InitiateAuth");
    assert!(!r[2].1.contains_key("DEVICE_KEY"));
    assert!(!r[3].1.contains_key("DEVICE_KEY"));
}

#[tokio::test]
async fn unknown_challenges_are_surfaced_with_their_parameters() {
    let h = Harness::new(
        true,
        None,
        vec![
            (
                200,
                json!({"ChallengeName": "BRAND_NEW_CHALLENGE", "Session": SESSION,
                       "ChallengeParameters": {"USERNAME": "u9", "HINT": "x"}}),
            ),
            tokens(true),
        ],
    );
    let step = h.auth.sign_in_password("u9", "pw").await.unwrap();
    let SignInStep::Unknown(u) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(u.name, "BRAND_NEW_CHALLENGE");
    assert_eq!(u.parameters["HINT"], "x");
    let dbg = format!("{u:?}");
    assert!(!dbg.contains(SESSION), "{dbg}");
    u.respond(
        [("ANSWER".to_owned(), "y".to_owned())]
            .into_iter()
            .collect(),
    )
    .await
    .unwrap()
    .done()
    .unwrap();
    let r = h.requests();
    assert_eq!(r[0].1["PASSWORD"], "pw");
    assert_eq!(r[1].2["ChallengeName"], "BRAND_NEW_CHALLENGE");
    assert_eq!(r[1].1["ANSWER"], "y");
    assert_eq!(r[1].1["USERNAME"], "u9");
    assert_eq!(r[1].1["SECRET_HASH"], hash("u9"));
}

#[tokio::test]
async fn list_parameters_in_json_and_python_form() {
    let h = Harness::new(
        false,
        None,
        vec![
            (
                200,
                json!({"ChallengeName": "SELECT_MFA_TYPE", "Session": "SESSION-4-0123456789abcdef",
                       "ChallengeParameters": {"MFAS_CAN_CHOOSE": "['SMS_MFA', 'SOFTWARE_TOKEN_MFA']", "USERNAME": "u"}}),
            ),
            (
                200,
                json!({"ChallengeName": "MFA_SETUP", "Session": "SESSION-4-0123456789abcdef",
                       "ChallengeParameters": {"MFAS_CAN_SETUP": ["SOFTWARE_TOKEN_MFA"]}}),
            ),
            (
                200,
                json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "SESSION-4-0123456789abcdef",
                       "ChallengeParameters": {
                           "requiredAttributes": "[\"userAttributes.name\"]",
                           "userAttributes": "{\"email\":\"u@e.c\",\"email_verified\":\"true\"}"}}),
            ),
            tokens(true),
        ],
    );
    let step = h.auth.sign_in_password("u", "pw").await.unwrap();
    let SignInStep::SelectMfaType(select) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(select.options, [MfaType::Sms, MfaType::SoftwareToken]);
    let step = h.auth.sign_in_password("u", "pw").await.unwrap();
    let SignInStep::MfaSetup(setup) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(setup.options, [MfaType::SoftwareToken]);
    let step = h.auth.sign_in_password("u", "pw").await.unwrap();
    let SignInStep::NewPasswordRequired(np) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(np.required_attributes, ["name"]);
    assert_eq!(np.current_attributes["email"], "u@e.c");
    np.complete_with_attributes("new-pw", [("name", "U")])
        .await
        .unwrap()
        .done()
        .unwrap();
    let r = h.requests();
    let last = &r.last().unwrap().1;
    assert_eq!(last["NEW_PASSWORD"], "new-pw");
    assert_eq!(last["userAttributes.name"], "U");
    assert!(
        !last.contains_key("userAttributes.email"),
        "read-only attributes not echoed"
    );
}

#[tokio::test]
async fn service_and_transport_errors() {
    let h = Harness::new(
        false,
        None,
        vec![
            (
                400,
                json!({"__type": "InvalidParameterException",
                       "message": "USER_PASSWORD_AUTH flow not enabled for this client"}),
            ),
            (
                400,
                json!({"__type": "NotAuthorizedException", "message": "Password attempts exceeded"}),
            ),
            (
                400,
                json!({"__type": "PasswordResetRequiredException", "message": "Password reset required for the user"}),
            ),
            (200, json!({})),
        ],
    );
    let err = h.auth.sign_in_password("u", "pw").await.unwrap_err();
    match &err {
        AuthError::FlowNotEnabled { flow, source } => {
            assert_eq!(flow, "USER_PASSWORD_AUTH");
            assert_eq!(source.code(), "InvalidParameterException");
            assert_eq!(source.operation(), "InitiateAuth");
        }
        other => panic!("{other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
    let err = h.auth.sign_in_password("u", "pw").await.unwrap_err();
    assert!(
        matches!(err, AuthError::TooManyFailedAttempts(_)),
        "{err:?}"
    );
    let err = h.auth.sign_in_password("u", "pw").await.unwrap_err();
    assert!(
        matches!(err, AuthError::PasswordResetRequired(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("password reset is required"));
    // moto's CUSTOM_AUTH answers {}: neither tokens nor a challenge
    let err = h.auth.sign_in_custom("u", None).await.unwrap_err();
    assert!(
        matches!(err, AuthError::UnexpectedResponse { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("CUSTOM_AUTH"), "{err}");
}

#[tokio::test]
async fn user_auth_sms_otp_preferred_and_selected() {
    let h = Harness::new(
        true,
        None,
        vec![
            (
                200,
                json!({"ChallengeName": "SMS_OTP", "Session": SESSION, "ChallengeParameters": {
                    "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******1234",
                    "USERNAME": "u7"}}),
            ),
            tokens(true),
            (
                200,
                json!({"ChallengeName": "SELECT_CHALLENGE", "Session": SESSION,
                       "AvailableChallenges": ["PASSWORD_SRP", "SMS_OTP", "WEB_AUTHN"],
                       "ChallengeParameters": {"USERNAME": "u7"}}),
            ),
            (
                200,
                json!({"ChallengeName": "SMS_OTP", "Session": SESSION, "ChallengeParameters": {}}),
            ),
            tokens(true),
        ],
    );
    let step = h
        .auth
        .sign_in_user_auth(
            "+15550001234",
            Some(cognito_idp::auth::PreferredChallenge::SmsOtp),
        )
        .await
        .unwrap();
    let SignInStep::SmsOtp(otp) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(otp.destination.as_deref(), Some("+*******1234"));
    otp.answer("111222").await.unwrap().done().unwrap();

    let step = h
        .auth
        .sign_in_user_auth("+15550001234", None)
        .await
        .unwrap();
    let SignInStep::SelectChallenge(select) = step else {
        panic!("{}", step.name())
    };
    assert_eq!(select.available, ["PASSWORD_SRP", "SMS_OTP", "WEB_AUTHN"]);
    let step = select.sms_otp().await.unwrap();
    let SignInStep::SmsOtp(otp) = step else {
        panic!("{}", step.name())
    };
    otp.answer("333444").await.unwrap().done().unwrap();

    let r = h.requests();
    assert_eq!(r[0].2["AuthFlow"], "USER_AUTH");
    assert_eq!(r[0].1["PREFERRED_CHALLENGE"], "SMS_OTP");
    assert_eq!(r[0].1["SECRET_HASH"], hash("+15550001234"));
    assert_eq!(r[1].2["ChallengeName"], "SMS_OTP");
    assert_eq!(r[1].1["SMS_OTP_CODE"], "111222");
    assert_eq!(r[1].1["SECRET_HASH"], hash("u7"));
    assert!(!r[2].1.contains_key("PREFERRED_CHALLENGE"));
    assert_eq!(r[3].2["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(r[3].1["ANSWER"], "SMS_OTP");
    assert_eq!(r[4].1["SMS_OTP_CODE"], "333444");
}

#[test]
fn configuration_and_devices_never_print_secrets() {
    let config = AuthConfig::new(POOL, CLIENT)
        .with_client_secret("top-secret-value")
        .with_device(Some(device()));
    let text = format!("{config:?}");
    assert!(!text.contains("top-secret-value"), "{text}");
    assert!(!text.contains("device-password"), "{text}");
    assert!(
        text.contains(CLIENT) && text.contains("us-east-1_dev-1"),
        "{text}"
    );
}

#[test]
fn sign_in_futures_and_steps_can_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Authenticator>();
    send_sync::<SignInStep>();
    send_sync::<AuthError>();
    send_sync::<cognito_idp::auth::Tokens>();
    let h = Harness::new(false, None, vec![]);
    send(&h.auth.sign_in_srp("u", "p"));
    send(&h.auth.sign_in_password("u", "p"));
    send(&h.auth.sign_in_custom("u", Some("p")));
    send(&h.auth.sign_in_user_auth("u", None));
    send(&h.auth.refresh(&Secret::new("r"), None));
}
