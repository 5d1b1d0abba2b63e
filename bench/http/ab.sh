#!/usr/bin/env bash
# bench/http/ab.sh DIR_A DIR_B [ROUNDS] [SECONDS] — A/B of two Meridian builds on the edge → app path (bench/http's
# topology, Host direct.bench.test), side by side: A's edge on 127.0.0.41:8080, B's on 127.0.0.42:8080, one sample app
# (127.0.0.31:9101). All three pinned to core 1, wrk to core 0. Both are warmed (WARM seconds each, default 25: .NET
# tiers up for ~30 s on a busy core), then ROUNDS alternating wrk runs of SECONDS each print CPU µs per request, total
# and user, from /proc/PID/stat. Alternation cancels the machine's drift; the same build on both sides differs by
# up to ±0.4 µs per round here.
#   DIR_*: a folder holding meridian.dll (e.g. a copy of src/Meridian.Cli/bin/Release/net10.0)
#   AENV / BENV: extra environment for A / B ("NAME=value ..."); AHOST / BHOST: the Host header (another distribution
#   of the topology, e.g. nocache.bench.test); BROLES=lb,edge BTARGET=127.0.0.33:8080 BHOST=
#   puts B's load balancer (moved to 127.0.0.33) in B's place.
set -euo pipefail
A=${1:?usage: ab.sh DIR_A DIR_B [rounds] [seconds]}; B=${2:?DIR_B}; ROUNDS=${3:-5}; SECS=${4:-6}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APPDLL=$ROOT/samples/Meridian.SampleApp/bin/Release/net10.0/Meridian.SampleApp.dll
[[ -f $A/meridian.dll && -f $B/meridian.dll && -f $APPDLL ]] || { echo "need meridian.dll in both folders and a Release sample app" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 2; }
(( ROUNDS >= 1 && ROUNDS <= 50 && SECS >= 1 && SECS <= 60 )) || { echo "rounds 1-50, seconds 1-60" >&2; exit 2; }
WORK=$(mktemp -d); PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
TOPO=$ROOT/bench/http/bench-topology.yaml
cp "$TOPO" "$WORK/a.yaml"
# B: its own edge address, DNS/control ports and load balancer addresses, so both processes start.
sed 's/127.0.0.41:8080/127.0.0.42:8080/; s/5313/5314/; s/18063/18064/; s/127.0.0.31:8080/127.0.0.33:8080/; s/127.0.0.32:8080/127.0.0.34:8080/' "$TOPO" > "$WORK/b.yaml"
Logging__LogLevel__Default=Warning taskset -c 1 dotnet "$APPDLL" --region us-east-1 --instance ab --listen 127.0.0.31:9101 >"$WORK/app.log" 2>&1 & PIDS+=($!)
env ${AENV:-} taskset -c 1 dotnet "$A/meridian.dll" run --config "$WORK/a.yaml" --roles edge >"$WORK/a.log" 2>&1 & PA=$!; PIDS+=($PA)
env ${BENV:-} taskset -c 1 dotnet "$B/meridian.dll" run --config "$WORK/b.yaml" --roles "${BROLES:-edge}" >"$WORK/b.log" 2>&1 & PB=$!; PIDS+=($PB)
AT=127.0.0.41:8080; AH=${AHOST:-direct.bench.test}; BT=${BTARGET:-127.0.0.42:8080}; BH=${BHOST-direct.bench.test}
P=${URLPATH:-/api/region}
ready() { for _ in $(seq 1 150); do curl -s -o /dev/null -H "Host: ${2:-x}" "http://$1$P" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }
ready $AT $AH; ready "$BT" "$BH"
taskset -c 0 wrk -t2 -c64 -d"${WARM:-25}"s -H "Host: $AH" "http://$AT$P" >/dev/null
taskset -c 0 wrk -t2 -c64 -d"${WARM:-25}"s -H "Host: ${BH:-x}" "http://$BT$P" >/dev/null
run() { # run PID TARGET HOST
  local t0 u0 t1 u1 n
  read -r u0 t0 < <(awk '{print $14, $14+$15}' /proc/"$1"/stat)
  taskset -c 0 wrk -t2 -c64 -d"${SECS}"s -H "Host: ${3:-x}" "http://$2$P" > "$WORK/wrk.txt"
  read -r u1 t1 < <(awk '{print $14, $14+$15}' /proc/"$1"/stat)
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  awk -v d=$((t1-t0)) -v u=$((u1-u0)) -v n="$n" -v s="$SECS" 'BEGIN{printf "%.2f us/req (user %.2f) %6.0f req/s", d/100*1e6/n, u/100*1e6/n, n/s}'
}
for r in $(seq 1 "$ROUNDS"); do
  printf "round %d  A: %s   B: %s\n" "$r" "$(run $PA $AT $AH)" "$(run $PB "$BT" "$BH")"
done
