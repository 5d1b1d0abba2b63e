#!/usr/bin/env bash
# Database failover under load, measured on real PostgreSQL: bench/Meridian.DatabaseBench sets up a primary, an
# in-region standby and a cross-region replica (127.0.0.100-199, free ports, data under /var/tmp), writes numbered
# rows at a steady rate through the member the cluster names writer, SIGKILLs the primary's postmaster, and reports
# the time to the first acknowledged write afterwards (issue target <= 10 s with 1 s checks) and acknowledged rows
# missing on the new writer (targets: <= 1 s of writes asynchronous, 0 with a synchronous standby). Appends to
# docs/benchmarks.md. Usage: bench/database/run.sh [runs=3] [rate=500] [--no-append]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
runs=${1:-3}
rate=${2:-500}
append=1
[[ ${3:-} == --no-append ]] && append=0
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v pg_config >/dev/null \
  || { echo "bench/database: needs the PostgreSQL server programs (apt-get install postgresql)" >&2; exit 2; }

dotnet build bench/Meridian.DatabaseBench -c Release -v q -nologo >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(dotnet bench/Meridian.DatabaseBench/bin/Release/net10.0/Meridian.DatabaseBench.dll "$runs" "$rate")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pg=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
section=$(cat <<MD

## Database failover benchmark $(date -u '+%Y-%m-%d %H:%M') UTC

- machine: $(nproc) CPUs; $(uname -r); PostgreSQL $("$pg/postgres" --version | awk '{print $3}')
- load average before / after: $load_before / $load_after
- commit: $(git rev-parse --short HEAD)
$out
MD
)
echo "$section"
if ((append)); then
  echo "$section" >>docs/benchmarks.md
  echo "appended to docs/benchmarks.md" >&2
fi
