#!/usr/bin/env bash
# Runs every test project of the solution and ends with the failed tests' names and first lines of their
# messages (a CI log keeps only its tail), then one summary line, "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test AzureCni.sln -c Release -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# Each project ends with "Total tests: N" followed by "Passed: N", "Failed: N", "Skipped: N" lines
# (only the non-zero ones); the minimal verbosity form is "Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...".
# The console logger's per-test block: "  Failed <name> [time]", "  Error Message:", the message lines.
awk '/^  Failed [A-Za-z]/                { name = $0; sub(/^  Failed /, "", name); printf "FAILED %s\n", name; grab = 4; next }
     grab > 0 && /^  (Error Message|Stack Trace):/ { if ($0 ~ /Stack Trace/) grab = 0; next }
     grab > 0                           { printf "    %s\n", substr($0, 1, 300); grab--; }' "$log"
awk '/^Total tests: [0-9]+/        { in_summary = 1; next }
     in_summary && /^ +Passed: [0-9]+$/  { p += $2; next }
     in_summary && /^ +Failed: [0-9]+$/  { f += $2; next }
     in_summary && /^ +Skipped: [0-9]+$/ { s += $2; next }
     /(Passed|Failed)! +- Failed:/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:")  { f += $(i+1) }
            if ($i == "Passed:")  { p += $(i+1) }
            if ($i == "Skipped:") { s += $(i+1) }
        }
     }
     { in_summary = in_summary && /^ +[A-Za-z ]+: /; }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
