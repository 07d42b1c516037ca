#!/usr/bin/env bash
# The instruction-count gate: each call of benchmarks/budgets.json run once under valgrind's callgrind (user-space
# instructions: machine-independent, repeatable to well under 1 %, where wall time on a shared machine moves 3x),
# a table of measured against budget printed, exit 1 when any call is more than the file's tolerance over.
# Hardware counters (perf stat -e instructions:u) are not used: virtual machines such as CI's rarely expose them.
#   VERSION          both plugins, nothing else
#   azure-vnet-ipam  ADD then DEL from a file source (interfacesFile), state on a private tmpfs
#   azure-vnet       ADD, CHECK, DEL (transparent, azure-vnet-ipam in process from the node's file source) of a
#                    throwaway pod namespace in one node of the simulated bed (scripts/simnet.sh, no wireserver),
#                    then STATUS at 1.1.0
# Usage: scripts/bench-gate.sh [BIN_DIR]   (root: namespaces and the tmpfs; nothing outside its own namespaces)
# BENCH_GATE_BUDGETS=FILE reads another budget file (default benchmarks/budgets.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
budgets=${BENCH_GATE_BUDGETS:-$root/benchmarks/budgets.json}
[ "$(id -u)" = 0 ] || { echo "bench-gate: needs root (namespaces, tmpfs)" >&2; exit 1; }
for tool in valgrind jq; do
  command -v "$tool" >/dev/null || { echo "bench-gate: needs $tool (make deps)" >&2; exit 1; }
done

export SIMNET_PREFIX=${SIMNET_PREFIX:-azgate-$$} SIMNET_WIRESERVER=0 SIMNET_SECONDARIES=4
export SIMNET_DIR=/run/$SIMNET_PREFIX AZURE_CNI_BIN_DIR=$bin
node=$SIMNET_PREFIX-node-1
pod=$SIMNET_PREFIX-pod
work=$(mktemp -d)
mkdir -p "$work/run"
mount -t tmpfs -o size=16m tmpfs "$work/run"
cleanup() {
  ip netns del "$pod" 2>/dev/null || true
  "$root/scripts/simnet.sh" down >/dev/null 2>&1 || true
  umount "$work/run" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Instructions of one call: callgrind's "Collected" total. Exit code 0 required (a failing call is not a figure).
# measure NAME STDIN PREFIX... : PREFIX runs valgrind (env -i and the call's variables: every variable in a
# process's environment costs the runtime's start-up ~1 K instructions, so the caller's shell must not count).
declare -A measured=()
measure() {
  local name=$1 stdin=$2; shift 2
  local out=$work/${name// /_}
  if ! "$@" valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$out.vg" \
      "${program:?}" < "$stdin" > "$out.stdout" 2> "$out.stderr"; then
    echo "bench-gate: $name failed:" >&2; cat "$out.stdout" "$out.stderr" >&2; exit 1
  fi
  measured[$name]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out.vg")
  [ -n "${measured[$name]}" ] || { echo "bench-gate: no instruction count for $name:" >&2; cat "$out.vg" >&2; exit 1; }
}

echo '{"cniVersion":"1.1.0"}' > "$work/version.json"
clean_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)
program=$bin/azure-vnet measure "azure-vnet VERSION" "$work/version.json" "${clean_env[@]}" CNI_COMMAND=VERSION
program=$bin/azure-vnet-ipam measure "azure-vnet-ipam VERSION" "$work/version.json" "${clean_env[@]}" CNI_COMMAND=VERSION

# IPAM from a file source, as scripts/bench-coldstart.sh runs it.
cat > "$work/interfaces.json" <<JSON
{"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[
 {"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false}]}]}]}
JSON
printf '{"cniVersion":"1.1.0","name":"gate","type":"bridge","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"%s"}}\n' \
  "$work/interfaces.json" > "$work/ipam.json"
ipam_env=("${clean_env[@]}" CNI_CONTAINERID=gate1 CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH="$bin"
  AZURE_CNI_STATE_DIR="$work/run/state" AZURE_CNI_LOG_DIR="$work/run")
program=$bin/azure-vnet-ipam measure "azure-vnet-ipam ADD" "$work/ipam.json" "${ipam_env[@]}" CNI_COMMAND=ADD
program=$bin/azure-vnet-ipam measure "azure-vnet-ipam DEL" "$work/ipam.json" "${ipam_env[@]}" CNI_COMMAND=DEL

# azure-vnet in one simulated node, its IPAM in process from the node's file source.
"$root/scripts/simnet.sh" up 1 >/dev/null
printf '{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","mode":"transparent","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"%s"}}\n' \
  "$SIMNET_DIR/node-1/interfaces.json" > "$work/vnet.json"
# The pod's namespace made where a runtime makes it (the machine's /run/netns), named after the prefix.
ip netns add "$pod"
vnet_env=(ip netns exec "$node" "${clean_env[@]}" CNI_CONTAINERID=gate2 CNI_NETNS=/var/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH="$bin"
  AZURE_CNI_STATE_DIR="$work/run/node" AZURE_CNI_LOG_DIR="$work/run")
program=$bin/azure-vnet measure "azure-vnet ADD" "$work/vnet.json" "${vnet_env[@]}" CNI_COMMAND=ADD
program=$bin/azure-vnet measure "azure-vnet CHECK" "$work/vnet.json" "${vnet_env[@]}" CNI_COMMAND=CHECK
program=$bin/azure-vnet measure "azure-vnet DEL" "$work/vnet.json" "${vnet_env[@]}" CNI_COMMAND=DEL
program=$bin/azure-vnet measure "azure-vnet STATUS" "$work/vnet.json" "${vnet_env[@]}" CNI_COMMAND=STATUS

tolerance=$(jq -r '.tolerance' "$budgets")
printf '%-26s %12s %12s %8s  %s\n' call measured budget ratio verdict
failed=0
while IFS=$'\t' read -r name budget; do
  m=${measured[$name]:-}
  [ -n "$m" ] || { echo "bench-gate: $budgets names '$name', which this script does not measure" >&2; exit 1; }
  verdict=$(awk -v m="$m" -v b="$budget" -v t="$tolerance" 'BEGIN { r = m / b; printf "%.3f %s", r, (r > 1 + t ? "OVER" : "ok") }')
  printf '%-26s %12s %12s %8s  %s\n' "$name" "$m" "$budget" ${verdict}
  [[ $verdict != *OVER ]] || failed=1
done < <(jq -r '.budgets | to_entries[] | "\(.key)\t\(.value)"' "$budgets")
if [ "$failed" = 1 ]; then
  echo "bench-gate: FAILED: a call is more than $(awk -v t="$tolerance" 'BEGIN { print t * 100 }') % over its budget ($budgets)" >&2
  exit 1
fi
echo "bench-gate: every call within its budget (+$(awk -v t="$tolerance" 'BEGIN { print t * 100 }') %)"
