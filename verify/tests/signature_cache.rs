//! The cache of verified signatures can never change a verdict: over the whole mutation corpus,
//! seen once and again in shuffled order, at other times, and across key rotations (a key
//! removed, a kid republished with another key, the old set back), a verifier with the cache
//! gives exactly the verdict — the same claims or the same error — of one without it.
//! Also: claims are checked on every call, a key that leaves the JWKS takes its entries with
//! it, the size bound holds, and no Debug output shows tokens or digests.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::Emulator;
use cognito_verify::{
    decode_unverified, KeyLookup, SignatureCacheStats, TokenUse, Verifier, VerifyError,
    DEFAULT_SIGNATURE_CACHE_SIZE,
};
use serde_json::json;
use support::corpus::{Case, Corpus, Rng};
use support::jwks_server::{Behaviour, JwksServer};
use support::{
    access_claims, b64json, id_claims, issuer, jwks, keys, offline_builder, CLIENT, POOL,
};

fn serve(body: String) -> Behaviour {
    Behaviour::Serve {
        body,
        delay: Duration::ZERO,
    }
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// The same profiles three times: the default cache, a tiny one (constant eviction), none.
struct Judges {
    cached: BTreeMap<String, Verifier>,
    tiny: BTreeMap<String, Verifier>,
    plain: BTreeMap<String, Verifier>,
}

impl Judges {
    fn all(&self) -> impl Iterator<Item = &Verifier> {
        self.cached
            .values()
            .chain(self.tiny.values())
            .chain(self.plain.values())
    }

    async fn hydrate(&self) {
        for v in self.all() {
            v.hydrate().await.unwrap();
        }
    }

    /// The caches' statistics, summed over the cached verifiers.
    fn cache_stats(&self) -> SignatureCacheStats {
        let stats = self.cached.values().chain(self.tiny.values());
        stats
            .map(Verifier::signature_cache_stats)
            .fold(SignatureCacheStats::default(), |sum, s| {
                SignatureCacheStats {
                    capacity: sum.capacity + s.capacity,
                    entries: sum.entries + s.entries,
                    hits: sum.hits + s.hits,
                    misses: sum.misses + s.misses,
                }
            })
    }

    fn cache_entries(&self) -> usize {
        self.cache_stats().entries
    }

    fn cache_hits(&self) -> u64 {
        self.cache_stats().hits
    }

    /// Judges `cases[i]` for each `i` of `order` at `now` with and without the cache;
    /// returns how many the uncached verifier accepted. Every difference is a failure.
    fn agree(&self, label: &str, cases: &[Case], order: &[usize], now: SystemTime) -> usize {
        let mut problems = Vec::new();
        let mut accepted = 0;
        for &i in order {
            let c = &cases[i];
            let plain = self.plain[c.profile].verify_sync_at(&c.token, now);
            accepted += usize::from(plain.is_ok());
            for (which, v) in [("cached", &self.cached), ("tiny", &self.tiny)] {
                let verdict = v[c.profile].verify_sync_at(&c.token, now);
                if verdict != plain {
                    problems.push(format!(
                        "{label}: #{i} {} ({}), {which}: {verdict:?}, uncached: {plain:?}",
                        c.kind, c.profile
                    ));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{} differences:\n{}",
            problems.len(),
            problems.join("\n")
        );
        accepted
    }
}

fn shuffled_repeats(n: usize, times: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).cycle().take(n * times).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_never_changes_a_verdict_over_the_corpus_and_key_rotation() {
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let corpus = Corpus::build(&emu).await;
    emu.shutdown().await;
    let cases = &corpus.cases;
    let original = corpus.jwks.to_string();
    let server = JwksServer::start(serve(original.clone())).await;
    let judges = Judges {
        cached: corpus.verifiers(&server.url, |b| b),
        tiny: corpus.verifiers(&server.url, |b| b.signature_cache_size(16)),
        plain: corpus.verifiers(&server.url, |b| b.no_signature_cache()),
    };
    judges.hydrate().await;
    let t0 = SystemTime::now();
    let in_order: Vec<usize> = (0..cases.len()).collect();
    let mut rng = Rng(0xCAC4E);

    // First sight, in corpus order: the expected verdicts, the same with and without cache.
    let accepted = judges.agree("first sight", cases, &in_order, t0);
    for (i, c) in cases.iter().enumerate() {
        let verdict = judges.cached[c.profile].verify_sync_at(&c.token, t0);
        assert!(
            c.expect.holds(&verdict),
            "#{i} {}: expected {:?}, got {verdict:?}",
            c.kind,
            c.expect
        );
    }
    assert!(accepted > 100 && accepted < cases.len() / 2, "{accepted}");
    let entries = judges.cache_entries();
    assert!(entries > 0, "validly signed tokens were remembered");

    // Seen again, shuffled, three times each: now mostly cache hits.
    let hits = judges.cache_hits();
    let order = shuffled_repeats(cases.len(), 3, &mut rng);
    assert_eq!(judges.agree("repeated", cases, &order, t0), accepted * 3);
    assert!(judges.cache_hits() > hits + accepted as u64 * 3, "hits");

    // Cached signatures, other times: every token expired, or every token from the future.
    assert_eq!(
        judges.agree("2 h later", cases, &order, t0 + Duration::from_secs(7200)),
        0
    );
    assert_eq!(
        judges.agree(
            "30 min earlier",
            cases,
            &order,
            t0 - Duration::from_secs(1800)
        ),
        0
    );

    // Rotation 1: the emulator's key leaves the JWKS (key-b, which signed nothing here, is
    // published instead); its entries go with it.
    let (a, b) = keys();
    server.set(serve(jwks(&[b])));
    judges.hydrate().await;
    assert_eq!(
        judges.cache_entries(),
        0,
        "entries of the removed key dropped"
    );
    assert_eq!(judges.agree("key removed", cases, &order, t0), 0);

    // Rotation 2: the emulator's kid published again, with another key's material. Tokens the
    // test key (key-a) signed under that kid now verify (the JWKS says so), the emulator's do
    // not.
    let mut swapped = corpus.jwks.clone();
    swapped["keys"][0]["n"] = a.jwk["n"].clone();
    swapped["keys"][0]["e"] = a.jwk["e"].clone();
    server.set(serve(swapped.to_string()));
    judges.hydrate().await;
    let foreign: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].kind == "foreign-key-same-kid")
        .collect();
    assert!(!foreign.is_empty());
    assert_eq!(
        judges.agree("kid with other key", cases, &order, t0),
        foreign.len() * 3
    );
    assert!(judges.cache_entries() > 0);

    // Rotation 3: the original set again. The other key's entries under that kid are dropped,
    // so the tokens it signed are refused again, cached or not; the emulator's verify again.
    server.set(serve(original));
    judges.hydrate().await;
    assert_eq!(
        judges.cache_entries(),
        0,
        "entries of the replaced key dropped"
    );
    assert_eq!(
        judges.agree("original again", cases, &order, t0),
        accepted * 3
    );
    for &i in &foreign {
        let c = &cases[i];
        assert!(matches!(
            judges.cached[c.profile].verify_sync_at(&c.token, t0),
            Err(VerifyError::InvalidSignature { .. })
        ));
    }
    for v in judges.tiny.values() {
        assert!(v.signature_cache_stats().entries <= 16);
    }
}

const NOW: u64 = 1_800_000_000;

fn stats(v: &Verifier) -> (usize, u64, u64) {
    let s = v.signature_cache_stats();
    (s.entries, s.hits, s.misses)
}

#[test]
fn claims_are_checked_on_every_call() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let v = offline_builder()
        .leeway(Duration::from_secs(5))
        .custom_check(move |claims| {
            counter.fetch_add(1, Ordering::SeqCst);
            match claims.username() {
                Some("alice") => Ok(()),
                _ => Err("not alice".into()),
            }
        })
        .build()
        .unwrap();
    let token = keys().0.mint(&access_claims(POOL, CLIENT, NOW));
    v.verify_sync_at(&token, at(NOW)).unwrap();
    assert_eq!(stats(&v), (1, 0, 1), "first sight: RSA, remembered");
    v.verify_sync_at(&token, at(NOW + 10)).unwrap();
    assert_eq!(stats(&v), (1, 1, 1), "second: from the cache");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the custom check ran both times"
    );

    // The signature is cached; the token is still expired, or not yet issued.
    assert!(matches!(
        v.verify_sync_at(&token, at(NOW + 3600 + 5)),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        v.verify_sync_at(&token, at(NOW - 60)),
        Err(VerifyError::IssuedInFuture { .. })
    ));
    // The same cache behind another token_use: the claims decide.
    let id_verifier = v.for_token_use(TokenUse::Id);
    assert!(matches!(
        id_verifier.verify_sync_at(&token, at(NOW)),
        Err(VerifyError::TokenUse { .. })
    ));
    assert_eq!(stats(&v), (1, 4, 1), "all of them were hits");

    // Another user's token: its own RSA check, and the custom check refuses it.
    let mut claims = access_claims(POOL, CLIENT, NOW);
    claims["username"] = json!("mallory");
    let other = keys().0.mint(&claims);
    for _ in 0..2 {
        assert!(matches!(
            v.verify_sync_at(&other, at(NOW)),
            Err(VerifyError::Rejected { .. })
        ));
    }
    assert_eq!(stats(&v), (2, 5, 2));
}

/// A hit skips the RSA check and nothing else. Each token below is validly signed, so its
/// first verification puts it in the cache; each is wrong in one claim, and the second
/// verification — a hit — refuses it for that claim exactly as the first did. Then a good
/// token, cached while valid, is refused once it has expired, on a hit.
#[test]
fn a_cache_hit_still_checks_every_claim() {
    let (a, _) = keys();
    let access = offline_builder().build().unwrap();
    let id = Verifier::builder(POOL)
        .token_use(TokenUse::Id)
        .client_id(CLIENT)
        .with_jwks(jwks(&[a]))
        .build()
        .unwrap();
    let with = |mut claims: serde_json::Value, claim: &str, value| {
        claims[claim] = value;
        claims
    };
    let good = access_claims(POOL, CLIENT, NOW);
    let cases: [(&str, &Verifier, serde_json::Value); 6] = [
        ("exp", &access, with(good.clone(), "exp", json!(NOW - 1))),
        (
            "iss",
            &access,
            with(good.clone(), "iss", json!(issuer("us-east-1_OtherPool9"))),
        ),
        (
            "client_id",
            &access,
            with(good.clone(), "client_id", json!("other-client")),
        ),
        (
            "token_use",
            &access,
            with(good.clone(), "token_use", json!("id")),
        ),
        ("aud", &id, id_claims(POOL, "other-client", NOW)),
        (
            "token_use (id)",
            &id,
            with(id_claims(POOL, CLIENT, NOW), "token_use", json!("access")),
        ),
    ];
    for (claim, verifier, claims) in cases {
        let token = a.mint(&claims);
        let first = verifier.verify_sync_at(&token, at(NOW));
        let (_, hits, misses) = stats(verifier);
        let second = verifier.verify_sync_at(&token, at(NOW));
        assert_eq!(
            stats(verifier).1,
            hits + 1,
            "{claim}: the second verification is a cache hit"
        );
        assert_eq!(stats(verifier).2, misses, "{claim}: no second RSA check");
        let refused_for_it = match (&first, claim) {
            (Err(VerifyError::Expired { exp, .. }), "exp") => *exp == (NOW - 1) as f64,
            (Err(VerifyError::Issuer { .. }), "iss") => true,
            (Err(VerifyError::ClientId { claim: which, .. }), "client_id" | "aud") => {
                *which == claim
            }
            (Err(VerifyError::TokenUse { .. }), "token_use" | "token_use (id)") => true,
            _ => false,
        };
        assert!(refused_for_it, "{claim}: first sight gave {first:?}");
        assert_eq!(second, first, "{claim}: the hit gives the same refusal");
    }

    // Cached while valid (exp = NOW + 3600), refused from the second it expires.
    let token = a.mint(&good);
    access.verify_sync_at(&token, at(NOW)).unwrap();
    let (_, hits, misses) = stats(&access);
    access.verify_sync_at(&token, at(NOW + 3599)).unwrap();
    for later in [NOW + 3600, NOW + 3600 * 24] {
        assert!(matches!(
            access.verify_sync_at(&token, at(later)),
            Err(VerifyError::Expired { .. })
        ));
    }
    assert_eq!(stats(&access).1, hits + 3, "all three were hits");
    assert_eq!(stats(&access).2, misses, "and none an RSA check");
}

/// No token other than the byte-identical one is ever a hit: every one-character substitution,
/// every insertion and every deletion of a cached token is refused, none of them from the
/// cache, and none is added to it.
#[test]
fn a_modified_token_is_never_a_hit() {
    let v = offline_builder().build().unwrap();
    let (a, _) = keys();
    let token = a.mint(&access_claims(POOL, CLIENT, NOW));
    v.verify_sync_at(&token, at(NOW)).unwrap();
    v.verify_sync_at(&token, at(NOW)).unwrap();
    let (entries, hits, misses) = stats(&v);
    assert_eq!((entries, hits), (1, 1), "the token is cached");

    let chars: Vec<char> = token.chars().collect();
    let spliced = |at: usize, remove: usize, insert: &str| -> String {
        let mut out: String = chars[..at].iter().collect();
        out.push_str(insert);
        out.extend(&chars[at + remove..]);
        out
    };
    let mut modified = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        // Two other values at each position: a letter, and the case flipped, the digit
        // stepped, or `-` / `_` for the other symbols (dots included).
        let other = if c == 'A' { "B" } else { "A" };
        let flipped = match c {
            c if c.is_ascii_lowercase() => c.to_ascii_uppercase().to_string(),
            c if c.is_ascii_uppercase() => c.to_ascii_lowercase().to_string(),
            '9' => "0".into(),
            c if c.is_ascii_digit() => char::from(c as u8 + 1).to_string(),
            '-' => "_".into(),
            _ => "-".into(),
        };
        modified.push(spliced(i, 1, other));
        modified.push(spliced(i, 1, &flipped));
        modified.push(spliced(i, 0, "A"));
        modified.push(spliced(i, 1, ""));
    }
    modified.push(format!("{token}A"));
    modified.push(format!("{token}."));
    modified.push(format!(" {token}"));
    modified.retain(|m| *m != token);
    assert!(modified.len() > 3 * chars.len());

    let mut accepted = Vec::new();
    for (n, m) in modified.iter().enumerate() {
        if v.verify_sync_at(m, at(NOW)).is_ok() {
            accepted.push(n);
        }
    }
    assert!(
        accepted.is_empty(),
        "{} modified tokens accepted",
        accepted.len()
    );
    let (entries, after, misses_after) = stats(&v);
    assert_eq!(after, hits, "no modified token was a cache hit");
    let looked_up = misses_after - misses;
    // Not all refused by the parser: at least one change per signature symbol was looked up.
    let signature_len = token.rsplit_once('.').unwrap().1.len();
    assert!(
        looked_up as usize > signature_len,
        "{looked_up} of {} modified tokens got as far as the cache",
        modified.len()
    );
    assert_eq!(entries, 1, "and none was added");
    v.verify_sync_at(&token, at(NOW)).unwrap();
    assert_eq!(stats(&v).1, hits + 1, "the original still is");
}

#[test]
fn a_cached_signature_covers_exactly_its_token() {
    let v = offline_builder().build().unwrap();
    let (a, _) = keys();
    let token = a.mint(&access_claims(POOL, CLIENT, NOW));
    v.verify_sync_at(&token, at(NOW)).unwrap();
    let (input, signature) = token.rsplit_once('.').unwrap();
    let (header, _) = input.split_once('.').unwrap();

    // The remembered signature with other claims, or under a reordered header.
    let mut claims = access_claims(POOL, CLIENT, NOW);
    claims["username"] = json!("admin");
    let edited_claims = format!("{header}.{}.{signature}", b64json(&claims));
    let reordered_header = format!(r#"{{"kid":"{}","alg":"RS256"}}"#, a.kid);
    let (_, payload) = input.split_once('.').unwrap();
    assert_ne!(URL_SAFE_NO_PAD.encode(&reordered_header), header);
    let reordered = format!(
        "{}.{payload}.{signature}",
        URL_SAFE_NO_PAD.encode(&reordered_header)
    );
    for forged in [edited_claims, reordered] {
        for _ in 0..2 {
            assert!(matches!(
                v.verify_sync_at(&forged, at(NOW)),
                Err(VerifyError::InvalidSignature { .. })
            ));
        }
    }
    // Re-spelled signatures never reach the cache.
    assert!(matches!(
        v.verify_sync_at(&format!("{token}=="), at(NOW)),
        Err(VerifyError::Malformed { .. })
    ));
    assert_eq!(stats(&v), (1, 0, 5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_leaves_the_jwks_takes_its_entries_along() {
    let (a, b) = keys();
    let server = JwksServer::start(serve(jwks(&[a, b]))).await;
    let v = Verifier::builder(POOL)
        .token_use(TokenUse::Access)
        .client_id(CLIENT)
        .jwks_url(&server.url)
        .refetch_interval(Duration::from_millis(1))
        .build()
        .unwrap();
    let now = support::now();
    let ta = a.mint(&access_claims(POOL, CLIENT, now));
    let tb = b.mint(&access_claims(POOL, CLIENT, now));
    v.verify(&ta).await.unwrap();
    v.verify(&tb).await.unwrap();
    assert_eq!(v.signature_cache_stats().entries, 2);

    // key-a rotated out: found out by a kid miss (not hydrate), which installs the new set.
    server.set(serve(jwks(&[b])));
    tokio::time::sleep(Duration::from_millis(5)).await;
    let unknown = a.mint_with_header(
        &json!({"kid": "key-new", "alg": "RS256"}),
        &access_claims(POOL, CLIENT, now),
    );
    assert!(matches!(
        v.verify(&unknown).await,
        Err(VerifyError::UnknownKid {
            lookup: KeyLookup::Refetched,
            ..
        })
    ));
    assert_eq!(server.requests(), 2);
    assert_eq!(
        v.signature_cache_stats().entries,
        1,
        "key-a's entry dropped"
    );
    assert!(matches!(
        v.verify_sync(&ta),
        Err(VerifyError::UnknownKid { .. })
    ));
    v.verify_sync(&tb).unwrap();

    // key-b's kid now names key-a's material: key-b's cached token no longer verifies.
    let mut swapped = b.jwk.clone();
    swapped["n"] = a.jwk["n"].clone();
    server.set(serve(json!({ "keys": [swapped] }).to_string()));
    v.hydrate().await.unwrap();
    assert_eq!(v.signature_cache_stats().entries, 0);
    assert!(matches!(
        v.verify_sync(&tb),
        Err(VerifyError::InvalidSignature { .. })
    ));
    // The same set fetched again keeps what it had.
    server.set(serve(jwks(&[a, b])));
    v.hydrate().await.unwrap();
    v.verify_sync(&ta).unwrap();
    v.verify_sync(&tb).unwrap();
    v.hydrate().await.unwrap();
    let before = v.signature_cache_stats();
    assert_eq!(before.entries, 2);
    v.verify_sync(&ta).unwrap();
    assert_eq!(v.signature_cache_stats().hits, before.hits + 1);
}

#[test]
fn size_bound_and_switching_off() {
    let (a, _) = keys();
    let tokens: Vec<String> = (0..10)
        .map(|i| {
            let mut c = access_claims(POOL, CLIENT, NOW);
            c["jti"] = json!(format!("jti-{i}"));
            a.mint(&c)
        })
        .collect();
    assert_eq!(
        offline_builder().build().unwrap().signature_cache_stats(),
        SignatureCacheStats {
            capacity: DEFAULT_SIGNATURE_CACHE_SIZE,
            ..Default::default()
        }
    );
    for size in [1, 2, 3, 4, 7] {
        let v = offline_builder()
            .signature_cache_size(size)
            .build()
            .unwrap();
        for t in tokens.iter().chain(&tokens) {
            v.verify_sync_at(t, at(NOW)).unwrap();
            assert!(v.signature_cache_stats().entries <= size);
        }
    }
    for off in [
        offline_builder().no_signature_cache().build().unwrap(),
        offline_builder().signature_cache_size(0).build().unwrap(),
    ] {
        for t in tokens.iter().chain(&tokens) {
            off.verify_sync_at(t, at(NOW)).unwrap();
        }
        assert_eq!(
            off.signature_cache_stats(),
            SignatureCacheStats {
                capacity: 0,
                entries: 0,
                hits: 0,
                misses: 20,
            }
        );
    }
}

#[test]
fn debug_shows_no_token_and_no_digest() {
    let v = offline_builder().build().unwrap();
    let (a, _) = keys();
    let token = a.mint(&access_claims(POOL, CLIENT, NOW));
    v.verify_sync_at(&token, at(NOW)).unwrap();
    v.verify_sync_at(&token, at(NOW)).unwrap();
    let debug = format!("{v:?} {:?}", decode_unverified(&token).unwrap());
    for part in token.split('.') {
        assert!(!debug.contains(part), "{debug}");
    }
    let signature = URL_SAFE_NO_PAD
        .decode(token.rsplit_once('.').unwrap().1)
        .unwrap();
    assert!(
        !debug.contains(&format!("{:?}", &signature[..4])),
        "{debug}"
    );
    assert!(
        debug.contains(
            "signature_cache: SignatureCacheStats { capacity: 10000, entries: 1, hits: 1, misses: 1 }"
        ),
        "{debug}"
    );
    // Only counts: no long runs of hex or base64 that could be a digest.
    let longest_run = debug
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .map(str::len)
        .max()
        .unwrap();
    assert!(longest_run < 32, "{debug}");
}
