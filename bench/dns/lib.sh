# shellcheck shell=bash
# shellcheck disable=SC2034 # variables used by the scripts that source this file
# Shared helpers for bench/dns/run.sh and bench/dns/failover.sh (sourced, not executed).
#
# Ports (all 127.0.0.1): NSD 5301, PowerDNS 5302, Meridian 5303 (control 18053).
# Health endpoints: http://127.0.0.11:18080/health and http://127.0.0.12:18080/health (python3 http.server).

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)

NSD_PORT=5301
PDNS_PORT=5302
MERIDIAN_PORT=5303
HEALTH_PORT=18080
# Override (e.g. a stand-in server for testing the scripts): MERIDIAN_DLL=/path/x.dll (implies --skip-build).
MERIDIAN_DLL_DEFAULT="$REPO_ROOT/src/Meridian.Cli/bin/Release/net10.0/meridian.dll"
MERIDIAN_DLL=${MERIDIAN_DLL:-$MERIDIAN_DLL_DEFAULT}

WORK=""          # temp folder of this run
KEEP_WORK=0      # keep $WORK on exit (--keep)
declare -A PIDS=()   # name -> pid of every process this script started
SERVER_CPU=()    # taskset prefix for servers
CLIENT_CPU=()    # taskset prefix for the load generator
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ------------------------------------------------------------------ packages
# Installs the Debian packages whose command/file is missing. Daemons must not start (they would take
# port 53): a temporary policy-rc.d answers 101 ("action forbidden") during the install, and afterwards
# the services are disabled and any instance started anyway is stopped (by the pid in its pidfile).
ensure_packages() {
  local -a missing=()
  command -v dnsperf >/dev/null 2>&1 || missing+=(dnsperf)
  command -v nsd >/dev/null 2>&1 || missing+=(nsd)
  command -v pdns_server >/dev/null 2>&1 || missing+=(pdns-server)
  if ! compgen -G "/usr/lib/*/pdns/libbindbackend.so" >/dev/null && ! compgen -G "/usr/lib/pdns/libbindbackend.so" >/dev/null; then
    missing+=(pdns-backend-bind)
  fi
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  ((${#missing[@]} == 0)) && return 0

  apt_install "sudo systemctl disable --now nsd pdns" "${missing[@]}"   # bench/common.sh
  stop_system_services
}

# Stops/disables the distribution's nsd and pdns services (if an install started them).
stop_system_services() {
  if command -v systemctl >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    if [[ -d /run/systemd/system ]]; then
      systemctl disable --now nsd.service pdns.service >/dev/null 2>&1 || true
    else
      systemctl disable nsd.service pdns.service >/dev/null 2>&1 || true # no systemd running: just the links
    fi
  fi
  local pidfile pid comm
  for pidfile in /run/nsd/nsd.pid /run/pdns/pdns.pid /var/run/nsd/nsd.pid /var/run/pdns/pdns.pid; do
    [[ -r $pidfile ]] || continue
    pid=$(tr -dc '0-9' <"$pidfile")
    [[ -n $pid ]] || continue
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    if [[ $comm == nsd || $comm == pdns_server* ]]; then
      log "stopping system $comm (pid $pid from $pidfile)"
      kill "$pid" 2>/dev/null || true
    fi
  done
}

# ------------------------------------------------------------------ processes
setup_work() {
  WORK=$(mktemp -d /tmp/meridian-bench-dns.XXXXXX)
  chmod 755 "$WORK"
  mkdir -p "$WORK/nsd" "$WORK/pdns" "$WORK/pdns-sock" "$WORK/www" "$WORK/logs"
  echo ok >"$WORK/www/health"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# start NAME LOGFILE CMD... : runs CMD in the background, records its pid.
start() {
  local name=$1 logf=$2
  shift 2
  "$@" >"$logf" 2>&1 &
  PIDS[$name]=$!
}

# Fails when something already answers DNS on the port (we would benchmark the wrong server).
assert_port_free() {
  local port=$1
  if dig @127.0.0.1 -p "$port" static.mydomain.test +short +time=1 +tries=1 >/dev/null 2>&1; then
    die "something already answers DNS on 127.0.0.1:$port; stop it first"
  fi
}

# wait_dns NAME PORT TIMEOUT_S : polls until static.mydomain.test answers 127.0.0.11.
wait_dns() {
  local name=$1 port=$2 timeout=$3 deadline ans
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if ! is_running "$name"; then
      log "$name exited during startup; last log lines:"
      tail -n 20 "$WORK/logs/$name.log" >&2 || true
      die "$name failed to start"
    fi
    ans=$(dig @127.0.0.1 -p "$port" static.mydomain.test A +short +time=1 +tries=1 2>/dev/null || true)
    if [[ $ans == 127.0.0.11 ]]; then
      log "$name answers on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$WORK/logs/$name.log" >&2 || true
  die "$name did not answer on 127.0.0.1:$port within ${timeout}s"
}

# wait_http IP : polls the health endpoint until it answers.
wait_http() {
  local ip=$1 i
  for ((i = 0; i < 50; i++)); do
    if (exec 3<>"/dev/tcp/$ip/$HEALTH_PORT") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "health endpoint $ip:$HEALTH_PORT did not start"
}

start_health() {
  local ip=$1
  start "health-$ip" "$WORK/logs/health-$ip.log" \
    python3 -m http.server --bind "$ip" --directory "$WORK/www" "$HEALTH_PORT"
  wait_http "$ip"
}

render() { # render TEMPLATE OUT [extra sed expressions...]
  local in=$1 out=$2
  shift 2
  sed -e "s|@WORK@|$WORK|g" "$@" "$in" >"$out"
}

start_nsd() {
  assert_port_free "$NSD_PORT"
  render "$BENCH_DIR/nsd.conf.in" "$WORK/nsd/nsd.conf"
  render "$BENCH_DIR/mydomain.test.zone.in" "$WORK/nsd/mydomain.test.zone" \
    -e 's|@APP_RECORD@|app     5 IN A 127.0.0.11|'
  nsd-checkconf "$WORK/nsd/nsd.conf" || die "nsd-checkconf failed"
  start nsd "$WORK/logs/nsd.log" "${SERVER_CPU[@]}" nsd -d -c "$WORK/nsd/nsd.conf"
  wait_dns nsd "$NSD_PORT" 30
}

# ifurlup with two sets: the first set with an up address wins, i.e. 127.0.0.11 while healthy, else
# 127.0.0.12 -- the same answer as Meridian's latency+failover tree for a client in 0.0.0.0/0.
PDNS_LUA="\"ifurlup('http://127.0.0.11:$HEALTH_PORT/health', {{'127.0.0.11'}, {'127.0.0.12'}})\""
LUA_INTERVAL=${LUA_INTERVAL:-1}

start_pdns() {
  assert_port_free "$PDNS_PORT"
  render "$BENCH_DIR/pdns.conf.in" "$WORK/pdns/pdns.conf" -e "s|@LUA_INTERVAL@|$LUA_INTERVAL|"
  render "$BENCH_DIR/pdns-named.conf.in" "$WORK/pdns/named.conf"
  render "$BENCH_DIR/mydomain.test.zone.in" "$WORK/pdns/mydomain.test.zone" \
    -e "s|@APP_RECORD@|app     5 IN LUA A $PDNS_LUA|"
  start pdns "$WORK/logs/pdns.log" "${SERVER_CPU[@]}" pdns_server \
    --config-dir="$WORK/pdns" --socket-dir="$WORK/pdns-sock" \
    --guardian=no --daemon=no --local-address=127.0.0.1 --local-port="$PDNS_PORT"
  wait_dns pdns "$PDNS_PORT" 30
}

build_meridian() {
  log "building Meridian (Release)"
  (cd "$REPO_ROOT" && dotnet build src/Meridian.Cli/Meridian.Cli.csproj -c Release -v quiet -nologo) \
    || die "Meridian build failed"
}

start_meridian() {
  [[ -f $MERIDIAN_DLL ]] || die "$MERIDIAN_DLL not found (build it, or drop --skip-build)"
  assert_port_free "$MERIDIAN_PORT"
  start meridian "$WORK/logs/meridian.log" "${SERVER_CPU[@]}" dotnet "$MERIDIAN_DLL" \
    run --config "$BENCH_DIR/bench-topology.yaml" --roles dns
  wait_dns meridian "$MERIDIAN_PORT" 60
}

# Prints the first A answer for app.mydomain.test from PORT (empty on timeout).
app_answer() {
  dig @127.0.0.1 -p "$1" app.mydomain.test A +short +time=1 +tries=1 2>/dev/null | head -n1 || true
}

# wait_app_answer PORT EXPECTED TIMEOUT_S : polls until app.mydomain.test answers EXPECTED.
wait_app_answer() {
  local port=$1 want=$2 timeout=$3 deadline
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    [[ $(app_answer "$port") == "$want" ]] && return 0
    sleep 0.2
  done
  return 1
}

versions() {
  local nsd_v pdns_v perf_v dn_v
  nsd_v=$(nsd -v 2>&1 | head -n1 || true)
  pdns_v=$(pdns_server --version 2>&1 | grep -m1 -o 'PowerDNS Authoritative Server [^ ]*' || true)
  perf_v=$(grep -h -m1 -o 'Version [0-9.]*' "$WORK"/logs/dnsperf-*.txt 2>/dev/null | head -n1 || true)
  [[ -n $perf_v ]] || perf_v=$(dpkg-query -W -f='${Version}' dnsperf 2>/dev/null || echo '?')
  perf_v="dnsperf ${perf_v#Version }"
  dn_v=$(dotnet --version 2>/dev/null || echo none)
  echo "${nsd_v:-nsd ?}; ${pdns_v:-pdns ?}; $perf_v; .NET SDK $dn_v"
}

append_doc() { # append_doc FILE_WITH_SECTION
  local doc="$REPO_ROOT/docs/benchmarks.md"
  mkdir -p "$REPO_ROOT/docs"
  if [[ ! -f $doc ]]; then
    # shellcheck disable=SC2016 # backquotes are Markdown
    printf '# Meridian benchmarks\n\nAppended by `bench/dns/run.sh` and `bench/dns/failover.sh` (see bench/dns/README.md).\nAll on loopback; compare only ratios measured in one run.\n' >"$doc"
  fi
  { echo; cat "$1"; } >>"$doc"
  log "appended to docs/benchmarks.md"
}
