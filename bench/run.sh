#!/usr/bin/env bash
# dossier benchmark: one command, reproducible figures.
#
#   bench/run.sh [--pages N | --quick] [--seed S] [--work DIR]
#
#   --pages N   archive size (default 100000, the headline size)
#   --quick     5,000 pages
#   --seed S    generator seed (default 6); same N and S give the same pages
#   --work DIR  where the archive, indexes, logs and results go
#               (default: $DOSSIER_BENCH_DIR, else ${TMPDIR:-/tmp}/dossier-bench)
#
# Steps:
#   1. cargo build --release
#   2. bench/gen_archive.py writes N pages (several GB at 100k) into
#      WORK/archive-N, unless an archive made by the same generator, size and
#      seed is already there; it refuses politely when the disk is too full
#   3. the archive read once into the page cache; then
#      `dossier index` under GNU time, twice: a fresh index, then a re-run
#      over the unchanged archive; then an archive of one page saved
#      DUP_COPIES times (hard links), whose copies fold into one document
#   4. bench/queries.txt in `dossier search --queries --json` processes
#      (one warm-up pass, then 5 measured passes): per-query in-process
#      latency including snippets, from each summary's elapsed_ms, the
#      median of the passes; and the
#      wall time of single `dossier search WORD` processes on a warm cache
#   5. `rg -c -i WORD` over the raw pages for the same words
#   6. a Markdown table of every figure, with the machine described, printed
#      and written to WORK/results-N.md
#
# Needs: cargo, python3, GNU time (Debian: apt-get install time), ripgrep
# (apt-get install ripgrep) for the comparison; hyperfine (apt-get install
# hyperfine) is used when present, else a timing loop.
set -euo pipefail

PAGES=100000
SEED=6
WORK="${DOSSIER_BENCH_DIR:-${TMPDIR:-/tmp}/dossier-bench}"
QUERY_PASSES=5
PROCESS_RUNS=20
RG_RUNS=5
# How many times the duplicates step saves one page.
DUP_COPIES=10000
# Single-word queries timed as separate processes and compared with ripgrep:
# a frequent topic word, a place, a rare place.
WORDS=(pipeline Baku Karakalpakstan)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --pages) PAGES="${2:?--pages needs a number}"; shift 2 ;;
        --quick) PAGES=5000; shift ;;
        --seed) SEED="${2:?--seed needs a number}"; shift 2 ;;
        --work) WORK="${2:?--work needs a folder}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$PAGES" in ''|*[!0-9]*) echo "bench: --pages needs a positive number" >&2; exit 2 ;; esac

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/dossier"
ARCHIVE="$WORK/archive-$PAGES"
STAMP="$WORK/archive-$PAGES.json"
INDEX="$WORK/index-$PAGES"
LOGS="$WORK/logs-$PAGES"
RESULTS="$WORK/results-$PAGES.md"

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

if [ ! -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    die "GNU time is needed at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
fi
command -v python3 >/dev/null || die "python3 is needed (for the archive generator and the report)"
HAVE_RG=1
command -v rg >/dev/null || { HAVE_RG=0; echo "bench: ripgrep not found, skipping the comparison (apt-get install ripgrep)" >&2; }
HAVE_HYPERFINE=1
command -v hyperfine >/dev/null || HAVE_HYPERFINE=0

mkdir -p "$WORK" "$LOGS"
rm -f "$LOGS"/*
# Other work on the machine skews every figure: keep the load with them.
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 1. build
say "building (cargo build --release)"
(cd "$REPO" && cargo build --release)
[ -x "$BIN" ] || die "no binary at $BIN after the build"

# ------------------------------------------------------------- 2. archive
GEN_SHA="$(sha256sum "$BENCH/gen_archive.py" | cut -c1-16)"
archive_is_current() {
    [ -f "$STAMP" ] && [ -d "$ARCHIVE" ] && python3 - "$STAMP" "$PAGES" "$SEED" "$GEN_SHA" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
ok = s.get("pages") == int(sys.argv[2]) and s.get("seed") == int(sys.argv[3]) and s.get("generator") == sys.argv[4]
sys.exit(0 if ok else 1)
EOF
}

if archive_is_current; then
    say "reusing the archive in $ARCHIVE (same generator, size and seed)"
    GEN_REUSED=1
else
    rm -rf "$ARCHIVE" "$STAMP"
    # ~80 KB of HTML per page on average, plus room for two indexes.
    NEED=$(( PAGES * 80 * 1024 * 13 / 10 + 512 * 1024 * 1024 ))
    AVAIL=$(( $(df -Pk "$WORK" | awk 'NR==2 {print $4}') * 1024 ))
    if [ "$AVAIL" -lt "$NEED" ]; then
        die "$(awk -v w="$WORK" -v p="$PAGES" -v n="$NEED" -v a="$AVAIL" 'BEGIN {
            printf "not enough disk space in %s: %d pages need about %.1f GB, %.1f GB are free.\n", w, p, n / 1e9, a / 1e9
            printf "Try a smaller --pages, or --work on a larger disk." }')"
    fi
    say "generating $PAGES pages (seed $SEED) into $ARCHIVE"
    python3 "$BENCH/gen_archive.py" --pages "$PAGES" --seed "$SEED" --out "$ARCHIVE" > "$LOGS/gen.json"
    python3 - "$LOGS/gen.json" "$GEN_SHA" > "$STAMP" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["generator"] = sys.argv[2]
print(json.dumps(s))
EOF
    GEN_REUSED=0
fi
cp "$STAMP" "$LOGS/archive.json"
echo "$GEN_REUSED" > "$LOGS/gen_reused"

# --------------------------------------------------------------- 3. index
index_run() {  # $1: label
    say "indexing ($1)"
    local rc=0
    /usr/bin/time -v -o "$LOGS/$1.time" "$BIN" index "$ARCHIVE" --index "$INDEX" \
        2> "$LOGS/$1.err" || rc=$?
    tail -n 1 "$LOGS/$1.err" >&2
    [ "$rc" -eq 0 ] || die "dossier index failed (exit $rc); see $LOGS/$1.err"
}
# Indexing is timed from the page cache, as ripgrep is below: reading the
# archive once first keeps the disk's speed (and whatever evicted the pages
# since they were written) out of the figures. On a machine with less free
# memory than the archive, part of it is read from disk all the same.
say "reading the archive into the page cache"
find "$ARCHIVE" -type f -print0 | xargs -0 -P 2 -n 400 cat > /dev/null
rm -rf "$INDEX"
index_run index-fresh
du -sb "$INDEX" | cut -f1 > "$LOGS/index_bytes"
index_run index-rerun

say "one page saved $DUP_COPIES times"
DUPS="$WORK/duplicates"
rm -rf "$DUPS" "$DUPS-index"
mkdir -p "$DUPS"
first="$(find "$ARCHIVE" -type f -name '*.html' -print -quit)"
[ -n "$first" ] || die "no .html page in $ARCHIVE for the duplicates step"
for ((i = 0; i < DUP_COPIES; i++)); do ln "$first" "$DUPS/copy-$i.html"; done
rc=0
/usr/bin/time -v -o "$LOGS/duplicates.time" "$BIN" index "$DUPS" --index "$DUPS-index" \
    2> "$LOGS/duplicates.err" || rc=$?
tail -n 1 "$LOGS/duplicates.err" >&2
[ "$rc" -eq 0 ] || die "dossier index failed on the duplicates (exit $rc); see $LOGS/duplicates.err"
echo "$DUP_COPIES" > "$LOGS/duplicate_copies"
rm -rf "$DUPS" "$DUPS-index"

# ------------------------------------------------------------- 4. queries
say "queries: $(grep -c . "$BENCH/queries.txt"), a warm-up pass, then $QUERY_PASSES measured passes"
rm -f "$LOGS"/queries-*.jsonl "$LOGS"/queries-*.err
for pass in warmup $(seq -f 'measured-%g' "$QUERY_PASSES"); do
    rc=0
    "$BIN" search --queries "$BENCH/queries.txt" --json --index "$INDEX" \
        > "$LOGS/queries-$pass.jsonl" 2> "$LOGS/queries-$pass.err" || rc=$?
    # 0: hits, 1: no hits, 2: some queries failed (reported as errors).
    [ "$rc" -le 2 ] || die "dossier search --queries crashed (exit $rc); see $LOGS/queries-$pass.err"
done

# Median wall time in ms of a command, warm cache. $1: runs; rest: command.
median_ms() {
    local runs="$1"; shift
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        local cmd json="$LOGS/hyperfine.json"
        cmd="$(printf '%q ' "$@")"
        hyperfine --style none --warmup 3 --runs "$runs" --ignore-failure \
            --export-json "$json" "$cmd" >/dev/null 2>&1
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
    else
        local i t0 t1
        for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
        for ((i = 0; i < runs; i++)); do
            t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
            echo $(( t1 - t0 ))
        done | sort -n | python3 -c 'import sys; v=[int(x) for x in sys.stdin]; n=len(v); m=v[n//2] if n%2 else (v[n//2-1]+v[n//2])/2; print("%.2f" % (m/1e6))'
    fi
}

say "single-query processes (median of $PROCESS_RUNS, warm cache)$([ "$HAVE_HYPERFINE" = 1 ] && echo ', hyperfine')"
: > "$LOGS/process.tsv"
for w in "${WORDS[@]}"; do
    ms="$(median_ms "$PROCESS_RUNS" "$BIN" search "$w" --index "$INDEX")"
    hits="$("$BIN" search "$w" --index "$INDEX" --json --limit 0 | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin][-1]["total_hits"])')"
    printf '%s\t%s\t%s\n' "$w" "$ms" "$hits" >> "$LOGS/process.tsv"
    echo "dossier search $w: $ms ms ($hits hits)" >&2
done

# ----------------------------------------------------------- 5. ripgrep
: > "$LOGS/rg.tsv"
if [ "$HAVE_RG" = 1 ]; then
    say "ripgrep over the raw pages (median of $RG_RUNS, warm cache)"
    for w in "${WORDS[@]}"; do
        ms="$(median_ms "$RG_RUNS" rg -c -i "$w" "$ARCHIVE")"
        files="$( (rg -l -i "$w" "$ARCHIVE" || true) | wc -l)"
        printf '%s\t%s\t%s\n' "$w" "$ms" "$files" >> "$LOGS/rg.tsv"
        echo "rg -c -i $w: $ms ms ($files files)" >&2
    done
fi

# ------------------------------------------------------------- 6. report
{
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "ram_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
    echo "rustc=$(rustc --version)"
    commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        commit="$commit (with uncommitted changes)"
    fi
    echo "commit=$commit"
    echo "date=$(date -u +%Y-%m-%d)"
    echo "pages=$PAGES"
    echo "load=$LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "seed=$SEED"
    echo "hyperfine=$HAVE_HYPERFINE"
    echo "process_runs=$PROCESS_RUNS"
    echo "rg_runs=$RG_RUNS"
    echo "rg_version=$( [ "$HAVE_RG" = 1 ] && rg --version | head -n 1 || echo none)"
} > "$LOGS/machine.env"
python3 "$BENCH/report.py" "$LOGS" > "$RESULTS"
say "results (also in $RESULTS)"
cat "$RESULTS"
