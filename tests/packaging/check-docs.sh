#!/bin/bash
# SPDX-License-Identifier: MIT
# The installed documentation says what the programs do: every option that a --help prints is in the man page and in
# the bash completion, the man pages format without a warning, and the AppStream metadata validates.
# Usage: check-docs.sh SOURCE_DIR BINARY_DIR EPSINAS [EXPLORER]
set -uo pipefail
source_dir=$1 binary_dir=$2 epsinas=$3 explorer=${4:-}
completion=$source_dir/packaging/completion/epsinas.bash
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The options of one --help text, one per line.
options_of() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

# A man page spells --arch-file as \-\-arch\-file.
in_man() { grep -qF -- "$(printf '%s' "$1" | sed 's/-/\\-/g')" "$2"; }

check_options() { # NAME MANPAGE COMPLETION_FUNCTION < help text
    local name=$1 man=$2 function=$3 option body
    body=$(sed -n "/^$function() {/,/^}/p" "$completion")
    [ -n "$body" ] || fail "$completion has no $function"
    for option in $(options_of); do
        in_man "$option" "$man" || fail "$name: $option is not in $(basename "$man")"
        grep -qE -- "(^|[ \"])$option([ \"]|$)" <<<"$body" || fail "$name: $option is not completed by $function"
    done
}

man_epsinas=$binary_dir/packaging/man/epsinas.1
commands=$("$epsinas" --help | sed -n '/^commands:/,/^$/p' | awk '/^  [a-z]/ {print $1}')
[ -n "$commands" ] || fail "epsinas --help lists no commands"
for command in $commands; do
    grep -q "^\.SS $command\$" "$man_epsinas" || fail "epsinas.1 has no section for $command"
    grep -qE "^ *$command\)" "$completion" || fail "the completion does not know the command $command"
    help=$("$epsinas" "$command" --help)
    # score's options depend on the space (NAS-Bench-NLP's --recipe, the images' --offset).
    if [ "$command" = score ]; then
        for space in nb201 nb101 nlp; do help+=$'\n'$("$epsinas" score --space "$space" --help); done
    fi
    check_options "epsinas $command" "$man_epsinas" _epsinas <<<"$help"
done

for page in "$man_epsinas" ${explorer:+"$binary_dir/packaging/man/epsinas-explorer.1"}; do
    warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
done

if [ -n "$explorer" ]; then
    QT_QPA_PLATFORM=offscreen "$explorer" --help 2>/dev/null | grep -v -- '--help-all\|-platform' \
        | check_options epsinas-explorer "$binary_dir/packaging/man/epsinas-explorer.1" _epsinas_explorer
    metainfo=$binary_dir/packaging/metainfo/io.github.epsinas.explorer.metainfo.xml
    appstreamcli validate --no-net "$metainfo" || fail "appstreamcli rejects $metainfo"
    grep -q "release version=\"$("$epsinas" --version | awk '{print $2}')\"" "$metainfo" \
        || fail "the metadata's release is not the program's version"
fi

[ "$failures" -eq 0 ] && echo "check-docs: all documented" || echo "check-docs: $failures failures"
[ "$failures" -eq 0 ]
