# SPDX-License-Identifier: MIT
# Bash completion of the epsinas command and of epsinas-explorer: commands, options, and the values of the options
# that take one of a few words. tests/packaging/check-docs.sh checks that every option of every --help is here.

_epsinas_words() {
    # The words an option's value may be, or a file for the options that name one.
    case "$1" in
    --space) echo "nb201 nb101 nlp" ;;
    --strategy) echo "random evolution evolution-warmup evolution-zc-mutation evolution-both" ;;
    --precision) echo "fp32 fp64" ;;
    --evaluator) echo "fast reference" ;;
    --device) echo "cpu cuda" ;;
    --nan) echo "exclude worst best" ;;
    --top-sets) echo "reference tie-weighted" ;;
    --t10-denominator) echo "reference consistent" ;;
    --format) echo "table csv" ;;
    --input) echo "grey noise: cifar10: cifar100: synthetic ptb:" ;;
    esac
}

_epsinas() {
    local cur prev command options
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD - 1]}"
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "score correlate compare search export merge --help --version" -- "$cur"))
        return
    fi
    command="${COMP_WORDS[1]}"
    case "$command" in
    score)
        options="--space --arch --arch-file --recipe --recipe-file --sample --all --input --batch --offset
            --image-size --weights --precision --evaluator --device --threads --chunk --out --store --shard --help" ;;
    correlate)
        options="--scores --score-column --join --bench --bench-key --target --nan --lower-is-better --space
            --top-sets --t10-denominator --help" ;;
    compare)
        options="--bench --bench-key --target --proxies --proxies-file --proxies-key --where --scores --score-column
            --join --format --lower-is-better --space --top-sets --t10-denominator --help" ;;
    search)
        options="--space --strategy --samples --runs --seed --scores --score-column --join --bench --bench-key
            --target --lower-is-better --population --tournament --queries --warmup --mutations --select-by
            --trajectory --input --batch --offset --image-size --weights --precision --evaluator --device
            --threads --chunk --store --help" ;;
    export) options="--store --out --help" ;;
    merge) options="--help" ;;
    *) return ;;
    esac
    case "$prev" in
    --arch-file | --recipe-file | --out | --store | --scores | --bench | --trajectory | --proxies-file)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --*)
        local words
        words="$(_epsinas_words "$prev")"
        if [[ -n $words ]]; then
            COMPREPLY=($(compgen -W "$words" -- "$cur"))
            [[ $prev == --input ]] && compopt -o nospace
            return
        fi ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ $command == merge ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

_epsinas_explorer() {
    local cur prev
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD - 1]}"
    case "$prev" in
    --bench | --arch-file | --recipe-file | --screenshot)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --space | --input)
        COMPREPLY=($(compgen -W "$(_epsinas_words "$prev")" -- "$cur"))
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--help --help-all --version --bench --target --space --arch --input --arch-file
            --screenshot --recipe-file" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -F _epsinas epsinas
complete -F _epsinas_explorer epsinas-explorer
