#!/usr/bin/env bash
# What the metrics file costs a call: azure-vnet-ipam ADD then DEL (file source, no network, no root) without
# metrics, with $AZURE_CNI_METRICS_DIR on the disk (a directory of $TMPDIR, default /tmp, as a node's
# textfile-collector directory is on its root disk) and with it on a tmpfs (/dev/shm), every round running all of
# them once, the ADD/DEL pairs in a shuffled order (benchmarks/coldstart/spawnbench.c -g 2, posix_spawn + wait4;
# a fixed order made whichever pair ran third cost ~0.1 ms more). State and log live on a tmpfs,
# as /var/run does on a node, so no state fsync hides the difference. Prints the medians of whole-process wall
# time and of CPU time (user + system), and the median over rounds of the paired difference (the metered call minus
# the plain one of the same round), which a loaded machine shifts less than a difference of medians, with its
# distribution-free 95 % interval (thousands of rounds narrow it to about +-0.03 ms on this machine).
# With BASE_BIN=<dir of other builds> the same three pairs run for those binaries too, in the same rounds.
# Usage: scripts/bench-metrics.sh [BIN_DIR] [ROUNDS]   (default output/bin, 500)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/output/bin}" && pwd)
rounds=${2:-500}
base=${BASE_BIN:+$(cd "$BASE_BIN" && pwd)}
work=$(mktemp -d)
shm=$(mktemp -d /dev/shm/bench-metrics.XXXXXX)
trap 'rm -rf "$work" "$shm"' EXIT
gcc -O2 -o "$work/spawnbench" "$root/benchmarks/coldstart/spawnbench.c"
echo '{"Interfaces":[{"MacAddress":"*","IsPrimary":true,"IPSubnets":[{"Prefix":"10.240.0.0/16","IPAddresses":[{"Address":"10.240.0.4","IsPrimary":true},{"Address":"10.240.0.5","IsPrimary":false},{"Address":"10.240.0.6","IsPrimary":false}]}]}]}' > "$work/interfaces.json"
echo '{"cniVersion":"1.0.0","name":"bench","type":"azure-vnet-ipam","ipam":{"type":"azure-vnet-ipam","environment":"fileIpam","interfacesFile":"'"$work"'/interfaces.json"}}' > "$work/conf.json"

# label-prefix binary-dir state-name [metrics-dir]: an ADD line and a DEL line, each build and variant with its own state.
pair() {
  local env="CNI_CONTAINERID=bench	CNI_NETNS=/var/run/netns/none	CNI_IFNAME=eth0	CNI_PATH=$2	AZURE_CNI_STATE_DIR=$shm/$3	AZURE_CNI_LOG_DIR=$shm/$3"
  [ -z "${4:-}" ] || { mkdir -p "$4"; env+="	AZURE_CNI_METRICS_DIR=$4"; }
  for command in ADD DEL; do
    printf '%s %s\t%s\t%s\tCNI_COMMAND=%s\t%s\n' "$1" "$command" "$work/conf.json" "$2/azure-vnet-ipam" "$command" "$env"
  done
}
{
  pair "plain" "$bin" off
  pair "metrics on disk" "$bin" disk "$work/metrics"
  pair "metrics on tmpfs" "$bin" tmpfs "$shm/metrics"
  if [ -n "$base" ]; then
    pair "base plain" "$base" base-off
    pair "base on disk" "$base" base-disk "$work/base-metrics"
    pair "base on tmpfs" "$base" base-tmpfs "$shm/base-metrics"
  fi
} > "$work/spec"

echo "== azure-vnet-ipam ADD and DEL, $rounds rounds, pairs shuffled; $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   metrics on disk: $(df --output=fstype "$work" | tail -1) ($work); on tmpfs: $shm"
"$work/spawnbench" -g 2 -n "$rounds" -r "$work/raw" "$work/spec"
echo
# Columns of the raw file: the wall time of each spec line, then the CPU time of each.
awk -F'\t' -v lines="$(wc -l < "$work/spec")" -v labels="$(cut -f1 "$work/spec" | paste -sd'|')" '
  # Heapsort of a[1..n]: mawk has no asort, an insertion sort is quadratic in thousands of rounds, and a recursive
  # quicksort overflows the stack of mawk on the many equal microsecond values.
  function sift(a, i, n,   c, t) {
    while ((c = 2 * i) <= n) {
      if (c < n && a[c + 1] > a[c]) c++
      if (a[i] >= a[c]) return
      t = a[i]; a[i] = a[c]; a[c] = t; i = c
    }
  }
  function hsort(a, n,   i, t) {
    for (i = int(n / 2); i >= 1; i--) sift(a, i, n)
    for (i = n; i > 1; i--) { t = a[1]; a[1] = a[i]; a[i] = t; sift(a, 1, i - 1) }
  }
  function median(a, n) { hsort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  # After median() sorted a: the distribution-free 95 % interval of the median, the order statistics
  # n/2 -+ 0.98 sqrt(n) (the sign test), which needs no assumption about the noise.
  function lower(a, n,   j) { j = int(n / 2 - 0.98 * sqrt(n)); return a[j < 1 ? 1 : j] }
  function upper(a, n,   k) { k = int(n / 2 + 1 + 0.98 * sqrt(n) + 0.999); return a[k > n ? n : k] }
  { for (c = 1; c <= 2 * lines; c++) v[c, NR] = $c }
  END {
    n = split(labels, label, "|")
    printf "%-26s %9s %9s %9s %17s %9s %9s %9s\n", "command (ms)", "wall", "cost", "paired", "paired 95% CI", "cpu", "cost", "paired"
    for (i = 1; i <= n; i++) {
      # Each variant against the plain line of the same build and command (lines 1-2, or 7-8 for the base).
      p = (i > 6 ? 6 : 0) + ((i - 1) % 2) + 1
      for (k = 0; k <= lines; k += lines) {
        for (r = 1; r <= NR; r++) { x[r] = v[k + i, r]; y[r] = v[k + p, r]; d[r] = x[r] - y[r] }
        m[k] = median(x, NR); cost[k] = m[k] - median(y, NR); pd[k] = median(d, NR); lo[k] = lower(d, NR); hi[k] = upper(d, NR)
      }
      if (i == p) printf "%-26s %9.3f %9s %9s %17s %9.3f %9s %9s\n", label[i], m[0] / 1000, "", "", "", m[lines] / 1000, "", ""
      else printf "%-26s %9.3f %+9.3f %+9.3f  [%+6.3f, %+6.3f] %9.3f %+9.3f %+9.3f\n", label[i], m[0] / 1000, cost[0] / 1000, pd[0] / 1000, lo[0] / 1000, hi[0] / 1000, m[lines] / 1000, cost[lines] / 1000, pd[lines] / 1000
    }
  }' "$work/raw"
echo "(cost: difference of the medians; paired: median over rounds of the difference within a round, with its 95 % confidence interval; $(grep -c '^azure_cni_calls_total' "$work/metrics/azure-vnet-ipam.prom") call series in the metrics file)"
