#!/usr/bin/env bash
# The project as a dependent sees it. Packages every crate (`cargo package --workspace`), unpacks
# the .crate files and builds, from their unpacked contents only:
#   - tests/consumer (its own workspace; [patch.crates-io] points at the unpacked crates), whose
#     main.rs is the README's in-code example completed into a program;
#   - the cognito-emulator and cognito-login binaries of the packaged emulator and examples crates.
# Every .crate is thereby shown to build from what it ships (so cargo's own verification, which
# would compile them all a second time, is skipped), then the consumer runs against the packaged
# emulator binary: SRP sign-in, refresh, AdminDisableUser and a refused sign-in.
# Uses the shared target dir; registry dependencies already built by the test suite are reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TARGET_DIR="$target"
work="$target/consumer"

# The README's example must be the consumer's code, line for line (indentation aside).
python3 - README.md tests/consumer/src/main.rs <<'PY'
import sys
readme, main = (open(p).read() for p in sys.argv[1:3])
start, end = "<!-- consumer-example:start -->\n```rust\n", "```\n<!-- consumer-example:end -->"
if start not in readme or end not in readme:
    sys.exit("FAIL: README.md has no consumer-example block")
block = [l.strip() for l in readme.split(start, 1)[1].split(end, 1)[0].splitlines() if l.strip()]
lines = iter(l.strip() for l in main.splitlines())
for want in block:
    if not any(got == want for got in lines):
        sys.exit(f"FAIL: tests/consumer/src/main.rs lacks the README's line (in order): {want}")
print(f"README example: {len(block)} lines, all in tests/consumer/src/main.rs")
PY

rm -rf "$target/package" "$work"
mkdir -p "$work/crates"
cargo package --workspace --no-verify --allow-dirty -q
patch="$work/patch.toml"
echo "[patch.crates-io]" >"$patch"
for crate in "$target"/package/*.crate; do
    tar -xzf "$crate" -C "$work/crates"
    dir="$work/crates/$(basename "$crate" .crate)"
    name=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/Cargo.toml" | head -1)
    echo "$name = { path = \"$dir\" }" >>"$patch"
done
echo "packaged: $(ls "$target"/package/*.crate | xargs -n1 basename | tr '\n' ' ')"
grep -q "^cognito-idp = " "$patch" || { echo "FAIL: no cognito-idp package"; exit 1; }
test -f "$work/crates/cognito-idp-0.1.0/model/cognito-identity-provider.json" \
    || { echo "FAIL: the packaged cognito-idp lacks its model"; exit 1; }
test -f "$work/crates/cognito-identity-0.1.0/model/cognito-identity.json" \
    || { echo "FAIL: the packaged cognito-identity lacks its model"; exit 1; }

# The same dependency versions as the workspace, so compiled registry crates are shared.
cp Cargo.lock tests/consumer/Cargo.lock
started=$(date +%s)
cargo build -q --manifest-path tests/consumer/Cargo.toml --config "$patch"
cargo build -q --manifest-path "$work/crates/cognito-emulator-0.1.0/Cargo.toml" --config "$patch" \
    --bin cognito-emulator
cargo build -q --manifest-path "$work/crates/cognito-examples-0.1.0/Cargo.toml" --config "$patch" \
    --bin cognito-login
echo "built the consumer and both binaries from the packages in $(( $(date +%s) - started )) s"

# Run the consumer against the packaged emulator binary.
log="$work/emulator.log"
"$target/debug/cognito-emulator" --port 0 >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true' EXIT
url=""
# Up to 60 s: the packaged emulator is an unoptimized build (the workspace's profile override
# does not reach it), and its RSA key generation on a loaded machine took 20 s.
for _ in $(seq 1 600); do
    url=$(sed -n 's/^listening on //p' "$log" | head -1)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: the emulator did not start"; cat "$log"; exit 1; }
out=$(env AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$url" AWS_ACCESS_KEY_ID=consumer \
    AWS_SECRET_ACCESS_KEY=consumer AWS_PROFILE= "$target/debug/cognito-consumer" </dev/null 2>&1) \
    || { echo "FAIL: the consumer failed"; echo "$out"; exit 1; }
echo "$out"
for want in "set up pool us-east-1_" "signed in, refreshed: valid for 3600 s" \
    "disabled alice (request id " "sign-in refused: "; do
    grep -q "$want" <<<"$out" || { echo "FAIL: the consumer did not print: $want"; exit 1; }
done
if grep -q "request id none" <<<"$out"; then echo "FAIL: no request id on the output"; exit 1; fi
echo "ok: the packaged crates build on their own and the README's example runs against the emulator"
