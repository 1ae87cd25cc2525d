#!/bin/sh
# Builds the kwb(1) man page from the built kwb:
#   - help2man over `kwb --help` without its command list: NAME, SYNOPSIS, the global OPTIONS;
#   - a COMMANDS section made from `kwb --help` and each `kwb COMMAND --help`: synopsis,
#     description and the command's own options, so a new command or option appears by itself;
#   - the hand-written sections of kwb.h2m (exit status, environment, examples, see also).
#
#   kwb-manpage.sh KWB HELP2MAN H2M_FILE OUTPUT.1
set -eu
kwb=$1 help2man=$2 h2m=$3 out=$4
work=$out.d
rm -rf "$work"
mkdir -p "$work/bin"

# help2man runs `PROGRAM --help` and `PROGRAM --version`: give it kwb without the command list.
cat > "$work/bin/kwb" <<WRAPPER
#!/bin/sh
if [ "\$1" = --help ]; then "$kwb" --help | sed '/^Commands:\$/,\$d'; else exec "$kwb" "\$@"; fi
WRAPPER
chmod +x "$work/bin/kwb"

# roff escaping, shared by the awk programs below: backslash, hyphen, a leading dot or quote.
esc='
function esc(s,    r, i, c) {
    r = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "-") r = r "\\-"
        else if (c == "\\") r = r "\\e"
        else r = r c
    }
    if (r ~ /^[.'"'"']/) r = "\\&" r
    return r
}'

"$kwb" --help > "$work/help.txt"
# Global options, one name per line (--endpoint-url, -h, --help, ...).
sed -n '/^Options:$/,/^$/p' "$work/help.txt" | grep -oE '^ +(-[a-z], )?--[a-z-]+' | tr -d ' ' | tr ',' '\n' \
    > "$work/global-options.txt"

# The command's own options, as roff: those of `kwb NAME --help` that are not global.
command_options() {
    "$kwb" "$1" --help | sed '1,/^Options:$/d' | awk -v globals="$work/global-options.txt" "$esc"'
        BEGIN { while ((getline g < globals) > 0) global[g] = 1 }
        function spec_roff(spec,    n, parts, i, r, t) {
            n = split(spec, parts, / /); r = ""
            for (i = 1; i <= n; i++) {
                t = parts[i]
                if (t ~ /^</) { gsub(/[<>]/, "", t); t = "\\fI" esc(t) "\\fR" }
                else if (t ~ /^-/) { sub(/,$/, "", t); t = "\\fB" esc(t) "\\fR" (parts[i] ~ /,$/ ? "," : "") }
                r = r (i > 1 ? " " : "") t
            }
            return r
        }
        function flush() {
            if (spec != "" && !skip) { print ".TP"; print spec_roff(spec); print esc(text) }
            spec = ""; text = ""
        }
        /^ +-/ {
            flush()
            line = $0; sub(/^ +/, "", line)
            split(line, parts, /   */); spec = parts[1]
            text = substr(line, length(spec) + 1); sub(/^ +/, "", text)
            name = spec; sub(/ .*/, "", name); sub(/,$/, "", name)
            skip = (name in global)
            next
        }
        /^ +[^ -]/ { line = $0; sub(/^ +/, "", line); text = text " " line; next }
        END { flush() }' > "$work/options.txt"
    if [ -s "$work/options.txt" ]; then
        printf '.PP\nOptions:\n.RS\n'
        cat "$work/options.txt"
        printf '.RE\n'
    fi
}

{
    echo '[COMMANDS]'
    echo 'Each command also takes the global options above.'
    # In `kwb --help`, a command's synopsis is indented by 2 spaces and its description by 6.
    sed -n '/^Commands:$/,/^$/p' "$work/help.txt" | sed '1d;/^$/d' | {
        name=
        while IFS= read -r line; do
            case $line in
            "      "*)
                printf '%s\n' "$line" | awk "$esc"'{ sub(/^ +/, ""); print esc($0) }'
                ;;
            "  "*)
                [ -z "$name" ] || command_options "$name"
                name=$(printf '%s\n' "$line" | awk '{ print $1 }')
                printf '%s\n' "$line" | awk "$esc"'{
                    sub(/^ +/, ""); name = $1; rest = substr($0, length(name) + 1)
                    print ".SS " esc(name)
                    print "\\fBkwb\\fR [\\fIoptions\\fR] \\fB" esc(name) "\\fR" esc(rest)
                    print ".br"
                }'
                ;;
            esac
        done
        [ -z "$name" ] || command_options "$name"
    }
} > "$work/commands.h2m"

"$help2man" --no-info --name='publish records to Amazon Kinesis Data Streams' --section=1 \
    --include="$work/commands.h2m" --include="$h2m" --output="$out" "$work/bin/kwb"
rm -rf "$work"
