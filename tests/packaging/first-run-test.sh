#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `packaging/setup.sh run` on a machine without a display: it must finish (not wait for a window nobody sees),
# leave a rendered picture of the explorer and a CSV of scored cells, and say where they are.
#   first-run-test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
source=$1 build=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A private settings folder, so the run neither reads nor changes the user's explorer settings.
export XDG_CONFIG_HOME=$out/config XDG_DATA_HOME=$out/data XDG_CACHE_HOME=$out/cache

log=$out/first-run.log
if ! env -u DISPLAY -u WAYLAND_DISPLAY timeout 300 "$source/packaging/first-run.sh" "$build" "$out/run" >"$log" 2>&1; then
    echo "FAIL: first-run.sh did not finish with status 0:" >&2
    cat "$log" >&2
    exit 1
fi
fail() {
    echo "FAIL: $*" >&2
    cat "$log" >&2
    exit 1
}
[ -s "$out/run/explorer.png" ] || fail "no picture at $out/run/explorer.png"
[ "$(head -c 8 "$out/run/explorer.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "explorer.png is not a PNG"
[ "$(wc -l <"$out/run/example-cells.csv")" -eq 5 ] || fail "example-cells.csv does not hold a header and 4 cells"
grep -q "^|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|,0\.6" \
    "$out/run/example-cells.csv" || fail "the ResNet-like cell does not score 0.6... on the grey ramp"
grep -q "explorer.png" "$log" || fail "the output does not say where the picture is"
grep -q "epsinas-explorer" "$log" || fail "the output does not say how to open the explorer"
echo "ok: first run without a display finished"
