#!/usr/bin/env bash
# make demo: two simulated Azure nodes (scripts/simnet.sh: a fabric namespace with a wireserver, node
# namespaces with their own eth0), three pods added with azure-vnet + azure-vnet-ipam through the full CNI
# protocol by the real libcni runtime, their addresses, pings between them, then DEL and a full teardown.
# Everything happens in network namespaces; the machine's own namespace is never touched, and the trap on
# EXIT removes every namespace and file the demo made, even on failure or Ctrl-C.
#
# The libcni client's source lives outside the repository, in ../shared/tools/libcni-client (every developer
# and CI has ../shared); it is built here into output/tools. Set LIBCNI_CLIENT to use another build.
# Usage: scripts/demo.sh [BIN_DIR]   (root; DEMO_MODE=transparent|bridge, default transparent)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
mode=${DEMO_MODE:-transparent}
[ "$(id -u)" = 0 ] || { echo "demo: needs root (it builds network namespaces)" >&2; exit 1; }
for p in azure-vnet azure-vnet-ipam; do
  [ -x "$bin/$p" ] || { echo "demo: $bin/$p is missing (run make demo, which builds it)" >&2; exit 1; }
done

client=${LIBCNI_CLIENT:-$root/output/tools/libcni-client}
if [ ! -x "$client" ]; then
  echo "== building the libcni client (../shared/tools/libcni-client) into output/tools"
  # ../shared next to the checkout; from a git worktree elsewhere, next to the main checkout.
  main=$(cd "$(git -C "$root" rev-parse --git-common-dir 2>/dev/null || echo "$root/.git")/.." && pwd)
  for shared in "$root/../shared" "$main/../shared"; do
    [ -x "$shared/tools/libcni-client/build.sh" ] && break
  done
  [ -x "$shared/tools/libcni-client/build.sh" ] || { echo "demo: ../shared/tools/libcni-client is missing" >&2; exit 1; }
  "$shared/tools/libcni-client/build.sh" "$root/output/tools" >/dev/null
fi

export SIMNET_PREFIX=${SIMNET_PREFIX:-azdemo} SIMNET_SECONDARIES=8
export SIMNET_DIR=/run/$SIMNET_PREFIX
# simnet prepares each node with this build's `azure-vnet host-check --fix` (the seed README's non-AKS steps).
export AZURE_CNI_BIN_DIR=$bin
pods=(pod1:1 pod2:1 pod3:2)   # name:node
declare -A cid

cni() { # node command pod
  local node=$1 command=$2 pod=$3
  AZURE_CNI_STATE_DIR="$SIMNET_DIR/node-$node/state" AZURE_CNI_LOG_DIR="$SIMNET_DIR/node-$node" ip netns exec "$SIMNET_PREFIX-node-$node" "$client" \
    -conflist "$SIMNET_DIR/node-$node/azure.conflist" -netns "/var/run/netns/$SIMNET_PREFIX-$pod" \
    -cid "${cid[$pod]}" -cache-dir "$SIMNET_DIR/node-$node/cni-cache" -cni-path "$bin:/usr/lib/cni" "$command"
}

added=()
cleanup() {
  local rc=$? entry
  trap - EXIT INT TERM
  for entry in "${added[@]}"; do cni "${entry#*:}" del "${entry%%:*}" >/dev/null 2>&1 || true; done
  for entry in "${pods[@]}"; do ip netns del "$SIMNET_PREFIX-${entry%%:*}" 2>/dev/null || true; done
  "$root/scripts/simnet.sh" down
  echo "== torn down: no $SIMNET_PREFIX-* namespace is left"
  exit "$rc"
}
trap cleanup EXIT INT TERM

echo "== simulated Azure: fabric $SIMNET_PREFIX-vnet (gateway 10.240.0.1, wireserver 168.63.129.16), two nodes"
echo "   (fresh VMs: ip_forward 0, FORWARD policy DROP; simnet prepares each with azure-vnet host-check --fix)"
"$root/scripts/simnet.sh" up 2
echo "== host-check on node-1 after the preparation"
ip netns exec "$SIMNET_PREFIX-node-1" "$bin/azure-vnet" host-check --vnet-cidr 10.240.0.0/16 | sed 's/^/  /'
for node in 1 2; do
  mkdir -p "$SIMNET_DIR/node-$node/state"
  cat > "$SIMNET_DIR/node-$node/azure.conflist" <<JSON
{"cniVersion":"1.0.0","name":"azure","plugins":[{"type":"azure-vnet","mode":"$mode","bridge":"azure0",
 "ipam":{"type":"azure-vnet-ipam","environment":"azure"}}]}
JSON
done

declare -A ip node_of
for entry in "${pods[@]}"; do
  pod=${entry%%:*} node=${entry#*:}
  node_of[$pod]=$node
  cid[$pod]=$(tr -d '-' < /proc/sys/kernel/random/uuid)$(tr -d '-' < /proc/sys/kernel/random/uuid)
  ip netns add "$SIMNET_PREFIX-$pod"
  ip -n "$SIMNET_PREFIX-$pod" link set lo up
  echo "== ADD $pod on node-$node ($mode mode)"
  cni "$node" add "$pod" >/dev/null
  added+=("$pod:$node")
  cni "$node" check "$pod"
  ip[$pod]=$(ip -n "$SIMNET_PREFIX-$pod" -4 -o addr show dev eth0 | awk '{split($4, a, "/"); print a[1]}')
done

echo
echo "== pods"
for entry in "${pods[@]}"; do
  pod=${entry%%:*}
  printf '  %-5s node-%s  %s\n' "$pod" "${node_of[$pod]}" "${ip[$pod]}"
done
echo

ping_from() { # what namespace target
  if ip netns exec "$2" ping -c 1 -W 2 "$3" >/dev/null; then
    printf '  ok    %-28s (%s)\n' "$1" "$3"
  else
    printf '  FAIL  %-28s (%s)\n' "$1" "$3"; failed=1
  fi
}
failed=0
echo "== pings"
ping_from "pod1 -> pod2 (same node)" "$SIMNET_PREFIX-pod1" "${ip[pod2]}"
ping_from "pod1 -> pod3 (other node)" "$SIMNET_PREFIX-pod1" "${ip[pod3]}"
ping_from "pod3 -> pod1 (other node)" "$SIMNET_PREFIX-pod3" "${ip[pod1]}"
ping_from "pod1 -> gateway" "$SIMNET_PREFIX-pod1" 10.240.0.1
ping_from "pod1 -> its node" "$SIMNET_PREFIX-pod1" 10.240.1.4
ping_from "node-2 -> pod1" "$SIMNET_PREFIX-node-2" "${ip[pod1]}"
echo

for node in 1 2; do
  echo "== azure-vnet show on node-$node (what the plugins hold, checked against the node's kernel)"
  AZURE_CNI_STATE_DIR="$SIMNET_DIR/node-$node/state" ip netns exec "$SIMNET_PREFIX-node-$node" "$bin/azure-vnet" show | sed 's/^/  /'
done
echo
echo "== ADD latency of each pod (azure-vnet's own figure, from the node's azure-vnet.log)"
for entry in "${pods[@]}"; do
  pod=${entry%%:*} node=${entry#*:}
  # The ADD line of the pod's container: "... outcome=ok ... duration_ms=12.3".
  ms=$(grep -a "ADD container=${cid[$pod]}" "$SIMNET_DIR/node-$node/azure-vnet.log" 2>/dev/null | tail -1 \
    | sed -nE 's/.*duration_ms=([0-9.]+).*/\1/p' | head -1)
  printf '  %-5s node-%s  ADD %s ms\n' "$pod" "$node" "${ms:-?}"
done
echo

for entry in "${pods[@]}"; do
  pod=${entry%%:*}
  echo "== DEL $pod"
  cni "${node_of[$pod]}" del "$pod"
done
added=()
[ "$failed" = 0 ] || { echo "demo: some pings failed" >&2; exit 1; }
echo "== demo ok"
