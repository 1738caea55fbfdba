"""Benchmark 2: clean release build time and binary size of the same minimal InitiateAuth
program on ours and on aws-sdk-cognitoidentityprovider + aws-config, plus a client of all 122
operations; `consumer` instead: the consumer program (tests/consumer: set-up, SRP sign-in,
refresh, AdminDisableUser) on cognito-idp against the same program on
aws-sdk-cognitoidentityprovider + aws-config + aws-cognito-srp (section 7). Each build starts from
an empty target dir (downloads are fetched beforehand and not timed). Rewrites the matching
section of BENCHMARKS.md. Run via scripts/bench-build.sh [consumer]; with BENCH_TIMINGS=1 each
build also writes cargo's --timings report and prints its 15 costliest crates."""
import datetime
import os
import platform
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "scripts", "bench", "build")
TARGETS = os.path.join(ROOT, ".peers", "bench-build")

PROJECTS = [
    ("aws-sdk-initiate-auth", "aws-sdk-cognitoidentityprovider + aws-config, InitiateAuth"),
    ("ours-initiate-auth", "ours: macro naming InitiateAuth only"),
    ("ours-cognito-idp", "ours: the cognito-idp crate (all operations, auth flows, SigV4)"),
    ("ours-all-ops", "ours: macro with all 122 operations"),
]


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def build(name):
    manifest = os.path.join(BUILD, name, "Cargo.toml")
    target = os.path.join(TARGETS, name)
    subprocess.run(["cargo", "fetch", "--manifest-path", manifest], check=True, capture_output=True)
    shutil.rmtree(target, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    timings = ["--timings"] if os.environ.get("BENCH_TIMINGS") else []
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", manifest,
                    "--target-dir", target] + timings, check=True)
    seconds = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    size = os.path.getsize(os.path.join(target, "release", name))
    if timings:
        print_top_units(name, os.path.join(target, "cargo-timings", "cargo-timing.html"))
    return seconds, size, cpu


def print_top_units(name, report, count=15):
    """The crates that took longest in cargo's --timings report (per-unit wall time, summed
    over a crate's units; on a shared machine they add up to more than the build's CPU)."""
    import json
    import re
    html = open(report).read()
    units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
    per_crate = {}
    for u in units:
        key = f"{u['name']} {u['version']}"
        per_crate[key] = per_crate.get(key, 0.0) + u["duration"]
    total = sum(per_crate.values())
    print(f"{name}: {len(units)} units, {len(per_crate)} crates, unit time {total:.1f} s; top {count}:")
    for key, d in sorted(per_crate.items(), key=lambda kv: -kv[1])[:count]:
        print(f"  {d:7.1f} s  {100 * d / total:4.1f}%  {key}")


CONSUMER = [
    ("aws-sdk-consumer", "aws-sdk-cognitoidentityprovider + aws-config + aws-cognito-srp"),
    ("ours-consumer", "ours: cognito-idp as a dependent (tests/consumer)"),
]


def replace_section(marker, title, section):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text += f"\n## {title}\n\n" + section + "\n"
    open(path, "w").write(text)


def consumer():
    results = {}
    for name, _ in CONSUMER:
        results[name] = build(name)
        print(f"{name}: {results[name][0]:.1f} s wall, {results[name][2]:.1f} s CPU, "
              f"{results[name][1] / 1e6:.2f} MB", flush=True)
    sdk_s, sdk_b, sdk_cpu = results["aws-sdk-consumer"]
    s, b, c = results["ours-consumer"]
    lines = ["| program | clean release build, wall (s) | build CPU (s) | binary (MB) |",
             "|---|---|---|---|"]
    for name, label in CONSUMER:
        w, size, cpu = results[name]
        lines.append(f"| {label} | {w:.1f} | {cpu:.1f} | {size / 1e6:.2f} |")
    lines.append(f"| ratio ours / aws-sdk | {s / sdk_s:.2f}x | {c / sdk_cpu:.2f}x | {b / sdk_b:.2f}x |")
    table = "\n".join(lines)
    verdict = lambda r: "met" if r <= 0.30 else "MISSED"
    checks = (f"build wall <= 0.30x: {verdict(s / sdk_s)} ({s / sdk_s:.2f}x); "
              f"build CPU <= 0.30x: {verdict(c / sdk_cpu)} ({c / sdk_cpu:.2f}x); "
              f"binary <= 0.30x: {verdict(b / sdk_b)} ({b / sdk_b:.2f}x)")
    print(table)
    print(checks)
    section = (
        "<!-- consumer-build:start -->\n"
        f"Measured {datetime.date.today()} on {cpu_model()} ({os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run), one clean `cargo build --release` each "
        "in the same run, sources fetched beforehand; CPU is user + system of cargo and rustc.\n"
        "Command: `scripts/bench-build.sh consumer` (programs in `scripts/bench/build/`: "
        "`ours-consumer` builds `tests/consumer/src/main.rs`; `aws-sdk-consumer` does the same "
        "steps with aws-sdk-rust and aws-cognito-srp)\n\n"
        f"{table}\n\nTargets: {checks}.\n<!-- consumer-build:end -->"
    )
    replace_section("consumer-build", "8. The consumer program: cognito-idp as a dependent vs aws-sdk-rust + aws-cognito-srp", section)


def main():
    if sys.argv[1:] == ["consumer"]:
        return consumer()
    results = {}
    for name, _ in PROJECTS:
        results[name] = build(name)
        print(f"{name}: {results[name][0]:.1f} s wall, {results[name][2]:.1f} s CPU, "
              f"{results[name][1] / 1e6:.2f} MB", flush=True)
    sdk_s, sdk_b, sdk_cpu = results["aws-sdk-initiate-auth"]
    lines = ["| program | clean release build, wall (s) | vs aws-sdk | build CPU (s) | vs aws-sdk "
             "| binary (MB) | vs aws-sdk |",
             "|---|---|---|---|---|---|---|"]
    for name, label in PROJECTS:
        s, b, c = results[name]
        lines.append(f"| {label} | {s:.1f} | {s / sdk_s:.2f}x | {c:.1f} | {c / sdk_cpu:.2f}x "
                     f"| {b / 1e6:.2f} | {b / sdk_b:.2f}x |")
    table = "\n".join(lines)
    mini_s, mini_b, _ = results["ours-initiate-auth"]
    all_s = results["ours-all-ops"][0]
    mini_cpu, all_cpu = results["ours-initiate-auth"][2], results["ours-all-ops"][2]
    checks = [
        f"build of the minimal program <= 0.3x: {'met' if mini_s / sdk_s <= 0.3 else 'MISSED'} "
        f"({mini_s / sdk_s:.2f}x wall, {mini_cpu / sdk_cpu:.2f}x CPU)",
        f"binary size <= 0.33x: {'met' if mini_b / sdk_b <= 0.33 else 'MISSED'} ({mini_b / sdk_b:.2f}x)",
        f"build of the 122-operation client <= 0.5x: {'met' if all_s / sdk_s <= 0.5 else 'MISSED'} "
        f"({all_s / sdk_s:.2f}x wall, {all_cpu / sdk_cpu:.2f}x CPU)",
    ]
    print(table)
    print("\n".join(checks))
    section = (
        "<!-- build-size:start -->\n"
        f"Measured {datetime.date.today()} on {cpu_model()} ({os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the end of the run), one clean `cargo build --release` each "
        "in the same run, sources fetched beforehand. Build CPU (user + system of cargo and "
        "rustc) is less sensitive than wall time to other work on a shared machine.\n"
        "Command: `scripts/bench-build.sh` (programs in `scripts/bench/build/`)\n\n"
        f"{table}\n\nTargets: " + "; ".join(checks) + ".\n<!-- build-size:end -->"
    )
    replace_section("build-size", "2. Clean release build time and binary size", section)


if __name__ == "__main__":
    main()
