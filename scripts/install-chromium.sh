#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver (the headless browser and its WebDriver server)
# for the hosted-UI tests, with apt-get, unless both are already on PATH. Needs root (CI runs
# as root). Fails loudly when they cannot be installed: the browser tests never skip.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: chromium/chromedriver missing and not root: run apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
