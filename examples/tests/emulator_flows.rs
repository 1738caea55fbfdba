//! Every sign-in flow and challenge of `cognito_idp::auth` against the in-process emulator,
//! which verifies SRP and device SRP claims, SECRET_HASH, TOTP and one-time codes for real.

mod common;

use std::sync::Arc;
use std::time::Duration;

use cognito_emulator::FixedAnswer;
use cognito_idp::auth::{
    AuthError, AuthEvent, DeviceOptions, MfaType, PreferredChallenge, RememberedDevice, Secret,
    SignInStep,
};
use cognito_idp::types::{ExplicitAuthFlowsType, SmsMfaSettingsType, UserPoolMfaType};
use common::*;

fn expect_done(step: SignInStep) -> cognito_idp::auth::Tokens {
    match step {
        SignInStep::Done(t) => t,
        other => panic!("expected tokens, got {}", other.name()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn srp_password_and_refresh_with_and_without_a_secret() {
    let emu = emulator().await;
    for secret in [false, true] {
        let p = create_pool(
            &emu.endpoint_url(),
            PoolSpec {
                secret,
                ..PoolSpec::default()
            },
        )
        .await;
        assert_eq!(p.client_secret.is_some(), secret);
        user(&p, "alice", &[("email", "alice@example.com")], false).await;
        let (auth, events) = auth(&p, None);

        let tokens = expect_done(auth.sign_in_srp("alice", PASSWORD).await.unwrap());
        assert_eq!(challenges(&events), ["PASSWORD_VERIFIER"]);
        assert_eq!(tokens.username().as_deref(), Some("alice"));
        assert_eq!(
            tokens.id_claims_unverified().unwrap().get_str("email"),
            Some("alice@example.com")
        );
        assert!(!tokens.needs_refresh(Duration::from_secs(300)));

        expect_done(auth.sign_in_password("alice", PASSWORD).await.unwrap());

        let fresh = auth.refresh_tokens(&tokens).await.expect("refresh");
        assert_eq!(
            fresh.refresh_token().map(Secret::expose),
            tokens.refresh_token().map(Secret::expose)
        );
        assert_ne!(
            fresh.access_token().expose(),
            tokens.access_token().expose()
        );

        // the emulator verifies the SRP claim: a wrong password fails in PASSWORD_VERIFIER
        let err = auth
            .sign_in_srp("alice", "Wrong-Passw0rd")
            .await
            .unwrap_err();
        assert!(
            matches!(err, AuthError::IncorrectUsernameOrPassword(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("incorrect username or password"));
        let err = auth
            .sign_in_password("alice", "Wrong-Passw0rd")
            .await
            .unwrap_err();
        assert!(
            matches!(err, AuthError::IncorrectUsernameOrPassword(_)),
            "{err:?}"
        );
        let dbg = format!("{err:?} {err}");
        assert!(!dbg.contains("Wrong-Passw0rd"), "{dbg}");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alias_email_login_uses_the_internal_username_everywhere() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            email_username: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(
        &p,
        "ana@example.com",
        &[("email", "ana@example.com")],
        false,
    )
    .await;
    let (auth, events) = auth(&p, None);
    let tokens = expect_done(auth.sign_in_srp("ana@example.com", PASSWORD).await.unwrap());
    let internal = tokens.username().expect("username claim");
    assert_ne!(
        internal, "ana@example.com",
        "email pools name users by a UUID"
    );
    // PASSWORD_VERIFIER was answered (and SECRET_HASH computed) under the internal name
    assert_eq!(answered_as(&events), vec![internal.clone()]);
    // refresh with a secret hashes the token's username, not the email
    auth.refresh_tokens(&tokens).await.expect("refresh");
    // USER_PASSWORD_AUTH by alias
    expect_done(
        auth.sign_in_password("ana@example.com", PASSWORD)
            .await
            .unwrap(),
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_say_what_went_wrong() {
    let emu = emulator().await;
    let url = emu.endpoint_url();
    let p = create_pool(
        &url,
        PoolSpec {
            secret: true,
            flows: vec![
                ExplicitAuthFlowsType::AllowUserSrpAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ],
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "bo", &[], false).await;
    let (auth_ok, _) = auth(&p, None);

    let err = auth_ok.sign_in_password("bo", PASSWORD).await.unwrap_err();
    assert!(matches!(err, AuthError::FlowNotEnabled { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("USER_PASSWORD_AUTH flow is not enabled"),
        "{err}"
    );

    let wrong_secret = Pool {
        client_secret: Some("not-the-secret".into()),
        ..p.clone()
    };
    let err = auth(&wrong_secret, None)
        .0
        .sign_in_srp("bo", PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::SecretHashMismatch(_)), "{err:?}");
    assert!(err.to_string().contains("SECRET_HASH"), "{err}");

    let no_secret = Pool {
        client_secret: None,
        ..p.clone()
    };
    let err = auth(&no_secret, None)
        .0
        .sign_in_srp("bo", PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::SecretHashMismatch(_)), "{err:?}");

    let unknown = Pool {
        client_id: "doesnotexist123".into(),
        ..p.clone()
    };
    let err = auth(&unknown, None)
        .0
        .sign_in_srp("bo", PASSWORD)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::UnknownUserPoolOrClient(_)),
        "{err:?}"
    );

    let err = auth_ok
        .refresh(&Secret::new("garbage"), Some("bo"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AuthError::InvalidRefreshToken(_) | AuthError::NotAuthorized(_)
        ),
        "{err:?}"
    );

    // a user who signed up but never confirmed
    let open = create_pool(&url, PoolSpec::default()).await;
    cognito_idp::Client::clone(&client(&url))
        .sign_up()
        .client_id(open.client_id.clone())
        .username("newbie")
        .password(PASSWORD)
        .send()
        .await
        .expect("SignUp");
    let err = auth(&open, None)
        .0
        .sign_in_srp("newbie", PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::UserNotConfirmed(_)), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_password_required_with_required_attributes() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            required: vec!["given_name"],
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "cy", &[("email", "cy@example.com")], true).await;
    let (auth, _) = auth(&p, None);
    let step = auth.sign_in_srp("cy", PASSWORD).await.unwrap();
    let SignInStep::NewPasswordRequired(c) = step else {
        panic!("expected NEW_PASSWORD_REQUIRED, got {}", step.name());
    };
    assert_eq!(c.required_attributes, ["given_name"]);
    assert_eq!(
        c.current_attributes.get("email").map(String::as_str),
        Some("cy@example.com")
    );
    let err = c.complete("New-Passw0rd-1").await.unwrap_err();
    assert!(err.to_string().contains("given_name"), "{err}");
    let err = c
        .complete_with_attributes("short", [("given_name", "Cy")])
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidPassword(_)), "{err:?}");
    let tokens = expect_done(
        c.complete_with_attributes("New-Passw0rd-1", [("given_name", "Cy")])
            .await
            .unwrap(),
    );
    assert_eq!(
        tokens.id_claims_unverified().unwrap().get_str("given_name"),
        Some("Cy")
    );
    expect_done(auth.sign_in_srp("cy", "New-Passw0rd-1").await.unwrap());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_setup_then_software_token_mfa() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            mfa: Some(UserPoolMfaType::On),
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "dee", &[], false).await;
    let (auth, _) = auth(&p, None);
    let step = auth.sign_in_srp("dee", PASSWORD).await.unwrap();
    let SignInStep::MfaSetup(setup) = step else {
        panic!("expected MFA_SETUP, got {}", step.name());
    };
    assert!(
        setup.options.contains(&MfaType::SoftwareToken),
        "{:?}",
        setup.options
    );
    let totp_setup = setup.associate_software_token().await.unwrap();
    let secret = totp_setup.secret_code().expose().to_owned();
    if totp(&secret, now()) != "000000" {
        let err = totp_setup.verify("000000", None).await.unwrap_err();
        assert!(matches!(err, AuthError::CodeMismatch(_)), "{err:?}");
    }
    let code = totp(&secret, now());
    let tokens = expect_done(totp_setup.verify(&code, Some("phone")).await.unwrap());
    assert!(tokens.refresh_token().is_some());

    // next sign-in asks the app's code; a wrong one can be retried on the same step
    let step = auth.sign_in_srp("dee", PASSWORD).await.unwrap();
    let SignInStep::SoftwareTokenMfa(mfa) = step else {
        panic!("expected SOFTWARE_TOKEN_MFA, got {}", step.name());
    };
    let right = totp(&secret, now());
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    let err = mfa.answer(wrong).await.unwrap_err();
    assert!(matches!(err, AuthError::CodeMismatch(_)), "{err:?}");
    match mfa.answer(&totp(&secret, now())).await {
        Ok(step) => {
            expect_done(step);
        }
        // a server may refuse a code already used at setup: the next window's code then
        Err(AuthError::CodeMismatch(_)) => {
            tokio::time::sleep(Duration::from_secs(30 - now() % 30 + 1)).await;
            expect_done(mfa.answer(&totp(&secret, now())).await.unwrap());
        }
        Err(e) => panic!("{e:?}"),
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_email_and_select_mfa_type() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            mfa: Some(UserPoolMfaType::Optional),
            ..PoolSpec::default()
        },
    )
    .await;
    user(
        &p,
        "eve",
        &[
            ("email", "eve@example.com"),
            ("phone_number", "+15550001111"),
        ],
        false,
    )
    .await;
    let admin = client(&p.url);
    admin
        .admin_set_user_mfa_preference()
        .user_pool_id(p.id.clone())
        .username("eve")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build().unwrap())
        .send()
        .await
        .unwrap();
    let (auth, _) = auth(&p, None);
    let step = auth.sign_in_srp("eve", PASSWORD).await.unwrap();
    let SignInStep::SmsMfa(sms) = step else {
        panic!("expected SMS_MFA, got {}", step.name());
    };
    assert_eq!(sms.delivery_medium.as_deref(), Some("SMS"));
    assert!(sms.destination.is_some());
    let code = emu.last_code(&p.id, "eve").expect("a code was sent");
    expect_done(sms.answer(&code).await.unwrap());

    admin
        .admin_set_user_mfa_preference()
        .user_pool_id(p.id.clone())
        .username("eve")
        .email_mfa_settings(
            cognito_idp::types::EmailMfaSettingsType::builder()
                .enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let step = auth.sign_in_password("eve", PASSWORD).await.unwrap();
    let SignInStep::SelectMfaType(select) = step else {
        panic!("expected SELECT_MFA_TYPE, got {}", step.name());
    };
    assert_eq!(select.options, [MfaType::Sms, MfaType::Email]);
    let step = select.select(MfaType::Email).await.unwrap();
    let SignInStep::EmailOtp(otp) = step else {
        panic!("expected EMAIL_OTP, got {}", step.name());
    };
    let code = emu.last_code(&p.id, "eve").unwrap();
    expect_done(otp.answer(&code).await.unwrap());
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_auth_with_and_without_srp() {
    let emu = emulator().await;
    emu.set_custom_auth(Arc::new(FixedAnswer::new("42")));
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "fay", &[], false).await;
    let (auth, events) = auth(&p, None);

    let step = auth.sign_in_custom("fay", None).await.unwrap();
    let SignInStep::CustomChallenge(c) = step else {
        panic!("expected CUSTOM_CHALLENGE, got {}", step.name());
    };
    assert_eq!(
        c.parameters.get("question").map(String::as_str),
        Some("answer?")
    );
    let again = c.answer("41").await.unwrap();
    let SignInStep::CustomChallenge(c) = again else {
        panic!("expected another CUSTOM_CHALLENGE, got {}", again.name());
    };
    expect_done(c.answer("42").await.unwrap());

    events.lock().unwrap().clear();
    let step = auth.sign_in_custom("fay", Some(PASSWORD)).await.unwrap();
    assert_eq!(
        challenges(&events),
        ["PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"]
    );
    let SignInStep::CustomChallenge(c) = step else {
        panic!("expected CUSTOM_CHALLENGE, got {}", step.name());
    };
    expect_done(c.answer("42").await.unwrap());

    let err = auth
        .sign_in_custom("fay", Some("Wrong-Passw0rd"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AuthError::IncorrectUsernameOrPassword(_) | AuthError::NotAuthorized(_)
        ),
        "{err:?}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_auth_preferred_and_selected_challenges() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            email_otp: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "gus", &[("email", "gus@example.com")], false).await;
    let (auth, _) = auth(&p, None);

    expect_done(
        auth.sign_in_user_auth("gus", Some(PreferredChallenge::password(PASSWORD)))
            .await
            .unwrap(),
    );
    expect_done(
        auth.sign_in_user_auth("gus", Some(PreferredChallenge::password_srp(PASSWORD)))
            .await
            .unwrap(),
    );
    let step = auth
        .sign_in_user_auth("gus", Some(PreferredChallenge::EmailOtp))
        .await
        .unwrap();
    let SignInStep::EmailOtp(otp) = step else {
        panic!("expected EMAIL_OTP, got {}", step.name());
    };
    expect_done(
        otp.answer(&emu.last_code(&p.id, "gus").unwrap())
            .await
            .unwrap(),
    );

    for choice in ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"] {
        let step = auth.sign_in_user_auth("gus", None).await.unwrap();
        let SignInStep::SelectChallenge(select) = step else {
            panic!("expected SELECT_CHALLENGE, got {}", step.name());
        };
        for offered in ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"] {
            assert!(select.offers(offered), "{:?}", select.available);
        }
        let next = match choice {
            "PASSWORD" => select.password(PASSWORD).await.unwrap(),
            "PASSWORD_SRP" => select.password_srp(PASSWORD).await.unwrap(),
            _ => {
                let step = select.email_otp().await.unwrap();
                let SignInStep::EmailOtp(otp) = step else {
                    panic!("expected EMAIL_OTP, got {}", step.name());
                };
                otp.answer(&emu.last_code(&p.id, "gus").unwrap())
                    .await
                    .unwrap()
            }
        };
        expect_done(next);
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_remembered_then_device_login_then_refresh_then_forgotten() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            secret: true,
            devices: true,
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "hal", &[], false).await;

    // first sign-in: Cognito creates a device; confirm and remember it
    let (auth1, _) = auth(&p, None);
    let tokens = expect_done(auth1.sign_in_srp("hal", PASSWORD).await.unwrap());
    assert!(tokens.new_device().is_some());
    let confirmed = auth1
        .confirm_device(&tokens, DeviceOptions::remember("test laptop"))
        .await
        .unwrap();
    assert!(confirmed.user_confirmation_necessary);
    assert!(confirmed.remembered);
    assert_eq!(auth1.remembered_device(), Some(confirmed.device.clone()));
    let dbg = format!("{confirmed:?}");
    assert!(
        !dbg.contains(confirmed.device.device_password.expose()),
        "{dbg}"
    );

    // persisted and loaded back, as an app would
    let saved = serde_json::to_string(&confirmed.device).unwrap();
    let device: RememberedDevice = serde_json::from_str(&saved).unwrap();

    // second sign-in: DEVICE_KEY sent, device SRP answered inside
    let (auth2, events) = auth(&p, Some(device.clone()));
    let tokens2 = expect_done(auth2.sign_in_srp("hal", PASSWORD).await.unwrap());
    assert_eq!(
        challenges(&events),
        [
            "PASSWORD_VERIFIER",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER"
        ]
    );
    assert!(tokens2.new_device().is_none());
    let initiated_with_device = events.lock().unwrap().iter().any(
        |e| matches!(e, AuthEvent::Initiate { device_key: Some(k), .. } if *k == device.device_key),
    );
    assert!(initiated_with_device);

    // refresh with DEVICE_KEY
    events.lock().unwrap().clear();
    auth2
        .refresh_tokens(&tokens2)
        .await
        .expect("refresh with the device");
    let refreshed_with_device = events.lock().unwrap().iter().any(|e| {
        matches!(e, AuthEvent::Initiate { flow, device_key: Some(_), .. } if flow == "REFRESH_TOKEN_AUTH")
    });
    assert!(refreshed_with_device);

    // USER_PASSWORD_AUTH with the device also ends in device SRP
    expect_done(auth2.sign_in_password("hal", PASSWORD).await.unwrap());

    // the user forgets the device elsewhere: the next sign-in drops it and retries once
    client(&p.url)
        .forget_device()
        .access_token(tokens2.access_token().expose())
        .device_key(device.device_key.clone())
        .send()
        .await
        .expect("ForgetDevice");
    events.lock().unwrap().clear();
    let tokens3 = expect_done(auth2.sign_in_srp("hal", PASSWORD).await.unwrap());
    assert!(auth2.remembered_device().is_none());
    assert!(events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, AuthEvent::DeviceForgotten { .. })));
    assert!(tokens3.new_device().is_some(), "a new device is offered");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remembered_device_skips_mfa() {
    let emu = emulator().await;
    let p = create_pool(
        &emu.endpoint_url(),
        PoolSpec {
            devices: true,
            mfa: Some(UserPoolMfaType::Optional),
            ..PoolSpec::default()
        },
    )
    .await;
    user(&p, "ida", &[("phone_number", "+15550002222")], false).await;
    client(&p.url)
        .admin_set_user_mfa_preference()
        .user_pool_id(p.id.clone())
        .username("ida")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build().unwrap())
        .send()
        .await
        .unwrap();
    let (auth, events) = auth(&p, None);
    let step = auth.sign_in_srp("ida", PASSWORD).await.unwrap();
    let SignInStep::SmsMfa(sms) = step else {
        panic!("expected SMS_MFA, got {}", step.name());
    };
    let tokens = expect_done(
        sms.answer(&emu.last_code(&p.id, "ida").unwrap())
            .await
            .unwrap(),
    );
    auth.confirm_device(&tokens, DeviceOptions::remember("phone"))
        .await
        .unwrap();
    events.lock().unwrap().clear();
    expect_done(auth.sign_in_srp("ida", PASSWORD).await.unwrap());
    assert_eq!(
        challenges(&events),
        [
            "PASSWORD_VERIFIER",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER"
        ]
    );
    emu.shutdown().await;
}
