#!/usr/bin/env bash
# Python test peers for the Cognito client, kept in the git-ignored `.peers/` of the repository.
#
#   scripts/peers.sh install           venv at .peers/venv with moto[server], boto3, pycognito (idempotent)
#   scripts/peers.sh moto-start PORT   start moto_server on 127.0.0.1:PORT (installs first); waits until it answers
#   scripts/peers.sh moto-stop         stop the moto_server this script started (by its recorded pid)
#   scripts/peers.sh moto-status       print the running server's pid and port, exit 1 if none
#   scripts/peers.sh python ARGS...    run the venv's python (boto3 / pycognito scripts)
#
# Sourcing the file (`. scripts/peers.sh`) defines the same commands as functions:
# peers_install, peers_moto_start PORT, peers_moto_stop, peers_moto_status.
#
# Versions are pinned so results are repeatable; override with MOTO_VERSION, BOTO3_VERSION,
# PYCOGNITO_VERSION. Extra moto settings (e.g. MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true) are
# taken from the environment of `moto-start`.

PEERS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_DIR="$PEERS_ROOT/.peers"
PEERS_VENV="$PEERS_DIR/venv"
PEERS_MOTO_PID="$PEERS_DIR/moto.pid"
PEERS_MOTO_PORT="$PEERS_DIR/moto.port"
PEERS_MOTO_LOG="$PEERS_DIR/moto.log"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
BOTO3_VERSION="${BOTO3_VERSION:-1.44.8}"
PYCOGNITO_VERSION="${PYCOGNITO_VERSION:-2024.5.1}"
PEERS_PYTHON="${PEERS_PYTHON:-python3}"

peers_log() { printf 'peers: %s\n' "$*" >&2; }

peers_install() {
    local stamp="$PEERS_VENV/.installed-moto-$MOTO_VERSION-boto3-$BOTO3_VERSION-pycognito-$PYCOGNITO_VERSION"
    if [ -f "$stamp" ] && [ -x "$PEERS_VENV/bin/moto_server" ]; then
        return 0
    fi
    mkdir -p "$PEERS_DIR" || return 1
    if [ ! -x "$PEERS_VENV/bin/python" ]; then
        peers_log "creating venv in .peers/venv"
        "$PEERS_PYTHON" -m venv "$PEERS_VENV" || return 1
    fi
    peers_log "installing moto[server]==$MOTO_VERSION boto3==$BOTO3_VERSION pycognito==$PYCOGNITO_VERSION"
    "$PEERS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "moto[server]==$MOTO_VERSION" "boto3==$BOTO3_VERSION" "pycognito==$PYCOGNITO_VERSION" || return 1
    rm -f "$PEERS_VENV"/.installed-* && touch "$stamp"
}

# The recorded pid, if that process is alive and is our moto_server.
peers_moto_pid() {
    [ -f "$PEERS_MOTO_PID" ] || return 1
    local pid
    pid="$(cat "$PEERS_MOTO_PID" 2>/dev/null)"
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    kill -0 "$pid" 2>/dev/null || return 1
    if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q moto_server; then
        return 1
    fi
    printf '%s\n' "$pid"
}

peers_moto_status() {
    local pid
    if pid="$(peers_moto_pid)"; then
        printf 'moto_server pid %s on 127.0.0.1:%s\n' "$pid" "$(cat "$PEERS_MOTO_PORT" 2>/dev/null)"
        return 0
    fi
    echo "moto_server is not running" >&2
    return 1
}

peers_moto_start() {
    local port="${1:-}"
    case "$port" in
        '' | *[!0-9]*) echo "usage: peers.sh moto-start PORT" >&2; return 2 ;;
    esac
    if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
        echo "peers: port out of range: $port" >&2
        return 2
    fi
    local pid
    if pid="$(peers_moto_pid)"; then
        if [ "$(cat "$PEERS_MOTO_PORT" 2>/dev/null)" = "$port" ]; then
            peers_log "moto_server already running (pid $pid, port $port)"
            return 0
        fi
        echo "peers: moto_server already running on another port (pid $pid); run moto-stop first" >&2
        return 1
    fi
    peers_install || return 1
    peers_log "starting moto_server on 127.0.0.1:$port (log: .peers/moto.log)"
    nohup "$PEERS_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$PEERS_MOTO_LOG" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$PEERS_MOTO_PID"
    printf '%s\n' "$port" >"$PEERS_MOTO_PORT"
    local i
    for i in $(seq 1 150); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "peers: moto_server exited; last log lines:" >&2
            tail -n 20 "$PEERS_MOTO_LOG" >&2
            rm -f "$PEERS_MOTO_PID" "$PEERS_MOTO_PORT"
            return 1
        fi
        if "$PEERS_VENV/bin/python" - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/moto-api/data.json" % sys.argv[1], timeout=1).read()
PY
            peers_log "moto_server ready (pid $pid)"
            return 0
        fi
        sleep 0.2
    done
    echo "peers: moto_server did not answer within 30 s" >&2
    peers_moto_stop
    return 1
}

peers_moto_stop() {
    local pid
    if ! pid="$(peers_moto_pid)"; then
        rm -f "$PEERS_MOTO_PID" "$PEERS_MOTO_PORT"
        peers_log "moto_server is not running"
        return 0
    fi
    kill "$pid" 2>/dev/null
    local i
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$PEERS_MOTO_PID" "$PEERS_MOTO_PORT"
    peers_log "moto_server stopped (pid $pid)"
}

peers_main() {
    local cmd="${1:-help}"
    [ "$#" -gt 0 ] && shift
    case "$cmd" in
        install) peers_install ;;
        moto-start) peers_moto_start "$@" ;;
        moto-stop) peers_moto_stop ;;
        moto-status) peers_moto_status ;;
        python) peers_install && exec "$PEERS_VENV/bin/python" "$@" ;;
        help | -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
        *) echo "peers: unknown command $cmd (try help)" >&2; return 2 ;;
    esac
}

# Run as a command unless sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    peers_main "$@"
fi
