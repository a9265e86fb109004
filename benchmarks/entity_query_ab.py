"""Entity searches on one folder indexed two ways (two homes), interleaved, median CPU ms.

    python -m benchmarks.entity_query_ab --before HOME_A --after HOME_B [--scale 1] [--repeat 7]

Made for issue 20's change of what each article's index words hold for its entities (the
keys as recognised, not every spelling of the entity): the same Reuters-21578 folder indexed
with entities by the version before and the version after.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from .corpora import reuters_jsonl

QUERIES = ['place:"united states"', "place:japan", "org:reuters", 'person:"ronald reagan"', "person:reagan",
           'person:"james baker"', "org:opec", 'place:"united kingdom" oil', "person:volcker", 'org:"federal reserve"']


def main() -> None:
    from index.corpus import Corpus
    from index.search import Engine

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    engines = {name: Engine(Corpus.open(reuters_jsonl(args.scale), home))
               for name, home in (("before", args.before), ("after", args.after))}
    for engine in engines.values():  # warm: the first search of each reads its postings from disk
        for query in QUERIES:
            engine.search(query, limit=20)
    print("| query | hits before | hits after | before | after | x |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    ratios = []
    for query in QUERIES:
        times: dict[str, list[float]] = {name: [] for name in engines}
        for _ in range(args.repeat):
            for name, engine in engines.items():
                cpu = time.process_time()
                engine.search(query, limit=20)
                times[name].append((time.process_time() - cpu) * 1000)
        hits = {name: engine.search(query, limit=20).total for name, engine in engines.items()}
        before, after = statistics.median(times["before"]), statistics.median(times["after"])
        ratios.append(after / before)
        print(f"| `{query}` | {hits['before']:,} | {hits['after']:,} | {before:.2f} | {after:.2f} | {after / before:.2f} |")
    print(f"geometric mean after/before: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}")


if __name__ == "__main__":
    main()
