#!/usr/bin/env bash
# ADD of a dual-stack pod against a single-stack one, side by side in one run, inside a dual-stack simulated bed
# (scripts/simnet.sh, SIMNET_DUAL_STACK=1): transparent mode on node 1, bridge mode on node 2. Both sides delegate to
# the reference host-local (IPv4 only, or an IPv4 and an IPv6 range), so the difference is azure-vnet's IPv6 work.
# spawnbench runs, in file order, each round: netns add, single-stack ADD, DEL, netns del, netns add, dual-stack ADD,
# DEL, netns del; right after each ADD the new pod pings its node once (IPv6 for the dual-stack pod): with a
# tentative address that first packet would wait for duplicate address detection. Printed: each median, and
# dual/single ADD (target <= 1.3: no stall on duplicate address detection).
# State on a tmpfs (/dev/shm), as a node's /var/run. Nothing outside its own namespaces.
# Usage: scripts/bench-dualstack.sh [BIN_DIR] [RUNS]   (root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
runs=${2:-100}
ref=/usr/lib/cni
[ "$(id -u)" = 0 ] || { echo "bench-dualstack: needs root (network namespaces)" >&2; exit 1; }
[ -x "$ref/host-local" ] || { echo "needs $ref/host-local (apt-get install containernetworking-plugins)" >&2; exit 1; }

export SIMNET_PREFIX=${SIMNET_PREFIX:-azds-$$} SIMNET_DUAL_STACK=1 SIMNET_WIRESERVER=0
export SIMNET_DIR=/run/$SIMNET_PREFIX AZURE_CNI_BIN_DIR=$bin
. "$root/scripts/lib/bench-bed.sh"
bench_bed_up /dev/shm azds.XXXXXX

conf() { # mode node stack
  local v4 v6=""
  v4="[{\"subnet\":\"10.240.0.0/16\",\"rangeStart\":\"10.240.$2.5\",\"rangeEnd\":\"10.240.$2.34\",\"gateway\":\"10.240.0.1\"}]"
  [ "$3" = single ] || v6=",[{\"subnet\":\"fd00:240::/64\",\"rangeStart\":\"fd00:240::$2:5\",\"rangeEnd\":\"fd00:240::$2:22\",\"gateway\":\"fd00:240::1\"}]"
  printf '{"cniVersion":"1.0.0","name":"azure","type":"azure-vnet","mode":"%s","ipam":{"type":"host-local","dataDir":"%s/hl%s","ranges":[%s%s]}}\n' \
    "$1" "$state" "$2" "$v4" "$v6" > "$work/$1-$3.json"
}
envs() { printf 'CNI_IFNAME=eth0\tCNI_PATH=%s:%s\tAZURE_CNI_STATE_DIR=%s/node%s\tAZURE_CNI_LOG_DIR=%s' "$bin" "$ref" "$state" "$1" "$work"; }
ns_line() { printf 'netns %s (%s)\t/dev/null\t%s\targ:netns\targ:%s\targ:%s-p%s{round}\n' "$2" "$3" "$ipcmd" "$2" "$SIMNET_PREFIX" "$3"; }
ping_line() { # stack node address
  printf '%s-stack first ping\t/dev/null\t%s\targ:netns\targ:exec\targ:%s-p%s{round}\targ:ping\targ:-c1\targ:-W2\targ:%s\n' \
    "$1" "$ipcmd" "$SIMNET_PREFIX" "$1" "$3"
}
cni_line() { # mode node stack command
  printf '%s-stack %s\t%s\t%s\tCNI_COMMAND=%s\tCNI_CONTAINERID=ds%s{round}\tCNI_NETNS=/var/run/netns/%s-p%s{round}\t%s\n' \
    "$3" "$4" "$work/$1-$3.json" "$bin/azure-vnet" "$4" "$3" "$SIMNET_PREFIX" "$3" "$(envs "$2")"
}

echo "== dual-stack vs single-stack ADD ($runs rounds each, in order; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
for pair in 1:transparent 2:bridge; do
  node=${pair%%:*} mode=${pair#*:}
  conf "$mode" "$node" single
  conf "$mode" "$node" dual
  {
    for stack in single dual; do
      ns_line "" add "$stack"
      cni_line "$mode" "$node" "$stack" ADD
      if [ "$stack" = single ]; then ping_line "$stack" "$node" "10.240.$node.4"; else ping_line "$stack" "$node" "fd00:240::$node:4"; fi
      cni_line "$mode" "$node" "$stack" DEL
      ns_line "" del "$stack"
    done
  } > "$work/$mode.spec"
  echo "-- node $node, azure-vnet $mode mode"
  ip netns exec "$SIMNET_PREFIX-node-$node" "$work/spawnbench" -s -n "$runs" "$work/$mode.spec" | tee "$work/table-$mode"
  awk -v mode="$mode" '
    /^single-stack ADD/ { s = $(NF-4) } /^dual-stack ADD/ { d = $(NF-4) }
    /^single-stack DEL/ { sd = $(NF-4) } /^dual-stack DEL/ { dd = $(NF-4) }
    /^single-stack first ping/ { sp = $(NF-4) } /^dual-stack first ping/ { dp = $(NF-4) }
    $NF ~ /^[0-9]+$/ && $NF != 0 { bad = 1 }
    END {
      printf "%s: ADD medians dual-stack %.0f us, single-stack %.0f us, ratio %.3f (target <= 1.3); DEL %.0f vs %.0f us, ratio %.3f\n", mode, d, s, d / s, dd, sd, dd / sd
      printf "%s: first ping right after ADD: IPv6 %.0f us, IPv4 %.0f us\n", mode, dp, sp
      if (bad) { print "some runs failed (see the failed column)"; exit 1 }
      if (d / s > 1.3) exit 1
    }' "$work/table-$mode" || status=1
done
exit "$status"
