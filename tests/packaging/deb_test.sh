#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packaging.deb: build the Debian package, lint it, install it, check that it
# works for an ordinary user, remove it and check nothing is left.
#   deb_test.sh SOURCE_DIR WORK_DIR
# Needs root (dpkg -i); exits 77 (skipped) when not root or when dpkg-deb,
# lintian, setpriv or tshark are missing (sh packaging/deps.sh test).
# It writes into Wireshark's system folders: files it finds there before (e.g.
# a sip400.so from packaging/install.sh) are saved and put back at the end.
set -eu
src=$(cd "$1" && pwd)
work=$2

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i)"
for tool in dpkg dpkg-deb lintian setpriv tshark cmake cpack; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (sh packaging/deps.sh test)"
done
if dpkg-query -W -f='${Status}' sip400 2>/dev/null | grep -q 'installed'; then
    skip "a sip400 package is already installed; remove it (dpkg -r sip400) to run this test"
fi

fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
ok() { echo "ok: $*"; }

rm -rf "$work"
mkdir -p "$work"
backup="$work/backup"
home=$(mktemp -d "${TMPDIR:-/tmp}/sip400-deb-home.XXXXXX")
chmod 0777 "$home"
installed=0
restore() {
    if [ "$installed" = 1 ]; then
        dpkg --purge sip400 >/dev/null 2>&1 || true
    fi
    if [ -d "$backup" ]; then
        (cd "$backup" && find . ! -type d) | while IFS= read -r f; do
            mkdir -p "$(dirname "/$f")"
            cp -a "$backup/$f" "/$f"
            echo "restored /${f#./}"
        done
    fi
    rm -rf "$home"
}
trap restore EXIT
trap 'exit 1' INT TERM

# as user nobody, with an empty home and no plugin folder override
as_user() {
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env -u WIRESHARK_PLUGIN_DIR -u WIRESHARK_CONFIG_DIR HOME="$home" "$@"
}

# ---- build ----
deb=$(sh "$src/packaging/build-deb.sh" "$work/build" | tail -n 1)
[ -f "$deb" ] || { echo "FAIL: no package built" >&2; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
name=$(basename "$deb")
arch=$(dpkg --print-architecture)
project_version=$(sed -n 's/^set(SIP400_VERSION_STRING \([0-9.]*\)).*/\1/p' "$src/plugin/sources.cmake")
# the package is for the Wireshark release it was built on: 0.1.0+ws4.4
ws=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
expect_version="${project_version}+ws${ws}"
[ "$version" = "$expect_version" ] && [ "$name" = "sip400_${expect_version}_${arch}.deb" ] && ok "built $name" ||
    bad "package is $name (version $version), expected sip400_${expect_version}_${arch}.deb"

echo "--- dpkg-deb -I"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Section
depends=$(dpkg-deb -f "$deb" Depends)
abi=$(echo "$depends" | sed -n 's/.*\(libwireshark[0-9]*\) (<< \([0-9.]*\)~).*/\1 << \2/p')
[ -n "$abi" ] && ok "Depends bounds the libwireshark ABI ($abi)" || bad "Depends has no upper bound on libwireshark: $depends"

# every path in the package, without the leading "."
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^\.\?$' > "$work/paths"
echo "--- dpkg-deb -c"
dpkg-deb -c "$deb"
plugin=$(grep "/wireshark/plugins/$ws/epan/sip400\\.so\$" "$work/paths" || true)
[ -n "$plugin" ] && ok "plugin at $plugin" || bad "no plugin in the package's plugins/$ws folder"
# the libwireshark package of the tshark on this machine (ldd may name /lib
# where dpkg knows /usr/lib: merged /usr)
lib=$(ldd "$(command -v tshark)" | sed -n 's/.*=> \(.*libwireshark\.so[^ ]*\).*/\1/p' | head -n 1)
lib=$(readlink -f "$lib")
ownabi=$( (dpkg-query -S "$lib" || dpkg-query -S "/usr${lib#/usr}") 2>/dev/null | sed -n '1s/^\([^:]*\):.*/\1/p')
case "${ownabi:-?}|$(dpkg-deb -f "$deb" Depends)" in
    "$ownabi|"*"$ownabi ("*) ok "Depends names this release's $ownabi" ;;
    *) bad "Depends does not name this release's libwireshark package ($ownabi)" ;;
esac
for want in /usr/share/doc/sip400/copyright /usr/share/doc/sip400/README.md /usr/share/man/man7/sip400.7.gz; do
    grep -qxF "$want" "$work/paths" || bad "package lacks $want"
done
profile_dir=$(sed -n 's|^\(/usr/share/wireshark/profiles/[^/]*\)$|\1|p' "$work/paths" | head -n 1)
if [ -f "$src/packaging/sip400-report" ]; then
    grep -qxF /usr/bin/sip400-report "$work/paths" || bad "package lacks /usr/bin/sip400-report"
    grep -qxF /usr/share/man/man1/sip400-report.1.gz "$work/paths" || bad "package lacks the sip400-report man page"
fi

# ---- lintian ----
echo "--- lintian"
if lintian --fail-on error "$deb" 2>&1 | grep -v 'running with root privileges' | tee "$work/lintian.txt"; then :; fi
if grep -q '^E: ' "$work/lintian.txt"; then
    bad "lintian reports errors"
else
    ok "lintian: no errors ($(grep -c '^W: ' "$work/lintian.txt" || true) warnings)"
fi

# ---- save what the package will overwrite ----
while IFS= read -r p; do
    if [ -e "$p" ] && [ ! -d "$p" ]; then
        mkdir -p "$backup$(dirname "$p")"
        cp -a "$p" "$backup$p"
        echo "saved $p (restored at the end)"
    fi
done < "$work/paths"
# folders that exist before stay; the others must be gone after dpkg -r
while IFS= read -r p; do
    [ -d "$p" ] && echo "$p"
done < "$work/paths" > "$work/dirs_before"

# ---- install ----
installed=1
dpkg -i "$deb" >/dev/null || { echo "FAIL: dpkg -i" >&2; exit 1; }
ok "dpkg -i $name"

line=$(as_user tshark -G plugins 2>/dev/null | grep '^sip400\.so' || true)
echo "tshark -G plugins: $line"
case $line in
    *"$project_version"*dissector*"$plugin") ok "tshark lists sip400 $project_version from $plugin" ;;
    *) bad "tshark -G plugins does not list sip400 $project_version from $plugin" ;;
esac

fields="-e frame.number -e sip400.cause -e sip400.severity -e sip400.header -e sip400.explanation"
# shellcheck disable=SC2086
as_user tshark -r "$src/captures/demo.pcap" -Y sip400 -T fields -E occurrence=a -E aggregator='|' $fields \
    > "$work/demo.installed" 2>"$work/demo.err" || bad "tshark -r demo.pcap failed: $(cat "$work/demo.err")"
# the same build from its staging folder: the installed plugin must give the same diagnosis
stage=$(cd "$work/build/stage/plugins" && pwd)
# shellcheck disable=SC2086
setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$home" WIRESHARK_PLUGIN_DIR="$stage" \
    tshark -r "$src/captures/demo.pcap" -Y sip400 -T fields -E occurrence=a -E aggregator='|' $fields \
    > "$work/demo.stage" 2>/dev/null || true
n=$(wc -l < "$work/demo.installed")
errors=$(awk -F'\t' '$3 ~ /error/' "$work/demo.installed" | wc -l)
if [ "$n" -gt 0 ] && [ "$errors" -gt 0 ] && cmp -s "$work/demo.installed" "$work/demo.stage"; then
    ok "demo.pcap: $n diagnosed frames ($errors with an error finding), same as the build"
else
    bad "demo.pcap: $n diagnosed frames, $errors with errors; installed vs build:"
    diff "$work/demo.stage" "$work/demo.installed" >&2 || true
fi
head -n 5 "$work/demo.installed" | cut -c1-120

if [ -n "$profile_dir" ]; then
    pname=$(basename "$profile_dir")
    as_user tshark -C "$pname" -r "$src/captures/demo.pcap" -Y sip400 > "$work/demo.profile" 2>&1 || true
    if [ -d "$home/.config/wireshark/profiles/$pname" ] && [ -s "$work/demo.profile" ]; then
        ok "global profile \"$pname\" found by tshark -C (copied into the user's profiles)"
    else
        bad "tshark -C \"$pname\" did not use the global profile: $(head -n 3 "$work/demo.profile")"
    fi
fi

if command -v man >/dev/null 2>&1; then
    for page in sip400 sip400-report; do
        grep -q "/man[0-9]/$page\.[0-9]\.gz$" "$work/paths" || continue
        if man -w "$page" >/dev/null 2>&1 &&
           warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -Tutf8 "$page" 2>&1 >/dev/null) &&
           [ -z "$warn" ]; then
            ok "man $page renders without warnings"
        else
            bad "man $page: ${warn:-not found}"
        fi
    done
fi
if grep -qxF /usr/bin/sip400-report "$work/paths"; then
    as_user sip400-report --help >/dev/null 2>&1 && ok "sip400-report --help" || bad "sip400-report --help failed"
    rv=$(as_user sip400-report --version 2>&1 || true)
    [ "$rv" = "sip400-report $project_version" ] && ok "$rv" || bad "sip400-report --version: '$rv', sip400 $project_version"
    # the installed command finds the installed plugin: the demo capture has incidents
    if as_user sip400-report -q "$src/captures/demo.pcap" > "$work/report.txt" 2>&1; then
        ok "sip400-report over demo.pcap: $(grep -c . "$work/report.txt") lines of summary"
    else
        rc=$?
        [ $rc = 1 ] && ok "sip400-report over demo.pcap (exit 1: findings)" || { bad "sip400-report demo.pcap exit $rc"; cat "$work/report.txt" >&2; }
    fi
fi

# ---- remove ----
dpkg -r sip400 >/dev/null || bad "dpkg -r sip400"
left=0
while IFS= read -r p; do
    [ -e "$p" ] || continue
    if [ -d "$p" ]; then
        grep -qxF "$p" "$work/dirs_before" && continue
        echo "left behind: $p/" >&2
    else
        echo "left behind: $p" >&2
    fi
    left=$((left + 1))
done < "$work/paths"
[ $left = 0 ] && ok "dpkg -r: no file or folder of the package left" || bad "dpkg -r left $left paths"
if dpkg-query -W -f='${Status}' sip400 2>/dev/null | grep -q 'installed'; then
    bad "dpkg still lists sip400: $(dpkg-query -W -f='${Status}' sip400)"
fi
dpkg --purge sip400 >/dev/null 2>&1 || true
installed=0
if as_user tshark -G plugins 2>/dev/null | grep -q '^sip400\.so'; then
    bad "tshark still lists sip400 after dpkg -r"
else
    ok "tshark no longer lists sip400"
fi

[ $fail = 0 ] && echo "PASS packaging.deb" || echo "FAIL packaging.deb"
exit $fail
