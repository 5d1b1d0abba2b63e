#!/usr/bin/env bash
# HTTP benchmark: Meridian's load balancer and edge side by side with nginx proxy_pass, in one run, on loopback,
# plus the failover cost (primary origin refusing connections). See bench/http/README.md.
# Installs when missing (apt, root): wrk nginx-light util-linux curl -- and keeps nginx's system service stopped.
#
# Usage: bench/http/run.sh [--duration N] [--warmup N] [--repeat N] [--path P] [--skip-build] [--no-append] [--keep]
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

DURATION=10
WARMUP=2
JIT_WARMUP=15
REPEAT=1
SKIP_BUILD=0
APPEND=1
THREADS=2
CONNECTIONS=64
# /api/region answers Cache-Control: no-store, so the edge (which caches since the caching part) proxies every
# request: this benchmark measures proxying; cache hits get their own benchmark.
URL_PATH=/api/region

usage() {
  cat <<EOF
Usage: $0 [options]
  --duration N   seconds of wrk per test (default $DURATION)
  --warmup N     seconds of untimed wrk before each test (default $WARMUP; 0 = none)
  --jit-warmup N seconds of untimed wrk on every path once, before the first test (default $JIT_WARMUP; 0 = none)
  --repeat N     run every test N times, interleaved, and report the median (default $REPEAT)
  --path P       request path, the same for every test (default $URL_PATH)
  --skip-build   use the already built $MERIDIAN_DLL and sample app
  --no-append    do not append the result to docs/benchmarks.md
  --keep         keep the temp folder (configs, logs, wrk output)
EOF
}

while (($#)); do
  case $1 in
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --jit-warmup) JIT_WARMUP=${2:?--jit-warmup needs a value}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --path) URL_PATH=${2:?--path needs a value}; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "--duration must be a positive integer"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup must be a non-negative integer"
[[ $JIT_WARMUP =~ ^[0-9]+$ ]] || die "--jit-warmup must be a non-negative integer"
[[ $REPEAT =~ ^[0-9]+$ && $REPEAT -gt 0 ]] || die "--repeat must be a positive integer"
[[ $URL_PATH == /* ]] || die "--path must start with /"

ensure_packages
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed for Meridian and the sample app"
setup_pinning
setup_work

# ------------------------------------------------------------------ start everything
[[ $MERIDIAN_DLL != "$MERIDIAN_DLL_DEFAULT" || $SAMPLE_APP_DLL != "$SAMPLE_APP_DLL_DEFAULT" ]] && SKIP_BUILD=1
((SKIP_BUILD)) || build_all
assert_port_free "$DEAD"
start_app app us-east-1 us-1 "$APP"
wait_http app "http://$APP/health" 60
start_nginx
wait_http nginx "http://$NGINX$URL_PATH" 15
start_yarp_floor
wait_http yarp_floor "http://$YARP_FLOOR$URL_PATH" 30
start_meridian
wait_http meridian "http://$LB_US$URL_PATH" 60
wait_http meridian "http://$EDGE$URL_PATH" 30 direct.bench.test
wait_http meridian "http://$EDGE$URL_PATH" 30 lb.bench.test
log "everything answers $URL_PATH"

# ------------------------------------------------------------------ measure
declare -A RUNS=()          # key -> "rps:p99_ms:p50_ms:errors:cpu_us ..." one entry per repetition
declare -a KEYS=()
declare -A LABEL=() TURL=() THOST=() TCHECK=() TPROC=()
add_test() { # add_test KEY LABEL URL HOST CHECK PROCESS_NAME (for CPU)
  KEYS+=("$1")
  LABEL[$1]=$2
  TURL[$1]=$3
  THOST[$1]=$4
  TCHECK[$1]=$5
  TPROC[$1]=$6
}

# check_path KEY : after the warm-up, the path must be what the test claims. CHECK is
#   "Header=value"  the response header (the edge's X-Edge-Origin names the origin that answered), or
#   "nginx-failed"  nginx's error log shows refused connections to the dead upstream (it did fail over).
check_path() {
  local key=$1 check=${TCHECK[$1]} got
  if [[ $check == nginx-failed ]]; then
    grep -q "Connection refused) while connecting to upstream.*${DEAD}" "$WORK/logs/nginx-error.log" \
      || die "${LABEL[$key]}: no refused connection to $DEAD in nginx's error log"
    return 0
  fi
  got=$(header_of "${TURL[$key]}" "${THOST[$key]}" "${check%%=*}")
  [[ $got == "${check#*=}" ]] || die "${LABEL[$key]}: ${check%%=*} is '${got:-missing}', expected '${check#*=}'"
}

# bench_once KEY ROUND : one wrk run (after the warm-up); appends to RUNS[KEY].
bench_once() {
  local key=$1 round=$2 url=${TURL[$1]} host=${THOST[$1]} out="$WORK/logs/wrk-$1-$2.txt"
  local -a hdr=() cmd
  [[ -n $host ]] && hdr=(-H "Host: $host")
  local pid=${PIDS[${TPROC[$key]}]}
  cmd=("${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" --latency "${hdr[@]}")
  if ((WARMUP > 0)); then
    "${cmd[@]}" -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
  fi
  check_path "$key"
  log "wrk ${DURATION}s: ${LABEL[$key]} ($url${host:+, Host: $host})$( ((REPEAT > 1)) && echo ", round $round/$REPEAT")"
  local t0 t1 a0 a1
  t0=$(cpu_ticks "$pid"); a0=$(cpu_ticks "${PIDS[app]}")
  "${cmd[@]}" -d"${DURATION}s" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed for ${LABEL[$key]}"; }
  t1=$(cpu_ticks "$pid"); a1=$(cpu_ticks "${PIDS[app]}")
  local rps p50 p99 total errors cpu_us app_us
  read -r rps p50 p99 total errors < <(wrk_summary "$out") || { cat "$out" >&2; die "could not parse wrk output for ${LABEL[$key]}"; }
  # Server CPU per request of the process(es) under test (ticks of 1/CLK_TCK s).
  cpu_us=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  # The app's own CPU per request behind this proxy: a proxy that made the app work harder would show here.
  app_us=$(awk -v d=$((a1 - a0)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  RUNS[$key]+="$rps:$p99:$p50:$errors:$cpu_us:$app_us "
  log "  -> $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors, ${cpu_us} µs CPU/req (app ${app_us})"
}

# Each ratio's two paths run back to back in every round (nginx with the same headers, then the Meridian proxy; a
# proxy's healthy path, then its failover path; bare nginx, then the stock YARP forwarder), so a slow minute of this
# shared machine hits both sides of a ratio.
add_test app "sample app, direct (baseline)" "http://$APP$URL_PATH" "" X-Region=us-east-1 app
add_test nginx_fail "nginx, first upstream refused → app" "http://$NGINX_FAILOVER$URL_PATH" "" nginx-failed nginx
add_test nginx "nginx proxy_pass → app" "http://$NGINX$URL_PATH" "" X-Region=us-east-1 nginx
add_test yarp_floor "stock YARP forwarder (no Meridian code, no forwarded headers) → app" "http://$YARP_FLOOR$URL_PATH" "" X-Region=us-east-1 yarp_floor
add_test nginx_alb "nginx proxy_pass + the load balancer's headers → app" "http://$NGINX_ALB$URL_PATH" "" X-Region=us-east-1 nginx
add_test lb "Meridian load balancer → app" "http://$LB_US$URL_PATH" "" X-Region=us-east-1 meridian
add_test nginx_cdn "nginx proxy_pass + the edge's headers → app" "http://$NGINX_CDN$URL_PATH" "" X-Region=us-east-1 nginx
add_test edge_nocache "Meridian edge, caching disabled → app" "http://$EDGE$URL_PATH" nocache.bench.test X-Edge-Origin=app-us meridian
add_test edge "Meridian edge, caching behaviour (no-store answer: pass) → app" "http://$EDGE$URL_PATH" direct.bench.test X-Edge-Origin=app-us meridian
add_test edge_fail "Meridian edge, primary origin refused → app" "http://$EDGE$URL_PATH" failover.bench.test X-Edge-Origin=app meridian
add_test edge_lb "Meridian edge → load balancer → app" "http://$EDGE$URL_PATH" lb.bench.test X-Edge-Origin=us-east-1 meridian
add_test edge_lb_fail "Meridian edge, primary region's LB refused → LB → app" "http://$EDGE$URL_PATH" lbfail.bench.test X-Edge-Origin=eu-west-1 meridian

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN {exit !(l > 1.0)}'; then
  log "WARNING: load average $LOAD_BEFORE before measuring: other work on this machine skews absolute numbers (ratios within one run hold better; see --repeat)"
fi

# One untimed pass over every path first: .NET tiers up (tier 0 -> instrumented -> tier 1 with dynamic PGO) per code
# path, and on a loaded machine that takes longer than the per-test warm-up -- without this pass the first Meridian
# path measured pays for it (seen as the edge's failover path beating its healthy one on the same app). Pinned to one
# core under full load, the load balancer reaches its steady CPU per request only after ≈ 30-35 s of traffic (22 µs
# at 35 s against 40+ µs in the first 10 s, 2026-11-26): hence 15 s per path, ≈ 3 min over the 12 paths.
if ((JIT_WARMUP > 0)); then
  log "warm-up pass: ${JIT_WARMUP}s of wrk on every path"
  for key in "${KEYS[@]}"; do
    hdr=()
    [[ -n ${THOST[$key]} ]] && hdr=(-H "Host: ${THOST[$key]}")
    "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${JIT_WARMUP}s" "${hdr[@]}" "${TURL[$key]}" >/dev/null 2>&1 || true
  done
fi

# Repetitions are interleaved (all tests, then all tests again...) so a noisy neighbour hits everyone alike.
for ((round = 1; round <= REPEAT; round++)); do
  for key in "${KEYS[@]}"; do
    bench_once "$key" "$round"
  done
done

# Per test: the median repetition by req/s (its latency, errors, CPU), and the req/s range.
declare -a ROWS=()          # "label|rps|p50|p99|errors|cpu|app cpu|range"
declare -A RPS=() P99=()
for key in "${KEYS[@]}"; do
  med=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | sort -t: -k1,1n | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
  range=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | cut -d: -f1 | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min "–" max}')
  IFS=':' read -r r p99 p50 err cpu app <<<"$med"
  RPS[$key]=$r
  P99[$key]=$p99
  ROWS+=("${LABEL[$key]}|$r|$p50|$p99|$err|$cpu|$app|$range")
done

# ------------------------------------------------------------------ report
# paired A B -> "median (r1 r2 ...)": A/B req/s of each round (the two ran back to back), and their median. On a
# shared machine whose speed drifts over minutes this is the steadier estimate; the ratio of medians mixes rounds.
paired() {
  local -a a b r=()
  read -ra a <<<"${RUNS[$1]}"; read -ra b <<<"${RUNS[$2]}"
  for i in "${!a[@]}"; do r+=("$(div "${a[$i]%%:*}" "${b[$i]%%:*}")"); done
  printf '%s (%s)' "$(printf '%s\n' "${r[@]}" | sort -n | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : sprintf("%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2))}')" "${r[*]}"
}

# The targets compare equal work: nginx setting the same forwarded headers (so the app parses the same request) and
# adding the same response headers.
r_lb=$(div "${RPS[lb]}" "${RPS[nginx_alb]}")
r_edge=$(div "${RPS[edge_nocache]}" "${RPS[nginx_cdn]}")
p_lb=$(paired lb nginx_alb)
p_edge=$(paired edge_nocache nginx_cdn)
r_floor=$(div "${RPS[yarp_floor]}" "${RPS[nginx]}")
p_floor=$(paired yarp_floor nginx)
r_edge_pass=$(div "${RPS[edge]}" "${RPS[nginx_cdn]}")
r_lb_bare=$(div "${RPS[lb]}" "${RPS[nginx]}")
r_edge_bare=$(div "${RPS[edge_nocache]}" "${RPS[nginx]}")
r_edge_lb=$(div "${RPS[edge_lb]}" "${RPS[nginx]}")
f_edge=$(div "${P99[edge_fail]}" "${P99[edge]}")
f_edge_lb=$(div "${P99[edge_lb_fail]}" "${P99[edge_lb]}")
f_nginx=$(div "${P99[nginx_fail]}" "${P99[nginx]}")

report="$WORK/report.md"
{
  echo "## HTTP benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- machine: $(nproc) CPUs, $(cpu_model); $(uname -r)"
  echo "- versions: $(versions)"
  echo "- load average before / after measuring: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- commit: $(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$REPO_ROOT" && git diff --quiet HEAD -- src samples 2>/dev/null || echo ' (+ uncommitted changes in src/samples)')"
  if ((${#SERVER_CPU[@]})); then
    echo "- wrk \`-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\` GET $URL_PATH (after a ${JIT_WARMUP}s warm-up pass over all paths, and ${WARMUP}s before each test)$( ((REPEAT > 1)) && echo ", $REPEAT interleaved repetitions, median"); the sample app, Meridian (\`run --roles lb,edge\`, Release) and nginx pinned to core 1, wrk to core 0"
  else
    echo "- wrk \`-t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\` GET $URL_PATH (after ${WARMUP}s warm-up); no pinning (1 CPU)"
  fi
  echo "- nginx \`worker_processes 1\`, \`access_log off\`, upstream \`keepalive 64\` + \`proxy_http_version 1.1\` + \`Connection \"\"\`; \"+ the load balancer's headers\": \`Host \$http_host\`, \`X-Forwarded-For \$proxy_add_x_forwarded_for\`, \`X-Forwarded-Proto\`/\`-Host\`/\`-Port\`, \`X-Request-Id \$request_id\` (also returned to the client); \"+ the edge's headers\": \`X-Forwarded-For\`/\`-Proto\`/\`-Host\` and \`Via\`, and on the answer the edge's four (\`Via\`, \`X-Cache\`, \`X-Edge-Location\`, \`X-Edge-Origin\`, by \`add_header\`); failover upstream: dead server first, \`proxy_next_upstream error timeout http_502 http_503\` (default \`max_fails=1 fail_timeout=10s\`)"
  echo "- Meridian: bench/http/bench-topology.yaml; failover distributions' primary origin is 127.0.0.31:8089 (connection refused), known down after the warm-up (origin probes every 1 s); one sample app behind every path, its request log off (\`Logging__LogLevel__Default=Warning\`)$([[ -n ${MERIDIAN_ENV:-} ]] && echo "; Meridian environment: \`$MERIDIAN_ENV\`")"
  echo
  if ((REPEAT > 1)); then
    echo "| path | req/s (median of $REPEAT) | p50 (ms) | p99 (ms) | errors | server CPU µs/req | app CPU µs/req | req/s range |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  else
    echo "| path | req/s | p50 (ms) | p99 (ms) | errors | server CPU µs/req | app CPU µs/req |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
  fi
  for row in "${ROWS[@]}"; do
    IFS='|' read -r l r p50 p99 err cpu app rg <<<"$row"
    if ((REPEAT > 1)); then
      echo "| $l | $r | $p50 | $p99 | $err | $cpu | $app | $rg |"
    else
      echo "| $l | $r | $p50 | $p99 | $err | $cpu | $app |"
    fi
  done
  echo
  echo "Server CPU µs/req: CPU time of the process under test only (the app for the baseline, nginx, or the Meridian process) per request; the app's own cost is on top. App CPU µs/req: the sample app's CPU per request behind that path (both on core 1, so server + app is the core's cost per request)."
  echo
  echo "- Meridian load balancer / nginx with the same forwarded headers, req/s: **$r_lb** $(verdict "$r_lb" 0.8 ge)"
  echo "- Meridian edge with caching disabled → app / nginx with the same forwarded headers, req/s: **$r_edge** $(verdict "$r_edge" 0.8 ge) (issue 3's edge: a failover proxy with no cache, as \`proxy_pass\` without \`proxy_cache\`)"
  if ((REPEAT > 1)); then
    echo "- the same two ratios paired by round (each Meridian run right after its nginx run), median (per round): load balancer **${p_lb%% *}** ${p_lb#* } $(verdict "${p_lb%% *}" 0.8 ge); edge with caching disabled **${p_edge%% *}** ${p_edge#* } $(verdict "${p_edge%% *}" 0.8 ge)"
  fi
  echo "- the stock YARP forwarder (\`IHttpForwarder\` + \`HttpTransformer.Default\`, no Meridian code, no forwarded headers) / bare nginx proxy_pass, req/s: **$r_floor**$( ((REPEAT > 1)) && echo " (paired by round ${p_floor%% *} ${p_floor#* })"): the floor of Kestrel + HttpClient + YARP on this machine, with less header work than either Meridian proxy"
  echo "- Meridian edge with a caching behaviour → app (the answer is \`no-store\`, so each request is a cache lookup, then a pass) / the same nginx, req/s: $r_edge_pass"
  echo "- against bare proxy_pass (nginx adds no forwarded headers or request id: the app parses 4–5 request headers fewer): load balancer $r_lb_bare, edge $r_edge_bare"
  echo "- Meridian edge → load balancer → app (2 proxies) / nginx (1 proxy), req/s: **$r_edge_lb**"
  echo "- nginx / app direct, req/s: $(div "${RPS[nginx]}" "${RPS[app]}")"
  echo "- failover cost, p99 primary refused / healthy: Meridian edge → app **$f_edge** $(verdict "$f_edge" 1.5 le); edge → LB → app **$f_edge_lb** $(verdict "$f_edge_lb" 1.5 le); nginx **$f_nginx**"
  echo "- failover cost, req/s primary refused / healthy: Meridian edge → app $(div "${RPS[edge_fail]}" "${RPS[edge]}"); edge → LB → app $(div "${RPS[edge_lb_fail]}" "${RPS[edge_lb]}"); nginx $(div "${RPS[nginx_fail]}" "${RPS[nginx]}")"
} >"$report"

echo
cat "$report"
echo
printf '%-55s %9s %9s %9s %7s %9s\n' path req/s "p50 ms" "p99 ms" errors "CPU us/r"
for row in "${ROWS[@]}"; do
  IFS='|' read -r l r p50 p99 err cpu _ <<<"$row"
  printf '%-55s %9s %9s %9s %7s %9s\n' "${l//→/->}" "$r" "$p50" "$p99" "$err" "$cpu"
done

if ((APPEND)); then
  append_doc "$report"
fi
