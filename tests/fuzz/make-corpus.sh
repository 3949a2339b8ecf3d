#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the seed corpus of every fuzz target in CORPUS (replacing it): the small inputs of tests/fuzz/seeds and the
# reproducers of tests/fuzz/regressions, result stores written by SEEDSTORE, and, when EPSINAS_DATA_DIR is set,
# pieces of the real benchmark files (read at run time, never copied into the tree).
#   make-corpus.sh FUZZ_SOURCE_DIR CORPUS SEEDSTORE
set -euo pipefail
source=$1 corpus=$2 seedstore=$3
targets=(nb201arch nb101spec nlprecipe cifar ptb benchmarktable resultstore session)

rm -rf "$corpus"
for target in "${targets[@]}"; do
    mkdir -p "$corpus/$target"
    for folder in seeds regressions; do
        if [ -d "$source/$folder/$target" ]; then
            cp "$source/$folder/$target"/* "$corpus/$target/"
        fi
    done
done
"$seedstore" "$corpus/resultstore"

data=${EPSINAS_DATA_DIR:-}
if [ -z "$data" ] || [ ! -d "$data" ]; then
    echo "make-corpus: EPSINAS_DATA_DIR is not set: the in-tree seeds only"
    exit 0
fi

# lines TARGET PREFIX: every line of stdin as one seed file, without its newline.
lines() {
    local target=$1 prefix=$2 n=0 line
    while IFS= read -r line; do
        printf '%s' "$line" >"$corpus/$target/$prefix-$n"
        n=$((n + 1))
    done
}
awk -F, 'NR > 1 && NR <= 201 { print $2 }' "$data/nb201/nb201_accuracies.csv" | lines nb201arch data
awk -F, 'NR > 1 && NR <= 101 { print $3 ":" $4; print $3 "," $4 }' "$data/nb101/nb101_specs_1000.csv" | lines nb101spec data
head -n 100 "$data/nasbench_nlp/recipes.jsonl" | lines nlprecipe data
# A CIFAR record is a label byte (two for CIFAR-100) and 3,072 pixel bytes.
head -c $((2 * 3073)) "$data/cifar10/cifar10_data_batch_1_first2000.bin" >"$corpus/cifar/data-two"
head -c $((3 * 3073)) "$data/cifar10/cifar10_test_batch_first1000.bin" >"$corpus/cifar/data-three"
head -c $((2 * 3074)) "$data/cifar10/cifar10_test_batch_first1000.bin" >"$corpus/cifar/data-two100"
head -n 40 "$data/ptb/ptb.valid.txt" >"$corpus/ptb/data-valid"
head -n 5 "$data/ptb/ptb.test.txt" >"$corpus/ptb/data-test"
for table in nb201/nb201_accuracies.csv nb201/nb201_epsinas_reference_scores.csv nb101/nb101_specs_1000.csv \
    nb101/nb101_hash_accuracies_30k.csv nasbench_nlp/nlp_archs_wt2_ptb.csv nasbench_nlp/ptb_final_test_losses.csv; do
    head -n 20 "$data/$table" >"$corpus/benchmarktable/data-$(basename "$table" .csv)"
done
echo "make-corpus: seeds from $data and the tree in $corpus"
