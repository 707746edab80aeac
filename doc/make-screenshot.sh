#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-screenshot.sh - the README's GUI screenshot (doc/sip400-gui.png):
# Wireshark 4.0 (wireshark-qt) under Xvfb with the "SIP 400" profile
# (packaging/profile) and the plugin from a build tree, on captures/demo.pcap,
# frame 9 (the 400) selected and its "SIP 400 Diagnosis" subtree expanded.
#
#   doc/make-screenshot.sh [PLUGIN_DIR [OUT.png [CAPTURE [FRAME]]]]
#
# PLUGIN_DIR holds <major.minor>/epan/sip400.so (default: build/stage/plugins).
# Needs: apt-get install -y wireshark-qt xvfb imagemagick xdotool
# Runs Wireshark as user nobody when started as root (Wireshark, like tshark,
# ignores WIRESHARK_PLUGIN_DIR as root), with a temporary HOME holding
# .config/wireshark/profiles/SIP 400/ (a copy of packaging/profile).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
plugin_dir=$(cd "${1:-$repo/build/stage/plugins}" && pwd)
out=${2:-$repo/doc/sip400-gui.png}
capture=${3:-$repo/captures/demo.pcap}
frame=${4:-9}
for tool in wireshark Xvfb import xdotool; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool missing: apt-get install -y wireshark-qt xvfb imagemagick xdotool" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/sip400-shot.XXXXXX)
chmod 755 "$tmp"
home=$tmp/home
mkdir -p "$home/.config/wireshark/profiles/SIP 400"
cp "$repo"/packaging/profile/* "$home/.config/wireshark/profiles/SIP 400/"
# a readable copy of the capture: nobody may not read the tree's files
cp "$capture" "$tmp/capture.pcap"
# no "welcome" noise: a fixed window size, the packet list, details and bytes panes
cat >"$home/.config/wireshark/profiles/SIP 400/recent" <<'EOF'
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: 1600
gui.geometry_main_height: 1000
gui.geometry_main_maximized: FALSE
gui.geometry_main_upper_pane: 300
gui.geometry_main_lower_pane: 480
column.width: %m, 50, %t, 85, %s, 105, %d, 105, %p, 70, %i, 480, "%Cus:sip400.verdict", 220, "%Cus:sip400.cause", 250, "%Cus:sip400.outcome", 130
EOF
chmod -R a+rwX "$tmp"

display=:$((90 + $$ % 9))
xvfb_pid=""
ws_pid=""
cleanup() {
    [ -n "$ws_pid" ] && kill "$ws_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
sleep 1

as_user() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        "$@"
    fi
}
as_user env HOME="$home" DISPLAY="$display" WIRESHARK_PLUGIN_DIR="$plugin_dir" XDG_RUNTIME_DIR="$tmp" \
    wireshark -C "SIP 400" -r "$tmp/capture.pcap" -g "$frame" >"$tmp/wireshark.log" 2>&1 &
ws_pid=$!

# wait for the main window
win=""
for _ in $(seq 60); do
    win=$(DISPLAY=$display xdotool search --onlyvisible --name "capture.pcap" 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    sleep 0.5
done
[ -n "$win" ] || { cat "$tmp/wireshark.log" >&2; echo "Wireshark did not open a window" >&2; exit 1; }
sleep 2
export DISPLAY="$display"
xdotool windowmove "$win" 0 0 windowsize "$win" 1600 1000
sleep 1
# the packet details pane: below the packet list (upper pane 300 px)
xdotool mousemove 300 450 click 1
sleep 0.3
# last top-level item = "SIP 400 Diagnosis"; expand it and all its subtrees
xdotool key End
sleep 0.3
xdotool key shift+Right
sleep 1.5
import -window root "$out"
echo "wrote $out"
