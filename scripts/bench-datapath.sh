#!/usr/bin/env bash
# Data path, side by side in one run, inside simulated Azure nodes (scripts/simnet.sh): azure-vnet (azure-vnet-ipam
# on the simulated wireserver) against Debian's reference `bridge` + `host-local` (containernetworking-plugins).
#  1. Rounds, as a runtime calls: namespace made, ADD, DEL, namespace deleted; a new container ID and namespace every
#     round (spawnbench's {round}). spawnbench times each process (posix_spawn to exit) inside the node, in file
#     order. Transparent mode on node 1, bridge mode on node 2, each table with the reference as its first line.
#     Printed: ADD+DEL and DEL-alone medians and ratios (targets: ADD+DEL <= 0.15x, DEL <= 0.1x of the reference).
#  2. 50 pods ADDed in parallel, then DELed in parallel: wall time of each phase, per side.
#  3. STATUS (conflist at 1.1.0) and VERSION timed by spawnbench while a loop keeps 30 ADDs (then their DELs)
#     running in parallel in the same node: STATUS must never fail (code 11 or any) and stay <= 3x VERSION.
# As on a real node, where /var/run is a tmpfs, both sides keep their state on a tmpfs (a directory in /dev/shm, one
# per node, removed at the end); the pods' namespaces are made and deleted inside the private mount namespace of
# `ip netns exec` (so deleting one really ends it; the machine's mounts are untouched). Logs stay on disk.
# BENCH_STATE_ON=DIR puts both sides' state (azure-vnet's and host-local's) in a directory made under DIR instead, e.g.
# a disk (/var/tmp): as on a node whose /var/run is not a tmpfs, or a Windows node's C:\k.
# BENCH_PARTS=1 (or 12, 13; default 123) runs only those parts.
# Usage: scripts/bench-datapath.sh [BIN_DIR] [RUNS] [STATUS_RUNS]   (root; nothing outside its own namespaces)
# BASELINE_BIN=DIR adds that directory's azure-vnet (say, the previous main's) to the rounds of part 1 on the same
# nodes and state (an upgrade in place, as on a real node), as "baseline azure-vnet" lines: a change measured side
# by side with what it replaces.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
runs=${2:-200}
status_runs=${3:-200}
ref=/usr/lib/cni
base=${BASELINE_BIN:+$(cd "$BASELINE_BIN" && pwd)}
[ "$(id -u)" = 0 ] || { echo "bench-datapath: needs root (network namespaces)" >&2; exit 1; }
[ -x "$ref/bridge" ] && [ -x "$ref/host-local" ] || { echo "needs $ref/bridge and host-local (apt-get install containernetworking-plugins)" >&2; exit 1; }

export SIMNET_PREFIX=${SIMNET_PREFIX:-azbench-$$} SIMNET_SECONDARIES=60
export SIMNET_DIR=/run/$SIMNET_PREFIX AZURE_CNI_BIN_DIR=$bin   # simnet prepares the nodes with this azure-vnet
. "$root/scripts/lib/bench-bed.sh"
bench_bed_up "${BENCH_STATE_ON:-/dev/shm}" azbench.XXXXXX

# Configs: azure-vnet per mode; the reference's subnet is its own (host-local), bridge cnibench0 as gateway.
for mode in transparent bridge; do
  for v in 1.0.0 1.1.0; do
    printf '{"cniVersion":"%s","name":"azure","type":"azure-vnet","mode":"%s","ipam":{"type":"azure-vnet-ipam","environment":"azure"}}\n' \
      "$v" "$mode" > "$work/azure-$mode-$v.json"
  done
done
printf '{"cniVersion":"1.0.0","name":"reference","type":"bridge","bridge":"cnibench0","isGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.250.0.0/16"}]],"dataDir":"%s"}}\n' \
  "$state/host-local" > "$work/reference.json"
# The variables of every call on node N: each node is its own machine, with its own state.
envs() { printf 'CNI_IFNAME=eth0\tCNI_PATH=%s:%s\tAZURE_CNI_STATE_DIR=%s/node%s\tAZURE_CNI_LOG_DIR=%s' "${2:-$bin}" "$ref" "$state" "$1" "$work"; }

# One spec line per command: LABEL STDIN PROGRAM then tab-separated variables and arg:ARGUMENTs.
cni_line() { # label conf program side command node [plugin directory, default $bin]
  printf '%s\t%s\t%s\tCNI_COMMAND=%s\tCNI_CONTAINERID=bench%s{round}\tCNI_NETNS=/var/run/netns/%s-p%s{round}\t%s\n' \
    "$1" "$2" "$3" "$5" "$4" "$SIMNET_PREFIX" "$4" "$(envs "$6" "${7:-}")"
}
ns_line() { printf '%s\t/dev/null\t%s\targ:netns\targ:%s\targ:%s-p%s{round}\n' "$1" "$ipcmd" "$2" "$SIMNET_PREFIX" "$3"; }
rounds_spec() { # mode node
  ns_line "runtime: netns add (ref)" add ref
  cni_line "bridge+host-local ADD" "$work/reference.json" "$ref/bridge" ref ADD "$2"
  cni_line "bridge+host-local DEL" "$work/reference.json" "$ref/bridge" ref DEL "$2"
  ns_line "runtime: netns del (ref)" del ref
  ns_line "runtime: netns add (az)" add az
  cni_line "azure-vnet $1 ADD" "$work/azure-$1-1.0.0.json" "$bin/azure-vnet" az ADD "$2"
  cni_line "azure-vnet $1 DEL" "$work/azure-$1-1.0.0.json" "$bin/azure-vnet" az DEL "$2"
  ns_line "runtime: netns del (az)" del az
  if [ -n "$base" ]; then
    ns_line "runtime: netns add (base)" add base
    cni_line "baseline azure-vnet $1 ADD" "$work/azure-$1-1.0.0.json" "$base/azure-vnet" base ADD "$2" "$base"
    cni_line "baseline azure-vnet $1 DEL" "$work/azure-$1-1.0.0.json" "$base/azure-vnet" base DEL "$2" "$base"
    ns_line "runtime: netns del (base)" del base
  fi
  # The floor: a process of ours that only answers VERSION (start-up and exit, no state, no netlink).
  printf 'azure-vnet VERSION (floor)\t%s\t%s\tCNI_COMMAND=VERSION\t%s\n' "$work/azure-$1-1.0.0.json" "$bin/azure-vnet" "$(envs "$2")"
}

# Runs a command inside a node (in the private mount namespace of ip netns exec, where the pods' namespaces live).
in_node() { # node command args...
  local node=$1; shift
  ip netns exec "$SIMNET_PREFIX-node-$node" "$@"
}

ratios() { # table mode
  awk -v mode="$2" '
    /^bridge\+host-local ADD/ { radd = $(NF-4) } /^bridge\+host-local DEL/ { rdel = $(NF-4) }
    $0 ~ "^azure-vnet " mode " ADD" { aadd = $(NF-4) } $0 ~ "^azure-vnet " mode " DEL" { adel = $(NF-4) }
    /^azure-vnet VERSION/ { floor = $(NF-4) }
    $0 ~ "^baseline azure-vnet " mode " ADD" { badd = $(NF-4) } $0 ~ "^baseline azure-vnet " mode " DEL" { bdel = $(NF-4) }
    $NF ~ /^[0-9]+$/ && $NF != 0 { bad = 1 }
    END {
      printf "%s: ADD+DEL medians azure-vnet %.0f us, bridge+host-local %.0f us, ratio %.3f (target <= 0.15)\n", mode, aadd + adel, radd + rdel, (aadd + adel) / (radd + rdel)
      printf "%s: DEL medians azure-vnet %.0f us, bridge+host-local %.0f us, ratio %.3f (target <= 0.1)\n", mode, adel, rdel, adel / rdel
      printf "%s: floor (VERSION) %.0f us: DEL is %.2fx of it, ADD %.2fx\n", mode, floor, adel / floor, aadd / floor
      if (badd + bdel > 0) printf "%s: against the baseline build: ADD+DEL %.0f us vs %.0f us, ratio %.3f\n", mode, aadd + adel, badd + bdel, (aadd + adel) / (badd + bdel)
      if (bad) { print "some runs failed (see the failed column)"; exit 1 }
    }' "$1"
}

echo "== 1. rounds: netns add, ADD, DEL, netns del ($runs rounds each, in order; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; state on $(df --output=fstype "$state" | tail -1) $state)"
status=0
for pair in 1:transparent 2:bridge; do
  node=${pair%%:*} mode=${pair#*:}
  rounds_spec "$mode" "$node" > "$work/rounds-$mode.spec"
  echo "-- node $node, azure-vnet $mode mode"
  in_node "$node" "$work/spawnbench" -s -n "$runs" "$work/rounds-$mode.spec" | tee "$work/table-$mode"
  ratios "$work/table-$mode" "$mode" || status=1
done

# 2. 50 pods at once. Namespaces are made before and deleted after the timed phases, as a runtime has them.
cat > "$work/parallel.sh" <<'SH'
#!/usr/bin/env bash
# parallel.sh LABEL CONF PROGRAM COUNT PREFIX ENV...: ADD of COUNT pods at once, then DEL of all at once; prints ms.
label=$1 conf=$2 program=$3 count=$4 prefix=$5; shift 5
for ((i = 0; i < count; i++)); do ip netns add "$prefix$i"; done
out=$(mktemp -d)/out
phase() {
  local cmd=$1 failed=0 pids=() start end
  shift
  start=$(date +%s%N)
  for ((i = 0; i < count; i++)); do
    env "$@" CNI_COMMAND="$cmd" CNI_CONTAINERID="par$prefix$i" CNI_NETNS="/var/run/netns/$prefix$i" "$program" < "$conf" > "$out.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { failed=$((failed + 1)); first=${first:-$(head -c 400 "$out.$i")}; }; done
  end=$(date +%s%N)
  [ -z "${first:-}" ] || echo "first failure of $label $cmd: $first" >&2
  printf '%s\t%s\t%d\t%s\t%d\n' "$label" "$cmd" "$count" "$(( (end - start) / 1000 ))" "$failed"
  return "$failed"
}
rc=0
phase ADD "$@" || rc=1
phase DEL "$@" || rc=1
for ((i = 0; i < count; i++)); do ip netns del "$prefix$i"; done
exit "$rc"
SH
chmod +x "$work/parallel.sh"
IFS=$'\t' read -r -a envs1 <<<"$(envs 1)"
IFS=$'\t' read -r -a envs2 <<<"$(envs 2)"
if [[ ${BENCH_PARTS:-123} == *2* ]]; then
echo "== 2. 50 pods in parallel: ADD of all, then DEL of all (wall time of each phase)"
{
  in_node 1 "$work/parallel.sh" "bridge+host-local" "$work/reference.json" "$ref/bridge" 50 "$SIMNET_PREFIX-pr" "${envs1[@]}"
  in_node 1 "$work/parallel.sh" "azure-vnet transparent" "$work/azure-transparent-1.0.0.json" "$bin/azure-vnet" 50 "$SIMNET_PREFIX-pt" "${envs1[@]}"
  in_node 2 "$work/parallel.sh" "azure-vnet bridge" "$work/azure-bridge-1.0.0.json" "$bin/azure-vnet" 50 "$SIMNET_PREFIX-pb" "${envs2[@]}"
} > "$work/parallel" || status=1
awk -F'\t' '{ printf "%-24s %s of %d pods: %8.1f ms wall, failed %d\n", $1, $2, $3, $4 / 1000, $5; ms[$1 "/" $2] = $4; if ($5 != 0) bad = 1 }
  END {
    for (p = 0; p < 2; p++) { cmd = p ? "DEL" : "ADD"; r = ms["bridge+host-local/" cmd]
      printf "parallel %s: azure-vnet transparent %.2fx, bridge %.2fx of bridge+host-local\n", cmd, ms["azure-vnet transparent/" cmd] / r, ms["azure-vnet bridge/" cmd] / r }
    if (bad) exit 1
  }' "$work/parallel" || status=1
fi

# 3. STATUS under load: a loop of 30 parallel ADDs then their DELs keeps the state lock busy meanwhile.
cat > "$work/load.sh" <<'SH'
#!/usr/bin/env bash
# load.sh STOPFILE CONF PROGRAM PREFIX ENV...: until STOPFILE exists, 30 ADDs at once, then their 30 DELs.
stop=$1 conf=$2 program=$3 prefix=$4; shift 4
for ((i = 0; i < 30; i++)); do ip netns add "$prefix$i"; done
n=0
while [ ! -e "$stop" ]; do
  for cmd in ADD DEL; do
    for ((i = 0; i < 30; i++)); do
      env "$@" CNI_COMMAND=$cmd CNI_CONTAINERID="load$n-$i" CNI_NETNS="/var/run/netns/$prefix$i" "$program" < "$conf" > /dev/null 2>&1 &
    done
    wait
  done
  n=$((n + 1))
done
for ((i = 0; i < 30; i++)); do ip netns del "$prefix$i"; done
echo "load: $n rounds of 30 ADDs + 30 DELs ran meanwhile"
SH
cat > "$work/status.sh" <<'SH'
#!/usr/bin/env bash
# status.sh SPAWNBENCH RUNS SPEC LOAD...: spawnbench's table while the load runs in the background.
spawnbench=$1 runs=$2 spec=$3; shift 3
stop=$(mktemp -u)
"$1" "$stop" "${@:2}" &
load=$!
sleep 1
"$spawnbench" -n "$runs" "$spec"
touch "$stop"; wait "$load"; rm -f "$stop"
SH
chmod +x "$work/load.sh" "$work/status.sh"
if [[ ${BENCH_PARTS:-123} == *3* ]]; then
{
  printf 'azure-vnet VERSION\t%s\t%s\tCNI_COMMAND=VERSION\t%s\n' "$work/azure-transparent-1.1.0.json" "$bin/azure-vnet" "$(envs 1)"
  printf 'azure-vnet STATUS\t%s\t%s\tCNI_COMMAND=STATUS\t%s\n' "$work/azure-transparent-1.1.0.json" "$bin/azure-vnet" "$(envs 1)"
} > "$work/status.spec"
echo "== 3. STATUS and VERSION ($status_runs rounds, shuffled) while 30 ADDs, then their DELs, run in parallel in the node"
in_node 1 "$work/status.sh" "$work/spawnbench" "$status_runs" "$work/status.spec" \
  "$work/load.sh" "$work/azure-transparent-1.0.0.json" "$bin/azure-vnet" "$SIMNET_PREFIX-pl" "${envs1[@]}" | tee "$work/table-status"
awk '/^azure-vnet VERSION/ { v = $(NF-4) } /^azure-vnet STATUS/ { s = $(NF-4); r = $(NF-1); f = $NF }
  END { printf "STATUS median %.0f us, VERSION median %.0f us, ratio %.2f (median of per-round ratios %.2f; target <= 3), STATUS failures %d (target 0)\n", s, v, s / v, r, f
        if (f != 0 || s > 3 * v) exit 1 }' "$work/table-status" || status=1
fi

# The run as a picture (offline, from the tables above): $BENCH_SVG, default output/bench-datapath.svg.
svg=${BENCH_SVG:-$root/output/bench-datapath.svg}; mkdir -p "$(dirname "$svg")"
cat "$work/table-transparent" "$work/table-bridge" | "$root/scripts/lib/svg-chart.sh" \
  "Data path: netns add, ADD, DEL, netns del; azure-vnet against bridge + host-local ($runs rounds)" "$svg" && echo "chart: $svg"
exit "$status"
