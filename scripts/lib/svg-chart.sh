#!/usr/bin/env bash
# Draws a benchmark table as an SVG, offline: one horizontal bar per command (its median), a whisker from p10 to
# p90, and the median and the ratio to the table's first line written beside it.
# Input on stdin: the table spawnbench prints ("command median_us p10_us p90_us ratio failed", a header line, then
# one line per command whose label may hold spaces); several tables may follow each other (each header starts a
# new group). Usage: scripts/lib/svg-chart.sh TITLE OUT.svg < table
set -euo pipefail
title=$1 out=$2
awk -v title="$title" '
  function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
  $1 == "command" && $2 == "median_us" { group++; next }
  NF >= 6 && $(NF-4) ~ /^[0-9.]+$/ && $(NF-1) ~ /^[0-9.]+$/ {
    n++; label = $1; for (i = 2; i <= NF - 5; i++) label = label " " $i
    lab[n] = label; med[n] = $(NF-4); p10[n] = $(NF-3); p90[n] = $(NF-2); ratio[n] = $(NF-1); grp[n] = group
    if (p90[n] > max) max = p90[n]
  }
  END {
    if (n == 0) { print "svg-chart: no table rows on stdin" > "/dev/stderr"; exit 1 }
    left = 230; width = 460; row = 26; top = 40; gap = 0
    for (i = 2; i <= n; i++) if (grp[i] != grp[i-1]) gap += 14
    height = top + n * row + gap + 30
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", left + width + 170, height
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", esc(title)
    y = top
    for (i = 1; i <= n; i++) {
      if (i > 1 && grp[i] != grp[i-1]) y += 14
      ours = lab[i] ~ /azure/
      w = med[i] / max * width; x10 = left + p10[i] / max * width; x90 = left + p90[i] / max * width
      printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8, y + 15, esc(lab[i])
      printf "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>\n", left, y + 3, w, ours ? "#2b6cb0" : "#a0aec0"
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n", x10, y + 11, x90, y + 11
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n", x10, y + 6, x10, y + 16, x90, y + 6, x90, y + 16
      printf "<text x=\"%.1f\" y=\"%d\">%.2f ms (x%.2f)</text>\n", left + width + 8, y + 15, med[i] / 1000, ratio[i]
      y += row
    }
    printf "<text x=\"%d\" y=\"%d\" fill=\"#4a5568\">bar: median; whisker: p10 to p90; (xN): median of per-round ratios to the first line of its table</text>\n", 10, height - 10
    print "</svg>"
  }' > "$out"
