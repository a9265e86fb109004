"""Entity recognition: ingest overhead on BBC, and agreement with Reuters-21578's gold tags.

    python -m benchmarks.entities_bench ingest      # BBC: recognition alone vs full ingest, memory
    python -m benchmarks.entities_bench reuters [--limit N]   # document-level agreement (see RESULTS.md: it
                                                              # cannot tell a good recogniser from a bad one)
    python -m benchmarks.entities_bench speed [--files N]     # tokens/s of CPU: bare model vs with clean-up
    python -m benchmarks.entities_bench ratio [--files N] [--rounds 3]   # ingest / recognition, interleaved

Recognition alone = reading the files and recognising entities with the same worker pool
ingest uses, writing nothing. Full ingest = that plus the Whoosh writer, in one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections import Counter, deque
from pathlib import Path

from index.aliases import fold
from index.corpus import Corpus
from index.entities import recognize_many
from index.ingest import _prepared_stream, ingest, worker_count
from index.walk import walk

from .corpora import CORPORA, OUT, bbc_folder, reuters_records


def _maxrss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def first_searchable(folder, runs: int = 3) -> list[float]:
    """Seconds from starting the reader's background indexer on a new folder (a fresh home)
    until a searcher sees the first committed articles."""
    import subprocess
    import sys

    from index.corpus import Corpus as _Corpus
    from whoosh.index import exists_in, open_dir

    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            index_path = _Corpus.open(folder, home).index_path
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "tui.background", str(folder), home],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                while True:
                    if exists_in(index_path, indexname="articles"):
                        ix = open_dir(index_path, indexname="articles", readonly=True)
                        with ix.searcher() as s:
                            if s.doc_count():
                                times.append(time.perf_counter() - start)
                                break
                    if time.perf_counter() - start > 120:
                        raise RuntimeError("nothing became searchable within 2 minutes")
                    time.sleep(0.02)
            finally:
                proc.kill()
                proc.wait()
    return times


def bench_ingest() -> dict:
    folder = bbc_folder()
    files, _ = walk(folder)
    t = time.perf_counter()
    articles = words = 0
    for prepared, error in _prepared_stream(files, True):
        assert error is None, error
        for p in prepared:
            for a in p.articles:
                articles += 1
                words += len(a.text.split())
    recognition = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as home:
        t = time.perf_counter()
        report = ingest(Corpus.open(folder, home))
        full = time.perf_counter() - t
    result = {
        "corpus": "bbc",
        "workers": worker_count(),
        "articles": articles,
        "recognition_alone_s": round(recognition, 1),
        "recognition_articles_per_s": round(articles / recognition, 1),
        "recognition_words_per_s": round(words / recognition),
        "full_ingest_s": round(full, 1),
        "ratio_full_over_recognition": round(full / recognition, 3),
        "peak_rss_mb": {"writer_process": round(_maxrss_mb(resource.RUSAGE_SELF)),
                        "largest_worker": round(_maxrss_mb(resource.RUSAGE_CHILDREN))},
        "indexed": report.total_articles,
    }
    firsts = first_searchable(folder)
    result["first_article_searchable_s"] = {"median": round(sorted(firsts)[len(firsts) // 2], 2),
                                            "runs": [round(t, 2) for t in firsts]}
    print(json.dumps(result, indent=2))
    return result


def _cpu_with_workers() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def bench_ratio(files: int, rounds: int) -> dict:
    """Full ingest over recognition alone on N BBC files spread over its sections (copied to a
    temporary folder), alternating the two `rounds` times each, so that a change in the machine's load
    falls on both: wall and CPU seconds (workers included), medians and the ratio of medians."""
    import shutil
    import statistics

    every = sorted(walk(bbc_folder())[0], key=lambda f: f.relpath)
    chosen = every[:: max(1, len(every) // files)][:files]  # spread over the five sections
    runs: dict[str, dict[str, list[float]]] = {"recognition": {"wall": [], "cpu": []},
                                               "ingest": {"wall": [], "cpu": []}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bbc"
        for found in chosen:
            target = folder / found.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found.abspath, target)
        copied, _ = walk(folder)
        for round_ in range(rounds):
            wall, cpu = time.perf_counter(), _cpu_with_workers()
            for _prepared, error in _prepared_stream(copied, True):
                assert error is None, error
            runs["recognition"]["wall"].append(time.perf_counter() - wall)
            runs["recognition"]["cpu"].append(_cpu_with_workers() - cpu)
            wall, cpu = time.perf_counter(), _cpu_with_workers()
            ingest(Corpus.open(folder, Path(tmp) / f"home{round_}"))
            runs["ingest"]["wall"].append(time.perf_counter() - wall)
            runs["ingest"]["cpu"].append(_cpu_with_workers() - cpu)
    medians = {what: {k: round(statistics.median(v), 2) for k, v in measures.items()} for what, measures in runs.items()}
    result = {"files": len(chosen), "rounds": rounds, "workers": worker_count(), "medians_s": medians,
              "ratio_wall": round(medians["ingest"]["wall"] / medians["recognition"]["wall"], 3),
              "ratio_cpu": round(medians["ingest"]["cpu"] / medians["recognition"]["cpu"], 3),
              "runs_s": {what: {k: [round(x, 2) for x in v] for k, v in m.items()} for what, m in runs.items()}}
    print(json.dumps(result, indent=2))
    return result


# Reuters' gold PLACES are country codes; these are the ones a name does not spell out.
_GOLD_PLACE = {"united states": "usa", "united kingdom": "uk", "soviet union": "ussr",
               "germany": "west-germany", "west germany": "west-germany", "east germany": "east-germany"}


def _place_code(folded: str) -> str:
    return _GOLD_PLACE.get(folded, folded.replace(" ", "-"))


def bench_reuters(limit: int) -> dict:
    vocab = set((CORPORA / "reuters-21578" / "all-places-strings.lc.txt").read_text().split())
    records = [r for r in reuters_records() if r["text"] and (r["places"] or r["people"])][:limit]
    t = time.perf_counter()
    spans = recognize_many([r["text"] for r in records])
    seconds = time.perf_counter() - t
    counts = Counter()
    for record, found in zip(records, spans):
        places = {_place_code(s.key.partition(":")[2]) for s in found if s.kind == "place"}
        places &= vocab  # gold tags only countries and a few regions: compare on those
        gold = set(record["places"])
        counts["place_tp"] += len(places & gold)
        counts["place_fp"] += len(places - gold)
        counts["place_fn"] += len(gold - places)
        people = {s.key.partition(":")[2].split()[-1] for s in found if s.kind == "person"}
        gold_people = {p.split("-")[-1] for p in record["people"]}
        counts["person_tp"] += len(people & gold_people)
        counts["person_fn"] += len(gold_people - people)
        counts["person_gold"] += len(gold_people)
    def prf(kind):
        tp, fp, fn = counts[f"{kind}_tp"], counts.get(f"{kind}_fp", 0), counts[f"{kind}_fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        return round(precision, 3), round(recall, 3)
    place_p, place_r = prf("place")
    _, person_r = prf("person")
    result = {
        "documents": len(records),
        "seconds": round(seconds, 1),
        "place_precision": place_p,
        "place_recall": place_r,
        "person_recall": person_r,
        "person_gold_tags": counts["person_gold"],
    }
    print(json.dumps(result, indent=2))
    return result


def bench_speed(files: int, rounds: int = 3) -> dict:
    """Tokens per second of CPU time in this process: the bare model (nlp.pipe, only `ner`)
    against recognition with dossier's clean-up, interleaved round by round on the same BBC
    texts, the best round of each (the machine may be busy; CPU time is not blurred by it)."""
    from index.entities import load_model

    paths = sorted(bbc_folder().rglob("*.txt"))[:files]
    texts = []
    for path in paths:
        from index.formats import read_articles

        articles, _ = read_articles(path.read_bytes(), path.name)
        texts.extend(a.text for a in articles)
    nlp = load_model()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))  # also warms the model up
    recognize_many(texts[:20])
    bare, full = [], []
    for _ in range(rounds):
        t = time.process_time()
        deque(nlp.pipe(texts, batch_size=32), maxlen=0)  # run the model, keep nothing
        bare.append(time.process_time() - t)
        t = time.process_time()
        recognize_many(texts)
        full.append(time.process_time() - t)
    result = {"texts": len(texts), "tokens": tokens,
              "bare_tokens_per_cpu_s": round(tokens / min(bare)), "with_cleanup_tokens_per_cpu_s": round(tokens / min(full)),
              "cleanup_cost": round(min(full) / min(bare), 3)}
    print(json.dumps(result, indent=2))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["ingest", "reuters", "speed", "ratio"])
    ap.add_argument("--files", type=int, default=400, help="BBC files for speed and ratio")
    ap.add_argument("--rounds", type=int, default=3, help="alternations for ratio")
    ap.add_argument("--limit", type=int, default=3000, help="Reuters documents with gold tags to check")
    args = ap.parse_args()
    if args.what == "speed":
        result = bench_speed(args.files)
    elif args.what == "ratio":
        result = bench_ratio(args.files, args.rounds)
    else:
        result = bench_ingest() if args.what == "ingest" else bench_reuters(args.limit)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"entities-{args.what}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
