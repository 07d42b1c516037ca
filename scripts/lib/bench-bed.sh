# Sourced by the data-path benchmarks: a work dir, a state dir (on STATE_PARENT), the spawnbench timer, two simulated
# nodes (scripts/simnet.sh with the caller's SIMNET_* settings), and a trap that removes all of it, pods included.
# Sets: work, state, ipcmd. Needs: root (the repository), SIMNET_PREFIX.
bench_bed_up() { # STATE_PARENT STATE_TEMPLATE
  work=$(mktemp -d)
  state=$(mktemp -d -p "$1" "$2")
  trap bench_bed_down EXIT
  gcc -O2 -o "$work/spawnbench" "$root/benchmarks/coldstart/spawnbench.c"
  "$root/scripts/simnet.sh" up 2 >/dev/null
  ipcmd=$(command -v ip)
}

bench_bed_down() {
  for ns in $(ip netns list | awk -v p="$SIMNET_PREFIX-p" 'index($1, p) == 1 { print $1 }'); do ip netns del "$ns" 2>/dev/null || true; done
  "$root/scripts/simnet.sh" down
  rm -rf "$work" "$state"
}
