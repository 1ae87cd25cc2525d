#!/usr/bin/env bash
# Checks the Debian package as a user gets it: unpacks it into a temporary root (dpkg -x) and
# checks its control fields (Depends computed by dpkg-shlibdeps), that every file is where it
# belongs, that the installed programs run from that root, that the desktop file, metainfo, MIME
# type and man pages are valid, and that the bash completion works.
#
#   check_deb.sh DEB_DIR VERSION TESTS_SOURCE_DIR
set -uo pipefail
deb_dir=$1 version=$2 here=$3
app_id=io.github.kinesisworkbench.KinesisWorkbench
mime_type=application/x-kinesis-workbench-workspace
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1
    shift
    if "$@"; then pass; else fail "$what"; fi
}

shopt -s nullglob
debs=("$deb_dir"/*.deb)
if ((${#debs[@]} != 1)); then
    echo "FAIL: expected one .deb in $deb_dir, found ${#debs[@]}"
    exit 1
fi
deb=${debs[0]}
echo "Checking $deb"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root" || { echo "FAIL: dpkg -x $deb"; exit 1; }
usr=$root/usr

# --- control fields
field() { dpkg-deb -f "$deb" "$1"; }
check "Package is kinesis-workbench, not '$(field Package)'" test "$(field Package)" = kinesis-workbench
check "Version is $version, not '$(field Version)'" test "$(field Version)" = "$version"
check "Architecture is $(dpkg --print-architecture), not '$(field Architecture)'" \
    test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "Maintainer is 'Name <address>', not '$(field Maintainer)'" grep -Eq '^[^<]+ <[^@ ]+@[^> ]+>$' <<< "$(field Maintainer)"
check "Description has a summary and a long description" test "$(field Description | wc -l)" -ge 3
check "Section is set" test -n "$(field Section)"
check "Homepage is an https URL" grep -q '^https://' <<< "$(field Homepage)"
depends=$(field Depends)
echo "Depends: $depends"
# Debian 13 renamed some libraries (libqt6core6t64, libssl3t64): either name will do.
for lib in libc6 'libstdc\+\+6' 'libqt6core6(t64)?' libqt6gui6 libqt6widgets6 libqt6network6 'libssl3(t64)?' \
    qt6-qpa-plugins libqt6svg6; do
    check "Depends lists $lib (dpkg-shlibdeps or the extra Depends): $depends" \
        grep -Eq "(^|, )$lib( \(|,|$)" <<< "$depends"
done
check "Depends has versions from the shlibs files" grep -Eq 'libqt6core6(t64)? \(>= 6' <<< "$depends"

# --- files
check "every file is under /usr" test -z "$(dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -v '^\./usr/\|^\./$')"
expected=(
    bin/kwb bin/kinesis-workbench
    share/applications/$app_id.desktop
    share/metainfo/$app_id.metainfo.xml
    share/mime/packages/$app_id.xml
    share/icons/hicolor/scalable/apps/$app_id.svg
    share/man/man1/kwb.1.gz share/man/man1/kinesis-workbench.1.gz
    share/bash-completion/completions/kwb
    share/doc/kinesis-workbench/copyright share/doc/kinesis-workbench/changelog.gz
    share/doc/kinesis-workbench/user-guide/README.md
)
for size in 16 32 48 64 128 256; do
    expected+=(share/icons/hicolor/${size}x$size/apps/$app_id.png)
done
for file in "${expected[@]}"; do
    check "/usr/$file is in the package" test -f "$usr/$file"
done
# The pictures the user guide shows (../screenshots/*.png) are there too.
for page in "$usr"/share/doc/kinesis-workbench/user-guide/*.md; do
    for picture in $(grep -o '](\.\./screenshots/[^)]*)' "$page" | sed 's/^](\.\.\///; s/)$//'); do
        check "${page##*/} shows $picture, which is in the package" test -f "$usr/share/doc/kinesis-workbench/$picture"
    done
done
for program in kwb kinesis-workbench; do
    check "/usr/bin/$program is executable" test -x "$usr/bin/$program"
    if command -v readelf >/dev/null; then
        check "/usr/bin/$program has no RPATH/RUNPATH" test -z "$(readelf -d "$usr/bin/$program" | grep -E 'RPATH|RUNPATH')"
        check "/usr/bin/$program is stripped" test -z "$(readelf -S "$usr/bin/$program" | grep -E '\.debug_info|\.symtab')"
    fi
done
# PNG width and height: big-endian at bytes 16-23 of the file.
for size in 16 32 48 64 128 256; do
    png=$usr/share/icons/hicolor/${size}x$size/apps/$app_id.png
    [[ -f $png ]] || continue
    dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 "x" $5*16777216 + $6*65536 + $7*256 + $8 }')
    check "$size px icon is ${size}x$size, not $dims" test "$dims" = "${size}x$size"
done
check "the SVG icon is well-formed XML" xmllint --noout "$usr/share/icons/hicolor/scalable/apps/$app_id.svg"

# --- the programs, run from the unpacked root
kwb=$usr/bin/kwb
check "kwb --version prints 'kwb $version', not '$("$kwb" --version 2>&1)'" test "$("$kwb" --version 2>&1)" = "kwb $version"
hash_json=$("$kwb" hash abc --shards 3 --output json 2>&1)
check "kwb hash abc --shards 3 --output json: $hash_json" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert len(rows) == 1, rows
assert rows[0]["partitionKey"] == "abc", rows
assert rows[0]["shardId"] == "shardId-000000000001", rows
assert rows[0]["hashKey"] == "191415658344158766168031473277922803570", rows
' "$hash_json"
gui_version=$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$root/run "$usr/bin/kinesis-workbench" --version 2>/dev/null)
check "kinesis-workbench --version prints 'Kinesis Workbench $version', not '$gui_version'" \
    test "$gui_version" = "Kinesis Workbench $version"

# --- desktop file
desktop=$usr/share/applications/$app_id.desktop
if [[ -f $desktop ]]; then
    out=$(desktop-file-validate "$desktop" 2>&1)
    rc=$?
    echo "desktop-file-validate: rc=$rc${out:+, }$out"
    check "desktop-file-validate passes without a message" test "$rc" = 0 -a -z "$out"
    check "the desktop file runs kinesis-workbench %f" grep -qx 'Exec=kinesis-workbench %f' "$desktop"
    check "the desktop file's MimeType lists $mime_type" grep -Eq "^MimeType=(.*;)?$mime_type;" "$desktop"
    check "the desktop file's icon is $app_id" grep -qx "Icon=$app_id" "$desktop"
fi

# --- AppStream metainfo
metainfo=$usr/share/metainfo/$app_id.metainfo.xml
if [[ -f $metainfo ]]; then
    out=$(appstreamcli validate --no-net --strict "$metainfo" 2>&1)
    rc=$?
    echo "appstreamcli validate --no-net --strict: rc=$rc, $out"
    check "appstreamcli validate --no-net --strict passes" test "$rc" = 0
    xpath() { xmllint --xpath "$1" "$metainfo" 2>/dev/null; }
    check "the metainfo's id is $app_id" test "$(xpath 'string(/component/id)')" = "$app_id"
    check "the metainfo launches $app_id.desktop" test "$(xpath 'string(//launchable[@type="desktop-id"])')" = "$app_id.desktop"
    check "the metainfo's newest release is $version" test "$(xpath 'string(//releases/release[1]/@version)')" = "$version"
    check "the metainfo has screenshots" test "$(xpath 'count(//screenshots/screenshot/image)')" -ge 1
    # Each screenshot is a picture of docs/screenshots/ (installed with the user guide), captioned.
    for ((i = 1; i <= $(xpath 'count(//screenshots/screenshot)'); i++)); do
        url=$(xpath "string(//screenshots/screenshot[$i]/image)")
        check "screenshot $i is an https URL of docs/screenshots/*.png, not '$url'" \
            grep -Eq '^https://[^ ]+/docs/screenshots/[a-z0-9-]+\.png$' <<< "$url"
        check "screenshot $i, ${url##*/}, is in the package's docs" test -f "$usr/share/doc/kinesis-workbench/screenshots/${url##*/}"
        check "screenshot $i has a caption" test -n "$(xpath "string(//screenshots/screenshot[$i]/caption)")"
    done
    check "the metainfo has an OARS content rating" test "$(xpath 'count(//content_rating[starts-with(@type,"oars-")])')" = 1
    check "the metainfo provides $mime_type" test "$(xpath 'string(//provides/mediatype)')" = "$mime_type"
fi
# The installed tree as a whole: the metainfo, the desktop file it launches and its icons.
out=$(appstreamcli validate-tree --no-net "$root" 2>&1)
rc=$?
echo "appstreamcli validate-tree --no-net: rc=$rc, $out"
check "appstreamcli validate-tree --no-net passes" test "$rc" = 0

# --- MIME type: *.kwb maps to it, and it opens in the app
mime_xml=$usr/share/mime/packages/$app_id.xml
check "the MIME XML is well-formed" xmllint --noout "$mime_xml"
if command -v update-mime-database >/dev/null; then
    update-mime-database "$usr/share/mime" >/dev/null 2>&1
    check "update-mime-database maps *.kwb to $mime_type" grep -q ":$mime_type:\*\.kwb$" "$usr/share/mime/globs2"
else
    fail "update-mime-database not found (package shared-mime-info)"
fi
update-desktop-database "$usr/share/applications" 2>&1
check "update-desktop-database opens $mime_type with $app_id.desktop" \
    grep -qx "$mime_type=$app_id.desktop;" "$usr/share/applications/mimeinfo.cache"
# What a file manager does on a double-click (GLib): find the file's type, then its default app.
if command -v gio >/dev/null; then
    mkdir -p "$root/home" "$root/work"
    echo '{}' > "$root/work/orders.kwb"
    desktop_env=(env XDG_DATA_DIRS="$usr/share:/usr/share" XDG_DATA_HOME="$root/home" XDG_CONFIG_HOME="$root/home"
        XDG_CONFIG_DIRS="$root/home" PATH="$usr/bin:$PATH")
    type=$("${desktop_env[@]}" gio info -a standard::content-type "$root/work/orders.kwb" 2>&1 | sed -n 's/^ *standard::content-type: //p')
    check "a .kwb file has the type $mime_type, not '$type'" test "$type" = "$mime_type"
    # A workspace that lost its name (a mail attachment, a download) is still known by its first bytes.
    printf '%s\n' '{"format":"kinesis-workbench-workspace","version":1,"rows":0}' > "$root/work/attachment"
    type=$("${desktop_env[@]}" gio info -a standard::content-type "$root/work/attachment" 2>&1 | sed -n 's/^ *standard::content-type: //p')
    check "a workspace without its .kwb suffix has the type $mime_type by content, not '$type'" test "$type" = "$mime_type"
    default_app=$("${desktop_env[@]}" gio mime "$mime_type" 2>&1 | head -1)
    check "the default application of $mime_type is $app_id.desktop: $default_app" grep -q "$app_id\.desktop" <<< "$default_app"
else
    fail "gio not found (package libglib2.0-bin)"
fi

# --- man pages
for page in kwb kinesis-workbench; do
    man_file=$usr/share/man/man1/$page.1.gz
    [[ -f $man_file ]] || continue
    warnings=$(zcat "$man_file" | groff -man -Tutf8 -ww -z 2>&1)
    check "$page.1 renders without groff warnings: $warnings" test -z "$warnings"
done
if [[ -f $usr/share/man/man1/kwb.1.gz ]]; then
    text=$(zcat "$usr/share/man/man1/kwb.1.gz" | MANWIDTH=100 groff -man -Tutf8 -P-cbou 2>/dev/null)
    check "kwb.1 has a COMMANDS section" grep -q '^COMMANDS' <<< "$text"
    for command in $("$kwb" --help | sed -n '/^Commands:$/,/^$/p' | grep -E '^  [a-z]' | awk '{ print $1 }'); do
        check "kwb.1 describes the command $command" grep -Eq "^ +$command$" <<< "$text"
    done
    check "kwb.1 lists put's --partition-key-strategy" grep -q -- '--partition-key-strategy' <<< "$text"
fi

# --- copyright: the licence in full, machine-readable
copyright=$usr/share/doc/kinesis-workbench/copyright
if [[ -f $copyright ]]; then
    check "copyright is in the machine-readable format" grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$copyright"
    check "copyright names the Apache-2.0 licence" grep -qx 'License: Apache-2.0' "$copyright"
    # The licence paragraph (after the second "License: Apache-2.0"), unindented, is LICENSE.
    licence=$(awk '/^License: Apache-2.0$/ { n++; next } n == 2 { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }' "$copyright")
    check "copyright holds the full text of LICENSE" \
        diff <(sed -e 's/[[:space:]]*$//' <<< "$licence" | sed -e '/./,$!d') \
             <(sed -e 's/[[:space:]]*$//' "${KWB_SOURCE_DIR:-$here/../..}/LICENSE" | sed -e '/./,$!d' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
fi
changelog_version=$(zcat "$usr/share/doc/kinesis-workbench/changelog.gz" 2>/dev/null | head -1 | sed -n 's/^kinesis-workbench (\([^)]*\)).*/\1/p')
check "changelog's newest entry is $version, not '$changelog_version'" test "$changelog_version" = "$version"

# --- bash completion, installed
completion=$usr/share/bash-completion/completions/kwb
if [[ -f $completion ]]; then
    check "bash completion: bash -n" bash -n "$completion"
    check "bash completion: check_completion.sh on the installed files" bash "$here/check_completion.sh" "$completion" "$kwb"
fi

echo "check_deb: $passed checks passed, $failed failed"
((failed == 0))
