#!/usr/bin/env bash
# Installs the real peers the tests and benchmarks compare against into the git-ignored
# .peers/ folder: pycognito (with moto and boto3, via scripts/peers.sh), gmpy2, PyJWT with
# cryptography, amazon-cognito-identity-js, aws-jwt-verify and esbuild (which bundles
# amazon-cognito-identity-js for the browser test; chromium comes from
# scripts/install-chromium.sh). Idempotent; fails loudly when a package cannot be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="$root/.peers"
GMPY2_VERSION="${GMPY2_VERSION:-2.3.2}"
COGNITO_JS_VERSION="${COGNITO_JS_VERSION:-6.3.21}"
ESBUILD_VERSION="${ESBUILD_VERSION:-0.28.2}"
PYJWT_VERSION="${PYJWT_VERSION:-2.15.1}"
CRYPTOGRAPHY_VERSION="${CRYPTOGRAPHY_VERSION:-50.0.2}"
AWS_JWT_VERIFY_VERSION="${AWS_JWT_VERIFY_VERSION:-5.2.1}"

"$root/scripts/peers.sh" install
if ! "$peers/venv/bin/python" -c "import gmpy2" 2>/dev/null; then
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check "gmpy2==$GMPY2_VERSION"
fi
if ! "$peers/venv/bin/python" -c "import sys, jwt, cryptography; sys.exit(jwt.__version__ != '$PYJWT_VERSION' or cryptography.__version__ != '$CRYPTOGRAPHY_VERSION')" 2>/dev/null; then
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check \
    "pyjwt[crypto]==$PYJWT_VERSION" "cryptography==$CRYPTOGRAPHY_VERSION"
fi
mkdir -p "$peers/node"
if [ ! -f "$peers/node/node_modules/amazon-cognito-identity-js/package.json" ]; then
  (cd "$peers/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent "amazon-cognito-identity-js@$COGNITO_JS_VERSION")
fi
if [ ! -x "$peers/node/node_modules/.bin/esbuild" ]; then
  (cd "$peers/node" && npm install --no-audit --no-fund --silent "esbuild@$ESBUILD_VERSION")
fi
if ! grep -q "\"version\": \"$AWS_JWT_VERIFY_VERSION\"" "$peers/node/node_modules/aws-jwt-verify/package.json" 2>/dev/null; then
  (cd "$peers/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent "aws-jwt-verify@$AWS_JWT_VERIFY_VERSION")
fi
