#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole test suite on the Wireshark releases users run, each in a Debian
# tree of its own:
#
#   tests/releases.sh [SUITE...]        (as root; default: every release but the host's)
#
#   SUITE      Debian codename    Wireshark
#   bookworm   Debian 12          4.0
#   trixie     Debian 13          4.4
#   sid        Debian unstable    4.6
#
# Each tree is made once with mmdebstrap from the host's package mirror and
# kept in $SIP400_RELEASE_TREES/SUITE (default /var/cache/sip400/releases):
# later runs reuse it (SIP400_RELEASE_REFRESH=1 makes it again).  In it the
# release's own packages are installed by packaging/deps.sh test (its
# Kamailio, SIPp, clang, valgrind, sofia-sip, belle-sip), and tests/run.sh
# runs there as on the host: build with -Werror, then ctest.  The source tree
# is bound read-write at /src/sip400 (../shared beside it at /src/shared when
# it exists); the build goes into a tmpfs at the tree's /tmp.  Mounts live in a
# private mount namespace: nothing is left mounted when a run ends, however it
# ends.  Peers started by the tests run in network namespaces of their own, as
# on the host.
#
# Prints one line per release (Wireshark version, result, minutes) and exits
# non-zero when any release fails or cannot be set up.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
trees=${SIP400_RELEASE_TREES:-/var/cache/sip400/releases}
log() { printf 'releases.sh: %s\n' "$*" >&2; }

host_suite() {
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
    case "$codename" in bookworm|trixie) echo "$codename" ;; *) echo sid ;; esac
}

if [ $# -eq 0 ]; then
    host=$(host_suite)
    set --
    for s in bookworm trixie sid; do [ "$s" = "$host" ] || set -- "$@" "$s"; done
fi
for s in "$@"; do
    case "$s" in bookworm|trixie|sid) ;; *) log "unknown release '$s' (bookworm, trixie or sid)"; exit 2 ;; esac
done
if [ "$(id -u)" != 0 ]; then
    log "needs root (mmdebstrap, chroot): releases $* not tested"
    exit 2
fi

# the host's Debian mirror (deb822 or one-line sources), else deb.debian.org
mirror() {
    m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
    [ -n "$m" ] || m=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
    echo "${m:-http://deb.debian.org/debian}"
}

make_tree() {
    suite=$1 dir=$2
    command -v mmdebstrap >/dev/null 2>&1 || {
        log "installing mmdebstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
    }
    rm -rf "$dir.new"
    mkdir -p "$(dirname "$dir")"
    log "$suite: making the tree (mmdebstrap, $(mirror))"
    # unstable: the mirror's snapshot can be older than its Release file's validity
    timeout 900 mmdebstrap --quiet --variant=apt --aptopt='Acquire::Check-Valid-Until "false"' \
        --include=build-essential,cmake,pkg-config,libglib2.0-dev,libwireshark-dev,wireshark-dev,tshark \
        "$suite" "$dir.new" "$(mirror)" >&2
    rm -rf "$dir"
    mv "$dir.new" "$dir"
}

# run CMD in tree DIR with the source bound at /src/sip400
in_tree() {
    dir=$1
    shift
    unshare --mount --propagation private sh -eu -c '
        dir=$1 top=$2; shift 2
        mkdir -p "$dir/src/sip400" "$dir/src/shared"
        mount --bind "$top" "$dir/src/sip400"
        if [ -d "$top/../shared" ]; then mount --bind "$top/../shared" "$dir/src/shared"; fi
        mount -t proc proc "$dir/proc"
        mount --rbind /dev "$dir/dev"
        mount --rbind /sys "$dir/sys"
        mount -t tmpfs -o mode=1777 tmpfs "$dir/tmp"
        cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
        exec chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb \
            CI="${CI:-}" SIP400_TEST_JOBS="${SIP400_TEST_JOBS:-}" "$@"' sh "$dir" "$top" "$@"
}

status=0
summary=""
for suite in "$@"; do
    dir="$trees/$suite"
    start=$(date +%s)
    if [ "${SIP400_RELEASE_REFRESH:-0}" = 1 ] || [ ! -x "$dir/usr/bin/tshark" ]; then
        if ! make_tree "$suite" "$dir"; then
            log "$suite: could not make the tree"
            summary="$summary$suite	-	tree not made\n"
            status=1
            continue
        fi
    fi
    ws=$(chroot "$dir" dpkg-query -W -f='${Version}' tshark 2>/dev/null || echo '?')
    log "$suite: Wireshark $ws: the whole suite (tests/run.sh)"
    rc=0
    in_tree "$dir" sh -c 'cd /src/sip400 && SIP400_IN_RELEASE_TREE=1 SIP400_BUILD_DIR=/tmp/sip400-build \
        exec sh tests/run.sh' || rc=$?
    mins=$(( ($(date +%s) - start + 30) / 60 ))
    if [ $rc = 0 ]; then
        summary="$summary$suite	$ws	passed	${mins} min\n"
    else
        summary="$summary$suite	$ws	FAILED ($rc)	${mins} min\n"
        status=1
    fi
done
printf '\nrelease\tWireshark\tsuite\ttime\n%b' "$summary"
exit $status
