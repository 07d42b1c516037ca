#!/usr/bin/env bash
# Data path: ADD then DEL of one pod inside a simulated Azure node (scripts/simnet.sh), side by side in one run:
# azure-vnet (transparent mode, azure-vnet-ipam on the simulated wireserver) against Debian's reference
# `bridge` + `host-local` (containernetworking-plugins). The lead's spawnbench times each plugin process
# (posix_spawn to exit) inside the node namespace, in file order (each ADD before its DEL), every round.
# Prints spawnbench's table, then ADD+DEL medians and their ratio (the target: azure-vnet <= 0.25x).
# As on a real node, where /var/run is a tmpfs, both sides keep their state on a tmpfs: one mounted in the
# private mount namespace `ip netns exec` makes for the timed run (gone with it; the machine's mounts are
# untouched). Logs (azure-vnet's Serilog file) stay on disk, as /var/log does.
# Usage: scripts/bench-datapath.sh [BIN_DIR] [RUNS]      (root; nothing outside its own namespaces)
# BASELINE_BIN=DIR adds that directory's azure-vnet (say, the previous main's) to the same run, with its own pod and
# state, as "baseline azure-vnet" lines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
runs=${2:-200}
ref=/usr/lib/cni
base=${BASELINE_BIN:+$(cd "$BASELINE_BIN" && pwd)}
pods="az ref"; [ -n "$base" ] && pods="az ref base"
[ "$(id -u)" = 0 ] || { echo "bench-datapath: needs root (network namespaces)" >&2; exit 1; }
[ -x "$ref/bridge" ] && [ -x "$ref/host-local" ] || { echo "needs $ref/bridge and host-local (apt-get install containernetworking-plugins)" >&2; exit 1; }

export SIMNET_PREFIX=${SIMNET_PREFIX:-azbench-$$} SIMNET_SECONDARIES=4
export SIMNET_DIR=/run/$SIMNET_PREFIX AZURE_CNI_BIN_DIR=$bin   # simnet prepares the node with this azure-vnet
node=$SIMNET_PREFIX-node-1
work=$(mktemp -d)
cleanup() {
  ip netns del "$SIMNET_PREFIX-pod-az" 2>/dev/null || true
  ip netns del "$SIMNET_PREFIX-pod-ref" 2>/dev/null || true
  ip netns del "$SIMNET_PREFIX-pod-base" 2>/dev/null || true
  "$root/scripts/simnet.sh" down
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -o "$work/spawnbench" "$root/benchmarks/coldstart/spawnbench.c"
"$root/scripts/simnet.sh" up 1 >/dev/null
for pod in $pods; do
  ip netns add "$SIMNET_PREFIX-pod-$pod"
  ip -n "$SIMNET_PREFIX-pod-$pod" link set lo up
done

cat > "$work/azure.json" <<JSON
{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","mode":"transparent",
 "ipam":{"type":"azure-vnet-ipam","environment":"azure"}}
JSON
cat > "$work/reference.json" <<JSON
{"cniVersion":"1.0.0","name":"reference","type":"bridge","bridge":"cnibench0","isGateway":true,
 "ipam":{"type":"host-local","ranges":[[{"subnet":"10.250.0.0/24"}]],"dataDir":"$work/run/host-local"}}
JSON
common="CNI_IFNAME=eth0	CNI_PATH=$bin:$ref	AZURE_CNI_STATE_DIR=$work/run/state	AZURE_CNI_LOG_DIR=$work"
az="CNI_CONTAINERID=benchaz0000000000000000	CNI_NETNS=/var/run/netns/$SIMNET_PREFIX-pod-az	$common"
rf="CNI_CONTAINERID=benchref000000000000000	CNI_NETNS=/var/run/netns/$SIMNET_PREFIX-pod-ref	$common"
bs="CNI_CONTAINERID=benchbase00000000000000	CNI_NETNS=/var/run/netns/$SIMNET_PREFIX-pod-base	CNI_IFNAME=eth0	CNI_PATH=$base:$ref	AZURE_CNI_STATE_DIR=$work/run/state-base	AZURE_CNI_LOG_DIR=$work/base-log"
mkdir -p "$work/run/state" "$work/run/state-base" "$work/base-log"
ipcmd=$(command -v ip)
{
  printf 'bridge+host-local ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/reference.json" "$ref/bridge" "$rf"
  printf 'bridge+host-local DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/reference.json" "$ref/bridge" "$rf"
  printf 'azure-vnet ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/azure.json" "$bin/azure-vnet" "$az"
  printf 'azure-vnet DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/azure.json" "$bin/azure-vnet" "$az"
  if [ -n "$base" ]; then
    printf 'baseline azure-vnet ADD\t%s\t%s\tCNI_COMMAND=ADD\t%s\n' "$work/azure.json" "$base/azure-vnet" "$bs"
    printf 'baseline azure-vnet DEL\t%s\t%s\tCNI_COMMAND=DEL\t%s\n' "$work/azure.json" "$base/azure-vnet" "$bs"
  fi
  # The kernel's share, for scale: one veth pair made and deleted by iproute2 alone, with no plugin around it.
  # Deleting any netdevice waits for an RCU grace period (rcu_barrier in netdev_run_todo) before it returns.
  printf 'kernel: ip link add veth\t/dev/null\t%s\targ:link\targ:add\targ:azbenchv0\targ:type\targ:veth\targ:peer\targ:name\targ:azbenchv1\n' "$ipcmd"
  printf 'kernel: ip link del veth\t/dev/null\t%s\targ:link\targ:del\targ:azbenchv0\n' "$ipcmd"
} > "$work/datapath.spec"

# One ADD of each first, outside the timing: a plugin that cannot ADD here must fail the run, not time its error.
sides=(reference:bridge:ref:"$rf" azure:azure-vnet:bin:"$az")
[ -n "$base" ] && sides+=(azure:azure-vnet:base:"$bs")
for side in "${sides[@]}"; do
  IFS=: read -r conf plugin where envs <<<"$side"
  case $where in ref) dir=$ref ;; bin) dir=$bin ;; base) dir=$base ;; esac
  ( IFS=$'\t'; env $envs CNI_COMMAND=ADD ip netns exec "$node" "$dir/$plugin" < "$work/$conf.json" >/dev/null ) \
    || { echo "bench-datapath: $plugin ADD fails in the simulated node" >&2; exit 1; }
  ( IFS=$'\t'; env $envs CNI_COMMAND=DEL ip netns exec "$node" "$dir/$plugin" < "$work/$conf.json" >/dev/null )
done

echo "== data path: ADD then DEL of one pod in a simulated node ($runs rounds, in order; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
ip netns exec "$node" sh -c 'mount -t tmpfs -o size=16m azbench "$1" && mkdir "$1/state" && exec "$2" -s -n "$3" "$4"' \
  sh "$work/run" "$work/spawnbench" "$runs" "$work/datapath.spec" | tee "$work/table"
awk '
  /^bridge\+host-local (ADD|DEL)/ { ref += $(NF-4); if ($NF != 0) bad = 1 }
  /^azure-vnet (ADD|DEL)/         { az  += $(NF-4); if ($NF != 0) bad = 1 }
  /^baseline azure-vnet (ADD|DEL)/ { bz += $(NF-4); if ($NF != 0) bad = 1 }
  /^kernel: ip link del veth/     { vdel = $(NF-4); if ($NF != 0) bad = 1 }
  END {
    printf "ADD+DEL medians: azure-vnet %.0f us, bridge+host-local %.0f us, ratio %.3f (target <= 0.25)\n", az, ref, az / ref
    if (bz > 0) printf "ADD+DEL medians: azure-vnet %.0f us against the baseline build %.0f us, ratio %.3f\n", az, bz, az / bz
    printf "kernel floor: deleting one veth pair takes %.0f us by itself = %.3f of the reference ADD+DEL (0.25x allows %.0f us for ADD+DEL)\n", vdel, vdel / ref, ref / 4
    if (bad) { print "some runs failed (see the failed column)"; exit 1 }
  }' "$work/table"
# The run as a picture (offline, from the table above): $BENCH_SVG, default output/bench-datapath.svg.
svg=${BENCH_SVG:-$root/output/bench-datapath.svg}; mkdir -p "$(dirname "$svg")"
"$root/scripts/lib/svg-chart.sh" "Data path: ADD and DEL of a pod, azure-vnet against bridge + host-local ($runs rounds)" "$svg" < "$work/table" && echo "chart: $svg"
