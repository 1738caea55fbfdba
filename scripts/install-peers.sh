#!/usr/bin/env bash
# Installs the real peers the SRP tests and benchmarks compare against into the git-ignored
# .peers/ folder: pycognito (with moto and boto3, via scripts/peers.sh), gmpy2, and
# amazon-cognito-identity-js. Idempotent; fails loudly when a package cannot be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="$root/.peers"
GMPY2_VERSION="${GMPY2_VERSION:-2.3.2}"
COGNITO_JS_VERSION="${COGNITO_JS_VERSION:-6.3.21}"

"$root/scripts/peers.sh" install
if ! "$peers/venv/bin/python" -c "import gmpy2" 2>/dev/null; then
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check "gmpy2==$GMPY2_VERSION"
fi
mkdir -p "$peers/node"
if [ ! -f "$peers/node/node_modules/amazon-cognito-identity-js/package.json" ]; then
  (cd "$peers/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent "amazon-cognito-identity-js@$COGNITO_JS_VERSION")
fi
