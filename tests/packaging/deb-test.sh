#!/bin/bash
# SPDX-License-Identifier: MIT
# The Debian package installs what a user needs and works from where it is unpacked: cpack builds it from this build
# tree, dpkg-deb unpacks it into a temporary root, and the unpacked epsinas prints its version and scores one cell.
# Usage: deb-test.sh BINARY_DIR WITH_GUI(ON|OFF)
set -euo pipefail
binary_dir=$1 with_gui=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

(cd "$binary_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/epsinas_*.deb)
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
dpkg-deb -x "$deb" "$work/root"

depends=$(dpkg-deb -f "$deb" Depends)
for library in libtorch libsqlite3 libc6; do
    grep -q "$library" <<<"$depends" || fail "Depends does not name $library: $depends"
done
expected=(usr/bin/epsinas usr/share/man/man1/epsinas.1 usr/share/bash-completion/completions/epsinas)
if [ "$with_gui" = ON ]; then
    expected+=(usr/bin/epsinas-explorer usr/share/man/man1/epsinas-explorer.1
        usr/share/bash-completion/completions/epsinas-explorer usr/share/applications/epsinas-explorer.desktop
        usr/share/metainfo/io.github.epsinas.explorer.metainfo.xml)
    for library in libqt6widgets6 libqcustomplot; do
        grep -q "$library" <<<"$depends" || fail "Depends does not name $library: $depends"
    done
fi
for file in "${expected[@]}"; do
    [ -s "$work/root/$file" ] || fail "the package has no $file"
done
for program in "$work"/root/usr/bin/*; do
    if readelf -S "$program" | grep -q '\.debug_info'; then fail "$(basename "$program") is not stripped"; fi
done

epsinas=$work/root/usr/bin/epsinas
version=$("$epsinas" --version) || fail "the unpacked epsinas --version failed"
[[ $version =~ ^epsinas\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "unexpected version line: $version"
cell='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|'
scored=$("$epsinas" score --arch "$cell" --batch 16 2>"$work/score.log") || fail "the unpacked epsinas score failed"
score=$(awk -F, 'NR == 2 {print $2}' <<<"$scored")
[[ $score =~ ^[0-9.e+-]+$ ]] || fail "no score for the ResNet-like cell: $scored"
groff -man -Tutf8 -P-cbou "$work/root/usr/share/man/man1/epsinas.1" 2>/dev/null | grep -q "EXIT STATUS" || fail "epsinas.1 does not render"

echo "unpacked: $version, score $score"
[ "$failures" -eq 0 ]
