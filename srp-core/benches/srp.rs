//! Criterion benchmarks of the client side: A generation, the full client step
//! (A + PASSWORD_VERIFIER answer: three modular exponentiations), device registration,
//! and the server's side of a login (what the emulator pays per login).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use srp_core::{
    DeviceRegistration, PasswordVerifierChallenge, SrpClient, SrpServer, Timestamp, Verifier,
};

const POOL: &str = "AbCdEf123";
const USER: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const SECRET_BLOCK: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v";

fn benches(c: &mut Criterion) {
    let verifier = Verifier::generate(POOL, USER, PASSWORD).unwrap();
    let server = SrpServer::new(&verifier).unwrap();
    let salt = verifier.salt_hex();
    let srp_b = server.srp_b().to_owned();
    let timestamp = Timestamp::now().unwrap();
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: &srp_b,
        secret_block: SECRET_BLOCK,
    };

    c.bench_function("srp_a_generation", |b| {
        b.iter(|| black_box(SrpClient::new().unwrap()))
    });
    c.bench_function("full_client_step", |b| {
        b.iter(|| {
            let client = SrpClient::new().unwrap();
            black_box(
                client
                    .user_password_claim(POOL, USER, PASSWORD, &challenge, &timestamp)
                    .unwrap(),
            )
        })
    });
    let client = SrpClient::new().unwrap();
    c.bench_function("password_claim_with_precomputed_a", |b| {
        b.iter(|| {
            black_box(
                client
                    .user_password_claim(POOL, USER, PASSWORD, &challenge, &timestamp)
                    .unwrap(),
            )
        })
    });
    c.bench_function("device_registration", |b| {
        b.iter(|| black_box(DeviceRegistration::generate("-grp", "us-east-1_dev").unwrap()))
    });
    let srp_a = client.srp_a().to_owned();
    c.bench_function("server_login", |b| {
        b.iter(|| {
            let server = SrpServer::new(&verifier).unwrap();
            black_box(server.session_key(&srp_a).unwrap())
        })
    });
}

criterion_group! {
    name = srp;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(srp);
