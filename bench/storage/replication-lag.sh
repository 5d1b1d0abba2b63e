#!/usr/bin/env bash
# Replication lag: two object stores as two `meridian run --roles storage` processes (us-east-1 -> eu-west-1, one
# rule), a steady open-loop PUT load on the source, and an observer listing the destination. Reports p50/p99/max
# from PUT acknowledged to object listed (readable) in the other region, plus the replicator's own metrics
# (source commit -> destination ack) from GET /v1/storage/replication. Loopback only: 127.0.8.1 / 127.0.8.2.
#
# Usage: bench/storage/replication-lag.sh [--rate N] [--seconds N] [--size BYTES] [--pin] [--skip-build] [--no-append] [--keep]
# --pin: servers on CPU 1, the load driver on CPU 0 (as bench/http); default: no pinning.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)
MERIDIAN_DLL="$REPO_ROOT/src/Meridian.Cli/bin/Release/net10.0/meridian.dll"
DRIVER_DLL="$BENCH_DIR/ReplicationLag/bin/Release/net10.0/ReplicationLag.dll"
US=127.0.8.1:9100
EU=127.0.8.2:9100
CONTROL=127.0.8.1:8153
ACCESS=BENCHREPLKEY
SECRET=bench-replication-secret

RATE=200
SECONDS_LOAD=60
SIZE=4096
SKIP_BUILD=0
APPEND=1
PIN=0   # both stores and the replicator are one region each in real life: by default the scheduler spreads them
WORK=""
KEEP_WORK=0
declare -A PIDS=()
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

while (($#)); do
  case $1 in
    --rate) RATE=${2:?}; shift 2 ;;
    --seconds) SECONDS_LOAD=${2:?}; shift 2 ;;
    --size) SIZE=${2:?}; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --no-append) APPEND=0; shift ;;
    --keep) KEEP_WORK=1; shift ;;
    --pin) PIN=1; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done

command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
if ((!SKIP_BUILD)); then
  log "building meridian and the load driver (Release)"
  dotnet build "$REPO_ROOT/src/Meridian.Cli" -c Release -v q -nologo >/dev/null
  dotnet build "$BENCH_DIR/ReplicationLag" -c Release -v q -nologo >/dev/null
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meridian-bench-repl.XXXXXX")  # TMPDIR=/dev/shm: no disk (isolates fsync cost)
mkdir -p "$WORK/logs"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ((PIN)); then
  setup_pinning
else
  SERVER_CPU=()
  CLIENT_CPU=()
fi

for endpoint in $US $EU $CONTROL; do
  if (exec 3<>"/dev/tcp/${endpoint%:*}/${endpoint##*:}") 2>/dev/null; then
    die "something already listens on $endpoint (a previous run?)"
  fi
done

cat >"$WORK/topology.yaml" <<YAML
regions:
  us-east-1: { address: 127.0.8.1 }
  eu-west-1: { address: 127.0.8.2 }
control:
  listen: $CONTROL
storage:
  credentials: [{ access_key: $ACCESS, secret_key: $SECRET }]
  stores:
    us:
      region: us-east-1
      listen: $US
      data_dir: data/us
      buckets:
        lag-src: { versioning: true, replication: { to-eu: { destination: { store: eu, bucket: lag-dst } } } }
    eu:
      region: eu-west-1
      listen: $EU
      data_dir: data/eu
      buckets: { lag-dst: { versioning: true } }
YAML

start_meridian() { # NAME REGION ROLES
  "${SERVER_CPU[@]}" dotnet "$MERIDIAN_DLL" run --config "$WORK/topology.yaml" --region "$2" --roles "$3" >"$WORK/logs/$1.log" 2>&1 &
  PIDS[$1]=$!
}
wait_port() { # NAME HOST:PORT
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/${2%:*}/${2##*:}") 2>/dev/null; do
    is_running "$1" || { tail -n 20 "$WORK/logs/$1.log" >&2; die "$1 exited during startup"; }
    ((SECONDS < deadline)) || die "$1 did not listen on $2 within 30 s"
    sleep 0.2
  done
}
start_meridian eu eu-west-1 storage
start_meridian us us-east-1 storage,control
wait_port eu $EU
wait_port us $US
wait_port us $CONTROL

log "load: $RATE PUT/s of $SIZE B for $SECONDS_LOAD s on http://$US (replicating to http://$EU)"
RESULT=$("${CLIENT_CPU[@]}" dotnet "$DRIVER_DLL" --source "http://$US" --source-bucket lag-src --destination "http://$EU" \
  --destination-bucket lag-dst --access-key $ACCESS --secret-key $SECRET --rate "$RATE" --seconds "$SECONDS_LOAD" --size "$SIZE" \
  2>"$WORK/logs/driver.err") || { cat "$WORK/logs/driver.err" >&2; log "driver: $RESULT"; die "load driver failed"; }
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
log "observer: $RESULT (load average after: $LOAD)"
ENGINE=$(curl -s --max-time 5 "http://$CONTROL/v1/storage/replication" | tr -d '\n ' )
log "replicator: $ENGINE"

if ((APPEND)); then
  cat >"$WORK/section.md" <<DOC
## Storage: replication lag ($(date -u +%Y-%m-%d), bench/storage/replication-lag.sh)

$(cpu_model), $(nproc) cores, .NET SDK $(dotnet --version); two \`meridian run --roles storage\` processes on loopback,
data on $(df -P "$WORK" | awk 'NR==2 {print $1}') ($WORK), machine load average after the run $LOAD; open-loop $RATE PUT/s of $SIZE B for $SECONDS_LOAD s, one rule us-east-1 -> eu-west-1.
Observer (PUT acknowledged -> key listed in the destination, polled every 10 ms):

\`\`\`
$RESULT
\`\`\`

Replicator metrics (GET /v1/storage/replication: source commit -> destination acknowledged):

\`\`\`
$ENGINE
\`\`\`
DOC
  { echo; cat "$WORK/section.md"; } >>"$REPO_ROOT/docs/benchmarks.md"
  log "appended to docs/benchmarks.md"
fi
