#!/usr/bin/env bash
# The output folder is all-or-nothing, proven by killing runs:
#   1. every kill point of the commit (a fault-injection build stops itself
#      with SIGKILL at the N-th point: after each file, after the list of
#      files, after the swap, after each removal of an old file), N = 1, 2,
#      ... until a run gets through: for run (with timelines), and for
#      tune (its candidates, Pareto front and tuned YAML), compare and
#      advise (its tables, tuned YAML and manifests) over an earlier output
#      of the same command;
#   2. kills at random moments of whole runs (timeout -s KILL);
#   3. a full disk (a 256 KiB tmpfs; skipped with a notice where this user
#      cannot mount one).
# After each, --out must be exactly the old complete folder or the new
# complete folder, and the next run must leave no scratch folder behind.
#   tests/kill/kill_test.sh FAULT_BIN [BIN] [RANDOM_KILLS]
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
FBIN=$(realpath "$1")
BIN=$(realpath "${2:-build/tapscale}")
KILLS=${3:-15}
work=$(mktemp -d)
cleanup() { mountpoint -q "$work/disk" 2>/dev/null && umount "$work/disk"; rm -rf "$work"; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

cp -r tests/fixtures/hand "$work/inputs"
old_args=(run --inputs "$work/inputs" --timeline --quiet --set autoscaling.cooldown_s=1200)
new_args=(run --inputs "$work/inputs" --timeline --quiet)
"$BIN" "${old_args[@]}" --out "$work/refA" >/dev/null || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
"$BIN" "${new_args[@]}" --out "$work/refB" >/dev/null || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
diff -rq "$work/refA" "$work/refB" >/dev/null && { echo "the two runs must differ"; echo "0 passed, 1 failed"; exit 1; }

# The folder at $1 is $2 or $3 exactly, and its sums verify where it has
# them (run writes SHA256SUMS; tune and compare do not).
whole_of() {
  local d=$1
  { diff -r "$d" "$2" >/dev/null 2>&1 || diff -r "$d" "$3" >/dev/null 2>&1; } &&
    { [ ! -f "$d/SHA256SUMS" ] || (cd "$d" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1); }
}
whole() { whole_of "$1" "$work/refA" "$work/refB"; }
# Nothing beside --out but the folders the test made.
no_scratch() { [ -z "$(find "$(dirname "$1")" -maxdepth 1 -name '.*tapscale-*' -print -quit)" ]; }

reset_out() { rm -rf "$work/p"; mkdir -p "$work/p"; cp -a "${1:-$work/refA}" "$work/p/out"; }

# 1. every kill point of a command: LABEL, the old folder, the new folder,
# then the new run's arguments (without --out)
kill_points() {
  local label=$1 refa=$2 refb=$3
  shift 3
  local n=1 rc
  while :; do
    reset_out "$refa"
    TAPSCALE_KILL_AT=$n ASAN_OPTIONS=detect_leaks=0 "$FBIN" "$@" --out "$work/p/out" >/dev/null 2>&1
    rc=$?
    if whole_of "$work/p/out" "$refa" "$refb"; then ok; else
      bad "$label kill point $n: the folder is neither the old nor the new output"
    fi
    "$BIN" "$@" --out "$work/p/out" >/dev/null 2>&1
    if no_scratch "$work/p/out" && diff -r "$work/p/out" "$refb" >/dev/null; then ok; else
      bad "$label kill point $n: the next run left a scratch folder or a wrong folder"
    fi
    [ "$rc" -eq 0 ] && break
    n=$((n + 1))
    [ "$n" -gt 200 ] && { bad "$label: more than 200 kill points"; break; }
  done 2>/dev/null # the shell's "Killed" notes
  echo "$label kill points: $((n - 1)) killed, then one run through"
}
kill_points run "$work/refA" "$work/refB" "${new_args[@]}"
for cmd in tune compare advise; do
  extra=()
  [ "$cmd" = advise ] && extra=(--budget 5) # its files, not its search, are under test
  "$BIN" "$cmd" --inputs "$work/inputs" --quiet "${extra[@]}" --set autoscaling.cooldown_s=1200 --out "$work/${cmd}A" >/dev/null &&
    "$BIN" "$cmd" --inputs "$work/inputs" --quiet "${extra[@]}" --out "$work/${cmd}B" >/dev/null ||
    { bad "$cmd: the reference runs failed"; continue; }
  diff -rq "$work/${cmd}A" "$work/${cmd}B" >/dev/null && { bad "$cmd: the two reference runs must differ"; continue; }
  kill_points "$cmd" "$work/${cmd}A" "$work/${cmd}B" "$cmd" --inputs "$work/inputs" --quiet "${extra[@]}"
done

# 2. random kills of whole runs
for i in $(seq 1 "$KILLS"); do
  reset_out
  delay=$(awk -v s="$i" 'BEGIN { srand(s); printf "%.3f", rand() * 0.09 }')
  ( timeout -s KILL "$delay" "$BIN" "${new_args[@]}" --out "$work/p/out" >/dev/null 2>&1 ) 2>/dev/null
  if whole "$work/p/out"; then ok; else bad "random kill $i after ${delay}s: a mixed folder"; fi
done 2>/dev/null # the shell's "Killed" notes
"$BIN" "${new_args[@]}" --out "$work/p/out" >/dev/null 2>&1
if no_scratch "$work/p/out"; then ok; else bad "scratch folders left after the random kills"; fi

# 3. a full disk
mkdir -p "$work/disk"
if mount -t tmpfs -o size=256k tmpfs "$work/disk" 2>/dev/null; then
  "$BIN" plan --inputs "$work/inputs" --out "$work/disk/out" --quiet >/dev/null 2>&1
  before=$(cd "$work/disk/out" && sha256sum .tapscale-outputs ./* | sort)
  "$BIN" "${new_args[@]}" --out "$work/disk/out" >/dev/null 2>"$work/err"
  rc=$?
  after=$(cd "$work/disk/out" && sha256sum .tapscale-outputs ./* | sort)
  if [ "$rc" -eq 3 ] && [ "$before" = "$after" ] && grep -q "No space left on device" "$work/err" &&
    no_scratch "$work/disk/out"; then ok; else
    bad "full disk: exit $rc, folder changed or scratch left: $(cat "$work/err")"
  fi
  umount "$work/disk"
else
  echo "full-disk test skipped: cannot mount a tmpfs here"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
