# shellcheck shell=bash
# shellcheck disable=SC2034 # variables used by the scripts that source this file
# Shared helpers for bench/http/run.sh (sourced, not executed). Same conventions as bench/dns/lib.sh.
#
# Addresses (loopback only, see bench-topology.yaml): sample app 127.0.0.31:9101 (every path ends there),
# Meridian load balancers 127.0.0.31:8080 / 127.0.0.32:8080, Meridian edge 127.0.0.41:8080,
# nginx 127.0.0.51:8080 (proxy) / 127.0.0.51:8081 (dead first upstream), the stock YARP forwarder 127.0.0.61:8080,
# dead port 127.0.0.31:8089.

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)

APP=127.0.0.31:9101
LB_US=127.0.0.31:8080
LB_EU=127.0.0.32:8080
EDGE=127.0.0.41:8080
NGINX=127.0.0.51:8080
NGINX_FAILOVER=127.0.0.51:8081
NGINX_ALB=127.0.0.51:8082    # proxy_pass + the load balancer's forwarded headers (nginx.conf.in)
NGINX_CDN=127.0.0.51:8083    # proxy_pass + the edge's forwarded headers
DEAD=127.0.0.31:8089
YARP_FLOOR=127.0.0.61:8080  # the stock YARP forwarder (bench/http/YarpFloor) -> the app

# Override (e.g. a stand-in for testing the script): MERIDIAN_DLL=/path/x.dll, SAMPLE_APP_DLL=/path/y.dll (imply --skip-build).
MERIDIAN_DLL_DEFAULT="$REPO_ROOT/src/Meridian.Cli/bin/Release/net10.0/meridian.dll"
MERIDIAN_DLL=${MERIDIAN_DLL:-$MERIDIAN_DLL_DEFAULT}
SAMPLE_APP_DLL_DEFAULT="$REPO_ROOT/samples/Meridian.SampleApp/bin/Release/net10.0/Meridian.SampleApp.dll"
SAMPLE_APP_DLL=${SAMPLE_APP_DLL:-$SAMPLE_APP_DLL_DEFAULT}
YARP_FLOOR_DLL="$BENCH_DIR/YarpFloor/bin/Release/net10.0/yarp-floor.dll"

WORK=""          # temp folder of this run
KEEP_WORK=0      # keep $WORK on exit (--keep)
declare -A PIDS=()   # name -> pid of every process this script started
SERVER_CPU=()    # taskset prefix for servers (app, Meridian, nginx)
CLIENT_CPU=()    # taskset prefix for wrk
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ------------------------------------------------------------------ packages
# Installs what is missing (wrk, nginx, taskset, curl). nginx's system service must not start (it would take
# port 80): a temporary policy-rc.d answers 101 during the install; afterwards the service is disabled and an
# instance started anyway is stopped (by the pid in its pidfile).
ensure_packages() {
  local -a missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0

  apt_install "sudo systemctl disable --now nginx" "${missing[@]}"
  stop_system_nginx
}

# ------------------------------------------------------------------ processes
setup_work() {
  WORK=$(mktemp -d /tmp/meridian-bench-http.XXXXXX)
  chmod 755 "$WORK"
  mkdir -p "$WORK/nginx" "$WORK/logs"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

build_all() {
  log "building Meridian and the sample app (Release)"
  (cd "$REPO_ROOT" && dotnet build src/Meridian.Cli/Meridian.Cli.csproj -c Release -v quiet -nologo) \
    || die "Meridian build failed"
  (cd "$REPO_ROOT" && dotnet build samples/Meridian.SampleApp/Meridian.SampleApp.csproj -c Release -v quiet -nologo) \
    || die "sample app build failed"
  build_yarp_floor
}

build_yarp_floor() {
  (cd "$REPO_ROOT" && dotnet build bench/http/YarpFloor/YarpFloor.csproj -c Release -v quiet -nologo) \
    || die "yarp-floor build failed"
}

# start_app NAME REGION INSTANCE IP:PORT
# The app's per-request log line (Information) is silenced with Logging__LogLevel__Default=Warning: nginx runs
# with access_log off and Meridian logs no request either, and a console line per request would make the app the
# bottleneck of every path.
start_app() {
  local name=$1 region=$2 instance=$3 listen=$4
  [[ -f $SAMPLE_APP_DLL ]] || die "$SAMPLE_APP_DLL not found (build it, or drop --skip-build)"
  assert_port_free "$listen"
  start "$name" env Logging__LogLevel__Default=Warning "${SERVER_CPU[@]}" dotnet "$SAMPLE_APP_DLL" \
    --region "$region" --instance "$instance" --listen "$listen"
}

start_meridian() {
  [[ -f $MERIDIAN_DLL ]] || die "$MERIDIAN_DLL not found (build it, or drop --skip-build)"
  local a
  for a in "$LB_US" "$LB_EU" "$EDGE"; do assert_port_free "$a"; done
  # MERIDIAN_ENV="NAME=value ..." adds environment variables to the Meridian process only (A/B of runtime knobs).
  local -a extra=()
  [[ -n ${MERIDIAN_ENV:-} ]] && read -ra extra <<<"$MERIDIAN_ENV"
  start meridian env "${extra[@]}" "${SERVER_CPU[@]}" dotnet "$MERIDIAN_DLL" \
    run --config "$BENCH_DIR/bench-topology.yaml" --roles lb,edge
}

# The stock YARP forwarder, with the runtime's inline socket completions on as `meridian` sets them.
start_yarp_floor() {
  # Built here when missing: a MERIDIAN_DLL override skips build_all, but this row needs no Meridian build.
  [[ -f $YARP_FLOOR_DLL ]] || build_yarp_floor
  assert_port_free "$YARP_FLOOR"
  start yarp_floor env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${SERVER_CPU[@]}" dotnet "$YARP_FLOOR_DLL" \
    "$YARP_FLOOR" "http://$APP"
}

start_nginx() {
  assert_port_free "$NGINX"
  assert_port_free "$NGINX_FAILOVER"
  sed -e "s|@WORK@|$WORK|g" "$BENCH_DIR/nginx.conf.in" >"$WORK/nginx/nginx.conf"
  nginx -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/logs/nginx-error.log" 2>"$WORK/logs/nginx-t.log" \
    || { cat "$WORK/logs/nginx-t.log" >&2; die "nginx -t failed"; }
  start nginx "${SERVER_CPU[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/logs/nginx-error.log"
}

versions() {
  local ngx wrk_v dn_v
  ngx=$(nginx -v 2>&1 | sed 's|nginx version: ||' || true)
  wrk_v=$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?')
  dn_v=$(dotnet --version 2>/dev/null || echo none)
  echo "${ngx:-nginx ?}; wrk $wrk_v; .NET SDK $dn_v"
}

append_doc() { # append_doc FILE_WITH_SECTION
  local doc="$REPO_ROOT/docs/benchmarks.md"
  mkdir -p "$REPO_ROOT/docs"
  if [[ ! -f $doc ]]; then
    # shellcheck disable=SC2016 # backquotes are Markdown
    printf '# Meridian benchmarks\n\nAppended by `bench/dns/run.sh`, `bench/dns/failover.sh` and `bench/http/run.sh`.\nAll on loopback; compare only ratios measured in one run.\n' >"$doc"
  fi
  { echo; cat "$1"; } >>"$doc"
  log "appended to docs/benchmarks.md"
}
