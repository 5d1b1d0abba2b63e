#!/usr/bin/env bash
# DNS failover time: Meridian vs PowerDNS (LUA ifurlup), on loopback. See bench/dns/README.md.
#
# With both servers answering app.mydomain.test = 127.0.0.11 (health endpoint http://127.0.0.11:18080/health
# up), the endpoint is killed and each server is polled with dig every 50 ms until the answer is no longer
# 127.0.0.11 (failover); then the endpoint is restarted and polled until the answer is 127.0.0.11 again
# (failback). Each wait gives up after --timeout seconds (exit code 3 then, after the report).
# Both servers use a 1 s health-check interval.
#
# Usage: bench/dns/failover.sh [--rounds N] [--timeout S] [--skip-build] [--peers-only] [--no-append] [--keep]
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

ROUNDS=3
TIMEOUT=30
POLL=0.05
SKIP_BUILD=0
PEERS_ONLY=0
APPEND=1

usage() {
  cat <<EOF
Usage: $0 [options]
  --rounds N     failover+failback rounds (default $ROUNDS)
  --timeout S    give up waiting for a switch after S seconds (default $TIMEOUT)
  --skip-build   use the already built $MERIDIAN_DLL
  --peers-only   PowerDNS only (no Meridian)
  --no-append    do not append the result to docs/benchmarks.md
  --keep         keep the temp folder (configs, logs)
EOF
}

while (($#)); do
  case $1 in
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --peers-only) PEERS_ONLY=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "--rounds must be a positive integer"
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -gt 0 ]] || die "--timeout must be a positive integer"

ensure_packages
if ((!PEERS_ONLY)); then
  command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed for Meridian; or use --peers-only"
fi
setup_pinning
SERVER_CPU=() # latency of a switch, not throughput: no pinning needed
setup_work

if ((!PEERS_ONLY)); then
  [[ $MERIDIAN_DLL != "$MERIDIAN_DLL_DEFAULT" ]] && SKIP_BUILD=1
  ((SKIP_BUILD)) || build_meridian
  [[ -f $MERIDIAN_DLL ]] || die "$MERIDIAN_DLL not found (build it, or drop --skip-build)"
fi
start_health 127.0.0.11
start_health 127.0.0.12
start_pdns
declare -A PORT=([PowerDNS]=$PDNS_PORT)
SERVERS=(PowerDNS)
if ((!PEERS_ONLY)); then
  start_meridian
  PORT[Meridian]=$MERIDIAN_PORT
  SERVERS=(Meridian PowerDNS)
fi

dig @127.0.0.1 -p "$PDNS_PORT" app.mydomain.test A +short +time=1 +tries=1 >/dev/null 2>&1 || true
for s in "${SERVERS[@]}"; do
  wait_app_answer "${PORT[$s]}" 127.0.0.11 15 || die "$s app.mydomain.test does not answer 127.0.0.11"
done
sleep 2 # let every checker see the endpoint healthy for a while

# poll_switch PORT MODE T0_NS OUTFILE : MODE away = until the answer is an address other than 127.0.0.11,
# back = until it is 127.0.0.11. Writes "<ms> <answer>" or "timeout <last answer>".
poll_switch() {
  local port=$1 mode=$2 t0=$3 out=$4 ans now deadline
  deadline=$((t0 + TIMEOUT * 1000000000))
  while :; do
    ans=$(app_answer "$port")
    now=$(date +%s%N)
    if [[ ($mode == away && -n $ans && $ans != 127.0.0.11) || ($mode == back && $ans == 127.0.0.11) ]]; then
      echo "$(((now - t0) / 1000000)) $ans" >"$out"
      return 0
    fi
    if ((now >= deadline)); then
      echo "timeout ${ans:-none}" >"$out"
      return 0
    fi
    sleep "$POLL"
  done
}

# measure MODE ROUND : polls every server in parallel from now on; fills RES[server,mode,round].
declare -A RES=()
measure() {
  local mode=$1 round=$2 t0 s r
  local -a pollers=()
  t0=$(date +%s%N)
  for s in "${SERVERS[@]}"; do
    if [[ $mode == back && ${RES[$s,away,$round]} == ">"* ]]; then
      continue # never failed over: nothing to fail back
    fi
    poll_switch "${PORT[$s]}" "$mode" "$t0" "$WORK/poll-$s-$mode-$round" &
    pollers+=($!)
  done
  ((${#pollers[@]} == 0)) || wait "${pollers[@]}"
  for s in "${SERVERS[@]}"; do
    if [[ ! -f $WORK/poll-$s-$mode-$round ]]; then
      RES[$s,$mode,$round]="n/a"
      continue
    fi
    read -r r _ <"$WORK/poll-$s-$mode-$round"
    if [[ $r == timeout ]]; then
      RES[$s,$mode,$round]="> $TIMEOUT"
    else
      RES[$s,$mode,$round]=$(awk -v ms="$r" 'BEGIN {printf "%.2f", ms / 1000}')
    fi
    log "  $s $mode: ${RES[$s,$mode,$round]} s ($(cut -d' ' -f2 "$WORK/poll-$s-$mode-$round"))"
  done
}

for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS: killing the health endpoint 127.0.0.11:$HEALTH_PORT"
  stop_pid "${PIDS[health-127.0.0.11]}"
  unset 'PIDS[health-127.0.0.11]'
  measure away "$round"
  log "round $round/$ROUNDS: restarting the health endpoint"
  start_health 127.0.0.11
  measure back "$round"
  sleep 1
done

# ------------------------------------------------------------------ report
stats() { # stats SERVER MODE -> "mean (min–max)" over numeric rounds
  local s=$1 mode=$2 round v vals=""
  for ((round = 1; round <= ROUNDS; round++)); do
    v=${RES[$s,$mode,$round]}
    [[ $v == ">"* || $v == n/a ]] || vals+="$v "
  done
  if [[ -z $vals ]]; then echo "none"; return; fi
  echo "$vals" | awk '{ min = $1; max = $1; sum = 0
    for (i = 1; i <= NF; i++) { sum += $i; if ($i < min) min = $i; if ($i > max) max = $i }
    printf "%.2f (%.2f–%.2f)", sum / NF, min, max }'
}

report="$WORK/report.md"
{
  echo "## DNS failover $(date -u '+%Y-%m-%d %H:%M UTC')$( ((PEERS_ONLY)) && echo ' (peers only)')"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model); commit $(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- health endpoint http://127.0.0.11:$HEALTH_PORT/health killed / restarted; \`dig\` every $(awk -v p="$POLL" 'BEGIN {print p * 1000}') ms until app.mydomain.test leaves / returns to 127.0.0.11 (give up after ${TIMEOUT} s)"
  echo "- PowerDNS: \`ifurlup\`, \`lua-health-checks-interval=$LUA_INTERVAL\`$( ((PEERS_ONLY)) || echo "; Meridian: bench-topology.yaml (interval 1 s, fall 2, rise 2, confirm 250 ms)")"
  echo
  header="| server | measure |"
  sep="|---|---|"
  for ((round = 1; round <= ROUNDS; round++)); do
    header+=" round $round (s) |"
    sep+="---:|"
  done
  echo "$header mean (min–max) |"
  echo "$sep---|"
  for s in "${SERVERS[@]}"; do
    for mode in away back; do
      label=failover
      [[ $mode == back ]] && label=failback
      line="| $s | $label |"
      for ((round = 1; round <= ROUNDS; round++)); do
        line+=" ${RES[$s,$mode,$round]} |"
      done
      echo "$line $(stats "$s" "$mode") |"
    done
  done
} >"$report"

echo
cat "$report"
if ((APPEND)); then
  append_doc "$report"
fi

# A switch that never happened is a failed measurement: say so in the exit code (after the report).
for key in "${!RES[@]}"; do
  if [[ ${RES[$key]} == ">"* ]]; then
    log "some switches did not happen within ${TIMEOUT}s (see the table)"
    exit 3
  fi
done
