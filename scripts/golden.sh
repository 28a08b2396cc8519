#!/usr/bin/env bash
# Golden outputs of the bundled examples (tests/golden/cases.txt): runs each
# case with the given tapscale binary and compares its output folder and
# stdout and stderr with tests/golden/NAME/ byte for byte. The version string in the
# summaries is the one thing masked. Prints one line per case and ends with
# "N passed, N failed".
#   scripts/golden.sh [BIN]            check (default BIN: build/tapscale)
#   scripts/golden.sh --update [BIN]   rewrite the expected outputs
set -uo pipefail
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
BIN=$(realpath "${1:-build/tapscale}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# The version is masked so that a release does not rewrite every golden.
mask() { sed -E 's/("version": ?)"[^"]*"/\1"VERSION"/; s/\(tapscale [0-9][^,]*, seed/(tapscale VERSION, seed/'; }

while IFS='|' read -r name args; do
  name=$(echo "$name" | sed 's/^ *//; s/ *$//')
  [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
  out="$work/$name"
  mkdir -p "$out"
  args=${args//EXAMPLES/examples}
  ln -s "$PWD/examples" "$out/examples"   # paths in the outputs stay relative
  args=${args//OUT/files}
  mkdir -p "$out/files"
  # run inside the case's folder, so the output paths printed are relative
  # shellcheck disable=SC2086
  (cd "$out" && "$BIN" $args >"$out/stdout" 2>"$out/stderr")
  echo "exit $?" >>"$out/stdout"
  for f in "$out"/files/consolidated_summary.json "$out"/files/consolidated_summary.md "$out"/files/report.html; do
    [ -f "$f" ] && { mask <"$f" >"$f.m"; mv "$f.m" "$f"; }
  done
  # report.html: the data and the page; the inline uPlot, script and style
  # are the same in every report, and the what-if's module is the build's
  # (the browser features check them)
  if [ -f "$out/files/report.html" ]; then
    awk '/^<script type="application\/octet-stream" id="tapscale-wasm">/ {next}
         /^<style>$/ {print "<style>(inline style)"; skip = 1; next}
         /^<script>$/ {print "<script>(inline script)"; skip = 1; next}
         skip && /^<\/(style|script)>/ {skip = 0}
         !skip {print}' "$out/files/report.html" >"$out/files/report.html.m" &&
      mv "$out/files/report.html.m" "$out/files/report.html"
  fi
  # SHA256SUMS lists the summaries' real sums: keep the names only
  [ -f "$out/files/SHA256SUMS" ] && awk '{print $2}' "$out/files/SHA256SUMS" >"$out/files/SHA256SUMS.names" && rm "$out/files/SHA256SUMS"
  want="tests/golden/$name"
  if [ "$update" = 1 ]; then
    rm -rf "$want"
    mkdir -p "$want"
    cp -r "$out/files" "$want/files"
    cp "$out/stdout" "$want/stdout"
    cp "$out/stderr" "$want/stderr"
    echo "golden $name: updated"
    continue
  fi
  if diff -r "$want/files" "$out/files" >"$out/diff" 2>&1 && diff "$want/stdout" "$out/stdout" >>"$out/diff" 2>&1 &&
    diff "$want/stderr" "$out/stderr" >>"$out/diff" 2>&1; then
    echo "golden $name: 1 passed, 0 failed"
    passed=$((passed + 1))
  else
    echo "golden $name: 0 passed, 1 failed"
    head -40 "$out/diff"
    failed=$((failed + 1))
  fi
done <tests/golden/cases.txt
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
