# Shared by scripts/setup, scripts/demo, scripts/test and .ci/run: source it, don't run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

PROG="${PROG:-${0##*/}}"  # how messages name the script
say() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

# Runs a command as root: directly, through sudo, or not at all (with a message).
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root to run '$*': run this as root or install sudo"
    fi
}

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing_packages() {
    local pkg
    for pkg in "$@"; do
        is_installed "$pkg" || printf '%s\n' "$pkg"
    done
}

# Runs a noisy command with its output in a log, shown only when it fails.
run_logged() {
    local log="$1"
    shift
    mkdir -p "$(dirname "$log")"
    if ! "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "'$*' failed (full output: $log)"
    fi
}

# Installs the Debian packages among "$@" that are missing; `apt-get update` runs once per
# top-level command, however many scripts call this (the flag is inherited by children).
apt_install() {
    local missing
    mapfile -t missing < <(missing_packages "$@")
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null \
        || die "missing system packages (${missing[*]}) and no apt-get: install them by hand"
    local log="$ROOT/out/logs/apt.log"
    if [[ -z "${CIVREG_APT_UPDATED:-}" ]]; then
        run_logged "$log.update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        export CIVREG_APT_UPDATED=1
    fi
    run_logged "$log" as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
    say "installed with apt-get: ${missing[*]}"
}

activate_venv() {
    # shellcheck disable=SC1091  # created by scripts/setup
    . "$ROOT/.venv/bin/activate"
}
