"""Index a corpus with dossier and with SQLite FTS5, then time the same 200 queries on both.

    python -m benchmarks.search_bench --corpus bbc|reuters [--scale N] [--home DIR]

Each figure is reported next to references from the same run (the machine is shared and
noisy): SQLite FTS5 for search and build; a linear scan (SQLite LIKE over every article, what
newsboat's search does) and `grep -ril` over the files for term queries. Dossier's search is
measured as the user gets it: top 20 hits with highlighted snippets. Search-as-you-type is
timed per keystroke: the reader's result list and its first screens of rows for every prefix
of a typed query. With --home the dossier index is kept there and reused (345k articles take
a long time to build); build figures are then only reported for a fresh build.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from index.corpus import Corpus
from index.ingest import ingest, read_file
from index.search import Engine
from index.walk import walk

from .corpora import OUT, bbc_folder, reuters_jsonl
from .queries import query_mix


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def build_fts(folder: Path, db: Path) -> tuple[sqlite3.Connection, float, int]:
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE articles USING fts5(title, body, date UNINDEXED, tokenize='porter unicode61')")
    conn.execute("CREATE TABLE plain(title TEXT, body TEXT)")  # for the linear-scan reference
    files, _ = walk(folder)
    n = 0
    for found in files:
        try:
            articles, _ = read_file(found)
        except Exception:
            continue
        conn.executemany(
            "INSERT INTO articles(title, body, date) VALUES (?, ?, ?)",
            [(a.title, a.text, a.date.isoformat() if a.date else None) for a in articles],
        )
        conn.executemany("INSERT INTO plain(title, body) VALUES (?, ?)", [(a.title, a.text) for a in articles])
        n += len(articles)
    conn.commit()
    return conn, time.perf_counter() - started, n


def time_fts(conn: sqlite3.Connection, queries, repeat: int) -> list[float]:
    times = []
    for q in queries:
        sql = ("SELECT rowid, title, snippet(articles, 1, '[', ']', '…', 24) FROM articles "
               "WHERE articles MATCH ?")
        params: list = [q.fts]
        if q.date_from:
            sql += " AND date BETWEEN ? AND ?"
            params += [q.date_from, q.date_to]
        sql += " ORDER BY rank LIMIT 20"
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            conn.execute(sql, params).fetchall()
            conn.execute(sql.replace("SELECT rowid, title, snippet(articles, 1, '[', ']', '…', 24)", "SELECT count(*)").replace(" ORDER BY rank LIMIT 20", ""), params).fetchone()
            best = min(best, time.perf_counter() - t)
        times.append(best * 1000)
    return times


def time_linear(conn: sqlite3.Connection, terms: list[str]) -> list[float]:
    """newsboat-style search: every article's title and text scanned with LIKE."""
    times = []
    for term in terms:
        t = time.perf_counter()
        conn.execute("SELECT rowid, title FROM plain WHERE title LIKE ?1 OR body LIKE ?1", (f"%{term}%",)).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    return times


def time_grep(folder: Path, terms: list[str]) -> list[float]:
    times = []
    for term in terms:
        t = time.perf_counter()
        subprocess.run(["grep", "-ril", "--", term, str(folder)], stdout=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - t) * 1000)
    return times


TYPED = ["oil prices", "bank of japan", "trade deficit", "inflation", "coffee", "wheat exports",
         "opec", "dollar", "merger", "interest rates", "gold", "strike", "profit"]


def time_typing(engine: Engine) -> list[float]:
    """Each keystroke of TYPED as the reader runs it: the result list plus its first 60 rows."""
    from index.query import QueryError

    times = []
    for text in TYPED:
        for k in range(1, len(text) + 1):
            typed = text[:k]
            if not typed.strip():
                continue
            best = float("inf")
            for _ in range(2):
                t = time.perf_counter()
                try:
                    rows = engine.result_list(typed)
                    for i in range(min(len(rows), 60)):
                        rows.row(i)
                except QueryError:
                    pass
                best = min(best, time.perf_counter() - t)
            times.append(best * 1000)
    return times


def time_dossier(engine: Engine, queries, repeat: int) -> tuple[list[float], dict[str, list[float]]]:
    times, by_kind = [], {}
    for q in queries:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            engine.search(q.dossier, limit=20)
            best = min(best, time.perf_counter() - t)
        times.append(best * 1000)
        by_kind.setdefault(q.kind, []).append(best * 1000)
    return times, by_kind


PATHOLOGICAL = [
    "*", "*a*", "?" * 40, "a*", "s*", "*tion", "soleimani~2", "goverment~2", "inflation~9",
    "(" * 50 + "oil" + ")" * 50, "oil " * 2000, "x" * 10_000, "date:[1900 to 2100]",
    " OR ".join(f"w{i}*" for i in range(60)), '"the of and to in"', "NOT oil", "a* b* c* d* e*",
    # Found by fuzzing at 21k (10-24 s each before they were bounded):
    "oil *", "profit * billion", "[a to z]", "{a to}", "dollar gold pct é:>=0000-00-00", "mln * stoc*a* person:iran",
    "title:[a to z] body", "* OR oil", "NOT *", "(oil OR *) AND gold",
]


def time_pathological(engine: Engine) -> list[dict]:
    """Each hostile query once, in CPU time, as search runs it (top 20 with snippets: the CLI) and once as
    the reader runs it (the full result list with its first screen of rows)."""
    from index.query import QueryError

    rows = []
    for text in PATHOLOGICAL:
        timings, outcome = {}, "ok"
        for name, run in (("search", lambda: engine.search(text, limit=20)),
                          ("list", lambda: [r.row(i) for r in [engine.result_list(text)] for i in range(min(len(r), 40))])):
            t = time.process_time()  # CPU time: a busy machine does not blur it
            try:
                run()
            except QueryError as exc:
                outcome = f"refused: {exc}"[:60]
            timings[name] = round((time.process_time() - t) * 1000, 1)
        rows.append({"query": text[:40] + ("…" if len(text) > 40 else ""), "search_ms": timings["search"],
                     "list_ms": timings["list"], "outcome": outcome})
    return rows


FUZZ_WORDS = ["oil", "dollar", "mln", "pct", "billion", "profit", "stock", "gold", "iran", "said", "a", "z"]


def time_fuzz(engine: Engine, count: int, seed: int = 1) -> dict:
    """Random queries glued from the query language's pieces and real words (the shapes that
    took 10-24 s before issue 15), each run as search and as the reader's list. An exception
    other than a refusal is an internal error: counted, and the benchmark fails on one."""
    import random

    from index.query import QueryError
    from tests.test_query_properties import SYNTAX

    rng = random.Random(seed)
    times, errors = [], []
    for _ in range(count):
        text = "".join(rng.choice(SYNTAX) if rng.random() < 0.55 else rng.choice(FUZZ_WORDS)
                       for _ in range(rng.randint(1, 14)))
        t = time.process_time()
        try:
            engine.search(text, limit=20)
            listed = engine.result_list(text)
            [listed.row(i) for i in range(min(len(listed), 40))]
        except QueryError:
            pass
        except Exception as exc:  # noqa: BLE001 - the point is to count them
            errors.append((text, f"{type(exc).__name__}: {exc}"))
        times.append((time.process_time() - t, text))
    times.sort()
    ms = [t * 1000 for t, _ in times]
    return {"queries": count, "seed": seed, "cpu_ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95),
                                                       "max": round(ms[-1], 1)},
            "over_1s": sum(t > 1 for t, _ in times), "internal_errors": errors[:20],
            "slowest": [{"cpu_ms": round(t * 1000, 1), "query": q} for t, q in times[-5:][::-1]]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["bbc", "reuters"], default="bbc")
    ap.add_argument("--scale", type=int, default=1, help="Reuters copies (4 = 86k, 16 = 345k)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query; the best is kept (warm)")
    ap.add_argument("--pathological", action="store_true", help="only time hostile queries (issue 6)")
    ap.add_argument("--fuzz", type=int, default=0, help="with --pathological: also this many random queries (issue 15)")
    ap.add_argument("--entities", action="store_true", help="recognise entities while building (slow: ~25 articles/s)")
    ap.add_argument("--home", help="keep the dossier index in this folder and reuse it (default: a temporary one)")
    args = ap.parse_args()
    if args.pathological:
        folder = bbc_folder() if args.corpus == "bbc" else reuters_jsonl(args.scale)
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Corpus.open(folder, args.home or tmp)
            report = ingest(corpus, entities=False)
            with Engine(corpus) as engine:
                rows = time_pathological(engine)
                fuzz = time_fuzz(engine, args.fuzz) if args.fuzz else None
        label = args.corpus if args.corpus == "bbc" else f"reuters-x{args.scale}"
        print(f"{label}: {report.total_articles} articles; slowest {max(max(r['search_ms'], r['list_ms']) for r in rows)} ms")
        for r in rows:
            print(f"  search {r['search_ms']:8.1f} ms  list {r['list_ms']:8.1f} ms  {r['query']!r:48} {r['outcome']}")
        if fuzz:
            print(f"fuzz: {fuzz['queries']} queries, CPU p50 {fuzz['cpu_ms']['p50']:.1f} ms, p95 {fuzz['cpu_ms']['p95']:.1f} ms, "
                  f"max {fuzz['cpu_ms']['max']} ms, {fuzz['over_1s']} over 1 s, {len(fuzz['internal_errors'])} internal errors")
            for row in fuzz["slowest"]:
                print(f"  {row['cpu_ms']:8.1f} ms  {row['query']!r}")
            for text, error in fuzz["internal_errors"]:
                print(f"  internal error: {error}  {text!r}")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"pathological-{label}.json").write_text(json.dumps({"queries": rows, "fuzz": fuzz}, indent=2))
        if fuzz and fuzz["internal_errors"]:
            raise SystemExit(1)
        return

    folder = bbc_folder() if args.corpus == "bbc" else reuters_jsonl(args.scale)
    label = args.corpus if args.corpus == "bbc" else f"reuters-x{args.scale}"
    queries = query_mix()
    terms = [q.dossier for q in queries if q.kind == "term"]
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or tmp
        corpus = Corpus.open(folder, home)
        t = time.perf_counter()
        report = ingest(corpus, entities=args.entities)
        dossier_build = time.perf_counter() - t if report.files_indexed else None
        conn, fts_build, fts_n = build_fts(folder, Path(tmp) / "fts.db")
        with Engine(corpus) as engine:
            for q in queries:  # warm both once
                engine.search(q.dossier, limit=20)
            d_times, by_kind = time_dossier(engine, queries, args.repeat)
            f_times = time_fts(conn, queries, args.repeat)
            typing = time_typing(engine)
        linear = time_linear(conn, terms)
        grep = time_grep(folder, terms) if shutil.which("grep") else []

    term_times = by_kind["term"]
    result = {
        "corpus": label,
        "articles": report.total_articles,
        "fts_articles": fts_n,
        "build_s": {"dossier": round(dossier_build, 2) if dossier_build else None, "fts5": round(fts_build, 2)},
        "search_ms": {
            "dossier": {"p50": percentile(d_times, 50), "p95": percentile(d_times, 95), "mean": statistics.mean(d_times)},
            "fts5": {"p50": percentile(f_times, 50), "p95": percentile(f_times, 95), "mean": statistics.mean(f_times)},
        },
        "dossier_p95_by_kind_ms": {k: round(percentile(v, 95), 2) for k, v in by_kind.items()},
        "term_queries_ms": {
            "dossier": {"median": percentile(term_times, 50), "p95": percentile(term_times, 95)},
            "linear_scan": {"median": percentile(linear, 50), "p95": percentile(linear, 95)},
            "grep": {"median": percentile(grep, 50), "p95": percentile(grep, 95)} if grep else None,
        },
        "typing_ms": {"keystrokes": len(typing), "p50": percentile(typing, 50), "p95": percentile(typing, 95), "max": max(typing)},
    }
    result["ratio_linear_over_dossier_terms"] = round(percentile(linear, 50) / percentile(term_times, 50), 1)
    result["ratio_p95_dossier_over_fts5"] = round(result["search_ms"]["dossier"]["p95"] / result["search_ms"]["fts5"]["p95"], 2)
    result["ratio_build_dossier_over_fts5"] = round(dossier_build / fts_build, 2) if dossier_build else None
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"search-{label}.json").write_text(json.dumps(result, indent=2))
    s = result["search_ms"]
    print(f"{label}: {report.total_articles} articles")
    if dossier_build:
        print(f"  build      dossier {dossier_build:7.1f} s   fts5 {fts_build:6.1f} s   ratio {result['ratio_build_dossier_over_fts5']}")
    print(f"  search p50 dossier {s['dossier']['p50']:7.1f} ms  fts5 {s['fts5']['p50']:6.1f} ms")
    print(f"  search p95 dossier {s['dossier']['p95']:7.1f} ms  fts5 {s['fts5']['p95']:6.1f} ms  ratio {result['ratio_p95_dossier_over_fts5']}")
    print("  dossier p95 by kind (ms):", result["dossier_p95_by_kind_ms"])
    tq = result["term_queries_ms"]
    print(f"  term queries median: dossier {tq['dossier']['median']:.1f} ms, linear scan {tq['linear_scan']['median']:.0f} ms "
          f"({result['ratio_linear_over_dossier_terms']}x)" + (f", grep -ril {tq['grep']['median']:.0f} ms" if tq["grep"] else ""))
    ty = result["typing_ms"]
    print(f"  as you type: {ty['keystrokes']} keystrokes, p50 {ty['p50']:.1f} ms, p95 {ty['p95']:.1f} ms, max {ty['max']:.1f} ms")


if __name__ == "__main__":
    main()
