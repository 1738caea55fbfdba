#!/usr/bin/env bash
# Benchmark 5: the emulator's SRP logins per second on this machine's cores and its memory at
# 10,000 users; updates BENCHMARKS.md.
#   scripts/bench-emulator.sh [USERS=10000] [TASKS=8] [SECONDS=30]
# The release build goes to $CARGO_TARGET_DIR (default: the workspace's target/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --quiet --release -p cognito-emulator --bin cognito-emulator --example bench_emulator
target="${CARGO_TARGET_DIR:-$root/target}"
# Admin calls are SigV4-signed; the emulator takes any credentials.
export AWS_ACCESS_KEY_ID=AKIDBENCHEMULATOR AWS_SECRET_ACCESS_KEY=bench-secret-not-real
unset AWS_SESSION_TOKEN AWS_PROFILE
export CLK_TCK="$(getconf CLK_TCK)"
exec python3 "$root/scripts/bench/emulator_logins.py" \
  "$target/release/examples/bench_emulator" "$target/release/cognito-emulator" "$@"
