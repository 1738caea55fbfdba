#!/usr/bin/env bash
# SRP cross-check against the official clients (amazon-cognito-identity-js, pycognito).
# Installs them into the git-ignored .peers/ folder on first use; fails if they can't be had.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-peers.sh"
cargo build --quiet --release -p srp-core --example vectors
export SRP_VECTORS_BIN="$root/target/release/examples/vectors"
export PEERS_NODE_MODULES="$root/.peers/node/node_modules"
exec "$root/.peers/venv/bin/python" "$root/scripts/srp-crosscheck/crosscheck.py"
