#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The sip400 benchmark: one command, one table.
#
#   bench/run.sh [BUILD_DIR]          (default: build-bench)
#
# 1. configures and builds BUILD_DIR (plugin + engine_bench);
# 2. generates BUILD_DIR/bench.pcap once (bench/gen_capture.py: >= 1,000,000
#    SIP messages over UDP and TCP, ~5% of the transactions answered 400);
# 3. engine micro-benchmark (bench/engine_bench.c): messages/s and MB/s on one
#    core, built-in corpus and the capture's UDP messages;
# 4. tshark without and with the plugin, alternately, PAIRS times per mode,
#    on the same capture; medians of wall time, CPU time (user+sys) and peak
#    RSS, and the ratios with/without:
#      fields  -T fields -e sip.Call-ID -e sip.Status-Code   (same command both sides)
#      filter  -Y sip400  vs  -Y sip                          (filter on our protocol vs SIP's)
#      stats   -q -z sip400,tree  vs  -q -z sip,stat          (when sip400,tree exists)
# 5. instr: the fields command under valgrind --tool=callgrind, over the first
#    INSTR_FRAMES frames (-c) and over one frame (start-up), without and with
#    the plugin: instructions per frame after start-up and their ratio, a
#    figure that does not depend on the machine's load (needs valgrind;
#    skipped without it).
# Environment: PAIRS (5), MESSAGES (1000000), MODES ("fields filter stats instr"),
# INSTR_FRAMES (10500), BENCH_PCAP (use this capture instead of generating one).
# The capture stays out of git (it is ~600 MB); the generator is committed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-bench}
pairs=${PAIRS:-5}
messages=${MESSAGES:-1000000}
modes=${MODES:-fields filter stats instr}
instr_frames=${INSTR_FRAMES:-10500}

mkdir -p "$build"
build=$(cd "$build" && pwd)
echo "== build ($build)" >&2
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target sip400 engine_bench >/dev/null

pcap=${BENCH_PCAP:-$build/bench.pcap}
if [ ! -s "$pcap" ]; then
    echo "== generating $pcap ($messages messages)" >&2
    python3 "$top/bench/gen_capture.py" "$pcap" --messages "$messages" >"$build/bench.pcap.txt"
fi
if [ -s "$build/bench.pcap.txt" ]; then cat "$build/bench.pcap.txt" >&2; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sip400-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/home" "$work/noplugins"
chmod 0777 "$work/home"
chmod 0755 "$work" "$work/noplugins"
if [ "$(id -u)" = 0 ]; then
    asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    asuser=""
fi

# run PLUGIN_DIR OUT tshark-args...: appends "wall cpu rss_kib" to OUT
run() {
    dir=$1
    out=$2
    shift 2
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
        $asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$dir" tshark -n -r "$pcap" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || {
        echo "tshark $* failed:" >&2
        tail -n 5 "$work/stderr.txt" >&2
        return 1
    }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.txt" >>"$out"
}

# instr PLUGIN_DIR FRAMES: instructions of tshark -T fields over the first frames
instr() {
    # shellcheck disable=SC2086
    $asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$1" valgrind --tool=callgrind \
        --callgrind-out-file=/dev/null tshark -n -r "$pcap" -c "$2" \
        -T fields -e sip.Call-ID -e sip.Status-Code >/dev/null 2>"$work/cg.txt" || {
        tail -n 5 "$work/cg.txt" >&2
        return 1
    }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.txt"
}

median() { # column file
    awk -v c="$1" '{ print $c }' "$2" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

plugin_dir=$build/stage/plugins
has_tree=$($asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$plugin_dir" tshark -z help 2>&1 | grep -c '^ *sip400,tree' || true)

echo "== engine micro-benchmark" >&2
eng_builtin=$("$build/bench/engine_bench" 5 | tee /dev/stderr | sed -n 's/^engine: //p')
eng_pcap=$("$build/bench/engine_bench" 5 --pcap "$pcap" | tee /dev/stderr | sed -n 's/^engine: //p')

rows=$work/rows.txt
: >"$rows"
instr_row=""
for mode in $modes; do
    case $mode in
        instr)
            if ! command -v valgrind >/dev/null 2>&1; then
                echo "== instr: valgrind missing, skipped" >&2
                continue
            fi
            echo "== instr: callgrind over $instr_frames frames" >&2
            ib=$(instr "$work/noplugins" "$instr_frames"); ib1=$(instr "$work/noplugins" 1)
            iw=$(instr "$plugin_dir" "$instr_frames"); iw1=$(instr "$plugin_dir" 1)
            instr_row=$(echo "$ib $ib1 $iw $iw1 $instr_frames" | awk '{
                b = ($1 - $2) / ($5 - 1); w = ($3 - $4) / ($5 - 1)
                printf "| -T fields, frames 2-%d | %.0f | %.0f | %.0f | %.3f |", $5, b, w, w - b, w / b }')
            continue ;;
        fields)
            label="-T fields -e sip.Call-ID -e sip.Status-Code"
            base="-T fields -e sip.Call-ID -e sip.Status-Code"
            with="-T fields -e sip.Call-ID -e sip.Status-Code" ;;
        filter)
            label="-Y sip400 (baseline: -Y sip)"
            base="-Y sip"
            with="-Y sip400" ;;
        stats)
            if [ "$has_tree" -eq 0 ]; then
                echo "== stats: -z sip400,tree is not available in this build, skipped" >&2
                echo "stats|-q -z sip400,tree vs -q -z sip,stat|n/a|n/a|n/a|n/a|n/a|n/a|n/a|n/a|n/a" >>"$rows"
                continue
            fi
            label="-q -z sip400,tree (baseline: -q -z sip,stat)"
            base="-q -z sip,stat"
            with="-q -z sip400,tree" ;;
        *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    : >"$work/base.$mode"
    : >"$work/with.$mode"
    i=1
    while [ "$i" -le "$pairs" ]; do
        echo "== $mode: pair $i/$pairs" >&2
        # alternate the order so that neither side always runs on a warm cache
        if [ $((i % 2)) -eq 1 ]; then
            # shellcheck disable=SC2086
            run "$work/noplugins" "$work/base.$mode" $base
            # shellcheck disable=SC2086
            run "$plugin_dir" "$work/with.$mode" $with
        else
            # shellcheck disable=SC2086
            run "$plugin_dir" "$work/with.$mode" $with
            # shellcheck disable=SC2086
            run "$work/noplugins" "$work/base.$mode" $base
        fi
        i=$((i + 1))
    done
    bw=$(median 1 "$work/base.$mode"); ww=$(median 1 "$work/with.$mode")
    bc=$(median 2 "$work/base.$mode"); wc=$(median 2 "$work/with.$mode")
    br=$(median 3 "$work/base.$mode"); wr=$(median 3 "$work/with.$mode")
    echo "$mode|$label|$bw|$ww|$(echo "$ww $bw" | awk '{printf "%.3f", $1/$2}')|$bc|$wc|$(echo "$wc $bc" | awk '{printf "%.3f", $1/$2}')|$((br / 1024))|$((wr / 1024))|$(echo "$wr $br" | awk '{printf "%.3f", $1/$2}')" >>"$rows"
    echo "   base: $(tr '\n' ';' <"$work/base.$mode")" >&2
    echo "   with: $(tr '\n' ';' <"$work/with.$mode")" >&2
done

# ---- the table ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
frames=$(capinfos -c -M "$pcap" 2>/dev/null | sed -n 's/^Number of packets: *//p' || true)
msgs=""
if [ "$pcap" = "$build/bench.pcap" ]; then
    msgs=$(sed -n 's/.*: \([0-9]*\) SIP messages.*/\1/p' "$build/bench.pcap.txt" 2>/dev/null || true)
fi
echo
echo "sip400 benchmark, $(date -u +%Y-%m-%d)"
echo "machine: $cpu, $(nproc) CPUs, $mem RAM, $(uname -sr); tshark $(tshark -v 2>/dev/null | head -n 1 | sed -n 's/^TShark (Wireshark) \([0-9.]*\).*/\1/p')"
echo "load average before the tshark runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "capture: $(basename "$pcap"), ${msgs:-?} SIP messages in ${frames:-?} frames, $(du -m "$pcap" | cut -f1) MB"
echo
echo "| mode | tshark arguments | wall s without | wall s with | wall ratio | CPU s without | CPU s with | CPU ratio | peak RSS MiB without | peak RSS MiB with | RSS ratio |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'|' '{ printf "|"; for (i = 1; i <= NF; i++) printf " %s |", $i; print "" }' "$rows"
echo
echo "medians of $pairs alternating pairs; CPU = user + sys of tshark"
if [ -n "$instr_row" ]; then
    echo
    echo "| instructions per frame after start-up (callgrind) | without | with | added | ratio |"
    echo "|---|---:|---:|---:|---:|"
    echo "$instr_row"
fi
echo
echo "| engine corpus | messages/s (one core) | MB/s | mean bytes | findings/message |"
echo "|---|---:|---:|---:|---:|"
for e in "built-in:$eng_builtin" "capture UDP:$eng_pcap"; do
    name=${e%%:*}
    kv=${e#*:}
    echo "$kv" | awk -v n="$name" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
        printf "| %s | %s | %s | %s | %s |\n", n, v["msgs_per_s"], v["mb_per_s"], v["mean_bytes"], v["findings_per_msg"] }'
done
