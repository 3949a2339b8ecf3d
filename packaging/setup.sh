#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command from a fresh Debian 12 machine to a working epsinas:
#   packaging/setup.sh run    install dependencies, build, run the main job on the embedded default
#   packaging/setup.sh test   install dependencies, build, run the whole test suite; then build everything again, the
#                             fuzz targets included, with clang, ASan and UBSan in a second folder and run the tests
#                             there too (docs/reliability.md)
set -euo pipefail

mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EPSINAS_BUILD_DIR:-$root/build}
sanitizeBuild=${EPSINAS_SANITIZE_BUILD_DIR:-$root/build-sanitize}
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
    status=0
    (cd "$build" && ctest --output-on-failure --parallel "$jobs" --timeout 1800) || status=$?

    # The sanitized run, the explorer and its tests included, without the tests that spend their time scoring
    # networks or starting the CLI dozens of times: under ASan each process takes seconds to start (LibTorch's static
    # registrations) and the scoring runs 10 to 20 times slower, which no CI budget holds. docs/reliability.md lists
    # them and what covers their code instead. The package and configuration tests run no code of ours.
    sanitizeSkipLabels="^packaging$"
    sanitizeSkipTests="^(tst_agreement|tst_nb101agreement|tst_nlpagreement|tst_nb201golden|tst_nlpgolden|tst_nb101golden"
    sanitizeSkipTests+="|tst_acceptance|tst_nlpacceptance|tst_nb101acceptance|tst_signalflow|tst_nlpsignalflow"
    sanitizeSkipTests+="|tst_cli|tst_clifiles|tst_clihostile|tst_clisearchscoring|tst_clievolutionspaces|tst_nb101cli"
    sanitizeSkipTests+="|tst_nlpcli|configure_requires_.*)$"
    CC=clang CXX=clang++ cmake -S "$root" -B "$sanitizeBuild" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DEPSINAS_SANITIZE=ON -DEPSINAS_FUZZ=ON
    cmake --build "$sanitizeBuild" --parallel "$jobs"
    (cd "$sanitizeBuild" && ctest --output-on-failure --parallel "$jobs" --timeout 1800 \
        --label-exclude "$sanitizeSkipLabels" --exclude-regex "$sanitizeSkipTests") || status=$?
    exit "$status"
    ;;
*)
    echo "usage: packaging/setup.sh run|test" >&2
    exit 2
    ;;
esac
