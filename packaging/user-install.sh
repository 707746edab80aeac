#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install sip400 for the current user only, without root:
#   sh packaging/user-install.sh [--uninstall] [BUILD_DIR]     (default: build)
# Builds BUILD_DIR when it has no plugin yet, then copies
#   the plugin      -> ~/.local/lib/wireshark/plugins/<major.minor>/epan/sip400.so
#   sip400-report   -> ~/.local/bin/sip400-report             (when the tree has it)
#   the profile     -> <personal config>/profiles/SIP 400/    (kept if it exists)
# <major.minor> is the Wireshark version the plugin was built against (the
# folder name in BUILD_DIR/stage/plugins); Wireshark loads only that version.
# Wireshark and tshark ignore these personal folders when run as root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mode=install
if [ "${1:-}" = --uninstall ]; then mode=uninstall; shift; fi
build=${1:-$top/build}

: "${HOME:?HOME is not set}"
plugbase="$HOME/.local/lib/wireshark/plugins"
confdir="${XDG_CONFIG_HOME:-$HOME/.config}/wireshark"
profile="$confdir/profiles/SIP 400"

if [ "$(id -u)" = 0 ]; then
    echo "user-install.sh: warning: running as root; Wireshark and tshark ignore personal plugin folders for root" >&2
fi

if [ "$mode" = uninstall ]; then
    for f in "$plugbase"/*/epan/sip400.so; do
        [ -e "$f" ] && rm -f "$f" && echo "removed $f"
    done
    [ -e "$HOME/.local/bin/sip400-report" ] && rm -f "$HOME/.local/bin/sip400-report" && echo "removed $HOME/.local/bin/sip400-report"
    [ -d "$profile" ] && echo "kept the profile $profile (it may hold your changes; delete it yourself)"
    exit 0
fi

stage="$build/stage/plugins"
if ! ls "$stage"/*/epan/sip400.so >/dev/null 2>&1; then
    echo "user-install.sh: building in $build" >&2
    cmake -S "$top" -B "$build" -DSIP400_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target sip400
fi
set -- "$stage"/*/epan/sip400.so
[ -f "$1" ] || { echo "user-install.sh: no plugin in $stage" >&2; exit 1; }
[ $# -eq 1 ] || { echo "user-install.sh: several Wireshark versions in $stage: $*" >&2; exit 1; }
so=$1
majmin=$(basename "$(dirname "$(dirname "$so")")")

dest="$plugbase/$majmin/epan"
mkdir -p "$dest"
# copy then rename: a running Wireshark never sees half a file
cp "$so" "$dest/.sip400.so.tmp"
chmod 0644 "$dest/.sip400.so.tmp"
mv -f "$dest/.sip400.so.tmp" "$dest/sip400.so"
echo "installed $dest/sip400.so"

if [ -f "$top/packaging/sip400-report" ]; then
    mkdir -p "$HOME/.local/bin"
    cp "$top/packaging/sip400-report" "$HOME/.local/bin/sip400-report"
    chmod 0755 "$HOME/.local/bin/sip400-report"
    echo "installed $HOME/.local/bin/sip400-report"
fi

if ls "$top/packaging/profile/"* >/dev/null 2>&1; then
    if [ -d "$profile" ]; then
        echo "kept the existing profile $profile"
    else
        mkdir -p "$profile"
        cp "$top/packaging/profile/"* "$profile/"
        echo "installed the profile $profile"
    fi
fi

# the Wireshark on this machine must be the one the plugin was built for
if command -v tshark >/dev/null 2>&1; then
    running=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
    if [ -n "$running" ] && [ "$running" != "$majmin" ]; then
        echo "user-install.sh: warning: tshark here is Wireshark $running, the plugin was built for $majmin: rebuild" >&2
    fi
fi
echo "check with: tshark -G plugins | grep sip400"
