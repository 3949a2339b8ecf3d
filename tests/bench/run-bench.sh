#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs the speed harness with the settings recorded in docs/benchmarks.md. Extra arguments are passed
# on (e.g. --device cuda, --input cifar10:PATH).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${EPSINAS_BUILD_DIR:-$root/build}
cmake --build "$build" --target epsinas-bench >/dev/null
exec "$build/tests/bench/epsinas-bench" "$@"
