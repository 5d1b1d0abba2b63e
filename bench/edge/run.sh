#!/usr/bin/env bash
# Edge cache hits: Meridian's edge side by side with Varnish 7 (-s malloc) and nginx proxy_cache, in one run, on
# loopback, all three in front of the same origin (nginx serving fixed 1 KiB and 100 KiB bodies with
# Cache-Control: public, max-age=3600). wrk on every cache and size after checking the response is a hit; prints
# req/s, p99 and the ratios Meridian/Varnish and Meridian/nginx, and a Markdown section (appended to
# docs/benchmarks.md unless --no-append). Then the Zipf hit ratio of the edge's store against LRU (hit-ratio.sh).
# Installs when missing (apt, root): wrk nginx-light varnish util-linux curl -- and keeps their services stopped.
#
# Usage: bench/edge/run.sh [--duration N] [--connections N] [--repeat N] [--sizes "1k 100k"] [--max-load L]
#        [--wait-load N] [--profile] [--no-hit-ratio] [--skip-build] [--no-append] [--keep]   (--help for all)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

DURATION=10
WARMUP=2
JIT_WARMUP=15  # .NET tier-up under full load on one core takes tens of seconds (bench/http/run.sh)
REPEAT=1
CONNECTIONS=64
THREADS=2
SIZES="1k 100k"
MAX_LOAD=1.0
WAIT_LOAD=120
PROFILE=0
HIT_RATIO=1
SKIP_BUILD=0
APPEND=1

usage() {
  cat <<USAGE
Usage: $0 [options]
  --duration N     seconds of wrk per test, 1-120 (default $DURATION)
  --connections N  wrk connections, 1-1024 (default $CONNECTIONS; wrk threads: $THREADS)
  --warmup N       seconds of untimed wrk before each test, 0-30 (default $WARMUP)
  --jit-warmup N   seconds of untimed wrk on every test once, before the first, 0-30 (default $JIT_WARMUP)
  --repeat N       run every test N times, interleaved, and report the median, 1-10 (default $REPEAT)
  --sizes "A B"    objects to measure, of 1k and 100k (default "$SIZES")
  --max-load L     before measuring, wait until the 1-minute load average is at most L (default $MAX_LOAD) ...
  --wait-load N    ... for at most N seconds, 0-1800 (default $WAIT_LOAD); then measure anyway, with a warning
  --profile        afterwards, perf-record Meridian for 10 s under hit load on each size (needs perf) and print
                   the top symbols (sets DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 for Meridian)
  --no-hit-ratio   skip the Zipf hit-ratio report (bench/edge/hit-ratio.sh)
  --skip-build     use the already built $MERIDIAN_DLL
  --no-append      do not append the result to docs/benchmarks.md
  --keep           keep the temp folder (configs, logs, wrk output)
USAGE
}

int_in() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2 && $1 <= $3)); } # int_in VALUE MIN MAX

while (($#)); do
  case $1 in
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --jit-warmup) JIT_WARMUP=${2:?--jit-warmup needs a value}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --sizes) SIZES=${2:?--sizes needs a value}; shift 2 ;;
    --max-load) MAX_LOAD=${2:?--max-load needs a value}; shift 2 ;;
    --wait-load) WAIT_LOAD=${2:?--wait-load needs a value}; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --no-hit-ratio) HIT_RATIO=0; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
int_in "$DURATION" 1 120 || die "--duration must be an integer in 1..120"
int_in "$CONNECTIONS" 1 1024 || die "--connections must be an integer in 1..1024"
int_in "$WARMUP" 0 30 || die "--warmup must be an integer in 0..30"
int_in "$JIT_WARMUP" 0 30 || die "--jit-warmup must be an integer in 0..30"
int_in "$REPEAT" 1 10 || die "--repeat must be an integer in 1..10"
int_in "$WAIT_LOAD" 0 1800 || die "--wait-load must be an integer in 0..1800"
[[ $MAX_LOAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--max-load must be a number"
((CONNECTIONS >= THREADS)) || THREADS=$CONNECTIONS
read -ra SIZE_LIST <<<"$SIZES"
((${#SIZE_LIST[@]})) || die "--sizes is empty"
for s in "${SIZE_LIST[@]}"; do [[ $s == 1k || $s == 100k ]] || die "--sizes: unknown size '$s' (1k or 100k)"; done

ensure_packages
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed for Meridian"
if ((PROFILE)); then
  command -v perf >/dev/null 2>&1 || die "--profile needs perf (apt-get install linux-perf)"
  # Names for JIT-compiled frames: a perf map, and no W^X double mapping (perf cannot match code executed from
  # the memfd alias against the map). Both stay on for the whole run and are listed in the report.
  MERIDIAN_ENV="${MERIDIAN_ENV:+$MERIDIAN_ENV }DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0"
fi
setup_pinning
setup_work

# ------------------------------------------------------------------ start everything
[[ $MERIDIAN_DLL != "$MERIDIAN_DLL_DEFAULT" ]] && SKIP_BUILD=1
((SKIP_BUILD)) || build_meridian
start_origin
wait_http origin "http://$ORIGIN/1k.bin" 15
start_varnish
start_proxy_cache
start_meridian
wait_http varnish "http://$VARNISH/1k.bin" 30 "$EDGE_HOST"
wait_http nginx "http://$NGINX/1k.bin" 15 "$EDGE_HOST"
wait_http meridian "http://$EDGE/1k.bin" 60 "$EDGE_HOST"
log "origin, Varnish, nginx and Meridian answer"

# ------------------------------------------------------------------ tests
declare -a KEYS=()
declare -A LABEL=() TURL=() TPROC=() THDR=() THIT=() RUNS=()
SERVERS=(meridian varnish nginx)
declare -A SERVER_LABEL=([meridian]="Meridian edge" [varnish]="Varnish" [nginx]="nginx proxy_cache")
declare -A SERVER_ADDR=([meridian]=$EDGE [varnish]=$VARNISH [nginx]=$NGINX)
# The response header that says hit, and its value when it is one.
declare -A HIT_HEADER=([meridian]=X-Cache [varnish]=X-Cache [nginx]=X-Cache-Status)
declare -A HIT_VALUE=([meridian]="Hit from edge-bench" [varnish]=HIT [nginx]=HIT)
declare -A SIZE_LABEL=([1k]="1 KiB" [100k]="100 KiB") SIZE_BYTES=([1k]=1024 [100k]=102400)
for size in "${SIZE_LIST[@]}"; do
  for server in "${SERVERS[@]}"; do
    key="$server-$size"
    KEYS+=("$key")
    LABEL[$key]="${SERVER_LABEL[$server]}, ${SIZE_LABEL[$size]}"
    TURL[$key]="http://${SERVER_ADDR[$server]}/$size.bin"
    TPROC[$key]=$server
    THDR[$key]=${HIT_HEADER[$server]}
    THIT[$key]=${HIT_VALUE[$server]}
  done
done

# check_hit KEY : the response must be a cache hit with the full body (the first request was the miss).
check_hit() {
  local key=$1 url=${TURL[$1]} i got="" length want
  want=${SIZE_BYTES[${key#*-}]}
  for ((i = 0; i < 20; i++)); do
    got=$(header_of "$url" "$EDGE_HOST" "${THDR[$key]}")
    [[ $got == "${THIT[$key]}" ]] && break
    sleep 0.1
  done
  [[ $got == "${THIT[$key]}" ]] || die "${LABEL[$key]}: ${THDR[$key]} is '${got:-missing}', expected '${THIT[$key]}' (not a hit)"
  length=$(curl -s -o /dev/null -w '%{size_download}' --max-time 3 -H "Host: $EDGE_HOST" "$url")
  [[ $length == "$want" ]] || die "${LABEL[$key]}: body of $length bytes, expected $want"
}

wrk_cmd() { # wrk_cmd KEY SECONDS [--latency]
  "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" ${3:+"$3"} -H "Host: $EDGE_HOST" "${TURL[$1]}"
}

# bench_once KEY ROUND : one wrk run after the warm-up; appends "rps:p99:p50:errors:cpu_us" to RUNS[KEY].
bench_once() {
  local key=$1 round=$2 out="$WORK/logs/wrk-$1-$2.txt" pid=${PIDS[${TPROC[$1]}]}
  if ((WARMUP > 0)); then
    wrk_cmd "$key" "$WARMUP" >/dev/null 2>&1 || true
  fi
  check_hit "$key"
  log "wrk ${DURATION}s: ${LABEL[$key]} (${TURL[$key]})$( ((REPEAT > 1)) && echo ", round $round/$REPEAT")"
  local t0 t1 rps p50 p99 total errors cpu_us
  t0=$(cpu_ticks "$pid")
  wrk_cmd "$key" "$DURATION" --latency >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for ${LABEL[$key]}"; }
  t1=$(cpu_ticks "$pid")
  read -r rps p50 p99 total errors < <(wrk_summary "$out") || { cat "$out" >&2; die "could not parse wrk output for ${LABEL[$key]}"; }
  cpu_us=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  RUNS[$key]+="$rps:$p99:$p50:$errors:$cpu_us "
  log "  -> $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors, ${cpu_us} µs CPU/req"
}

# First request of every object: the miss that fills each cache.
for key in "${KEYS[@]}"; do
  curl -sf -o /dev/null --max-time 5 -H "Host: $EDGE_HOST" "${TURL[$key]}" || die "${LABEL[$key]}: first request failed"
done

# One untimed pass over every test: .NET tiers up per code path (Varnish and nginx get the same pass).
if ((JIT_WARMUP > 0)); then
  log "warm-up pass: ${JIT_WARMUP}s of wrk on every test"
  for key in "${KEYS[@]}"; do wrk_cmd "$key" "$JIT_WARMUP" >/dev/null 2>&1 || true; done
fi

# The machine is shared: wait (bounded) for the quietest moment we can get.
load1() { cut -d' ' -f1 /proc/loadavg; }
above_max() { awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN {exit !(l > m)}'; }
deadline=$((SECONDS + WAIT_LOAD))
if above_max && ((WAIT_LOAD > 0)); then
  log "load average $(load1) > $MAX_LOAD: waiting up to ${WAIT_LOAD}s for it to drop"
  while ((SECONDS < deadline)) && above_max; do sleep 5; done
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if above_max; then
  log "WARNING: load average $LOAD_BEFORE before measuring: other work on this machine skews absolute numbers (ratios within one run hold better; see --repeat)"
fi

# Repetitions are interleaved (all tests, then all tests again...) so a noisy neighbour hits everyone alike.
for ((round = 1; round <= REPEAT; round++)); do
  for key in "${KEYS[@]}"; do bench_once "$key" "$round"; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Per test: the median repetition by req/s (its latency, errors, CPU), and the req/s range.
declare -A RPS=() P99=() P50=() ERR=() CPU=() RANGE=()
for key in "${KEYS[@]}"; do
  med=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | sort -t: -k1,1n | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
  RANGE[$key]=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | cut -d: -f1 | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min "–" max}')
  IFS=':' read -r "RPS[$key]" "P99[$key]" "P50[$key]" "ERR[$key]" "CPU[$key]" <<<"$med"
done

# ------------------------------------------------------------------ profile (optional)
# profile_meridian SIZE : perf record of the Meridian process for 10 s under wrk hits on SIZE, then the top symbols
# and the share per binary into $WORK/profile-SIZE.txt.
profile_meridian() {
  local key="meridian-$1" txt="$WORK/profile-$1.txt" data="$WORK/perf-$1.data"
  log "profile: perf record -F 999 -g on Meridian (pid ${PIDS[meridian]}) for 10 s under ${LABEL[$key]} hits"
  wrk_cmd "$key" 13 >/dev/null 2>&1 &
  PIDS[wrk-profile]=$!
  sleep 1
  # `dotnet meridian.dll` runs the app in the process it starts: the recorded pid is Meridian's.
  perf record -q -F 999 -g -p "${PIDS[meridian]}" -o "$data" -- sleep 10 >"$WORK/logs/perf-record.log" 2>&1 \
    || { cat "$WORK/logs/perf-record.log" >&2; die "perf record failed"; }
  wait "${PIDS[wrk-profile]}" 2>/dev/null || true
  unset 'PIDS[wrk-profile]'
  local samples
  # awk stops reading early: perf's SIGPIPE must not end the script (pipefail).
  samples=$(perf report -i "$data" --stdio 2>/dev/null | awk '/^# Samples:/ {print $3; exit}') || true
  {
    echo "Meridian CPU profile under ${LABEL[$key]} hits, ${samples:-?} samples, top 40 (perf report --no-children --sort symbol):"
    perf report -i "$data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | sed -E 's/[[:space:]]+(-[[:space:]]+-)?[[:space:]]*$//' | head -40 || true
    echo "Share per binary (perf report --no-children --sort dso):"
    perf report -i "$data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | sed -E 's/[[:space:]]+(-[[:space:]]+-)?[[:space:]]*$//' | head -8 || true
  } >"$txt"
}

PROFILE_FILES=()
if ((PROFILE)); then
  for size in "${SIZE_LIST[@]}"; do
    profile_meridian "$size"
    PROFILE_FILES+=("$WORK/profile-$size.txt")
  done
  rm -f "/tmp/perf-${PIDS[meridian]}.map" # written by DOTNET_PerfMapEnabled; read by perf report above
fi

# ------------------------------------------------------------------ hit ratio (optional, after the timing)
HIT_RATIO_TXT=""
if ((HIT_RATIO)); then
  HIT_RATIO_TXT="$WORK/hit-ratio.txt"
  "$BENCH_DIR/hit-ratio.sh" >"$HIT_RATIO_TXT" || { cat "$HIT_RATIO_TXT" >&2; die "hit-ratio.sh failed"; }
fi

# ------------------------------------------------------------------ report
report="$WORK/report.md"
{
  echo "## Edge cache hits vs Varnish and nginx $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model); $(uname -r)"
  echo "- versions: $(versions)"
  echo "- load average before / after measuring: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- commit: $(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$REPO_ROOT" && git diff --quiet HEAD -- src 2>/dev/null || echo ' (+ uncommitted changes in src)')"
  pin="no pinning ($(nproc) CPU)"
  ((${#SERVER_CPU[@]})) && pin="origin, Meridian (\`run --roles edge\`, Release), Varnish and nginx pinned to core 1, wrk to core 0"
  echo "- wrk \`-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\`, \`Host: $EDGE_HOST\`, GET /1k.bin or /100k.bin, each cache's response checked to be a hit first (after a ${JIT_WARMUP}s warm-up pass over all tests, and ${WARMUP}s before each)$( ((REPEAT > 1)) && echo ", $REPEAT interleaved repetitions, median"); $pin"
  echo "- same origin for all three: nginx serving the files with \`Cache-Control: public, max-age=3600\`; Meridian: bench/edge/bench-topology.yaml (cache memory 256MB); Varnish: built-in VCL + an X-Cache header, \`-s malloc,256m\`, default thread pools; nginx: \`worker_processes 1\`, \`proxy_cache\` on disk (page cache), \`sendfile on\`, \`tcp_nopush off\`$([[ -n ${MERIDIAN_ENV:-} ]] && echo "; Meridian environment: \`$MERIDIAN_ENV\`")"
  echo
  if ((REPEAT > 1)); then
    echo "| cache, object | req/s (median of $REPEAT) | p50 (ms) | p99 (ms) | errors | server CPU µs/req | req/s range |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
  else
    echo "| cache, object | req/s | p50 (ms) | p99 (ms) | errors | server CPU µs/req |"
    echo "|---|---:|---:|---:|---:|---:|"
  fi
  for key in "${KEYS[@]}"; do
    row="| ${LABEL[$key]} | ${RPS[$key]} | ${P50[$key]} | ${P99[$key]} | ${ERR[$key]} | ${CPU[$key]} |"
    ((REPEAT > 1)) && row+=" ${RANGE[$key]} |"
    echo "$row"
  done
  echo
  echo "Server CPU µs/req: CPU time of the cache under test (all its processes) per request."
  echo
  for size in "${SIZE_LIST[@]}"; do
    m="meridian-$size" v="varnish-$size" n="nginx-$size"
    rv=$(div "${RPS[$m]}" "${RPS[$v]}")
    pv=$(div "${P99[$m]}" "${P99[$v]}")
    echo "- ${SIZE_LABEL[$size]}: Meridian / Varnish req/s **$rv** $(verdict "$rv" 1.0 ge); p99 Meridian / Varnish **$pv** $(verdict "$pv" 1.5 le); Meridian / nginx req/s **$(div "${RPS[$m]}" "${RPS[$n]}")**, p99 $(div "${P99[$m]}" "${P99[$n]}")"
  done
  if [[ -n $HIT_RATIO_TXT ]]; then
    echo
    echo "Hit ratio of the edge's store (S3-FIFO) against plain LRU of the same capacity, Zipf-distributed keys (bench/edge/hit-ratio.sh):"
    echo
    echo '```'
    cat "$HIT_RATIO_TXT"
    echo '```'
  fi
} >"$report"

echo
cat "$report"
echo
printf '%-28s %9s %9s %9s %7s %9s\n' "cache, object" req/s "p50 ms" "p99 ms" errors "CPU us/r"
for key in "${KEYS[@]}"; do
  printf '%-28s %9s %9s %9s %7s %9s\n' "${LABEL[$key]}" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${ERR[$key]}" "${CPU[$key]}"
done
for f in "${PROFILE_FILES[@]}"; do
  echo
  cat "$f"
done
if ((APPEND)); then
  append_doc "$report"
fi
