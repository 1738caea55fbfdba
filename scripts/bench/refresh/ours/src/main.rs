//! Sequential REFRESH_TOKEN_AUTH calls over one keep-alive connection; prints calls, wall time
//! and the process's CPU time. env: ENDPOINT, CLIENT_ID, REFRESH_TOKEN, CALLS.
use std::collections::HashMap;
use std::time::Instant;

use cognito_idp::{runtime::Config, types::AuthFlowType, Client};

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
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(env("ENDPOINT"))
        .build()
        .expect("config");
    let client = Client::new(config).expect("client");
    let params: HashMap<String, String> =
        [("REFRESH_TOKEN".to_owned(), env("REFRESH_TOKEN"))].into_iter().collect();
    let call = || {
        client
            .initiate_auth()
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .client_id(env("CLIENT_ID"))
            .auth_parameters(params.clone())
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
