#!/usr/bin/env bash
# Meridian: the single command that runs every test from a clean clone.
#
# Installs (only when missing, via apt-get, only when running as root):
#   - dig  (Debian package `bind9-dnsutils`) — used by the DNS end-to-end tests.
#   - aws  (Debian package `awscli`) — the object store's tests drive it with the real AWS CLI.
#   - PostgreSQL server binaries (Debian package `postgresql`) — health checks and the database tier run real servers
#     (as the `postgres` OS user the package creates, since PostgreSQL refuses to run as root).
# When not root and something is missing it prints the exact `sudo apt-get install` line and exits 1.
# Also needs the .NET SDK pinned in global.json (`dotnet`); it is not installed by this script.
#
# Then: `dotnet build Meridian.slnx -c Release` once, `dotnet test --no-build` for every test project
# (tests/**/*.Tests.csproj, continuing past failures; tests/Meridian.Testing is a fixture library, not run),
# a per-project summary, the failed tests (name and first line of message), and as the very last line:
#   N passed, N failed[, N skipped]
# Exit code: 0 only when the build succeeded and no test failed.
#
# Usage: ./test.sh   (from any directory)
#   RESULTS_DIR=path   where TRX files go (default: <repo>/TestResults, wiped at start)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
ROOT=$PWD
RESULTS_DIR=${RESULTS_DIR:-$ROOT/TestResults}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

total_passed=0
total_failed=0
total_skipped=0
summary=()
failures=() # "Project: Test.Name — first line of its message", printed just above the total

finish() {
  echo
  echo "==================== test summary ===================="
  local line
  for line in "${summary[@]}"; do
    echo "$line"
  done
  echo "======================================================"
  if ((${#failures[@]} > 0)); then
    echo "failed tests:"
    for line in "${failures[@]}"; do
      echo "  $line"
    done
  fi
  local last="$total_passed passed, $total_failed failed"
  if ((total_skipped > 0)); then
    last+=", $total_skipped skipped"
  fi
  echo "$last"
  if ((total_failed > 0)); then
    exit 1
  fi
  exit 0
}

# ---------------------------------------------------------------- system packages
# command -> Debian package
declare -A NEEDED=([dig]=bind9-dnsutils [aws]=awscli)
missing_pkgs=()
for cmd in "${!NEEDED[@]}"; do
  # Runs it, not just `command -v`: a version-manager shim (pyenv) may exist without the tool behind it.
  if ! command -v "$cmd" >/dev/null 2>&1 || { [[ $cmd == aws ]] && ! aws --version >/dev/null 2>&1; }; then
    missing_pkgs+=("${NEEDED[$cmd]}")
  fi
done
# PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) live in Debian's versioned folder, not on PATH.
# The package also creates and starts a cluster 'main' on 127.0.0.1:5432; the tests never use that port or cluster.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null 2>&1; then
  missing_pkgs+=(postgresql)
fi
if ((${#missing_pkgs[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing missing packages: ${missing_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "test.sh: apt-get update failed; trying the install anyway" >&2
    apt-get install -y -qq "${missing_pkgs[@]}"
  else
    echo "test.sh: missing system packages needed by the tests. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing_pkgs[*]}" >&2
    exit 1
  fi
fi

# A shim earlier in PATH (pyenv) that has no aws behind it would hide the package's /usr/bin/aws.
if ! aws --version >/dev/null 2>&1 && [[ -x /usr/bin/aws ]]; then
  export PATH="/usr/bin:$PATH"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet, version from global.json) is not installed." >&2
  echo "  See https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  summary+=("dotnet SDK: MISSING")
  total_failed=1
  finish
fi

# ---------------------------------------------------------------- build
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
echo '*' >"$RESULTS_DIR/.gitignore" # never committed by accident
build_marker="$RESULTS_DIR/.build-start"
touch "$build_marker"
sleep 1 # mtime resolution: outputs written by this build must be strictly newer than the marker

build_ok=1
echo "==> dotnet build Meridian.slnx -c Release"
if ! dotnet build Meridian.slnx -c Release; then
  build_ok=0
  total_failed=$((total_failed + 1))
  summary+=("$(printf '%-40s %s' 'build (Meridian.slnx)' 'FAILED')")
  echo "test.sh: BUILD FAILED; running only the test projects that were built in this run." >&2
else
  summary+=("$(printf '%-40s %s' 'build (Meridian.slnx)' 'ok')")
fi

# ---------------------------------------------------------------- tests
mapfile -t projects < <(find tests -name '*.Tests.csproj' -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null | sort)
if ((${#projects[@]} == 0)); then
  summary+=("(no test projects under tests/)")
fi

# Prints "TestName :: first line of its message" for each failed result in a TRX file (perl is in every Debian base).
failed_tests() {
  local trx=$1
  command -v perl >/dev/null 2>&1 || return 0
  perl -0777 -ne '
    my %e = (q(&lt;) => q(<), q(&gt;) => q(>), q(&quot;) => q("), q(&apos;) => q(\x27), q(&amp;) => q(&));
    while (/<UnitTestResult ([^>]*?outcome="(?:Failed|Error|Timeout|Aborted)"[^>]*)>(.*?)<\/UnitTestResult>/gs) {
      my ($attrs, $body) = ($1, $2);
      my ($name) = $attrs =~ /testName="([^"]*)"/;
      my ($msg) = $body =~ /<Message>([^\r\n<]*)/;
      my $line = ($name // "?") . " :: " . ($msg // "");
      $line =~ s/(&lt;|&gt;|&quot;|&apos;|&amp;)/$e{$1}/g;
      print substr($line, 0, 400), "\n";
    }' "$trx"
}

# Counts <UnitTestResult ... outcome="X"> in a TRX file; X is an extended regex (e.g. "Failed|Error").
count_outcome() {
  local trx=$1 outcome=$2 n
  n=$(grep -o '<UnitTestResult [^>]*' "$trx" | grep -cE "outcome=\"($outcome)\"" || true)
  echo "${n:-0}"
}

for proj in "${projects[@]}"; do
  name=$(basename "$proj" .csproj)
  dir=$(dirname "$proj")
  trx_name="$name.trx"

  # Projects missing from the solution were not built above: build them on their own.
  if ! grep -qF "$proj" Meridian.slnx; then
    echo "==> $proj is not in Meridian.slnx; building it separately"
    if ! dotnet build "$proj" -c Release; then
      total_failed=$((total_failed + 1))
      summary+=("$(printf '%-40s %s' "$name" 'BUILD FAILED (not in Meridian.slnx)')")
      continue
    fi
  elif ((build_ok == 0)); then
    # After a failed solution build, only run what this build produced (never stale binaries).
    if [[ -z $(find "$dir/bin/Release" -name "$name.dll" -newer "$build_marker" 2>/dev/null | head -n1) ]]; then
      summary+=("$(printf '%-40s %s' "$name" 'not run (not built)')")
      continue
    fi
  fi

  echo "==> dotnet test $proj"
  rc=0
  dotnet test "$proj" -c Release --no-build \
    --results-directory "$RESULTS_DIR" \
    --logger "trx;LogFileName=$trx_name" \
    --logger "console;verbosity=normal" || rc=$?

  trx="$RESULTS_DIR/$trx_name"
  if [[ ! -f $trx ]]; then
    # Some runners put it in a subfolder.
    trx=$(find "$RESULTS_DIR" -name "$trx_name" 2>/dev/null | head -n1)
  fi
  p=0 f=0 s=0
  if [[ -n $trx && -f $trx ]]; then
    p=$(count_outcome "$trx" Passed)
    f=$(count_outcome "$trx" 'Failed|Error|Timeout|Aborted')
    s=$(count_outcome "$trx" NotExecuted)
  fi
  if ((f > 0)) && [[ -n $trx && -f $trx ]]; then
    while IFS= read -r failed; do
      failures+=("$name: $failed")
    done < <(failed_tests "$trx")
  fi
  note=""
  if ((rc != 0 && f == 0)); then
    # Test host crash, missing TRX, run aborted... : count as one failure so it cannot pass silently.
    f=1
    note=" (dotnet test exited $rc without a failed test result)"
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  total_skipped=$((total_skipped + s))
  status=ok
  ((f > 0)) && status=FAILED
  summary+=("$(printf '%-40s %-6s %4d passed, %4d failed, %4d skipped%s' "$name" "$status" "$p" "$f" "$s" "$note")")
done

finish
