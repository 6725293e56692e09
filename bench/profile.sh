#!/usr/bin/env bash
# Where indexing time goes: profiles one `dossier index` run over the quick
# (5,000-page) benchmark archive and prints the top functions by self time.
#
#   bench/profile.sh [--work DIR] [--top N]
#
#   --work DIR  the benchmark folder (default: $DOSSIER_BENCH_DIR, else
#               ${TMPDIR:-/tmp}/dossier-bench); the archive is generated
#               there unless bench/run.sh --quick left one
#   --top N     how many functions to print (default 15)
#
# Uses `perf record -g` (Debian: apt-get install linux-perf); without perf,
# or when the kernel forbids it, valgrind's callgrind (apt-get install
# valgrind) over one 1,000-page folder set, since callgrind runs ~50x slower.
# The release profile keeps line tables, so symbols resolve.
set -euo pipefail

WORK="${DOSSIER_BENCH_DIR:-${TMPDIR:-/tmp}/dossier-bench}"
TOP=15
PAGES=5000
SEED=6
while [ $# -gt 0 ]; do
    case "$1" in
        --work) WORK="${2:?--work needs a folder}"; shift 2 ;;
        --top) TOP="${2:?--top needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "profile: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/dossier"
ARCHIVE="$WORK/archive-$PAGES"
STAMP="$WORK/archive-$PAGES.json"
OUT="$WORK/profile"

(cd "$REPO" && cargo build --release)
mkdir -p "$WORK" "$OUT"
GEN_SHA="$(sha256sum "$REPO/bench/gen_archive.py" | cut -c1-16)"
if ! { [ -d "$ARCHIVE" ] && [ -f "$STAMP" ] && grep -q "\"generator\": \"$GEN_SHA\"" "$STAMP" \
        && grep -q "\"seed\": $SEED," "$STAMP"; }; then
    echo "profile: generating the $PAGES-page archive in $ARCHIVE" >&2
    rm -rf "$ARCHIVE" "$STAMP"
    python3 "$REPO/bench/gen_archive.py" --pages "$PAGES" --seed "$SEED" --out "$ARCHIVE" \
        | python3 -c 'import json,sys; s=json.load(sys.stdin); s["generator"]=sys.argv[1]; print(json.dumps(s))' "$GEN_SHA" \
        > "$STAMP"
fi

rm -rf "$OUT/index"
if command -v perf >/dev/null && perf record -o /dev/null -q true >/dev/null 2>&1; then
    echo "profile: perf record -g over dossier index ($PAGES pages)" >&2
    perf record -g -o "$OUT/perf.data" -- "$BIN" index "$ARCHIVE" --index "$OUT/index"
    perf report -i "$OUT/perf.data" --no-children --sort symbol --stdio > "$OUT/symbols.txt" 2>/dev/null
    perf report -i "$OUT/perf.data" --no-children --sort dso --stdio > "$OUT/dsos.txt" 2>/dev/null
    echo
    echo "Top $TOP functions by self time (perf, all threads):"
    grep -E '^ +[0-9.]+%' "$OUT/symbols.txt" | sed -E 's/( +-)* *$//' | awk -v n="$TOP" 'NR <= n'
    echo
    echo "Self time by library:"
    grep -E '^ +[0-9.]+%' "$OUT/dsos.txt" | sed -E 's/( +-)* *$//' | awk 'NR <= 6'
    echo
    echo "Self time by crate (first path segment of each symbol):"
    python3 - "$OUT/symbols.txt" <<'PY'
import re, sys
from collections import Counter
share = Counter()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"\s+([\d.]+)%\s+\[(.)\]\s+(.*)", line)
    if not m:
        continue
    pct, kind, sym = float(m.group(1)), m.group(2), m.group(3).strip()
    path = re.match(r"[<&\s]*(?:dyn\s+|impl\s+)?([A-Za-z_][A-Za-z0-9_]*)::", sym)
    if kind == "k":
        crate = "[kernel]"
    elif path:
        crate = path.group(1)
    else:
        crate = "libc and other C symbols"
    share[crate] += pct
for crate, pct in share.most_common(12):
    print(f"  {pct:6.2f}%  {crate}")
PY
    echo
    echo "Full report: perf report -i $OUT/perf.data"
elif command -v valgrind >/dev/null; then
    SUBSET="$(find "$ARCHIVE" -mindepth 2 -maxdepth 2 -type d | sort | head -n 1)"
    echo "profile: perf unavailable; callgrind over $SUBSET" >&2
    valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
        "$BIN" index "$SUBSET" --index "$OUT/index"
    echo
    echo "Top $TOP functions by self cost (instructions, callgrind):"
    callgrind_annotate --inclusive=no "$OUT/callgrind.out" > "$OUT/callgrind.txt" 2>/dev/null
    grep -E '^ *[0-9,]+ ' "$OUT/callgrind.txt" | head -n "$TOP"
else
    echo "profile: needs perf (apt-get install linux-perf) or valgrind (apt-get install valgrind)" >&2
    exit 1
fi
