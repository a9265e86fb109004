"""How long a one-off command takes from the shell, against a Python script running the same
FTS5 query (issue 19: `dossier search WORD` within 3x).

    python -m benchmarks.cli_bench [--scale N] [--launches 9]

Both are launched as fresh processes, alternating, `--launches` times each per word, on
Reuters (20,494 articles at scale 1), with the index and the FTS5 table built first; wall
time (what the user waits for) and CPU time of the child are recorded, medians reported.
The FTS5 script prints the top 20 with `snippet()` and the total, as `dossier search` does.
`dossier --help` is measured the same way against `python -c pass`. dossier's modules are
compiled to bytecode first, as an installed copy's are.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpora import OUT, reuters_jsonl
from .kinds_bench import run_measured

WORDS = ["oil", "coffee", "tonnes", "bundesbank", "sorghum"]

FTS_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
q = sys.argv[2]
rows = conn.execute("SELECT rowid, title, snippet(articles, 1, '[', ']', '…', 24) FROM articles "
                    "WHERE articles MATCH ? ORDER BY rank LIMIT 20", (q,)).fetchall()
total = conn.execute("SELECT count(*) FROM articles WHERE articles MATCH ?", (q,)).fetchone()[0]
for rowid, title, snippet in rows:
    print(rowid, title, snippet, sep="\\t")
print(total, "matches")
"""


def launch(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    wall, cpu, _ = run_measured(argv, env)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--launches", type=int, default=9)
    parser.add_argument("--home", help="an index of the corpus already built here (else one is built)")
    args = parser.parse_args()

    from index.corpus import Corpus
    from index.ingest import ingest
    from .kinds_bench import fill_fts, stored_articles
    from index.search import Engine

    folder = reuters_jsonl(args.scale)
    work = Path(tempfile.mkdtemp(prefix="cli-bench-"))
    home = Path(args.home) if args.home else work / "home"
    try:
        corpus = Corpus.open(folder, home)
        if not corpus.has_index():
            ingest(corpus, entities=False)
        with Engine(corpus) as engine:
            fill_fts(work / "fts.db", stored_articles(engine))
        # Bytecode for dossier's own modules, as an installed copy has (pip compiles on install;
        # this workplace sets PYTHONDONTWRITEBYTECODE, which would time compiling them instead).
        root = Path(__file__).resolve().parent.parent
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "index"), str(root / "tui")], check=True)
        script = work / "fts_search.py"
        script.write_text(FTS_SCRIPT)
        env = dict(os.environ, DOSSIER_HOME=str(home))
        dossier = shutil.which("dossier") or sys.exit("dossier is not on PATH (pip install -e .)")
        pairs = {
            "search": [([dossier, "search", w, "--corpus", str(folder)],
                        [sys.executable, str(script), str(work / "fts.db"), w]) for w in WORDS],
            "help": [([dossier, "--help"], [sys.executable, "-c", "pass"])],
        }
        result: dict = {"corpus": f"reuters x{args.scale}", "launches": args.launches}
        for name, runs in pairs.items():
            ours, theirs = [], []
            for ours_argv, theirs_argv in runs:
                launch(ours_argv, env), launch(theirs_argv, env)  # warm the page cache
                for i in range(args.launches):
                    order = [(ours, ours_argv), (theirs, theirs_argv)]
                    for times, argv in order if i % 2 == 0 else order[::-1]:
                        times.append(launch(argv, env))
            wall = (statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs))
            cpu = (statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs))
            result[name] = {"dossier_wall_s": round(wall[0], 3), "reference_wall_s": round(wall[1], 3),
                            "ratio_wall": round(wall[0] / wall[1], 1), "dossier_cpu_s": round(cpu[0], 3),
                            "reference_cpu_s": round(cpu[1], 3)}
            print(f"{name:>7}: dossier {wall[0] * 1000:.0f} ms wall ({cpu[0] * 1000:.0f} ms CPU), "
                  f"reference {wall[1] * 1000:.0f} ms wall ({cpu[1] * 1000:.0f} ms CPU): {wall[0] / wall[1]:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cli.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
