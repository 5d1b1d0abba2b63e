#!/usr/bin/env bash
# Object-store throughput (issue 5, "Performance"): in one run, PUT and GET of 4 KiB and 1 MiB objects at 16
# concurrent clients against Meridian's embedded S3 store (`meridian run --roles storage`, one store on
# 127.0.8.11:9100, data under the run's temp folder), with nginx (127.0.8.12:8080, sendfile) serving the same bytes
# from files on the same disk as the GET reference. PUTs: bench/storage/Throughput (AWSSDK.S3, SigV4, default
# checksums). GETs: wrk, anonymous (the bench bucket is public_read), on Meridian and on nginx, interleaved.
# Prints req/s, MB/s (10^6 bytes of body per second), p50/p99, server CPU per request, the ratios Meridian/nginx
# (target: GET 1 MiB >= 0.7x) and appends a Markdown section to docs/benchmarks.md (unless --no-append).
# Installs when missing (apt, root): wrk nginx-light util-linux curl (and linux-perf for --profile).
#
# Usage: bench/storage/run.sh [--duration N] [--connections N] [--max-requests N] [--repeat N] [--profile] [--skip-build]
#        [--no-append] [--keep]   (--help for all; TMPDIR=/dev/shm puts the data on tmpfs;
#        MERIDIAN_ENV="NAME=value ..." sets runtime knobs for the Meridian process only)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)
MERIDIAN_DLL="$REPO_ROOT/src/Meridian.Cli/bin/Release/net10.0/meridian.dll"
DRIVER_DLL="$BENCH_DIR/Throughput/bin/Release/net10.0/Throughput.dll"
STORE=127.0.8.11:9100 # not the demo's 127.0.0.11/.12, not replication-lag.sh's 127.0.8.1/.2
NGINX=127.0.8.12:8080
BUCKET=bench
ACCESS=BENCHTHROUGHPUTKEY
SECRET=bench-throughput-secret

DURATION=10
WARMUP=3
CONNECTIONS=16
MAX_REQUESTS=200000
REPEAT=1
PROFILE=0
SKIP_BUILD=0
APPEND=1
WORK=""
KEEP_WORK=0
declare -A PIDS=()
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() {
  cat <<USAGE
Usage: $0 [options]
  --duration N      seconds per measurement, 1-120 (default $DURATION)
  --warmup N        untimed seconds before each measurement, 0-30 (default $WARMUP)
  --connections N   concurrent clients (PUT workers, wrk connections), 1-256 (default $CONNECTIONS)
  --max-requests N  PUT measurements also stop after N requests, 1-10000000 (default $MAX_REQUESTS)
  --repeat N        measure every row N times, interleaved, and report the median round, 1-10 (default $REPEAT)
  --profile         afterwards, perf-record Meridian for 10 s under 1 MiB GETs and print the top symbols
                    (Meridian then runs with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  --skip-build      use the already built meridian.dll and Throughput.dll
  --no-append       do not append the result to docs/benchmarks.md
  --keep            keep the temp folder (topology, data, logs, wrk output)
USAGE
}

int_in() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2 && $1 <= $3)); } # int_in VALUE MIN MAX

while (($#)); do
  case $1 in
    --duration) DURATION=${2:?--duration needs a value}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
    --max-requests) MAX_REQUESTS=${2:?--max-requests needs a value}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
int_in "$DURATION" 1 120 || die "--duration must be an integer in 1..120"
int_in "$WARMUP" 0 30 || die "--warmup must be an integer in 0..30"
int_in "$CONNECTIONS" 1 256 || die "--connections must be an integer in 1..256"
int_in "$MAX_REQUESTS" 1 10000000 || die "--max-requests must be an integer in 1..10000000"
int_in "$REPEAT" 1 10 || die "--repeat must be an integer in 1..10"
THREADS=2
((CONNECTIONS >= THREADS)) || THREADS=$CONNECTIONS

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
command -v curl >/dev/null 2>&1 || missing+=(curl)
((PROFILE)) && { command -v perf >/dev/null 2>&1 || missing+=(linux-perf); }
if ((${#missing[@]})); then
  apt_install "sudo systemctl disable --now nginx" "${missing[@]}"
  stop_system_nginx
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed"
# MERIDIAN_ENV="NAME=value ..." adds environment variables to the Meridian process only (A/B of runtime knobs).
read -ra MERIDIAN_ENV <<<"${MERIDIAN_ENV:-}"
((PROFILE)) && MERIDIAN_ENV+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)

if ((!SKIP_BUILD)); then
  log "building meridian and the PUT driver (Release)"
  dotnet build "$REPO_ROOT/src/Meridian.Cli" -c Release -v q -nologo >/dev/null || die "Meridian build failed"
  dotnet build "$BENCH_DIR/Throughput" -c Release -v q -nologo >/dev/null || die "driver build failed"
fi
[[ -f $MERIDIAN_DLL && -f $DRIVER_DLL ]] || die "$MERIDIAN_DLL or $DRIVER_DLL missing (drop --skip-build)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meridian-bench-storage.XXXXXX")
chmod 755 "$WORK"
mkdir -p "$WORK/logs" "$WORK/nginx" "$WORK/src" "$WORK/www/$BUCKET/4k" "$WORK/www/$BUCKET/1m"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
setup_pinning
assert_port_free "$STORE"
assert_port_free "$NGINX"

# The objects: random bytes, the same file PUT to Meridian and served by nginx (as /bench/4k/000000, /bench/1m/000000).
head -c 4096 /dev/urandom >"$WORK/src/4k.bin"
head -c 1048576 /dev/urandom >"$WORK/src/1m.bin"
for size in 4k 1m; do cp "$WORK/src/$size.bin" "$WORK/www/$BUCKET/$size/000000"; done
chmod -R a+rX "$WORK/www"

cat >"$WORK/topology.yaml" <<YAML
regions:
  us-east-1: { address: ${STORE%:*} }
storage:
  credentials: [{ access_key: $ACCESS, secret_key: $SECRET }]
  stores:
    bench:
      region: us-east-1
      listen: $STORE
      data_dir: data
      buckets: { $BUCKET: { public_read: true } }
YAML
sed -e "s|@WORK@|$WORK|g" -e "s|@LISTEN@|$NGINX|g" "$BENCH_DIR/nginx.conf.in" >"$WORK/nginx/nginx.conf"
nginx -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/logs/nginx-error.log" 2>"$WORK/logs/nginx-t.log" \
  || { cat "$WORK/logs/nginx-t.log" >&2; die "nginx -t failed"; }

start meridian env "${MERIDIAN_ENV[@]}" "${SERVER_CPU[@]}" dotnet "$MERIDIAN_DLL" run --config "$WORK/topology.yaml" --roles storage
start nginx "${SERVER_CPU[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/logs/nginx-error.log"
wait_http nginx "http://$NGINX/$BUCKET/4k/000000" 15
# Until the first PUT the key does not exist: the bucket listing (anonymous, public-read) says the store is up.
wait_http meridian "http://$STORE/$BUCKET?list-type=2&max-keys=1" 60
log "Meridian store on $STORE, nginx on $NGINX (data in $(df -P "$WORK" | awk 'NR==2 {print $1}'))"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RUNS=() RPS=() MBPS=() P50=() P99=() ERR=() CPU=() CLIENT=() RANGE=()
declare -A BYTES=([4k]=4096 [1m]=1048576) SIZE_LABEL=([4k]="4 KiB" [1m]="1 MiB")
KEYS=(meridian-put-4k meridian-put-1m meridian-get-4k nginx-get-4k meridian-get-1m nginx-get-1m)

# us_per_req PID TICKS_BEFORE REQUESTS : server CPU microseconds per request since TICKS_BEFORE.
us_per_req() {
  awk -v d=$(($(cpu_ticks "$1") - $2)) -v hz="$(getconf CLK_TCK)" -v n="$3" 'BEGIN {printf "%.0f", (n > 0 ? d / hz * 1e6 / n : 0)}'
}

# Each measurement appends "rps:mbps:p50:p99:errors:server_us:client_us" to RUNS[KEY].
# measure_put SIZE : signed PUTs by the AWSSDK.S3 driver (its own warm-up, then the timed phase).
measure_put() {
  local size=$1 key="meridian-put-$1" out
  log "PUT ${SIZE_LABEL[$size]}: $CONNECTIONS workers, ${WARMUP}s warm-up, then ${DURATION}s or $MAX_REQUESTS requests"
  out=$("${CLIENT_CPU[@]}" dotnet "$DRIVER_DLL" --endpoint "http://$STORE" --bucket "$BUCKET" --access-key "$ACCESS" \
    --secret-key "$SECRET" --file "$WORK/src/$size.bin" --prefix "$size/" --concurrency "$CONNECTIONS" \
    --max-requests "$MAX_REQUESTS" --seconds "$DURATION" --warmup-seconds "$WARMUP" --keys 64 --server-pid "${PIDS[meridian]}" \
    2>"$WORK/logs/driver-$size.err") || { cat "$WORK/logs/driver-$size.err" >&2; die "PUT driver failed: $out"; }
  log "  -> $out"
  field() { sed -nE "s/.*(^| )$1=([^ ]+).*/\2/p" <<<"$out"; }
  RUNS[$key]+="$(field rps):$(field mbps):$(field p50_ms):$(field p99_ms):$(field errors):$(field server_cpu_us_per_req):$(field client_cpu_us_per_req) "
}

# measure_get SERVER SIZE : anonymous GETs of one object by wrk, after checking the body is the object.
measure_get() {
  local server=$1 size=$2 key="$1-get-$2" addr=$STORE url got t0 rps p50 p99 total errors mbps cpu
  [[ $server == nginx ]] && addr=$NGINX
  url="http://$addr/$BUCKET/$size/000000"
  got=$(curl -s --max-time 5 "$url" | md5sum | cut -d' ' -f1)
  [[ $got == "$(md5sum <"$WORK/src/$size.bin" | cut -d' ' -f1)" ]] || die "$server: GET $url does not return the object"
  if ((WARMUP > 0)); then "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true; fi
  log "GET ${SIZE_LABEL[$size]} from $server: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s $url"
  t0=$(cpu_ticks "${PIDS[$server]}")
  "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$WORK/logs/wrk-$key.txt" 2>&1 \
    || { cat "$WORK/logs/wrk-$key.txt" >&2; die "wrk failed for $key"; }
  read -r rps p50 p99 total errors < <(wrk_summary "$WORK/logs/wrk-$key.txt") \
    || { cat "$WORK/logs/wrk-$key.txt" >&2; die "could not parse wrk output for $key"; }
  cpu=$(us_per_req "${PIDS[$server]}" "$t0" "$total")
  mbps=$(awk -v r="$rps" -v b="${BYTES[$size]}" 'BEGIN {printf "%.1f", r * b / 1e6}')
  log "  -> $rps req/s, $mbps MB/s, p50 $p50 ms, p99 $p99 ms, errors $errors, $cpu µs CPU/req"
  RUNS[$key]+="$rps:$mbps:$p50:$p99:$errors:$cpu: "
}

# Rounds are interleaved (every row, then every row again) so a noisy neighbour hits all rows alike; PUTs first
# (they also create the objects the GETs read).
for ((round = 1; round <= REPEAT; round++)); do
  ((REPEAT > 1)) && log "round $round/$REPEAT"
  measure_put 4k
  measure_put 1m
  for size in 4k 1m; do
    measure_get meridian "$size"
    measure_get nginx "$size"
  done
done
# Per row: the median round by req/s (its other figures come with it), and the req/s range.
for key in "${KEYS[@]}"; do
  med=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | sort -t: -k1,1n | awk '{a[NR] = $0} END {print a[int((NR + 1) / 2)]}')
  RANGE[$key]=$(tr ' ' '\n' <<<"${RUNS[$key]}" | grep . | cut -d: -f1 | sort -n | awk 'NR == 1 {min = $1} {max = $1} END {print min "–" max}')
  IFS=':' read -r "RPS[$key]" "MBPS[$key]" "P50[$key]" "P99[$key]" "ERR[$key]" "CPU[$key]" "CLIENT[$key]" <<<"$med"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ profile (optional)
PROFILE_TXT=""
if ((PROFILE)); then
  PROFILE_TXT="$WORK/profile.txt"
  url="http://$STORE/$BUCKET/1m/000000"
  log "profile: perf record -F 999 -g on Meridian (pid ${PIDS[meridian]}) for 10 s under 1 MiB GETs"
  "${CLIENT_CPU[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d13s "$url" >/dev/null 2>&1 &
  PIDS[wrk-profile]=$!
  sleep 1
  # `dotnet meridian.dll` runs the app in the process it starts: the recorded pid is Meridian's.
  perf record -q -F 999 -g -p "${PIDS[meridian]}" -o "$WORK/perf.data" -- sleep 10 >"$WORK/logs/perf-record.log" 2>&1 \
    || { cat "$WORK/logs/perf-record.log" >&2; die "perf record failed"; }
  wait "${PIDS[wrk-profile]}" 2>/dev/null || true
  unset 'PIDS[wrk-profile]'
  {
    echo "Meridian CPU profile under 1 MiB GETs (wrk -c$CONNECTIONS), top 30 (perf report --no-children --sort symbol):"
    perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' \
      | sed -E 's/[[:space:]]+(-[[:space:]]+-)?[[:space:]]*$//' | head -30 || true
    echo "Inclusive (callees counted in their callers), Meridian, file and GC frames, top 15 (--children --sort symbol):"
    perf report -i "$WORK/perf.data" --children --sort symbol -g none --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' \
      | grep -E 'Meridian\.|RandomAccess|FileStream|GC|Alloc|ResponseBody|Http1OutputProducer' \
      | sed -E 's/[[:space:]]+(-[[:space:]]+-)?[[:space:]]*$//' | head -15 || true
    echo "Share per binary (--sort dso):"
    perf report -i "$WORK/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' \
      | sed -E 's/[[:space:]]+(-[[:space:]]+-)?[[:space:]]*$//' | head -8 || true
  } >"$PROFILE_TXT"
  # Written by DOTNET_PerfMapEnabled and read by perf report above; kept with --keep for further perf report runs.
  if ((KEEP_WORK)); then log "perf data: $WORK/perf.data, map /tmp/perf-${PIDS[meridian]}.map (remove it when done)"; else rm -f "/tmp/perf-${PIDS[meridian]}.map"; fi
fi

# ------------------------------------------------------------------ report
declare -A LABEL=(
  [meridian-put-4k]="Meridian PUT 4 KiB (SigV4)" [meridian-put-1m]="Meridian PUT 1 MiB (SigV4)"
  [meridian-get-4k]="Meridian GET 4 KiB" [nginx-get-4k]="nginx GET 4 KiB (file)"
  [meridian-get-1m]="Meridian GET 1 MiB" [nginx-get-1m]="nginx GET 1 MiB (file)"
)
r4=$(div "${RPS[meridian-get-4k]}" "${RPS[nginx-get-4k]}")
r1=$(div "${RPS[meridian-get-1m]}" "${RPS[nginx-get-1m]}")
report="$WORK/report.md"
{
  echo "## Storage throughput vs nginx $(date -u '+%Y-%m-%d %H:%M UTC') (bench/storage/run.sh)"
  echo
  echo "- machine: $(nproc) cores, $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME/ GNU\/Linux/}"), $(cpu_model); $(uname -r)"
  echo "- versions: $(nginx -v 2>&1 | sed 's|nginx version: ||'); wrk $(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?'); .NET SDK $(dotnet --version); AWSSDK.S3 4.1.0"
  echo "- load average before / after measuring: $LOAD_BEFORE / $LOAD_AFTER"
  echo "- commit: $(cd "$REPO_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
  pin="no pinning ($(nproc) CPU)"
  ((${#SERVER_CPU[@]})) && pin="Meridian and nginx pinned to core 1, wrk and the PUT driver to core 0"
  echo "- $CONNECTIONS concurrent clients, ${DURATION}s per row after ${WARMUP}s warm-up$( ((REPEAT > 1)) && echo ", $REPEAT interleaved rounds, median round per row"); $pin; data and nginx's files on $(df -P "$WORK" | awk 'NR==2 {print $1}')"
  echo "- Meridian: one \`meridian run --roles storage\` (Release), bucket \`public_read: true\`. PUT: bench/storage/Throughput, AWSSDK.S3 default settings (SigV4, checksums), $CONNECTIONS workers closed-loop, 64 keys overwritten in rotation. GET: wrk \`-t$THREADS -c$CONNECTIONS --latency\`, anonymous, one key. nginx: \`worker_processes 1\`, \`sendfile on\`, same bytes as a file$( ((${#MERIDIAN_ENV[@]})) && echo "; Meridian environment: \`${MERIDIAN_ENV[*]}\`")"
  echo
  echo "| server, operation, object | req/s$( ((REPEAT > 1)) && echo " (median of $REPEAT)") | MB/s | p50 (ms) | p99 (ms) | errors | server CPU µs/req | server core busy | client CPU µs/req | req/s range |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for key in "${KEYS[@]}"; do
    busy=$(awk -v r="${RPS[$key]}" -v c="${CPU[$key]}" 'BEGIN {printf "%.0f%%", r * c / 1e4}')
    echo "| ${LABEL[$key]} | ${RPS[$key]} | ${MBPS[$key]} | ${P50[$key]} | ${P99[$key]} | ${ERR[$key]} | ${CPU[$key]} | $busy | ${CLIENT[$key]:-} | ${RANGE[$key]} |"
  done
  echo
  echo "MB/s: 10^6 bytes of object body per second. Server CPU µs/req: CPU time of the server process per request. Server core busy: req/s × CPU/req, the share of one core the server used (well under 100%: the client core, not the server, set the pace). Client CPU µs/req: the PUT driver's own CPU (SDK hashing and signing)."
  echo
  echo "- GET 1 MiB, Meridian / nginx req/s: **$r1** $(verdict "$r1" 0.7 ge); server CPU per request Meridian / nginx: $(div "${CPU[meridian-get-1m]}" "${CPU[nginx-get-1m]}")"
  echo "- GET 4 KiB, Meridian / nginx req/s: **$r4**; server CPU per request Meridian / nginx: $(div "${CPU[meridian-get-4k]}" "${CPU[nginx-get-4k]}")"
  if [[ -n $PROFILE_TXT ]]; then
    echo
    echo '```'
    cat "$PROFILE_TXT"
    echo '```'
  fi
} >"$report"

echo
cat "$report"
((APPEND)) && append_doc_to "$REPO_ROOT" "$report"
exit 0
