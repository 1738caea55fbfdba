//! Test keys and tokens of our own, and an emulator pool with real sign-ins.
#![allow(dead_code)]

pub mod corpus;
#[allow(unused_imports)]
pub use test_support::emulator::in_process as emulator;
pub mod jwks_server;

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

pub const POOL: &str = "us-east-1_TestPool1";
pub const CLIENT: &str = "testclient0123456789abcdef";

/// An RSA-2048 key generated for the test run (none is committed).
pub struct TestKey {
    pub kid: String,
    pair: RsaKeyPair,
    pub jwk: Value,
    pub public_pem: String,
}

impl TestKey {
    pub fn generate(kid: &str) -> TestKey {
        let private = RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("RSA key");
        let pkcs8 = private.to_pkcs8_der().expect("pkcs8");
        let pair = RsaKeyPair::from_pkcs8(pkcs8.as_bytes()).expect("ring key");
        let jwk = json!({
            "alg": "RS256", "kty": "RSA", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        });
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem");
        TestKey {
            kid: kid.to_owned(),
            pair,
            jwk,
            public_pem,
        }
    }

    /// The RS256 signature of `input`, base64url.
    pub fn sign(&self, input: &str) -> String {
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut sig,
            )
            .expect("sign");
        URL_SAFE_NO_PAD.encode(sig)
    }

    /// A token with this header and these claims, signed with this key.
    pub fn mint_with_header(&self, header: &Value, claims: &Value) -> String {
        let input = format!("{}.{}", b64json(header), b64json(claims));
        let sig = self.sign(&input);
        format!("{input}.{sig}")
    }

    /// A token with `{"kid": <this key>, "alg": "RS256"}` and these claims.
    pub fn mint(&self, claims: &Value) -> String {
        self.mint_with_header(&json!({"kid": self.kid, "alg": "RS256"}), claims)
    }
}

/// Two keys for the whole test binary: `key-a` (published) and `key-b` (not, unless a test
/// publishes it).
pub fn keys() -> &'static (TestKey, TestKey) {
    static KEYS: OnceLock<(TestKey, TestKey)> = OnceLock::new();
    KEYS.get_or_init(|| (TestKey::generate("key-a"), TestKey::generate("key-b")))
}

/// A verifier builder for this pool's access tokens of CLIENT, offline with key-a published.
pub fn offline_builder() -> cognito_verify::VerifierBuilder {
    let (a, _) = keys();
    cognito_verify::Verifier::builder(POOL)
        .token_use(cognito_verify::TokenUse::Access)
        .client_id(CLIENT)
        .with_jwks(jwks(&[a]))
}

pub fn jwks(keys: &[&TestKey]) -> String {
    json!({ "keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>() }).to_string()
}

pub fn b64json(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn issuer(pool: &str) -> String {
    let region = pool.split('_').next().unwrap();
    format!("https://cognito-idp.{region}.amazonaws.com/{pool}")
}

/// What Cognito puts in an access token, issued `now`, valid for an hour.
pub fn access_claims(pool: &str, client: &str, now: u64) -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "iss": issuer(pool),
        "client_id": client,
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "12345678-1234-1234-1234-123456789012",
        "username": "alice",
    })
}

/// What Cognito puts in an ID token, issued `now`, valid for an hour.
pub fn id_claims(pool: &str, client: &str, now: u64) -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "email_verified": true,
        "iss": issuer(pool),
        "cognito:username": "alice",
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "aud": client,
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "id",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "12345678-1234-1234-1234-123456789013",
        "email": "alice@example.com",
    })
}
