"""Story clusters (index/stories.py): how well syndicated rewrites are grouped, and what the
grouping costs at ingest.

The labelled set is built from the real corpora. Bases are BBC and Reuters articles that
have no version of their own in the corpus (no other article shares a fifth of their
five-word runs: those pairs are the corpus's own updates, which cannot be labelled without
reading them). Each base gets one to four versions rewritten the ways syndication does:

  headline   a new headline and a byline line
  trimmed    the ending cut (a fifth to a half of the sentences)
  inserted   a paragraph added in the middle (taken from another article on the topic)
  quote      a quote or a sentence reworded
  byline     another byline, agency credit and closing line
  combined   new headline, trimmed ending and a changed quote together

mixed with distinct articles from the same BBC categories and Reuters topics (different
writers on the same subjects). Articles go into a StoryStore in a shuffled order, as files
arrive; pairwise precision and recall of the grouping are reported overall and per kind.

Ingest: Reuters-21578 (21k articles, text pass) indexed with and without stories,
interleaved: wall time, and CPU time of the process and the signing worker it starts.

    python -m benchmarks.stories_bench [--runs 2] [--no-ingest]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import resource
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.corpora import OUT, bbc_folder, reuters_jsonl, reuters_records
from index import stories
from index.corpus import Corpus
from index.ingest import ingest
from index.storydiff import sentences

KINDS = ("headline", "trimmed", "inserted", "quote", "byline", "combined")
BASES = 400
DISTRACTORS = 1200
NAMES = ["Jane Mercer", "Tom Okafor", "Priya Nair", "Luis Ortega", "Anna Kowalska", "David Chen"]
AGENCIES = ["Example Wire", "Daily Courier", "Metro News", "The Ledger", "Press Service"]


def _sentences(text: str) -> list[str]:
    return sentences(text)


def _paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:  # Reuters: one block per story; its lines are wrapped, not paragraphs
        sents = _sentences(" ".join(text.split()))
        paras = [" ".join(sents[i:i + 2]) for i in range(0, len(sents), 2)]
    return paras


def load_corpora() -> list[dict]:
    articles = []
    root = bbc_folder() / "bbc"
    for f in sorted(root.glob("*/*.txt")):
        title, _, body = f.read_text(encoding="latin-1").partition("\n")
        articles.append({"id": f"bbc-{f.parent.name}-{f.stem}", "title": title.strip(), "text": body.strip(),
                         "topic": f"bbc:{f.parent.name}", "source": "BBC"})
    for rec in reuters_records():
        topic = rec["places"][0] if rec["places"] else "none"
        articles.append({"id": f"reuters-{rec['id']}", "title": rec["title"], "text": rec["text"],
                         "topic": f"reuters:{topic}", "source": "Reuters"})
    return articles


def loners(articles: list[dict]) -> list[dict]:
    """Articles long enough to rewrite that share under a fifth of their five-word runs with
    every other article of the corpus (exactly, not estimated)."""
    sets = [set(stories.shingles(a["text"])) for a in articles]
    posting: dict[bytes, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            posting[x].append(i)
    shared: Counter = Counter()
    for ids in posting.values():
        if 1 < len(ids) < 60:  # a run in 60 articles is boilerplate, not a version
            shared.update(itertools.combinations(ids, 2))
    close = set()
    for (a, b), n in shared.items():
        if n / max(1, min(len(sets[a]), len(sets[b]))) >= 0.2:
            close.update((a, b))
    return [a for i, a in enumerate(articles)
            if i not in close and len(_sentences(" ".join(a["text"].split()))) >= 8 and len(sets[i]) >= 80]


def rewrite(base: dict, kind: str, rng: random.Random, donor: dict) -> dict:
    paras = _paragraphs(base["text"])
    title = base["title"]
    if kind in ("headline", "combined"):
        words = title.split()
        title = " ".join(words[len(words) // 3:]).capitalize() + ": " + rng.choice(
            ["what we know", "the latest", "report", "update", "officials say"])
        paras = [f"By {rng.choice(NAMES)}"] + paras
    if kind in ("trimmed", "combined"):
        sents = _sentences(" ".join(" ".join(paras).split()))
        keep = max(4, int(len(sents) * rng.uniform(0.5, 0.8)))
        paras = [" ".join(sents[i:i + 2]) for i in range(0, keep, 2)]
    if kind == "inserted":
        # A paragraph of two sentences from another article on the topic (a BBC "paragraph"
        # can be half an article, which would make the version one of the donor's too).
        donor_sentences = _sentences(donor["text"])
        start = rng.randrange(max(1, len(donor_sentences) - 1))
        paras.insert(max(1, len(paras) // 2), " ".join(donor_sentences[start:start + 2]))
    if kind in ("quote", "combined"):
        paras = _change_quote(paras, rng)
    if kind == "byline":
        paras = [f"By {rng.choice(NAMES)}, {rng.choice(AGENCIES)}"] + paras + \
            [f"(Reporting by {rng.choice(NAMES)}; editing by {rng.choice(NAMES)})"]
    return {"title": title, "text": "\n\n".join(paras)}


def _change_quote(paras: list[str], rng: random.Random) -> list[str]:
    """Reword one quote (or, without quotes, one sentence): a few of its words replaced."""
    quoted = [i for i, p in enumerate(paras) if re.search(r"[\"“][^\"”]{20,}[\"”]", p)]
    i = rng.choice(quoted) if quoted else rng.randrange(len(paras))
    para = paras[i]
    m = re.search(r"[\"“]([^\"”]{20,})[\"”]", para)
    start, end = (m.start(1), m.end(1)) if m else (0, len(para))
    words = para[start:end].split()
    for j in rng.sample(range(len(words)), max(1, len(words) // 4)):
        words[j] = rng.choice(["indeed", "clearly", "really", "now", "very", "simply"])
    return paras[:i] + [para[:start] + " ".join(words) + para[end:]] + paras[i + 1:]


def build_set(seed: int = 21) -> list[dict]:
    rng = random.Random(seed)
    pool = loners(load_corpora())
    rng.shuffle(pool)
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for a in pool:
        by_topic[a["topic"]].append(a)
    topics = [t for t, items in by_topic.items() if len(items) >= 4]
    bases, used = [], set()
    for a in pool:
        if a["topic"] in topics and len(bases) < BASES:
            bases.append(a)
            used.add(a["id"])
    items = []
    for n, base in enumerate(bases):
        items.append({**base, "story": base["id"], "kind": "original"})
        for v in range(1 + n % 4):
            kind = KINDS[(n + v) % len(KINDS)]
            donor = rng.choice([d for d in by_topic[base["topic"]] if d["id"] != base["id"]])
            items.append({**base, **rewrite(base, kind, rng, donor), "id": f"{base['id']}-v{v}",
                          "story": base["id"], "kind": kind})
    topical = [a for a in pool if a["id"] not in used and a["topic"] in {b["topic"] for b in bases}]
    for a in topical[:DISTRACTORS]:
        items.append({**a, "story": a["id"], "kind": "distinct"})
    rng.shuffle(items)  # files arrive in any order
    return items


def evaluate(items: list[dict]) -> dict:
    tmp = Path(tempfile.mkdtemp())
    try:
        store = stories.StoryStore(tmp)
        for i, item in enumerate(items):
            store.add(f"fp{i}", item["id"], item["text"])
        store.save()
        found = {f"fp{i}": None for i in range(len(items))}
        found.update({fp: s for fp, s in store.grouped().items()})
        store.close()
    finally:
        shutil.rmtree(tmp)
    predicted = [found[f"fp{i}"] for i in range(len(items))]
    tp = fp = fn = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [pairs found, pairs]
    false_pairs = []
    for (i, a), (j, b) in itertools.combinations(enumerate(items), 2):
        same = a["story"] == b["story"]
        grouped = predicted[i] is not None and predicted[i] == predicted[j]
        if same:
            kind = a["kind"] if a["kind"] != "original" else b["kind"]
            per_kind[kind][1] += 1
            per_kind[kind][0] += grouped
        tp += same and grouped
        fp += grouped and not same
        fn += same and not grouped
        if grouped and not same:
            false_pairs.append((a["id"], b["id"]))
    return {
        "articles": len(items),
        "stories": len({a["story"] for a in items}),
        "versions": sum(a["kind"] not in ("original", "distinct") for a in items),
        "distinct": sum(a["kind"] == "distinct" for a in items),
        "pairs_same": tp + fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "recall_by_kind": {k: round(f / n, 4) for k, (f, n) in sorted(per_kind.items())},
        "false_pairs": false_pairs[:20],
    }


def _cpu_with_children() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ingest_ratio(runs: int) -> dict:
    folder = reuters_jsonl(1)
    times: dict[bool, list[float]] = {False: [], True: []}
    walls: dict[bool, list[float]] = {False: [], True: []}
    articles = joined = 0
    for _ in range(runs):
        for with_stories in (False, True):
            home = Path(tempfile.mkdtemp())
            try:
                # CPU of this process and of the signing worker it starts (a child, reaped
                # when the run ends): the whole machine's work, not just the writer's.
                started, began = _cpu_with_children(), time.perf_counter()
                report = ingest(Corpus.open(folder, home), entities=False, stories=with_stories)
                times[with_stories].append(_cpu_with_children() - started)
                walls[with_stories].append(time.perf_counter() - began)
                articles = report.total_articles
                joined = max(joined, report.in_stories)
            finally:
                shutil.rmtree(home)
    return {"corpus": "Reuters-21578, text pass (no entities: the pass grouping adds to)", "articles": articles,
            "joined_a_story": joined, "runs": runs,
            "cpu_seconds_without": [round(t, 2) for t in times[False]],
            "cpu_seconds_with": [round(t, 2) for t in times[True]],
            "wall_seconds_without": [round(t, 2) for t in walls[False]],
            "wall_seconds_with": [round(t, 2) for t in walls[True]],
            "cpu_ratio_best": round(min(times[True]) / min(times[False]), 3),
            "wall_ratio_best": round(min(walls[True]) / min(walls[False]), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--no-ingest", action="store_true")
    args = ap.parse_args()
    items = build_set()
    out = {"quality": evaluate(items)}
    print(json.dumps(out["quality"], indent=1))
    if not args.no_ingest:
        out["ingest"] = ingest_ratio(args.runs)
        print(json.dumps(out["ingest"], indent=1))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "stories_bench.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
