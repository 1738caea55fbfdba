//! Parsing of Cognito challenge parameters: SALT and SRP_B (signed hex), SRP_A (server role),
//! SECRET_BLOCK (lenient base64), TIMESTAMP, the device verifier config (base64 pair) and the
//! pool id. Inputs are real values of each kind with character-level damage; every case parses
//! all of them. The full claim (one 3072-bit exponentiation pair, ~1000x the cost of parsing)
//! runs for a fixed small ephemeral `a` only when the caller asks (a sample of cases).
//! Shared by the stable harness (`srp-core/tests/fuzz_srp.rs`) and the cargo-fuzz target `srp`.
#![allow(dead_code)]

use srp_core::encoding::{
    base64_decode_lenient, base64_decode_strict, base64_encode, parse_signed_hex,
    parse_unsigned_hex, to_hex,
};
use srp_core::{
    pool_name, secret_hash, PasswordVerifierChallenge, SrpClient, SrpServer, Timestamp, Verifier,
};
use std::sync::OnceLock;
use test_support::fuzz::Choices;

/// Real-looking values of every parameter, from a genuine server exchange.
pub struct Samples {
    pub salt: String,
    pub srp_b: String,
    pub srp_a: String,
    pub secret_block: String,
    pub timestamp: String,
    pub device_verifier: String,
    pub device_salt: String,
    pub pool_id: &'static str,
    pub client: SrpClient,
    pub server: SrpServer,
}

pub fn samples() -> &'static Samples {
    static S: OnceLock<Samples> = OnceLock::new();
    S.get_or_init(|| {
        let verifier = Verifier::from_known_salt("-5a1f00d", "AbC123", "alice", "pw").unwrap();
        let server = SrpServer::from_known_ephemeral(&verifier, &[0x42; 32]).unwrap();
        // A fixed, small ephemeral: known-answer only, and cheap to exponentiate with.
        let client = SrpClient::from_known_ephemeral(&[7]).unwrap();
        let device = srp_core::DeviceRegistration::from_known_values(
            "us-east-1_g",
            "dk",
            "device-password",
            &[9; 16],
        )
        .unwrap();
        let block: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        Samples {
            salt: verifier.salt_hex(),
            srp_b: server.srp_b().to_owned(),
            srp_a: client.srp_a().to_owned(),
            secret_block: base64_encode(&block),
            timestamp: Timestamp::from_unix_seconds(1_764_152_902)
                .unwrap()
                .as_str()
                .to_owned(),
            device_verifier: device.password_verifier().to_owned(),
            device_salt: device.salt().to_owned(),
            pool_id: "us-east-1_AbC123",
            client,
            server,
        }
    })
}

/// Character-level damage to a real value.
pub fn damage(value: &str, c: &mut impl Choices) -> String {
    const PIECES: &[&str] = &[
        "-", "--", "+", "0", "00", "0x", "f", "F", "g", " ", "\t", "\n", "=", "==", "_", "/", "*",
        "é", "\u{0}", "\u{ff10}", "ꜰ", "𝟎", "Tue", "Feb", "29", "UTC", "GMT", ":", "60",
        "24:00:00", "2026", "10000", "-1", "AAAA", "%",
    ];
    let mut s: Vec<char> = value.chars().collect();
    match c.below(12) {
        0 => return String::new(),
        1 => return PIECES[c.below(PIECES.len())].to_owned(),
        // Longer than any limit: 2049+ digits, or a huge base64 block.
        2 => return value.repeat(2 + c.below(6)),
        _ => {}
    }
    for _ in 0..1 + c.below(4) {
        let at = c.below(s.len() + 1);
        match c.below(6) {
            0 if at < s.len() => {
                s.remove(at);
            }
            1 if at < s.len() => s.truncate(at),
            2 if at < s.len() => {
                let p: Vec<char> = PIECES[c.below(PIECES.len())].chars().collect();
                s.splice(at..(at + 1).min(s.len()), p);
            }
            3 => {
                let p: Vec<char> = PIECES[c.below(PIECES.len())].chars().collect();
                s.splice(at..at, p);
            }
            4 => s.iter_mut().for_each(|ch| *ch = ch.to_ascii_uppercase()),
            _ => {
                let ch = char::from_u32(c.next_u64() as u32 % 0x3_0000).unwrap_or('?');
                s.insert(at, ch);
            }
        }
    }
    s.into_iter().collect()
}

/// One case: damage every parameter and parse it; `claim` also computes the full answer.
pub fn run(c: &mut impl Choices, claim: bool) {
    let s = samples();
    let salt = damage(&s.salt, c);
    let srp_b = damage(&s.srp_b, c);
    let block = damage(&s.secret_block, c);
    let ts = damage(&s.timestamp, c);

    for (field, text) in [("SALT", &salt), ("SRP_B", &srp_b)] {
        if let Ok(v) = parse_signed_hex(field, text) {
            assert_eq!(
                parse_signed_hex(field, &to_hex(&v)).ok(),
                Some(v),
                "{text:?}"
            );
        }
    }
    let _ = parse_unsigned_hex("SRP_A", &damage(&s.srp_a, c));

    let bytes = base64_decode_lenient(&block);
    assert!(bytes.len() <= block.len() * 3 / 4 + 1, "{block:?}");
    if base64_decode_strict("SECRET_BLOCK", &block).is_ok() {
        assert_eq!(
            Some(bytes),
            base64_decode_strict("SECRET_BLOCK", &block).ok()
        );
    }

    if let Ok(t) = Timestamp::parse(&ts) {
        assert_eq!(
            t.as_str(),
            ts,
            "a parsed TIMESTAMP prints as it was written"
        );
        let again = Timestamp::from_unix_seconds(t.unix_seconds()).unwrap();
        assert_eq!(again.as_str(), ts);
    }

    let dv = damage(&s.device_verifier, c);
    let ds = damage(&s.device_salt, c);
    if let Ok(v) = Verifier::from_device_config(&dv, &ds) {
        let _ = format!("{v:?}");
    }
    let _ = pool_name(&damage(s.pool_id, c));
    let _ = secret_hash(&block, &ts, &salt);

    if claim {
        let challenge = PasswordVerifierChallenge {
            salt: &salt,
            srp_b: &srp_b,
            secret_block: &block,
        };
        let t = Timestamp::from_unix_seconds(1_764_152_902).unwrap();
        let user = damage("alice", c);
        if let Ok(claim) = s
            .client
            .user_password_claim("AbC123", &user, "pw", &challenge, &t)
        {
            assert_eq!(
                claim.secret_block, block,
                "SECRET_BLOCK is echoed unchanged"
            );
        }
        let _ = s.server.session_key(&damage(&s.srp_a, c));
    }
}
