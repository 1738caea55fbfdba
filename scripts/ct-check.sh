#!/usr/bin/env bash
# Constant-time check of srp-core with valgrind memcheck (the "ctgrind" technique): the harness
# srp-core/examples/ct_check.rs marks every secret input as undefined memory and runs the
# verifier and device registrations, the server step, the client step and the device step;
# memcheck reports any branch or memory address computed from a secret. Fails on any report, and
# also fails unless a deliberately leaky lookup run under the same harness is reported.
# Installs valgrind (Debian package) when it is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! command -v valgrind >/dev/null 2>&1; then
  echo "ct-check: installing valgrind"
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
command -v valgrind >/dev/null 2>&1 || { echo "ct-check: valgrind is not available" >&2; exit 1; }

# Release mode: the code that ships, with the optimizer's choices, is the code checked.
cargo build --quiet --release -p srp-core --example ct_check
bin="$root/target/release/examples/ct_check"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "ct-check: SRP steps with every secret marked undefined"
if ! valgrind --error-exitcode=99 --track-origins=yes "$bin" steps >"$log" 2>&1; then
  cat "$log"
  echo "ct-check: FAILED: valgrind reported a secret-dependent branch or address (above)" >&2
  exit 1
fi
grep -E "ct_check steps|ERROR SUMMARY" "$log"

echo "ct-check: a deliberately leaky lookup under the same harness must be reported"
set +e
valgrind --error-exitcode=99 "$bin" leaky >"$log" 2>&1
status=$?
set -e
if [ "$status" -ne 99 ] || ! grep -q "uninitialised" "$log" || ! grep -q "leaky_lookup" "$log"; then
  cat "$log"
  echo "ct-check: FAILED: the leak in leaky_lookup went unreported (exit $status), so the check proves nothing" >&2
  exit 1
fi
grep -E "ct_check leaky|ERROR SUMMARY" "$log"
echo "ct-check: ok"
