"""Did a change make searching slower? This code against an earlier revision, same index.

    python -m benchmarks.revision_bench REV [--folder F --home H] [--rounds 5]

REV is checked out in a temporary git worktree; each round runs the query mix (the 200 of
benchmarks/queries.py, rare words, day-level dates and library states) once with REV's code
and once with this one, alternating, each in a fresh process, timing CPU seconds per query
kind: search (top 20, snippets), the reader's list (first 40 rows) and the count. Medians
of the rounds, and new/old per kind. The folder defaults to Reuters-21578 as JSONL,
indexed without entities under a temporary home unless --home holds it already.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpora import REPO, reuters_jsonl

ONE_PASS = """
import json, sys, time
from index.corpus import Corpus
from index.search import Engine
from benchmarks.queries import query_mix

engine = Engine(Corpus.open(sys.argv[1], sys.argv[2]))
queries = [(q.kind, q.dossier) for q in query_mix()]
queries += [("rare", w) for w in ["zinc", "cocoa", "tin", "ecuador", "reagan", "yen", "opec", "iowa", "bonn", "saudi"]]
queries += [("day", d) for d in ["date:1987-03-17", "date:1987-04-08", "date:[1987-03-17 to 1987-03-31]", "date:1987-10-19"]]
queries += [("state", q) for q in ["oil is:unread", "is:unread", "NOT oil", "oil NOT crude"]]
engine.search("warm up")
seconds = {}
for kind, text in queries:
    started = time.process_time()
    engine.search(text, limit=20)
    results = engine.result_list(text)
    for i in range(min(len(results), 40)):
        results.row(i)
    engine.count(text)
    seconds[kind] = seconds.get(kind, 0.0) + time.process_time() - started
print(json.dumps(seconds))
"""


def one_pass(code: Path, folder: Path, home: Path) -> dict[str, float]:
    run = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code)!r})\n{ONE_PASS}",
                          str(folder), str(home)], capture_output=True, text=True, check=True, cwd=code)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("revision")
    ap.add_argument("--folder", type=Path)
    ap.add_argument("--home", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(old), args.revision], check=True)
        try:
            folder = args.folder or reuters_jsonl(1)
            home = args.home or Path(tmp) / "home"
            if args.home is None:
                from index.corpus import Corpus
                from index.ingest import ingest

                ingest(Corpus.open(folder, home), entities=False)
            passes: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            for _ in range(args.rounds):
                passes["old"].append(one_pass(old, folder, home))
                passes["new"].append(one_pass(REPO, folder, home))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    kinds = list(passes["old"][0])
    rows = {}
    for kind in kinds + ["all"]:
        def median(version: str) -> float:
            return statistics.median(sum(p.values()) if kind == "all" else p[kind] for p in passes[version])

        rows[kind] = {"old_ms": round(median("old") * 1000, 1), "new_ms": round(median("new") * 1000, 1),
                      "new_over_old": round(median("new") / median("old"), 3)}
    print(json.dumps({"revision": args.revision, "rounds": args.rounds, "kinds": rows}, indent=1))


if __name__ == "__main__":
    main()
