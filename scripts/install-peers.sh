#!/usr/bin/env bash
# Installs the real peers the SRP tests and benchmarks compare against into the git-ignored
# .peers/ folder: pycognito (with moto and boto3, via scripts/peers.sh), gmpy2,
# amazon-cognito-identity-js and esbuild (which bundles it for the browser test), and
# Debian's chromium with its WebDriver server (apt-get, as root). Idempotent; fails loudly
# when a package cannot be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="$root/.peers"
GMPY2_VERSION="${GMPY2_VERSION:-2.3.2}"
COGNITO_JS_VERSION="${COGNITO_JS_VERSION:-6.3.21}"
ESBUILD_VERSION="${ESBUILD_VERSION:-0.28.2}"

"$root/scripts/peers.sh" install
if ! "$peers/venv/bin/python" -c "import gmpy2" 2>/dev/null; then
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check "gmpy2==$GMPY2_VERSION"
fi
mkdir -p "$peers/node"
if [ ! -f "$peers/node/node_modules/amazon-cognito-identity-js/package.json" ]; then
  (cd "$peers/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent "amazon-cognito-identity-js@$COGNITO_JS_VERSION")
fi
if [ ! -x "$peers/node/node_modules/.bin/esbuild" ]; then
  (cd "$peers/node" && npm install --no-audit --no-fund --silent "esbuild@$ESBUILD_VERSION")
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-peers: chromium and chromedriver are missing; as root: apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  command -v chromium >/dev/null && command -v chromedriver >/dev/null
fi
