"""Benchmark 5: runs the bench_emulator example (emulator/examples/bench_emulator.rs) against the
cognito-emulator binary and rewrites the matching section of BENCHMARKS.md. Run via
scripts/bench-emulator.sh."""
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMMAND = "scripts/bench-emulator.sh"
START, END = "<!-- emulator:start -->", "<!-- emulator:end -->"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def load_average():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main():
    bench, emulator, *args = sys.argv[1:]
    users, tasks, seconds = (args + ["10000", "8", "30"][len(args):])[:3]
    load_before = load_average()
    done = subprocess.run([bench, emulator, users, tasks, seconds], stdout=subprocess.PIPE, text=True)
    lines = [l for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    if not lines:
        raise SystemExit(f"bench_emulator failed (exit {done.returncode}) without a result")
    r = json.loads(lines[-1][len("RESULT "):])
    load_after = load_average()
    print(json.dumps(r, indent=1))

    cores = os.cpu_count() or 1
    per_login = lambda ms: cores * 1000.0 / ms if ms > 0 else 0.0
    both = per_login(r["server_cpu_ms_per_login"] + r["client_cpu_ms_per_login"])
    alone = per_login(r["server_cpu_ms_per_login"])
    mib = lambda kib: f"{kib / 1024:.1f} MiB"
    command = COMMAND if args == [] else f"{COMMAND} {' '.join(args)}"
    section = (
        f"{START}\n"
        f"Measured {datetime.date.today()} on {platform.machine()} ({os.cpu_count()} cores, "
        f"{cpu_model()}); load average {load_before} before the run, {load_after} after "
        "(the machine is shared).\n"
        f"Command: `{command}` (release build; the `cognito-emulator` binary as its own process, "
        "driven by `emulator/examples/bench_emulator.rs` with the project's own client).\n\n"
        f"SRP logins (USER_SRP_AUTH → PASSWORD_VERIFIER → tokens, every claim verified, two RS256 "
        f"tokens signed per login) from {r['tasks']} concurrent tasks against random users of "
        f"{r['users']:,}, for {r['seconds']:.0f} s. The load generator (srp-core's client side, "
        f"{r['client_cpu_ms_per_login']:.1f} ms of CPU per login) runs on the same cores as the "
        "emulator, so the rate is what both together reach on a shared machine; the CPU per "
        f"login bounds it: {cores} cores / (emulator + generator CPU) = {both:.0f} logins/s with "
        f"every core free, and {cores} cores / emulator CPU = {alone:.0f} logins/s for an "
        "emulator whose load comes from elsewhere.\n\n"
        "| measure | value |\n|---|---|\n"
        f"| logins/s | **{r['logins_per_sec']:.1f}** ({r['logins']:,} logins) |\n"
        f"| failures | {r['failures']} |\n"
        f"| latency p50 / p99 | {r['p50_ms']:.1f} / {r['p99_ms']:.1f} ms |\n"
        f"| emulator CPU per login | {r['server_cpu_ms_per_login']:.2f} ms |\n"
        f"| load generator CPU per login | {r['client_cpu_ms_per_login']:.2f} ms |\n"
        f"| VmRSS before the users (pool + client) | {mib(r['rss_before_kib'])} "
        f"(VmHWM {mib(r['hwm_before_kib'])}) |\n"
        f"| VmRSS with {r['users']:,} users | {mib(r['rss_users_kib'])} "
        f"(VmHWM {mib(r['hwm_users_kib'])}); created in {r['setup_seconds']:.1f} s |\n"
        f"| per user | {r['bytes_per_user']:,.0f} bytes |\n"
        f"| VmRSS after the logins | {mib(r['rss_after_logins_kib'])} "
        f"(VmHWM {mib(r['hwm_after_logins_kib'])}; issued refresh/access token records "
        "are kept until they expire) |\n"
        f"{END}"
    )
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## 5. The emulator: SRP logins per second, memory at 10,000 users\n\n" + section + "\n"
    open(path, "w").write(text)
    if done.returncode != 0 or r["failures"]:
        raise SystemExit(f"bench_emulator: {r['failures']} failures, exit {done.returncode}")


if __name__ == "__main__":
    main()
