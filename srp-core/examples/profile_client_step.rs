//! A fixed number of full client steps (A + PASSWORD_VERIFIER answer), for profilers that count
//! instructions: `valgrind --tool=callgrind target/release/examples/profile_client_step 10`.
use srp_core::*;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let verifier = Verifier::generate("AbC", "alice", "pw").unwrap();
    let server = SrpServer::new(&verifier).unwrap();
    let salt = verifier.salt_hex();
    let ts = Timestamp::now().unwrap();
    let ch = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: server.srp_b(),
        secret_block: "AAAA",
    };
    let _ = SrpClient::new().unwrap();
    for _ in 0..n {
        let c = SrpClient::new().unwrap();
        std::hint::black_box(
            c.user_password_claim("AbC", "alice", "pw", &ch, &ts)
                .unwrap(),
        );
    }
}
