//! The mutation corpus the differential and signature-cache tests judge: real emulator sign-ins
//! (access and ID tokens of several users) and their mutations — each claim wrong, expired,
//! future `nbf`/`iat`, wrong or missing `kid`, `alg` `none` and `HS256` keyed with the public
//! key, re-encoded signatures, truncations, extra dots, unicode — each with the verifier
//! profile it is judged under and the verdict this crate must give.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use cognito_verify::{decode_unverified, TokenUse, Verifier, VerifierBuilder};
use hmac::{Hmac, Mac};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use super::emulator::EmuPool;
use super::{b64json, keys, now};

pub const LEEWAY: u64 = 2;
const USERS: usize = 10;

/// What this crate must answer: accept, refuse with this `VerifyError::summary()`, or refuse
/// for a reason that depends on the random cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Accept,
    Reject(&'static str),
    RejectAny,
}
use Expect::{Accept, Reject, RejectAny};

impl Expect {
    /// Whether `verdict` is this one.
    pub fn holds<T>(self, verdict: &Result<T, cognito_verify::VerifyError>) -> bool {
        match (self, verdict) {
            (Accept, Ok(_)) | (RejectAny, Err(_)) => true,
            (Reject(summary), Err(e)) => e.summary() == summary,
            _ => false,
        }
    }
}

pub struct Case {
    pub kind: &'static str,
    pub profile: &'static str,
    pub token: String,
    pub expect: Expect,
}

/// The claims of a token, as a map to edit.
fn claims_of(token: &str) -> Map<String, Value> {
    decode_unverified(token)
        .unwrap()
        .claims()
        .clone()
        .into_map()
}

fn with(mut c: Map<String, Value>, edits: Value) -> Map<String, Value> {
    for (k, v) in edits.as_object().unwrap() {
        if v.is_null() {
            c.remove(k);
        } else {
            c.insert(k.clone(), v.clone());
        }
    }
    c
}

fn split(token: &str) -> (&str, &str, &str) {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let (h, p) = input.split_once('.').unwrap();
    (h, p, sig)
}

/// SplitMix64, for reproducible cut positions.
pub struct Rng(pub u64);
impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn hs256(secret: &[u8], header: &Value, payload_b64: &str) -> String {
    let input = format!("{}.{payload_b64}", b64json(header));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// The emulator's public key as PEM: the secret of the classic RS256 → HS256 confusion.
fn public_pem(jwk: &Value) -> String {
    let part = |k: &str| URL_SAFE_NO_PAD.decode(jwk[k].as_str().unwrap()).unwrap();
    rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&part("n")),
        rsa::BigUint::from_bytes_be(&part("e")),
    )
    .unwrap()
    .to_public_key_pem(LineEnding::LF)
    .unwrap()
}

/// Mutations of one user's access token (signed again by the emulator where the signature
/// must stay valid).
fn access_cases(
    emu: &Emulator,
    pools: (&EmuPool, &EmuPool),
    token: &str,
    other: &str,
    jwk: &Value,
    rng: &mut Rng,
    out: &mut Vec<Case>,
) {
    let (pool, pool_b) = pools;
    let kid = jwk["kid"].as_str().unwrap();
    let c = claims_of(token);
    let n = now();
    let mut add = |kind, profile, token: String, expect| {
        out.push(Case {
            kind,
            profile,
            token,
            expect,
        })
    };
    let resign = |edits: Value| emu.sign_token(&with(c.clone(), edits)).unwrap();
    let region = pool.pool_id.split('_').next().unwrap();

    add("valid", "access", token.to_owned(), Accept);
    add("valid", "either", token.to_owned(), Accept);
    add("resigned", "access", resign(json!({})), Accept);

    let iss_b = format!(
        "https://cognito-idp.{region}.amazonaws.com/{}",
        pool_b.pool_id
    );
    let iss = c["iss"].as_str().unwrap().to_owned();
    for (kind, edits, expect) in [
        (
            "iss-other-pool",
            json!({ "iss": iss_b }),
            Reject("wrong issuer"),
        ),
        (
            "iss-updated-form",
            json!({"iss": format!("https://issuer-cognito-idp.{region}.amazonaws.com/{}", pool.pool_id)}),
            Accept,
        ),
        (
            "iss-trailing-slash",
            json!({"iss": format!("{iss}/")}),
            Reject("wrong issuer"),
        ),
        (
            "iss-http",
            json!({"iss": iss.replacen("https", "http", 1)}),
            Reject("wrong issuer"),
        ),
        (
            "iss-other-region",
            json!({"iss": format!("https://cognito-idp.eu-west-1.amazonaws.com/{}", pool.pool_id)}),
            Reject("wrong issuer"),
        ),
        ("iss-missing", json!({"iss": null}), Reject("missing claim")),
        (
            "exp-past",
            json!({"exp": n - 3600}),
            Reject("token expired"),
        ),
        (
            "exp-just-past",
            json!({"exp": n - 120}),
            Reject("token expired"),
        ),
        ("exp-missing", json!({"exp": null}), Reject("missing claim")),
        (
            "exp-string",
            json!({"exp": (n + 3600).to_string()}),
            Reject("claim of the wrong type"),
        ),
        ("exp-fractional", json!({"exp": n as f64 + 600.5}), Accept),
        (
            "nbf-future",
            json!({"nbf": n + 600}),
            Reject("token not valid yet"),
        ),
        ("nbf-past", json!({"nbf": n - 600}), Accept),
        (
            "iat-future",
            json!({"iat": n + 600}),
            Reject("token issued in the future"),
        ),
        ("iat-missing", json!({"iat": null}), Reject("missing claim")),
        (
            "token-use-id",
            json!({"token_use": "id"}),
            Reject("wrong token use"),
        ),
        (
            "token-use-refresh",
            json!({"token_use": "refresh"}),
            Reject("wrong token use"),
        ),
        (
            "token-use-missing",
            json!({"token_use": null}),
            Reject("missing claim"),
        ),
        (
            "client-id-other",
            json!({"client_id": pool.other_client_id}),
            Reject("wrong client"),
        ),
        (
            "client-id-missing",
            json!({"client_id": null}),
            Reject("missing claim"),
        ),
        (
            "sub-number",
            json!({"sub": 42}),
            Reject("claim of the wrong type"),
        ),
        (
            "jti-number",
            json!({"jti": 7}),
            Reject("claim of the wrong type"),
        ),
        (
            "unicode-claims",
            json!({"username": "ünïcødé ☃ 🦀 مرحبا", "note": "zero\u{0}width\u{200b}rtl\u{202e}"}),
            Accept,
        ),
        (
            "extra-claims",
            json!({"custom:tier": {"level": [1, 2, {"x": null}]}, "big": "x".repeat(8000)}),
            Accept,
        ),
    ] {
        add(kind, "access", resign(edits), expect);
    }
    for (kind, edits, expect) in [
        (
            "groups-match",
            json!({"cognito:groups": ["dev", "admin"]}),
            Accept,
        ),
        (
            "groups-other",
            json!({"cognito:groups": ["dev"]}),
            Reject("required group missing"),
        ),
        ("groups-missing", json!({}), Reject("missing claim")),
        (
            "groups-string",
            json!({"cognito:groups": "admin"}),
            Reject("claim of the wrong type"),
        ),
    ] {
        add(kind, "groups", resign(edits), expect);
    }
    for (kind, edits, expect) in [
        (
            "scope-match",
            json!({"scope": "openid orders/read"}),
            Accept,
        ),
        (
            "scope-prefix",
            json!({"scope": "orders/readonly"}),
            Reject("required scope missing"),
        ),
        (
            "scope-missing",
            json!({"scope": null}),
            Reject("missing claim"),
        ),
    ] {
        add(kind, "scope", resign(edits), expect);
    }

    // Headers no sign-in writes, signed with the emulator's key.
    let payload = Value::Object(c.clone()).to_string();
    let signed = |header: String| emu.sign_compact(&header, &payload).unwrap();
    add(
        "header-typ-jwt",
        "access",
        signed(json!({"kid": kid, "alg": "RS256", "typ": "JWT"}).to_string()),
        Accept,
    );
    add(
        "header-key-urls-ignored",
        "access",
        signed(
            json!({"kid": kid, "alg": "RS256", "jku": "https://attacker.invalid/jwks.json",
                   "x5u": "https://attacker.invalid/cert.pem"})
            .to_string(),
        ),
        Accept,
    );
    add(
        "header-crit",
        "access",
        signed(json!({"kid": kid, "alg": "RS256", "crit": ["exp"], "exp": 1}).to_string()),
        Reject("unsupported critical header"),
    );
    add(
        "header-duplicate-alg-last-wins",
        "access",
        signed(format!(r#"{{"kid":"{kid}","alg":"none","alg":"RS256"}}"#)),
        Accept,
    );
    add(
        "header-alg-rs384",
        "access",
        signed(json!({"kid": kid, "alg": "RS384"}).to_string()),
        Reject("unsupported algorithm"),
    );
    add(
        "payload-array",
        "access",
        emu.sign_compact(&json!({"kid": kid, "alg": "RS256"}).to_string(), "[1,2]")
            .unwrap(),
        Reject("malformed token"),
    );
    add(
        "payload-not-json",
        "access",
        emu.sign_compact(&json!({"kid": kid, "alg": "RS256"}).to_string(), "not json")
            .unwrap(),
        Reject("malformed token"),
    );

    // Algorithms and keys.
    let (h, p, s) = split(token);
    add(
        "alg-none",
        "access",
        format!("{}.{p}.", b64json(&json!({"kid": kid, "alg": "none"}))),
        Reject("unsupported algorithm"),
    );
    add(
        "alg-none-with-signature",
        "access",
        format!("{}.{p}.{s}", b64json(&json!({"kid": kid, "alg": "none"}))),
        Reject("unsupported algorithm"),
    );
    add(
        "alg-hs256-public-key-pem",
        "access",
        hs256(
            public_pem(jwk).as_bytes(),
            &json!({"kid": kid, "alg": "HS256", "typ": "JWT"}),
            p,
        ),
        Reject("unsupported algorithm"),
    );
    add(
        "alg-hs256-jwk-json",
        "access",
        hs256(
            jwk.to_string().as_bytes(),
            &json!({"kid": kid, "alg": "HS256"}),
            p,
        ),
        Reject("unsupported algorithm"),
    );
    add(
        "kid-unknown",
        "access",
        format!(
            "{}.{p}.{s}",
            b64json(&json!({"kid": format!("nope-{}", rng.below(1 << 20)), "alg": "RS256"}))
        ),
        Reject("unknown key id"),
    );
    add(
        "kid-missing",
        "access",
        format!("{}.{p}.{s}", b64json(&json!({"alg": "RS256"}))),
        Reject("no key id"),
    );
    add(
        "kid-number",
        "access",
        format!("{}.{p}.{s}", b64json(&json!({"kid": 1, "alg": "RS256"}))),
        Reject("malformed token"),
    );
    let (test_key, _) = keys();
    add(
        "foreign-key-same-kid",
        "access",
        test_key.mint_with_header(
            &json!({"kid": kid, "alg": "RS256"}),
            &Value::Object(c.clone()),
        ),
        Reject("invalid signature"),
    );
    add(
        "embedded-jwk",
        "access",
        test_key.mint_with_header(
            &json!({"kid": test_key.kid, "alg": "RS256", "jwk": test_key.jwk}),
            &Value::Object(c.clone()),
        ),
        Reject("unknown key id"),
    );

    // The same signature, spelled otherwise.
    let input = format!("{h}.{p}");
    add(
        "sig-padded",
        "access",
        format!("{token}=="),
        Reject("malformed token"),
    );
    let mut bits = s.to_owned();
    let last = bits.pop().unwrap();
    // 256 bytes end in a 2-symbol group: the last symbol carries 2 bits and 4 unused ones.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.iter().position(|&b| b == last as u8).unwrap();
    bits.push(alphabet[(idx & !0xf) | ((idx + 1) & 0xf)] as char);
    add(
        "sig-trailing-bits",
        "access",
        format!("{input}.{bits}"),
        Reject("malformed token"),
    );
    if s.contains(['-', '_']) {
        add(
            "sig-standard-alphabet",
            "access",
            format!("{input}.{}", s.replace('-', "+").replace('_', "/")),
            Reject("malformed token"),
        );
    }
    add(
        "sig-trailing-newline",
        "access",
        format!("{token}\n"),
        Reject("malformed token"),
    );
    add(
        "sig-trailing-space",
        "access",
        format!("{token} "),
        Reject("malformed token"),
    );
    let mid = s.len() / 2;
    add(
        "sig-junk-char",
        "access",
        format!("{input}.{}!{}", &s[..mid], &s[mid..]),
        Reject("malformed token"),
    );
    add(
        "sig-truncated",
        "access",
        format!("{input}.{}", &s[..s.len() - 4]),
        RejectAny,
    );
    let mut raw = URL_SAFE_NO_PAD.decode(s).unwrap();
    let at = rng.below(raw.len());
    raw[at] ^= 1 << rng.below(8);
    add(
        "sig-bitflip",
        "access",
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(&raw)),
        Reject("invalid signature"),
    );
    let (_, _, other_sig) = split(other);
    add(
        "sig-swapped",
        "access",
        format!("{input}.{other_sig}"),
        Reject("invalid signature"),
    );

    // Structure.
    for _ in 0..3 {
        let cut = 1 + rng.below(token.len() - 2);
        add("truncated", "access", token[..cut].to_owned(), RejectAny);
    }
    add(
        "extra-dot-at-end",
        "access",
        format!("{token}."),
        Reject("malformed token"),
    );
    add(
        "extra-segment",
        "access",
        format!("{token}.{s}"),
        Reject("malformed token"),
    );
    add(
        "double-dot",
        "access",
        format!("{h}..{p}.{s}"),
        Reject("malformed token"),
    );
    add(
        "bearer-prefix",
        "access",
        format!("Bearer {token}"),
        Reject("malformed token"),
    );
    add(
        "leading-space",
        "access",
        format!(" {token}"),
        Reject("malformed token"),
    );
    let at = 1 + rng.below(h.len() - 1);
    add(
        "unicode-in-header",
        "access",
        format!("{}é{}.{p}.{s}", &h[..at], &h[at..]),
        Reject("malformed token"),
    );
    add("empty", "access", String::new(), Reject("malformed token"));
}

/// Mutations of one user's ID token.
fn id_cases(emu: &Emulator, pool: &EmuPool, pool_b: &EmuPool, token: &str, out: &mut Vec<Case>) {
    let c = claims_of(token);
    let resign = |edits: Value| emu.sign_token(&with(c.clone(), edits)).unwrap();
    let region = pool.pool_id.split('_').next().unwrap();
    let mut add = |kind, profile, token: String, expect| {
        out.push(Case {
            kind,
            profile,
            token,
            expect,
        })
    };
    add("valid", "id", token.to_owned(), Accept);
    add("valid", "either", token.to_owned(), Accept);
    add("resigned", "id", resign(json!({})), Accept);
    add(
        "id-as-access",
        "access",
        token.to_owned(),
        Reject("wrong token use"),
    );
    for (kind, edits, expect) in [
        (
            "aud-other",
            json!({"aud": pool.other_client_id}),
            Reject("wrong client"),
        ),
        (
            "aud-array",
            json!({"aud": [pool.client_id]}),
            Reject("claim of the wrong type"),
        ),
        ("aud-missing", json!({"aud": null}), Reject("missing claim")),
        (
            "token-use-access",
            json!({"token_use": "access"}),
            Reject("wrong token use"),
        ),
        (
            "exp-past",
            json!({"exp": now() - 3600}),
            Reject("token expired"),
        ),
        (
            "iss-other-pool",
            json!({"iss": format!("https://cognito-idp.{region}.amazonaws.com/{}", pool_b.pool_id)}),
            Reject("wrong issuer"),
        ),
    ] {
        add(kind, "id", resign(edits), expect);
    }
}

/// The corpus, the emulator pool it came from, and the profiles its cases name.
pub struct Corpus {
    pub pool: EmuPool,
    /// The emulator's JWKS for the pool, and where it serves it.
    pub jwks: Value,
    pub jwks_url: String,
    /// Verifier profiles by name: `token_use`, `client_ids`, and optional `groups` / `scopes`.
    pub profiles: Value,
    pub cases: Vec<Case>,
}

impl Corpus {
    /// Signs in to `emu` and builds every case (≥ 500 tokens).
    pub async fn build(emu: &Emulator) -> Corpus {
        let users: Vec<String> = (0..USERS).map(|i| format!("user{i}")).collect();
        let names: Vec<&str> = users.iter().map(String::as_str).collect();
        let pool = EmuPool::create(emu, &names);
        let pool_b = EmuPool::create(emu, &["user0"]);
        let jwks_url = pool.jwks_url(emu);
        let jwks: Value =
            serde_json::from_str(&reqwest::get(&jwks_url).await.unwrap().text().await.unwrap())
                .unwrap();
        let jwk = jwks["keys"][0].clone();

        let mut cases = Vec::new();
        let mut rng = Rng(0x005E_ED0F_D1FF);
        let signed_in: Vec<(String, String)> = names
            .iter()
            .map(|u| pool.sign_in(emu, &pool.client_id, u))
            .collect();
        for (i, (access, id)) in signed_in.iter().enumerate() {
            let other = &signed_in[(i + 1) % USERS].0;
            access_cases(
                emu,
                (&pool, &pool_b),
                access,
                other,
                &jwk,
                &mut rng,
                &mut cases,
            );
            id_cases(emu, &pool, &pool_b, id, &mut cases);
        }
        // Real sign-ins that fail a check on their own: another client, another pool, a clock
        // that was behind or ahead.
        for u in &names[..3] {
            let (access, id) = pool.sign_in(emu, &pool.other_client_id, u);
            let mut add = |kind, profile, token: String, expect| {
                cases.push(Case {
                    kind,
                    profile,
                    token,
                    expect,
                })
            };
            add(
                "other-client",
                "access",
                access.clone(),
                Reject("wrong client"),
            );
            add("other-client", "either-both-clients", access, Accept);
            add("other-client-id", "id", id, Reject("wrong client"));
            let (access_b, _) = pool_b.sign_in(emu, &pool_b.client_id, "user0");
            add("other-pool", "any-client", access_b, Reject("wrong issuer"));
            emu.clock().advance(-7200);
            let (old, _) = pool.sign_in(emu, &pool.client_id, u);
            emu.clock().reset();
            add("emulator-expired", "access", old, Reject("token expired"));
            emu.clock().advance(600);
            let (ahead, _) = pool.sign_in(emu, &pool.client_id, u);
            emu.clock().reset();
            add(
                "emulator-future-iat",
                "access",
                ahead,
                Reject("token issued in the future"),
            );
        }
        assert!(cases.len() >= 500, "{} tokens", cases.len());

        // The verifier profiles, the same for every judge.
        let profiles = json!({
            "access": {"token_use": "access", "client_ids": [pool.client_id]},
            "id": {"token_use": "id", "client_ids": [pool.client_id]},
            "either": {"token_use": "either", "client_ids": [pool.client_id]},
            "either-both-clients": {"token_use": "either", "client_ids": [pool.client_id, pool.other_client_id]},
            "any-client": {"token_use": "access", "client_ids": [pool.client_id, pool.other_client_id]},
            "groups": {"token_use": "access", "client_ids": [pool.client_id], "groups": ["admin", "ops"]},
            "scope": {"token_use": "access", "client_ids": [pool.client_id], "scopes": ["orders/read"]},
        });
        Corpus {
            pool,
            jwks,
            jwks_url,
            profiles,
            cases,
        }
    }

    /// This crate's verifier for each profile, its keys from `jwks_url`, with `options` added.
    pub fn verifiers(
        &self,
        jwks_url: &str,
        options: impl Fn(VerifierBuilder) -> VerifierBuilder,
    ) -> BTreeMap<String, Verifier> {
        self.profiles
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, p)| {
                let ids: Vec<String> = p["client_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect();
                let mut b = Verifier::builder(&self.pool.pool_id)
                    .token_use(match p["token_use"].as_str().unwrap() {
                        "access" => TokenUse::Access,
                        "id" => TokenUse::Id,
                        _ => TokenUse::Either,
                    })
                    .client_ids(ids)
                    .leeway(std::time::Duration::from_secs(LEEWAY))
                    .jwks_url(jwks_url);
                if let Some(g) = p["groups"].as_array() {
                    b = b.require_any_group(g.iter().map(|v| v.as_str().unwrap()));
                }
                if let Some(s) = p["scopes"].as_array() {
                    b = b.require_any_scope(s.iter().map(|v| v.as_str().unwrap()));
                }
                (name.clone(), options(b).build().unwrap())
            })
            .collect()
    }
}
