#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# EPSINAS_SANITIZE (and so EPSINAS_FUZZ) with another compiler than clang stops at configure time, naming clang.
#   configure-needs-clang.sh SOURCE_DIR GCC_CXX [PREFIX_PATH]
set -uo pipefail
source=$1 compiler=$2 prefix=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

log=$scratch/configure.log
if CXX=$compiler cmake -S "$source" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$prefix" -DBUILD_TESTING=OFF \
    -DEPSINAS_BUILD_GUI=OFF -DEPSINAS_SANITIZE=ON -DEPSINAS_FUZZ=ON >"$log" 2>&1; then
    echo "FAIL: a sanitized build configured with $compiler; it must stop at configure time" >&2
    exit 1
fi
if ! grep -q "need clang" "$log"; then
    echo "FAIL: the configuration failed without saying it needs clang:" >&2
    cat "$log" >&2
    exit 1
fi
echo "ok: EPSINAS_SANITIZE with $compiler stops at configure time, naming clang"
