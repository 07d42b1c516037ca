#!/usr/bin/env bash
# Whole-process cold start, side by side in one run: the plugins against a dynamically linked C hello
# and Debian's Go reference plugins (containernetworking-plugins). Prints one table of medians and
# per-round ratios against the C hello (benchmarks/coldstart/spawnbench.c says how they are computed).
# Usage: scripts/bench-coldstart.sh [BIN_DIR] [RUNS]
# BASELINE_BIN=DIR adds that directory's azure-vnet and azure-vnet-ipam (say, the published binaries of the previous
# main) to the same run, as "baseline ..." lines, so a change is measured side by side with what it replaces.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
runs=${2:-300}
ref=/usr/lib/cni
base=${BASELINE_BIN:+$(cd "$BASELINE_BIN" && pwd)}
work=$(mktemp -d)
# State lives on tmpfs, as /var/run does on a real node; host-local's data dir goes there too, so
# both IPAMs pay the same file-system costs. The mount is private to this script's work dir.
mkdir -p "$work/run"
mount -t tmpfs -o size=64m tmpfs "$work/run"
trap 'umount "$work/run" 2>/dev/null; rm -rf "$work"' EXIT

gcc -O2 -o "$work/spawnbench" "$root/benchmarks/coldstart/spawnbench.c"
gcc -O2 -o "$work/c-hello" "$root/benchmarks/coldstart/hello.c"
[ -x "$ref/bridge" ] || { echo "needs $ref/bridge (apt-get install containernetworking-plugins)" >&2; exit 1; }

echo '{"cniVersion":"1.1.0"}' > "$work/version.json"

# 1. VERSION: pure start-up, nothing else.
{
  printf 'c-hello\t%s\t%s\n' "$work/version.json" "$work/c-hello"
  printf 'azure-vnet VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$bin/azure-vnet"
  printf 'azure-vnet-ipam VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$bin/azure-vnet-ipam"
  if [ -n "$base" ]; then
    printf 'baseline azure-vnet VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$base/azure-vnet"
    printf 'baseline azure-vnet-ipam VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$base/azure-vnet-ipam"
  fi
  printf 'go bridge VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$ref/bridge"
} > "$work/version.spec"
echo "== cold start, VERSION ($runs rounds, shuffled; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
"$work/spawnbench" -n "$runs" "$work/version.spec" | tee "$work/tables"

# 2. IPAM ADD then DEL from a file source (the pair keeps its order), against host-local ADD then DEL.
cat > "$work/interfaces.json" <<JSON
{"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[
 {"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false}]}]}]}
JSON
cat > "$work/ipam.json" <<JSON
{"cniVersion":"1.1.0","name":"bench","type":"bridge","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"$work/interfaces.json"}}
JSON
cat > "$work/hostlocal.json" <<JSON
{"cniVersion":"1.0.0","name":"bench","type":"bridge","ipam":{"type":"host-local","dataDir":"$work/run/host-local","ranges":[[{"subnet":"10.241.0.0/16"}]]}}
JSON
common="CNI_CONTAINERID=bench1	CNI_NETNS=/proc/self/ns/net	CNI_IFNAME=eth0	CNI_PATH=$bin:$ref	AZURE_CNI_STATE_DIR=$work/run/state	AZURE_CNI_LOG_DIR=$work/run"
{
  printf 'c-hello\t%s\t%s\n' "$work/version.json" "$work/c-hello"
  printf 'azure-vnet-ipam ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/ipam.json" "$bin/azure-vnet-ipam" "$common"
  printf 'azure-vnet-ipam DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/ipam.json" "$bin/azure-vnet-ipam" "$common"
  if [ -n "$base" ]; then
    # Its own state directory: the two builds never share a reservation.
    printf 'baseline azure-vnet-ipam ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/ipam.json" "$base/azure-vnet-ipam" "${common/run\/state/run\/state-base}"
    printf 'baseline azure-vnet-ipam DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/ipam.json" "$base/azure-vnet-ipam" "${common/run\/state/run\/state-base}"
  fi
  printf 'go host-local ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/hostlocal.json" "$ref/host-local" "$common"
  printf 'go host-local DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/hostlocal.json" "$ref/host-local" "$common"
} > "$work/ipam.spec"
echo
echo "== IPAM ADD/DEL from a file source ($runs rounds, in order)"
"$work/spawnbench" -s -n "$runs" "$work/ipam.spec" | tee -a "$work/tables"
# The run as a picture (offline, from the tables above): $BENCH_SVG, default output/bench-coldstart.svg.
svg=${BENCH_SVG:-$root/output/bench-coldstart.svg}; mkdir -p "$(dirname "$svg")"
"$root/scripts/lib/svg-chart.sh" "Cold start: azure-vnet, azure-vnet-ipam and the Go reference plugins ($runs rounds)" "$svg" < "$work/tables" && echo "chart: $svg"
