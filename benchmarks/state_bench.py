"""Library state in queries: `is:unread`, `is:starred` and `word is:unread` against the same
query without the state (the reference, same run), for a growing number of read articles.

    python -m benchmarks.state_bench --home DIR --folder CORPUS_FOLDER

Runs on an index that already exists (build one with `python -m benchmarks.suite`); the
library used is a temporary one, so no real reading state is touched. For each number of
read articles the first query pays for looking the new ids up; the cached figure is the
one a reader sees from then on.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from index.corpus import Corpus
from index.library import Library
from index.search import Engine


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--word", default="oil")
    args = parser.parse_args()
    corpus = Corpus(root=Path(args.folder).resolve(), home=Path(args.home).resolve())
    scratch = Path(tempfile.mkdtemp(prefix="dossier-state-"))
    try:
        library = Library(scratch, corpus.root)
        engine = Engine(corpus, library=library)
        every = engine.result_list("", "date")
        step = max(1, len(every) // 20_000)
        ids = [every.row(i).id for i in range(0, len(every), step)]
        random.seed(1)
        print(f"{engine.doc_count:,} articles; figures in ms (first query / cached), reference = a one-word search, and the query without the state")
        for read in (100, 2_000, 10_000):
            sample = random.sample(ids, min(read, len(ids)))
            library.set_read(sample)
            library.set_starred(sample[:50])
            # The reference is a one-word search in the same run: what a query usually costs.
            for query, reference in (("is:unread", args.word), ("is:starred", args.word),
                                     (f"{args.word} is:unread", args.word)):
                first = timed(lambda: engine.result_list(query, "relevance"))
                cached = min(timed(lambda: engine.result_list(query, "relevance")) for _ in range(3))
                ref = min(timed(lambda: engine.result_list(reference, "relevance")) for _ in range(3))
                print(f"{read:>6} read  {query:<16} list {first:7.0f} / {cached:6.0f}   reference {reference!r:>6} {ref:6.0f}"
                      f"   ratio {cached / ref:4.2f}x")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
