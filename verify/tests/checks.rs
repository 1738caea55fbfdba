//! Every check of the verifier, one failure at a time, with tokens minted here by a test key:
//! each refused token gets its own error variant naming the claim and the values.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_verify::{
    ClientIds, ConfigError, IssuerFormat, KeyLookup, Requirement, Segment, TokenUse, Verifier,
    VerifyError,
};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use support::{access_claims, b64json, id_claims, jwks, keys, offline_builder, CLIENT, POOL};

const NOW: u64 = 1_800_000_000;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn access_verifier() -> Verifier {
    offline_builder().build().unwrap()
}

/// `claims` with `edit` applied (a `null` value removes the claim).
fn edited(mut claims: Value, edit: Value) -> Value {
    for (k, v) in edit.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

fn access(edit: Value) -> String {
    keys()
        .0
        .mint(&edited(access_claims(POOL, CLIENT, NOW), edit))
}

fn refused(v: &Verifier, token: &str) -> VerifyError {
    let err = v.verify_sync_at(token, at(NOW)).expect_err("refused");
    // Neither the message nor the debug form carries any part of the token.
    for part in token.split('.').filter(|p| p.len() > 8) {
        assert!(!err.to_string().contains(part), "{err}");
        assert!(!format!("{err:?}").contains(part), "{err:?}");
    }
    err
}

#[test]
fn valid_access_and_id_tokens() {
    let v = access_verifier();
    let claims = v.verify_sync_at(&access(json!({})), at(NOW)).unwrap();
    assert_eq!(claims.username(), Some("alice"));
    assert_eq!(claims.client_id(), Some(CLIENT));
    assert_eq!(claims.token_use(), Some(TokenUse::Access));

    let id = keys().0.mint(&id_claims(POOL, CLIENT, NOW));
    assert_eq!(
        refused(&v, &id),
        VerifyError::TokenUse {
            found: "id".into(),
            expected: TokenUse::Access
        }
    );
    let idv = offline_builder().token_use(TokenUse::Id).build().unwrap();
    assert_eq!(
        idv.verify_sync_at(&id, at(NOW)).unwrap().get_str("email"),
        Some("alice@example.com")
    );
    let either = offline_builder()
        .token_use(TokenUse::Either)
        .build()
        .unwrap();
    either.verify_sync_at(&id, at(NOW)).unwrap();
    either.verify_sync_at(&access(json!({})), at(NOW)).unwrap();
}

#[test]
fn only_rs256() {
    let v = access_verifier();
    let (a, _) = keys();
    let claims = access_claims(POOL, CLIENT, NOW);
    for alg in [
        "RS384", "RS512", "PS256", "ES256", "EdDSA", "rs256", "HS256",
    ] {
        let t = a.mint_with_header(&json!({"kid": a.kid, "alg": alg}), &claims);
        assert_eq!(
            refused(&v, &t),
            VerifyError::Algorithm {
                found: Some(alg.into())
            }
        );
    }
    let t = a.mint_with_header(&json!({"kid": a.kid}), &claims);
    assert_eq!(refused(&v, &t), VerifyError::Algorithm { found: None });

    // Unsecured: no signature at all.
    let none = format!(
        "{}.{}.",
        b64json(&json!({"kid": a.kid, "alg": "none"})),
        b64json(&claims)
    );
    assert_eq!(
        refused(&v, &none),
        VerifyError::Algorithm {
            found: Some("none".into())
        }
    );

    // Algorithm confusion: HS256 keyed with the public key (PEM, and the JWK's JSON).
    for secret in [a.public_pem.clone(), a.jwk.to_string()] {
        let input = format!(
            "{}.{}",
            b64json(&json!({"kid": a.kid, "alg": "HS256", "typ": "JWT"})),
            b64json(&claims)
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(input.as_bytes());
        let t = format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(
            refused(&v, &t),
            VerifyError::Algorithm {
                found: Some("HS256".into())
            }
        );
    }

    // An RS256 header with no signature is a bad signature.
    let unsigned = format!(
        "{}.{}.",
        b64json(&json!({"kid": a.kid, "alg": "RS256"})),
        b64json(&claims)
    );
    assert_eq!(
        refused(&v, &unsigned),
        VerifyError::InvalidSignature { kid: a.kid.clone() }
    );
}

#[test]
fn critical_headers_are_refused() {
    let (a, _) = keys();
    let t = a.mint_with_header(
        &json!({"kid": a.kid, "alg": "RS256", "crit": ["exp"], "exp": 1}),
        &access_claims(POOL, CLIENT, NOW),
    );
    assert_eq!(
        refused(&access_verifier(), &t),
        VerifyError::CriticalHeader {
            names: vec!["exp".into()]
        }
    );
}

#[test]
fn kid_and_signature() {
    let v = access_verifier();
    let (a, b) = keys();
    let claims = access_claims(POOL, CLIENT, NOW);
    let t = a.mint_with_header(&json!({"alg": "RS256"}), &claims);
    assert_eq!(refused(&v, &t), VerifyError::MissingKid);

    // Another key's token: its kid is unknown, and cached keys are all verify_sync consults.
    assert_eq!(
        refused(&v, &b.mint(&claims)),
        VerifyError::UnknownKid {
            kid: "key-b".into(),
            lookup: KeyLookup::CacheOnly
        }
    );
    // Another key under the published kid.
    let forged = b.mint_with_header(&json!({"kid": "key-a", "alg": "RS256"}), &claims);
    assert_eq!(
        refused(&v, &forged),
        VerifyError::InvalidSignature {
            kid: "key-a".into()
        }
    );
    // A valid signature over other claims.
    let good = a.mint(&claims);
    let (input, sig) = good.rsplit_once('.').unwrap();
    let (header, _) = input.split_once('.').unwrap();
    let tampered = format!(
        "{header}.{}.{sig}",
        b64json(&edited(claims.clone(), json!({"username": "mallory"})))
    );
    assert_eq!(
        refused(&v, &tampered),
        VerifyError::InvalidSignature {
            kid: "key-a".into()
        }
    );
    // A signature one byte short, and a signature of the modulus length that is garbage.
    let raw = URL_SAFE_NO_PAD.decode(sig).unwrap();
    for bad in [raw[1..].to_vec(), vec![0x5a; raw.len()]] {
        let t = format!("{input}.{}", URL_SAFE_NO_PAD.encode(bad));
        assert_eq!(
            refused(&v, &t),
            VerifyError::InvalidSignature {
                kid: "key-a".into()
            }
        );
    }
}

#[test]
fn unusable_keys_say_why() {
    let (a, _) = keys();
    let mut jwk = a.jwk.clone();
    jwk["alg"] = json!("RS512");
    let v = Verifier::builder(POOL)
        .token_use(TokenUse::Access)
        .client_id(CLIENT)
        .with_jwks(json!({"keys": [jwk]}).to_string())
        .build()
        .unwrap();
    assert_eq!(
        refused(&v, &access(json!({}))),
        VerifyError::UnusableKey {
            kid: "key-a".into(),
            reason: "alg is \"RS512\", not \"RS256\"".into()
        }
    );
}

#[tokio::test]
async fn offline_verifier_never_fetches() {
    let v = access_verifier();
    assert_eq!(v.jwks_url(), None);
    let err = v
        .verify(&keys().1.mint(&access_claims(POOL, CLIENT, 0)))
        .await;
    assert_eq!(
        err.unwrap_err(),
        VerifyError::UnknownKid {
            kid: "key-b".into(),
            lookup: KeyLookup::Offline
        }
    );
    v.hydrate().await.unwrap();
    assert_eq!(v.jwks_fetches(), 0);
    assert_eq!(v.cached_kids(), ["key-a"]);
}

#[test]
fn malformed_tokens_name_the_segment() {
    let v = access_verifier();
    let good = access(json!({}));
    let malformed = |t: &str| match refused(&v, t) {
        VerifyError::Malformed { segment, .. } => segment,
        other => panic!("{other:?}"),
    };
    assert_eq!(malformed("not a token"), Segment::Token);
    assert_eq!(malformed(&format!("{good}.x")), Segment::Token);
    assert_eq!(malformed(&format!("{good}=")), Segment::Signature);
    assert_eq!(malformed(&format!("{good} ")), Segment::Signature);
    assert_eq!(malformed(&format!("é{good}")), Segment::Header);
    let (_, rest) = good.split_once('.').unwrap();
    assert_eq!(
        malformed(&format!("{}.{rest}", b64json(&json!("x")))),
        Segment::Header
    );
    assert!(matches!(
        refused(&v, &"a".repeat(40_000)),
        VerifyError::TooLarge { len: 40_000, .. }
    ));
}

#[test]
fn issuer_in_both_forms_only_for_this_pool() {
    let v = access_verifier();
    let updated = "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1";
    v.verify_sync_at(&access(json!({"iss": updated})), at(NOW))
        .unwrap();
    for wrong in [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool",
        "https://cognito-idp.us-west-2.amazonaws.com/us-east-1_TestPool1",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1/",
        "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1",
        "https://issuer-cognito-idp.us-west-2.amazonaws.com/us-east-1_TestPool1",
    ] {
        match refused(&v, &access(json!({ "iss": wrong }))) {
            VerifyError::Issuer { found, expected } => {
                assert_eq!(found, wrong);
                assert_eq!(expected.len(), 2);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        refused(&v, &access(json!({"iss": null}))),
        VerifyError::MissingClaim { claim: "iss" }
    );
    assert_eq!(
        refused(&v, &access(json!({"iss": ["x"]}))),
        VerifyError::ClaimType {
            claim: "iss",
            expected: "a string"
        }
    );

    let original_only = offline_builder()
        .issuer_format(IssuerFormat::Original)
        .build()
        .unwrap();
    assert!(matches!(
        refused(&original_only, &access(json!({ "iss": updated }))),
        VerifyError::Issuer { .. }
    ));
    let replicated = offline_builder()
        .additional_regions(["us-west-2"])
        .build()
        .unwrap();
    replicated
        .verify_sync_at(
            &access(
                json!({"iss": "https://cognito-idp.us-west-2.amazonaws.com/us-east-1_TestPool1"}),
            ),
            at(NOW),
        )
        .unwrap();
    let custom = offline_builder()
        .issuers(["http://localhost:9229/us-east-1_TestPool1"])
        .build()
        .unwrap();
    custom
        .verify_sync_at(
            &access(json!({"iss": "http://localhost:9229/us-east-1_TestPool1"})),
            at(NOW),
        )
        .unwrap();
    assert!(matches!(
        refused(&custom, &access(json!({}))),
        VerifyError::Issuer { .. }
    ));
}

#[test]
fn exp_nbf_iat_with_leeway() {
    let v = access_verifier();
    let t = access(json!({"exp": NOW + 10}));
    v.verify_sync_at(&t, at(NOW + 9)).unwrap();
    // Valid only strictly before exp (RFC 7519 4.1.4).
    assert_eq!(
        v.verify_sync_at(&t, at(NOW + 10)).unwrap_err(),
        VerifyError::Expired {
            exp: (NOW + 10) as f64,
            now: NOW + 10,
            leeway: 0
        }
    );
    let lenient = offline_builder()
        .leeway(Duration::from_secs(5))
        .build()
        .unwrap();
    lenient.verify_sync_at(&t, at(NOW + 14)).unwrap();
    assert!(matches!(
        lenient.verify_sync_at(&t, at(NOW + 15)),
        Err(VerifyError::Expired { leeway: 5, .. })
    ));
    // Fractional seconds are numbers too.
    v.verify_sync_at(&access(json!({"exp": NOW as f64 + 0.5})), at(NOW))
        .unwrap();
    assert_eq!(
        refused(&v, &access(json!({"exp": null}))),
        VerifyError::MissingClaim { claim: "exp" }
    );
    assert_eq!(
        refused(&v, &access(json!({"exp": (NOW + 100).to_string()}))),
        VerifyError::ClaimType {
            claim: "exp",
            expected: "a number"
        }
    );

    let nbf = access(json!({"nbf": NOW + 30}));
    assert_eq!(
        refused(&v, &nbf),
        VerifyError::NotYetValid {
            nbf: (NOW + 30) as f64,
            now: NOW,
            leeway: 0
        }
    );
    v.verify_sync_at(&nbf, at(NOW + 30)).unwrap();
    lenient
        .verify_sync_at(&access(json!({"nbf": NOW + 5})), at(NOW))
        .unwrap();

    let iat = access(json!({"iat": NOW + 60}));
    assert_eq!(
        refused(&v, &iat),
        VerifyError::IssuedInFuture {
            iat: (NOW + 60) as f64,
            now: NOW,
            leeway: 0
        }
    );
    lenient
        .verify_sync_at(&access(json!({"iat": NOW + 5})), at(NOW))
        .unwrap();
    assert_eq!(
        refused(&v, &access(json!({"iat": null}))),
        VerifyError::MissingClaim { claim: "iat" }
    );
    assert_eq!(
        refused(&v, &access(json!({"nbf": true}))),
        VerifyError::ClaimType {
            claim: "nbf",
            expected: "a number"
        }
    );
}

#[test]
fn token_use_and_client() {
    let v = access_verifier();
    assert_eq!(
        refused(&v, &access(json!({"token_use": null}))),
        VerifyError::MissingClaim { claim: "token_use" }
    );
    assert_eq!(
        refused(&v, &access(json!({"token_use": "refresh"}))),
        VerifyError::TokenUse {
            found: "refresh".into(),
            expected: TokenUse::Access
        }
    );
    assert_eq!(
        refused(&v, &access(json!({"client_id": "someone-else"}))),
        VerifyError::ClientId {
            claim: "client_id",
            found: "someone-else".into(),
            expected: vec![CLIENT.into()]
        }
    );
    assert_eq!(
        refused(&v, &access(json!({"client_id": null}))),
        VerifyError::MissingClaim { claim: "client_id" }
    );
    // An access token's aud is not its client (Cognito's have none).
    assert_eq!(
        refused(&v, &access(json!({"client_id": null, "aud": CLIENT}))),
        VerifyError::MissingClaim { claim: "client_id" }
    );
    let several = offline_builder()
        .client_ids(["one", CLIENT])
        .build()
        .unwrap();
    several.verify_sync_at(&access(json!({})), at(NOW)).unwrap();
    let any = offline_builder().any_client_id().build().unwrap();
    any.verify_sync_at(&access(json!({"client_id": "x"})), at(NOW))
        .unwrap();

    let idv = offline_builder().token_use(TokenUse::Id).build().unwrap();
    let id = |edit| keys().0.mint(&edited(id_claims(POOL, CLIENT, NOW), edit));
    assert_eq!(
        refused(&idv, &id(json!({"aud": "other"}))),
        VerifyError::ClientId {
            claim: "aud",
            found: "other".into(),
            expected: vec![CLIENT.into()]
        }
    );
    assert_eq!(
        refused(&idv, &id(json!({"aud": [CLIENT]}))),
        VerifyError::ClaimType {
            claim: "aud",
            expected: "a string"
        }
    );
    assert_eq!(
        refused(&idv, &id(json!({"aud": null}))),
        VerifyError::MissingClaim { claim: "aud" }
    );
}

#[test]
fn groups_and_scopes() {
    let any = offline_builder()
        .require_any_group(["admin", "ops"])
        .build()
        .unwrap();
    let all = offline_builder()
        .require_all_groups(["admin", "ops"])
        .build()
        .unwrap();
    let t = access(json!({"cognito:groups": ["ops", "dev"]}));
    any.verify_sync_at(&t, at(NOW)).unwrap();
    assert_eq!(
        refused(&all, &t),
        VerifyError::Groups {
            found: vec!["ops".into(), "dev".into()],
            required: Requirement::AllOf(vec!["admin".into(), "ops".into()])
        }
    );
    all.verify_sync_at(
        &access(json!({"cognito:groups": ["ops", "admin"]})),
        at(NOW),
    )
    .unwrap();
    assert_eq!(
        refused(&any, &access(json!({}))),
        VerifyError::MissingClaim {
            claim: "cognito:groups"
        }
    );
    assert_eq!(
        refused(&any, &access(json!({"cognito:groups": "admin"}))),
        VerifyError::ClaimType {
            claim: "cognito:groups",
            expected: "a list of strings"
        }
    );
    assert!(matches!(
        refused(&any, &access(json!({"cognito:groups": ["dev"]}))),
        VerifyError::Groups { .. }
    ));

    let scope_any = offline_builder()
        .require_any_scope(["orders/read", "orders/write"])
        .build()
        .unwrap();
    let scope_all = offline_builder()
        .require_all_scopes(["openid", "orders/read"])
        .build()
        .unwrap();
    let t = access(json!({"scope": "openid orders/read"}));
    scope_any.verify_sync_at(&t, at(NOW)).unwrap();
    scope_all.verify_sync_at(&t, at(NOW)).unwrap();
    assert_eq!(
        refused(&scope_all, &access(json!({"scope": "openid"}))),
        VerifyError::Scopes {
            found: vec!["openid".into()],
            required: Requirement::AllOf(vec!["openid".into(), "orders/read".into()])
        }
    );
    // Scopes are whole words: "orders/readonly" is not "orders/read".
    assert!(matches!(
        refused(&scope_any, &access(json!({"scope": "orders/readonly"}))),
        VerifyError::Scopes { .. }
    ));
    assert_eq!(
        refused(&scope_any, &access(json!({"scope": null}))),
        VerifyError::MissingClaim { claim: "scope" }
    );
    assert_eq!(
        refused(&scope_any, &access(json!({"scope": ["orders/read"]}))),
        VerifyError::ClaimType {
            claim: "scope",
            expected: "a string"
        }
    );
}

#[test]
fn custom_check_runs_last_on_verified_claims() {
    let v = offline_builder()
        .custom_check(|c| match c.get_str("username") {
            Some("alice") => Ok(()),
            other => Err(format!("user {other:?} is not allowed here")),
        })
        .build()
        .unwrap();
    v.verify_sync_at(&access(json!({})), at(NOW)).unwrap();
    assert_eq!(
        refused(&v, &access(json!({"username": "bob"}))),
        VerifyError::Rejected {
            reason: "user Some(\"bob\") is not allowed here".into()
        }
    );
    // An expired token never reaches it.
    assert!(matches!(
        refused(&v, &access(json!({"username": "bob", "exp": 1}))),
        VerifyError::Expired { .. }
    ));
}

#[test]
fn other_claim_types_are_checked() {
    let v = access_verifier();
    for (claim, value, expected) in [
        ("sub", json!(1), "a string"),
        ("jti", json!({}), "a string"),
        ("aud", json!([1]), "a string or a list of strings"),
    ] {
        assert_eq!(
            refused(&v, &access(json!({ claim: value }))),
            VerifyError::ClaimType { claim, expected }
        );
    }
}

#[test]
fn configuration_errors_at_build() {
    let (a, _) = keys();
    let jwks_a = jwks(&[a]);
    let err = |b: cognito_verify::VerifierBuilder| b.build().unwrap_err();
    assert_eq!(
        err(Verifier::builder(POOL).client_id("c")),
        ConfigError::TokenUseNotChosen
    );
    assert_eq!(
        err(Verifier::builder(POOL).token_use(TokenUse::Id)),
        ConfigError::ClientIdNotChosen
    );
    assert_eq!(
        err(offline_builder().client_ids(Vec::<String>::new())),
        ConfigError::EmptyClientId
    );
    assert!(matches!(
        Verifier::new("eu-west-1", TokenUse::Id, "c"),
        Err(ConfigError::UserPoolId { .. })
    ));
    assert_eq!(
        err(offline_builder().require_any_group(Vec::<String>::new())),
        ConfigError::EmptyRequirement { what: "groups" }
    );
    assert!(matches!(
        err(offline_builder().with_jwks("{\"keys\": 1}")),
        ConfigError::Jwks(_)
    ));
    for (url, ok) in [
        ("https://example.invalid/jwks.json", true),
        ("http://127.0.0.1:9229/p/.well-known/jwks.json", true),
        ("http://[::1]:9229/jwks.json", true),
        ("http://localhost:9229/jwks.json", true),
        ("http://cognito:9229/jwks.json", false),
        ("ftp://example.invalid/jwks.json", false),
        ("not a url", false),
    ] {
        let r = Verifier::builder(POOL)
            .token_use(TokenUse::Access)
            .any_client_id()
            .jwks_url(url)
            .with_jwks(&jwks_a)
            .build();
        assert_eq!(r.is_ok(), ok, "{url}: {r:?}");
    }
    Verifier::builder(POOL)
        .token_use(TokenUse::Access)
        .any_client_id()
        .jwks_url("http://cognito:9229/jwks.json")
        .allow_http()
        .build()
        .unwrap();
    // Verifier::new takes the two decisions every verifier needs.
    let v = Verifier::new(POOL, TokenUse::Access, ClientIds::Any).unwrap();
    assert_eq!(
        v.jwks_url(),
        Some(
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1/.well-known/jwks.json"
        )
    );
    assert_eq!(v.client_ids(), None);
}
