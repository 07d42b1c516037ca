#!/usr/bin/env bash
# soak: ADD/DEL cycles on one simulated Azure node (scripts/simnet.sh), LIVE pods live at any time, as a node that
# runs for weeks sees them. Every plugin call runs under benchmarks/soak/soakrun.c, which records its exit code, peak
# RSS, peak open descriptors and wall time; every 500 cycles the state files' and the log's sizes are recorded.
# Printed: per 1,000 calls, the median and peak RSS, the peak descriptors and the median wall time (flat is the
# goal), the state file sizes over the run (bounded), the log's rolled files (rotation), the failures (none), and
# what is left on the node once every pod is deleted (nothing).
# Usage: scripts/soak.sh [BIN_DIR] [CYCLES] [LIVE] [MODE]   (root; defaults output/bin 10000 20 transparent)
# SOAK_SECONDS (1200) stops the cycles early when the run takes longer; the figures then cover what ran.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
cycles=${2:-10000}
live=${3:-20}
mode=${4:-transparent}
limit=${SOAK_SECONDS:-1200}
[ "$(id -u)" = 0 ] || { echo "soak: needs root (network namespaces)" >&2; exit 1; }

export SIMNET_PREFIX=${SIMNET_PREFIX:-azsoak-$$} SIMNET_SECONDARIES=$((live + 10))
export SIMNET_DIR=/run/$SIMNET_PREFIX AZURE_CNI_BIN_DIR=$bin
work=$(mktemp -d)
state=$(mktemp -d -p /dev/shm azsoak.XXXXXX)   # /var/run is a tmpfs on a node
cleanup() {
  for ns in $(ip netns list | awk -v p="$SIMNET_PREFIX-s" 'index($1, p) == 1 { print $1 }'); do ip netns del "$ns" 2>/dev/null || true; done
  "$root/scripts/simnet.sh" down >/dev/null 2>&1 || true
  rm -rf "$work" "$state"
}
trap cleanup EXIT

gcc -O2 -o "$work/soakrun" "$root/benchmarks/soak/soakrun.c"
"$root/scripts/simnet.sh" up 1 >/dev/null
printf '{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","mode":"%s","ipam":{"type":"azure-vnet-ipam","environment":"azure"}}\n' "$mode" > "$work/conf.json"

cat > "$work/loop.sh" <<'SH'
#!/usr/bin/env bash
# loop.sh WORK STATE BIN CYCLES LIVE LIMIT PREFIX: runs inside the node.
set -uo pipefail
work=$1 state=$2 bin=$3 cycles=$4 live=$5 limit=$6 prefix=$7
export CNI_IFNAME=eth0 CNI_PATH=$bin AZURE_CNI_STATE_DIR=$state AZURE_CNI_LOG_DIR=$work/log
mkdir -p "$work/log"
failed=0
call() { # command pod
  CNI_COMMAND=$1 CNI_CONTAINERID=soak$2 CNI_NETNS=/var/run/netns/$prefix$2 \
    "$work/soakrun" "$work/calls" "$bin/azure-vnet" < "$work/conf.json" > /dev/null || failed=$((failed + 1))
}
add() { ip netns add "$prefix$1"; call ADD "$1"; }
del() { call DEL "$1"; ip netns del "$prefix$1"; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
start=$(date +%s)
for ((i = 0; i < live; i++)); do add "$i"; done
done_cycles=0
for ((c = 0; c < cycles; c++)); do
  del "$c"
  add $((c + live))
  done_cycles=$((c + 1))
  if ((done_cycles % 500 == 0)); then
    printf '%d %d %d %d %d\n' "$done_cycles" "$(size "$state/azure-vnet.json")" "$(size "$state/azure-vnet-ipam.json")" \
      "$(size "$work/log/azure-vnet.log")" "$(ls "$work/log" | grep -c '^azure-vnet.log\.[0-9]')" >> "$work/progress"
    (( $(date +%s) - start < limit )) || break
  fi
done
for ((i = done_cycles; i < done_cycles + live; i++)); do del "$i"; done
echo "$done_cycles $failed $(( $(date +%s) - start ))" > "$work/summary"
SH
chmod +x "$work/loop.sh"

echo "== soak: $cycles ADD/DEL cycles, $live pods live, $mode mode, azure-vnet-ipam on the simulated wireserver ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
ip netns exec "$SIMNET_PREFIX-node-1" "$work/loop.sh" "$work" "$state" "$bin" "$cycles" "$live" "$limit" "$SIMNET_PREFIX-s"
read -r ran failed seconds < "$work/summary"
echo "cycles run: $ran in $seconds s; calls: $(wc -l < "$work/calls"); failed calls: $failed"

echo "-- per 1,000 calls (RSS in KiB, wall in ms)"
awk '{ b = int((NR - 1) / 1000); n[b]++; rss[b, n[b]] = $2; wall[b, n[b]] = $4; if ($2 > prss[b]) prss[b] = $2; if ($3 > pfd[b]) pfd[b] = $3 }
  function median(arr, b, k,   i, j, t, v) { for (i = 1; i <= k; i++) v[i] = arr[b, i]
    for (i = 2; i <= k; i++) { t = v[i]; for (j = i - 1; j > 0 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return v[int((k + 1) / 2)] }
  END { printf "%-12s %10s %10s %8s %10s\n", "calls", "rss_med", "rss_max", "fds_max", "wall_med"
    for (b = 0; b in n; b++) printf "%5d-%-6d %10d %10d %8d %10.2f\n", b * 1000 + 1, b * 1000 + n[b], median(rss, b, n[b]), prss[b], pfd[b], median(wall, b, n[b]) / 1000 }' "$work/calls"

echo "-- every 500 cycles: state and log sizes in bytes, rolled log files"
awk 'BEGIN { printf "%8s %16s %20s %12s %8s\n", "cycles", "azure-vnet.json", "azure-vnet-ipam.json", "log", "rolled" }
  { printf "%8d %16d %20d %12d %8d\n", $1, $2, $3, $4, $5 }' "$work/progress" 2>/dev/null || true

echo "-- left on the node after the last DEL"
node=$SIMNET_PREFIX-node-1
veths=$(ip -n "$node" -o link | grep -c ' azv' || true)
routes=$(ip -n "$node" -4 route | grep -c '/32\|^10\.240\.1\.[0-9]* dev azv' || true)
neigh=$(ip -n "$node" neigh show nud permanent | grep -c . || true)
endpoints=$(grep -c '"containerId"' "$state/azure-vnet.json" 2>/dev/null || true)
reserved=$(grep -c '"containerId": "soak' "$state/azure-vnet-ipam.json" 2>/dev/null || true)
echo "host veths $veths, pod routes $routes, permanent neighbours $neigh, endpoints ${endpoints:-0}, reservations ${reserved:-0}"
[ "$failed" = 0 ] && [ "$veths" = 0 ] && [ "$routes" = 0 ] && [ "$neigh" = 0 ] && [ "${endpoints:-0}" = 0 ] && [ "${reserved:-0}" = 0 ]
