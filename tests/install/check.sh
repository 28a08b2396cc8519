#!/usr/bin/env bash
# Installs a build with `cmake --install` into a scratch prefix and checks
# what a user of the library gets: the tool, libtapscale.a and the
# versioned libtapscale.so, the two headers, tapscale.pc and tapscale(1);
# then builds tests/install/plan_pools.c against the installed library with
# pkg-config, shared and static, and runs both on the hand fixture: each
# prints the plan `tapscale plan` writes.
#   tests/install/check.sh [BUILD_DIR]
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
passed=0 failed=0
check() { # NAME, then a command that must succeed
  local name=$1
  shift
  if "$@" >"$prefix/.out" 2>&1; then passed=$((passed + 1)); else
    failed=$((failed + 1))
    echo "FAIL $name:"
    sed 's/^/  /' "$prefix/.out"
  fi
}

check "cmake --install" cmake --install "$build" --prefix "$prefix"
libdir=$(dirname "$(find "$prefix" -name tapscale.pc | head -1)")/..
version=$("$build/tapscale" --version | awk '{print $2}')
check "the tool" test -x "$prefix/bin/tapscale"
check "the headers" test -f "$prefix/include/tapscale.h" -a -f "$prefix/include/tapscale_io.h"
check "the static library" test -f "$libdir/libtapscale.a"
check "the shared library, versioned" test -f "$libdir/libtapscale.so.$version"
check "its soname" sh -c "readelf -d '$libdir/libtapscale.so.$version' | grep -q 'SONAME.*libtapscale.so.${version%%.*}\]'"
check "the man page" sh -c "head -1 '$prefix/share/man/man1/tapscale.1' | grep -q '^.TH TAPSCALE 1'"
if command -v groff >/dev/null; then
  check "the man page renders without a warning" sh -c "! groff -man -Tutf8 -ww -z '$prefix/share/man/man1/tapscale.1' 2>&1 | grep -q ."
fi
for cmd in advise plan simulate run compare tune trace settings; do
  check "the man page documents $cmd" grep -q "^\.SS $cmd$" "$prefix/share/man/man1/tapscale.1"
done

export PKG_CONFIG_PATH=$libdir/pkgconfig
check "pkg-config knows it" sh -c "pkg-config --modversion tapscale | grep -qx '$version'"
cflags=$(pkg-config --cflags tapscale)
# shellcheck disable=SC2086
check "a program built on the shared library" cc -o "$prefix/pp_shared" tests/install/plan_pools.c $cflags $(pkg-config --libs tapscale)
check "it needs libtapscale.so.${version%%.*}" sh -c "readelf -d '$prefix/pp_shared' | grep -q 'NEEDED.*libtapscale.so.${version%%.*}'"
# shellcheck disable=SC2086
check "a program built on the static library" cc -o "$prefix/pp_static" tests/install/plan_pools.c $cflags \
  "$libdir/libtapscale.a" $(pkg-config --static --libs tapscale | sed 's/-ltapscale//')
"$build/tapscale" plan --inputs tests/fixtures/hand --out "$prefix/planned" --quiet >/dev/null
# the plan the tool wrote, as the program prints it
{ echo "tapscale $version: $(($(wc -l <"$prefix/planned/public_tap_capacity_plan.csv") - 1)) pools"
  awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "instances_needed") c = i; next} {print $1, $2, $c}' \
    "$prefix/planned/public_tap_capacity_plan.csv"; } >"$prefix/want" 2>/dev/null
check "the shared program plans as the tool" sh -c "LD_LIBRARY_PATH='$libdir' '$prefix/pp_shared' tests/fixtures/hand > '$prefix/got_shared' && diff '$prefix/want' '$prefix/got_shared'"
check "the static program plans as the tool" sh -c "'$prefix/pp_static' tests/fixtures/hand > '$prefix/got_static' && diff '$prefix/want' '$prefix/got_static'"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
