//! A pool on an in-process emulator, set up and signed in to through its request handler
//! (no socket: the verifier's tests mint many tokens).

use cognito_emulator::Emulator;
use serde_json::{json, Value};

const TARGET: &str = "AWSCognitoIdentityProviderService.";

pub struct EmuPool {
    pub pool_id: String,
    pub client_id: String,
    pub other_client_id: String,
}

/// One awsJson call in-process; panics with the error body on failure (test setup only).
pub fn call(emu: &Emulator, op: &str, body: Value) -> Value {
    let (status, out) = emu.handle_json(&format!("{TARGET}{op}"), body.to_string().as_bytes());
    let out: Value = serde_json::from_slice(&out).expect("JSON reply");
    assert_eq!(status, 200, "{op}: {out}");
    out
}

impl EmuPool {
    /// A pool with two app clients allowing USER_PASSWORD_AUTH, and `users` users whose
    /// password is `Passw0rd!`.
    pub fn create(emu: &Emulator, users: &[&str]) -> EmuPool {
        let pool = call(
            emu,
            "CreateUserPool",
            json!({"PoolName": "verify", "Policies": {"PasswordPolicy": {"MinimumLength": 6,
                "RequireUppercase": false, "RequireLowercase": false, "RequireNumbers": false,
                "RequireSymbols": false}}}),
        );
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = |name: &str| {
            let out = call(
                emu,
                "CreateUserPoolClient",
                json!({"UserPoolId": pool_id, "ClientName": name,
                       "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
            );
            out["UserPoolClient"]["ClientId"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let client_id = client("app");
        let other_client_id = client("other");
        for u in users {
            call(
                emu,
                "AdminCreateUser",
                json!({"UserPoolId": pool_id, "Username": u, "MessageAction": "SUPPRESS",
                       "UserAttributes": [{"Name": "email", "Value": format!("{u}@example.com")}]}),
            );
            call(
                emu,
                "AdminSetUserPassword",
                json!({"UserPoolId": pool_id, "Username": u, "Password": "Passw0rd!", "Permanent": true}),
            );
        }
        EmuPool {
            pool_id,
            client_id,
            other_client_id,
        }
    }

    /// (access token, ID token) of a USER_PASSWORD_AUTH sign-in through `client_id`.
    pub fn sign_in(&self, emu: &Emulator, client_id: &str, user: &str) -> (String, String) {
        let out = call(
            emu,
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                   "AuthParameters": {"USERNAME": user, "PASSWORD": "Passw0rd!"}}),
        );
        let r = &out["AuthenticationResult"];
        (
            r["AccessToken"].as_str().unwrap().to_owned(),
            r["IdToken"].as_str().unwrap().to_owned(),
        )
    }

    /// The JWKS URL the emulator serves for this pool.
    pub fn jwks_url(&self, emu: &Emulator) -> String {
        format!(
            "{}/{}/.well-known/jwks.json",
            emu.endpoint_url(),
            self.pool_id
        )
    }
}
