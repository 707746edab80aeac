#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install the Debian 12 packages sip400 needs, only those missing.
#   packaging/deps.sh build   - compiler, CMake, Wireshark development files, tshark
#   packaging/deps.sh test    - build + the real peers and tools the test suite uses
#   packaging/deps.sh gui     - test + Wireshark Qt, Xvfb and ImageMagick (GUI checks)
set -eu
set_build="build-essential cmake pkg-config libglib2.0-dev libwireshark-dev wireshark-dev tshark"
set_test="$set_build python3 kamailio sip-tester openssl clang libclang-rt-14-dev valgrind lintian file"
set_gui="$set_test wireshark-qt xvfb imagemagick xdotool"
case "${1:-build}" in
    build) wanted=$set_build ;;
    test) wanted=$set_test ;;
    gui) wanted=$set_gui ;;
    *) echo "usage: $0 build|test|gui" >&2; exit 2 ;;
esac
missing=""
for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "sip400: missing packages:$missing" >&2
    echo "sip400: run as root (or with sudo) to install them" >&2
    exit 1
fi
echo "sip400: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
# the kamailio package may start a system service on 5060: the tests run their own
if command -v systemctl >/dev/null 2>&1; then systemctl stop kamailio 2>/dev/null || true; fi
pkill -x kamailio 2>/dev/null || true
