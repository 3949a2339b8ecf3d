#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What `packaging/setup.sh run` does on a machine without a display, where nobody could see a window: renders the
# explorer once to a picture, scores the paper's example cells to a CSV, says where both are and how to open the
# explorer on a desktop, and finishes.
#   packaging/first-run.sh BUILD_DIR [OUT_DIR]      (OUT_DIR defaults to BUILD_DIR/first-run)
set -euo pipefail

build=${1:?usage: packaging/first-run.sh BUILD_DIR [OUT_DIR]}
out=${2:-$build/first-run}
mkdir -p "$out"

echo "setup: no display, so the explorer is rendered to a picture instead of opening a window"
QT_QPA_PLATFORM=offscreen "$build/gui/epsinas-explorer" --screenshot "$out/explorer.png"
"$build/core/cli/epsinas" score --space nb201 --out "$out/example-cells.csv" \
    --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|' \
    --arch '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|' \
    --arch '|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|' \
    --arch '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'

echo
echo "The explorer, rendered once: $out/explorer.png"
echo "Four example cells, scored:  $out/example-cells.csv (arch, score, nan_reason below)"
cut -d, -f1,2,7 "$out/example-cells.csv" | sed 's/^/    /'
echo
echo "On a machine with a desktop, open the explorer:  $build/gui/epsinas-explorer"
echo "Score from the command line:                     $build/core/cli/epsinas score --help"
