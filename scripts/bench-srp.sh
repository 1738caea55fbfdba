#!/usr/bin/env bash
# Benchmark 1: the full SRP client step, ours vs amazon-cognito-identity-js, pycognito,
# the aws-cognito-srp crate and GMP, same inputs, one run; updates BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-peers.sh"
cargo build --quiet --release -p srp-core --example time_client_step
CARGO_TARGET_DIR="$root/.peers/target" cargo build --quiet --release \
  --manifest-path "$root/scripts/bench/aws-cognito-srp/Cargo.toml"
export SRP_STEP_BIN="$root/target/release/examples/time_client_step"
export AWS_COGNITO_SRP_BIN="$root/.peers/target/release/bench-aws-cognito-srp"
export PEERS_NODE_MODULES="$root/.peers/node/node_modules"
exec "$root/.peers/venv/bin/python" "$root/scripts/bench/srp_client_step.py"
