#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Make captures/tls_keylog.pcapng: real SIP over TLS on 127.0.0.1:5061, with
# the TLS key log embedded (pcapng Decryption Secrets Block), so that
# `tshark -r captures/tls_keylog.pcapng -Y sip` shows the decrypted SIP with
# no extra option.
#
# openssl s_server (self-signed certificate made on the fly) plays the SIP
# server, openssl s_client -keylogfile the client; dumpcap captures lo.
# The client sends two requests on one connection:
#   1. OPTIONS, valid                -> the server answers 200 OK
#   2. INVITE without Via (hdr.missing.via), Content-Length: 0 -> no answer
# The client's Via and Contact carry its real ephemeral port, read with ss.
#
# Needs: openssl, dumpcap, editcap, tshark, ss (apt-get install -y tshark
# openssl iproute2) and the right to capture on lo (root or the wireshark
# group).  Run by hand; the output is committed.  TLS randomness makes every
# run different.  Usage: captures/make_tls_capture.sh [output.pcapng]

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/tls_keylog.pcapng}
port=5061
work=$(mktemp -d)
pids=()

cleanup() {
    local pid
    exec 3>&- 4>&-
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# wait_until CMD...: run CMD every 0.1 s until it succeeds, at most 10 s
wait_until() {
    local _
    for _ in $(seq 100); do
        "$@" && return 0
        sleep 0.1
    done
    echo "timed out waiting for: $*" >&2
    exit 1
}

listening() {
    ss -Htln "sport = :$port" | grep -q .
}

if listening; then
    echo "port $port is already in use" >&2
    exit 1
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=sip.example.com" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

dumpcap -i lo -f "tcp port $port" -w "$work/raw.pcapng" 2>"$work/dumpcap.log" &
pids+=($!)
wait_until grep -q "Capturing on" "$work/dumpcap.log"

mkfifo "$work/server.in" "$work/client.in"
openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" \
    -naccept 1 -quiet <"$work/server.in" >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
exec 3>"$work/server.in"
wait_until listening

openssl s_client -connect "127.0.0.1:$port" -servername sip.example.com \
    -keylogfile "$work/keys.txt" -nocommands <"$work/client.in" >"$work/client.out" 2>"$work/client.err" &
pids+=($!)
exec 4>"$work/client.in"
wait_until grep -q "Cipher is" "$work/client.out"

client_port=$(ss -Htn state established "dport = :$port" |
    awk '{split($3, a, ":"); print a[2]; exit}')
[ -n "$client_port" ] || { echo "cannot find the client's port" >&2; exit 1; }
host=127.0.0.1:$client_port

# send FD TEXT: write the header lines in TEXT with CRLF line ends, then the empty line
send() {
    printf '%s\n' "$2" | sed 's/$/\r/' >&"$1"
    sleep 0.5
}

options="OPTIONS sip:example.com;transport=tls SIP/2.0
Via: SIP/2.0/TLS $host;branch=z9hG4bK.tls0001;rport
Max-Forwards: 70
From: \"Alice\" <sip:alice@example.com>;tag=t1s0a1
To: <sip:example.com>
Call-ID: 4e1c7b2a9d30@127.0.0.1
CSeq: 1 OPTIONS
Contact: <sip:alice@$host;transport=tls>
User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)
Content-Length: 0
"
ok="SIP/2.0 200 OK
Via: SIP/2.0/TLS $host;branch=z9hG4bK.tls0001;rport=$client_port
From: \"Alice\" <sip:alice@example.com>;tag=t1s0a1
To: <sip:example.com>;tag=srv77e1
Call-ID: 4e1c7b2a9d30@127.0.0.1
CSeq: 1 OPTIONS
Allow: INVITE, ACK, CANCEL, BYE, OPTIONS
Server: openssl s_server (sip400 sample)
Content-Length: 0
"
invite="INVITE sip:bob@example.com;transport=tls SIP/2.0
Max-Forwards: 70
From: \"Alice\" <sip:alice@example.com>;tag=t1s0a2
To: <sip:bob@example.com>
Call-ID: 4e1c7b2a9d31@127.0.0.1
CSeq: 1 INVITE
Contact: <sip:alice@$host;transport=tls>
User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)
Content-Length: 0
"

send 4 "$options"
send 3 "$ok"
send 4 "$invite"
exec 4>&-   # client: end of input -> close_notify, exit
sleep 1
exec 3>&-
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" || true

editcap --inject-secrets "tls,$work/keys.txt" "$work/raw.pcapng" "$out"
echo "wrote $out"
tshark -r "$out" -Y sip
