#!/usr/bin/env bash
# The Docker engine for the Docker tests and deploy/docker/up on a machine without one
# running: installs Debian's docker.io, docker-compose and debootstrap when missing and
# starts a dockerd of our own (data root kept between runs, so the base image and the
# layers built before are reused), stopped again by whoever started it. Sourced after
# bootstrap.sh, whose ewtto_apt_install it uses.

EWTTO_DOCKER_DATA_ROOT="${EWTTO_DOCKER_DATA_ROOT:-/var/lib/ewtto-docker}"
EWTTO_DOCKER_PACKAGES=(docker.io docker-compose debootstrap)

ewtto_docker_packages() {
  local wanted=("${EWTTO_DOCKER_PACKAGES[@]}")
  # an engine and compose installed another way will do
  if command -v dockerd >/dev/null && { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; }; then
    wanted=($(printf '%s\n' "${wanted[@]}" | grep -v -e '^docker.io$' -e '^docker-compose$' || true))
  fi
  ewtto_apt_install "${wanted[@]}"
}

# Starts dockerd when no engine answers; sets EWTTO_DOCKERD_PID when it is ours.
ewtto_docker_engine_start() {
  EWTTO_DOCKERD_PID=""
  docker info >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || { echo "[docker] no Docker engine answers and only root may start one" >&2; return 1; }
  mkdir -p "$EWTTO_DOCKER_DATA_ROOT"
  local log="$EWTTO_DOCKER_DATA_ROOT/dockerd.log" pidfile="$EWTTO_DOCKER_DATA_ROOT/dockerd.pid" stale
  # a dockerd that was killed (the machine's session ended) leaves its pid file: dockerd refuses it
  if [ -f "$pidfile" ]; then
    stale="$(cat "$pidfile" 2>/dev/null)"
    if [ -n "$stale" ] && [ "$(cat "/proc/$stale/comm" 2>/dev/null)" = dockerd ]; then
      echo "[docker] dockerd $stale runs but does not answer on /var/run/docker.sock" >&2; return 1
    fi
    rm -f "$pidfile"
  fi
  echo "[docker] starting dockerd (data root $EWTTO_DOCKER_DATA_ROOT, log $log)"
  setsid dockerd --data-root "$EWTTO_DOCKER_DATA_ROOT" --pidfile "$pidfile" \
    --host unix:///var/run/docker.sock >>"$log" 2>&1 < /dev/null &
  EWTTO_DOCKERD_PID=$!
  local deadline=$((SECONDS + 60))
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$EWTTO_DOCKERD_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "[docker] dockerd did not start; the end of $log:" >&2; tail -20 "$log" >&2
      EWTTO_DOCKERD_PID=""; return 1
    fi
    sleep 0.5
  done
  export EWTTO_DOCKERD_PID
}

# Stops the dockerd that ewtto_docker_engine_start started (the containers stop with it).
ewtto_docker_engine_stop() {
  [ -n "${EWTTO_DOCKERD_PID:-}" ] || return 0
  echo "[docker] stopping dockerd $EWTTO_DOCKERD_PID"
  kill -TERM "$EWTTO_DOCKERD_PID" 2>/dev/null || return 0
  local deadline=$((SECONDS + 60))
  while kill -0 "$EWTTO_DOCKERD_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  kill -0 "$EWTTO_DOCKERD_PID" 2>/dev/null && kill -KILL "$EWTTO_DOCKERD_PID"
  EWTTO_DOCKERD_PID=""
}
