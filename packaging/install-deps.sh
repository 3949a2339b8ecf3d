#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages epsinas needs to build, run and test; installs only what is missing, so running
# it again is cheap. Needs root (or sudo).
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config
    libtorch-dev                                  # LibTorch (CPU) for core/
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl1-mesa-dev   # the explorer
    libsqlite3-dev                                # the resumable result store
    nlohmann-json3-dev                            # NAS-Bench-NLP recipe files (JSON Lines)
    xvfb xauth                                    # GUI tests and screenshots without a display
    xdotool imagemagick                           # the hand check under a real X server (tests/gui/xcheck.sh)
    groff-base appstream                          # the man pages' and the AppStream metadata's checks
    clang libclang-rt-14-dev llvm                 # the sanitized build and the fuzz targets (libFuzzer, ASan,
                                                  # UBSan; llvm-symbolizer for readable reports)
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
