"""Every kind of query against SQLite FTS5, measured the hard way (issue 19).

    python -m benchmarks.kinds_bench [--scale N] [--builds 2] [--repeat 3]

- The same articles in both: FTS5 is filled from what dossier indexed (its stored title,
  text and date), so the copies dossier folds are not in FTS5 either.
- Build: dossier's text index (entities come after, in their own pass) against an FTS5
  table filled from the same files with the same copies dropped, each in a fresh process,
  alternating, `--builds` times each; wall, CPU and peak memory.
- Queries drawn from the corpus itself (seeded): rare words, common words, two- and
  three-word AND, phrases, title fields, single days and day ranges, plus the old mix
  (benchmarks/queries.py). Each query runs in dossier (`search`, top 20 with snippets, as
  the CLI), in FTS5 (top 20 with `snippet()`, and its count) and in a Python substring scan
  over the same texts (the linear reference), interleaved per query in rotating order,
  `--repeat` times each; the median CPU time of the process is kept (a busy machine does
  not decide it). Per kind: p50 and p95, and their ratios to FTS5.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .corpora import OUT, reuters_jsonl
from .queries import WORDS, query_mix
from .search_bench import percentile

SEED = 19
PER_KIND = 25
STOP = set("""a about after all also an and are as at be been but by for from had has have he her his
in into is it its more not of on one or said say says she than that the their there they this to
up was were which who will with would year years mln pct dlrs reuter reuters""".split())

BUILD_DOSSIER = """
import sys
from index.corpus import Corpus
from index.ingest import ingest
ingest(Corpus.open(sys.argv[1], sys.argv[2]), entities=False)
"""

BUILD_FTS = """
import sqlite3, sys
from index.duplicates import fingerprint
from index.ingest import read_file
from index.walk import walk
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='porter unicode61')")
conn.execute("CREATE TABLE dates(rowid INTEGER PRIMARY KEY, date TEXT)")
files, _ = walk(sys.argv[1])
seen = set()
for found in files:
    try:
        articles, _ = read_file(found)
    except Exception:
        continue
    for a in articles:
        fp = fingerprint(a)
        if fp and fp in seen:
            continue
        seen.add(fp)
        rowid = conn.execute("INSERT INTO articles(title, body) VALUES (?, ?)", (a.title, a.text)).lastrowid
        conn.execute("INSERT INTO dates VALUES (?, ?)", (rowid, a.date.isoformat() if a.date else None))
conn.execute("CREATE INDEX dates_date ON dates(date)")
conn.commit()
"""


PEAK = "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"


def run_measured(argv: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a fresh process: its wall and CPU seconds, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def timed_child(code: str, *args: str) -> dict:
    """Run `code` in a fresh Python; its wall time, CPU time and peak resident memory (its
    own: RUSAGE_CHILDREN's peak is the largest of every child so far)."""
    wall, cpu, out = run_measured([sys.executable, "-c", code + PEAK, *args])
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mb": int(out.split()[-1]) // 1024}


@dataclass(frozen=True)
class KindQuery:
    kind: str
    dossier: str
    fts: str | None  # FTS5 MATCH expression; None for a date-only query
    words: tuple[str, ...] = ()  # what the substring scan looks for
    field: str = "any"  # "any", "title" or "phrase"
    day_from: str | None = None
    day_to: str | None = None


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def draw_queries(articles: list[tuple[str, str, str | None]], per_kind: int = PER_KIND) -> list[KindQuery]:
    """Queries of every kind, drawn from the articles themselves with a fixed seed."""
    rng = random.Random(SEED)
    df: Counter = Counter()
    for title, body, _ in articles:
        df.update(set(words_of(f"{title} {body}")))
    rare_max = max(10, len(articles) // 2000)
    rare = sorted(w for w, n in df.items() if 2 <= n <= rare_max and len(w) >= 5 and w not in STOP)
    queries = [KindQuery("rare", w, w, (w,)) for w in rng.sample(rare, per_kind)]
    queries += [KindQuery("common", w, w, (w,)) for w in WORDS[:per_kind]]

    def content_words(text: str) -> list[str]:
        return [w for w in words_of(text) if len(w) >= 5 and w not in STOP and df[w] >= 2]

    def sample_article() -> tuple[str, str, str | None]:
        while True:
            article = rng.choice(articles)
            if len(content_words(article[1])) >= 6:
                return article

    for n, kind in ((2, "and2"), (3, "and3")):
        for _ in range(per_kind):
            chosen = rng.sample(sorted(set(content_words(sample_article()[1]))), n)
            queries.append(KindQuery(kind, " ".join(chosen), " AND ".join(chosen), tuple(chosen)))
    for _ in range(per_kind):
        while True:
            tokens = words_of(sample_article()[1])
            pairs = [(a, b) for a, b in zip(tokens, tokens[1:]) if len(a) >= 4 and len(b) >= 4
                     and a not in STOP and b not in STOP]
            if pairs:
                a, b = rng.choice(pairs)
                queries.append(KindQuery("phrase", f'"{a} {b}"', f'"{a} {b}"', (f"{a} {b}",), "phrase"))
                break
    titled = [t for t, _, _ in articles if len([w for w in words_of(t) if len(w) >= 4 and w not in STOP]) >= 1]
    for _ in range(per_kind):
        word = rng.choice([w for w in words_of(rng.choice(titled)) if len(w) >= 4 and w not in STOP])
        queries.append(KindQuery("title", f"title:{word}", f"title:{word}", (word,), "title"))
    days = sorted({d for _, _, d in articles if d})
    for _ in range(per_kind):
        day = rng.choice(days)
        queries.append(KindQuery("day", f"date:{day}", None, day_from=day, day_to=day))
    for _ in range(per_kind):
        i = rng.randrange(len(days))
        lo, hi = days[i], days[min(len(days) - 1, i + rng.randint(3, 20))]
        queries.append(KindQuery("day range", f"date:[{lo} to {hi}]", None, day_from=lo, day_to=hi))
    return queries


def old_mix() -> list[KindQuery]:
    """benchmarks/queries.py's mix, as these kinds (prefix and fuzzy have no scan reference)."""
    out = []
    for q in query_mix():
        words = tuple(w.strip('"*~') for w in q.fts.replace(" AND ", " ").replace(" OR ", " ").split()
                      if w.startswith("title:") is False)
        if q.kind == "field":
            words, field = (q.fts.partition(":")[2],), "title"
        elif q.kind == "phrase":
            words, field = (q.fts.strip('"'),), "phrase"
        else:
            field = "any"
        if q.kind == "or":
            words = ()  # the scan reference takes every word; an OR is not an AND
        out.append(KindQuery(f"old {q.kind}", q.dossier, q.fts, words, field, q.date_from, q.date_to))
    return out


class Fts:
    SNIPPET = "snippet(articles, 1, '[', ']', '…', 24)"

    def __init__(self, db: Path):
        self.conn = sqlite3.connect(db)

    def run(self, q: KindQuery) -> None:
        if q.fts is None:  # a date only: the date table's index, newest first, and its count
            where, params = "d.date BETWEEN ? AND ?", [q.day_from, q.day_to]
            self.conn.execute(f"SELECT a.rowid, a.title, substr(a.body, 1, 200) FROM dates d JOIN articles a "
                              f"ON a.rowid = d.rowid WHERE {where} ORDER BY d.date DESC LIMIT 20", params).fetchall()
            self.conn.execute(f"SELECT count(*) FROM dates d WHERE {where}", params).fetchone()
            return
        join, where, params = "", "articles MATCH ?", [q.fts]
        if q.day_from:
            join, where = " JOIN dates d ON d.rowid = articles.rowid", where + " AND d.date BETWEEN ? AND ?"
            params += [q.day_from, q.day_to]
        self.conn.execute(f"SELECT articles.rowid, title, {self.SNIPPET} FROM articles{join} WHERE {where} "
                          "ORDER BY rank LIMIT 20", params).fetchall()
        self.conn.execute(f"SELECT count(*) FROM articles{join} WHERE {where}", params).fetchone()


class Scan:
    """The linear reference: every article's lower-cased text searched with `in`."""

    def __init__(self, articles: list[tuple[str, str, str | None]]):
        self.rows = [(t.lower(), f"{t}\n{b}".lower(), d or "") for t, b, d in articles]

    def run(self, q: KindQuery) -> None:
        found = []
        if not q.words and not q.day_from:
            return
        for title, text, day in self.rows:
            if q.day_from and not (q.day_from <= day <= q.day_to):
                continue
            haystack = title if q.field == "title" else text
            if all(w in haystack for w in q.words):
                found.append(title)
        found[:20]


def stored_articles(engine) -> list[tuple[str, str, str | None]]:
    """What dossier indexed: the deduplicated articles, as FTS5 gets them."""
    out = []
    with engine.corpus.open_index()[0].searcher() as searcher:
        for fields in searcher.reader().all_stored_fields():
            date = fields.get("date")
            out.append((fields.get("title") or "", fields.get("body") or "", date.date().isoformat() if date else None))
    return out


def fill_fts(db: Path, articles) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE articles USING fts5(title, body, tokenize='porter unicode61')")
    conn.execute("CREATE TABLE dates(rowid INTEGER PRIMARY KEY, date TEXT)")
    for i, (title, body, date) in enumerate(articles, 1):
        conn.execute("INSERT INTO articles(rowid, title, body) VALUES (?, ?, ?)", (i, title, body))
        conn.execute("INSERT INTO dates VALUES (?, ?)", (i, date))
    conn.execute("CREATE INDEX dates_date ON dates(date)")
    conn.commit()
    conn.close()


def cpu_ms(run, q) -> float:
    started = time.process_time()
    try:
        run(q)
    except Exception as exc:  # a query one side cannot run is reported, not timed
        print(f"  ! {q.kind} {q.dossier!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return float("nan")
    return (time.process_time() - started) * 1000


def time_queries(queries, runners: dict, repeat: int) -> dict[str, dict[str, list[float]]]:
    """kind -> system -> the median CPU ms of each query; systems interleaved per query."""
    names = list(runners)
    by_kind: dict[str, dict[str, list[float]]] = {}
    for i, q in enumerate(queries):
        samples: dict[str, list[float]] = {n: [] for n in names}
        for r in range(repeat):
            order = names[(i + r) % len(names):] + names[:(i + r) % len(names)]
            for name in order:
                samples[name].append(cpu_ms(runners[name], q))
        for name in names:
            by_kind.setdefault(q.kind, {}).setdefault(name, []).append(statistics.median(samples[name]))
    return by_kind


def summarise(by_kind: dict[str, dict[str, list[float]]]) -> dict:
    rows = {}
    everything: dict[str, list[float]] = {}
    for kind, systems in list(by_kind.items()) + [("all", None)]:
        systems = systems or everything
        row = {}
        for name, values in systems.items():
            if kind != "all":
                everything.setdefault(name, []).extend(values)
            values = [v for v in values if v == v]
            row[name] = {"p50": round(percentile(values, 50), 2), "p95": round(percentile(values, 95), 2)}
        fts = row["fts5"]
        row["ratio_p50"] = round(row["dossier"]["p50"] / fts["p50"], 2) if fts["p50"] else None
        row["ratio_p95"] = round(row["dossier"]["p95"] / fts["p95"], 2) if fts["p95"] else None
        rows[kind] = row
    return rows


def print_table(title: str, rows: dict) -> None:
    print(f"\n{title}\n  {'kind':<14}{'dossier p50/p95':>18}{'fts5 p50/p95':>16}{'scan p50/p95':>18}"
          f"{'x fts p50':>11}{'x fts p95':>11}")
    for kind, row in rows.items():
        d, f, s = row["dossier"], row["fts5"], row["scan"]
        print(f"  {kind:<14}{d['p50']:>8.2f} /{d['p95']:>8.2f}{f['p50']:>7.2f} /{f['p95']:>7.2f}"
              f"{s['p50']:>8.1f} /{s['p95']:>8.1f}{row['ratio_p50']:>10}x{row['ratio_p95']:>10}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1, help="Reuters copies (16: 327,499 articles)")
    parser.add_argument("--builds", type=int, default=2, help="builds of each, alternating (0: reuse --home)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--home", help="keep dossier's index here (reused with --builds 0)")
    args = parser.parse_args()

    from index.corpus import Corpus
    from index.search import Engine

    folder = reuters_jsonl(args.scale)
    work = Path(tempfile.mkdtemp(prefix="kinds-bench-"))
    home = Path(args.home) if args.home else work / "home"
    result: dict = {"corpus": f"reuters x{args.scale}", "builds": []}
    try:
        for round_ in range(args.builds):
            fts = timed_child(BUILD_FTS, str(folder), str(work / f"build-{round_}.db"))
            shutil.rmtree(home, ignore_errors=True)
            dossier = timed_child(BUILD_DOSSIER, str(folder), str(home))
            result["builds"].append({"fts5": fts, "dossier": dossier})
            print(f"build {round_ + 1}: dossier text {dossier}  fts5 {fts}  "
                  f"wall {dossier['wall_s'] / fts['wall_s']:.1f}x cpu {dossier['cpu_s'] / fts['cpu_s']:.1f}x", flush=True)
        if result["builds"]:
            walls = [b["dossier"]["wall_s"] / b["fts5"]["wall_s"] for b in result["builds"]]
            result["build_ratio_wall"] = round(statistics.median(walls), 2)
        corpus = Corpus.open(folder, home)
        with Engine(corpus) as engine:
            articles = stored_articles(engine)
            fill_fts(work / "same.db", articles)
            fts = Fts(work / "same.db")
            scan = Scan(articles)
            queries = draw_queries(articles)
            runners = {"dossier": lambda q: engine.search(q.dossier, limit=20), "fts5": fts.run, "scan": scan.run}
            for q in queries[:10] + old_mix()[:10]:  # warm both: the first query loads the lexicons
                engine.search(q.dossier, limit=20)
                fts.run(q)
            result["articles"] = len(articles)
            result["kinds"] = summarise(time_queries(queries, runners, args.repeat))
            result["old_mix"] = summarise(time_queries(old_mix(), runners, args.repeat))
            result["queries"] = [q.dossier for q in queries]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{result['corpus']}: {result['articles']:,} articles in both")
    print_table("new mix, CPU ms per query (median of interleaved repeats)", result["kinds"])
    print_table("old mix (benchmarks/queries.py)", result["old_mix"])
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"kinds-x{args.scale}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
