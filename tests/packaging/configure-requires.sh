#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures a scratch build with PACKAGE hidden from CMake and expects the configuration to fail, naming it.
#   configure-requires.sh SOURCE_DIR PACKAGE [PREFIX_PATH]
set -uo pipefail
source=$1 package=$2 prefix=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

log=$scratch/configure.log
if cmake -S "$source" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$prefix" -DBUILD_TESTING=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_"$package"=ON >"$log" 2>&1; then
    echo "FAIL: the build configured without $package; it must stop at configure time" >&2
    exit 1
fi
if ! grep -q "$package" "$log"; then
    echo "FAIL: the configuration failed without naming $package:" >&2
    cat "$log" >&2
    exit 1
fi
echo "ok: the configuration stops without $package"
