#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fuzz the sip400 engine with libFuzzer (ASan + UBSan).
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [JOBS]
# BUILD_DIR is a configured build tree (cmake -S . -B BUILD_DIR; the target is
# built here if needed).  SECONDS defaults to 60 (the fuzz.smoke test), JOBS to
# 1; JOBS > 1 uses libFuzzer's fork mode.  Long run, e.g. 4 hours on all cores:
#   tests/fuzz/run.sh build 14400 "$(nproc)"
# State lives in BUILD_DIR/fuzz/: seeds/ (rebuilt every run from the unit cases,
# tests/e2e, captures/ and ../shared/corpora), corpus/ (what the fuzzer learnt,
# kept between runs), artifacts/ (crash-*, timeout-*, oom-* inputs: copy each
# into tests/fuzz/regress/ once fixed, fuzz.regress replays them), last-run.log.
set -eu
build=$(cd "$1" && pwd)
secs=${2:-60}
jobs=${3:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=$build/tests/fuzz/fuzz_engine
seedgen=$build/tests/fuzz/fuzz_seed_cases
state=$build/fuzz

cmake --build "$build" --target fuzz_engine fuzz_seed_cases >/dev/null
mkdir -p "$state/corpus" "$state/artifacts"
rm -rf "$state/seeds"
python3 "$top/tests/fuzz/make_seeds.py" "$state/seeds" --cases "$seedgen" --top "$top"

log=$state/last-run.log
set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$state/artifacts/"
if [ "$jobs" -gt 1 ]; then
    set -- "$@" -fork="$jobs"
fi
before=$(ls "$state/artifacts" | wc -l)
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$fuzzer" "$@" "$state/corpus" "$state/seeds" >"$log" 2>&1 || rc=$?
after=$(ls "$state/artifacts" | wc -l)

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [ -z "$execs" ]; then
    # fork mode prints "#N ... exec/s" progress lines instead of final stats
    execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
fi
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
ncorpus=$(ls "$state/corpus" | wc -l)
nseeds=$(ls "$state/seeds" | wc -l)
echo "fuzz: ${secs}s x ${jobs} job(s): ${execs:-?} executions (${speed:-?}/s), coverage ${cov:-?} edges," \
     "seeds $nseeds, corpus $ncorpus, new crash/timeout/oom artifacts $((after - before)), fuzzer exit $rc"
if [ "$rc" -ne 0 ] || [ "$after" -ne "$before" ]; then
    tail -n 60 "$log"
    echo "fuzz: FAILED; inputs in $state/artifacts/ -- fix, then copy them into tests/fuzz/regress/" >&2
    exit 1
fi
