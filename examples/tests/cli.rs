//! `cognito-login` driven as a user would: password on standard input, `--json`, challenge
//! answers at prompts, a device file; against the in-process emulator and against moto.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use cognito_emulator::FixedAnswer;
use common::*;

/// Runs the binary with `stdin` fed in, outside any AWS environment of the machine.
async fn login(args: Vec<String>, stdin: String, env: Vec<(&'static str, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito-login"));
        cmd.args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for var in [
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "COGNITO_CLIENT_SECRET",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("run cognito-login");
        let mut input = child.stdin.take().expect("stdin");
        // the command may exit before reading everything (a failure): ignore a broken pipe
        let _ = input.write_all(stdin.as_bytes());
        drop(input);
        child.wait_with_output().expect("wait for cognito-login")
    })
    .await
    .expect("join")
}

fn args(pool: &Pool, url: &str, username: &str, extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "--endpoint",
        url,
        "--user-pool-id",
        &pool.id,
        "--client-id",
        &pool.client_id,
        "--username",
        username,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// stdout as Cognito's AuthenticationResult JSON.
fn result_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "cognito-login failed: {}\n{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(&out.stdout)));
    for key in ["AccessToken", "IdToken", "RefreshToken", "TokenType"] {
        assert!(v[key].is_string(), "{key} missing in {v}");
    }
    assert!(v["ExpiresIn"].as_u64().unwrap_or(0) > 0, "{v}");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_login_refresh_and_wrong_password_against_the_emulator() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let p = create_pool(
        &url,
        PoolSpec {
            secret: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "kai", &[("email", "kai@example.com")], false).await;
    let secret = p.client_secret.clone().unwrap();

    // SRP (the default flow), secret from the environment
    let out = login(
        args(&p, &url, "kai", &["--password-stdin", "--json"]),
        format!("{PASSWORD}\n"),
        vec![("COGNITO_CLIENT_SECRET", secret.clone())],
    )
    .await;
    let v = result_json(&out);
    assert_eq!(v["TokenType"], "Bearer");
    assert!(!text(&out.stderr).contains(PASSWORD), "password echoed");

    // USER_PASSWORD_AUTH, secret as an option, readable summary
    let out = login(
        args(
            &p,
            &url,
            "kai",
            &[
                "--password-stdin",
                "--flow",
                "password",
                "--client-secret",
                &secret,
            ],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(
        summary.contains("Signed in as kai with USER_PASSWORD_AUTH"),
        "{summary}"
    );
    assert!(summary.contains("email: kai@example.com"), "{summary}");
    assert!(summary.contains("NOT verified"), "{summary}");
    let access = v["AccessToken"].as_str().unwrap();
    assert!(
        !summary.contains(access),
        "full token printed in the summary"
    );

    // refresh with the refresh token from the first run
    let refresh = v["RefreshToken"].as_str().unwrap().to_owned();
    let out = login(
        args(
            &p,
            &url,
            "kai",
            &["--flow", "refresh", "--refresh-token", "-", "--json"],
        ),
        format!("{refresh}\n"),
        vec![("COGNITO_CLIENT_SECRET", secret.clone())],
    )
    .await;
    let r = result_json(&out);
    assert_eq!(
        r["RefreshToken"], v["RefreshToken"],
        "the old refresh token is kept"
    );

    // a wrong password: non-zero exit, the cause named
    let out = login(
        args(&p, &url, "kai", &["--password-stdin", "--json"]),
        "Wrong-Passw0rd\n".into(),
        vec![("COGNITO_CLIENT_SECRET", secret.clone())],
    )
    .await;
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("incorrect username or password"), "{err}");
    assert!(!err.contains("Wrong-Passw0rd"), "{err}");
    assert!(out.stdout.is_empty());

    // no secret for a client that has one: SECRET_HASH named
    let out = login(
        args(&p, &url, "kai", &["--password-stdin"]),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("SECRET_HASH"),
        "{}",
        text(&out.stderr)
    );

    // an unknown client
    let unknown = Pool {
        client_id: "nosuchclient1".into(),
        ..p.clone()
    };
    let out = login(
        args(&unknown, &url, "kai", &["--password-stdin"]),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn challenges_are_answered_at_prompts() {
    let emu = emulator().await;
    emu.set_custom_auth(Arc::new(FixedAnswer::new("42")));
    let url = emu.endpoint_url();
    let p = create_pool(&url, PoolSpec::default()).await;
    user(&p, "lou", &[], true).await;

    // NEW_PASSWORD_REQUIRED: password, then the new password, from standard input
    let out = login(
        args(&p, &url, "lou", &["--password-stdin", "--json"]),
        format!("{PASSWORD}\nNew-Passw0rd-9\n"),
        vec![],
    )
    .await;
    result_json(&out);
    assert!(
        text(&out.stderr).contains("NEW_PASSWORD_REQUIRED"),
        "{}",
        text(&out.stderr)
    );

    // CUSTOM_AUTH with SRP first, then the custom answer
    let out = login(
        args(
            &p,
            &url,
            "lou",
            &["--flow", "custom", "--password-stdin", "--json"],
        ),
        "New-Passw0rd-9\n42\n".into(),
        vec![],
    )
    .await;
    result_json(&out);
    let err = text(&out.stderr);
    assert!(
        err.contains("PASSWORD_VERIFIER") && err.contains("question: answer?"),
        "{err}"
    );

    // USER_AUTH: SELECT_CHALLENGE answered with PASSWORD, then the password
    let out = login(
        args(&p, &url, "lou", &["--flow", "user-auth", "--json"]),
        "PASSWORD\nNew-Passw0rd-9\n".into(),
        vec![],
    )
    .await;
    result_json(&out);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_file_remember_then_device_login() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let p = create_pool(
        &url,
        PoolSpec {
            devices: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "max", &[], false).await;
    let dir = std::env::temp_dir().join(format!(
        "cognito-login-test-{}",
        test_support::peers::free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file: PathBuf = dir.join("device.json");
    let file_arg = file.to_string_lossy().into_owned();

    let out = login(
        args(
            &p,
            &url,
            "max",
            &[
                "--password-stdin",
                "--remember-device",
                "--device-file",
                &file_arg,
            ],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("device file written")).unwrap();
    assert!(saved["device_key"].is_string() && saved["device_password"].is_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "device file readable by others");
    }

    let out = login(
        args(
            &p,
            &url,
            "max",
            &["--password-stdin", "--device-file", &file_arg, "--json"],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    result_json(&out);
    let err = text(&out.stderr);
    assert!(
        err.contains("DEVICE_SRP_AUTH") && err.contains("DEVICE_PASSWORD_VERIFIER"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
    emu.shutdown().await;
}

/// The no-argument demo with `extra` options; its stdout, once it exited zero with each of
/// `expected` in it.
fn demo(extra: &[&str], expected: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cognito-login"))
        .args(extra)
        .env_remove("AWS_ENDPOINT_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run the demo");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", text(&out.stderr));
    for expected in expected {
        assert!(
            stdout.contains(expected),
            "{expected:?} missing in\n{stdout}"
        );
    }
    stdout
}

#[test]
fn the_no_argument_demo_exits_zero() {
    demo(
        &[],
        &[
            "InitiateAuth USER_SRP_AUTH",
            "challenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "Signed in as demo-user",
            "refresh token kept",
        ],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_prints_the_checks_made_or_why_not() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let p = create_pool(&url, PoolSpec::default()).await;
    user(&p, "vera", &[("email", "vera@example.com")], false).await;

    let out = login(
        args(&p, &url, "vera", &["--password-stdin", "--verify"]),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", text(&out.stderr));
    let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{}", p.id);
    for expected in [
        format!("keys from {url}/{}/.well-known/jwks.json", p.id),
        "access token: verified".to_owned(),
        "id token: verified".to_owned(),
        format!("iss        {issuer} (this pool's issuer)"),
        format!("client_id  {} (this app client)", p.client_id),
        format!("aud        {} (this app client)", p.client_id),
        "token_use  access".to_owned(),
        "signature  RS256, key".to_owned(),
    ] {
        assert!(
            stdout.contains(&expected),
            "{expected:?} missing in\n{stdout}"
        );
    }

    // With --json, stdout stays Cognito's JSON and the report goes to stderr.
    let out = login(
        args(
            &p,
            &url,
            "vera",
            &["--password-stdin", "--verify", "--json"],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    result_json(&out);
    assert!(text(&out.stderr).contains("access token: verified"));

    // Keys that cannot be had: why not, and a failing exit.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let jwks = format!("http://{closed}/jwks.json");
    let out = login(
        args(
            &p,
            &url,
            "vera",
            &["--password-stdin", "--verify", "--jwks-url", &jwks],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("access token: NOT verified: JWKS unavailable: cannot connect"),
        "{stderr}"
    );
    emu.shutdown().await;
}

#[test]
fn the_demo_verifies_its_tokens_with_verify() {
    demo(
        &["--verify"],
        &[
            "access token: verified",
            "id token: verified",
            "refresh token kept",
        ],
    );
}

#[test]
fn usage_errors_exit_non_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_cognito-login"))
        .args(["--user-pool-id", "us-east-1_abc"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--client-id"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cognito-login"))
        .args(["--flow", "nonsense"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_moto_password_srp_and_wrong_password() {
    let moto = test_support::peers::Moto::start();
    let url = moto.url();
    let spec = PoolSpec {
        secret: true,
        ..PoolSpec::default()
    };
    let p = create_pool(&url, spec).await;
    create_user(&p, "nia", PASSWORD, &[], false).await;
    let secret = p.client_secret.clone().unwrap();
    for flow in ["password", "srp"] {
        let out = login(
            args(
                &p,
                &url,
                "nia",
                &["--password-stdin", "--json", "--flow", flow],
            ),
            format!("{PASSWORD}\n"),
            vec![("COGNITO_CLIENT_SECRET", secret.clone())],
        )
        .await;
        result_json(&out);
    }
    let out = login(
        args(&p, &url, "nia", &["--password-stdin", "--flow", "password"]),
        "Wrong-Passw0rd\n".into(),
        vec![("COGNITO_CLIENT_SECRET", secret.clone())],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("incorrect username or password"),
        "{}",
        text(&out.stderr)
    );
}

/// An identity pool for `pool`'s app client on the emulator, with roles.
async fn identity_pool(pool: &Pool, allow_guests: bool) -> String {
    use cognito_identity::types::CognitoIdentityProvider;
    let config = cognito_identity::runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(&pool.url)
        .credentials(cognito_identity::runtime::Credentials::new(
            "AKIDTEST", "testing", None,
        ))
        .build()
        .unwrap();
    let identity = cognito_identity::Client::new(config).unwrap();
    let id = identity
        .create_identity_pool()
        .identity_pool_name("cli")
        .allow_unauthenticated_identities(allow_guests)
        .cognito_identity_providers(CognitoIdentityProvider {
            provider_name: Some(cognito_identity::user_pool_provider(&pool.id)),
            client_id: Some(pool.client_id.clone()),
            server_side_token_check: None,
        })
        .send()
        .await
        .unwrap()
        .identity_pool_id;
    identity
        .set_identity_pool_roles()
        .identity_pool_id(id.clone())
        .roles("authenticated", "arn:aws:iam::123456789012:role/a")
        .roles("unauthenticated", "arn:aws:iam::123456789012:role/u")
        .send()
        .await
        .unwrap();
    id
}

/// stdout as `credential_process` JSON, checked field by field; stderr shows no secret.
fn credential_process(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "cognito-login failed: {}",
        text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", text(&out.stdout)));
    assert_eq!(v["Version"], 1, "{v}");
    assert!(
        v["AccessKeyId"].as_str().unwrap().starts_with("ASIA"),
        "{v}"
    );
    let secret = v["SecretAccessKey"].as_str().unwrap();
    let token = v["SessionToken"].as_str().unwrap();
    let expiration = v["Expiration"].as_str().unwrap();
    // RFC 3339 UTC, within the next hour and a bit
    assert!(
        expiration.len() == 20 && expiration.ends_with('Z') && &expiration[10..11] == "T",
        "{expiration}"
    );
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains(secret) && !stderr.contains(token),
        "{stderr}"
    );
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_pool_credentials_as_credential_process_json() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let p = create_pool(&url, PoolSpec::default()).await;
    user(&p, "ines", &[("email", "ines@example.com")], false).await;
    let closed = identity_pool(&p, false).await;

    let out = login(
        args(
            &p,
            &url,
            "ines",
            &[
                "--password-stdin",
                "--identity-pool-id",
                &closed,
                "--credentials",
            ],
        ),
        format!("{PASSWORD}\n"),
        vec![],
    )
    .await;
    let v = credential_process(&out);
    let issued = emu
        .issued_credentials(v["AccessKeyId"].as_str().unwrap())
        .expect("issued by the emulator");
    assert!(issued.authenticated);
    assert!(
        text(&out.stderr).contains(&issued.identity_id),
        "the identity id is shown"
    );

    // A guest needs a pool that allows them.
    let guest = |pool_id: String| {
        vec![
            "--endpoint".to_owned(),
            url.clone(),
            "--identity-pool-id".to_owned(),
            pool_id,
            "--credentials".to_owned(),
        ]
    };
    let out = login(guest(closed), String::new(), vec![]).await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("does not allow unauthenticated"),
        "{}",
        text(&out.stderr)
    );
    let open = identity_pool(&p, true).await;
    let v = credential_process(&login(guest(open), String::new(), vec![]).await);
    assert!(
        !emu.issued_credentials(v["AccessKeyId"].as_str().unwrap())
            .unwrap()
            .authenticated
    );

    // --credentials alone is a usage error.
    let out = login(vec!["--credentials".into()], String::new(), vec![]).await;
    assert!(!out.status.success());
}
