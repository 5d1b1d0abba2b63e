#!/usr/bin/env bash
# Meridian demo: the tutorial's two-region architecture on loopback, in one process (`meridian demo`):
# per region a load balancer with two sample app instances (us-east-1 on 127.0.0.11, eu-west-1 on 127.0.0.12),
# the GSLB DNS server on 127.0.0.1:5353, edge locations on 127.0.0.21 and 127.0.0.22, health checks and the
# control API on 127.0.0.1:8053. Ctrl+C stops everything.
# Needs the .NET SDK (global.json). Installs dig (bind9-dnsutils) when missing and running as root, so the
# printed dig commands work; otherwise prints the apt-get line.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if ! command -v dig >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bind9-dnsutils >/dev/null
  else
    echo "demo.sh: for the dig commands it prints, install: sudo apt-get install -y bind9-dnsutils" >&2
  fi
fi

exec ./meridian demo "$@"
