//! One boto3 script (`tests/boto3/identity_pools.py`) drives identity pools on moto and on the
//! emulator; the emulator's answers carry at least every top-level member moto's do.

use std::collections::BTreeMap;
use std::process::Command;

use cognito_emulator::BackgroundEmulator;
use test_support::peers::{repo_root, Moto};

fn run(url: &str, server: &str) -> BTreeMap<String, Vec<String>> {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/boto3/identity_pools.py");
    let out = Command::new(repo_root().join(".peers/venv/bin/python"))
        .arg(&script)
        .arg(url)
        .arg(server)
        .output()
        .expect("run the peers' python (scripts/peers.sh install)");
    assert!(
        out.status.success(),
        "the boto3 script failed against {server}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{server}: {e}: {stdout}"))
}

#[test]
fn one_boto3_script_drives_moto_and_the_emulator() {
    let moto = Moto::start();
    let on_moto = run(&moto.url(), "moto");
    let emu = BackgroundEmulator::start("127.0.0.1:0").expect("emulator");
    let on_emulator = run(&emu.endpoint_url(), "emulator");
    for (call, moto_keys) in &on_moto {
        let ours = on_emulator
            .get(call)
            .unwrap_or_else(|| panic!("the emulator's run made no {call}"));
        for key in moto_keys {
            assert!(
                ours.contains(key),
                "{call}: moto answers {key}, the emulator does not ({ours:?})"
            );
        }
    }
    for call in ["GetIdentityPoolRoles", "DescribeIdentity"] {
        assert!(on_emulator.contains_key(call), "{call}");
    }
}
