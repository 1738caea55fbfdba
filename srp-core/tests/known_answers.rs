//! Known-answer vectors from ../shared/docs/cognito-auth-protocol.md section 7, edge cases E1–E14,
//! checked in both roles.

use sha2::{Digest, Sha256};
use srp_core::encoding::{base64_decode_lenient, parse_signed_hex, twos_complement};
use srp_core::{
    DeviceRegistration, PasswordVerifierChallenge, SrpClient, SrpError, SrpServer, Timestamp,
    Verifier,
};

const POOL: &str = "AbCdEf123";
const USER: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const SALT: &str = "fa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5";
const SECRET_BLOCK: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v";
const TIMESTAMP: &str = "Tue Mar 5 07:04:09 UTC 2024";

fn a0_plus(i: u32) -> Vec<u8> {
    let mut a = vec![1u8; 128];
    let mut carry = i;
    for byte in a.iter_mut().rev() {
        let sum = u32::from(*byte) + (carry & 0xff);
        *byte = sum as u8;
        carry = (carry >> 8) + (sum >> 8);
    }
    a
}

fn b0_plus(i: u32) -> Vec<u8> {
    let mut b = vec![2u8; 32];
    let mut carry = i;
    for byte in b.iter_mut().rev() {
        let sum = u32::from(*byte) + (carry & 0xff);
        *byte = sum as u8;
        carry = (carry >> 8) + (sum >> 8);
    }
    b
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

struct Run {
    srp_a: String,
    srp_b: String,
    key: String,
    signature: String,
}

/// Client with a = a0 + i against the oracle server with b, salt and the user's password;
/// also checks that the server accepts the claim.
fn run(i: u32, b: &[u8], salt: &str) -> Run {
    let verifier = Verifier::from_known_salt(salt, POOL, USER, PASSWORD).unwrap();
    let server = SrpServer::from_known_ephemeral(&verifier, b).unwrap();
    let client = SrpClient::from_known_ephemeral(&a0_plus(i)).unwrap();
    let challenge = PasswordVerifierChallenge {
        salt,
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let timestamp = Timestamp::parse(TIMESTAMP).unwrap();
    let claim = client
        .user_password_claim(POOL, USER, PASSWORD, &challenge, &timestamp)
        .unwrap();
    let key = client
        .session_key(POOL, USER, PASSWORD, salt, server.srp_b())
        .unwrap();
    let server_key = server.session_key(client.srp_a()).unwrap();
    assert_eq!(
        key.expose(),
        server_key.expose(),
        "client and server S differ"
    );
    server
        .verify_claim(
            client.srp_a(),
            POOL,
            USER,
            &base64_decode_lenient(SECRET_BLOCK),
            &claim.timestamp,
            &claim.signature,
        )
        .unwrap();
    assert_eq!(claim.secret_block, SECRET_BLOCK);
    assert_eq!(claim.timestamp, TIMESTAMP);
    Run {
        srp_a: client.srp_a().to_owned(),
        srp_b: server.srp_b().to_owned(),
        key: hex(key.expose()),
        signature: claim.signature,
    }
}

fn tb_len(hex_text: &str) -> usize {
    twos_complement(&parse_signed_hex("x", hex_text).unwrap()).len()
}

#[test]
fn group_constant_k() {
    assert_eq!(
        srp_core::k_hex(),
        "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    );
}

#[test]
fn v1_base_case() {
    let r = run(0, &b0_plus(0), SALT);
    assert!(r.srp_a.starts_with("b1ce118779e27c1c"));
    assert_eq!(tb_len(&r.srp_a), 385, "E1: A has its top bit set");
    let tb_a = twos_complement(&parse_signed_hex("A", &r.srp_a).unwrap());
    assert_eq!(
        sha256_hex(&tb_a),
        "37123ee01e3666d670e1f8847a0311b7a0d58414f949d698a47bf624854393be"
    );
    assert!(r.srp_b.starts_with("9739fd9e9a536c69"));
    assert_eq!(r.srp_b.len(), 768);
    let tb_b = twos_complement(&parse_signed_hex("B", &r.srp_b).unwrap());
    assert_eq!(
        sha256_hex(&tb_b),
        "4a18be8160bdb7e4e80edd3af66094d5d5b0306ee357eae5af46bb978116ba10"
    );
    assert_eq!(r.key, "42eb1bc3c027625ec3ad3a2a2d3dc6d2");
    assert_eq!(r.signature, "zIm5kbwlo6461o1FvHLcSN36A68yBgHdSjENJ1aGzrs=");
}

#[test]
fn v1_variants() {
    let cases: [(u32, &str, &str); 4] = [
        (
            1,
            "c8ef900bb34b7d242c3ec7bc0743161b",
            "7+SnH+Zyu/IMpyf2KIxqiNYYo6/MKdH5D+4qK+c6/Xs=",
        ),
        (
            61,
            "909e06cd4ec11b6269ebead290a4ddc6",
            "dMQsSlYF41v9cQMU98zZLl8dSaeOUt7S8ZYsVF3GUHM=",
        ),
        (
            195,
            "71f5355cc3a3bce7d71d060d0f23f330",
            "vMuVLW2jskCThiHAidBnrMUFTTzomWJHWImb6VAYAqE=",
        ),
        (
            699,
            "bd727cc5350e5066b8c1df8f8002b76b",
            "UarVHgjhMVfN4T5hemLwLYxvRNb/cKQqhmbfkdxc7EA=",
        ),
    ];
    for (i, key, signature) in cases {
        let r = run(i, &b0_plus(0), SALT);
        assert_eq!(r.key, key, "a0+{i}");
        assert_eq!(r.signature, signature, "a0+{i}");
    }
    assert_eq!(tb_len(&run(1, &b0_plus(0), SALT).srp_a), 384);
    assert_eq!(
        tb_len(&run(699, &b0_plus(0), SALT).srp_a),
        383,
        "E2: short A"
    );
}

#[test]
fn short_b_with_odd_hex() {
    let r = run(0, &b0_plus(646), SALT);
    assert_eq!(r.srp_b.len(), 766);
    assert_eq!(tb_len(&r.srp_b), 383);
    assert_eq!(r.key, "30feb1e65790fd514f4ea3ededc49325");
    assert_eq!(r.signature, "m6H2BWR+NLEIgXZv0Ah9SI/5xJ78r+YxWe1xDMuquA4=");
}

#[test]
fn negative_salt() {
    let salt = "-5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    assert_eq!(
        hex(&twos_complement(&parse_signed_hex("SALT", salt).unwrap())),
        "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a6"
    );
    let r = run(0, &b0_plus(0), salt);
    assert_eq!(r.key, "14d3305d09368939e7338bcdadb34268");
    assert_eq!(r.signature, "2XhC7aMiKVEjw77dkZ3SGhHvFN4J1fSEEx8YjBCF5JI=");
}

#[test]
fn srp_b_and_salt_spellings_give_the_same_key() {
    let r = run(0, &b0_plus(646), SALT);
    let client = SrpClient::from_known_ephemeral(&a0_plus(0)).unwrap();
    let key = |salt: &str, b: &str| {
        hex(client
            .session_key(POOL, USER, PASSWORD, salt, b)
            .unwrap()
            .expose())
    };
    let expected = key(SALT, &r.srp_b);
    assert_eq!(expected, r.key);
    assert_eq!(
        key(SALT, &format!("0{}", r.srp_b)),
        expected,
        "E6 leading zero"
    );
    assert_eq!(key(SALT, &format!("000{}", r.srp_b)), expected);
    assert_eq!(key(SALT, &r.srp_b.to_uppercase()), expected, "E6 uppercase");
    assert_eq!(
        key(&format!("00{SALT}"), &r.srp_b),
        expected,
        "E7 leading zeros"
    );
    assert_eq!(
        key(&SALT.to_uppercase(), &r.srp_b),
        expected,
        "E7 uppercase"
    );
}

#[test]
fn salt_with_top_bit_needs_a_sign_byte() {
    // E7: first digit >= 8 with even length: TB adds 00; client and server agree.
    let salt = "9c111111111111111111111111111111";
    assert_eq!(tb_len(salt), 17);
    run(3, &b0_plus(5), salt);
}

#[test]
fn illegal_server_values_are_refused() {
    let client = SrpClient::from_known_ephemeral(&a0_plus(0)).unwrap();
    let n = srp_core::N_HEX;
    let two_n = format!(
        "{:x}",
        num_bigint::BigUint::parse_bytes(n.as_bytes(), 16).unwrap() * 2u32
    );
    for b in ["0", "00", "-0", n, &two_n, &format!("-{n}")] {
        assert_eq!(
            client
                .session_key(POOL, USER, PASSWORD, SALT, b)
                .unwrap_err(),
            SrpError::IllegalServerValue,
            "{b}"
        );
    }
    for (salt, b) in [
        ("", "12"),
        ("zz", "12"),
        (SALT, ""),
        (SALT, "0x12"),
        (SALT, "1 2"),
    ] {
        assert!(matches!(
            client
                .session_key(POOL, USER, PASSWORD, salt, b)
                .unwrap_err(),
            SrpError::InvalidHex { .. }
        ));
    }
    assert!(matches!(
        client
            .session_key("", USER, PASSWORD, SALT, "12")
            .unwrap_err(),
        SrpError::EmptyInput { .. }
    ));
}

#[test]
fn illegal_client_values_are_refused() {
    let verifier = Verifier::from_known_salt(SALT, POOL, USER, PASSWORD).unwrap();
    let server = SrpServer::from_known_ephemeral(&verifier, &b0_plus(0)).unwrap();
    let n = srp_core::N_HEX;
    for a in ["0", n, &format!("0{n}")] {
        assert_eq!(
            server.session_key(a).unwrap_err(),
            SrpError::IllegalClientValue
        );
    }
    assert!(server.session_key("-5").is_err());
    assert!(server.session_key("xyz").is_err());
}

#[test]
fn secret_block_forms_do_not_panic() {
    let client = SrpClient::from_known_ephemeral(&a0_plus(0)).unwrap();
    let r = run(0, &b0_plus(0), SALT);
    let timestamp = Timestamp::parse(TIMESTAMP).unwrap();
    let url_safe = SECRET_BLOCK.replace('+', "-").replace('/', "_");
    let mut signatures = Vec::new();
    for block in [
        SECRET_BLOCK,
        &url_safe,
        SECRET_BLOCK.trim_end_matches('='),
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "",
        "%%%",
    ] {
        let challenge = PasswordVerifierChallenge {
            salt: SALT,
            srp_b: &r.srp_b,
            secret_block: block,
        };
        let claim = client
            .user_password_claim(POOL, USER, PASSWORD, &challenge, &timestamp)
            .unwrap();
        assert_eq!(claim.secret_block, block, "sent back unchanged");
        signatures.push(claim.signature);
    }
    assert_eq!(signatures[0], r.signature);
    assert_eq!(signatures[1], r.signature);
    assert_eq!(signatures[2], r.signature);
}

#[test]
fn device_d1_registration_and_login() {
    let group_key = "-kXmPz3Qr";
    let device_key = "us-east-1_3b9c6c8e-4f4a-4a8b-9f3d-2f1e0d9c8b7a";
    let password = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==";
    let mut salt = vec![0x11u8; 16];
    salt[0] = 0x9c;
    let reg =
        DeviceRegistration::from_known_values(group_key, device_key, password, &salt).unwrap();
    assert_eq!(reg.salt(), "AJwRERERERERERERERERERE=");
    let v = base64_decode_lenient(reg.password_verifier());
    assert_eq!(v.len(), 384);
    assert_eq!(
        sha256_hex(&v),
        "f355090802c37d7b5af0084123d14be49c66235eecb7dd0eee37dcd4bb94bbcd"
    );
    assert!(reg
        .password_verifier()
        .starts_with("YGYV6CnV7gBqTCmu8+HlFUVi"));
    assert_eq!(reg.device_password(), password);
    assert!(!format!("{reg:?}").contains(password));

    let verifier = Verifier::from_device_config(reg.password_verifier(), reg.salt()).unwrap();
    assert_eq!(verifier.salt_hex(), "9c111111111111111111111111111111");
    assert_eq!(verifier.password_verifier_base64(), reg.password_verifier());
    let server = SrpServer::from_known_ephemeral(&verifier, &b0_plus(0)).unwrap();
    let client = SrpClient::from_known_ephemeral(&a0_plus(0)).unwrap();
    let challenge = PasswordVerifierChallenge {
        salt: "9c111111111111111111111111111111",
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let timestamp = Timestamp::parse("Sun Dec 1 00:00:00 UTC 2024").unwrap();
    let claim = client
        .device_password_claim(group_key, device_key, password, &challenge, &timestamp)
        .unwrap();
    let key = client
        .session_key(
            group_key,
            device_key,
            password,
            challenge.salt,
            challenge.srp_b,
        )
        .unwrap();
    assert_eq!(hex(key.expose()), "ecf02460452c7d954300c2a71630ffc7");
    assert_eq!(
        claim.signature,
        "McXe/YC4AmdBvUMsIGl+uvAVBUrs/kMaxCz8KQQ6G3A="
    );
    server
        .verify_claim(
            client.srp_a(),
            group_key,
            device_key,
            &base64_decode_lenient(SECRET_BLOCK),
            &claim.timestamp,
            &claim.signature,
        )
        .unwrap();
}

#[test]
fn device_d2_verifier_with_top_bit() {
    let password = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmAg==";
    let mut salt = vec![0x11u8; 16];
    salt[0] = 0x9c;
    let reg = DeviceRegistration::from_known_values(
        "-kXmPz3Qr",
        "us-east-1_3b9c6c8e-4f4a-4a8b-9f3d-2f1e0d9c8b7a",
        password,
        &salt,
    )
    .unwrap();
    let v = base64_decode_lenient(reg.password_verifier());
    assert_eq!(v.len(), 385, "E10: 00 prefix");
    assert_eq!(v[0], 0);
    assert_eq!(
        sha256_hex(&v),
        "18d67f052d8ce4359e6ebc840e099822e04dbd93633c5e6f59dfabe66ad343a6"
    );
    assert!(reg
        .password_verifier()
        .starts_with("ALif5eLE1+fN8MrG4ecPwOZT"));
}

#[test]
fn device_salt_with_leading_zero_byte() {
    // E9: the shorter TB form is registered, and the server's SALT hex round-trips to it.
    let mut salt = vec![0x42u8; 16];
    salt[0] = 0;
    let reg = DeviceRegistration::from_known_values("grp", "dev", "pw", &salt).unwrap();
    assert_eq!(base64_decode_lenient(reg.salt()).len(), 15);
    let verifier = Verifier::from_device_config(reg.password_verifier(), reg.salt()).unwrap();
    let server = SrpServer::from_known_ephemeral(&verifier, &b0_plus(9)).unwrap();
    let client = SrpClient::new().unwrap();
    let salt_hex = verifier.salt_hex();
    let challenge = PasswordVerifierChallenge {
        salt: &salt_hex,
        srp_b: server.srp_b(),
        secret_block: "AAAA",
    };
    let timestamp = Timestamp::now().unwrap();
    let claim = client
        .device_password_claim("grp", "dev", "pw", &challenge, &timestamp)
        .unwrap();
    server
        .verify_claim(
            client.srp_a(),
            "grp",
            "dev",
            &[0, 0, 0],
            &claim.timestamp,
            &claim.signature,
        )
        .unwrap();
}

#[test]
fn non_ascii_identities_round_trip() {
    let verifier = Verifier::generate("Pööl", "ユーザー", "pässwörd🔑").unwrap();
    let server = SrpServer::new(&verifier).unwrap();
    let client = SrpClient::new().unwrap();
    let salt = verifier.salt_hex();
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let ts = Timestamp::now().unwrap();
    let claim = client
        .user_password_claim("Pööl", "ユーザー", "pässwörd🔑", &challenge, &ts)
        .unwrap();
    let block = base64_decode_lenient(SECRET_BLOCK);
    server
        .verify_claim(
            client.srp_a(),
            "Pööl",
            "ユーザー",
            &block,
            &claim.timestamp,
            &claim.signature,
        )
        .unwrap();
    let wrong = client
        .user_password_claim("Pööl", "ユーザー", "passwörd🔑", &challenge, &ts)
        .unwrap();
    assert_eq!(
        server.verify_claim(
            client.srp_a(),
            "Pööl",
            "ユーザー",
            &block,
            &wrong.timestamp,
            &wrong.signature
        ),
        Err(SrpError::SignatureMismatch)
    );
}

#[test]
fn secrets_stay_out_of_debug() {
    let client = SrpClient::from_known_ephemeral(&a0_plus(0)).unwrap();
    let r = run(0, &b0_plus(0), SALT);
    let challenge = PasswordVerifierChallenge {
        salt: SALT,
        srp_b: &r.srp_b,
        secret_block: SECRET_BLOCK,
    };
    let claim = client
        .user_password_claim(
            POOL,
            USER,
            PASSWORD,
            &challenge,
            &Timestamp::parse(TIMESTAMP).unwrap(),
        )
        .unwrap();
    let key = client
        .session_key(POOL, USER, PASSWORD, SALT, &r.srp_b)
        .unwrap();
    let printed = format!("{client:?} {claim:?} {key:?} {challenge:?}");
    for secret in [
        &r.signature,
        &r.key,
        SECRET_BLOCK,
        PASSWORD,
        &hex(&a0_plus(0))[..40],
    ] {
        assert!(!printed.contains(secret), "{secret} leaked: {printed}");
    }
}
