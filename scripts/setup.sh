#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks and builds tapscale.
#   scripts/setup.sh           build tools and libraries, then build/ (Release)
#   scripts/setup.sh --tests   also cmocka, clang (libFuzzer), Debian's chromium (the report's
#                              browser tests), Python's cffi, numpy and pytest (the binding,
#                              build/python) and Node.js packages (npm ci) for the
#                              acceptance tests and a sanitizer build in
#                              build-asan/ (clang, AddressSanitizer + UBSan,
#                              with the allocation-failure hook)
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
[ "${1:-}" = "--tests" ] && tests=1

# clang, lld, wasi-libc and its compiler runtime build the report's what-if (WebAssembly)
pkgs=(build-essential cmake pkg-config libyaml-dev libcsv-dev libssl-dev libdouble-conversion-dev libjansson-dev
  clang lld wasi-libc libclang-rt-14-dev-wasm32)
[ "$tests" = 1 ] && pkgs+=(libcmocka-dev chromium python3-cffi python3-dev python3-numpy python3-pytest)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$tests" = 1 ] && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"

if [ "$tests" = 1 ]; then
  npm ci --no-audit --no-fund --loglevel=error
  # a build-asan/ configured with another compiler is configured anew
  if [ -f build-asan/CMakeCache.txt ] && ! grep -q '^CMAKE_C_COMPILER:FILEPATH=.*clang' build-asan/CMakeCache.txt; then
    rm -rf build-asan
  fi
  # the sanitizer build with clang, whose UBSan also sees pointer arithmetic
  # on NULL (gcc's does not); the Release build stays gcc's
  CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAPSCALE_SANITIZE=ON \
    -DTAPSCALE_FAULT_INJECTION=ON -DTAPSCALE_BENCH=OFF -DTAPSCALE_SHARED=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
fi
