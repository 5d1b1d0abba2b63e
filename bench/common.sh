#!/usr/bin/env bash
# Shared by bench/dns/lib.sh and bench/http/lib.sh: logging, CPU pinning, process start/stop and cleanup.
# Callers define WORK, KEEP_WORK and the PIDS associative array before using cleanup.
# shellcheck disable=SC2034

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() { log "ERROR: $*"; exit 1; }

setup_pinning() {
  local n
  n=$(nproc)
  if ((n >= 2)); then
    SERVER_CPU=(taskset -c 1)
    CLIENT_CPU=(taskset -c 0)
  else
    log "only $n CPU: no pinning"
    SERVER_CPU=()
    CLIENT_CPU=()
  fi
}

stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? name
  for name in "${!PIDS[@]}"; do
    stop_pid "${PIDS[$name]}"
  done
  wait 2>/dev/null || true
  if [[ -n $WORK && -d $WORK ]]; then
    if ((KEEP_WORK || rc != 0)); then
      log "logs and configs kept in $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$rc"
}

is_running() { [[ -n ${PIDS[$1]:-} ]] && kill -0 "${PIDS[$1]}" 2>/dev/null; }

cpu_model() {
  local m
  m=$(grep -m1 -E '^(model name|Model|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
  echo "${m:-unknown}"
}
