#!/usr/bin/env python3
"""Turns the logs of one bench/run.sh run into a Markdown table.

    python3 bench/report.py LOGS_DIR > results.md

Reads what run.sh left in LOGS_DIR: machine.env, archive.json, the GNU time
and stderr files of both indexing runs, index_bytes, the measured passes'
queries-measured-*.jsonl, process.tsv and rg.tsv. MB are 10^6 bytes.
"""

import glob
import json
import math
import os
import re
import sys
from collections import OrderedDict


def read(path, default=""):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def gnu_time(path):
    """Wall seconds, user+sys seconds, CPU %, peak RSS in KB from `time -v`."""
    text = read(path)
    out = {}
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)", text)
    if m:
        h, mnt, sec = m.groups()
        out["wall"] = int(h or 0) * 3600 + int(mnt) * 60 + float(sec)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    sys_ = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if user and sys_:
        out["cpu"] = float(user.group(1)) + float(sys_.group(1))
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if rss:
        out["rss_kb"] = int(rss.group(1))
    return out


def index_summary(path):
    """Counts from dossier's closing line and the number of warnings."""
    text = read(path)
    m = re.search(
        r"indexed (\d+) pages,(?: updated \d+, unchanged \d+, deleted \d+, duplicates \d+,)?"
        r" skipped (\d+), errors (\d+)",
        text,
    )
    counts = tuple(int(x) for x in m.groups()) if m else (0, 0, 0)
    return counts, text.count("warning:")


def pct(values, p):
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def median(values):
    v = sorted(values)
    n = len(v)
    if not n:
        return float("nan")
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def fmt(x, digits=1):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{digits}f}"


def tsv(path):
    rows = []
    for line in read(path).splitlines():
        if line.strip():
            rows.append(line.split("\t"))
    return rows


def main():
    logs = sys.argv[1]
    env = dict(line.split("=", 1) for line in read(os.path.join(logs, "machine.env")).splitlines() if "=" in line)
    archive = json.loads(read(os.path.join(logs, "archive.json"), "{}"))
    reused = read(os.path.join(logs, "gen_reused")).strip() == "1"
    html_bytes = archive.get("bytes", 0)
    pages = archive.get("pages", int(env.get("pages", 0)))
    mb = html_bytes / 1e6

    fresh = gnu_time(os.path.join(logs, "index-fresh.time"))
    rerun = gnu_time(os.path.join(logs, "index-rerun.time"))
    (indexed, skipped, errors), warnings = index_summary(os.path.join(logs, "index-fresh.err"))
    index_bytes = int(read(os.path.join(logs, "index_bytes"), "0").strip() or 0)

    passes = sorted(glob.glob(os.path.join(logs, "queries-measured*.jsonl")))
    per_query = OrderedDict()  # query id -> (elapsed ms of each pass, hits)
    failed = OrderedDict()
    pass_ms = []  # per pass: every query's elapsed ms
    for path in passes:
        pass_ms.append([])
        for line in read(path).splitlines():
            obj = json.loads(line)
            qid = obj.get("query_id", "")
            if obj.get("type") == "summary":
                ms, _ = per_query.setdefault(qid, ([], obj["total_hits"]))
                ms.append(obj["elapsed_ms"])
                pass_ms[-1].append(obj["elapsed_ms"])
            elif obj.get("type") == "error":
                failed[qid] = (obj.get("query", ""), obj.get("message", ""))
    classes = OrderedDict()
    for qid in list(per_query) + list(failed):
        classes.setdefault(qid.split("/")[0], {"ms": [], "hits": [], "errors": 0})
    for qid, (ms, hits) in per_query.items():
        entry = classes[qid.split("/")[0]]
        entry["ms"].append(median(ms))
        entry["hits"].append(hits)
    for qid in failed:
        classes[qid.split("/")[0]]["errors"] += 1
    all_ms = [ms for c in classes.values() for ms in c["ms"]]

    ram_gb = int(env.get("ram_kb", 0)) / 1024 / 1024
    out = []
    w = out.append
    w(f"## {pages:,} pages, {env.get('date', '')}, commit {env.get('commit', '')}")
    w("")
    w(f"Machine: {env.get('nproc')} cores ({env.get('cpu')}), {ram_gb:.0f} GiB RAM; "
      f"{env.get('rustc')}; {env.get('rg_version')}. Load average (1, 5, 15 min) "
      f"{env.get('load')}. Archive seed {env.get('seed')}. MB = 10^6 bytes.")
    w("")
    w("| figure | value |")
    w("|---|---|")
    w(f"| archive | {pages:,} pages, {fmt(mb / 1000, 2)} GB of HTML, {fmt(html_bytes / max(pages, 1) / 1000)} KB per page on average |")
    gen_s = archive.get("seconds")
    w(f"| archive generation | {fmt(gen_s)} s ({fmt(pages / gen_s if gen_s else None, 0)} pages/s)"
      f"{' (generated by an earlier run and reused)' if reused else ''} |")
    if "wall" in fresh:
        t = fresh["wall"]
        w(f"| indexing: wall time | {fmt(t)} s |")
        w(f"| indexing: throughput | {fmt(indexed / t, 0)} pages/s, {fmt(mb / t)} MB/s of HTML |")
        cpu = fresh.get("cpu") or float("nan")
        w(f"| indexing: CPU time (user+sys) | {fmt(cpu)} s, {fmt(100 * cpu / t, 0)}% of one core on average; "
          f"{fmt(mb / cpu)} MB of HTML per CPU second (less sensitive to other load than wall time) |")
        w(f"| indexing: peak RSS | {fmt(fresh.get('rss_kb', 0) / 1024, 0)} MiB |")
    w(f"| pages indexed / skipped / errors | {indexed:,} / {skipped:,} / {errors:,} ({warnings:,} warnings) |")
    w(f"| index size on disk | {fmt(index_bytes / 1e6)} MB, {fmt(100 * index_bytes / max(html_bytes, 1))}% of the HTML |")
    if "wall" in rerun:
        t = rerun["wall"]
        w(f"| re-run over the unchanged archive | {fmt(t)} s ({fmt(indexed / t, 0)} pages/s), peak RSS {fmt(rerun.get('rss_kb', 0) / 1024, 0)} MiB |")
    dups = gnu_time(os.path.join(logs, "duplicates.time"))
    if "wall" in dups:
        copies = int(read(os.path.join(logs, "duplicate_copies"), "0").strip() or 0)
        w(f"| one page saved {copies:,} times, folded into one document | {fmt(dups['wall'])} s, "
          f"peak RSS {fmt(dups.get('rss_kb', 0) / 1024, 0)} MiB |")
    w(f"| query latency in-process, with snippets ({len(all_ms)} queries, each the median of "
      f"{len(passes)} passes) | p50 {fmt(pct(all_ms, 50), 2)} ms, p99 {fmt(pct(all_ms, 99), 2)} ms, "
      f"max {fmt(max(all_ms) if all_ms else None, 2)} ms |")
    if len(pass_ms) > 1:
        p50s = [pct(v, 50) for v in pass_ms if v]
        p99s = [pct(v, 99) for v in pass_ms if v]
        w(f"| the same, pass by pass | p50 {fmt(min(p50s), 2)}-{fmt(max(p50s), 2)} ms, "
          f"p99 {fmt(min(p99s), 2)}-{fmt(max(p99s), 2)} ms |")
    proc = tsv(os.path.join(logs, "process.tsv"))
    rg = {row[0]: row for row in tsv(os.path.join(logs, "rg.tsv"))}
    runs = env.get("process_runs", "?")
    tool = "hyperfine" if env.get("hyperfine") == "1" else "shell loop"
    for word, ms, hits in proc:
        w(f"| `dossier search {word}` process, warm cache (median of {runs}, {tool}) | {fmt(float(ms), 1)} ms ({int(hits):,} hits) |")
    for word, ms, _ in proc:
        if word in rg:
            r_ms = float(rg[word][1])
            w(f"| `rg -c -i {word}` over the pages (median of {env.get('rg_runs')}) | {fmt(r_ms, 0)} ms "
              f"({int(rg[word][2]):,} files); rg / dossier = {fmt(r_ms / float(ms), 0)}x |")
    w("")
    w("Query latency by class (in-process, `elapsed_ms` of each summary, snippets included; "
      "each query's median over the measured passes):")
    w("")
    w("| class | queries | errors | p50 ms | max ms | median hits |")
    w("|---|---|---|---|---|---|")
    for cls, c in classes.items():
        w(f"| {cls} | {len(c['ms']) + c['errors']} | {c['errors']} | {fmt(pct(c['ms'], 50), 2)} | "
          f"{fmt(max(c['ms']) if c['ms'] else None, 2)} | {fmt(median(c['hits']) if c['hits'] else None, 0)} |")
    if failed:
        w("")
        w("Queries the parser rejected:")
        w("")
        for q, msg in failed.values():
            w(f"- `{q}`: {msg}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
