#!/usr/bin/env bash
# Benchmarks (never part of the tests): builds Release, then measures
#  1. the kernel: simulated steps per second on one core (median of runs);
#     demand shapes (hourly, held, minute, bursty, a tiled trace, a long
#     warm-up) with the kernel beside the plain loop and a plain C loop;
#     the HPA and KPA beside the threshold policy,
#  2. the CLI: `tapscale run` on a generated fleet, wall time and peak RSS
#     (median of REPS runs), with and without the events file, 1 and 2 threads,
#  3. scaling over pools (1..1000) and horizons (week, month, year),
#  4. what report.html and the rollup add to a run, against the same run
#     without them,
#  5. tune, loading a minute series (beside awk on the same file, on one
#     thread and two), a 1,000-pool month of minute data end to end (wall
#     time and peak RSS), and the number formatter,
#  6. advise against run, the report's what-if in chromium against the
#     same call built natively, and a run with latency profiles and an SLO
#     against the same run without.
# Prints markdown tables. REPS (default 5) sets the CLI repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
REPS=${REPS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
B=build/tapscale

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo
echo "### Kernel (threshold policy, one core, KPIs included)"
echo
echo "| pools | days | steps | median s | steps/s | ns/step |"
echo "|---:|---:|---:|---:|---:|---:|"
for spec in "1 7" "1 30" "1 365" "10 30" "100 30" "1000 7" "1000 30" "1000 365"; do
  set -- $spec
  reps=11
  [ "$1" = 1000 ] && [ "$2" = 365 ] && reps=3
  build/bench/bench_kernel --pools "$1" --days "$2" --reps "$reps" |
    sed -E 's/.*steps=([0-9]+).*median_s=([0-9.]+) steps_per_s=([0-9.e+]+) ns_per_step=([0-9.]+)/\1 \2 \3 \4/' |
    awk -v p="$1" -v d="$2" '{printf "| %s | %s | %s | %s | %.3g | %s |\n", p, d, $1, $2, $3, $4}'
done

echo
# bench_kernel lines -> "ns events p95" per line, in order
fields() {
  sed -E 's/.* events=([0-9]+) p95=([0-9.]+) .*ns_per_step=([0-9.]+)/\3 \1 \2/'
}
trace=examples/azure/operator/azure_code.csv

echo "### Demand shapes: the threshold policy, its kernel beside the plain loops (one core, 1 pool x 30 days, Δ = 60 s, medians of 301, the three interleaved)"
echo
echo "The plain C loop is §5 written plainly (bench/plain_loop.c: quickselect p95); the plain loop is tapscale's ts_simulate_reference."
echo "Events and p95 are the same in all three columns (checked here: a mismatch prints MISMATCH)."
echo
echo "| shape | plain C loop ns/step | plain loop ns/step | kernel ns/step | kernel / plain C | kernel / plain |"
echo "|---|---:|---:|---:|---:|---:|"
for spec in "hourly|--shape hourly" "minute values held for the hour|--shape held" "minute, ±5 % every minute|--shape minute" \
            "bursty minute (zeros, 3x bursts)|--shape bursty" "Azure code trace tiled to a month|--shape tiled --trace $trace" \
            "minute, warm-up 600 s (10 steps)|--shape minute --warmup 600"; do
  name=${spec%%|*}
  # shellcheck disable=SC2086
  mapfile -t r < <(build/bench/bench_kernel ${spec#*|} --reps 301 --variants threshold:c,threshold:plain,threshold:kernel | fields)
  read -r c ce cp <<<"${r[0]}"
  read -r pl pe pp <<<"${r[1]}"
  read -r k ke kp <<<"${r[2]}"
  same=""
  [ "$ce $cp" = "$ke $kp" ] && [ "$pe $pp" = "$ke $kp" ] || same=" MISMATCH"
  awk -v n="$name$same" -v c="$c" -v p="$pl" -v k="$k" \
    'BEGIN {printf "| %s | %s | %s | %s | %.2f | %.2f |\n", n, c, p, k, k / c, k / p}'
done

echo
echo "### Policies: each at its own step (threshold 60 s, HPA 15 s, KPA 2 s), one core, 1 pool x 30 days, medians of 31, interleaved"
echo
echo "| demand | policy | plain loop ns/step | kernel ns/step | kernel / plain | ratio to the threshold kernel |"
echo "|---|---|---:|---:|---:|---:|"
for spec in "hourly|--shape hourly" "held|--shape held" "minute|--shape minute" \
            "minute, HPA with behavior (scale-down window 300 s)|--shape minute --set hpa.behavior.scale_down.stabilization_window_s=300" \
            "bursty minute|--shape bursty" "Azure code trace|--shape tiled --trace $trace"; do
  shape=${spec%%|*}
  mapfile -t r < <(build/bench/bench_kernel ${spec#*|} --reps 31 \
    --variants threshold:plain,threshold:kernel,hpa:plain,hpa:kernel,kpa:plain,kpa:kernel | fields)
  read -r base _ _ <<<"${r[1]}"
  i=0
  for pol in threshold hpa kpa; do
    read -r pl _ _ <<<"${r[$i]}"
    read -r k _ _ <<<"${r[$((i + 1))]}"
    i=$((i + 2))
    case "$shape" in *behavior*) [ "$pol" = hpa ] || continue ;; esac
    awk -v s="$shape" -v p="$pol" -v pl="$pl" -v k="$k" -v b="$base" \
      'BEGIN {printf "| %s | %s | %s | %s | %.2f | %.1f |\n", s, p, pl, k, k / pl, k / b}'
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# wall_rss CMD... -> "median_wall max_rss_kb" over REPS runs (the command
# writes to $work/out, emptied before each)
wall_rss() {
  local walls=() rss=0
  for _ in $(seq "$REPS"); do
    rm -rf "$work/out"
    local t0 t1 m
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/t" "$@" >/dev/null || true
    t1=$(date +%s%N)
    m=$(tail -n 1 "$work/t")
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s\n' "${walls[@]}" | median | tr '\n' ' '
  echo "$rss"
}

# run_cli POOLS DAYS THREADS EVENTS [FLAG...] -> "wall_median rss_max_kb";
# without FLAGs the run writes neither report.html nor the rollup (the
# tables before the report's own measure the rest of the job)
run_cli() {
  local pools=$1 days=$2 threads=$3 events=$4 dir="$work/fleet-$1-$2"
  shift 4
  [ -d "$dir" ] || build/bench/gen_fleet "$dir" "$pools" "$days"
  local flags=(--quiet --threads "$threads")
  [ "$events" = no ] && flags+=(--no-events)
  if [ "$#" -gt 0 ]; then flags+=("$@"); else flags+=(--no-report --no-rollup); fi
  wall_rss "$B" run --inputs "$dir" --out "$work/out" "${flags[@]}"
}

echo
echo "### CLI: \`tapscale run\`, 1,000 pools x 30 days at 60 s (43.2 M steps), median of $REPS"
echo
echo "| events file | threads | wall s | peak RSS MB |"
echo "|---|---:|---:|---:|"
for ev in no yes; do
  for th in 1 2; do
    read -r w m < <(run_cli 1000 30 "$th" "$ev")
    awk -v e="$ev" -v t="$th" -v w="$w" -v m="$m" 'BEGIN {printf "| %s | %s | %s | %.1f |\n", e, t, w, m / 1024}'
  done
done

echo
echo "### Scaling: \`tapscale run --no-events\`, 2 threads, median of $REPS"
echo
echo "| pools | horizon | steps | wall s | ns per step (wall x threads) | peak RSS MB | of which demand series MB |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for pools in 1 10 100 1000; do
  for h in "week 7" "month 30" "year 365"; do
    set -- $h
    read -r w m < <(run_cli "$pools" "$2" 2 no)
    steps=$((pools * $2 * 1440))
    awk -v p="$pools" -v h="$1" -v s="$steps" -v w="$w" -v m="$m" \
      'BEGIN {printf "| %s | %s | %s | %s | %.2f | %.1f | %.1f |\n", p, h, s, w, w * 2e9 / s, m / 1024, s / 60 * 8 / 1048576}'
  done
done

echo
echo "### The report: \`tapscale run\`, 1,000 pools x 30 days, 2 threads, events file written, median of $REPS"
echo
echo "| what the run writes beside the job's files | wall s | ratio to neither | peak RSS MB |"
echo "|---|---:|---:|---:|"
read -r w0 m0 < <(run_cli 1000 30 2 yes --no-report --no-rollup)
awk -v w="$w0" -v m="$m0" 'BEGIN {printf "| neither (`--no-report --no-rollup`, baseline) | %s | 1.00 | %.1f |\n", w, m / 1024}'
for spec in "report.html|--no-rollup" "rollup_hourly.csv|--no-report" "both (the default)|"; do
  name=${spec%%|*}
  flag=${spec#*|}
  # shellcheck disable=SC2086
  read -r w m < <(run_cli 1000 30 2 yes --quiet $flag)
  awk -v n="$name" -v w="$w" -v b="$w0" -v m="$m" 'BEGIN {printf "| %s | %s | %.2f | %.1f |\n", n, w, w / b, m / 1024}'
done
rm -rf "$work/rout"
"$B" run --inputs "$work/fleet-1000-30" --out "$work/rout" --quiet --threads 2 >/dev/null || true
awk -v r="$(stat -c %s "$work/rout/report.html")" -v h="$(stat -c %s "$work/rout/rollup_hourly.csv")" \
  'BEGIN {printf "\nreport.html: %.1f MB (the 50 worst pools in detail, all 1,000 in the overview); rollup_hourly.csv: %.1f MB\n", r / 1e6, h / 1e6}'

echo
echo "### Tune: 1,000 settings over one pool-month of minute data (43,200 minutes)"
echo
tdir="$work/tune-minute"
build/bench/gen_fleet "$tdir" 1 30 minute
cat >"$work/space-threshold.yaml" <<'YAML'
scale_up_threshold_pct: {from: 55, to: 100, step: 5}
scale_down_threshold_pct: [20, 30, 40, 50]
scale_up_step_replicas: [1, 2, 4, 8, 16]
cooldown_s: [0, 60, 120, 300, 600]
YAML
cat >"$work/space-hpa.yaml" <<'YAML'
target_utilization_pct: {from: 50, to: 95, step: 5}
hpa.tolerance: [0, 0.05, 0.1, 0.2]
hpa.downscale_stabilization_s: [0, 60, 120, 300, 600]
hpa.scale_up_limit_factor: [2, 4, 8, 16, 32]
YAML
cat >"$work/space-kpa.yaml" <<'YAML'
target_utilization_pct: {from: 50, to: 95, step: 5}
kpa.stable_window_s: [30, 60, 120, 240, 480]
kpa.panic_threshold_pct: [150, 200]
YAML
echo "| policy | settings | threads | wall s (median of $REPS) | settings/s |"
echo "|---|---:|---:|---:|---:|"
for pol in threshold hpa kpa; do
  for th in 1 2; do
    walls=()
    n=$([ "$pol" = kpa ] && echo 100 || echo 1000)
    for _ in $(seq "$REPS"); do
      rm -rf "$work/tout"
      t0=$(date +%s%N)
      "$B" tune --inputs "$tdir" --out "$work/tout" --policy "$pol" --space "$work/space-$pol.yaml" \
        --threads "$th" --quiet >/dev/null || true
      t1=$(date +%s%N)
      walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')")
    done
    w=$(printf '%s\n' "${walls[@]}" | median)
    awk -v p="$pol" -v n="$n" -v t="$th" -v w="$w" 'BEGIN {printf "| %s | %d | %s | %s | %.0f |\n", p, n, t, w, n / w}'
  done
done
for ex in origin azure servegen; do
  rm -rf "$work/tout"
  t0=$(date +%s%N)
  "$B" tune --inputs "examples/$ex" --out "$work/tout" --quiet >/dev/null || true
  t1=$(date +%s%N)
  awk -v e="$ex" -v a="$t0" -v b="$t1" 'BEGIN {printf "\n`tune` on examples/%s (default space, all cores): %.3f s", e, (b - a) / 1e9}'
done
echo

echo
echo "### Loading a minute series: 100 pools x 7 days (1,008,000 rows), median of $REPS"
echo
ldir="$work/load"
build/bench/gen_fleet "$ldir" 100 7 minute
bytes=$(stat -c %s "$ldir/operator/series.csv")
# time_cmd CMD... -> median wall seconds of REPS runs
time_cmd() {
  local walls=()
  for _ in $(seq "$REPS"); do
    rm -rf "$work/lout"
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')")
  done
  printf '%s\n' "${walls[@]}" | median
}
plan1_s=$(time_cmd "$B" plan --inputs "$ldir" --out "$work/lout" --quiet --threads 1)
plan_s=$(time_cmd "$B" plan --inputs "$ldir" --out "$work/lout" --quiet)
awk_s=$(time_cmd awk -F, 'NR > 1 { s += $3 } END { print s }' "$ldir/operator/series.csv")
echo "| what | wall s | MB/s | ratio to awk |"
echo "|---|---:|---:|---:|"
awk -v b="$bytes" -v p1="$plan1_s" -v p="$plan_s" -v a="$awk_s" 'BEGIN {
  printf "| awk summing the rate column (baseline) | %s | %.0f | 1.0 |\n", a, b / 1e6 / a
  printf "| `tapscale plan --threads 1` (read, check, hash, plan on one thread) | %s | %.0f | %.2f |\n", p1, b / 1e6 / p1, p1 / a
  printf "| `tapscale plan` (a second thread reads and hashes) | %s | %.0f | %.2f |\n", p, b / 1e6 / p, p / a }'

echo
echo "### End to end: a 1,000-pool month of minute data (43.2 M rows), 2 threads, median of $REPS"
echo
mdir="$work/minute-month"
t0=$(date +%s%N)
build/bench/gen_fleet "$mdir" 1000 30 minute
t1=$(date +%s%N)
mbytes=$(stat -c %s "$mdir/operator/series.csv")
awk -v b="$mbytes" -v a="$t0" -v z="$t1" 'BEGIN {printf "series.csv: %.2f GB (generated in %.0f s); its demand as doubles: 345.6 MB\n\n", b / 1e9, (z - a) / 1e9}'
echo "| what | wall s | CSV MB/s | peak RSS MB | RSS / the demand's 345.6 MB |"
echo "|---|---:|---:|---:|---:|"
for spec in "\`tapscale plan --threads 1\`|plan --threads 1" "\`tapscale plan\`|plan" \
            "\`tapscale run --no-events --no-report --no-rollup\`|run --threads 2 --no-events --no-report --no-rollup" \
            "\`tapscale run --no-events\` (report and rollup written)|run --threads 2 --no-events"; do
  name=${spec%%|*}
  # shellcheck disable=SC2086
  read -r w m < <(wall_rss "$B" ${spec#*|} --inputs "$mdir" --out "$work/out" --quiet)
  awk -v n="$name" -v w="$w" -v m="$m" -v b="$mbytes" \
    'BEGIN {printf "| %s | %s | %.0f | %.1f | %.2f |\n", n, w, b / 1e6 / w, m / 1024, m / 1024 / 345.6}'
done
rm -rf "$mdir"

echo
echo "### Number formatting (§7)"
echo
build/bench/bench_format

echo
echo "### advise: every way to serve each pool, ranked (all cores, median of $REPS), against \`run\` on the same inputs"
echo
adir="$work/advise-fleet"
build/bench/gen_fleet "$adir" 3 30
echo "| inputs | pools | advise wall s | run wall s | advise / run |"
echo "|---|---:|---:|---:|---:|"
for spec in "examples/origin|examples/origin|3" "examples/azure|examples/azure|1" "examples/servegen|examples/servegen|1" \
            "tests/fixtures/hand|tests/fixtures/hand|2" "3 generated pools, hourly month|$adir|3"; do
  IFS='|' read -r name dir pools <<<"$spec"
  a=$(time_cmd "$B" advise --inputs "$dir" --out "$work/lout" --quiet)
  r=$(time_cmd "$B" run --inputs "$dir" --out "$work/lout" --quiet)
  awk -v n="$name" -v p="$pools" -v a="$a" -v r="$r" 'BEGIN {printf "| %s | %s | %s | %s | %.0f |\n", n, p, a, r, a / r}'
done
rm -rf "$adir"

echo
echo "### The report's what-if: one minute pool-month simulated again in the page (chromium's WebAssembly, medians of 21 after the panel's first run) against the same call built natively"
echo
if [ -x /usr/bin/chromium ] && [ -d node_modules/puppeteer-core ]; then
  "$B" run --inputs examples/origin --out "$work/wout" --quiet >/dev/null || true
  node bench/whatif.js "$work/wout/report.html" meta-llama/Llama-3.1-8B-Instruct 21
else
  echo "(skipped: it needs Debian's chromium and the npm packages, which scripts/setup.sh --tests installs)"
fi

echo
echo "### Latency service levels: a run with profiles and an SLO against the same run without (medians of $REPS, all cores)"
echo
ldir2="$work/latency-origin"
rm -rf "$ldir2"
cp -r examples/origin "$ldir2"
mkdir -p "$ldir2/facts/latency"
{
  echo "profiles:"
  for spec in "Qwen/Qwen2.5-7B-Instruct|L40S|1|956.48" "meta-llama/Llama-3.1-8B-Instruct|L40S|1|1124.41" \
              "meta-llama/Llama-3.3-70B-Instruct|H100|2|3322.87"; do
    IFS='|' read -r m g c t <<<"$spec"
    f="latency/$(echo "$m" | tr '/.' '__').csv"
    awk -v t="$t" 'BEGIN {print "output_tokens_per_s,ttft_p95_ms,ttft_p99_ms,itl_p95_ms,itl_p99_ms";
      for (i = 1; i <= 5; i++) {x = t * i / 5; r = i / 5.5; printf "%.2f,%.1f,%.1f,%.1f,%.1f\n", x, 80 * (1 + r / (2 * (1 - r))), 120 * (1 + r / (2 * (1 - r))), 20 * (1 + r), 25 * (1 + r)}}' \
      >"$ldir2/facts/$f"
    printf '  - model: %s\n    gpu: %s\n    gpu_count: %s\n    files: [%s]\n' "$m" "$g" "$c" "$f"
  done
} >"$ldir2/facts/latency_profiles.yaml"
printf 'slo:\n  ttft_p95_ms: 300\n  itl_p95_ms: 40\n' >>"$ldir2/operator/public_tap.yaml"
echo "| policy | run | without SLO s | with SLO s | ratio |"
echo "|---|---|---:|---:|---:|"
for pol in threshold hpa kpa; do
  for opts in "--no-report --no-rollup" ""; do
    # shellcheck disable=SC2086
    a=$(time_cmd "$B" run --inputs examples/origin --out "$work/lout" --quiet --set autoscaling.policy=$pol $opts)
    # shellcheck disable=SC2086
    b=$(time_cmd "$B" run --inputs "$ldir2" --out "$work/lout" --quiet --set autoscaling.policy=$pol $opts)
    awk -v p="$pol" -v n="${opts:-whole run}" -v a="$a" -v b="$b" 'BEGIN {printf "| %s | %s | %s | %s | %.2f |\n", p, n, a, b, b / a}'
  done
done
rm -rf "$ldir2"
