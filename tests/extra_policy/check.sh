#!/usr/bin/env bash
# Adding a policy is its file and its registry row: the tool built with
# steady.c and one more row (tests/extra_policy/CMakeLists.txt) finds the
# policy in `settings`, the policy names of messages, `tune` (its own grid),
# `compare` and the report, while the tool without the row knows nothing
# of it. Ends with "N passed, N failed".
#   tests/extra_policy/check.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}
X="$B/tests/extra_policy/tapscale-extra-policy"
T="$B/tapscale"
IN=tests/fixtures/hand
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # NAME, then a command that must succeed
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

[ -x "$X" ] || { echo "FAIL: $X not built"; echo "0 passed, 1 failed"; exit 1; }
"$X" settings >"$work/settings.md"
check "settings has the policy's section" grep -qx '`autoscaling.steady:`' "$work/settings.md"
check "settings has its key" grep -q '^| `replicas` | an integer from 0 to 1000000000 | 2 |' "$work/settings.md"
check "the tool without the row has neither" bash -c "! '$T' settings | grep -q steady"
"$X" plan --inputs "$IN" --out "$work/p" --set autoscaling.policy=stedy 2>"$work/err"
check "a misspelt policy lists it" grep -qx "tapscale: --set: autoscaling.policy is stedy (expected threshold, hpa, kpa, predictive, schedule or steady)" "$work/err"
check "tune searches its grid" "$X" tune --inputs "$IN" --out "$work/t" --policy steady --max-violation-minutes 100000 --quiet
check "tune's candidates are its grid's six settings per pool" \
  bash -c "[ \$(grep -c ',steady,' '$work/t/tune_candidates.csv') -eq 12 ]"
check "tuned_public_tap.yaml names it" grep -q 'policy: steady' "$work/t/tuned_public_tap.yaml"
check "compare runs every registered policy" "$X" compare --inputs "$IN" --out "$work/c" --quiet
check "compare has its rows" bash -c "[ \$(grep -c ',steady,' '$work/c/policy_comparison.csv') -eq 2 ]"
"$X" run --inputs "$IN" --out "$work/r" --quiet --set autoscaling.policy=steady --set autoscaling.steady.replicas=3
check "run holds the pools at its setting" bash -c "awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[\$i] = i; next}
  \$c[\"floor_replicas\"] != 3 {bad = 1} END {exit bad}' '$work/r/consolidated_kpis.csv'"
check "the report shows its field" grep -q '"steady_replicas":3' "$work/r/report.html"
check "the report names it" grep -q '"policy":"steady"' "$work/r/report.html"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
