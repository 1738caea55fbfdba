//! The constant-time check ("ctgrind"): run under valgrind memcheck, it marks every secret input
//! as undefined memory and runs the verifier registration, the device registration, the server
//! step, the client step and the device step on the protocol's known-answer vectors. memcheck
//! then reports any branch or memory address computed from a secret; the crate marks as defined
//! only what the protocol sends (A, B, the signature, a claim's verdict, encoded lengths).
//!
//! `scripts/ct-check.sh` builds it in release mode and runs it:
//!   valgrind --error-exitcode=99 target/release/examples/ct_check          # must report nothing
//!   valgrind --error-exitcode=99 target/release/examples/ct_check leaky    # must report the leak
//! `leaky` runs a deliberately leaky function (a table lookup indexed by a secret byte), to show
//! that the harness does catch what it is meant to catch.

use std::hint::black_box;
use std::process::ExitCode;

use srp_core::valgrind::{error_count, mark_defined, mark_secret, running_on_valgrind};
use srp_core::{
    secret_hash, DeviceRegistration, PasswordVerifierChallenge, SrpClient, SrpServer, Timestamp,
    Verifier,
};

const POOL: &str = "AbCdEf123";
const USER: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const SALT: &str = "fa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5";
const USER_SIGNATURE: &str = "zIm5kbwlo6461o1FvHLcSN36A68yBgHdSjENJ1aGzrs=";
const DEVICE_GROUP_KEY: &str = "-kXmPz3Qr";
const DEVICE_KEY: &str = "us-east-1_3b9c6c8e-4f4a-4a8b-9f3d-2f1e0d9c8b7a";
const DEVICE_PASSWORD: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw==";
const DEVICE_SIGNATURE: &str = "McXe/YC4AmdBvUMsIGl+uvAVBUrs/kMaxCz8KQQ6G3A=";
const SECRET_BLOCK: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v";

fn secret_bytes(bytes: &[u8]) -> Vec<u8> {
    let copy = bytes.to_vec();
    mark_secret(&copy);
    copy
}

fn secret_text(text: &str) -> String {
    let copy = text.to_owned();
    mark_secret(copy.as_bytes());
    copy
}

/// A secret the test itself may now look at (to compare with the expected answer).
fn reveal(bytes: &[u8]) -> Vec<u8> {
    let copy = bytes.to_vec();
    mark_defined(&copy);
    copy
}

fn check(what: &str, ok: bool) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("{what}: wrong result"))
    }
}

fn steps() -> Result<(), String> {
    let error = |e: srp_core::SrpError| e.to_string();
    let block: Vec<u8> = (0u8..48).collect();

    // Verifier registration (the server's copy of a user's password).
    let verifier =
        Verifier::from_known_salt(SALT, POOL, USER, &secret_text(PASSWORD)).map_err(error)?;
    // Server step: B from the secret b.
    let server =
        SrpServer::from_known_ephemeral(&verifier, &secret_bytes(&[2u8; 32])).map_err(error)?;
    // Client step: A from the secret a, then the PASSWORD_VERIFIER answer.
    let client = SrpClient::from_known_ephemeral(&secret_bytes(&[1u8; 128])).map_err(error)?;
    let salt = verifier.salt_hex();
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let timestamp = Timestamp::parse("Tue Mar 5 07:04:09 UTC 2024").map_err(error)?;
    let password = secret_text(PASSWORD);
    let claim = client
        .user_password_claim(POOL, USER, &password, &challenge, &timestamp)
        .map_err(error)?;
    check("user signature", claim.signature == USER_SIGNATURE)?;
    // Server step: the claim check.
    server
        .verify_claim(
            client.srp_a(),
            POOL,
            USER,
            &block,
            &claim.timestamp,
            &claim.signature,
        )
        .map_err(error)?;
    let client_key = client
        .session_key(POOL, USER, &password, &salt, server.srp_b())
        .map_err(error)?;
    let server_key = server.session_key(client.srp_a()).map_err(error)?;
    check(
        "session keys",
        reveal(client_key.expose()) == reveal(server_key.expose()),
    )?;

    // Device registration: a verifier for ConfirmDevice, and the server reading it back.
    let mut device_salt = vec![0x11u8; 16];
    device_salt[0] = 0x9c;
    let registration = DeviceRegistration::from_known_values(
        DEVICE_GROUP_KEY,
        DEVICE_KEY,
        &secret_text(DEVICE_PASSWORD),
        &device_salt,
    )
    .map_err(error)?;
    let device_verifier =
        Verifier::from_device_config(registration.password_verifier(), registration.salt())
            .map_err(error)?;
    let exported = device_verifier.password_verifier_base64();
    check(
        "device verifier round trip",
        reveal(exported.as_bytes()) == reveal(registration.password_verifier().as_bytes()),
    )?;
    // Device step: DEVICE_PASSWORD_VERIFIER, checked by the server.
    let device_server =
        SrpServer::from_known_ephemeral(&device_verifier, &secret_bytes(&[2u8; 32]))
            .map_err(error)?;
    let device_client =
        SrpClient::from_known_ephemeral(&secret_bytes(&[1u8; 128])).map_err(error)?;
    let device_salt_hex = device_verifier.salt_hex();
    let device_challenge = PasswordVerifierChallenge {
        salt: &device_salt_hex,
        srp_b: device_server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let device_time = Timestamp::parse("Sun Dec 1 00:00:00 UTC 2024").map_err(error)?;
    let device_claim = device_client
        .device_password_claim(
            DEVICE_GROUP_KEY,
            DEVICE_KEY,
            &secret_text(DEVICE_PASSWORD),
            &device_challenge,
            &device_time,
        )
        .map_err(error)?;
    check(
        "device signature",
        device_claim.signature == DEVICE_SIGNATURE,
    )?;
    device_server
        .verify_claim(
            device_client.srp_a(),
            DEVICE_GROUP_KEY,
            DEVICE_KEY,
            &block,
            &device_claim.timestamp,
            &device_claim.signature,
        )
        .map_err(error)?;
    // A wrong password is refused (the verdict is the only thing revealed).
    let wrong = client
        .user_password_claim(
            POOL,
            USER,
            &secret_text("Passw0rd?"),
            &challenge,
            &timestamp,
        )
        .map_err(error)?;
    check(
        "wrong password refused",
        server
            .verify_claim(
                client.srp_a(),
                POOL,
                USER,
                &block,
                &wrong.timestamp,
                &wrong.signature,
            )
            .is_err(),
    )?;

    // The ephemeral sizes `SrpClient::new` and `SrpServer::new` draw (another comb).
    let size = srp_core::EPHEMERAL_BYTES;
    let server = SrpServer::from_known_ephemeral(&verifier, &secret_bytes(&vec![0x5a; size]))
        .map_err(error)?;
    let client =
        SrpClient::from_known_ephemeral(&secret_bytes(&vec![0xa5; size])).map_err(error)?;
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: server.srp_b(),
        secret_block: SECRET_BLOCK,
    };
    let claim = client
        .user_password_claim(POOL, USER, &password, &challenge, &timestamp)
        .map_err(error)?;
    server
        .verify_claim(
            client.srp_a(),
            POOL,
            USER,
            &block,
            &claim.timestamp,
            &claim.signature,
        )
        .map_err(error)?;

    // SECRET_HASH over a secret client secret.
    let hash = secret_hash(&secret_text("s3cr3t"), "alice", "1example23456789");
    check(
        "SECRET_HASH",
        reveal(hash.as_bytes()) == b"IMpPuFOEIbgZyOCkK5ZvTY2hXdhUUff9Wz0ungvQbF8=",
    )?;
    Ok(())
}

/// Deliberately leaky: reads a table at an address made from a secret byte. A harness that did
/// not report this would prove nothing.
#[inline(never)]
fn leaky_lookup(secret: &[u8]) -> u8 {
    static TABLE: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = (i as u8).wrapping_mul(167);
            i += 1;
        }
        t
    };
    TABLE[black_box(secret[0]) as usize]
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "steps".into());
    if !running_on_valgrind() {
        eprintln!("ct_check: run me under valgrind (scripts/ct-check.sh does)");
        return ExitCode::from(2);
    }
    match mode.as_str() {
        "steps" => {
            if let Err(e) = steps() {
                eprintln!("ct_check: {e}");
                return ExitCode::from(1);
            }
        }
        "leaky" => {
            black_box(leaky_lookup(&secret_bytes(b"k")));
        }
        other => {
            eprintln!("ct_check: unknown mode {other:?} (steps | leaky)");
            return ExitCode::from(2);
        }
    }
    let errors = error_count();
    println!("ct_check {mode}: valgrind reported {errors} error(s)");
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
