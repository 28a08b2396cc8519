#!/usr/bin/env bash
# Sets up, builds and runs the whole job on the bundled origin example:
# writes out/ and prints the per-pool table and the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/tapscale run --inputs examples/origin --out out "$@"
