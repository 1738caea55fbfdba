//! Benchmark 9 (issue 17): the emulator with `--state`. Run through `scripts/bench-state.sh`,
//! which builds it, starts moto, and writes the BENCHMARKS.md section from the `RESULT {json}`
//! line this prints last.
//!
//!     bench_state EMULATOR_BIN MOTO_URL STATE_DIR [USERS=2000] [TASKS=8] [SECONDS=10] [ROUNDS=3] [LOAD_USERS=100000]
//!
//! 1. SRP logins/s of two emulator processes in the same run, one in memory and one with
//!    `--state`, each with USERS users: measured in alternating windows of SECONDS (ROUNDS
//!    each), medians compared, so machine noise hits both alike.
//! 2. USER_PASSWORD_AUTH logins/s against moto and against the in-memory emulator, alternating
//!    the same way (moto cannot verify SRP; both get the same client).
//! 3. LOAD_USERS users written into a state directory (in-process, through the operations),
//!    then the binary started on it: load time (its own report and spawn-to-listening) and
//!    VmRSS once it serves.
//!
//! Every process started here is stopped (by its pid) when this program ends.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_idp::auth::{AuthConfig, Authenticator, SignInStep};
use cognito_idp::runtime::Config;
use cognito_idp::types::{AuthFlowType, ExplicitAuthFlowsType};
use cognito_idp::Client;

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Process {
    child: Child,
    url: String,
    stderr_first: String,
}

impl Process {
    fn start(bin: &str, extra: &[&str]) -> Result<Self, Error> {
        let mut child = Command::new(bin)
            .args(["--port", "0", "--request-log", "off"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        // The state report comes before the first stdout line; the rest of stderr is drained.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent && l.contains("state ") {
                    let _ = tx.send(l.clone());
                    sent = true;
                }
            }
        });
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line: {line:?}"))?
            .to_owned();
        let stderr_first = rx.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
        Ok(Process {
            child,
            url,
            stderr_first,
        })
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU seconds a process has used (/proc/PID/stat fields 14 and 15).
fn cpu_seconds(pid: u32) -> Result<f64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let rest = stat.rsplit_once(')').ok_or("malformed stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11).ok_or("malformed stat")?.parse::<u64>()?
        + f.get(12).ok_or("malformed stat")?.parse::<u64>()?;
    let hz: f64 = std::env::var("CLK_TCK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100.0);
    Ok(ticks as f64 / hz)
}

fn vm_rss_kib(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

fn client(url: &str) -> Result<Client, Error> {
    Ok(Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .max_attempts(1)
            .build()?,
    )?)
}

fn password(i: usize) -> String {
    format!("Pw-{i}-secret!A9")
}

/// A pool, an app client and `users` confirmed users; returns (pool id, client id).
async fn setup(c: &Client, users: usize, tasks: usize) -> Result<(String, String), Error> {
    let pool = c.create_user_pool().pool_name("bench").send().await?;
    let pool_id = pool.user_pool.and_then(|p| p.id).ok_or("no pool id")?;
    let app = c
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("bench")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await?;
    let client_id = app
        .user_pool_client
        .and_then(|c| c.client_id)
        .ok_or("no client id")?;
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (c, pool_id) = (c.clone(), pool_id.clone());
        handles.push(tokio::spawn(async move {
            for i in (t..users).step_by(tasks) {
                c.admin_create_user()
                    .user_pool_id(&pool_id)
                    .username(format!("user{i:05}"))
                    .message_action("SUPPRESS")
                    .send()
                    .await?;
                c.admin_set_user_password()
                    .user_pool_id(&pool_id)
                    .username(format!("user{i:05}"))
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
    Ok((pool_id, client_id))
}

#[derive(Clone, Copy)]
enum Flow {
    Srp,
    Password,
}

/// Logins/s from `tasks` tasks for `seconds`; any failure is an error.
async fn window(
    c: &Client,
    pool_id: &str,
    client_id: &str,
    users: usize,
    tasks: usize,
    seconds: u64,
    flow: Flow,
) -> Result<f64, Error> {
    let ok = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (c, pool_id, client_id, ok, stop) = (
            c.clone(),
            pool_id.to_owned(),
            client_id.to_owned(),
            ok.clone(),
            stop.clone(),
        );
        handles.push(tokio::spawn(async move {
            let mut i = t * 7919;
            while !stop.load(Ordering::Relaxed) {
                i = (i + 104_729) % users;
                let name = format!("user{i:05}");
                match flow {
                    Flow::Srp => {
                        let auth =
                            Authenticator::new(c.clone(), AuthConfig::new(&pool_id, &client_id))?;
                        match auth.sign_in_srp(&name, &password(i)).await? {
                            SignInStep::Done(_) => {}
                            other => return Err(format!("unexpected step {}", other.name()).into()),
                        }
                    }
                    Flow::Password => {
                        let out = c
                            .initiate_auth()
                            .auth_flow(AuthFlowType::UserPasswordAuth)
                            .client_id(&client_id)
                            .auth_parameters("USERNAME", name.clone())
                            .auth_parameters("PASSWORD", password(i))
                            .send()
                            .await?;
                        out.authentication_result.ok_or("no tokens")?;
                    }
                }
                ok.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), Error>(())
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await??;
    }
    Ok(ok.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn arg(n: usize, default: u64) -> Result<u64, Error> {
    std::env::args()
        .nth(n)
        .map_or(Ok(default), |v| Ok(v.parse()?))
}

/// LOAD_USERS users written through the operations into `dir`, in-process, from eight threads
/// (each waits for its write to be synced; together they share the syncs).
fn fill_state(dir: &str, users: usize) -> Result<f64, Error> {
    let started = Instant::now();
    let emu = cognito_emulator::BackgroundEmulator::start_with(
        "127.0.0.1:0",
        cognito_emulator::Options::default().state_dir(dir),
    )?;
    let call = |op: &str, body: serde_json::Value| -> Result<serde_json::Value, Error> {
        let (status, out) = emu.handle_json(
            &format!("AWSCognitoIdentityProviderService.{op}"),
            body.to_string().as_bytes(),
        );
        if status != 200 {
            return Err(format!("{op}: {}", String::from_utf8_lossy(&out)).into());
        }
        Ok(serde_json::from_slice(&out)?)
    };
    let pool = call("CreateUserPool", serde_json::json!({"PoolName": "load"}))?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    std::thread::scope(|s| -> Result<(), Error> {
        let workers: Vec<_> = (0..8)
            .map(|t| {
                let (call, pool_id) = (&call, &pool_id);
                s.spawn(move || -> Result<(), Error> {
                    for i in (t..users).step_by(8) {
                        call("AdminCreateUser", serde_json::json!({"UserPoolId": pool_id, "Username": format!("load{i:06}"),
                            "TemporaryPassword": password(i), "MessageAction": "SUPPRESS",
                            "UserAttributes": [{"Name": "email", "Value": format!("load{i}@example.com")}]}))?;
                    }
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| "a writer panicked")??;
        }
        Ok(())
    })?;
    drop(emu);
    Ok(started.elapsed().as_secs_f64())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Error> {
    let usage = "usage: bench_state EMULATOR_BIN MOTO_URL STATE_DIR [USERS] [TASKS] [SECONDS] [ROUNDS] [LOAD_USERS]";
    let bin = std::env::args().nth(1).ok_or(usage)?;
    let moto_url = std::env::args().nth(2).ok_or(usage)?;
    let state_root = std::env::args().nth(3).ok_or(usage)?;
    let users = arg(4, 2000)? as usize;
    let tasks = arg(5, 8)? as usize;
    let seconds = arg(6, 10)?;
    let rounds = arg(7, 3)? as usize;
    let load_users = arg(8, 100_000)? as usize;
    let logins_dir = format!("{state_root}/logins");
    let load_dir = format!("{state_root}/load");

    // 1. In memory and with --state, side by side.
    let memory = Process::start(&bin, &[])?;
    let persistent = Process::start(&bin, &["--state", &logins_dir])?;
    let (mc, pc) = (client(&memory.url)?, client(&persistent.url)?);
    let (m_pool, m_client) = setup(&mc, users, tasks).await?;
    let (p_pool, p_client) = setup(&pc, users, tasks).await?;
    window(&mc, &m_pool, &m_client, users, tasks, 2, Flow::Srp).await?;
    window(&pc, &p_pool, &p_client, users, tasks, 2, Flow::Srp).await?;
    let (mut in_memory, mut with_state) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        // Alternate which goes first, so neither always follows the other.
        let order = if r % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for state in order {
            let rate = if state {
                window(&pc, &p_pool, &p_client, users, tasks, seconds, Flow::Srp).await?
            } else {
                window(&mc, &m_pool, &m_client, users, tasks, seconds, Flow::Srp).await?
            };
            eprintln!(
                "round {r}: {} {rate:.1} SRP logins/s",
                if state { "--state" } else { "memory" }
            );
            if state {
                with_state.push(rate)
            } else {
                in_memory.push(rate)
            }
        }
    }
    drop(persistent);

    // 2. USER_PASSWORD_AUTH: moto against the in-memory emulator.
    let moto = client(&moto_url)?;
    let moto_users = users.min(200);
    let (o_pool, o_client) = setup(&moto, moto_users, tasks).await?;
    window(
        &moto,
        &o_pool,
        &o_client,
        moto_users,
        tasks,
        2,
        Flow::Password,
    )
    .await?;
    let (mut on_moto, mut on_emulator) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        let o = window(
            &moto,
            &o_pool,
            &o_client,
            moto_users,
            tasks,
            seconds,
            Flow::Password,
        )
        .await?;
        let e = window(
            &mc,
            &m_pool,
            &m_client,
            moto_users,
            tasks,
            seconds,
            Flow::Password,
        )
        .await?;
        eprintln!("round {r}: moto {o:.1}, emulator {e:.1} USER_PASSWORD_AUTH logins/s");
        on_moto.push(o);
        on_emulator.push(e);
    }
    drop(memory);

    // 3. LOAD_USERS users loaded from a state directory.
    // Its own runtime (BackgroundEmulator) cannot start inside this one: another thread.
    let dir = load_dir.clone();
    let fill_secs =
        std::thread::spawn(move || fill_state(&dir, load_users).map_err(|e| e.to_string()))
            .join()
            .map_err(|_| "the state writer panicked")??;
    eprintln!("{load_users} users written to the state in {fill_secs:.1} s");
    let mut loads = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let p = Process::start(&bin, &["--state", &load_dir])?;
        let to_listening = started.elapsed().as_secs_f64() * 1000.0;
        // All of it is the load: nothing else has run yet (the signing key is in the state).
        let cpu = cpu_seconds(p.child.id())?;
        let reported: f64 = p
            .stderr_first
            .split(" records in ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|ms| ms.parse().ok())
            .ok_or_else(|| format!("no load report in {:?}", p.stderr_first))?;
        if !p.stderr_first.contains(&format!("{load_users} users")) {
            return Err(format!("not all users loaded: {}", p.stderr_first).into());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        rss.push(vm_rss_kib(p.child.id())? as f64);
        eprintln!("loaded in {reported} ms ({to_listening:.0} ms to listening)");
        loads.push((reported, to_listening, cpu));
    }
    let load_reported = median(loads.iter().map(|l| l.0).collect());
    let load_listening = median(loads.iter().map(|l| l.1).collect());
    let load_cpu = median(loads.iter().map(|l| l.2).collect());
    let state_bytes: u64 = std::fs::read_dir(&load_dir)?
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();

    let (m, s) = (median(in_memory.clone()), median(with_state.clone()));
    let (o, e) = (median(on_moto.clone()), median(on_emulator.clone()));
    println!(
        "RESULT {}",
        serde_json::json!({
            "users": users, "tasks": tasks, "seconds": seconds, "rounds": rounds,
            "srp_memory": in_memory, "srp_state": with_state,
            "srp_memory_median": m, "srp_state_median": s, "state_ratio": s / m,
            "password_moto": on_moto, "password_emulator": on_emulator,
            "password_moto_median": o, "password_emulator_median": e, "moto_ratio": e / o,
            "load_users": load_users, "fill_seconds": fill_secs,
            "load_ms_reported": load_reported, "load_ms_to_listening": load_listening, "load_cpu_seconds": load_cpu,
            "load_average": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').next().unwrap_or("?"),
            "rss_kib_loaded": median(rss), "state_bytes": state_bytes,
        })
    );
    Ok(())
}
