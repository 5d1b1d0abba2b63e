#!/usr/bin/env bash
# Shared by bench/dns/lib.sh, bench/http/lib.sh, bench/edge/lib.sh and bench/storage/*.sh: logging, CPU pinning, package installs,
# process start/stop and cleanup, HTTP readiness checks, wrk result parsing, appending to docs/benchmarks.md.
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

# ------------------------------------------------------------------ packages (bench/http, bench/edge)
# apt_install HINT PKG... : installs PKG (root only; otherwise prints the command and HINT, the service stop to run
# after it, and exits). Daemons must not start during the install (they would take port 80): a temporary
# policy-rc.d answers 101 ("action forbidden"); callers stop any instance started anyway.
apt_install() {
  local hint=$1
  shift
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing packages. Install them with:" >&2
    echo "  sudo apt-get install -y $*" >&2
    echo "(then stop the services they start: $hint)" >&2
    exit 1
  fi
  log "installing: $*"
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, bench/: no daemon starts during install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" || rc=$?
  if ((rc != 0)); then
    log "apt-get install failed; retrying after apt-get update"
    apt-get update -qq || true
    rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" || rc=$?
  fi
  ((created_policy)) && rm -f "$policy"
  ((rc == 0)) || die "apt-get install $* failed"
}

# stop_system_service UNIT COMM PIDFILE... : disables the distribution's service UNIT and stops an instance an
# install started anyway (by the pid in its pidfile, only when that process is named COMM).
stop_system_service() {
  local unit=$1 comm=$2 pidfile pid
  shift 2
  if command -v systemctl >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    if [[ -d /run/systemd/system ]]; then
      systemctl disable --now "$unit.service" >/dev/null 2>&1 || true
    else
      systemctl disable "$unit.service" >/dev/null 2>&1 || true # no systemd running: just the links
    fi
  fi
  for pidfile in "$@"; do
    [[ -r $pidfile ]] || continue
    pid=$(tr -dc '0-9' <"$pidfile")
    if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null || true) == "$comm" ]]; then
      log "stopping system $comm (pid $pid from $pidfile)"
      kill "$pid" 2>/dev/null || true
    fi
  done
}

stop_system_nginx() { stop_system_service nginx nginx /run/nginx.pid; }

# ------------------------------------------------------------------ HTTP servers (bench/http, bench/edge)
# bench/dns/lib.sh defines its own start, assert_port_free and wait_http (DNS flavours) after sourcing this file.

# start NAME CMD... : runs CMD in the background (log in $WORK/logs/NAME.log), records its pid.
start() {
  local name=$1
  shift
  "$@" >"$WORK/logs/$name.log" 2>&1 &
  # shellcheck disable=SC2004 # PIDS is the caller's associative array
  PIDS[$name]=$!
}

# Fails when something already listens on IP:PORT (we would benchmark the wrong server).
assert_port_free() {
  local ip=${1%:*} port=${1##*:}
  if (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null; then
    die "something already listens on $1; stop it first (a previous run? ss -ltnp | grep $ip)"
  fi
}

# wait_http NAME URL TIMEOUT_S [HOST] : polls until URL answers 200 (with Host: HOST when given).
wait_http() {
  local name=$1 url=$2 timeout=$3 host=${4:-} deadline code
  local -a hdr=()
  [[ -n $host ]] && hdr=(-H "Host: $host")
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if ! is_running "$name"; then
      log "$name exited during startup; last log lines:"
      tail -n 20 "$WORK/logs/$name.log" >&2 || true
      die "$name failed to start"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${hdr[@]}" "$url" || true)
    [[ $code == 200 ]] && return 0
    sleep 0.2
  done
  tail -n 20 "$WORK/logs/$name.log" >&2 || true
  die "$name: $url${host:+ (Host: $host)} did not answer 200 within ${timeout}s (last: $code)"
}

# header_of URL HOST NAME : the value of response header NAME (HOST may be empty).
header_of() {
  local url=$1 host=$2 name=$3
  local -a hdr=()
  [[ -n $host ]] && hdr=(-H "Host: $host")
  curl -s -D - -o /dev/null --max-time 3 "${hdr[@]}" "$url" 2>/dev/null | tr -d '\r' \
    | awk -F': ' -v n="$name" 'tolower($1) == tolower(n) {print $2}'
}

# cpu_ticks PID... : utime+stime (clock ticks) of the processes and their children (nginx's worker, varnishd's
# cache process).
cpu_ticks() {
  local pid kids total=0 t p
  for pid in "$@"; do
    kids=$(pgrep -P "$pid" 2>/dev/null || true)
    for p in $pid $kids; do
      t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
      total=$((total + t))
    done
  done
  echo "$total"
}

# ------------------------------------------------------------------ wrk results and ratios
to_ms() { # wrk latency "812.00us" / "4.56ms" / "1.02s" / "1.5m" -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# wrk_summary FILE : "rps p50_ms p99_ms requests errors" of a `wrk --latency` output (errors: non-2xx/3xx plus
# socket errors); fails when the output has no result.
wrk_summary() {
  local out=$1 rps p50 p99 total non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  total=$(awk '/requests in/ {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  sockerr=$(awk '/Socket errors:/ {s = 0; for (i = 4; i <= NF; i += 2) s += $i + 0; print s}' "$out")
  [[ -n $rps && -n $p50 && -n $p99 && -n $total ]] || return 1
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $total $((${non2xx:-0} + ${sockerr:-0}))"
}

div() { # div A B -> A/B with 2 decimals, or n/a
  if [[ -z $1 || -z $2 ]] || awk -v b="$2" 'BEGIN {exit !(b == 0)}'; then echo "n/a"; else awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; fi
}

verdict() { # verdict VALUE TARGET ge|le -> "(target ≥ T: met)" / "(target ≥ T: NOT met)"
  [[ $1 == n/a ]] && { echo ""; return; }
  if [[ $3 == ge ]]; then
    awk -v v="$1" -v t="$2" 'BEGIN { if (v >= t) print "(target ≥ " t ": met)"; else print "(target ≥ " t ": NOT met)" }'
  else
    awk -v v="$1" -v t="$2" 'BEGIN { if (v <= t) print "(target ≤ " t ": met)"; else print "(target ≤ " t ": NOT met)" }'
  fi
}

# ------------------------------------------------------------------ docs/benchmarks.md
# append_doc_to REPO_ROOT FILE : appends the Markdown section in FILE to REPO_ROOT/docs/benchmarks.md.
# (bench/http/lib.sh and bench/edge/lib.sh define a one-argument append_doc with the same effect.)
append_doc_to() {
  local doc="$1/docs/benchmarks.md"
  [[ -f $doc ]] || die "$doc not found"
  { echo; cat "$2"; } >>"$doc"
  log "appended to docs/benchmarks.md"
}
