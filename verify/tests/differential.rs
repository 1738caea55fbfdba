//! Differential test against the real peers: a corpus of emulator tokens (real sign-ins) and
//! their mutations — each claim wrong, expired, future `nbf`/`iat`, wrong or missing `kid`,
//! `alg` `none` and `HS256` keyed with the public key, re-encoded signatures, truncations,
//! extra dots, unicode — judged by this crate, by aws-jwt-verify (Node, the emulator's JWKS
//! cached, kid misses fetched from the emulator) and by PyJWT (with `cryptography`).
//!
//! Our verdict must be the expected one (down to the error's kind); each peer's verdict must be
//! ours, except where `LAXER` names the peer as accepting what we refuse — and there the peer
//! must accept (so a change in a peer shows up here). docs/verification.md explains each entry.
//! The peers are installed by scripts/install-peers.sh; missing peers fail the test.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cognito_emulator::Emulator;
use serde_json::{json, Value};
use support::corpus::{Corpus, LEEWAY};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Peer {
    AwsJwtVerify,
    PyJwt,
}

/// Where a peer accepts what this crate (following AWS) refuses: (mutation kind, peer).
/// Each is explained in docs/verification.md.
const LAXER: &[(&str, Peer)] = &[
    // No exp: aws-jwt-verify checks exp only when present.
    ("exp-missing", Peer::AwsJwtVerify),
    // A numeric string: PyJWT calls int() on it.
    ("exp-string", Peer::PyJwt),
    // aws-jwt-verify never compares iat with the clock, nor requires it.
    ("iat-future", Peer::AwsJwtVerify),
    ("iat-missing", Peer::AwsJwtVerify),
    ("emulator-future-iat", Peer::AwsJwtVerify),
    // A bare string is taken as a one-item list by aws-jwt-verify.
    ("groups-string", Peer::AwsJwtVerify),
    // PyJWT's audience check takes a list containing the client.
    ("aud-array", Peer::PyJwt),
    // aws-jwt-verify ignores crit.
    ("header-crit", Peer::AwsJwtVerify),
    // The same signature spelled otherwise: both accept base64 padding; aws-jwt-verify (Node's
    // decoder) also ignores the unused bits of the last symbol.
    ("sig-padded", Peer::AwsJwtVerify),
    ("sig-padded", Peer::PyJwt),
    ("sig-trailing-bits", Peer::AwsJwtVerify),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Installs the peers (once per test binary) and returns (node_modules, python).
fn peers() -> &'static (PathBuf, PathBuf) {
    static PEERS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PEERS.get_or_init(|| {
        let root = repo_root();
        let ok = Command::new("bash")
            .arg(root.join("scripts/install-peers.sh"))
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "scripts/install-peers.sh failed: aws-jwt-verify and PyJWT are required"
        );
        let nm = root.join(".peers/node/node_modules");
        assert!(
            nm.join("aws-jwt-verify/package.json").exists(),
            "aws-jwt-verify missing under .peers/node/node_modules (scripts/install-peers.sh)"
        );
        let py = root.join(".peers/venv/bin/python");
        let has_jwt = Command::new(&py)
            .args(["-c", "import jwt, cryptography"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            has_jwt,
            "PyJWT with cryptography missing in .peers/venv (scripts/install-peers.sh)"
        );
        (nm, py)
    })
}

struct Verdict {
    ok: bool,
    error: String,
}

fn run_peer(program: &Path, args: &[&str]) -> Vec<Verdict> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} {args:?} failed:\n{}\n{stdout}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            Verdict {
                ok: v["ok"].as_bool().unwrap(),
                error: v["error"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdicts_agree_with_aws_jwt_verify_and_pyjwt() {
    let (node_modules, python) = peers().clone();
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let corpus = Corpus::build(&emu).await;
    let ours = corpus.verifiers(&corpus.jwks_url, |b| b);
    let cases = &corpus.cases;

    let dir = std::env::temp_dir().join(format!(
        "cognito-verify-differential-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let corpus_path = dir.join("corpus.json");
    let corpus_json = json!({
        "pool_id": corpus.pool.pool_id,
        "jwks": corpus.jwks,
        "jwks_url": corpus.jwks_url,
        "leeway": LEEWAY,
        "profiles": corpus.profiles,
        "cases": cases.iter().enumerate().map(|(id, c)| json!({"id": id, "profile": c.profile, "token": c.token})).collect::<Vec<_>>(),
    });
    std::fs::write(&corpus_path, corpus_json.to_string()).unwrap();

    let mut our_verdicts = Vec::new();
    for c in cases {
        our_verdicts.push(ours[c.profile].verify(&c.token).await);
    }
    let peer_dir = repo_root().join("verify/tests/peers");
    let corpus_arg = corpus_path.to_str().unwrap();
    let node = run_peer(
        Path::new("node"),
        &[
            peer_dir.join("aws_jwt_verify.cjs").to_str().unwrap(),
            node_modules.to_str().unwrap(),
            corpus_arg,
        ],
    );
    let py = run_peer(
        &python,
        &[
            peer_dir.join("pyjwt_verify.py").to_str().unwrap(),
            corpus_arg,
        ],
    );
    std::fs::remove_dir_all(&dir).ok();
    emu.shutdown().await;
    assert_eq!(node.len(), cases.len());
    assert_eq!(py.len(), cases.len());

    // Our verdicts are the expected ones.
    let mut problems = Vec::new();
    for (i, (c, v)) in cases.iter().zip(&our_verdicts).enumerate() {
        if !c.expect.holds(v) {
            problems.push(format!(
                "#{i} {} ({}): expected {:?}, ours {:?}",
                c.kind, c.profile, c.expect, v
            ));
        }
    }
    // Each peer agrees, or is laxer exactly where LAXER says.
    let mut table: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    let mut lax_seen: BTreeMap<(&str, Peer), usize> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        let our_ok = our_verdicts[i].is_ok();
        let row = table.entry(c.kind).or_default();
        row[0] += 1;
        row[1] += usize::from(our_ok);
        for (peer, verdicts, col) in [(Peer::AwsJwtVerify, &node, 2), (Peer::PyJwt, &py, 3)] {
            let v = &verdicts[i];
            row[col] += usize::from(v.ok);
            let lax = LAXER.contains(&(c.kind, peer));
            if lax {
                *lax_seen.entry((c.kind, peer)).or_default() += 1;
                if our_ok || !v.ok {
                    problems.push(format!(
                        "#{i} {}: {peer:?} listed as laxer, but ours ok={our_ok}, peer ok={} {}",
                        c.kind, v.ok, v.error
                    ));
                }
            } else if v.ok != our_ok {
                problems.push(format!(
                    "#{i} {} ({}): ours {:?}, {peer:?} ok={} {}",
                    c.kind, c.profile, our_verdicts[i], v.ok, v.error
                ));
            }
        }
    }
    println!(
        "{} tokens; accepted by (ours, aws-jwt-verify, PyJWT) per kind:",
        cases.len()
    );
    for (kind, [n, o, a, p]) in &table {
        println!("  {kind:<32} {n:>3}  {o:>3} {a:>3} {p:>3}");
    }
    for (kind, peer) in LAXER {
        assert!(
            lax_seen.contains_key(&(*kind, *peer)),
            "LAXER entry {kind} / {peer:?} matched no token"
        );
    }
    assert!(
        problems.is_empty(),
        "{} disagreements:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
