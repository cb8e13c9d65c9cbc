#!/usr/bin/env bash
# Installs what E-WTTO needs and is missing: Debian packages and the virtualenv
# with the pinned Python packages. Sourced by bin/up and bin/test; safe to repeat.
set -euo pipefail

EWTTO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EWTTO_VENV="${EWTTO_VENV:-$EWTTO_ROOT/.venv}"
export EWTTO_ROOT EWTTO_VENV

APT_PACKAGES=(mariadb-server-core mariadb-client nginx-light python3-venv python3-dev
              build-essential pkg-config libmariadb-dev apache2-utils wrk chromium)

# Installs those of the given Debian packages that are missing.
ewtto_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "[bootstrap] installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ewtto_apt() {
  local wanted=("${APT_PACKAGES[@]}")
  # nginx from any flavour will do
  if command -v nginx >/dev/null; then
    wanted=($(printf '%s\n' "${wanted[@]}" | grep -v '^nginx-light$' || true))
  fi
  ewtto_apt_install "${wanted[@]}"
}

ewtto_python() {
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "[bootstrap] Python 3.11 or newer is required" >&2; return 1
}

ewtto_venv() {
  local stamp="$EWTTO_VENV/.ewtto-lock" want
  want="$(cat "$EWTTO_ROOT/requirements.lock" "$EWTTO_ROOT/SIS/common/pyproject.toml" "$EWTTO_ROOT/SIS/ops/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ -x "$EWTTO_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  echo "[bootstrap] preparing the virtualenv in $EWTTO_VENV"
  [ -x "$EWTTO_VENV/bin/python" ] || "$(ewtto_python)" -m venv "$EWTTO_VENV"
  "$EWTTO_VENV/bin/pip" install -q --disable-pip-version-check -r "$EWTTO_ROOT/requirements.lock"
  "$EWTTO_VENV/bin/pip" install -q --disable-pip-version-check --no-deps \
    -e "$EWTTO_ROOT/SIS/common" -e "$EWTTO_ROOT/SIS/ops"
  echo "$want" > "$stamp"
}

ewtto_bootstrap() {
  ewtto_apt
  ewtto_venv
}
