#!/usr/bin/env bash
# Checks kwb's bash completion: it parses, it completes what a user types (commands, options,
# option values, file names), with and without the bash-completion framework, and its lists of
# commands and options are the ones `kwb --help` and `kwb COMMAND --help` print.
#
#   check_completion.sh COMPLETION_SCRIPT KWB
set -uo pipefail
script=$(realpath "$1") kwb=$(realpath "$2")
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

bash -n "$script" || fail "bash -n $script"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/files/recipes"
touch "$work/files/records.jsonl" "$work/files/records.csv" "$work/files/readme.txt"
printf '[default]\nregion = eu-west-1\n[profile prod]\nregion = us-east-1\n' > "$work/config"
printf '[dev]\naws_access_key_id = x\n' > "$work/credentials"

framework=/usr/share/bash-completion/bash_completion
modes=(plain)
if [[ -r $framework ]]; then
    modes+=(framework)
else
    echo "NOTE: $framework not found (package bash-completion): checking without the framework only"
fi

# Prints the sorted completions of LINE (the cursor at its end), as bash would compute them.
complete_line() { # MODE LINE
    local mode=$1 line=$2
    (cd "$work/files" && AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials" \
        MODE=$mode FRAMEWORK=$framework SCRIPT=$script LINE=$line \
        bash --norc --noprofile -c '
            [[ $MODE == framework ]] && source "$FRAMEWORK"
            source "$SCRIPT" || exit 3
            [[ $(complete -p kwb) == *"-F _kwb"* ]] || exit 4
            # Bash splits words at blanks and around "=", as COMP_WORDBREAKS says.
            split=${LINE//=/ = }
            read -ra COMP_WORDS <<< "$split"
            [[ $split == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE=$LINE
            COMP_POINT=${#LINE}
            _kwb kwb "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf "%s\n" "${COMPREPLY[@]}" | sed "s:/\$::" | sort | tr "\n" " " | sed "s/ \$//"
        ' 2>&1)
}

expect() { # LINE EXPECTED
    local mode got
    for mode in "${modes[@]}"; do
        got=$(complete_line "$mode" "$1")
        [[ $got == "$2" ]] || fail "[$mode] 'kwb ${1#kwb }<TAB>' gave '$got', expected '$2'"
    done
}

commands=$("$kwb" --help | sed -n '/^Commands:$/,/^$/p' | grep -E '^  [a-z]' | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')

expect 'kwb pu' 'put'
expect 'kwb ' "$commands"
expect 'kwb --output json pu' 'put'
expect 'kwb --endpoint-url http://127.0.0.1:4567 s' 'sandbox shards sso streams'
expect 'kwb --output ' 'json table'
expect 'kwb --output=j' 'json'
expect 'kwb --output=json hash --sh' '--shards'
expect 'kwb hash --stream ' ''
expect 'kwb create-stream --on' '--on-demand'
expect 'kwb put --format c' 'csv'
expect 'kwb preview --format ' 'auto awscli csv files json jsonl kpl lines tsv'
expect 'kwb put --data-encoding ' 'base64 hex utf8'
expect 'kwb put --partition-key-strategy ' 'constant: index random uuid'
expect 'kwb put --on-bad-row ' 'skip stop'
expect 'kwb put --stream orders rec' 'recipes records.csv records.jsonl'
expect 'kwb preview r' 'readme.txt recipes records.csv records.jsonl'
expect 'kwb retry r' 'recipes records.jsonl'
expect 'kwb put --results r' 'recipes records.csv records.jsonl'
expect 'kwb sandbox --data-dir r' 'recipes'
expect 'kwb --profile ' 'default dev prod'
expect 'kwb sandbox --no' '--no-limits'

# The completion's lists against the help of the kwb beside it.
in_completion() { # FUNCTION-OR-VARIABLE-EXPRESSION
    bash --norc --noprofile -c "source '$script'; $1" | tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'
}
options_of() { # HELP-TEXT on stdin: the long options it lists
    sed '1,/^Options:$/d' | grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort
}
[[ $(in_completion 'echo $_kwb_commands') == "$commands" ]] ||
    fail "commands: completion has '$(in_completion 'echo $_kwb_commands')', kwb --help has '$commands'"
global=$("$kwb" --help | sed '/^Commands:$/,$d' | options_of)
[[ $(in_completion 'echo $_kwb_global_options') == "$(echo $global)" ]] ||
    fail "global options: completion has '$(in_completion 'echo $_kwb_global_options')', kwb --help has '$(echo $global)'"
for command in $commands; do
    help=$("$kwb" "$command" --help)
    own=$(comm -23 <(options_of <<< "$help") <(echo "$global" | tr ' ' '\n'))
    [[ $(in_completion "_kwb_command_options $command") == "$(echo $own)" ]] ||
        fail "$command options: completion has '$(in_completion "_kwb_command_options $command")', kwb $command --help has '$(echo $own)'"
    # An option followed by <VALUE> in the help takes a value; the completion must know which.
    while read -r option takes; do
        bash --norc --noprofile -c "source '$script'; _kwb_takes_value $option"
        actual=$?
        if [[ $takes == value && $actual != 0 ]]; then fail "$option takes a value but the completion thinks not"; fi
        if [[ $takes == flag && $actual == 0 ]]; then fail "$option is a flag but the completion thinks it takes a value"; fi
    done < <(sed '1,/^Options:$/d' <<< "$help" | grep -E '^ +(-[a-z], )?--[a-z-]+' |
        sed -E 's/^ +(-[a-z], )?(--[a-z-]+)( <[^>]*>)?.*/\2\3/' | awk '{ print $1, (NF > 1 ? "value" : "flag") }' | sort -u)
done

if ((failures)); then
    echo "$failures completion check(s) failed"
    exit 1
fi
echo "bash completion: all checks passed (${modes[*]})"
