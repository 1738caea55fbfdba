#!/usr/bin/env bash
# Every test of the project, as CI runs it on a fresh machine: installs the real peers into the
# git-ignored .peers/ folder, then runs the Rust test suite (which starts and stops its own
# servers) and the scripted checks. Exits non-zero if anything fails.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

failed=()
step() {
  local name="$1"; shift
  printf '\n==> %s\n' "$name"
  if "$@"; then printf '<== %s: ok\n' "$name"; else printf '<== %s: FAILED\n' "$name"; failed+=("$name"); fi
}

step "install peers (moto, boto3, pycognito, gmpy2, PyJWT, amazon-cognito-identity-js, aws-jwt-verify, esbuild)" scripts/install-peers.sh
step "install chromium and chromium-driver (apt-get) for the browser tests (hosted UI, amazon-cognito-identity-js)" scripts/install-chromium.sh
if [ ${#failed[@]} -gt 0 ]; then echo "cannot install the test peers"; exit 1; fi
step "cargo test --workspace" cargo test --workspace
step "SRP cross-check against amazon-cognito-identity-js and pycognito" scripts/srp-crosscheck.sh
step "constant-time SRP under valgrind (installs valgrind)" scripts/ct-check.sh
step "model edit rebuilds the generated crate" env CARGO_TARGET_DIR="$root/target" scripts/check-rebuild.sh
step "rustdoc of every crate, warnings denied" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps -q
step "cognito-login --no-default-features is slim" env CARGO_TARGET_DIR="$root/target" scripts/check-slim-login.sh
step "packaged crates: a consumer outside the workspace, against the emulator binary" env CARGO_TARGET_DIR="$root/target" scripts/consumer.sh

total=9
printf '\n%d passed, %d failed\n' "$((total - ${#failed[@]}))" "${#failed[@]}"
for f in "${failed[@]}"; do echo "failed: $f"; done
[ ${#failed[@]} -eq 0 ]
