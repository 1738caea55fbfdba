#!/usr/bin/env bash
# Installs the real peers the tests compare against into the git-ignored .peers/ folder:
#   srp  — amazon-cognito-identity-js (npm), pycognito and gmpy2 (PyPI)
# Idempotent; fails loudly when a package cannot be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="$root/.peers"
mkdir -p "$peers"

python_peers() {
  if [ ! -x "$peers/venv/bin/python" ]; then
    python3 -m venv "$peers/venv"
  fi
  if ! "$peers/venv/bin/python" -c "import $2" 2>/dev/null; then
    "$peers/venv/bin/pip" install --quiet --disable-pip-version-check $1
  fi
}

node_peers() {
  mkdir -p "$peers/node"
  if [ ! -d "$peers/node/node_modules/$1" ]; then
    (cd "$peers/node" && { [ -f package.json ] || npm init -y >/dev/null; } \
      && npm install --no-audit --no-fund --silent "$1")
  fi
}

for group in "${@:-srp}"; do
  case "$group" in
    srp)
      python_peers "pycognito==2024.5.1 gmpy2" "pycognito, gmpy2"
      node_peers amazon-cognito-identity-js
      ;;
    *) echo "install-peers: unknown group $group" >&2; exit 2 ;;
  esac
done
