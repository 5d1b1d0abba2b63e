#!/usr/bin/env bash
# Hit ratio of the edge cache's store (S3-FIFO) against a plain LRU of the same capacity on a Zipf-distributed key
# set larger than the cache: 1,000,000 requests over 100,000 keys (seed 42), a cache of 10,000 entries, and a
# 50,000-key one-off scan at the midpoint; Zipf s = 0.9 and 1.0. The simulation is the Edge test
# CacheHitRatioSimulationTests (deterministic trace, so it is also a test that S3-FIFO >= LRU); this script runs it
# and prints what it reports. Called by bench/edge/run.sh; usable alone.
#
# Usage: bench/edge/hit-ratio.sh [--skip-build]
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"
REPO_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SKIP_BUILD=0
case ${1:-} in
  "") ;;
  --skip-build) SKIP_BUILD=1 ;;
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "Usage: $0 [--skip-build]" >&2; exit 2 ;;
esac
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET SDK) is needed"

project=tests/Meridian.Edge.Tests
out=$(mktemp /tmp/meridian-hit-ratio.XXXXXX)
trap 'rm -f "$out"' EXIT
cd "$REPO_ROOT"
if ((!SKIP_BUILD)); then
  log "building $project (Release)"
  dotnet build "$project" -c Release -v quiet -nologo >"$out" 2>&1 || { cat "$out" >&2; die "build of $project failed"; }
fi
log "running the hit-ratio simulation (CacheHitRatioSimulationTests)"
dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName~CacheHitRatioSimulationTests" \
  --logger "console;verbosity=detailed" >"$out" 2>&1 || { cat "$out" >&2; die "the hit-ratio simulation failed"; }
# The test writes its figures through ITestOutputHelper: the "Zipf s=...", "LRU ...", "S3-FIFO ..." lines.
grep -E '^\s*(Zipf s=|LRU |S3-FIFO )' "$out" | sed -E 's/^\s+//; s/^(LRU|S3-FIFO)/  \1/' \
  || die "no hit ratios in the test output"
