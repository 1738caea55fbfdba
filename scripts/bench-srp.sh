#!/usr/bin/env bash
# Benchmark 1: the full SRP client step, ours vs OpenSSL (BN_mod_exp_mont_consttime and
# BN_mod_exp_mont) and GMP (mpz_powm_sec and mpz_powm) doing the same three exponentiations in C
# (../shared/bench/srp_modexp.c), amazon-cognito-identity-js, pycognito, the aws-cognito-srp
# crate and GMP through gmpy2; same run, updates BENCHMARKS.md. Installs libssl-dev and
# libgmp-dev (Debian packages) when they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$root/scripts/install-peers.sh"
if ! printf '#include <openssl/bn.h>\n#include <gmp.h>\n' | cc -E - >/dev/null 2>&1; then
  echo "bench-srp: installing libssl-dev and libgmp-dev"
  apt-get update -qq && apt-get install -y -qq libssl-dev libgmp-dev >/dev/null
fi
modexp_src="$root/../shared/bench/srp_modexp.c"
[ -f "$modexp_src" ] || { echo "bench-srp: $modexp_src is missing (../shared beside the checkout)" >&2; exit 1; }
cc -O2 "$modexp_src" -lgmp -lcrypto -o "$root/.peers/srp_modexp"
cargo build --quiet --release -p srp-core --example time_client_step
CARGO_TARGET_DIR="$root/.peers/target" cargo build --quiet --release \
  --manifest-path "$root/scripts/bench/aws-cognito-srp/Cargo.toml"
export SRP_STEP_BIN="$root/target/release/examples/time_client_step"
export SRP_MODEXP_BIN="$root/.peers/srp_modexp"
export AWS_COGNITO_SRP_BIN="$root/.peers/target/release/bench-aws-cognito-srp"
export PEERS_NODE_MODULES="$root/.peers/node/node_modules"
exec "$root/.peers/venv/bin/python" "$root/scripts/bench/srp_client_step.py"
