//! The token parser and the whole verification, on damaged tokens: real tokens (signed by a key
//! made for the run) with character damage, segments shuffled, JSON rewritten (and in some
//! cases signed again, so the claim checks run too), random headers and claims of every type.
//! Every case parses and verifies under three verifiers; nothing may panic, and an accepted
//! token must be RS256 with canonically encoded segments and claims of the right types.
//! Shared by the stable harness (`verify/tests/fuzz_token.rs`) and the cargo-fuzz target
//! `token` in `fuzz/`.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_verify::{decode_unverified, TokenUse, Verifier};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rsa::pkcs8::EncodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Map, Value};

use test_support::fuzz::Choices;

const POOL: &str = "us-east-1_FuzzPool1";
const CLIENT: &str = "fuzzclient";
const NOW: u64 = 1_800_000_000;

pub struct Harness {
    key: RsaKeyPair,
    rng: SystemRandom,
    verifiers: Vec<Verifier>,
    samples: Vec<String>,
    /// Verifications accepted, and refused by a claim check (the signature verified).
    accepted: AtomicU64,
    claim_refusals: AtomicU64,
}

/// One harness per process: the RSA key takes a while to make.
pub fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(Harness::new)
}

impl Harness {
    fn new() -> Harness {
        let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("RSA key");
        let pkcs8 = private.to_pkcs8_der().expect("pkcs8");
        let key = RsaKeyPair::from_pkcs8(pkcs8.as_bytes()).expect("ring key");
        let jwks = json!({"keys": [
            {"kid": "fuzz", "kty": "RSA", "alg": "RS256", "use": "sig",
             "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
             "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be())},
            {"kid": "ec", "kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"},
        ]})
        .to_string();
        let build = |b: cognito_verify::VerifierBuilder| b.with_jwks(&jwks).build().unwrap();
        let verifiers = vec![
            build(
                Verifier::builder(POOL)
                    .token_use(TokenUse::Access)
                    .client_id(CLIENT),
            ),
            build(
                Verifier::builder(POOL)
                    .token_use(TokenUse::Either)
                    .any_client_id()
                    .require_any_group(["admin"])
                    .leeway(Duration::from_secs(60)),
            ),
            build(
                Verifier::builder(POOL)
                    .token_use(TokenUse::Id)
                    .client_ids([CLIENT, "other"])
                    .require_all_scopes(["a", "b"])
                    .custom_check(|c| match c.get("custom:tier") {
                        Some(Value::String(_)) | None => Ok(()),
                        Some(_) => Err("custom:tier is not a string".into()),
                    }),
            ),
        ];
        let mut h = Harness {
            key,
            rng: SystemRandom::new(),
            verifiers,
            samples: Vec::new(),
            accepted: AtomicU64::new(0),
            claim_refusals: AtomicU64::new(0),
        };
        let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
        let header = json!({"kid": "fuzz", "alg": "RS256"});
        let access = json!({"sub": "s", "iss": iss, "client_id": CLIENT, "token_use": "access",
            "scope": "a b", "exp": NOW + 3600, "iat": NOW, "jti": "j", "username": "alice",
            "cognito:groups": ["admin"]});
        let id = json!({"sub": "s", "iss": iss, "aud": CLIENT, "token_use": "id",
            "exp": NOW + 3600, "iat": NOW, "cognito:username": "alice", "email": "a@b.c",
            "scope": "a b"});
        h.samples = vec![
            h.sign(&header.to_string(), &access.to_string()),
            h.sign(&header.to_string(), &id.to_string()),
        ];
        h
    }

    fn sign(&self, header: &str, payload: &str) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, input.as_bytes(), &mut sig)
            .expect("sign");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    /// The valid samples verify (the damage starts from tokens that work).
    pub fn samples_verify(&self) -> bool {
        let at = UNIX_EPOCH + Duration::from_secs(NOW);
        self.verifiers[0]
            .verify_sync_at(&self.samples[0], at)
            .is_ok()
            && self.verifiers[1]
                .verify_sync_at(&self.samples[0], at)
                .is_ok()
            && self.verifiers[2]
                .verify_sync_at(&self.samples[1], at)
                .is_ok()
    }

    pub fn run(&self, c: &mut impl Choices) {
        let token = self.token(c);
        let at = UNIX_EPOCH + Duration::from_secs(NOW - 120 + c.below(7400) as u64);
        let parsed = decode_unverified(&token);
        for v in &self.verifiers {
            match v.verify_sync_at(&token, at) {
                Ok(claims) => {
                    check_accepted(&token, &claims, at);
                    self.accepted.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => {
                    if past_signature(&e) {
                        self.claim_refusals.fetch_add(1, Ordering::Relaxed);
                    }
                    let text = e.to_string();
                    if let Some((_, sig)) = token.rsplit_once('.') {
                        assert!(
                            sig.len() < 16 || !text.contains(sig),
                            "token in error: {text}"
                        );
                    }
                    // A token the parser refuses is refused for that reason.
                    if let Err(pe) = &parsed {
                        assert_eq!(pe, &e, "parse error changed");
                    }
                }
            }
        }
    }

    /// (accepted, refused by a claim check) verifications so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.accepted.load(Ordering::Relaxed),
            self.claim_refusals.load(Ordering::Relaxed),
        )
    }

    fn token(&self, c: &mut impl Choices) -> String {
        let sample = &self.samples[c.below(self.samples.len())];
        match c.below(6) {
            0 => damage(sample, c),
            1 => shuffle_segments(sample, c),
            2 | 3 => {
                // New JSON for header and/or payload; signed again in one case out of three.
                let (h, p, s) = parts(sample);
                let header = if c.chance(2) {
                    header_json(c)
                } else {
                    decode_text(h)
                };
                let payload = if c.chance(4) {
                    decode_text(p)
                } else {
                    payload_json(&decode_text(p), c)
                };
                if c.chance(3) {
                    self.sign(&header, &payload)
                } else {
                    format!(
                        "{}.{}.{s}",
                        URL_SAFE_NO_PAD.encode(header),
                        URL_SAFE_NO_PAD.encode(payload)
                    )
                }
            }
            4 => {
                let t = damage(sample, c);
                damage(&t, c)
            }
            _ => random_token(c),
        }
    }
}

fn past_signature(e: &cognito_verify::VerifyError) -> bool {
    use cognito_verify::VerifyError::*;
    !matches!(
        e,
        TooLarge { .. }
            | Malformed { .. }
            | Algorithm { .. }
            | CriticalHeader { .. }
            | MissingKid
            | UnknownKid { .. }
            | UnusableKey { .. }
            | InvalidSignature { .. }
    )
}

/// What an accepted token must be.
fn check_accepted(token: &str, claims: &cognito_verify::Claims, at: SystemTime) {
    let parsed = decode_unverified(token).expect("accepted but does not parse");
    assert_eq!(parsed.header().alg.as_deref(), Some("RS256"));
    for segment in token.split('.') {
        let bytes = URL_SAFE_NO_PAD
            .decode(segment)
            .expect("accepted segment not base64url");
        assert_eq!(
            URL_SAFE_NO_PAD.encode(bytes),
            segment,
            "non-canonical segment accepted"
        );
    }
    let exp = claims.expires_at().expect("accepted without exp");
    assert!(exp + Duration::from_secs(60) > at, "accepted after exp");
    assert!(claims.token_use().is_some());
    assert!(claims.issuer().is_some_and(|i| i.ends_with(POOL)));
}

fn parts(token: &str) -> (&str, &str, &str) {
    let (input, s) = token.rsplit_once('.').unwrap_or((token, ""));
    let (h, p) = input.split_once('.').unwrap_or((input, ""));
    (h, p, s)
}

fn decode_text(segment: &str) -> String {
    String::from_utf8_lossy(&URL_SAFE_NO_PAD.decode(segment).unwrap_or_default()).into_owned()
}

const PIECES: &[&str] = &[
    ".", "..", "=", "==", "+", "/", "-", "_", " ", "\n", "\t", "\r\n", "é", "\u{0}", "🦀",
    "\u{202e}", "A", "AA", "AAA", "AAAA", "eyJ", "e30", "W10", "bnVsbA", "%2E", "\\", "\"",
];

/// Character-level damage: insert, delete, replace, cut, repeat.
fn damage(token: &str, c: &mut impl Choices) -> String {
    let mut s: Vec<char> = token.chars().collect();
    for _ in 0..1 + c.below(4) {
        let at = c.below(s.len() + 1);
        match c.below(7) {
            0 => s.truncate(at),
            1 if at < s.len() => {
                s.remove(at);
            }
            2 if at < s.len() => {
                let alphabet: Vec<char> =
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        .chars()
                        .collect();
                s[at] = alphabet[c.below(alphabet.len())];
            }
            3 => {
                let piece = PIECES[c.below(PIECES.len())];
                for (i, ch) in piece.chars().enumerate() {
                    s.insert((at + i).min(s.len()), ch);
                }
            }
            4 => {
                let t: String = s.iter().collect();
                return t.repeat(2 + c.below(3));
            }
            5 if at < s.len() => {
                // Flip a bit of one symbol's value: same length, other bytes or trailing bits.
                if let Some(d) = s[at].to_digit(36) {
                    s[at] = std::char::from_digit(d ^ 1, 36).unwrap_or('A');
                }
            }
            _ => s.push(PIECES[c.below(PIECES.len())].chars().next().unwrap_or('.')),
        }
    }
    s.into_iter().collect()
}

fn shuffle_segments(token: &str, c: &mut impl Choices) -> String {
    let mut segs: Vec<&str> = token.split('.').collect();
    match c.below(4) {
        0 => segs.swap(0, 1),
        1 => segs.reverse(),
        2 => {
            let dup = segs[c.below(segs.len())];
            segs.insert(c.below(segs.len() + 1), dup);
        }
        _ => {
            segs.remove(c.below(segs.len()));
        }
    }
    segs.join(".")
}

fn any_value(c: &mut impl Choices, depth: usize) -> Value {
    match c.below(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(c.chance(2)),
        2 => json!(c.below(4_000_000_000) as u64),
        3 => json!(-(c.below(1000) as i64)),
        4 => json!(c.below(1000) as f64 / 7.0),
        5 => json!(PIECES[c.below(PIECES.len())]),
        6 => Value::Array((0..c.below(4)).map(|_| any_value(c, depth + 1)).collect()),
        _ => {
            let mut m = Map::new();
            for i in 0..c.below(4) {
                m.insert(format!("k{i}"), any_value(c, depth + 1));
            }
            Value::Object(m)
        }
    }
}

fn header_json(c: &mut impl Choices) -> String {
    let algs = [
        "RS256", "none", "HS256", "RS384", "PS256", "ES256", "", "rs256",
    ];
    let mut h = Map::new();
    if !c.chance(8) {
        h.insert("alg".into(), json!(algs[c.below(algs.len())]));
    }
    match c.below(6) {
        0 => {}
        1 => {
            h.insert("kid".into(), json!("ec"));
        }
        2 => {
            h.insert("kid".into(), any_value(c, 0));
        }
        _ => {
            h.insert("kid".into(), json!("fuzz"));
        }
    }
    if c.chance(8) {
        h.insert("crit".into(), any_value(c, 0));
    }
    if c.chance(4) {
        h.insert(format!("x{}", c.below(9)), any_value(c, 0));
    }
    let text = Value::Object(h).to_string();
    match c.below(10) {
        0 => format!("[{text}]"),
        1 => cut(&text, c.below(text.len() + 1)).to_owned(),
        2 => text.replacen('{', r#"{"alg":"none","#, 1),
        _ => text,
    }
}

/// The sample's claims with some replaced by values of any type, some removed, some added.
fn payload_json(sample: &str, c: &mut impl Choices) -> String {
    let mut m: Map<String, Value> = serde_json::from_str(sample).unwrap_or_default();
    let names = [
        "iss",
        "exp",
        "nbf",
        "iat",
        "token_use",
        "client_id",
        "aud",
        "scope",
        "cognito:groups",
        "sub",
        "jti",
        "custom:tier",
    ];
    for _ in 0..1 + c.below(3) {
        let name = names[c.below(names.len())];
        match c.below(5) {
            0 => {
                m.remove(name);
            }
            1 => {
                m.insert(name.into(), any_value(c, 0));
            }
            2 => {
                let t = NOW as i64 + c.below(20_000) as i64 - 10_000;
                m.insert(name.into(), json!(t));
            }
            3 => {
                let v = ["access", "id", CLIENT, "admin", "a b", "b", "other"];
                m.insert(name.into(), json!(v[c.below(v.len())]));
            }
            _ => {
                m.insert(name.into(), json!([CLIENT, "admin", 1]));
            }
        }
    }
    let text = Value::Object(m).to_string();
    match c.below(12) {
        0 => cut(&text, c.below(text.len() + 1)).to_owned(),
        1 => format!("{text}{text}"),
        2 => "[".repeat(200 + c.below(200)),
        _ => text,
    }
}

/// `text` cut at `at` bytes, moved back to a character boundary.
fn cut(text: &str, mut at: usize) -> &str {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

fn random_token(c: &mut impl Choices) -> String {
    let len = c.below(64);
    (0..len)
        .map(|_| PIECES[c.below(PIECES.len())])
        .collect::<String>()
}
