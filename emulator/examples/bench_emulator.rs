//! Benchmark 5 (issue 7): SRP logins per second against the `cognito-emulator` binary, and its
//! memory at 10,000 users. Run through `scripts/bench-emulator.sh`, which builds both and
//! writes the BENCHMARKS.md section from the `RESULT {json}` line this prints last.
//!
//!     bench_emulator EMULATOR_BIN [USERS=10000] [TASKS=8] [SECONDS=30]
//!
//! It starts the binary as its own process (`--port 0`), creates a pool, an app client
//! (ALLOW_USER_SRP_AUTH) and USERS confirmed users with their own passwords (AdminCreateUser +
//! AdminSetUserPassword Permanent, SigV4-signed with whatever credentials the environment
//! holds), reads VmRSS / VmHWM from /proc/PID/status before and after the users exist, then
//! runs SRP logins (srp-core's client, InitiateAuth + RespondToAuthChallenge) from TASKS
//! concurrent tasks against random users for SECONDS. The emulator is killed (by its pid) when
//! this program ends, on failure too.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use cognito_idp::auth::{AuthConfig, Authenticator, SignInStep};
use cognito_idp::runtime::Config;
use cognito_idp::types::ExplicitAuthFlowsType;
use cognito_idp::Client;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The emulator process; killed and reaped when dropped, whatever way the program ends.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start(bin: &str) -> Result<Self, Error> {
        // No request log: a line per request would be part of what is measured.
        let mut child = Command::new(bin)
            .args(["--port", "0", "--request-log", "off"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut emu = Emulator {
            child,
            url: String::new(),
        };
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        emu.url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line from the emulator: {line:?}"))?
            .to_owned();
        Ok(emu)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (VmRSS, VmHWM) in KiB.
fn memory_kib(pid: u32) -> Result<(u64, u64), Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<u64, Error> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .ok_or_else(|| format!("no {name} in /proc/{pid}/status"))?;
        Ok(line
            .split_whitespace()
            .nth(1)
            .ok_or("malformed status line")?
            .parse()?)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// User + system CPU time of a process in clock ticks (/proc/PID/stat fields 14 and 15).
fn cpu_ticks(pid: &str) -> Result<u64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after it are fixed.
    let rest = stat.rsplit_once(')').ok_or("malformed stat")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11).ok_or("malformed stat")?.parse()?;
    let stime: u64 = fields.get(12).ok_or("malformed stat")?.parse()?;
    Ok(utime + stime)
}

fn username(i: usize) -> String {
    format!("user{i:05}")
}

/// Every user has a password of its own.
fn password(i: usize) -> String {
    format!("Pw-{i}-secret!A9")
}

/// splitmix64: a different user for every login, no dependency needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One USER_SRP_AUTH sign-in of user i through the project's authenticator.
async fn login(client: &Client, pool_id: &str, client_id: &str, i: usize) -> Result<(), Error> {
    let auth = Authenticator::new(client.clone(), AuthConfig::new(pool_id, client_id))?;
    match auth.sign_in_srp(&username(i), &password(i)).await? {
        SignInStep::Done(_) => Ok(()),
        other => Err(format!("unexpected next step {}", other.name()).into()),
    }
}

fn arg(n: usize, default: u64) -> Result<u64, Error> {
    match std::env::args().nth(n) {
        Some(v) => Ok(v.parse()?),
        None => Ok(default),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Error> {
    let bin = std::env::args()
        .nth(1)
        .ok_or("usage: bench_emulator EMULATOR_BIN [USERS] [TASKS] [SECONDS]")?;
    let users = arg(2, 10_000)? as usize;
    let tasks = arg(3, 8)?.max(1) as usize;
    let seconds = arg(4, 30)?;
    let clk_tck: f64 = std::env::var("CLK_TCK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100.0);

    let emu = Emulator::start(&bin)?;
    let pid = emu.pid();
    eprintln!("emulator pid {pid} at {}", emu.url);
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(&emu.url)
        .max_attempts(1)
        .build()?;
    let client = Client::new(config)?;
    let pool = client.create_user_pool().pool_name("bench").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let app = client
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("bench")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = app
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("no client id")?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (rss_before, hwm_before) = memory_kib(pid)?;

    // The users, from TASKS tasks at once.
    let setup_started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (client, pool_id) = (client.clone(), pool_id.clone());
        handles.push(tokio::spawn(async move {
            for i in (t..users).step_by(tasks) {
                client
                    .admin_create_user()
                    .user_pool_id(&pool_id)
                    .username(username(i))
                    .message_action("SUPPRESS")
                    .send()
                    .await?;
                client
                    .admin_set_user_password()
                    .user_pool_id(&pool_id)
                    .username(username(i))
                    .password(password(i))
                    .permanent(true)
                    .send()
                    .await?;
            }
            Ok::<(), Error>(())
        }));
    }
    for h in handles {
        h.await??;
    }
    let setup_secs = setup_started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (rss_users, hwm_users) = memory_kib(pid)?;
    eprintln!(
        "{users} users in {setup_secs:.1} s; VmRSS {rss_before} -> {rss_users} KiB (VmHWM {hwm_before} -> {hwm_users} KiB)"
    );

    // A few logins first (connections, caches), then the timed run.
    for i in 0..tasks.min(users) {
        login(&client, &pool_id, &client_id, i).await?;
    }
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_nanos() as u64;
    let server_cpu_before = cpu_ticks(&pid.to_string())?;
    let own_cpu_before = cpu_ticks("self")?;
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (client, pool_id, client_id) = (client.clone(), pool_id.clone(), client_id.clone());
        let (ok, failed, stop) = (ok.clone(), failed.clone(), stop.clone());
        let (latencies, first_error) = (latencies.clone(), first_error.clone());
        let mut rng = Rng(seed ^ (t as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let i = (rng.next() % users as u64) as usize;
                let t0 = Instant::now();
                match login(&client, &pool_id, &client_id, i).await {
                    Ok(()) => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        mine.push(t0.elapsed().as_secs_f64() * 1000.0);
                    }
                    Err(e) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        first_error
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .get_or_insert_with(|| format!("{}: {e}", username(i)));
                    }
                }
            }
            latencies
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(mine);
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    let server_cpu = (cpu_ticks(&pid.to_string())? - server_cpu_before) as f64 / clk_tck;
    let own_cpu = (cpu_ticks("self")? - own_cpu_before) as f64 / clk_tck;
    let (rss_after, hwm_after) = memory_kib(pid)?;
    let ok = ok.load(Ordering::Relaxed);
    let failed = failed.load(Ordering::Relaxed);
    let mut lat = std::mem::take(&mut *latencies.lock().unwrap_or_else(|e| e.into_inner()));
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    let per_login = |cpu: f64| {
        if ok > 0 {
            cpu * 1000.0 / ok as f64
        } else {
            0.0
        }
    };
    let per_user = (rss_users.saturating_sub(rss_before)) as f64 * 1024.0 / users.max(1) as f64;
    eprintln!(
        "{ok} SRP logins, {failed} failures in {secs:.1} s from {tasks} tasks: {:.1} logins/s, p50 {:.1} ms, p99 {:.1} ms; emulator CPU {:.2} ms/login, client CPU {:.2} ms/login; VmRSS after logins {rss_after} KiB",
        ok as f64 / secs,
        pct(0.5),
        pct(0.99),
        per_login(server_cpu),
        per_login(own_cpu),
    );
    if let Some(e) = first_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        eprintln!("first failure: {e}");
    }
    println!(
        "RESULT {{\"users\":{users},\"tasks\":{tasks},\"seconds\":{secs:.3},\"setup_seconds\":{setup_secs:.3},\
\"logins\":{ok},\"failures\":{failed},\"logins_per_sec\":{:.2},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\
\"server_cpu_ms_per_login\":{:.3},\"client_cpu_ms_per_login\":{:.3},\
\"rss_before_kib\":{rss_before},\"hwm_before_kib\":{hwm_before},\"rss_users_kib\":{rss_users},\
\"hwm_users_kib\":{hwm_users},\"rss_after_logins_kib\":{rss_after},\"hwm_after_logins_kib\":{hwm_after},\
\"bytes_per_user\":{per_user:.0}}}",
        ok as f64 / secs,
        pct(0.5),
        pct(0.99),
        per_login(server_cpu),
        per_login(own_cpu),
    );
    drop(emu);
    if failed > 0 {
        return Err(format!("{failed} logins failed").into());
    }
    Ok(())
}
