#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The GPU check of issue 15, in one script for one device run (it must end well inside 10 minutes): configures the
# core-only build, builds epsinas and epsinas-bench with all cores, then runs the acceptance checks and writes
# OUT/summary.md (verdicts and tables) and the raw numbers (results.csv, one CSV per exactness check, log.txt).
#   usage: tests/bench/gpu-check.sh OUT [--device cuda|cpu] [--quick]
# --device cpu runs the same checks with the fast paths' tensor form on the CPU (the code CUDA runs), --quick with
# small counts: together they prove the script end to end on a machine without a GPU.
# Inputs: $EPSINAS_DATA_DIR, else gpu-carry/data (tests/bench/gpu-carry.sh prepares gpu-carry/). LibTorch: Python's
# torch when python3 has one, else the system's. SQLite and nlohmann-json: the system's, else gpu-carry/deb.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=""
device=cuda
quick=0
while (($#)); do
    case $1 in
    --device) device=${2:?--device needs cuda or cpu}; shift 2 ;;
    --quick) quick=1; shift ;;
    -*) echo "gpu-check.sh: unknown option $1" >&2; exit 2 ;;
    *) out=$1; shift ;;
    esac
done
if [[ -z $out || ($device != cuda && $device != cpu) ]]; then
    echo "usage: tests/bench/gpu-check.sh OUT [--device cuda|cpu] [--quick]" >&2
    exit 2
fi
mkdir -p "$out" && out=$(cd "$out" && pwd)
carry=$root/gpu-carry
data=${EPSINAS_DATA_DIR:-$carry/data}
build=${EPSINAS_BUILD_DIR:-$root/build-gpu}
log=$out/log.txt
results=$out/results.csv
summary=$out/summary.md
: >"$log"
: >"$results"
start=$(date +%s)
# Every step gets what is left of this budget, so that the run ends inside the device tool's 10-minute limit.
budget=${EPSINAS_CHECK_BUDGET:-560}

say() { echo "$*" | tee -a "$summary"; }
left() { echo $((budget - ($(date +%s) - start))); }

for file in cifar10/cifar10_data_batch_1_first2000.bin nb101/nb101_specs_1000.csv nasbench_nlp/recipes.jsonl \
    ptb/ptb.valid.txt ptb/ptb.test.txt; do
    if [[ ! -f $data/$file ]]; then
        echo "gpu-check.sh: missing $data/$file (set EPSINAS_DATA_DIR or run tests/bench/gpu-carry.sh)" >&2
        exit 2
    fi
done

: >"$summary"
say "# GPU check (issue 15)"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
say "- device: $device$( ((quick)) && echo ', quick mode (small counts)')"
if command -v nvidia-smi >/dev/null; then
    say "- GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
fi
say "- CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# --- configure and build (core only: no Qt, no tests) ---
cmake_args=(-S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEPSINAS_BUILD_GUI=OFF -DBUILD_TESTING=OFF)
command -v ninja >/dev/null && cmake_args+=(-G Ninja)
prefix=()
if python3 -c 'import torch' 2>/dev/null; then
    prefix+=("$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')")
    # Python's torch may use the old C++ ABI; every library of the build must use the one LibTorch was built with.
    abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
    cmake_args+=("-DCMAKE_CXX_FLAGS=-D_GLIBCXX_USE_CXX11_ABI=$abi")
    # Nothing in the programs names a symbol of libtorch_cuda: without this a linker that drops unneeded libraries
    # leaves it out, and LibTorch then reports no CUDA.
    cmake_args+=("-DCMAKE_EXE_LINKER_FLAGS=-Wl,--no-as-needed")
    say "- LibTorch: Python's torch $(python3 -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)')"
else
    say "- LibTorch: the system's (python3 has no torch)"
fi
deb=$carry/deb/usr
if [[ ! -f /usr/include/sqlite3.h && -f $deb/include/sqlite3.h ]]; then
    # The machine's own libsqlite3.so.0 when it has one (it matches its C library), else the carried one.
    library=$(ldconfig -p 2>/dev/null | awk '/libsqlite3\.so\.0 .*x86-64/ { print $NF; exit }')
    [[ -n $library ]] || library=$(ls "$deb"/lib/x86_64-linux-gnu/libsqlite3.so.0.* | head -1)
    cmake_args+=("-DSQLite3_INCLUDE_DIR=$deb/include" "-DSQLite3_LIBRARY=$library")
    say "- SQLite: headers from gpu-carry/deb, library $library"
fi
if [[ -d $deb/share/cmake/nlohmann_json && ! -d /usr/share/cmake/nlohmann_json && ! -d /usr/lib/cmake/nlohmann_json ]]
then
    prefix+=("$deb")
    say "- nlohmann-json: from gpu-carry/deb"
fi
if ((${#prefix[@]})); then
    cmake_args+=("-DCMAKE_PREFIX_PATH=$(IFS=';'; echo "${prefix[*]}")")
fi
jobs=$(nproc)
[[ $device == cpu ]] && jobs=${EPSINAS_BUILD_JOBS:-2} # the development machine's cores are shared
buildStart=$(date +%s)
if ! { cmake "${cmake_args[@]}" && cmake --build "$build" -j "$jobs" --target epsinas epsinas-bench; } >>"$log" 2>&1; then
    say ""
    say "**BUILD FAILED** (the end of log.txt):"
    say '```'
    tail -40 "$log" | tee -a "$summary"
    say '```'
    exit 1
fi
say "- build: $(($(date +%s) - buildStart)) s with $jobs jobs"
bench=$build/tests/bench/epsinas-bench

# --- the checks, most important first; each one is bounded by what is left of the budget ---
benchArgs=(--device "$device" --results "$results")
[[ $device == cpu ]] && benchArgs+=(--tensors)
cifar="cifar10:$data/cifar10/cifar10_data_batch_1_first2000.bin"
ptb="ptb:$data/ptb/ptb.valid.txt,$data/ptb/ptb.test.txt"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ((quick)); then
    batch=64 random=20 oneByOne=10 reference=1 nlpReference=0 # one reference NLP recipe takes ~90 s on a CPU
    head -31 "$data/nb101/nb101_specs_1000.csv" >"$scratch/nb101_specs.csv"
    head -20 "$data/nasbench_nlp/recipes.jsonl" >"$scratch/recipes.jsonl"
    specs=$scratch/nb101_specs.csv recipes=$scratch/recipes.jsonl spaceRun=(--no-space)
else
    batch=256 random=1000 oneByOne=100 reference=2 nlpReference=1
    specs=$data/nb101/nb101_specs_1000.csv recipes=$data/nasbench_nlp/recipes.jsonl spaceRun=()
fi
failures=0

# step TITLE BENCH-ARGS...: one bench run, its table into the summary.
step() {
    local title=$1
    shift
    local seconds
    seconds=$(left)
    say ""
    say "## $title"
    say ""
    if ((seconds < 20)); then
        say "NOT RUN: the time budget is spent"
        failures=$((failures + 1))
        return
    fi
    echo "\$ epsinas-bench $*" >>"$log"
    timeout --signal=KILL "$seconds" "$bench" "${benchArgs[@]}" "$@" >"$scratch/table" 2>"$scratch/errors"
    local rc=$?
    tee -a "$log" <"$scratch/table" >>"$summary"
    cat "$scratch/errors" >>"$log"
    if ((rc == 137)); then
        say "TIMED OUT after $seconds s"
        failures=$((failures + 1))
    elif ((rc != 0)); then
        say "FAILED (exit status $rc): $(tail -3 "$scratch/errors")"
        failures=$((failures + 1))
    fi
    grep -q '| FAIL:' "$scratch/table" && failures=$((failures + 1))
}

step "Exact: NB201 golden cells + $random random cells, CIFAR-10, batch $batch" --space nb201 --input "$cifar" \
    --batch "$batch" --cells "$root/tests/bench/nb201-golden-cells.txt" --exact-random "$random" \
    --exact "$out/nb201-exact.csv"
step "Exact: NB201 golden cells, grey ramp, batch 64 (an input of algorithm §7)" --space nb201 --input grey \
    --batch 64 --cells "$root/tests/bench/nb201-golden-cells.txt" --exact "$out/nb201-golden-grey.csv"
step "Exact: NB101 table specs, CIFAR-10, batch $batch" --space nb101 --input "$cifar" --batch "$batch" \
    --cells "$specs" --exact "$out/nb101-exact.csv"
step "Exact: NAS-Bench-NLP recipes, PTB" --space nlp --input "$ptb" --cells "$recipes" --exact "$out/nlp-exact.csv"
step "Speed: NB201, CIFAR-10, batch $batch" --space nb201 --input "$cifar" --batch "$batch" \
    --reference-cells "$reference" --fast-cells "$oneByOne" "${spaceRun[@]}"
step "Speed: NB101, CIFAR-10, batch $batch" --space nb101 --input "$cifar" --batch "$batch" \
    --reference-cells "$reference" --fast-cells "$oneByOne" --cells "$specs" --all
step "Speed: NAS-Bench-NLP, PTB" --space nlp --input "$ptb" --reference-cells "$nlpReference" \
    --fast-cells "$oneByOne" --cells "$recipes" --all

# --- the speed targets of issue 15, read back from results.csv ---
say ""
say "## Targets"
say ""
say "| target | measured | verdict |"
say "|---|---|---|"
target() { # SPACE MEASURE LIMIT-SECONDS TEXT
    local value
    value=$(awk -F, -v s="$1" -v m="$2" '$1 == s && $2 == m { v = $3 } END { print v }' "$results")
    if [[ -z $value ]]; then
        say "| $4 | not measured | - |"
        return
    fi
    local verdict
    verdict=$(awk -v v="$value" -v l="$3" 'BEGIN { print (v <= l ? "met" : "NOT met") }')
    say "| $4 | $(awk -v v="$value" 'BEGIN { printf(v < 1 ? "%.2f ms" : "%.3f s", v < 1 ? 1e3 * v : v) }') | $verdict |"
}
target nb201 "whole space" 1 "NB201 whole space after warm-up <= 1 s"
target nb201 "fast one at a time median" 0.005 "NB201 one architecture at a time <= 5 ms (median)"
target nb101 "fast one at a time median" 0.020 "NB101 one architecture at a time <= 20 ms (median)"
target nlp "fast one at a time median" 0.020 "NLP one architecture at a time <= 20 ms (median)"
target nb101 "all of $(basename "$specs")" 2 "all $(($(wc -l <"$specs") - 1)) NB101 specs <= 2 s"
target nlp "all of $(basename "$recipes")" 2 "all $(grep -c . "$recipes") NLP recipes <= 2 s"
say ""
say "Exactness checks or runs that failed: $failures. Total time: $(($(date +%s) - start)) s."
exit $((failures > 0))
