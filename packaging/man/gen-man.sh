#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Generate the sip400(7) man page at build time:
#   gen-man.sh TEMPLATE README CATALOG_TOOL OUT VERSION PLUGIN_DIR PROFILE_DIR WS_MAJMIN
# @CAUSES@ comes from the catalog ("sip400-catalog man", plugin/causes.def);
# @FIELDS@ and @PREFERENCES@ from the tables under the "Fields" and
# "Preferences" headings of README.md (the user documentation of the glue).
# A table that cannot be found becomes a pointer to the README.
set -eu
template=$1 readme=$2 tool=$3 out=$4 version=$5 plugin_dir=$6 profile_dir=$7 majmin=$8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$tool" man > "$tmp/causes"
[ -s "$tmp/causes" ] || { echo "gen-man.sh: $tool man printed nothing" >&2; exit 1; }

# md_table HEADING: the rows of the first Markdown table under a heading named
# HEADING as roff .TP items: first cell in bold, second in parentheses
# (prefixed with "default: " for the preferences), third as the text.
md_table() {
    awk -v heading="$1" -v prefix="$2" '
        function roff(s,    out, bold, c, i) {
            gsub(/\\/, "\\e", s)
            gsub(/\342\200\246/, "...", s)      # ellipsis
            gsub(/\342\200\224/, "\\(em", s)    # em dash
            gsub(/\342\206\222/, "\\(->", s)    # arrow
            gsub(/\*\*/, "", s)
            out = ""; bold = 0
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "`") { out = out (bold ? "\\fR" : "\\fB"); bold = !bold }
                else out = out c
            }
            if (bold) out = out "\\fR"
            if (out ~ /^[.\047]/) out = "\\&" out
            return out
        }
        function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
        /^#+ / { t = $0; sub(/^#+ +/, "", t); if (found && seen_table) exit; inside = (trim(t) == heading); next }
        !inside { next }
        /^\|/ {
            seen_table = 1; found = 1
            if ($0 ~ /^\|[- |:]+\|[ \t]*$/) next          # separator row
            line = $0; gsub(/\\\|/, "\001", line)          # escaped pipes
            n = split(line, cell, "|")
            if (n < 5) next
            for (i = 2; i <= 4; i++) { cell[i] = trim(cell[i]); gsub(/\001/, "|", cell[i]) }
            if (!header_done) { header_done = 1; next }     # the header row
            val = cell[3]
            if (val == "") val = "(empty)"
            name = cell[2] ~ /`/ ? cell[2] : "`" cell[2] "`"
            printf ".TP\n%s (%s%s)\n%s\n", roff(name), prefix, roff(val), roff(cell[4])
            next
        }
        seen_table { exit }
    ' "$readme"
}

if [ -r "$readme" ]; then
    md_table Fields "" > "$tmp/fields"
    md_table Preferences "default: " > "$tmp/prefs"
else
    : > "$tmp/fields"; : > "$tmp/prefs"
fi
for f in fields prefs; do
    if [ ! -s "$tmp/$f" ]; then
        printf '.PP\nSee\n.IR /usr/share/doc/sip400/README.md .\n' > "$tmp/$f"
    fi
done

awk -v causes="$tmp/causes" -v fields="$tmp/fields" -v prefs="$tmp/prefs" \
    -v version="$version" -v plugin_dir="$plugin_dir" -v profile_dir="$profile_dir" -v majmin="$majmin" '
    function cat(file,    line) { while ((getline line < file) > 0) print line; close(file) }
    $0 == "@CAUSES@" { cat(causes); next }
    $0 == "@FIELDS@" { cat(fields); next }
    $0 == "@PREFERENCES@" { cat(prefs); next }
    /^\.\\"/ && NR > 1 && NR < 5 { next }     # the template note
    {
        gsub(/@VERSION@/, version); gsub(/@PLUGIN_DIR@/, plugin_dir)
        gsub(/@PROFILE_DIR@/, profile_dir); gsub(/@WS_MAJMIN@/, majmin)
        print
    }' "$template" > "$tmp/page"
if grep -n '@[A-Z_]*@' "$tmp/page" >&2; then
    echo "gen-man.sh: unreplaced placeholder in $template" >&2
    exit 1
fi
mv "$tmp/page" "$out"
