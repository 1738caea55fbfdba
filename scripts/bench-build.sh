#!/usr/bin/env bash
# Benchmark 2: clean release build time and binary size, ours vs aws-sdk-rust; updates BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec python3 "$root/scripts/bench/build_size.py"
