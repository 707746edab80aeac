#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run the real tshark with the sip400 plugin from a build tree.
#   tests/tshark.sh PLUGIN_DIR [tshark arguments...]
# PLUGIN_DIR is the directory that holds <major.minor>/epan/sip400.so
# (build/stage/plugins).  tshark ignores WIRESHARK_PLUGIN_DIR and the personal
# plugin folder when run as root, so as root this drops to user nobody.
# Preferences start from an empty, throw-away profile.
set -eu
plugin_dir=$1
shift
home=$(mktemp -d "${TMPDIR:-/tmp}/sip400-home.XXXXXX")
trap 'rm -rf "$home"' EXIT INT TERM
if [ "$(id -u)" = 0 ]; then
    chmod 0777 "$home"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$home" WIRESHARK_PLUGIN_DIR="$plugin_dir" tshark "$@"
else
    env HOME="$home" WIRESHARK_PLUGIN_DIR="$plugin_dir" tshark "$@"
fi
