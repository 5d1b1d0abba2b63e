# shellcheck shell=bash
# shellcheck disable=SC2034 # variables used by the scripts that source this file
# Helpers for bench/edge/run.sh (sourced, not executed); the generic ones are in bench/common.sh.
#
# Addresses (loopback only, see bench-topology.yaml): origin nginx 127.0.0.71:8080, Meridian edge 127.0.0.72:8080,
# Varnish 127.0.0.73:8080, nginx proxy_cache 127.0.0.74:8080.

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)

ORIGIN=127.0.0.71:8080
EDGE=127.0.0.72:8080
VARNISH=127.0.0.73:8080
NGINX=127.0.0.74:8080
EDGE_HOST=edge.bench.test     # the distribution's alias; sent to all three caches so the requests are identical

# Override (e.g. another build): MERIDIAN_DLL=/path/meridian.dll (implies --skip-build).
MERIDIAN_DLL_DEFAULT="$REPO_ROOT/src/Meridian.Cli/bin/Release/net10.0/meridian.dll"
MERIDIAN_DLL=${MERIDIAN_DLL:-$MERIDIAN_DLL_DEFAULT}

WORK=""          # temp folder of this run
KEEP_WORK=0      # keep $WORK on exit (--keep)
declare -A PIDS=()   # name -> pid of every process this script started
SERVER_CPU=()    # taskset prefix for the servers (origin, Meridian, Varnish, nginx)
CLIENT_CPU=()    # taskset prefix for wrk
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Installs what is missing (wrk, nginx, varnish, taskset, curl); the services the packages bring stay stopped.
ensure_packages() {
  local -a missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v varnishd >/dev/null 2>&1 || [[ -x /usr/sbin/varnishd ]] || missing+=(varnish)
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0
  apt_install "sudo systemctl disable --now nginx varnish varnishncsa" "${missing[@]}"
  stop_system_nginx
  stop_system_service varnish varnishd /run/varnishd.pid /run/varnish.pid
  stop_system_service varnishncsa varnishncsa /run/varnishncsa/varnishncsa.pid
}

setup_work() {
  WORK=$(mktemp -d /tmp/meridian-bench-edge.XXXXXX)
  chmod 755 "$WORK"
  mkdir -p "$WORK/origin" "$WORK/nginx" "$WORK/varnish" "$WORK/www" "$WORK/logs"
  # Fixed bodies: 1 KiB and 100 KiB of printable bytes (deterministic, so every run serves the same objects).
  head -c 1024 /dev/zero | tr '\0' 'a' >"$WORK/www/1k.bin"
  head -c 102400 /dev/zero | tr '\0' 'b' >"$WORK/www/100k.bin"
  chmod -R a+rX "$WORK"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

build_meridian() {
  log "building Meridian (Release)"
  (cd "$REPO_ROOT" && dotnet build src/Meridian.Cli/Meridian.Cli.csproj -c Release -v quiet -nologo) \
    || die "Meridian build failed"
}

# render_nginx TEMPLATE NAME : renders TEMPLATE to $WORK/NAME.conf and checks it with nginx -t.
render_nginx() {
  local template=$1 name=$2 conf="$WORK/$2.conf"
  sed -e "s|@WORK@|$WORK|g" "$template" >"$conf"
  nginx -t -q -p "$WORK" -c "$conf" -e "$WORK/logs/$name-error.log" 2>"$WORK/logs/$name-t.log" \
    || { cat "$WORK/logs/$name-t.log" >&2; die "nginx -t failed for $conf"; }
}

start_origin() {
  assert_port_free "$ORIGIN"
  render_nginx "$BENCH_DIR/origin-nginx.conf.in" origin
  start origin "${SERVER_CPU[@]}" nginx -p "$WORK" -c "$WORK/origin.conf" -e "$WORK/logs/origin-error.log"
}

start_proxy_cache() {
  assert_port_free "$NGINX"
  render_nginx "$BENCH_DIR/proxy-cache-nginx.conf.in" nginx
  start nginx "${SERVER_CPU[@]}" nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/logs/nginx-error.log"
}

# Varnish with the built-in VCL plus an X-Cache header (varnish.vcl), -s malloc,256m and default thread pools
# (the settings of /work/shared/reference/anchor-measurements.md); no management port (-T none).
start_varnish() {
  assert_port_free "$VARNISH"
  start varnish "${SERVER_CPU[@]}" varnishd -F -n "$WORK/varnish" -a "$VARNISH" -T none \
    -f "$BENCH_DIR/varnish.vcl" -s malloc,256m
}

# MERIDIAN_ENV="NAME=value ..." adds environment variables to the Meridian process only (A/B of runtime knobs).
start_meridian() {
  [[ -f $MERIDIAN_DLL ]] || die "$MERIDIAN_DLL not found (build it, or drop --skip-build)"
  assert_port_free "$EDGE"
  local -a extra=()
  [[ -n ${MERIDIAN_ENV:-} ]] && read -ra extra <<<"$MERIDIAN_ENV"
  start meridian env "${extra[@]}" "${SERVER_CPU[@]}" dotnet "$MERIDIAN_DLL" \
    run --config "$BENCH_DIR/bench-topology.yaml" --roles edge
}

versions() {
  local ngx vd wrk_v dn_v
  ngx=$(nginx -v 2>&1 | sed 's|nginx version: ||' || true)
  vd=$(varnishd -V 2>&1 | head -n1 | sed -E 's/^varnishd \(([^)]*)\).*/\1/' || true)
  wrk_v=$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo '?')
  dn_v=$(dotnet --version 2>/dev/null || echo none)
  echo "${ngx:-nginx ?}; ${vd:-varnish ?}; wrk $wrk_v; .NET SDK $dn_v"
}

append_doc() { # append_doc FILE_WITH_SECTION
  local doc="$REPO_ROOT/docs/benchmarks.md"
  [[ -f $doc ]] || die "$doc not found"
  { echo; cat "$1"; } >>"$doc"
  log "appended to docs/benchmarks.md"
}
