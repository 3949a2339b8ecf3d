#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prepares gpu-carry/ (ignored by git) for the GPU check of issue 15: the GPU machine has no data folder and no Debian
# -dev packages, so this copies the four inputs tests/bench/gpu-check.sh reads and unpacks the SQLite and nlohmann-json
# packages the core-only build needs (headers; the SQLite library is the machine's own when it has one). The device
# tool carries the folder (64 MiB at most; this is about 9 MiB) when the run names it in `carry`.
#   usage: tests/bench/gpu-carry.sh [FOLDER]      (default: gpu-carry in the repository root)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
carry=${1:-$root/gpu-carry}
data=${EPSINAS_DATA_DIR:?set EPSINAS_DATA_DIR to the shared data folder (its README.md describes every file)}

rm -rf "$carry"
mkdir -p "$carry/data/cifar10" "$carry/data/nb101" "$carry/data/nasbench_nlp" "$carry/data/ptb" "$carry/deb"
# Only what the check reads, in the data folder's own layout, so that EPSINAS_DATA_DIR can point at it there.
cp "$data/cifar10/cifar10_data_batch_1_first2000.bin" "$carry/data/cifar10/"
cp "$data/nb101/nb101_specs_1000.csv" "$carry/data/nb101/"
cp "$data/nasbench_nlp/recipes.jsonl" "$carry/data/nasbench_nlp/"
cp "$data/ptb/ptb.valid.txt" "$data/ptb/ptb.test.txt" "$carry/data/ptb/"

# The packages are fetched by apt (no root needed for `download`) and unpacked into deb/, never installed.
packages=(libsqlite3-dev libsqlite3-0 nlohmann-json3-dev)
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
chmod 755 "$download" # apt hands the download to its own unprivileged user
(cd "$download" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$download"/*.deb; do
    dpkg -x "$deb" "$carry/deb"
done
# Documentation, man pages and the static library are not needed on the GPU machine.
rm -rf "$carry/deb/usr/share/doc" "$carry/deb/usr/share/man" "$carry/deb/usr/lib/x86_64-linux-gnu/libsqlite3.a"
du -sh "$carry"
