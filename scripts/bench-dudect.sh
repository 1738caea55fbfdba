#!/usr/bin/env bash
# Benchmark 8: a dudect-style statistical timing check of srp-core's PASSWORD_VERIFIER answer
# (fixed vs random password, Welch's t over at least 100,000 measurements, |t| < 4.5 in every
# crop).
# About 5-10 minutes on 2 cores. Rewrites its section of BENCHMARKS.md.
# DUDECT_MEASUREMENTS overrides the count (the target needs at least 100000).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
measurements="${DUDECT_MEASUREMENTS:-100000}"
cargo build --quiet --release -p srp-core --example dudect
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
set +e
"$root/target/release/examples/dudect" "$measurements" | tee "$out"
status=${PIPESTATUS[0]}
set -e
python3 - "$out" "$root/BENCHMARKS.md" <<'PY'
import datetime, os, sys
table = open(sys.argv[1]).read().strip()
path = sys.argv[2]
start, end = "<!-- dudect:start -->", "<!-- dudect:end -->"
section = (
    f"{start}\nMeasured {datetime.date.today()} on 2 shared cores, load average "
    f"{os.getloadavg()[0]:.1f} at the end. Class 0: one fixed 16-character password; class 1: a "
    "fresh random password of the same length for each measurement; classes drawn in random "
    "order. Each measurement is one PASSWORD_VERIFIER answer (`user_password_claim`): x, "
    "v = g^x, B - k·v, a + u·x, S, K and the MAC all follow from the password, while SRP_B, "
    "SALT, TIMESTAMP and the client's a (so A and u) are the same for both classes.\n"
    "Command: `scripts/bench-dudect.sh`\n\n"
    f"{table}\n{end}"
)
text = open(path).read()
if start in text:
    text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
else:
    text += "\n## 8. Constant time, measured: a dudect-style timing check\n\n" + section + "\n"
open(path, "w").write(text)
PY
exit "$status"
