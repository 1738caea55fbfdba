//! Fuzzing the emulator's request handling (stable harness, issue 8). A real session of every
//! operation is recorded first: setup calls, InitiateAuth for each flow, RespondToAuthChallenge
//! for each challenge, devices, MFA, password self-service, sign-out. Each case then takes one
//! recorded request, damages its `X-Amz-Target` and/or its JSON body (type confusions,
//! missing and extra members, huge strings, deep nesting, invalid UTF-8, bad hex and base64,
//! sessions, secret blocks and tokens replayed from elsewhere in the session) and sends it
//! through `Emulator::handle_json`, the code the HTTP layer runs after reading the body.
//! Every answer must be 200 or a Cognito error (4xx with a JSON `__type`), never a panic, a
//! 500 or a hang.
//!
//! `cargo test -p cognito-emulator --test fuzz_requests` runs a smoke pass (2,000 cases);
//! `FUZZ_CASES=1000000` (or `scripts/fuzz.sh emulator`) the full one. The emulator's state
//! carries over from case to case (as it would for a server), so `FUZZ_CASE=<n>` replays a case
//! against the freshly recorded state only; `FUZZ_START=<n>` runs from case n on.

use std::sync::Arc;

use cognito_emulator::{Emulator, FixedAnswer};
use serde_json::{json, Map, Value};
use test_support::fuzz::{Choices, Rng};

const PREFIX: &str = "AWSCognitoIdentityProviderService.";
const PASSWORD: &str = "Passw0rd!";

/// The recorded session: every request sent (operation, body) and every string seen in
/// requests and responses (the replay dictionary).
struct Recorder<'a> {
    emu: &'a Emulator,
    requests: Vec<(String, Value)>,
    strings: Vec<String>,
    failed: Vec<String>,
    /// Session value -> index of the request whose answer carried it.
    sessions: Vec<(String, usize)>,
    /// For each request with a Session: the request that issued it.
    origin: Vec<Option<usize>>,
}

impl Recorder<'_> {
    fn call(&mut self, op: &str, body: Value) -> Value {
        let (status, out) = self
            .emu
            .handle_json(&format!("{PREFIX}{op}"), body.to_string().as_bytes());
        let out: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
        if status != 200 {
            self.failed.push(format!("{op}: {status} {out}"));
        }
        collect_strings(&body, &mut self.strings);
        collect_strings(&out, &mut self.strings);
        let origin = body["Session"].as_str().and_then(|sent| {
            self.sessions
                .iter()
                .find(|(issued, _)| issued == sent)
                .map(|(_, i)| *i)
        });
        self.origin.push(origin);
        if let Some(session) = out["Session"].as_str() {
            self.sessions
                .push((session.to_owned(), self.requests.len()));
        }
        self.requests.push((op.to_owned(), body));
        out
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.len() > 3 => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(m) => m.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// USER_SRP_AUTH up to the PASSWORD_VERIFIER answer (sent); returns its output.
fn srp_login(
    r: &mut Recorder<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    extra: &[(&str, &str)],
) -> Value {
    let srp = srp_core::SrpClient::new().unwrap();
    let mut params = json!({"USERNAME": username, "SRP_A": srp.srp_a()});
    for (k, v) in extra {
        params[*k] = json!(v);
    }
    let init = r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": params}),
    );
    let p = &init["ChallengeParameters"];
    let now = srp_core::Timestamp::now().unwrap();
    let claim = srp.user_password_claim(
        srp_core::pool_name(pool_id).unwrap_or("x"),
        &s(&p["USER_ID_FOR_SRP"]),
        PASSWORD,
        &srp_core::PasswordVerifierChallenge {
            salt: &s(&p["SALT"]),
            srp_b: &s(&p["SRP_B"]),
            secret_block: &s(&p["SECRET_BLOCK"]),
        },
        &now,
    );
    let Ok(claim) = claim else {
        return Value::Null;
    };
    let mut responses = json!({"USERNAME": s(&p["USERNAME"]),
        "PASSWORD_CLAIM_SECRET_BLOCK": claim.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": claim.signature, "TIMESTAMP": claim.timestamp});
    for (k, v) in extra {
        if *k != "SRP_A" {
            responses[*k] = json!(v);
        }
    }
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
               "Session": init["Session"], "ChallengeResponses": responses}),
    )
}

fn password_login(r: &mut Recorder<'_>, client_id: &str, username: &str, password: &str) -> Value {
    r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
    )
}

type Recorded = (Vec<(String, Value)>, Vec<Option<usize>>, Vec<String>);

fn record(emu: &Emulator) -> Recorded {
    emu.set_custom_auth(Arc::new(FixedAnswer::new("42")));
    let mut r = Recorder {
        emu,
        requests: Vec::new(),
        strings: Vec::new(),
        failed: Vec::new(),
        sessions: Vec::new(),
        origin: Vec::new(),
    };
    let flows = json!([
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH"
    ]);
    let policy = json!({"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": true,
        "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": false}});

    // Setup.
    let out = r.call(
        "CreateUserPool",
        json!({"PoolName": "fuzz", "Policies": policy, "MfaConfiguration": "OPTIONAL",
               "AutoVerifiedAttributes": ["email"],
               "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true,
                                       "DeviceOnlyRememberedOnUserPrompt": true}}),
    );
    let pool_id = s(&out["UserPool"]["Id"]);
    let out = r.call(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "app", "ExplicitAuthFlows": flows}),
    );
    let cid = s(&out["UserPoolClient"]["ClientId"]);
    let out = r.call(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "secret", "GenerateSecret": true,
               "ExplicitAuthFlows": flows, "PreventUserExistenceErrors": "ENABLED"}),
    );
    let cid2 = s(&out["UserPoolClient"]["ClientId"]);
    let secret = s(&out["UserPoolClient"]["ClientSecret"]);
    r.call("DescribeUserPool", json!({"UserPoolId": pool_id}));
    r.call(
        "DescribeUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientId": cid2}),
    );
    r.call("ListUserPools", json!({"MaxResults": 10}));
    let pool = |r: &mut Recorder<'_>, name: &str, extra: Value| {
        let mut body = json!({"PoolName": name, "Policies": policy});
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            body[k] = v;
        }
        s(&r.call("CreateUserPool", body)["UserPool"]["Id"])
    };
    let email_pool = pool(
        &mut r,
        "email",
        json!({"UsernameAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": false},
               "Schema": [{"Name": "email", "Required": true}]}),
    );

    for name in ["alice", "bob", "erin", "gone", "out"] {
        r.call(
            "AdminCreateUser",
            json!({"UserPoolId": pool_id, "Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")},
                                      {"Name": "email_verified", "Value": "true"}]}),
        );
        r.call(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool_id, "Username": name, "Password": PASSWORD, "Permanent": true}),
        );
    }
    r.call(
        "AdminGetUser",
        json!({"UserPoolId": pool_id, "Username": "alice"}),
    );
    r.call(
        "ListUsers",
        json!({"UserPoolId": pool_id, "Filter": "username = \"alice\"", "Limit": 5}),
    );
    r.call(
        "ListUsers",
        json!({"UserPoolId": pool_id, "Filter": "email ^= \"b\"", "AttributesToGet": ["email"]}),
    );
    r.call(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": pool_id, "Username": "alice",
               "UserAttributes": [{"Name": "name", "Value": "Alice"}]}),
    );
    r.call(
        "AdminDisableUser",
        json!({"UserPoolId": pool_id, "Username": "gone"}),
    );
    r.call(
        "AdminEnableUser",
        json!({"UserPoolId": pool_id, "Username": "gone"}),
    );
    r.call(
        "AdminDeleteUser",
        json!({"UserPoolId": pool_id, "Username": "gone"}),
    );

    // Sign-up.
    r.call(
        "SignUp",
        json!({"ClientId": cid, "Username": "carol", "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": "carol@example.com"}]}),
    );
    r.call(
        "ResendConfirmationCode",
        json!({"ClientId": cid, "Username": "carol"}),
    );
    let code = emu.last_code(&pool_id, "carol").unwrap_or_default();
    r.call(
        "ConfirmSignUp",
        json!({"ClientId": cid, "Username": "carol", "ConfirmationCode": code}),
    );
    r.call(
        "SignUp",
        json!({"ClientId": cid2, "Username": "dan", "Password": PASSWORD,
               "SecretHash": srp_core::secret_hash(&secret, "dan", &cid2),
               "UserAttributes": [{"Name": "email", "Value": "dan@example.com"}]}),
    );
    r.call(
        "AdminConfirmSignUp",
        json!({"UserPoolId": pool_id, "Username": "dan"}),
    );
    r.call(
        "AdminCreateUser",
        json!({"UserPoolId": email_pool, "Username": "Zed@Example.com",
               "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS"}),
    );

    // Sign-in flows.
    let out = srp_login(&mut r, &pool_id, &cid, "alice", &[]);
    let result = &out["AuthenticationResult"];
    let access = s(&result["AccessToken"]);
    let refresh = s(&result["RefreshToken"]);
    let device_key = s(&result["NewDeviceMetadata"]["DeviceKey"]);
    let group_key = s(&result["NewDeviceMetadata"]["DeviceGroupKey"]);
    let hash = srp_core::secret_hash(&secret, "alice", &cid2);
    srp_login(&mut r, &pool_id, &cid2, "alice", &[("SECRET_HASH", &hash)]);
    password_login(&mut r, &cid, "bob", PASSWORD);
    r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cid2,
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD, "SECRET_HASH": hash}}),
    );
    r.call(
        "AdminInitiateAuth",
        json!({"UserPoolId": pool_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "ClientId": cid,
               "AuthParameters": {"USERNAME": "bob", "PASSWORD": PASSWORD}}),
    );
    r.call(
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
               "AuthParameters": {"REFRESH_TOKEN": refresh, "DEVICE_KEY": device_key}}),
    );
    r.call(
        "GetTokensFromRefreshToken",
        json!({"ClientId": cid, "RefreshToken": refresh}),
    );
    r.call("GetUser", json!({"AccessToken": access}));

    // Devices: confirm, remember, then device SRP.
    let reg = srp_core::DeviceRegistration::generate(
        if group_key.is_empty() {
            "g"
        } else {
            &group_key
        },
        if device_key.is_empty() {
            "d"
        } else {
            &device_key
        },
    )
    .unwrap();
    r.call(
        "ConfirmDevice",
        json!({"AccessToken": access, "DeviceKey": device_key, "DeviceName": "fuzz",
               "DeviceSecretVerifierConfig": {"PasswordVerifier": reg.password_verifier(),
                                              "Salt": reg.salt()}}),
    );
    r.call(
        "UpdateDeviceStatus",
        json!({"AccessToken": access, "DeviceKey": device_key,
               "DeviceRememberedStatus": "remembered"}),
    );
    let step = srp_login(
        &mut r,
        &pool_id,
        &cid,
        "alice",
        &[("DEVICE_KEY", &device_key)],
    );
    let dev = srp_core::SrpClient::new().unwrap();
    let step = r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "DEVICE_SRP_AUTH", "Session": step["Session"],
               "ChallengeResponses": {"USERNAME": "alice", "DEVICE_KEY": device_key,
                                      "SRP_A": dev.srp_a()}}),
    );
    let p = &step["ChallengeParameters"];
    let claim = dev.device_password_claim(
        if group_key.is_empty() {
            "g"
        } else {
            &group_key
        },
        if device_key.is_empty() {
            "d"
        } else {
            &device_key
        },
        reg.device_password(),
        &srp_core::PasswordVerifierChallenge {
            salt: &s(&p["SALT"]),
            srp_b: &s(&p["SRP_B"]),
            secret_block: &s(&p["SECRET_BLOCK"]),
        },
        &srp_core::Timestamp::now().unwrap(),
    );
    if let Ok(c) = claim {
        r.call(
            "RespondToAuthChallenge",
            json!({"ClientId": cid, "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                   "Session": step["Session"],
                   "ChallengeResponses": {"USERNAME": "alice", "DEVICE_KEY": device_key,
                       "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
                       "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp}}),
        );
    }

    // CUSTOM_AUTH, USER_AUTH.
    let out = r.call(
        "InitiateAuth",
        json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": cid, "AuthParameters": {"USERNAME": "bob"}}),
    );
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "CUSTOM_CHALLENGE", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "bob", "ANSWER": "42"}}),
    );
    r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": cid,
               "AuthParameters": {"USERNAME": "bob", "PREFERRED_CHALLENGE": "PASSWORD",
                                  "PASSWORD": PASSWORD}}),
    );
    let out = r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": cid, "AuthParameters": {"USERNAME": "bob"}}),
    );
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "SELECT_CHALLENGE", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "bob", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD}}),
    );
    let out = r.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": cid,
               "AuthParameters": {"USERNAME": "bob", "PREFERRED_CHALLENGE": "EMAIL_OTP"}}),
    );
    let out = r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "SELECT_CHALLENGE", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "bob", "ANSWER": "EMAIL_OTP"}}),
    );
    let code = emu.last_code(&pool_id, "bob").unwrap_or_default();
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "EMAIL_OTP", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "bob", "EMAIL_OTP_CODE": code}}),
    );

    // NEW_PASSWORD_REQUIRED.
    let out = password_login(&mut r, &cid, "alice", PASSWORD);
    let _ = out;
    let email_client = s(&r.call(
        "CreateUserPoolClient",
        json!({"UserPoolId": email_pool, "ClientName": "app", "ExplicitAuthFlows": flows}),
    )["UserPoolClient"]["ClientId"]);
    let out = password_login(&mut r, &email_client, "zed@example.com", "Temp0rary!");
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": email_client, "ChallengeName": "NEW_PASSWORD_REQUIRED",
               "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": s(&out["ChallengeParameters"]["USER_ID_FOR_SRP"]),
                                      "NEW_PASSWORD": PASSWORD}}),
    );

    // MFA: a software token for erin, then SOFTWARE_TOKEN_MFA.
    let out = password_login(&mut r, &cid, "erin", PASSWORD);
    let erin = s(&out["AuthenticationResult"]["AccessToken"]);
    let assoc = r.call("AssociateSoftwareToken", json!({"AccessToken": erin}));
    let totp = emu.totp_for_secret(&s(&assoc["SecretCode"]));
    r.call(
        "VerifySoftwareToken",
        json!({"AccessToken": erin, "UserCode": totp, "FriendlyDeviceName": "phone"}),
    );
    r.call(
        "SetUserMFAPreference",
        json!({"AccessToken": erin,
               "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    r.call(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": pool_id, "Username": "erin",
               "EmailMfaSettings": {"Enabled": true, "PreferredMfa": false}}),
    );
    let out = password_login(&mut r, &cid, "erin", PASSWORD);
    r.call(
        "RespondToAuthChallenge",
        json!({"ClientId": cid, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "erin",
                   "SOFTWARE_TOKEN_MFA_CODE": emu.totp_code(&pool_id, "erin").unwrap_or_default()}}),
    );
    r.call(
        "AdminRespondToAuthChallenge",
        json!({"UserPoolId": pool_id, "ClientId": cid, "ChallengeName": "SMS_MFA",
               "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "erin", "SMS_MFA_CODE": "123456"}}),
    );

    // Password self-service and sign-out.
    r.call(
        "ForgotPassword",
        json!({"ClientId": cid, "Username": "carol"}),
    );
    let code = emu.last_code(&pool_id, "carol").unwrap_or_default();
    r.call(
        "ConfirmForgotPassword",
        json!({"ClientId": cid, "Username": "carol", "ConfirmationCode": code,
               "Password": PASSWORD}),
    );
    let out = password_login(&mut r, &cid, "carol", PASSWORD);
    let carol = s(&out["AuthenticationResult"]["AccessToken"]);
    r.call(
        "ChangePassword",
        json!({"AccessToken": carol, "PreviousPassword": PASSWORD, "ProposedPassword": PASSWORD}),
    );
    let out = password_login(&mut r, &cid, "out", PASSWORD);
    r.call(
        "RevokeToken",
        json!({"ClientId": cid, "Token": out["AuthenticationResult"]["RefreshToken"]}),
    );
    let out = password_login(&mut r, &cid, "out", PASSWORD);
    r.call(
        "GlobalSignOut",
        json!({"AccessToken": out["AuthenticationResult"]["AccessToken"]}),
    );
    r.call(
        "ForgetDevice",
        json!({"AccessToken": access, "DeviceKey": "us-east-1_00000000-0000-0000-0000-000000000000"}),
    );
    // The OAuth side: a domain, resource servers, an app client with OAuth settings.
    r.call(
        "CreateUserPoolDomain",
        json!({"Domain": "fuzz-app", "UserPoolId": pool_id}),
    );
    r.call("DescribeUserPoolDomain", json!({"Domain": "fuzz-app"}));
    r.call(
        "UpdateUserPoolDomain",
        json!({"Domain": "fuzz-app", "UserPoolId": pool_id, "ManagedLoginVersion": 2}),
    );
    r.call(
        "CreateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "api", "Name": "API",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]}),
    );
    r.call(
        "DescribeResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "api"}),
    );
    r.call(
        "ListResourceServers",
        json!({"UserPoolId": pool_id, "MaxResults": 10}),
    );
    r.call(
        "UpdateResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "api", "Name": "API 2",
               "Scopes": [{"ScopeName": "write", "ScopeDescription": "write"}]}),
    );
    r.call(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web", "AllowedOAuthFlows": ["code"],
               "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthScopes": ["openid", "api/write"],
               "CallbackURLs": ["https://app.example.com/cb"], "LogoutURLs": ["http://localhost/bye"],
               "SupportedIdentityProviders": ["COGNITO"]}),
    );
    r.call(
        "DeleteResourceServer",
        json!({"UserPoolId": pool_id, "Identifier": "api"}),
    );
    r.call(
        "DeleteUserPoolDomain",
        json!({"Domain": "fuzz-app", "UserPoolId": pool_id}),
    );
    let gone_pool = pool(&mut r, "gone", json!({}));
    let out = r.call(
        "CreateUserPoolClient",
        json!({"UserPoolId": gone_pool, "ClientName": "gone"}),
    );
    r.call(
        "DeleteUserPoolClient",
        json!({"UserPoolId": gone_pool, "ClientId": out["UserPoolClient"]["ClientId"]}),
    );
    r.call("DeleteUserPool", json!({"UserPoolId": gone_pool}));

    static SHOWN: std::sync::Once = std::sync::Once::new();
    if !r.failed.is_empty() {
        SHOWN.call_once(|| {
            println!(
                "emulator: {} of {} recorded requests were refused (kept as seeds): {:?}",
                r.failed.len(),
                r.requests.len(),
                r.failed
            );
        });
    }
    r.strings.sort();
    r.strings.dedup();
    (r.requests, r.origin, r.strings)
}

/// The damage one case does.
struct Mutator {
    strings: Vec<String>,
    ops: Vec<String>,
}

const WEIRD: &[&str] = &[
    "",
    " ",
    "null",
    "0",
    "-1",
    "00",
    "0x1f",
    "ff",
    "-ff",
    "zz",
    "==",
    "A===",
    "!!!",
    "\u{0}",
    "\u{202e}",
    "ａｂ１",
    "é",
    "Mon Jan 1 00:00:00 UTC 2024",
    "Thu Nov 26 12:00:00 UTC 2026",
    "Fri Feb 30 25:61:61 UTC 99999",
    "us-east-1_",
    "us-east-1_x",
    "eu-west-1_AAAAAAAAA",
    "..",
    "%00",
    "a@b",
    "USER_SRP_AUTH",
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "SMS_MFA",
    "ADMIN_NO_SRP_AUTH",
    "remembered",
    "not_remembered",
    "username = ",
    "email ^= \"",
    "\"",
];

fn weird_number(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(i64::MAX),
        3 => json!(u64::MAX),
        4 => json!(1e308),
        5 => json!(0.5),
        _ => serde_json::from_str("123456789012345678901234567890").unwrap_or(json!(1)),
    }
}

impl Mutator {
    fn string(&self, rng: &mut Rng, original: &str) -> String {
        match rng.below(12) {
            0 => WEIRD[rng.below(WEIRD.len())].to_owned(),
            // A value from elsewhere in the session: replayed sessions, secret blocks, tokens,
            // keys of other users, pools and devices.
            1..=3 => self.strings[rng.below(self.strings.len())].clone(),
            4 => {
                let n = [100, 4096, 70_000, 300_000][rng.below(4)];
                let c = ["a", "f", "0", "=", "é"][rng.below(5)];
                c.repeat(n)
            }
            5 => original
                .chars()
                .take(rng.below(original.len() + 1))
                .collect(),
            6 => {
                // Bad hex / base64: one character replaced.
                let mut chars: Vec<char> = original.chars().collect();
                if !chars.is_empty() {
                    let i = rng.below(chars.len());
                    chars[i] = ['g', '-', '+', '/', '=', ' ', 'Z', '\n', '\u{ff}'][rng.below(9)];
                }
                chars.into_iter().collect()
            }
            7 => format!("{original}{original}"),
            8 => original.to_uppercase(),
            9 => format!(" {original}"),
            10 => format!("-{original}"),
            _ => {
                let mut chars: Vec<char> = original.chars().collect();
                if chars.len() > 1 {
                    let i = rng.below(chars.len());
                    chars.remove(i);
                }
                chars.into_iter().collect()
            }
        }
    }

    fn any_value(&self, rng: &mut Rng, original: &Value) -> Value {
        match rng.below(10) {
            0 => Value::Null,
            1 => json!(rng.chance(2)),
            2 => weird_number(rng),
            3 => json!(self.string(rng, original.as_str().unwrap_or("x"))),
            4 => json!([original.clone()]),
            5 => json!({"S": original.clone()}),
            6 => json!([]),
            7 => json!({}),
            8 => deep(rng.below(300) + 1, rng.chance(2)),
            _ => match original {
                Value::Array(items) if !items.is_empty() => items[rng.below(items.len())].clone(),
                Value::Object(m) if !m.is_empty() => m
                    .values()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default(),
                _ => json!(original.to_string()),
            },
        }
    }

    /// One structural mutation somewhere in `v`.
    fn mutate(&self, rng: &mut Rng, v: &mut Value, depth: usize) {
        let descend = depth < 6 && rng.below(3) != 0;
        match v {
            Value::Object(m) if !m.is_empty() && descend => {
                let key = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                if let Some(child) = m.get_mut(&key) {
                    self.mutate(rng, child, depth + 1);
                }
            }
            Value::Array(items) if !items.is_empty() && descend => {
                let i = rng.below(items.len());
                self.mutate(rng, &mut items[i], depth + 1);
            }
            Value::Object(m) => self.mutate_object(rng, m),
            Value::String(s) if rng.chance(2) => *s = self.string(rng, s),
            other => *other = self.any_value(rng, other),
        }
    }

    fn mutate_object(&self, rng: &mut Rng, m: &mut Map<String, Value>) {
        match rng.below(5) {
            0 if !m.is_empty() => {
                let key = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                m.remove(&key);
            }
            1 => {
                // An extra member: a known one from elsewhere, or junk.
                let key = match rng.below(3) {
                    0 => "Unexpected".to_owned(),
                    1 => [
                        "Session",
                        "SECRET_HASH",
                        "DEVICE_KEY",
                        "SRP_A",
                        "UserPoolId",
                        "ClientId",
                        "AccessToken",
                        "ClientMetadata",
                        "AnalyticsMetadata",
                        "UserContextData",
                        "PASSWORD",
                        "ANSWER",
                        "USERNAME",
                    ][rng.below(13)]
                    .to_owned(),
                    _ => self.string(rng, "Key"),
                };
                let original = json!("x");
                m.insert(key, self.any_value(rng, &original));
            }
            2 if !m.is_empty() => {
                let key = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                let original = m.get(&key).cloned().unwrap_or_default();
                m.insert(key, self.any_value(rng, &original));
            }
            3 if !m.is_empty() => {
                // A renamed member (case or spelling).
                let key = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                if let Some(value) = m.remove(&key) {
                    let renamed = if rng.chance(2) {
                        key.to_lowercase()
                    } else {
                        format!("{key} ")
                    };
                    m.insert(renamed, value);
                }
            }
            _ => {
                m.clear();
            }
        }
    }

    fn target(&self, rng: &mut Rng, op: &str) -> String {
        match rng.below(8) {
            0 => String::new(),
            1 => op.to_owned(),
            2 => format!("{PREFIX}{}", op.to_lowercase()),
            3 => format!("{PREFIX}{op}x"),
            4 => format!("AWSCognitoIdentityProviderService{op}"),
            5 => format!("{PREFIX}{}", WEIRD[rng.below(WEIRD.len())]),
            6 => format!("{}{op}", PREFIX.to_lowercase()),
            // Another real operation with this body.
            _ => format!("{PREFIX}{}", self.ops[rng.below(self.ops.len())]),
        }
    }
}

/// `n` levels of arrays or objects.
fn deep(n: usize, arrays: bool) -> Value {
    let text = if arrays {
        format!("{}1{}", "[".repeat(n), "]".repeat(n))
    } else {
        format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))
    };
    // Past serde_json's recursion limit this does not parse: then a flat value.
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn damage_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.below(6) {
        0 if !bytes.is_empty() => {
            let n = rng.below(bytes.len());
            bytes.truncate(n);
        }
        1 if !bytes.is_empty() => {
            // Invalid UTF-8 inside a string or anywhere.
            let i = rng.below(bytes.len());
            let junk: &[u8] = [
                &[0xff][..],
                &[0xc3],
                &[0xed, 0xa0, 0x80],
                &[0xf4, 0x90, 0x80, 0x80],
                &[0x80],
            ][rng.below(5)];
            bytes.splice(i..i, junk.iter().copied());
        }
        2 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next_u64() as u8;
        }
        3 => {
            // Nesting past any parser's limit, raw.
            let n = rng.below(5000) + 100;
            let open = if rng.chance(2) { "[" } else { "{\"a\":" };
            *bytes = open.repeat(n).into_bytes();
        }
        4 => {
            // A body over the 256 KiB cap.
            bytes.resize(cognito_emulator::MAX_BODY_BYTES + 1 + rng.below(1000), b' ');
        }
        _ => {
            let junk: &[u8] = [
                &b"\"\\ud800\""[..],
                b"[]",
                b"1",
                b"{\"a\":1,\"a\":2}",
                b"\xef\xbb\xbf{}",
                b"{\"\\u0000\":0}",
            ][rng.below(6)];
            *bytes = junk.to_vec();
        }
    }
}

fn check(target: &str, status: u16, body: &[u8], input: &[u8]) {
    let shown = || String::from_utf8_lossy(&input[..input.len().min(300)]).into_owned();
    let value: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{target}: response is not JSON ({e}) for {}", shown()));
    assert!(value.is_object(), "{target}: response is not an object");
    match status {
        200 => {}
        400..=499 => {
            let ty = value["__type"].as_str().unwrap_or_default();
            assert!(
                !ty.is_empty(),
                "{target}: {status} without __type: {value} for {}",
                shown()
            );
        }
        _ => panic!("{target}: status {status}: {value} for {}", shown()),
    }
}

/// A fresh emulator with the recorded session in it. The fuzz loop starts over from one every
/// `REFRESH` cases, so that damage done to the state (a deleted pool, a disabled user, a
/// changed password) does not blunt the rest of the run, and memory stays bounded.
struct World {
    emu: Emulator,
    requests: Vec<(String, Value)>,
    origin: Vec<Option<usize>>,
    mutator: Mutator,
}

const REFRESH: u64 = 10_000;

fn world(rt: &tokio::runtime::Runtime) -> World {
    let emu = rt.block_on(Emulator::start("127.0.0.1:0")).unwrap();
    let (requests, origin, strings) = record(&emu);
    let mut ops: Vec<String> = requests.iter().map(|(op, _)| op.clone()).collect();
    ops.sort();
    ops.dedup();
    // All 46 operations the emulator serves (37 + the 9 of domains and resource servers).
    assert!(ops.len() >= 46, "only {} operations recorded", ops.len());
    World {
        emu,
        requests,
        origin,
        mutator: Mutator { strings, ops },
    }
}

/// Fuzzing finding: CreateUserPool and CreateUserPoolClient echoed members such as
/// UsernameConfiguration back as sent, so a body nested just under serde_json's limit came
/// back wrapped one level deeper and could not be parsed.
#[test]
fn deeply_nested_members_are_not_echoed_past_a_parsers_limit() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt.block_on(Emulator::start("127.0.0.1:0")).unwrap();
    let nested = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let body = format!(
        r#"{{"PoolName":"p","UsernameConfiguration":{}}}"#,
        nested(126)
    );
    let (status, out) = emu.handle_json(&format!("{PREFIX}CreateUserPool"), body.as_bytes());
    check("CreateUserPool", status, &out, body.as_bytes());
    assert_eq!(status, 400);
    let (status, out) = emu.handle_json(&format!("{PREFIX}CreateUserPool"), br#"{"PoolName":"p"}"#);
    assert_eq!(status, 200);
    let pool: Value = serde_json::from_slice(&out).unwrap();
    let body = format!(
        r#"{{"UserPoolId":"{}","ClientName":"c","CallbackURLs":{}}}"#,
        pool["UserPool"]["Id"].as_str().unwrap(),
        nested(126)
    );
    let (status, out) = emu.handle_json(&format!("{PREFIX}CreateUserPoolClient"), body.as_bytes());
    check("CreateUserPoolClient", status, &out, body.as_bytes());
    assert_eq!(status, 400);
}

#[test]
fn fuzz_request_handling() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    cognito_emulator::warm_up_signing_key().unwrap();
    let mut w = world(&rt);
    let mut done = 0u64;
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut answered = std::collections::BTreeMap::<String, u64>::new();
    test_support::fuzz::run("emulator", 2_000, |seed| {
        if done > 0 && done % REFRESH == 0 {
            w = world(&rt);
        }
        done += 1;
        let World {
            emu,
            requests,
            origin,
            mutator,
        } = &w;
        let mut rng = Rng(seed);
        let pick = rng.below(requests.len());
        let (op, body) = &requests[pick];
        let mut body = body.clone();
        // One challenge answer in three gets a live session: the request that issued the
        // recorded one is sent again first (then the answer is damaged as usual).
        if let Some(from) = origin[pick].filter(|_| rng.chance(3)) {
            let (from_op, from_body) = &requests[from];
            let (_, out) = emu.handle_json(
                &format!("{PREFIX}{from_op}"),
                from_body.to_string().as_bytes(),
            );
            let out: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
            if let Some(session) = out["Session"].as_str() {
                body["Session"] = json!(session);
            }
        }
        let target = if rng.chance(6) {
            mutator.target(&mut rng, op)
        } else {
            format!("{PREFIX}{op}")
        };
        // One case in eight replays the request as recorded (sessions, secret blocks, codes
        // and tokens used a second time).
        if !rng.chance(8) {
            for _ in 0..=rng.below(4) {
                mutator.mutate(&mut rng, &mut body, 0);
            }
        }
        let mut bytes = body.to_string().into_bytes();
        if rng.chance(8) {
            damage_bytes(&mut rng, &mut bytes);
        }
        let (status, out) = emu.handle_json(&target, &bytes);
        check(&target, status, &out, &bytes);
        *statuses.entry(status).or_default() += 1;
        if status == 200 {
            *answered.entry(target).or_default() += 1;
        }
    });
    println!("fuzz emulator: statuses {statuses:?}");
    println!("emulator: answered 200 by operation {answered:?}");
    drop(w);
    drop(rt);
}
