#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan and UBSan) in
# build-fuzz/ and runs each for SECONDS (default 60) on its corpus,
# seeded from the bundled examples and test fixtures. A crash, a sanitizer
# report, a leak or a timeout is a finding: its input is kept in
# build-fuzz/findings/TARGET/ and the target fails. Ends with
# "N passed, N failed" (one per target).
#   scripts/fuzz.sh [SECONDS]
# FUZZ_SEED=N fixes libFuzzer's random seed: from the same seeds the same
# inputs are tried in the same order (the test suite uses 1, so that its
# verdict depends on the code, not on chance).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
jobs=$(nproc 2>/dev/null || echo 2)
if ! command -v clang >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y clang >/dev/null
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAPSCALE_FUZZ=ON \
  -DTAPSCALE_SANITIZE=ON -DTAPSCALE_TESTS=OFF -DTAPSCALE_BENCH=OFF -DTAPSCALE_SHARED=OFF >/dev/null &&
  cmake --build build-fuzz -j"$jobs" >build-fuzz.log 2>&1 || { cat build-fuzz.log; echo "0 passed, 1 failed"; exit 1; }
rm -f build-fuzz.log

# seeds: every example and fixture file of the target's kind
seed() {
  local target=$1
  shift
  local dir=build-fuzz/corpus/$target
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && head -c 60000 "$f" >"$dir/seed-$(echo "$f" | tr '/' '_')"; done
}
seed public_tap examples/*/operator/public_tap.yaml tests/fixtures/*/operator/public_tap.yaml
seed demand examples/*/operator/demand.yaml tests/fixtures/*/operator/demand.yaml
seed facts examples/*/facts/tps_model_gpu.csv tests/fixtures/*/facts/tps_model_gpu.csv
seed prices examples/*/operator/curated_gpu.csv tests/fixtures/*/operator/curated_gpu.csv
seed series examples/azure/operator/azure_*.csv examples/servegen/operator/servegen_*.csv
seed simulation examples/*/simulation.yaml
seed manifest tests/fixtures/manifests/*.yaml
seed benchmark tests/fixtures/latency/facts/latency/*.json
# trace seeds: the first byte picks the format (fuzz/fuzz_trace.c)
mkdir -p build-fuzz/corpus/trace
i=0
for pair in "0:examples/traces/AzureLLMInferenceTrace_code.csv" "1:tests/fixtures/traces/servegen_10min.csv" \
  "2:tests/fixtures/traces/mooncake.jsonl" "3:tests/fixtures/traces/burstgpt.csv" "4:tests/fixtures/traces/requests.csv" \
  "5:tests/fixtures/traces/requests.jsonl" "6:tests/fixtures/traces/prometheus_rate.json" \
  "13:tests/fixtures/traces/prometheus_counter.json"; do
  b=${pair%%:*} f=${pair#*:}
  [ -f "$f" ] || continue
  { printf "\\$(printf '%03o' "$b")"; head -c 20000 "$f"; } >"build-fuzz/corpus/trace/seed-$i"
  i=$((i + 1))
done

passed=0 failed=0
# Runs target $1 for $secs seconds; its exit code is left in its .rc file.
fuzz_one() {
  local t=$1
  mkdir -p "build-fuzz/findings/$t"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz/fuzz_$t" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -max_total_time="$secs" -timeout=30 -rss_limit_mb=8192 -max_len=65536 \
    -artifact_prefix="build-fuzz/findings/$t/" -print_final_stats=1 "build-fuzz/corpus/$t" \
    >"build-fuzz/fuzz_$t.log" 2>&1
  echo $? >"build-fuzz/fuzz_$t.rc"
}

# one target per core at a time; each keeps its own seed, corpus and log,
# so the verdicts are those of a run one by one
targets=(public_tap demand facts prices series simulation manifest trace benchmark)
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  for t in "${targets[@]:i:jobs}"; do fuzz_one "$t" & done
  wait
done
for t in "${targets[@]}"; do
  rc=$(cat "build-fuzz/fuzz_$t.rc")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/fuzz_$t.log")
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} inputs in ${secs} s, no finding: 1 passed, 0 failed"
    passed=$((passed + 1))
  else
    echo "fuzz $t: a finding (build-fuzz/findings/$t/): 0 passed, 1 failed"
    grep -E "ERROR|SUMMARY|runtime error" "build-fuzz/fuzz_$t.log" | head -10
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
