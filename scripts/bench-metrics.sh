#!/usr/bin/env bash
# What the metrics file costs a call: azure-vnet-ipam ADD and DEL (file source, no network, no root), interleaved
# with and without $AZURE_CNI_METRICS_DIR in one run, timed around each process; prints the medians and their
# difference. Usage: scripts/bench-metrics.sh [BIN_DIR] [ROUNDS]   (default output/bin, 300)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
rounds=${2:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/on" "$work/off" "$work/metrics"
echo '{"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false}]}]}]}' > "$work/interfaces.json"
conf='{"cniVersion":"1.0.0","name":"bench","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"'$work'/interfaces.json"}}'

call() { # state command -> microseconds on stdout
  local start=$EPOCHREALTIME
  CNI_COMMAND=$2 CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/none CNI_IFNAME=eth0 CNI_PATH="$bin" \
    AZURE_CNI_STATE_DIR="$work/$1" AZURE_CNI_LOG_DIR="$work/$1" "$bin/azure-vnet-ipam" <<<"$conf" >/dev/null
  local end=$EPOCHREALTIME
  echo $(( (${end/./} - ${start/./}) ))
}
for ((i = 0; i < rounds; i++)); do
  call off ADD >> "$work/off.add"; call off DEL >> "$work/off.del"
  AZURE_CNI_METRICS_DIR=$work/metrics call on ADD >> "$work/on.add"
  AZURE_CNI_METRICS_DIR=$work/metrics call on DEL >> "$work/on.del"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
printf '%-8s %14s %14s %12s\n' command "without (ms)" "with (ms)" "cost (ms)"
for command in add del; do
  off=$(median "$work/off.$command") on=$(median "$work/on.$command")
  printf '%-8s %14s %14s %12s\n' "${command^^}" "$off" "$on" "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.3f", a - b }')"
done
echo "($rounds rounds, interleaved; medians of whole-process wall time; $(grep -c '^azure_cni_calls_total' "$work/metrics/azure-vnet-ipam.prom") call series in the metrics file)"
