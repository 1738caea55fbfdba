#!/usr/bin/env sh
# Editing the model file must make `cargo build` regenerate the client (the macro's output
# includes the model with include_bytes!, so cargo tracks it). Checks it on a scratch copy of the
# model: adds an operation-free marker shape, builds, and expects cognito-idp to be recompiled;
# then builds again untouched and expects no recompilation.
set -eu
cd "$(dirname "$0")/.."
MODEL=model/cognito-identity-provider.json
BACKUP=$(mktemp)
cp "$MODEL" "$BACKUP"
restore() { cp "$BACKUP" "$MODEL"; rm -f "$BACKUP"; }
trap restore EXIT INT TERM

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/check-rebuild}"
cargo build -q -p cognito-idp

# An edit that changes no generated code still has to trigger expansion again.
python3 - "$MODEL" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["shapes"]["com.amazonaws.cognitoidentityprovider#RebuildMarker"] = {"type": "string"}
json.dump(m, open(p, "w"), indent=2)
PY
out=$(cargo build -p cognito-idp 2>&1)
echo "$out" | grep -q "Compiling cognito-idp" || { echo "FAIL: editing $MODEL did not rebuild cognito-idp"; echo "$out"; exit 1; }

# A model the generator rejects must fail the build, proving the new content was read.
python3 - "$MODEL" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["shapes"]["com.amazonaws.cognitoidentityprovider#InitiateAuthRequest"]["members"]["AuthFlow"]["target"] = "com.amazonaws.cognitoidentityprovider#Gone"
json.dump(m, open(p, "w"), indent=2)
PY
if out=$(cargo build -p cognito-idp 2>&1); then
    echo "FAIL: a broken model still built"; exit 1
fi
echo "$out" | grep -q "InitiateAuthRequest\$AuthFlow: target \`com.amazonaws.cognitoidentityprovider#Gone\` does not exist" \
    || { echo "FAIL: the build error does not name the shape and member"; echo "$out"; exit 1; }

restore
trap - EXIT INT TERM
out=$(cargo build -p cognito-idp 2>&1)
echo "$out" | grep -q "Compiling cognito-idp" || { echo "FAIL: restoring the model did not rebuild"; echo "$out"; exit 1; }
out=$(cargo build -p cognito-idp 2>&1)
if echo "$out" | grep -q "Compiling cognito-idp"; then
    echo "FAIL: an untouched model rebuilt cognito-idp"; exit 1
fi
echo "ok: model edits rebuild cognito-idp, untouched builds do not"
