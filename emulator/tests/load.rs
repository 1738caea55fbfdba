//! Issue 8: 1,000 concurrent SRP logins across 100 users against one in-process emulator, 64
//! in flight, with wrong passwords and garbage requests mixed in. Every correct login gets
//! tokens, every wrong one NotAuthorizedException, garbage gets a Cognito error; afterwards
//! every user is intact (logs in, AdminGetUser, ListUsers) and the process's resident memory
//! grew by less than 200 MiB.

mod common;

use std::sync::Arc;

use cognito_emulator::Emulator;
use common::*;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const USERS: usize = 100;
const LOGINS_PER_USER: usize = 10;
const IN_FLIGHT: usize = 64;
const RSS_BOUND_KIB: u64 = 200 * 1024;

fn password(i: usize) -> String {
    format!("Passw0rd-{i}")
}

fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One USER_SRP_AUTH login over the wire API: `Ok(access token)` or `Err(error type)`.
async fn login(
    url: &str,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
) -> Result<String, String> {
    let srp = srp_core::SrpClient::new().map_err(|e| e.to_string())?;
    let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                      "AuthParameters": {"USERNAME": username, "SRP_A": srp.srp_a()}});
    let r = post_raw(
        url,
        Some("AWSCognitoIdentityProviderService.InitiateAuth"),
        body.to_string().as_bytes(),
    )
    .await;
    if r.status != 200 {
        return Err(format!("InitiateAuth {}: {}", r.status, r.error_type()));
    }
    let out = r.json();
    let p = &out["ChallengeParameters"];
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    let claim = srp
        .user_password_claim(
            srp_core::pool_name(pool_id).map_err(|e| e.to_string())?,
            &text("USER_ID_FOR_SRP"),
            password,
            &srp_core::PasswordVerifierChallenge {
                salt: &text("SALT"),
                srp_b: &text("SRP_B"),
                secret_block: &text("SECRET_BLOCK"),
            },
            &srp_core::Timestamp::now().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
    let body = json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
    "Session": out["Session"],
    "ChallengeResponses": {
        "USERNAME": text("USERNAME"),
        "PASSWORD_CLAIM_SECRET_BLOCK": claim.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": claim.signature,
        "TIMESTAMP": claim.timestamp,
    }});
    let r = post_raw(
        url,
        Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge"),
        body.to_string().as_bytes(),
    )
    .await;
    match r.json()["AuthenticationResult"]["AccessToken"].as_str() {
        Some(t) if r.status == 200 => Ok(t.to_owned()),
        _ => Err(r.error_type()),
    }
}

/// A garbage request of kind `k`; returns (status, error type).
async fn garbage(url: &str, client_id: &str, k: usize) -> (u16, String) {
    let (target, body): (&str, Vec<u8>) = match k % 6 {
        0 => ("InitiateAuth", b"{\"AuthFlow\": ".to_vec()),
        1 => (
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id,
                   "AuthParameters": {"USERNAME": "user0", "SRP_A": "00"}})
            .to_string()
            .into_bytes(),
        ),
        2 => (
            "RespondToAuthChallenge",
            json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
                   "Session": "bm90IGEgc2Vzc2lvbg==",
                   "ChallengeResponses": {"USERNAME": "user1",
                       "PASSWORD_CLAIM_SECRET_BLOCK": "!!!", "PASSWORD_CLAIM_SIGNATURE": "zz",
                       "TIMESTAMP": "Mon Jan 1 00:00:00 UTC 2024"}})
            .to_string()
            .into_bytes(),
        ),
        3 => ("NoSuchOperation", b"{}".to_vec()),
        4 => ("InitiateAuth", vec![0xff, 0xfe, b'{', 0x80]),
        _ => (
            "AdminGetUser",
            json!({"UserPoolId": 17, "Username": ["user2"]})
                .to_string()
                .into_bytes(),
        ),
    };
    let r = post_raw(
        url,
        Some(&format!("AWSCognitoIdentityProviderService.{target}")),
        &body,
    )
    .await;
    (r.status, r.error_type())
}

enum Outcome {
    Good(Result<String, String>),
    Wrong(Result<String, String>),
    Garbage(u16, String),
}

async fn list_usernames(url: &str, pool_id: &str) -> Vec<Value> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pool_id, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let out = call(url, "ListUsers", body).await;
        users.extend(out["Users"].as_array().cloned().unwrap_or_default());
        match out["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    users
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_logins_across_a_hundred_users() {
    cognito_emulator::warm_up_signing_key().unwrap();
    let emu = Emulator::start("127.0.0.1:0").await.unwrap();
    let url = emu.endpoint_url();
    let pool_id = pool(&url, json!({})).await;
    let (client_id, _) = app_client(&url, &pool_id, false, ALL_FLOWS).await;
    let names: Vec<String> = (0..USERS).map(|i| format!("user{i}")).collect();
    for (i, n) in names.iter().enumerate() {
        user(
            &url,
            &pool_id,
            n,
            &password(i),
            json!([{"Name": "email", "Value": format!("{n}@example.com")}]),
        )
        .await;
    }
    let before: Vec<Value> = {
        let mut v = Vec::new();
        for n in &names {
            v.push(
                call(
                    &url,
                    "AdminGetUser",
                    json!({"UserPoolId": pool_id, "Username": n}),
                )
                .await,
            );
        }
        v
    };

    let rss_before = vm_rss_kib();
    let started = std::time::Instant::now();
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut set = JoinSet::new();
    let total = USERS * LOGINS_PER_USER;
    for k in 0..total {
        let (url, pool_id, client_id) = (url.clone(), pool_id.clone(), client_id.clone());
        let permits = permits.clone();
        // Interleave users so the same user logs in concurrently with itself too.
        let i = k % USERS;
        let name = names[i].clone();
        set.spawn(async move {
            let _permit = permits.acquire_owned().await.unwrap();
            let mut outcomes = vec![Outcome::Good(
                login(&url, &pool_id, &client_id, &name, &password(i)).await,
            )];
            // One login in 25 is followed by a wrong password for the same user.
            if k % 25 == 7 {
                let wrong = format!("{}x", password(i));
                outcomes.push(Outcome::Wrong(
                    login(&url, &pool_id, &client_id, &name, &wrong).await,
                ));
            }
            // One in 10 by a garbage request.
            if k % 10 == 3 {
                let (status, ty) = garbage(&url, &client_id, k / 10).await;
                outcomes.push(Outcome::Garbage(status, ty));
            }
            outcomes
        });
    }
    let (mut good, mut wrong, mut junk) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    while let Some(joined) = set.join_next().await {
        let outcomes = joined.expect("a login task panicked");
        for o in outcomes {
            match o {
                Outcome::Good(Ok(_)) => good += 1,
                Outcome::Good(Err(e)) => failures.push(format!("correct password: {e}")),
                Outcome::Wrong(Err(e)) if e == "NotAuthorizedException" => wrong += 1,
                Outcome::Wrong(r) => failures.push(format!("wrong password: {r:?}")),
                Outcome::Garbage(400, ty) if !ty.is_empty() => junk += 1,
                Outcome::Garbage(status, ty) => failures.push(format!("garbage: {status} {ty:?}")),
            }
        }
    }
    let elapsed = started.elapsed();
    let rss_after = vm_rss_kib();
    let growth = rss_after.saturating_sub(rss_before);
    println!(
        "{good} correct logins, {wrong} wrong passwords rejected, {junk} garbage requests \
         rejected in {:.1}s; VmRSS {rss_before} KiB -> {rss_after} KiB (+{growth} KiB)",
        elapsed.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} failures: {failures:?}",
        failures.len()
    );
    assert_eq!(good, total);
    assert_eq!(wrong, total / 25);
    assert_eq!(junk, total / 10);
    assert!(rss_before > 0, "VmRSS not readable");
    assert!(
        growth < RSS_BOUND_KIB,
        "VmRSS grew by {growth} KiB (bound {RSS_BOUND_KIB} KiB)"
    );

    // Nothing corrupted or lost: every user still logs in and reads back unchanged.
    for (i, n) in names.iter().enumerate() {
        let token = login(&url, &pool_id, &client_id, n, &password(i))
            .await
            .unwrap_or_else(|e| panic!("{n} no longer logs in: {e}"));
        let me = call(&url, "GetUser", json!({"AccessToken": token})).await;
        assert_eq!(me["Username"], n.as_str());
        let now = call(
            &url,
            "AdminGetUser",
            json!({"UserPoolId": pool_id, "Username": n}),
        )
        .await;
        for key in ["Username", "UserAttributes", "UserStatus", "Enabled"] {
            assert_eq!(now[key], before[i][key], "{n}: {key} changed");
        }
        assert_eq!(now["UserStatus"], "CONFIRMED");
        assert_eq!(now["Enabled"], true);
    }
    let listed = list_usernames(&url, &pool_id).await;
    let mut listed_names: Vec<String> = listed
        .iter()
        .filter_map(|u| u["Username"].as_str().map(str::to_owned))
        .collect();
    listed_names.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(listed_names, expected, "ListUsers lost or added users");
    for u in &listed {
        assert_eq!(u["UserStatus"], "CONFIRMED");
        assert_eq!(u["Enabled"], true);
    }
    emu.shutdown().await;
}
