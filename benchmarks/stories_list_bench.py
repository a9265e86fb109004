"""The collapsed list (one row per story) against the flat one, at scale.

For each query of the mix (benchmarks/queries.py's 200, plus rare words, day-level dates and
the every-article list the reader opens on), interleaved: the flat result list, then the
collapsed one, each with its first screen of rows read (40, as the reader does off the UI
thread). CPU time per list; p50 and p95 of each; the ratio of the p95s. The story index of
the state (every document's story, read once per state of the index, in the background in
the reader) is timed on its own.

    python -m benchmarks.stories_list_bench --scale 16 --home benchmarks/out/home-x16
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from benchmarks.corpora import OUT, reuters_jsonl
from benchmarks.queries import query_mix
from index.corpus import Corpus
from index.search import Engine

RARE = ["molasses", "tapioca", "shipyard", "copra", "cardamom", "plywood", "sardines", "hops"]
DAYS = ["date:1987-03-02", "date:1987-04-13", "date:1987-06-01", "date:1987-10-19", "date:1987-03-16 oil"]
ROWS = 40


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def list_cpu(engine: Engine, query: str, sort: str, stories: bool) -> tuple[float, int]:
    started = time.process_time()
    rows = engine.result_list(query, sort, stories=stories)
    for i in range(min(ROWS, len(rows))):
        rows.row(i)
    return time.process_time() - started, len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=16)
    ap.add_argument("--home", required=True)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    folder = reuters_jsonl(args.scale)
    engine = Engine(Corpus.open(folder, Path(args.home)))
    engine.warm()
    started = time.process_time()
    index = engine.view.stories()
    story_index_cpu = time.process_time() - started
    queries = [(q.dossier, "relevance") for q in query_mix()] + [(w, "relevance") for w in RARE] + \
        [(d, "date") for d in DAYS] + [("", "date")]
    flat: list[float] = []
    collapsed: list[float] = []
    rows_flat = rows_collapsed = 0
    for _ in range(args.rounds):
        for query, sort in queries:
            cpu, n = list_cpu(engine, query, sort, False)
            flat.append(cpu)
            rows_flat += n
            cpu, n = list_cpu(engine, query, sort, True)
            collapsed.append(cpu)
            rows_collapsed += n
    out = {
        "articles": engine.doc_count,
        "stories_of_two_or_more": index.count,
        "articles_in_them": int(index.sizes.sum()),
        "story_index_cpu_s": round(story_index_cpu, 3),
        "queries": len(queries), "rounds": args.rounds,
        "flat_ms": {"p50": round(statistics.median(flat) * 1000, 2), "p95": round(p95(flat) * 1000, 2)},
        "collapsed_ms": {"p50": round(statistics.median(collapsed) * 1000, 2), "p95": round(p95(collapsed) * 1000, 2)},
        "p95_ratio": round(p95(collapsed) / p95(flat), 3),
        "rows_per_list": {"flat": rows_flat // len(flat), "collapsed": rows_collapsed // len(collapsed)},
    }
    print(json.dumps(out, indent=1))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"stories_list_x{args.scale}.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
