"""Entity pages and timelines at scale (issue 20), each against the plain search in the same run.

    python -m benchmarks.entity_graph_bench --x1-home H1 [--scale 16 --home H16] [--repeat 5]

- The page of the most frequent entities (articles, spellings, sources, timeline and the
  co-mention list) against the plain search for the entity (`person:"…"`, top 20 with
  snippets, as the CLI and the reader run it), interleaved, median CPU of the process.
- The timeline of searches with many hits (up to every article) against the same search.
- The entity graph's first reading (no cache: the entity column of every article, through
  Whoosh) and its later loads (from the per-segment cache), in a fresh process each.

Entities at 345k: recognising 327k articles with spaCy takes hours, and Reuters x16 is
Reuters-21578 copied with a closing line (benchmarks/corpora.py). So the x16 index gets each
copy's entities replayed from the x1 index's recognition (the same spans, the copy's closing
line left unrecognised), in the indexing process: this measures the entity graph, not spaCy
(benchmarks/entities_bench.py measures recognition). H1 must hold Reuters-21578 indexed with
entities (`dossier index benchmarks/out/reuters-x1 --home H1 --entities`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpora import OUT, reuters_jsonl

COPY_LINE = "\n\n(Reuters archive, copy "

LOAD = """
import json, sys, time
from index.corpus import Corpus
from index.entity_graph import graph_of
from index.search import Engine
engine = Engine(Corpus.open(sys.argv[1], sys.argv[2]))
cpu, wall = time.process_time(), time.perf_counter()
graph = graph_of(engine.view)
print(json.dumps({"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
                  "entries": len(graph.entry_doc), "entities": len(graph.keys)}))
"""


def replay_table(x1_home: Path) -> dict[str, list]:
    """Each x1 article's text -> its recognised spans, as the recogniser gave them."""
    from index.article import EntitySpan
    from index.corpus import Corpus

    corpus = Corpus.open(reuters_jsonl(1), x1_home)
    ix, _ = corpus.open_index()
    table = {}
    with ix.searcher() as searcher:
        for fields in searcher.all_stored_fields():
            spans = fields.get("entities")
            if spans:
                table[fields["body"]] = [EntitySpan(*span) for span in spans]
    ix.close()
    if not table:
        sys.exit(f"no entities in {x1_home}: index Reuters-21578 there with entities first")
    return table


def build_with_replayed_entities(scale: int, home: Path, x1_home: Path) -> dict:
    """Index Reuters xN (text first, then entities) with each copy's spans replayed from x1."""
    from index import ingest as ingest_module
    from index.corpus import Corpus

    table = replay_table(x1_home)

    def replay(texts):
        out = []
        for text in texts:
            at = text.rfind(COPY_LINE)
            out.append(table.get(text[:at] if at >= 0 else text, []))
        return out

    ingest_module.recognize_many = replay
    ingest_module.IN_PROCESS_ARTICLES = 10 ** 9  # no worker processes: they would load spaCy
    cpu, wall = time.process_time(), time.perf_counter()
    report = ingest_module.ingest(Corpus.open(reuters_jsonl(scale), home))
    return {"articles": report.total_articles, "entities_recognised": report.entities_recognised,
            "cpu_s": round(time.process_time() - cpu, 1), "wall_s": round(time.perf_counter() - wall, 1)}


def load_times(folder: Path, home: Path, runs: int) -> dict:
    """The graph read from the index (cache removed first) once, then loaded from its cache."""
    from index.corpus import Corpus

    cache = Corpus.open(folder, home).index_path / "graph"
    shutil.rmtree(cache, ignore_errors=True)
    repo = Path(__file__).resolve().parent.parent

    def fresh() -> dict:
        run = subprocess.run([sys.executable, "-c", LOAD, str(folder), str(home)], capture_output=True,
                             text=True, check=True, cwd=repo)
        return json.loads(run.stdout.strip().splitlines()[-1])

    first = fresh()
    cached = [fresh() for _ in range(runs)]
    return {"first_cpu_s": round(first["cpu_s"], 3), "first_wall_s": round(first["wall_s"], 3),
            "cached_cpu_s": round(statistics.median(c["cpu_s"] for c in cached), 3),
            "cached_wall_s": round(statistics.median(c["wall_s"] for c in cached), 3),
            "entries": first["entries"], "entities": first["entities"]}


def cpu_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def measure(folder: Path, home: Path, repeat: int, top: int = 5) -> dict:
    from index.corpus import Corpus
    from index.entity_graph import graph_of
    from index.search import Engine
    from tui.widgets.entity_pane import Pick

    engine = Engine(Corpus.open(folder, home))
    graph = graph_of(engine.view)
    ranked = sorted(range(len(graph.keys)), key=lambda i: -graph.articles_of[i])[:top]
    pages = []
    for i in ranked:
        key = graph.keys[i]
        name = engine.registry.name(key)
        query = Pick(key.partition(":")[0], name).query()
        engine.search(query)  # both warm: the reader has searched before a page is opened
        engine.entity_page(name, key=key)
        page_ms, search_ms = [], []
        for _ in range(repeat):  # interleaved
            page_ms.append(cpu_ms(lambda: engine.entity_page(name, key=key), 1))
            search_ms.append(cpu_ms(lambda: engine.search(query, limit=20), 1))
        page = engine.entity_page(name, key=key)
        pages.append({"entity": name, "key": key, "articles": page.articles, "co_mentions": len(page.co_mentions),
                      "page_ms": round(statistics.median(page_ms), 2), "search_ms": round(statistics.median(search_ms), 2),
                      "ratio": round(statistics.median(page_ms) / statistics.median(search_ms), 2)})
    timelines = []
    for query in ["", "said", "pct", "oil", "year"]:
        engine.timeline(query)
        engine.search(query or "said")
        t_ms, s_ms = [], []
        for _ in range(repeat):
            t_ms.append(cpu_ms(lambda: engine.timeline(query), 1))
            s_ms.append(cpu_ms(lambda: engine.search(query, limit=20) if query else engine.result_list(None), 1))
        timeline = engine.timeline(query)
        timelines.append({"query": query or "(every article)", "hits": timeline.total + timeline.undated,
                          "unit": timeline.unit, "timeline_ms": round(statistics.median(t_ms), 2),
                          "search_ms": round(statistics.median(s_ms), 2),
                          "ratio": round(statistics.median(t_ms) / statistics.median(s_ms), 2)})
    articles = engine.doc_count
    engine.close()
    return {"articles": articles, "pages": pages, "timelines": timelines}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--x1-home", type=Path, required=True, help="Reuters-21578 indexed with entities")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--home", type=Path, help="where Reuters xN is (or is to be) indexed, entities replayed")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    results = {"scale": args.scale}
    if args.scale == 1:
        folder, home = reuters_jsonl(1), args.x1_home
    else:
        folder, home = reuters_jsonl(args.scale), args.home or OUT / f"entity-home-x{args.scale}"
        results["build"] = build_with_replayed_entities(args.scale, home, args.x1_home)
        print("build", results["build"], flush=True)
    results["load"] = load_times(folder, home, 3)
    print("load", results["load"], flush=True)
    results.update(measure(folder, home, args.repeat))
    for row in results["pages"]:
        print(f"page  {row['entity'][:28]:28s} {row['articles']:>7,} articles  page {row['page_ms']:8.2f} ms"
              f"  search {row['search_ms']:8.2f} ms  x{row['ratio']}")
    for row in results["timelines"]:
        print(f"timeline {row['query'][:20]:20s} {row['hits']:>8,} hits by {row['unit']:5s} {row['timeline_ms']:8.2f} ms"
              f"  search {row['search_ms']:8.2f} ms  x{row['ratio']}")
    out = OUT / f"entity-graph-x{args.scale}.json"
    out.write_text(json.dumps(results, indent=1))
    print("written to", out)


if __name__ == "__main__":
    main()
