"""Benchmark 9: runs bench_state (emulator/examples/bench_state.rs) and rewrites its section of
BENCHMARKS.md. Run via scripts/bench-state.sh."""
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START, END = "<!-- state:start -->", "<!-- state:end -->"


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "cpu"


def main():
    bench, emulator, moto, state, *args = sys.argv[1:]
    load = open("/proc/loadavg").read().split()[0]
    done = subprocess.run([bench, emulator, moto, state, *args], stdout=subprocess.PIPE, text=True)
    lines = [l for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"bench_state failed (exit {done.returncode})")
    r = json.loads(lines[-1][len("RESULT "):])
    print(json.dumps(r, indent=1))
    rates = lambda v: ", ".join(f"{x:.1f}" for x in v)
    command = "scripts/bench-state.sh" + ("" if not args else " " + " ".join(args))
    section = (
        f"{START}\n"
        f"Measured {datetime.date.today()} on {platform.machine()} ({os.cpu_count()} cores, {cpu_model()}); "
        f"load average {load} before the run (the machine is shared).\n"
        f"Command: `{command}` (release build; the `cognito-emulator` binary as its own processes, "
        "driven by `emulator/examples/bench_state.rs` with the project's own client, which runs on "
        "the same cores).\n\n"
        f"SRP logins/s from {r['tasks']} tasks against {r['users']:,} users each, in alternating "
        f"{r['seconds']} s windows ({r['rounds']} per emulator); every login writes its refresh and "
        "access token records to the state's log and waits for the sync (group commit).\n\n"
        "| measure | value | target |\n|---|---|---|\n"
        f"| SRP logins/s in memory (median of {rates(r['srp_memory'])}) | {r['srp_memory_median']:.1f} | |\n"
        f"| SRP logins/s with `--state` (median of {rates(r['srp_state'])}) | {r['srp_state_median']:.1f} | |\n"
        f"| **`--state` / in memory** | **{r['state_ratio']:.2f}x** | ≥ 0.8x |\n"
        f"| {r['load_users']:,} users loaded from the state directory (the emulator's own report; "
        f"spawn to listening {r['load_ms_to_listening']:.0f} ms, load average {r['load_average']}) | **{r['load_ms_reported'] / 1000:.2f} s** wall | ≤ 2 s |\n"
        f"| the same load's CPU time (user + system; what a free core needs) | **{r['load_cpu_seconds']:.2f} s** | |\n"
        f"| VmRSS serving {r['load_users']:,} users | {r['rss_kib_loaded'] / 1024:.0f} MiB | reported |\n"
        f"| state directory for them | {r['state_bytes'] / 1e6:.0f} MB (written in {r['fill_seconds']:.0f} s) | |\n"
        f"| USER_PASSWORD_AUTH logins/s, moto (median of {rates(r['password_moto'])}) | {r['password_moto_median']:.1f} | |\n"
        f"| USER_PASSWORD_AUTH logins/s, emulator in memory (median of {rates(r['password_emulator'])}) | {r['password_emulator_median']:.1f} | |\n"
        f"| **emulator / moto** | **{r['moto_ratio']:.1f}x** | reported |\n"
        f"{END}"
    )
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read()
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## 9. The emulator with `--state`: durable logins, 100,000 users loaded, against moto\n\n" + section + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
