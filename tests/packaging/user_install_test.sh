#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# packaging.user_install: packaging/user-install.sh puts the plugin into the
# personal plugin folder of a user without root, tshark loads it from there,
# and --uninstall removes it.
#   user_install_test.sh SOURCE_DIR BUILD_DIR
# BUILD_DIR is a built tree (BUILD_DIR/stage/plugins/<major.minor>/epan/sip400.so).
# As root the whole test runs as user nobody (tshark ignores personal plugin
# folders for root); otherwise as the current user.  Both with a fresh HOME.
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)

skip() { echo "SKIP: $*"; exit 77; }
command -v tshark >/dev/null 2>&1 || skip "tshark not found"
ls "$build"/stage/plugins/*/epan/sip400.so >/dev/null 2>&1 || skip "no plugin built in $build/stage/plugins"
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || skip "setpriv not found"
fi

fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
ok() { echo "ok: $*"; }

home=$(mktemp -d "${TMPDIR:-/tmp}/sip400-user-home.XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM
chmod 0777 "$home"

# A sip400.so in the system folder (packaging/install.sh or the package) would
# be loaded first and hide the personal one: then replace the system folder by
# an empty one for this test (WIRESHARK_PLUGIN_DIR), the personal folder stays.
sysdir=$(pkg-config --variable=plugindir wireshark 2>/dev/null || true)
override=""
if [ -n "$sysdir" ] && [ -e "$sysdir/epan/sip400.so" ]; then
    mkdir -m 0755 "$home/empty-system-plugins"
    override="$home/empty-system-plugins"
    echo "note: $sysdir/epan/sip400.so exists; the system plugin folder is replaced by an empty one"
fi

as_user() {
    if [ "$(id -u)" = 0 ]; then
        set -- setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    fi
    if [ -n "$override" ]; then
        "$@" 2>&1
    else
        env -u WIRESHARK_PLUGIN_DIR "$@" 2>&1
    fi
}
user_env() {
    if [ -n "$override" ]; then
        as_user env -u XDG_CONFIG_HOME HOME="$home" WIRESHARK_PLUGIN_DIR="$override" "$@"
    else
        as_user env -u XDG_CONFIG_HOME HOME="$home" "$@"
    fi
}

out=$(user_env sh "$src/packaging/user-install.sh" "$build") || { echo "$out"; bad "user-install.sh failed"; exit 1; }
echo "$out"
so=$(ls "$home"/.local/lib/wireshark/plugins/*/epan/sip400.so 2>/dev/null | head -n 1)
majmin=$(basename "$(dirname "$(ls -d "$build"/stage/plugins/*/epan)")")
want="$home/.local/lib/wireshark/plugins/$majmin/epan/sip400.so"
[ "$so" = "$want" ] && ok "plugin copied to $want" || bad "plugin not at $want (found: ${so:-nothing})"
[ "$(stat -c %U "$want" 2>/dev/null)" = "$(user_env id -un)" ] && ok "owned by $(user_env id -un)" || bad "wrong owner of $want"

line=$(user_env tshark -G plugins | grep '^sip400\.so' || true)
echo "tshark -G plugins: $line"
case $line in
    *dissector*"$want") ok "tshark loads sip400 from the personal folder" ;;
    *) bad "tshark -G plugins does not show $want" ;;
esac
folders=$(user_env tshark -G folders | grep '^Personal Plugins' || true)
case $folders in
    *"$home/.local/lib/wireshark/plugins/$majmin"*) ok "tshark -G folders: $folders" ;;
    *) bad "unexpected personal plugin folder: $folders" ;;
esac

n=$(user_env tshark -r "$src/captures/demo.pcap" -Y sip400 -T fields -e frame.number | grep -c '^[0-9]' || true)
[ "$n" -gt 0 ] && ok "demo.pcap: $n diagnosed frames" || bad "demo.pcap: nothing diagnosed"

if ls "$src/packaging/profile/"* >/dev/null 2>&1; then
    [ -f "$home/.config/wireshark/profiles/SIP 400/colorfilters" ] && ok "profile \"SIP 400\" installed" ||
        bad "profile not in $home/.config/wireshark/profiles/SIP 400"
fi
if [ -f "$src/packaging/sip400-report" ]; then
    [ -x "$home/.local/bin/sip400-report" ] && ok "sip400-report in ~/.local/bin" || bad "sip400-report not installed"
fi

# a second run replaces the plugin in place
user_env sh "$src/packaging/user-install.sh" "$build" >/dev/null || bad "second user-install.sh run failed"

user_env sh "$src/packaging/user-install.sh" --uninstall "$build" || bad "user-install.sh --uninstall failed"
[ ! -e "$want" ] && ok "--uninstall removed the plugin" || bad "$want still there after --uninstall"
if user_env tshark -G plugins | grep -q '^sip400\.so'; then
    bad "tshark still lists sip400 after --uninstall"
else
    ok "tshark no longer lists sip400"
fi

[ $fail = 0 ] && echo "PASS packaging.user_install" || echo "FAIL packaging.user_install"
exit $fail
