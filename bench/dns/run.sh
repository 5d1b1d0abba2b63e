#!/usr/bin/env bash
# DNS benchmark: Meridian side by side with NSD and PowerDNS, in one run, on loopback.
# See bench/dns/README.md. Installs when missing (apt, root): dnsperf nsd pdns-server pdns-backend-bind
# util-linux bind9-dnsutils python3 -- and keeps their system services stopped.
#
# Usage: bench/dns/run.sh [--duration N] [--warmup N] [--repeat N] [--skip-build] [--peers-only] [--no-append] [--keep]
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

DURATION=10
WARMUP=2
REPEAT=1
SKIP_BUILD=0
PEERS_ONLY=0
APPEND=1
CLIENTS=8
OUTSTANDING=100

usage() {
  cat <<EOF
Usage: $0 [options]
  --duration N   seconds of dnsperf per test (default $DURATION)
  --warmup N     seconds of untimed dnsperf before each test (default $WARMUP; 0 = none)
  --repeat N     run every test N times, interleaved, and report the median (default $REPEAT)
  --skip-build   use the already built $MERIDIAN_DLL
  --peers-only   benchmark only NSD and PowerDNS (no Meridian)
  --no-append    do not append the result to docs/benchmarks.md
  --keep         keep the temp folder (configs, logs, dnsperf output)
EOF
}

while (($#)); do
  case $1 in
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --peers-only) PEERS_ONLY=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "--duration must be a positive integer"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup must be a non-negative integer"
[[ $REPEAT =~ ^[0-9]+$ && $REPEAT -gt 0 ]] || die "--repeat must be a positive integer"

ensure_packages
if ((!PEERS_ONLY)); then
  command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed for Meridian; or use --peers-only"
fi
setup_pinning
setup_work

# ------------------------------------------------------------------ start everything
if ((!PEERS_ONLY)); then
  [[ $MERIDIAN_DLL != "$MERIDIAN_DLL_DEFAULT" ]] && SKIP_BUILD=1
  ((SKIP_BUILD)) || build_meridian
  [[ -f $MERIDIAN_DLL ]] || die "$MERIDIAN_DLL not found (build it, or drop --skip-build)"
fi
start_health 127.0.0.11
start_health 127.0.0.12
start_nsd
start_pdns
if ((!PEERS_ONLY)); then
  start_meridian
fi

# The GSLB answers must be the healthy primary before measuring (PowerDNS starts its checks on the first query).
dig @127.0.0.1 -p "$PDNS_PORT" app.mydomain.test A +short +time=1 +tries=1 >/dev/null 2>&1 || true
wait_app_answer "$PDNS_PORT" 127.0.0.11 15 || die "PowerDNS app.mydomain.test does not answer 127.0.0.11"
if ((!PEERS_ONLY)); then
  wait_app_answer "$MERIDIAN_PORT" 127.0.0.11 15 || die "Meridian app.mydomain.test does not answer 127.0.0.11"
fi

# ------------------------------------------------------------------ measure

declare -A RUNS=()        # key -> "qps:lat_us:lost ..." one entry per repetition
declare -a KEYS=()
declare -A LABEL=() TPORT=() TNAME=()
add_test() { # add_test KEY SERVER_LABEL QUERY_LABEL PORT NAME
  KEYS+=("$1")
  LABEL[$1]="$2|$3"
  TPORT[$1]=$4
  TNAME[$1]=$5
}

# bench_once KEY ROUND : one dnsperf run (after the warm-up); appends to RUNS[KEY].
bench_once() {
  local key=$1 round=$2 server query port=${TPORT[$1]} qname=${TNAME[$1]}
  IFS='|' read -r server query <<<"${LABEL[$key]}"
  local qfile="$WORK/q-$key.txt" out="$WORK/logs/dnsperf-$key-$round.txt"
  printf '%s A\n' "$qname" >"$qfile"
  local -a cmd=("${CLIENT_CPU[@]}" dnsperf -s 127.0.0.1 -p "$port" -d "$qfile" -c "$CLIENTS" -q "$OUTSTANDING")
  if ((WARMUP > 0)); then
    "${cmd[@]}" -l "$WARMUP" >/dev/null 2>&1 || true
  fi
  log "dnsperf ${DURATION}s: $server $query (127.0.0.1:$port)$( ((REPEAT > 1)) && echo ", round $round/$REPEAT")"
  "${cmd[@]}" -l "$DURATION" >"$out" 2>&1 || { cat "$out" >&2; die "dnsperf failed for $server $query"; }
  local qps lat lost lat_us
  qps=$(awk '/Queries per second:/ {print $4}' "$out")
  lat=$(awk '/Average Latency \(s\):/ {print $4}' "$out")
  lost=$(grep -m1 -o 'Queries lost:.*' "$out" | grep -o '([^)]*)' | tr -d '()' || true)
  [[ -n $qps && -n $lat ]] || { cat "$out" >&2; die "could not parse dnsperf output for $server $query"; }
  lat_us=$(awk -v l="$lat" 'BEGIN {printf "%.0f", l * 1e6}')
  qps=$(awk -v q="$qps" 'BEGIN {printf "%.0f", q}')
  RUNS[$key]+="$qps:$lat_us:${lost:-?} "
  # Sanity: the answer the benchmark hammered.
  log "  -> $qps qps, avg ${lat_us} µs, lost ${lost:-?}; answer now: $(dig @127.0.0.1 -p "$port" "$qname" A +short +time=1 +tries=1 2>/dev/null | head -n1)"
}

add_test nsd_static "NSD" "static A" "$NSD_PORT" static.mydomain.test
add_test pdns_static "PowerDNS" "static A" "$PDNS_PORT" static.mydomain.test
add_test pdns_lua "PowerDNS" "LUA ifurlup app" "$PDNS_PORT" app.mydomain.test
if ((!PEERS_ONLY)); then
  add_test meridian_static "Meridian" "static A" "$MERIDIAN_PORT" static.mydomain.test
  add_test meridian_gslb "Meridian" "GSLB app (latency+failover)" "$MERIDIAN_PORT" app.mydomain.test
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN {exit !(l > 1.0)}'; then
  log "WARNING: load average $LOAD_BEFORE before measuring: other work on this machine skews absolute numbers (ratios within one run hold better; see --repeat)"
fi

# Repetitions are interleaved (all tests, then all tests again...) so a noisy neighbour hits everyone alike.
for ((round = 1; round <= REPEAT; round++)); do
  for key in "${KEYS[@]}"; do
    bench_once "$key" "$round"
  done
done

# Per test: the median repetition by qps (its latency and loss), and the qps range.
declare -a ROWS=()        # "server|query|qps|avg_us|lost|range"
declare -A QPS=()
for key in "${KEYS[@]}"; do
  med=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | sort -t: -k1,1n | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
  range=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | cut -d: -f1 | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min "–" max}')
  IFS=':' read -r q l lo <<<"$med"
  QPS[$key]=$q
  ROWS+=("${LABEL[$key]}|$q|$l|$lo|$range")
done

# ------------------------------------------------------------------ report
ratio() { # ratio A B -> A/B with 2 decimals, or n/a
  local a=${QPS[$1]:-} b=${QPS[$2]:-}
  if [[ -z $a || -z $b || $b == 0 ]]; then echo "n/a"; else awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}'; fi
}
verdict() { # verdict VALUE TARGET
  [[ $1 == n/a ]] && { echo ""; return; }
  awk -v v="$1" -v t="$2" 'BEGIN { if (v >= t) print "(target >= " t ": met)"; else print "(target >= " t ": NOT met)" }'
}

report="$WORK/report.md"
{
  echo "## DNS benchmark $(date -u '+%Y-%m-%d %H:%M UTC')$( ((PEERS_ONLY)) && echo ' (peers only)')"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model); $(uname -r)"
  echo "- versions: $(versions)"
  echo "- load average before / after measuring: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- commit: $(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
  if ((${#SERVER_CPU[@]})); then
    echo "- dnsperf \`-l $DURATION -c $CLIENTS -q $OUTSTANDING\` (after ${WARMUP}s warm-up)$( ((REPEAT > 1)) && echo ", $REPEAT interleaved repetitions, median"), one name per test; server pinned to core 1, dnsperf to core 0"
  else
    echo "- dnsperf \`-l $DURATION -c $CLIENTS -q $OUTSTANDING\` (after ${WARMUP}s warm-up), one name per test; no pinning (1 CPU)"
  fi
  echo "- NSD \`server-count: 1\`, \`rrl-ratelimit: 0\`; PowerDNS bind backend, \`receiver-threads=1\`, \`distributor-threads=1\`, \`lua-health-checks-interval=$LUA_INTERVAL\`"
  echo
  if ((REPEAT > 1)); then
    echo "| server | query | qps (median of $REPEAT) | avg latency (µs) | lost | qps range |"
    echo "|---|---|---:|---:|---:|---:|"
  else
    echo "| server | query | qps | avg latency (µs) | lost |"
    echo "|---|---|---:|---:|---:|"
  fi
  for row in "${ROWS[@]}"; do
    IFS='|' read -r s q p l lo rg <<<"$row"
    if ((REPEAT > 1)); then
      echo "| $s | $q | $p | $l | $lo | $rg |"
    else
      echo "| $s | $q | $p | $l | $lo |"
    fi
  done
  echo
  if ((PEERS_ONLY)); then
    echo "- PowerDNS static / NSD static: $(ratio pdns_static nsd_static)"
    echo "- PowerDNS LUA / NSD static: $(ratio pdns_lua nsd_static)"
    echo "- Meridian ratios: n/a (--peers-only)"
  else
    r1=$(ratio meridian_static nsd_static)
    r2=$(ratio meridian_gslb nsd_static)
    r3=$(ratio meridian_gslb pdns_lua)
    echo "- Meridian static / NSD static: **$r1** $(verdict "$r1" 0.9)"
    echo "- Meridian GSLB / NSD static: **$r2** $(verdict "$r2" 0.8)"
    echo "- Meridian GSLB / PowerDNS LUA: **$r3**"
    echo "- PowerDNS static / NSD static: $(ratio pdns_static nsd_static)"
  fi
} >"$report"

echo
cat "$report"
echo
# Plain-text table as well (for terminals).
printf '%-10s %-30s %10s %14s %8s\n' server query qps "avg lat (us)" lost
for row in "${ROWS[@]}"; do
  IFS='|' read -r s q p l lo _ <<<"$row"
  printf '%-10s %-30s %10s %14s %8s\n' "$s" "$q" "$p" "$l" "$lo"
done

if ((APPEND)); then
  append_doc "$report"
fi
