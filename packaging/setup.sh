#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command from a fresh Debian 12 machine to a working epsinas:
#   packaging/setup.sh run    install dependencies, build, run the main job on the embedded default
#   packaging/setup.sh test   install dependencies, build, run the whole test suite
set -euo pipefail

mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EPSINAS_BUILD_DIR:-$root/build}
jobs=$(nproc)

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$jobs"

case "$mode" in
run)
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec "$build/gui/epsinas-explorer"
    fi
    exec "$root/packaging/first-run.sh" "$build"
    ;;
test)
    # Real benchmark data, when present beside the checkout, enables the data-driven and acceptance tests.
    if [ -z "${EPSINAS_DATA_DIR:-}" ] && [ -d "$root/../shared/data" ]; then
        export EPSINAS_DATA_DIR="$root/../shared/data"
    fi
    cd "$build"
    exec ctest --output-on-failure --parallel "$jobs" --timeout 1800
    ;;
*)
    echo "usage: packaging/setup.sh run|test" >&2
    exit 2
    ;;
esac
