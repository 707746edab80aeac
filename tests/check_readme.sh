#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's cause table (between the causes:begin/end markers) must be
# exactly what the catalog generates.  To refresh it:
#   tests/check_readme.sh build/sip400-catalog README.md --update
set -eu
tool=$1; readme=$2; mode=${3:-check}
gen=$(mktemp); cur=$(mktemp)
trap 'rm -f "$gen" "$cur"' EXIT INT TERM
"$tool" markdown > "$gen"
sed -n '/<!-- causes:begin -->/,/<!-- causes:end -->/p' "$readme" | sed '1d;$d' > "$cur"
if [ "$mode" = --update ]; then
    awk -v gen="$gen" '
        /<!-- causes:begin -->/ { print; while ((getline line < gen) > 0) print line; skip = 1; next }
        /<!-- causes:end -->/ { skip = 0 }
        !skip { print }' "$readme" > "$readme.new" && mv "$readme.new" "$readme"
    echo "updated $readme"
    exit 0
fi
if ! diff -u "$cur" "$gen"; then
    echo "FAIL: README cause table differs from plugin/causes.def; run: tests/check_readme.sh build/sip400-catalog README.md --update" >&2
    exit 1
fi
echo "ok: README cause table matches the catalog ($(grep -c '^| `' "$gen") causes)"
