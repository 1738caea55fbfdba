//! The stable fuzz driver shared by the crates' `fuzz_*` tests: a seeded case generator run
//! `FUZZ_CASES` times (a quick smoke run by default), every case under `catch_unwind`, with
//! its time measured. Prints one line per target: executions, panics, hangs, elapsed.
//!
//! Environment: `FUZZ_CASES` (executions; default per target), `FUZZ_SEED` (base seed, default
//! fixed so runs are reproducible), `FUZZ_HANG_MS` (a case slower than this counts as a hang,
//! default 2000), `FUZZ_CASE` (run only this case number, to reproduce a finding).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

type Slot = Arc<Mutex<Option<String>>>;

thread_local! {
    /// Set while this thread runs fuzz cases: its panics are recorded here, not printed.
    static RECORD: RefCell<Option<Slot>> = const { RefCell::new(None) };
}

/// One process-wide hook: quiet for fuzzing threads, the previous hook for every other test.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let slot = RECORD.with(|r| r.borrow().clone());
            match slot {
                Some(slot) => {
                    let mut s = slot.lock().unwrap_or_else(|p| p.into_inner());
                    if s.is_none() {
                        *s = Some(info.to_string());
                    }
                }
                None => previous(info),
            }
        }));
    });
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The case's seed: the base seed mixed with the case number.
pub fn case_seed(base: u64, case: u64) -> u64 {
    base ^ case.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Run `one(seed)` for every case; assert no panic and no hang. Returns the execution count.
pub fn run(target: &str, default_cases: u64, mut one: impl FnMut(u64)) -> u64 {
    let cases = env_u64("FUZZ_CASES").unwrap_or(default_cases);
    let base = env_u64("FUZZ_SEED").unwrap_or(0x5EED_CAFE);
    let hang = Duration::from_millis(env_u64("FUZZ_HANG_MS").unwrap_or(2000));
    let only = env_u64("FUZZ_CASE");
    let start = env_u64("FUZZ_START").unwrap_or(0);
    let trace = std::env::var_os("FUZZ_TRACE").is_some();

    let first_panic: Slot = Arc::new(Mutex::new(None));
    install_hook();
    RECORD.with(|r| *r.borrow_mut() = Some(first_panic.clone()));

    let started = Instant::now();
    let (mut executions, mut panics, mut hangs) = (0u64, 0u64, 0u64);
    let mut panicking_cases = Vec::new();
    let mut hanging_cases = Vec::new();
    let mut slowest = Duration::ZERO;
    let range = match only {
        Some(c) => c..c + 1,
        None => start..start + cases,
    };
    for case in range {
        if trace {
            eprintln!("case {case}");
        }
        let t = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| one(case_seed(base, case))));
        let took = t.elapsed();
        executions += 1;
        slowest = slowest.max(took);
        if result.is_err() {
            panics += 1;
            if panicking_cases.len() < 10 {
                panicking_cases.push(case);
            }
        }
        if took > hang {
            hangs += 1;
            if hanging_cases.len() < 10 {
                hanging_cases.push(case);
            }
        }
    }
    let elapsed = started.elapsed();
    RECORD.with(|r| *r.borrow_mut() = None);
    println!(
        "fuzz {target}: executions={executions} panics={panics} hangs={hangs} \
         slowest={:.1}ms elapsed={:.1}s ({:.0}/s)",
        slowest.as_secs_f64() * 1e3,
        elapsed.as_secs_f64(),
        executions as f64 / elapsed.as_secs_f64().max(1e-9),
    );
    let first = first_panic
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    assert!(
        panics == 0,
        "{target}: {panics} panicking case(s) {panicking_cases:?} (FUZZ_SEED={base}, reproduce \
         with FUZZ_CASE=<n>); first: {}",
        first.unwrap_or_default()
    );
    assert!(
        hangs == 0,
        "{target}: {hangs} case(s) over {hang:?}: {hanging_cases:?} (FUZZ_SEED={base})"
    );
    executions
}
