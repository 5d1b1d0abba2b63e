#!/usr/bin/env bash
# Meridian demo (DNS part): builds Meridian, starts a stand-in health endpoint for each region
# (127.0.0.11:8080 and 127.0.0.12:8080 answer GET /health, until the sample app of the next part
# replaces them), and runs `meridian run` on samples/topologies/two-region.yaml: the GSLB DNS server on
# 127.0.0.1:5353 and the control API on 127.0.0.1:8053. Ctrl+C stops everything.
# Needs: the .NET SDK (global.json), python3 and dig (installed with apt when missing and running as root).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
if ((${#need[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "demo.sh: please install: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

dotnet build src/Meridian.Cli -c Release -v quiet -nologo >/dev/null
meridian=(dotnet src/Meridian.Cli/bin/Release/net10.0/meridian.dll)
config=samples/topologies/two-region.yaml

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for region in 11 12; do
  mkdir -p "$work/$region"
  echo '{"status":"ok"}' > "$work/$region/health"
  # The sample's DNS checks now probe the load balancer's endpoint; stand in for it until the balancer runs here.
  mkdir -p "$work/$region/_meridian" && cp "$work/$region/health" "$work/$region/_meridian/health"
  python3 -m http.server --bind "127.0.0.$region" --directory "$work/$region" 8080 >/dev/null 2>&1 &
  pids+=($!)
  echo "region 127.0.0.$region: stand-in health endpoint http://127.0.0.$region:8080/health (pid $!)"
done

cat <<EOT

Meridian DNS on 127.0.0.1:5353, control API on http://127.0.0.1:8053. Try, in another terminal:

  dig @127.0.0.1 -p 5353 app.mydomain.test +subnet=81.2.69.0/24    # a European client -> eu-west-1
  dig @127.0.0.1 -p 5353 app.mydomain.test +subnet=24.1.2.0/24      # anyone else -> us-east-1
  ${meridian[*]} status -c $config
  ${meridian[*]} resolve app.mydomain.test --client 81.2.69.0/24 -c $config
  kill ${pids[1]}    # take eu-west-1 down: within ~1.5 s Europe is answered from us-east-1

EOT
"${meridian[@]}" run --config "$config" --roles dns,health,control
