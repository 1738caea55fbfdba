//! Sequential REFRESH_TOKEN_AUTH calls over one keep-alive connection; prints calls, wall time
//! and the process's CPU time. env: ENDPOINT, CLIENT_ID, REFRESH_TOKEN, CALLS.
use std::time::Instant;

use aws_sdk_cognitoidentityprovider::{types::AuthFlowType, Client};

fn cpu_seconds() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(usage.ru_utime) + t(usage.ru_stime)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let calls: usize = env("CALLS").parse().expect("CALLS");
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region("us-east-1")
        .endpoint_url(env("ENDPOINT"))
        .no_credentials()
        .load()
        .await;
    let client = Client::new(&config);
    let call = || {
        client
            .initiate_auth()
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .client_id(env("CLIENT_ID"))
            .auth_parameters("REFRESH_TOKEN", env("REFRESH_TOKEN"))
            .send()
    };
    call().await.expect("warm-up call");
    let (cpu0, start) = (cpu_seconds(), Instant::now());
    for _ in 0..calls {
        let out = call().await.expect("refresh");
        assert!(out.authentication_result.is_some());
    }
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    println!("{{\"calls\": {calls}, \"seconds\": {wall}, \"cpu_seconds\": {cpu}}}");
}
