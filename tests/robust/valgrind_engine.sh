#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# valgrind memcheck of the engine alone (fuzz_replay: the fuzz target without
# libFuzzer) over every message of the seed corpus: unit cases, tests/e2e,
# fuzz regressions, captures/ and ../shared/corpora.  Catches reads of
# uninitialised memory, which ASan does not see.
#   tests/robust/valgrind_engine.sh BUILD_DIR
set -u
build=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not found"; exit 77; }
seeds=$build/tests/robust/valgrind-seeds
rm -rf "$seeds"
python3 "$top/tests/fuzz/make_seeds.py" "$seeds" --cases "$build/tests/fuzz/fuzz_seed_cases" --top "$top" || exit 1
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --track-origins=yes --fullpath-after= "$build/tests/fuzz/fuzz_replay" "$seeds"
rc=$?
echo "valgrind_engine: exit $rc (0: no memory error, no leak)"
exit $rc
