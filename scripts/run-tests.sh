#!/usr/bin/env bash
# Runs every test project of the solution and ends with one summary line, "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test AzureCni.sln -c Release -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# dotnet test prints one line per project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
awk '/(Passed|Failed)! +- Failed:/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:")  { f += $(i+1) }
            if ($i == "Passed:")  { p += $(i+1) }
            if ($i == "Skipped:") { s += $(i+1) }
        }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
