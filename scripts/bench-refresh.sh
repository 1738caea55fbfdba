#!/usr/bin/env bash
# Benchmark 4: REFRESH_TOKEN_AUTH throughput and client CPU per call, ours vs aws-sdk-rust.
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/bench/refresh_throughput.py"
