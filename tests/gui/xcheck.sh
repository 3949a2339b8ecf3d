#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The hand check under a real X server: starts Xvfb with a screen of the given size, runs the explorer with fresh
# settings as a new user would (no window manager: Xvfb alone), opens the guide and a menu with xdotool, and leaves screenshots in OUT for a person
# to look at. Not a CTest test: what it checks is what a person sees.
#   tests/gui/xcheck.sh BUILD_DIR OUT [WIDTHxHEIGHT] [explorer options...]
set -euo pipefail
build=${1:?usage: xcheck.sh BUILD_DIR OUT [WIDTHxHEIGHT] [explorer options...]}
out=${2:?usage: xcheck.sh BUILD_DIR OUT [WIDTHxHEIGHT] [explorer options...]}
size=${3:-1366x768}
shift $(($# < 3 ? $# : 3))
for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "xcheck: $tool is missing; run packaging/install-deps.sh" >&2; exit 2; }
done
mkdir -p "$out"
home=$(mktemp -d)
trap 'kill ${explorer:-} ${xserver:-} 2>/dev/null || true; rm -rf "$home"' EXIT
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xserver=$!
export DISPLAY=$display
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

"$build/gui/epsinas-explorer" "$@" >"$out/explorer.log" 2>&1 &
explorer=$!
window=$(xdotool search --sync --name "epsinas explorer" | head -1)
# Let the start-up sample fill the scatter.
sleep "${XCHECK_WAIT:-15}"
xdotool getwindowgeometry "$window" | tee "$out/geometry.txt"
import -window root "$out/start-$size.png"

xdotool windowfocus --sync "$window" key F1
sleep 1
import -window root "$out/guide-$size.png"
xdotool key Escape
sleep 0.5
xdotool windowfocus --sync "$window" key alt+f
sleep 0.5
import -window root "$out/file-menu-$size.png"
xdotool key Escape
echo "xcheck: screenshots in $out"
