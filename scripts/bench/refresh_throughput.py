"""Benchmark 4: REFRESH_TOKEN_AUTH calls per second over keep-alive and client CPU time per call,
ours vs aws-sdk-rust, against the same canned local server (a separate process, so only the
client's cost is in the client's CPU time). Rounds alternate between the clients; medians.
Rewrites the matching section of BENCHMARKS.md. Run via scripts/bench-refresh.sh."""
import datetime
import json
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = os.path.join(ROOT, ".peers", "bench-refresh")
CALLS = int(os.environ.get("REFRESH_BENCH_CALLS", "3000"))
ROUNDS = int(os.environ.get("REFRESH_BENCH_ROUNDS", "5"))


def build(name):
    manifest = os.path.join(ROOT, "scripts", "bench", "refresh", name, "Cargo.toml")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", manifest,
                    "--target-dir", TARGET], check=True)
    return os.path.join(TARGET, "release", f"refresh-{name}")


def main():
    server_bin, ours_bin, sdk_bin = build("server"), build("ours"), build("aws-sdk")
    server = subprocess.Popen([server_bin, "0"], stdout=subprocess.PIPE, text=True)
    try:
        endpoint = server.stdout.readline().split()[-1]
        env = dict(os.environ, ENDPOINT=endpoint, CLIENT_ID="1example23456789",
                   REFRESH_TOKEN="r" * 1500, CALLS=str(CALLS))
        samples = {"ours": [], "aws-sdk": []}
        for _ in range(ROUNDS):
            for name, binary in (("ours", ours_bin), ("aws-sdk", sdk_bin)):
                out = subprocess.run([binary], env=env, capture_output=True, text=True, check=True)
                samples[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        server.kill()
        server.wait()

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    stats = {name: (median([s["calls"] / s["seconds"] for s in runs]),
                    median([s["cpu_seconds"] / s["calls"] * 1e6 for s in runs]))
             for name, runs in samples.items()}
    (ours_rate, ours_cpu), (sdk_rate, sdk_cpu) = stats["ours"], stats["aws-sdk"]
    table = "\n".join([
        "| client | calls/s (median) | client CPU µs/call (median) |",
        "|---|---|---|",
        f"| ours (cognito-idp) | {ours_rate:.0f} | {ours_cpu:.1f} |",
        f"| aws-sdk-cognitoidentityprovider | {sdk_rate:.0f} | {sdk_cpu:.1f} |",
        f"| ratio ours / aws-sdk | {ours_rate / sdk_rate:.2f}x | {ours_cpu / sdk_cpu:.2f}x |",
    ])
    checks = [
        f"throughput >= 1.2x: {'met' if ours_rate / sdk_rate >= 1.2 else 'MISSED'} ({ours_rate / sdk_rate:.2f}x)",
        f"CPU per call <= 0.5x: {'met' if ours_cpu / sdk_cpu <= 0.5 else 'MISSED'} ({ours_cpu / sdk_cpu:.2f}x)",
    ]
    print(table)
    print("\n".join(checks))
    section = (
        "<!-- refresh:start -->\n"
        f"Measured {datetime.date.today()}: {ROUNDS} alternating rounds of {CALLS} sequential calls per "
        "client over one keep-alive connection to the same canned local server (a separate process "
        "answering with a fixed AuthenticationResult of JWT-sized tokens).\n"
        "Command: `scripts/bench-refresh.sh`\n\n"
        f"{table}\n\nTargets: " + "; ".join(checks) + ".\n<!-- refresh:end -->"
    )
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start, end = "<!-- refresh:start -->", "<!-- refresh:end -->"
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text += "\n## 4. REFRESH_TOKEN_AUTH over keep-alive\n\n" + section + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
