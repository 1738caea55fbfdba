#!/usr/bin/env bash
# `cargo install --path examples --no-default-features` must give a slim cognito-login: no
# emulator and none of its server-only dependencies (rsa) in the tree, and a clear message (not a panic) when
# run without a pool. Builds the slim binary in the shared target dir: only cognito-examples is
# recompiled (the next default build recompiles it back).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

tree=$(cargo tree -q -p cognito-examples --no-default-features -e normal --prefix none)
for heavy in cognito-emulator rsa num-bigint-dig; do
    if grep -q "^$heavy v" <<<"$tree"; then
        echo "FAIL: the slim cognito-login depends on $heavy"; exit 1
    fi
done
grep -q "^cognito-emulator v" <(cargo tree -q -p cognito-examples -e normal --prefix none) \
    || { echo "FAIL: the default cognito-login lost the demo"; exit 1; }

cargo build -q -p cognito-examples --no-default-features --bin cognito-login
set +e
out=$("$CARGO_TARGET_DIR/debug/cognito-login" </dev/null 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { echo "FAIL: exit code $code, expected 1"; echo "$out"; exit 1; }
grep -q "built without the in-process demo" <<<"$out" \
    || { echo "FAIL: no clear message"; echo "$out"; exit 1; }
echo "ok: the slim cognito-login has no emulator dependency and says how to name a pool"
