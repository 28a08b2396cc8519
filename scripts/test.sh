#!/usr/bin/env bash
# Sets up, builds and runs every test suite: the layout rules, the cmocka
# unit tests (Release build, and the sanitizer build with the
# allocation-failure test), the bad-input matrix, the kill test of the
# output folder, the fuzz targets, the golden outputs of the bundled
# examples and the Cucumber acceptance features against the CLI (both
# builds), the report's in a headless chromium, the Python binding (pytest),
# every example of the documentation, and the installed library
# (cmake --install, a program built on it with pkg-config). Ends with one line
# "N passed, N failed" over all of them; exits non-zero when anything
# failed. Each suite's time follows its line.
#   scripts/test.sh          the suite of every change (under 5 minutes on
#                            2 cores): the allocation-failure test fails the
#                            first two allocations of every call stack, the
#                            fuzz targets run 3 s each from a fixed seed
#   scripts/test.sh --full   the same with every allocation failed one by
#                            one and 60 s of fuzzing per target
set -uo pipefail
cd "$(dirname "$0")/.."
full=0
[ "${1:-}" = "--full" ] && full=1
fuzz_seconds=3
if [ "$full" = 1 ]; then
  export TAPSCALE_ALLOC_FULL=1
  fuzz_seconds=60
fi
t_setup=$SECONDS
scripts/setup.sh --tests || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

echo "setup and builds: $((SECONDS - t_setup)) s"
passed=0
failed=0
log=$(mktemp)

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"
run_unit() {
  local dir=$1 label=$2
  for t in "$dir"/tests/unit/test_*; do
    [ -x "$t" ] || continue
    local t0=$SECONDS
    "$t" >"$log" 2>&1
    local rc=$?
    local p f
    # a binary may run several groups: sum their summary lines
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or sanitizer report
    if [ "$f" -ne 0 ]; then cat "$log"; fi
    echo "$label $(basename "$t"): $p passed, $f failed ($((SECONDS - t0)) s)"
    passed=$((passed + p))
    failed=$((failed + f))
  done
}

# A suite that ends with its own "N passed, N failed" line.
run_counted() {
  local label=$1
  shift
  local t0=$SECONDS
  "$@" >"$log" 2>&1
  local rc=$?
  local line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
  p=${p:-0}
  f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  echo "$label: $p passed, $f failed ($((SECONDS - t0)) s)"
  passed=$((passed + p))
  failed=$((failed + f))
}

run_counted layout node tests/layout/check_layout.js build
# a policy added by its file and its registry row, found everywhere
run_counted extra-policy tests/extra_policy/check.sh build
# cmake --install, and a program built on the installed library with pkg-config
run_counted install tests/install/check.sh build
run_unit build unit
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_unit build-asan unit-sanitized

# Cucumber prints "N scenarios (X failed, Y passed)"; the features run
# against the Release binary and again against the sanitizer build.
run_bdd() {
  local bin=$1 label=$2
  local t0=$SECONDS
  ASAN_OPTIONS=detect_leaks=1 TAPSCALE_BIN="$bin" npx cucumber-js --parallel 2 >"$log" 2>&1
  local rc=$?
  local line p total f
  line=$(grep -E '^[0-9]+ scenarios? \(' "$log" | tail -1)
  p=$(echo "$line" | sed -n 's/.*[(, ]\([0-9]*\) passed.*/\1/p')
  total=$(echo "$line" | sed -n 's/^\([0-9]*\) scenario.*/\1/p')
  p=${p:-0}
  total=${total:-0}
  f=$((total - p))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  echo "$label features: $p passed, $f failed ($((SECONDS - t0)) s)"
  passed=$((passed + p))
  failed=$((failed + f))
}

# The bad-input matrix: every settings bound and every class of bad input
# through the CLI (exit 2, the exact message, the output folder untouched).
run_counted badinput node tests/badinput/matrix.js build/tapscale
ASAN_OPTIONS=detect_leaks=1 run_counted badinput-sanitized node tests/badinput/matrix.js build-asan/tapscale
# The output folder under kills at every commit point, random kills and a
# full disk (the sanitizer build has the kill points).
run_counted kill tests/kill/kill_test.sh build-asan/tapscale build/tapscale
# The libFuzzer targets, 3 s each (60 with --full) from a fixed seed
# (scripts/fuzz.sh SECONDS without FUZZ_SEED explores anew).
FUZZ_SEED=1 run_counted fuzz scripts/fuzz.sh "$fuzz_seconds"
run_counted golden scripts/golden.sh build/tapscale
run_counted golden-sanitized scripts/golden.sh build-asan/tapscale
# The Python binding (build/python) with pytest, against the CLI's files.
run_pytest() {
  local t0=$SECONDS
  TAPSCALE_BIN="$PWD/build/tapscale" PYTHONPATH="$PWD/build/python" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider python/tests >"$log" 2>&1
  local rc=$?
  local line p f e
  line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)' "$log" | tail -1)
  p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
  f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  e=$(echo "$line" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
  p=${p:-0}
  f=$(( ${f:-0} + ${e:-0} ))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  echo "python: $p passed, $f failed ($((SECONDS - t0)) s)"
  passed=$((passed + p))
  failed=$((failed + f))
}
run_pytest
# Every example of README.md and docs/ run, its shown output compared.
run_counted docs node tests/docs/check_examples.js build
run_bdd "$PWD/build/tapscale" bdd
run_bdd "$PWD/build-asan/tapscale" bdd-sanitized
rm -f "$log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
