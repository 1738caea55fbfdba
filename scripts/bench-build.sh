#!/usr/bin/env bash
# Benchmark 2: clean release build time and binary size, ours vs aws-sdk-rust; updates BENCHMARKS.md.
# `scripts/bench-build.sh consumer`: the consumer program vs aws-sdk-rust + aws-cognito-srp (7).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec python3 "$root/scripts/bench/build_size.py" "$@"
