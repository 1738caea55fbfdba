#!/usr/bin/env bash
# Benchmark 9: the emulator with --state (see emulator/examples/bench_state.rs): SRP logins/s
# with --state against in memory in the same run, 100,000 users loaded from a state
# directory (time and VmRSS), and USER_PASSWORD_AUTH logins/s against moto; updates
# BENCHMARKS.md.
#   scripts/bench-state.sh [USERS=2000] [TASKS=8] [SECONDS=10] [ROUNDS=3] [LOAD_USERS=100000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --quiet --release -p cognito-emulator --bin cognito-emulator --example bench_state
target="${CARGO_TARGET_DIR:-$root/target}"
export AWS_ACCESS_KEY_ID=AKIDBENCHSTATE AWS_SECRET_ACCESS_KEY=bench-secret-not-real AWS_DEFAULT_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
export CLK_TCK="$(getconf CLK_TCK)"
state="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
cleanup() { scripts/peers.sh moto-stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
scripts/peers.sh moto-start "$port"
exec_python=python3
"$exec_python" "$root/scripts/bench/state_logins.py" \
  "$target/release/examples/bench_state" "$target/release/cognito-emulator" "http://127.0.0.1:$port" "$state" "$@"
