//! Clients no one here wrote, installed into the git-ignored `.peers/` by the repository's
//! scripts (the tests install them and fail loudly if that is impossible; they never skip):
//! boto3 (the same setup script against moto and the emulator), pycognito's AWSSRP, PyJWT
//! against the JWKS, and amazon-cognito-identity-js in Node (SRP login, device SRP).

mod common;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use common::*;
use serde_json::Value;

const USER: &str = "peeruser";
const PASSWORD: &str = "Peer-Passw0rd";

/// Peer installation runs once per test binary, serialized.
fn python() -> PathBuf {
    static PY: OnceLock<PathBuf> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    PY.get_or_init(peers_python).clone()
}

fn node_path() -> PathBuf {
    static NM: OnceLock<PathBuf> = OnceLock::new();
    let _ = python();
    static LOCK: Mutex<()> = Mutex::new(());
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    NM.get_or_init(node_modules).clone()
}

fn script(name: &str) -> String {
    repo_root()
        .join("emulator/tests/peers")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

const AWS_ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

fn setup(endpoint: &str, devices: bool) -> Value {
    let py = python();
    let setup = script("setup_boto3.py");
    let mut args = vec![setup.as_str(), endpoint, USER, PASSWORD];
    if devices {
        args.push("--devices");
    }
    let out = run(&py, &args, AWS_ENV);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("setup output {out:?}: {e}"))
}

#[test]
fn boto3_setup_script_runs_unchanged_against_moto_and_the_emulator() {
    let _ = python();
    let moto = Moto::fresh();
    let on_moto = setup(&moto.url(), false);
    drop(moto);
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let on_emu = setup(&emu.endpoint, false);
    for out in [&on_moto, &on_emu] {
        assert_eq!(out["user_status"], "CONFIRMED", "{out}");
        assert!(out["pool_id"].as_str().unwrap().starts_with("us-east-1_"));
        assert!(!out["client_secret"].as_str().unwrap().is_empty());
    }
}

/// The OAuth setup (domain, resource server, app client OAuth settings) with boto3 against
/// moto and the emulator: both accept it, and every member moto answers, the emulator answers.
#[test]
fn boto3_oauth_setup_against_moto_and_the_emulator() {
    let py = python();
    let script = script("oauth_boto3.py");
    let moto = Moto::fresh();
    let on_moto: Value =
        serde_json::from_str(run(&py, &[script.as_str(), &moto.url()], AWS_ENV).trim()).unwrap();
    drop(moto);
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let on_emu: Value =
        serde_json::from_str(run(&py, &[script.as_str(), &emu.endpoint], AWS_ENV).trim()).unwrap();
    for (response, members) in on_moto.as_object().unwrap() {
        let ours = on_emu[response]
            .as_array()
            .unwrap_or_else(|| panic!("the emulator does not serve {response}: {on_emu}"));
        // null: moto does not serve it
        for m in members.as_array().into_iter().flatten() {
            assert!(
                ours.contains(m),
                "{response}: moto answers {m}, the emulator does not ({ours:?})"
            );
        }
    }
    eprintln!("moto: {on_moto}\nemulator: {on_emu}");
}

/// Managed login with other people's clients: boto3 sets up, `requests` walks the login page
/// and redeems the code with PKCE, PyJWT verifies the tokens against the JWKS (emulator binary).
#[test]
fn requests_and_pyjwt_sign_in_through_managed_login() {
    let py = python();
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let out = run(
        &py,
        &[script("hosted_ui_requests.py").as_str(), &emu.endpoint],
        AWS_ENV,
    );
    let out: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(out["username"], "pat");
    assert_eq!(out["scope"], "openid email");
    assert_eq!(out["id_token_email"], "pat@example.com");
    assert_eq!(out["userinfo_email"], "pat@example.com");
    assert_eq!(out["refreshed"], true);
}

fn pycognito(endpoint: &str, s: &Value, secret: bool, password: &str) -> String {
    let py = python();
    let login = script("pycognito_login.py");
    let (client, secret_arg) = if secret {
        (
            s["secret_client_id"].as_str().unwrap(),
            s["client_secret"].as_str().unwrap(),
        )
    } else {
        (s["client_id"].as_str().unwrap(), "-")
    };
    let args = [
        login.as_str(),
        endpoint,
        s["pool_id"].as_str().unwrap(),
        client,
        secret_arg,
        USER,
        password,
    ];
    run(&py, &args, AWS_ENV).trim().to_owned()
}

#[test]
fn pycognito_srp_logins_and_tokens_verify_against_the_jwks() {
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let s = setup(&emu.endpoint, false);
    assert_eq!(pycognito(&emu.endpoint, &s, false, PASSWORD), "OK");
    assert_eq!(pycognito(&emu.endpoint, &s, true, PASSWORD), "OK");
    assert_eq!(
        pycognito(&emu.endpoint, &s, false, "Wrong-Passw0rd"),
        "WRONG_PASSWORD:NotAuthorizedException"
    );
    assert_eq!(
        pycognito(&emu.endpoint, &s, true, "Wrong-Passw0rd"),
        "WRONG_PASSWORD:NotAuthorizedException"
    );
}

#[test]
fn amazon_cognito_identity_js_srp_login_and_device_srp() {
    let node_modules = node_path();
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let s = setup(&emu.endpoint, true);
    let js = script("js_login.js");
    let nm = node_modules.to_string_lossy().into_owned();
    let out = run(
        std::path::Path::new("node"),
        &[
            js.as_str(),
            &emu.endpoint,
            s["pool_id"].as_str().unwrap(),
            s["client_id"].as_str().unwrap(),
            USER,
            PASSWORD,
        ],
        &[("NODE_PATH", nm.as_str()), ("EXPECT_DEVICE", "1")],
    );
    assert!(out.contains("SRP_LOGIN_OK"), "{out}");
    assert!(
        out.contains("WRONG_PASSWORD:NotAuthorizedException"),
        "{out}"
    );
    assert!(out.contains("DEVICE_LOGIN_OK:us-east-1_"), "{out}");
}

fn groups_script(endpoint: &str) -> Value {
    let py = python();
    let out = run(
        &py,
        &[script("groups_boto3.py").as_str(), endpoint],
        AWS_ENV,
    );
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("groups output {out:?}: {e}"))
}

#[test]
fn boto3_drives_groups_the_same_way_on_moto_and_the_emulator() {
    let _ = python();
    let moto = Moto::fresh();
    let on_moto = groups_script(&moto.url());
    drop(moto);
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let on_emu = groups_script(&emu.endpoint);
    let (m, e) = (on_moto.as_object().unwrap(), on_emu.as_object().unwrap());
    assert_eq!(
        m.keys().collect::<Vec<_>>(),
        e.keys().collect::<Vec<_>>(),
        "{on_moto}\n{on_emu}"
    );
    for (k, v) in m {
        if k.ends_with("_token") {
            continue;
        }
        assert_eq!(v, &e[k], "{k}: moto {v}, emulator {}", e[k]);
    }
    // Both put the groups in both tokens; moto lists them in the order they were joined,
    // Cognito (and the emulator) by precedence, and only Cognito (and the emulator) adds the
    // groups' roles to the ID token.
    for token in ["id_token", "access_token"] {
        let sorted = |v: &Value| {
            let mut g: Vec<String> = serde_json::from_value(v["cognito:groups"].clone()).unwrap();
            g.sort();
            g
        };
        assert_eq!(sorted(&m[token]), sorted(&e[token]), "{token}");
        assert_eq!(
            e[token]["cognito:groups"],
            serde_json::json!(["admins", "readers", "plain"])
        );
    }
    let role = "arn:aws:iam::123456789012:role/";
    assert_eq!(
        e["id_token"]["cognito:roles"],
        serde_json::json!([format!("{role}admins"), format!("{role}readers")])
    );
    assert_eq!(
        e["id_token"]["cognito:preferred_role"],
        format!("{role}admins")
    );
    assert!(e["access_token"].get("cognito:roles").is_none());
}

/// Every member path of an answer's shape (`.UserPool.Policies.PasswordPolicy`, `[]` for list
/// items), as the script prints it.
fn member_paths(shape: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match shape {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{prefix}.{k}");
                out.insert(p.clone());
                member_paths(v, &p, out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                member_paths(first, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Members moto puts in answers that Cognito leaves out unless they are set, so the emulator
/// leaves them out too: the deprecated MFAOptions, MFA lists of a user without MFA, an unset
/// group description, the legacy verification message members, a Session VerifySoftwareToken
/// only returns when it was given one, and the CloudFront distribution that only a custom domain
/// has (moto names one for a prefix domain too).
const MOTO_ONLY: &[&str] = &[
    "UpdateUserPoolDomain.CloudFrontDomain",
    "MFAOptions",
    ".PreferredMfaSetting",
    ".UserMFASettingList",
    ".Group.Description",
    ".UserPool.EmailVerificationMessage",
    ".UserPool.EmailVerificationSubject",
    ".UserPool.SmsVerificationMessage",
    ".UserPool.AdminCreateUserConfig.InviteMessageTemplate",
    ".UserPool.VerificationMessageTemplate.EmailMessage",
    ".UserPool.VerificationMessageTemplate.EmailSubject",
    ".UserPool.VerificationMessageTemplate.SmsMessage",
    "VerifySoftwareToken.Session",
];

#[test]
fn boto3_calls_every_served_operation_and_answers_have_motos_members() {
    let py = python();
    let served = cognito_emulator::served_operations().join(",");
    let script = script("all_operations_boto3.py");
    let emu = EmulatorProcess::start(EMULATOR_BIN);
    let on_emu: Value =
        serde_json::from_str(run(&py, &[script.as_str(), &emu.endpoint, &served], AWS_ENV).trim())
            .unwrap();
    drop(emu);
    let moto = Moto::fresh();
    let on_moto: Value =
        serde_json::from_str(run(&py, &[script.as_str(), &moto.url(), &served], AWS_ENV).trim())
            .unwrap();
    drop(moto);
    let (e, m) = (on_emu.as_object().unwrap(), on_moto.as_object().unwrap());
    for op in cognito_emulator::served_operations() {
        let got = &e[op];
        assert!(
            got.get("shape").is_some(),
            "{op} failed on the emulator: {got}"
        );
        let Some(moto_shape) = m.get(op).and_then(|v| v.get("shape")) else {
            continue; // moto does not have it, or fails it
        };
        let (mut want, mut have) = (Default::default(), Default::default());
        member_paths(moto_shape, "", &mut want);
        member_paths(&got["shape"], "", &mut have);
        let missing: Vec<&String> = want
            .difference(&have)
            .filter(|p| {
                !MOTO_ONLY
                    .iter()
                    .any(|allowed| p.contains(allowed) || format!("{op}{p}").contains(allowed))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "{op}: members moto answers and the emulator does not: {missing:?}"
        );
    }
}
