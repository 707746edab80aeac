#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install the Debian packages sip400 needs, only those missing.  Works on
# Debian 12 (Wireshark 4.0), Debian 13 (4.4) and Debian unstable (4.6): the
# package names below exist on all three (libclang-rt-dev is each release's
# default compiler-rt, the Qt GUI is "wireshark").
#   packaging/deps.sh build   - compiler, CMake, Wireshark development files, tshark
#   packaging/deps.sh test    - build + the real peers and tools the test suite uses
#   packaging/deps.sh gui     - test + the Wireshark GUI, Xvfb and ImageMagick (GUI checks)
#
# It only installs.  It never stops, restarts or reconfigures a service: while
# it installs, a policy-rc.d keeps a freshly installed Kamailio package from
# starting a system service (the tests start their own Kamailio in a network
# namespace of their own), and a service that already runs is left alone.
set -eu
set_build="build-essential cmake pkg-config libglib2.0-dev libwireshark-dev wireshark-dev tshark"
set_test="$set_build python3 iproute2 kamailio sip-tester openssl clang libclang-rt-dev valgrind lintian file
 libsofia-sip-ua-dev libbellesip-dev"
set_gui="$set_test wireshark xvfb imagemagick xdotool"
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
# no service of a package installed here starts (exit 101: "action forbidden");
# an existing policy-rc.d is the machine's own and stays as it is
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# sip400 packaging/deps.sh: no service starts while it installs\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    ours=1
fi
cleanup() { if [ -n "$ours" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT INT TERM
# Debian unstable's mirror snapshots can be older than their Release file's validity
apt-get -o Acquire::Check-Valid-Until=false update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
