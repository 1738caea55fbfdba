//! AWS credentials never show in `Debug` of the generated Cognito Identity types, although the
//! official model marks only the secret key `@sensitive`: the project's model marks the access
//! key id and the session token too (`model/cognito-identity-sensitive.json`, applied by
//! `model/strip_docs.py`), so the macro redacts all three. The same holds for the OpenID token
//! and for login tokens in inputs (sensitive in the model itself).

mod pools;

use cognito_emulator::Emulator;
use cognito_identity::operation::get_id::GetIdInput;
use cognito_identity::runtime::REDACTED;
use pools::{identity_client, identity_pool, provider_name, AUTH_ROLE, UNAUTH_ROLE};

/// Both `Debug` forms of `value`, checked: none of `secrets` in them, the redaction marker is.
fn assert_redacted(what: &str, value: &impl std::fmt::Debug, secrets: &[&str]) {
    for shown in [format!("{value:?}"), format!("{value:#?}")] {
        for secret in secrets {
            assert!(!secret.is_empty());
            assert!(!shown.contains(secret), "{what}'s Debug shows a secret");
        }
        assert!(shown.contains(REDACTED), "{what}'s Debug: {shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_types_redact_every_part_of_aws_credentials() {
    let emu = Emulator::start("127.0.0.1:0").await.expect("emulator");
    let url = emu.endpoint_url();
    let identity = identity_client(&url);
    // A user pool is only named here: guests need no sign-in.
    let pool_id = identity_pool(&identity, "us-east-1_Redaction1", "redactionclient", true).await;
    identity
        .set_identity_pool_roles()
        .identity_pool_id(pool_id.clone())
        .roles("authenticated", AUTH_ROLE)
        .roles("unauthenticated", UNAUTH_ROLE)
        .send()
        .await
        .expect("SetIdentityPoolRoles");
    let identity_id = identity
        .get_id()
        .identity_pool_id(pool_id.clone())
        .send()
        .await
        .expect("GetId")
        .identity_id
        .expect("an identity id");

    let out = identity
        .get_credentials_for_identity()
        .identity_id(identity_id.clone())
        .send()
        .await
        .expect("GetCredentialsForIdentity");
    let credentials = out.credentials.clone().expect("credentials");
    let access_key_id = credentials.access_key_id.clone().expect("access key id");
    let secret_key = credentials.secret_key.clone().expect("secret key");
    let session_token = credentials.session_token.clone().expect("session token");
    assert!(access_key_id.starts_with("ASIA"), "real credentials");
    let secrets = [
        access_key_id.as_str(),
        secret_key.as_str(),
        session_token.as_str(),
    ];
    assert_redacted("Credentials", &credentials, &secrets);
    assert_redacted("GetCredentialsForIdentityOutput", &out, &secrets);
    // What is not secret still shows, so the Debug output stays useful.
    let shown = format!("{out:?}");
    assert!(shown.contains(&identity_id), "{shown}");
    assert!(shown.contains("expiration"), "{shown}");

    let open_id = identity
        .get_open_id_token()
        .identity_id(identity_id.clone())
        .send()
        .await
        .expect("GetOpenIdToken");
    let token = open_id.token.clone().expect("a token");
    assert_redacted("GetOpenIdTokenOutput", &open_id, &[&token]);

    // A login token in an input (here the OpenID token stands in for an ID token).
    let input = GetIdInput::builder()
        .identity_pool_id(pool_id)
        .logins(provider_name("us-east-1_Redaction1"), token.clone())
        .build()
        .expect("input");
    assert_redacted("GetIdInput", &input, &[&token]);
}
