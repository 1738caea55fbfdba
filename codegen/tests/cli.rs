//! The print command: formatted Rust on stdout, or diagnostics on stderr and a failing status.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_awsjson-codegen"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("run codegen");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn prints_formatted_rust() {
    let (ok, out, err) = run(&[
        "--model",
        "model/cognito-identity-provider.json",
        "--operations",
        "GetUser,GlobalSignOut",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("pub struct Client {\n"), "not formatted Rust");
    assert!(out.contains("pub mod get_user {"));
    assert!(out.contains("pub async fn send_with("));
    assert!(!out.contains("initiate_auth"), "only the chosen operations");
}

#[test]
fn bad_input_fails_with_every_diagnostic() {
    let (ok, out, err) = run(&[
        "--model",
        "model/cognito-identity-provider.json",
        "--operations",
        "GetUsr,SignOn",
    ]);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("unknown operation `GetUsr`: the service has no such operation; did you mean `GetUser`?"), "{err}");
    assert!(err.contains("unknown operation `SignOn`"), "{err}");
    assert!(err.contains("2 error(s)"), "{err}");

    let (ok, _, err) = run(&["--model", "model/nope.json"]);
    assert!(!ok);
    assert!(
        err.contains("cannot read model file `model/nope.json`"),
        "{err}"
    );
}
