#!/usr/bin/env bash
# Region-outage drills on the demo, measured: starts `meridian demo` (Release), runs
# `meridian drill region-outage --region us-east-1` in refuse and hang mode, prints the figures and appends them to
# docs/benchmarks.md. Targets (issue): DNS stops returning the dead region within 1.5 s (refuse) and 1.5 s + check
# timeout (hang); zero failed GETs through the edge; failback within 1.5 s + rise threshold after restore.
# Options: --region R (default us-east-1), --no-append. Loopback only; the drill's load is bounded (20 req/s, 30 s).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
region=us-east-1
append=1
while (($#)); do
  case $1 in
    --region) region=$2; shift 2 ;;
    --no-append) append=0; shift ;;
    *) echo "usage: $0 [--region R] [--no-append]" >&2; exit 2 ;;
  esac
done
command -v dig >/dev/null || { echo "bench/drill: needs dig (apt-get install bind9-dnsutils)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/drill: needs python3 to read drill.json" >&2; exit 2; }

work=$(mktemp -d)
demo_pid=
cleanup() { [[ -n $demo_pid ]] && kill "$demo_pid" 2>/dev/null && wait "$demo_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

./meridian validate samples/topologies/two-region.yaml >/dev/null
./meridian demo --no-live >"$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 100); do
  [[ $(dig @127.0.0.1 -p 5353 +short +time=1 +tries=1 app.mydomain.test 2>/dev/null) == 127.0.0.* ]] && break
  sleep 0.2
done
sleep 3 # let every check pass once (the drill checks its own baseline too)

rows=()
for mode in refuse hang; do
  ./meridian drill region-outage --region "$region" --mode "$mode" --out "$work/$mode" >"$work/$mode.log" 2>&1 || true
  sed -n '/outage →/,/edge /p' "$work/$mode.log"
  rows+=("$(python3 - "$work/$mode/drill.json" "$mode" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def s(v):
    if v is None: return "n/a"
    h, m, sec = v.split(":"); return f"{int(h)*3600+int(m)*60+float(sec):.2f}"
paths = {p["path"]: p for p in r["paths"]}
print(f"| {sys.argv[2]} | {s(r.get('firstCheckFailure'))} | {s(r.get('regionMarkedUnhealthy'))} | {s(r.get('dnsFailover'))} | "
      f"{paths.get('edge',{}).get('errors','n/a')} of {paths.get('edge',{}).get('requests','n/a')} | "
      f"{paths.get('direct',{}).get('errors','n/a')} of {paths.get('direct',{}).get('requests','n/a')} | "
      f"{s(r.get('regionHealthyAgain'))} | {s(r.get('dnsFailback'))} |")
PY
)")
done

if ((append)); then
  {
    echo
    echo "## Region-outage drill on the demo $(date -u '+%Y-%m-%d %H:%M') UTC"
    echo
    echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
    echo "- \`bench/drill/run.sh\`: \`meridian demo\` (1 s checks, fall 2, rise 2, 250 ms confirmation, DNS TTL 5 s, 3 checker locations, 18%), \`meridian drill region-outage --region $region\` (20 GETs/s through the edge and 20 direct, DNS every 100 ms, outage at 5 s, restore at 18 s)"
    echo
    echo "| mode | outage → first checker (s) | → region unhealthy (s) | → DNS without region (s) | edge errors | direct errors | restore → healthy (s) | restore → DNS failback (s) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
  } >>docs/benchmarks.md
  echo "appended to docs/benchmarks.md"
fi
printf '%s\n' "${rows[@]}"
