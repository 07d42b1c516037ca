#!/usr/bin/env bash
# The floor under every start-up target: what a NativeAOT process costs before it does anything of ours.
# Publishes benchmarks/coldstart/aot-hello (one line written, every knob and shim of src/Plugins/Plugin.Executable.props)
# and runs it side by side with the dynamically linked C hello, both plugins' VERSION and Debian's Go bridge VERSION
# (spawnbench: shuffled rounds, medians and per-round ratios against the C hello), then counts the
# instructions of all but the Go plugin under callgrind as `make bench-gate` does (env -i, one run each).
# Usage: scripts/bench-floor.sh [BIN_DIR] [RUNS]   (after `make azure-vnet azure-vnet-ipam`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
runs=${2:-200}
ref=/usr/lib/cni
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$ref/bridge" ] || { echo "needs $ref/bridge (apt-get install containernetworking-plugins)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

dotnet publish "$root/benchmarks/coldstart/aot-hello" -c Release -nologo -v q -warnaserror -o "$work/aot" >/dev/null
# valgrind cannot read the DWARF 5 of the split symbol file; the plugins in output/bin ship without it too.
rm -f "$work/aot/aot-hello.dbg"
gcc -O2 -o "$work/spawnbench" "$root/benchmarks/coldstart/spawnbench.c"
gcc -O2 -o "$work/c-hello" "$root/benchmarks/coldstart/hello.c"
echo '{"cniVersion":"1.1.0"}' > "$work/version.json"

{
  printf 'c-hello\t%s\t%s\n' "$work/version.json" "$work/c-hello"
  printf 'NativeAOT hello (plugin settings)\t%s\t%s\n' "$work/version.json" "$work/aot/aot-hello"
  printf 'azure-vnet VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$bin/azure-vnet"
  printf 'azure-vnet-ipam VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$bin/azure-vnet-ipam"
  printf 'go bridge VERSION\t%s\t%s\tCNI_COMMAND=VERSION\n' "$work/version.json" "$ref/bridge"
} > "$work/spec"
echo "== the NativeAOT floor, wall time ($runs rounds, shuffled; $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
"$work/spawnbench" -n "$runs" "$work/spec"

echo
echo "== instructions (callgrind, env -i, one run each)"
printf '%-36s %12s %10s\n' command instructions 'x C hello'
c_hello=0
while IFS=$'\t' read -r label input program env; do
  out=$work/callgrind.out
  # shellcheck disable=SC2086 # env is one KEY=VALUE or empty
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $env valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$program" < "$input" > /dev/null 2> "$work/valgrind.log" || { cat "$work/valgrind.log" >&2; exit 1; }
  count=$(sed -n 's/^summary: //p' "$out")
  [ "$c_hello" != 0 ] || c_hello=$count
  printf '%-36s %12s %10s\n' "$label" "$count" "$(awk -v a="$count" -v b="$c_hello" 'BEGIN { printf "%.2f", a / b }')"
# Not the Go plugin: its runtime dies of SIGILL under valgrind, so its count would be partial.
done < <(grep -v '^go ' "$work/spec")
