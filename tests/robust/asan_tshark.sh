#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The sip400 plugin built with ASan + UBSan, inside the stock tshark, over
# captures as they are and mutated the way Wireshark fuzzes itself.
#
#   tests/robust/asan_tshark.sh CC ASAN_PLUGIN_DIR WORKDIR SEEDS CAPTURE_DIR_OR_FILE...
#
# CC is the compiler that built the plugin (its libasan is preloaded);
# ASAN_PLUGIN_DIR holds <major.minor>/epan/sip400.so built with
# -fsanitize=address,undefined (target sip400_asan).  Every capture runs through
#   tshark -nVxr FILE                                (full tree, like Wireshark's fuzz-test.sh)
#   tshark -n -2 -r FILE -T fields -e sip400.cause   (two passes, pruned tree)
# and SEEDS copies of each, mutated with `editcap -E 0.02 --seed N`, through
# tshark -nVxr, with WIRESHARK_DEBUG_WMEM_OVERRIDE=strict and
# WIRESHARK_ABORT_ON_DISSECTOR_BUG=1, ASan (with leak detection) and UBSan.
# Fails when any sanitizer report has a frame in our code (sip400.so or
# plugin/*.c); reports from Wireshark's own code are listed, not counted.
# Exit 77 (skip) when a tool is missing.
set -u
cc=$1
stage=$2
work=$3
seeds=$4
shift 4
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${SIP400_ASAN_JOBS:-2}
tmo=${SIP400_ASAN_RUN_TIMEOUT:-300} # seconds per tshark run

skip() {
    echo "SKIP: $*"
    exit 77
}
command -v tshark >/dev/null 2>&1 || skip "tshark not found"
command -v editcap >/dev/null 2>&1 || skip "editcap not found"
libasan=$("$cc" -print-file-name=libasan.so 2>/dev/null)
[ -n "$libasan" ] && [ -e "$libasan" ] || skip "libasan.so of $cc not found"
so=$(ls "$stage"/*/epan/sip400.so 2>/dev/null | head -n 1)
[ -n "$so" ] || skip "no ASan plugin in $stage (cmake --build BUILD --target sip400_asan)"
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || skip "running as root without setpriv (tshark ignores plugin dirs as root)"
    asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    asuser=""
fi

rm -rf "$work"
mkdir -p "$work/mut" "$work/logs" "$work/home" "$work/no-extcap"
chmod 0777 "$work/logs" "$work/home"
chmod 0755 "$work" "$work/mut"

# ---- the captures ----
list=$work/captures.txt
: >"$list"
for src in "$@"; do
    if [ -d "$src" ]; then
        find "$src" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort >>"$list"
    elif [ -f "$src" ]; then
        echo "$src" >>"$list"
    fi
done
norig=$(wc -l <"$list")
[ "$norig" -gt 0 ] || skip "no captures in $*"

# ---- mutated copies (editcap -E: Wireshark's own fuzz method) ----
mutlist=$work/mutated.txt
: >"$mutlist"
i=0
while read -r f; do
    i=$((i + 1))
    base=$(basename "$f")
    s=1
    while [ "$s" -le "$seeds" ]; do
        out=$work/mut/$i-$s-$base
        if editcap -E 0.02 --seed "$s" "$f" "$out" >/dev/null 2>&1; then
            echo "$out" >>"$mutlist"
        fi
        s=$((s + 1))
    done
done <"$list"
chmod -R a+r "$work/mut"
nmut=$(wc -l <"$mutlist")

# ---- one tshark run: MODE FILE ----
cat >"$work/run_one.sh" <<EOF
#!/bin/sh
mode=\$1
f=\$2
slow=\${3:-}
tag=\$(echo "\$mode-\$f" | cksum | cut -d' ' -f1)
# fast unwinding by default (10x cheaper); "slow" reruns a run that reported a
# leak with full malloc stacks (GLib has no frame pointers) to attribute it
if [ -n "\$slow" ]; then
    unwind="fast_unwind_on_malloc=0:malloc_context_size=30"
    alog=$work/logs/asan-slow.\$tag
    rcfile=$work/logs/rc-slow.txt
else
    unwind="fast_unwind_on_malloc=1"
    alog=$work/logs/asan.\$tag
    rcfile=$work/logs/rc.txt
fi
env_run() {
    timeout -k 10 $tmo $asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$stage" \\
        WIRESHARK_EXTCAP_DIR="$work/no-extcap" LD_PRELOAD="$libasan" \\
        ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:handle_abort=1:\$unwind:log_path=\$alog" \\
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$work/logs/ubsan.\$tag" \\
        WIRESHARK_DEBUG_WMEM_OVERRIDE=strict WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 \\
        tshark "\$@"
}
case \$mode in
    V) env_run -nVxr "\$f" >/dev/null 2>"$work/logs/stderr.\$tag" ;;
    F) env_run -n -2 -r "\$f" -T fields -e frame.number -e sip400.cause >/dev/null 2>"$work/logs/stderr.\$tag" ;;
esac
rc=\$?
echo "\$rc \$mode \$f \$tag" >>"\$rcfile"
EOF
chmod 0755 "$work/run_one.sh"
touch "$work/logs/rc.txt" "$work/logs/rc-slow.txt"
chmod 0666 "$work/logs/rc.txt" "$work/logs/rc-slow.txt"

# the ASan plugin must load: its protocol is registered (not -G plugins, which
# runs the extcap helpers: they hang with libasan preloaded)
# shellcheck disable=SC2086
loaded=$(timeout -k 5 120 $asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$stage" \
    WIRESHARK_EXTCAP_DIR="$work/no-extcap" LD_PRELOAD="$libasan" \
    ASAN_OPTIONS=detect_leaks=0 tshark -G protocols 2>/dev/null | awk -F"\t" '$3 == "sip400"' | wc -l)
[ "$loaded" -ge 1 ] || { echo "FAIL: tshark did not load $so"; exit 1; }

start=$(date +%s)
{
    sed 's/^/V /' "$list"
    sed 's/^/F /' "$list"
    sed 's/^/V /' "$mutlist"
} | xargs -P "$jobs" -L 1 sh "$work/run_one.sh"
# leak reports: run again with full malloc stacks, classify those instead
mkdir -p "$work/logs/fast-leaks"
for log in "$work"/logs/asan.*; do
    [ -e "$log" ] || continue
    grep -q 'LeakSanitizer' "$log" || continue
    tag=$(basename "$log" | cut -d. -f2)
    awk -v t="$tag" '$4 == t { print $2, $3 }' "$work/logs/rc.txt" | head -n 1 >>"$work/leak-reruns.txt"
    mv "$log" "$work/logs/fast-leaks/"
done
if [ -s "$work/leak-reruns.txt" ]; then
    echo "asan_tshark: $(wc -l <"$work/leak-reruns.txt") run(s) reported leaks: again with full malloc stacks"
    sed 's/$/ slow/' "$work/leak-reruns.txt" | xargs -P "$jobs" -L 1 sh "$work/run_one.sh"
fi
secs=$(($(date +%s) - start))
nruns=$(wc -l <"$work/logs/rc.txt")

# ---- classify the sanitizer reports ----
# ours: a frame in sip400.so, or in one of our source files (by name, so that a
# plugin built from another checkout is recognised too)
srcre=$(cd "$top/plugin" && ls *.c | sed 's/\./\\./' | tr '\n' '|' | sed 's/|$//')
ours=0
theirs=0
for log in "$work"/logs/asan.* "$work"/logs/asan-slow.* "$work"/logs/ubsan.*; do
    [ -e "$log" ] || continue
    # one report per block: LSan prints one block per leak, ASan/UBSan one per file
    awk -v so="sip400.so" -v srcre="/(${srcre}):[0-9]" -v file="$log" '
        function flush() {
            if (block ~ /#[0-9]+ /) { # a report with a stack (not a banner)
                if (index(block, so) || block ~ srcre) { print "OURS " file; print block > "/dev/stderr"; n_ours++ }
                else { print "THEIRS " file; n_theirs++ }
            }
            block = ""
        }
        /^(Direct|Indirect) leak of/ { flush() }
        /^==[0-9]+==ERROR/ || /runtime error:/ { flush() }
        /^SUMMARY:/ { next }
        { block = block $0 "\n" }
        END { flush() }
    ' "$log" >>"$work/classified.txt" 2>>"$work/ours.txt"
done
[ -e "$work/classified.txt" ] && {
    ours=$(grep -c '^OURS' "$work/classified.txt")
    theirs=$(grep -c '^THEIRS' "$work/classified.txt")
}
# exits by signal / abort (dissector bug) without a sanitizer report; 124: timeout
crashes=$(awk '$1 >= 128' "$work/logs/rc.txt" | wc -l)
timeouts=$(awk '$1 == 124' "$work/logs/rc.txt" | wc -l)

echo "asan_tshark: $norig captures (+ $nmut mutated with editcap -E 0.02, $seeds seeds), $nruns tshark runs in ${secs}s"
echo "asan_tshark: sanitizer reports from our code: $ours; from Wireshark/libraries: $theirs; exits by signal: $crashes; timeouts (${tmo}s): $timeouts"
if [ "$theirs" -gt 0 ]; then
    echo "asan_tshark: reports outside our code (not counted):"
    grep '^THEIRS' "$work/classified.txt" | head -n 10
fi
if [ "$crashes" -gt 0 ]; then
    echo "asan_tshark: runs that ended by a signal:"
    awk '$1 >= 128' "$work/logs/rc.txt" | head -n 10
fi
if [ "$timeouts" -gt 0 ]; then
    echo "FAIL: tshark runs hit the ${tmo}s timeout (hang?):"
    awk '$1 == 124' "$work/logs/rc.txt" | head -n 10
    exit 1
fi
if [ "$ours" -gt 0 ]; then
    echo "FAIL: sanitizer reports in sip400 code:"
    head -n 200 "$work/ours.txt"
    exit 1
fi
# a signal without any sanitizer report cannot be attributed: fail if it names us
for tag in $(awk '$1 >= 128 {print $4}' "$work/logs/rc.txt"); do
    if grep -q sip400 "$work/logs/stderr.$tag" 2>/dev/null; then
        echo "FAIL: crash mentioning sip400:"
        tail -n 20 "$work/logs/stderr.$tag"
        exit 1
    fi
done
exit 0
