#!/usr/bin/env bash
# Flushes per command: strace -f -c of azure-vnet transparent ADD and DEL (in-process IPAM, fileIpam source) on a
# one-node simulated VNet, three rounds, state in a directory under /var/tmp (a disk). Usage:
# SIMNET_PREFIX=... scripts/strace-state-writes.sh [BIN_DIR]   (root; prints fsync/fdatasync/rename/pwrite counts)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
export SIMNET_PREFIX=${SIMNET_PREFIX:-azstrace} SIMNET_DIR=/run/${SIMNET_PREFIX:-azstrace} SIMNET_WIRESERVER=0 AZURE_CNI_BIN_DIR=$bin
state=$(mktemp -d -p /var/tmp azstate.XXXXXX) out=$(mktemp -d)
trap '"$root/scripts/simnet.sh" down >/dev/null 2>&1; rm -rf "$state" "$out"' EXIT
"$root/scripts/simnet.sh" up 1 >/dev/null
export conf='{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","mode":"transparent","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"'"$SIMNET_DIR"'/node-1/interfaces.json"}}'
export bin state out
ip netns exec $SIMNET_PREFIX-node-1 bash -c '
run() { # round cmd
  env CNI_COMMAND=$2 CNI_CONTAINERID=c$1 CNI_NETNS=/var/run/netns/$SIMNET_PREFIX-p1 CNI_IFNAME=eth0 CNI_PATH=$bin \
    AZURE_CNI_STATE_DIR=$state AZURE_CNI_LOG_DIR=$state strace -f -c -e trace=fsync,fdatasync,rename,syncfs,pwrite64 -o $out/strace.$1.$2 "$bin/azure-vnet" <<<"$conf" >$out/out.$1.$2 || { echo FAILED; cat $out/out.$1.$2; }
  printf "%s %s: " "$1" "$2"; awk "/fsync|fdatasync|rename|syncfs|pwrite/ { printf \"%s=%s \", \$NF, \$4 } END { print \"\" }" $out/strace.$1.$2
}
for r in 1 2 3; do
  ip netns add $SIMNET_PREFIX-p1
  run $r ADD; run $r DEL
  ip netns del $SIMNET_PREFIX-p1
done'
