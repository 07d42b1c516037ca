#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of untrusted bytes (`make fuzz`): builds tests/AzureCni.Fuzz, instruments
# the product assemblies with SharpFuzz (the local dotnet tool of .config/dotnet-tools.json), and runs afl-fuzz on each
# target for FUZZ_SECONDS, seeded with tests/AzureCni.Fuzz/corpus/<target>. Prints per target the executions, the
# corpus and edges reached, crashes and hangs; exits 1 when any target found a crash or a hang. The findings stay in
# output/fuzz/<target> (crashes/ and hangs/ hold the inputs: replay one with
# `dotnet output/fuzz/bin/AzureCni.Fuzz.dll <target> <file>`; commit it under tests/AzureCni.Fuzz/crashes/<target>/).
# Environment: FUZZ_SECONDS (per target, default 600), FUZZ_TARGETS (space-separated names, default all),
# FUZZ_TIMEOUT_MS (afl-fuzz -t, one input; default 2000), FUZZ_JOBS (targets at a time, default 1), FUZZ_OUTPUT
# (default output/fuzz), FUZZ_NICE (default 19).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
timeout_ms=${FUZZ_TIMEOUT_MS:-2000}
nice_level=${FUZZ_NICE:-19}
jobs=${FUZZ_JOBS:-1}
out=${FUZZ_OUTPUT:-$PWD/output/fuzz}
corpus=$PWD/tests/AzureCni.Fuzz/corpus

command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (Debian package afl++; make deps installs it)" >&2; exit 1; }

# A fresh copy for each run: sharpfuzz instruments in place and refuses an assembly it already instrumented.
dotnet tool restore >/dev/null
rm -rf "$out/build" "$out/bin"
dotnet build tests/AzureCni.Fuzz -c Release -nologo -v q -warnaserror -o "$out/build" >/dev/null
cp -r "$out/build" "$out/bin"
for assembly in AzureCni.Json AzureCni.Cni AzureCni.Ipam AzureCni.Vnet AzureCni.Netlink AzureCni.Hns; do
  dotnet tool run sharpfuzz "$out/bin/$assembly.dll" >/dev/null
done
harness="$out/bin/AzureCni.Fuzz.dll"

targets=${FUZZ_TARGETS:-$(ls "$corpus")}

# The harness is a .NET process, not an AFL-compiled binary; the VM's CPU governor and core pinning are not ours to set.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1
# One target: afl-fuzz for the given seconds (-V), its exit code not the verdict: the stats are.
fuzz_target() {
  local target=$1 findings=$out/$1
  rm -rf "$findings"
  nice -n "$nice_level" afl-fuzz -i "$corpus/$target" -o "$findings" -t "$timeout_ms" -V "$seconds" \
    -- dotnet "$harness" "$target" >"$out/$target.log" 2>&1 || true
}

for target in $targets; do
  [ -d "$corpus/$target" ] || { echo "fuzz: no target $target (corpora: $(ls "$corpus" | tr '\n' ' '))" >&2; exit 2; }
done
# FUZZ_JOBS targets at a time (the harness is single-threaded).
for target in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_target "$target" &
done
wait

failed=()
printf '%-16s %8s %10s %8s %7s %6s %8s %6s\n' target seconds execs execs/s corpus edges crashes hangs
for target in $targets; do
  stats=$out/$target/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "fuzz: afl-fuzz did not start for $target; its output ($out/$target.log):" >&2
    tail -20 "$out/$target.log" >&2
    failed+=("$target")
    continue
  fi
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  printf '%-16s %8s %10s %8s %7s %6s %8s %6s\n' "$target" "$(stat run_time)" "$(stat execs_done)" \
    "$(stat execs_per_sec)" "$(stat corpus_count)" "$(stat edges_found)" "$(stat saved_crashes)" "$(stat saved_hangs)"
  if [ "$(stat saved_crashes)" != 0 ] || [ "$(stat saved_hangs)" != 0 ]; then
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (inputs under $out/<target>/default/crashes and hangs)" >&2
  exit 1
fi
echo "fuzz: no crash, no hang"
