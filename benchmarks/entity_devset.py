"""The labelled development set for entities (issue 16): sample, annotate, score.

    python -m benchmarks.entity_devset sample            # which articles are in the set
    python -m benchmarks.entity_devset show N [N ...]    # an article with the model's proposals
    python -m benchmarks.entity_devset add FILE          # hand annotations -> tests/data/entity_devset.jsonl
    python -m benchmarks.entity_devset score [--json]    # exact and span-only F1 per kind, pane precision

The set is a seeded random sample of BBC (8 per section) and Reuters-21578 stories (20) under
a length cap (so that each can be read and marked whole). Each article's entities were marked
by hand as character offsets into the text dossier recognises (its `Article.text`), with one
of the five kinds; tests/data/entity_devset.jsonl keeps the corpus path, a hash of the text
and the offsets, never the text. What counts as an entity:
- person: a person's name without a title ("Blair" in "Mr Blair", "Tony Blair" in "Prime
  Minister Tony Blair"); org: companies, parties, teams, bodies, newspapers, bands;
  place: countries, cities, regions, buildings and venues; group: nationalities, religious and
  political groups as adjectives or nouns ("British", "Democrats" as members); event: named
  events (the Olympics, World War Two, the Grammys).
- not: works (films, books, songs), products, laws, titles and roles on their own, days,
  currencies; "The" leading a name is outside it unless it is part of a title-cased name of a
  publication ("The Economist" is marked "Economist").

The hand file given to `add` holds one block per article: a line `== N` (its number in the
sample), then one line per entity `surface | kind`; every whole-word, case-sensitive
occurrence of each surface is marked, longest surfaces first, unless the line is written
`surface | kind | K` to mark only its K-th occurrence (1-based). The kind `none` marks
text that holds a name but is not one ("Crossrail Link Bill", a law), so that its words are
left unmarked. Parts of hyphenated words ("US-German") are not marked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from index.kinds import KINDS

from .corpora import CORPORA, reuters_records

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "data" / "entity_devset.jsonl"
BBC_SECTIONS = ("business", "entertainment", "politics", "sport", "tech")
PER_SECTION = 8
REUTERS = 20
MAX_CHARS = 2_200
SEED = 16


def _text_of(data: bytes, relpath: str) -> str:
    from index.formats import read_articles

    articles, _ = read_articles(data, relpath)
    return articles[0].text


def sample() -> list[dict]:
    """The set's articles, in a fixed order: {'corpus', 'path', 'newid'?, 'text'}."""
    rng = random.Random(SEED)
    out = []
    bbc = CORPORA / "bbc-news-2005" / "bbc"
    for section in BBC_SECTIONS:
        files = sorted((bbc / section).glob("*.txt"))
        rng.shuffle(files)
        taken = 0
        for path in files:
            text = _text_of(path.read_bytes(), f"{section}/{path.name}")
            if len(text) <= MAX_CHARS:
                out.append({"corpus": "bbc-news-2005", "path": f"bbc/{section}/{path.name}", "text": text})
                taken += 1
                if taken == PER_SECTION:
                    break
    records = [r for r in reuters_records() if 400 <= len(r["text"]) <= MAX_CHARS
               and sum(ch.isalpha() for ch in r["text"]) > 0.6 * len(r["text"])]  # prose, not tables
    rng.shuffle(records)
    for record in records[:REUTERS]:
        text = _text_of(json.dumps(record).encode(), "reuters.jsonl")
        out.append({"corpus": "reuters-21578", "path": "reut2", "newid": record["id"], "text": text})
    return out


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _label(article: dict) -> str:
    return article["path"] + (f"#{article['newid']}" if "newid" in article else "")


def load_gold() -> list[dict]:
    """The annotated articles joined with their text; fails if a text changed under them."""
    if not DEVSET.exists():
        return []
    texts = {_label(a): a for a in sample()}
    gold = []
    for line in DEVSET.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        article = texts[entry["id"]]
        if _sha(article["text"]) != entry["sha1"]:
            raise SystemExit(f"{entry['id']}: its text is no longer the one annotated (the reader changed it)")
        gold.append({**article, "entities": [tuple(e) for e in entry["entities"]]})
    return gold


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    # A space in a surface matches any run of white space: wire stories break names over lines.
    pattern = r"\s+".join(re.escape(word) for word in surface.split(" "))
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", text)]


def add(hand_file: Path) -> None:
    """Turn hand annotations (surfaces) into offsets and add them to the set."""
    articles = sample()
    existing = {}
    if DEVSET.exists():
        for line in DEVSET.read_text("utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                existing[entry["id"]] = entry
    blocks = re.split(r"^== *(\d+) *$", hand_file.read_text("utf-8"), flags=re.MULTILINE)
    for number, body in zip(blocks[1::2], blocks[2::2]):
        article = articles[int(number)]
        text = article["text"]
        lines = [line.split("|") for line in body.splitlines() if line.strip() and not line.startswith("#")]
        wanted = []
        for parts in lines:
            surface, kind = parts[0].strip(), parts[1].strip()
            if kind not in KINDS and kind != "none":
                raise SystemExit(f"article {number}: unknown kind {kind!r} for {surface!r}")
            found = _occurrences(text, surface)
            if not found:
                raise SystemExit(f"article {number}: {surface!r} is not in its text")
            if len(parts) > 2:
                found = [found[int(parts[2]) - 1]]
            wanted.append((surface, kind, found))
        covered = bytearray(len(text))
        spans = []
        for surface, kind, found in sorted(wanted, key=lambda w: -len(w[0])):
            for start, end in found:
                if not any(covered[start:end]):
                    covered[start:end] = b"\x01" * (end - start)
                    if kind != "none":
                        spans.append((start, end, kind))
        existing[_label(article)] = {"id": _label(article), "sha1": _sha(text), "entities": sorted(spans)}
    order = {_label(a): i for i, a in enumerate(articles)}
    DEVSET.parent.mkdir(exist_ok=True)
    DEVSET.write_text("".join(json.dumps(e) + "\n" for e in sorted(existing.values(), key=lambda e: order[e["id"]])))
    print(f"{len(existing)} articles in {DEVSET}")


def show(numbers: list[int]) -> None:
    from index.entities import recognize_many

    articles = sample()
    chosen = [articles[n] for n in numbers]
    for n, article, spans in zip(numbers, chosen, recognize_many([a["text"] for a in chosen])):
        print(f"== {n}  {_label(article)}  ({len(article['text'])} chars)")
        print(article["text"])
        print("-- proposed")
        seen = set()
        for s in spans:
            item = (article["text"][s.start:s.end], s.kind)
            if item not in seen:
                seen.add(item)
                print(f"{item[0]} | {item[1]}")
        print()


def _prf(tp: int, predicted: int, gold: int) -> dict:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(200 * p * r / (p + r), 1) if p + r else 0.0}


def score(gold_articles: list[dict], predictions: list[list]) -> dict:
    """Exact (span and kind) and span-only figures, per kind and for people, organisations
    and places together; pane precision: of the distinct entities (keys) dossier lists for an
    article, how many have at least one mention marked in the set with their kind."""
    exact = Counter()
    by_kind = defaultdict(Counter)
    pane_right = pane_total = 0
    for article, spans in zip(gold_articles, predictions):
        gold = set(article["entities"])
        gold_spans = {(s, e) for s, e, _ in gold}
        predicted = {(s.start, s.end, s.kind) for s in spans}
        for kind in KINDS:
            g = {x for x in gold if x[2] == kind}
            p = {x for x in predicted if x[2] == kind}
            by_kind[kind].update(tp=len(g & p), predicted=len(p), gold=len(g))
        main = ("person", "org", "place")
        g3 = {x for x in gold if x[2] in main}
        p3 = {x for x in predicted if x[2] in main}
        exact.update(tp=len(g3 & p3), predicted=len(p3), gold=len(g3))
        exact.update(span_tp=len({(s, e) for s, e, _ in p3} & {(s, e) for s, e, _ in g3}))
        exact.update(all_tp=len(gold & predicted), all_predicted=len(predicted), all_gold=len(gold))
        exact.update(all_span_tp=len({(s, e) for s, e, _ in predicted} & gold_spans))
        keys = defaultdict(list)
        for s in spans:
            keys[s.key].append((s.start, s.end, s.kind))
        for mentions in keys.values():
            pane_total += 1
            pane_right += any(m in gold for m in mentions)
    return {
        "articles": len(gold_articles),
        "gold_entities": exact["all_gold"],
        "person_org_place": {**_prf(exact["tp"], exact["predicted"], exact["gold"]),
                             "span_only_f1": _prf(exact["span_tp"], exact["predicted"], exact["gold"])["f1"]},
        "all_kinds": {**_prf(exact["all_tp"], exact["all_predicted"], exact["all_gold"]),
                      "span_only_f1": _prf(exact["all_span_tp"], exact["all_predicted"], exact["all_gold"])["f1"]},
        "per_kind": {k: {**_prf(c["tp"], c["predicted"], c["gold"]), "gold": c["gold"]} for k, c in by_kind.items()},
        "pane_precision": round(100 * pane_right / pane_total, 1) if pane_total else 0.0,
        "pane_entities": pane_total,
    }


def with_corpus_decisions(gold_articles: list[dict], predictions: list[list], corpus: str, where: str) -> list[list]:
    """The spans of `corpus`'s articles under the keys and kinds the registry of that corpus's
    index (built with `dossier index --home HOME [FOLDER]`; `where` is HOME or HOME,FOLDER when
    the folder indexed is not ../shared/corpora/CORPUS, as for Reuters' JSONL) gives them: the
    corpus-wide decisions (a lone surname's full name, one kind per name) one article cannot."""
    import dataclasses

    from index.aliases import load_aliases
    from index.kinds import LABEL_OF_KIND
    from index.corpus import Corpus
    from index.entity_registry import REGISTRY_NAME, EntityRegistry

    home, _, folder = where.partition(",")
    registry = EntityRegistry(load_aliases(), Corpus.open(folder or CORPORA / corpus, home).index_path / REGISTRY_NAME)
    if not registry.names:
        sys.exit(f"no entity registry for {corpus} in {home}: index it there with entities first")
    registry.decide()  # with this version's rules, from the evidence the index gathered
    out = []
    for article, spans in zip(gold_articles, predictions):
        if article["corpus"] == corpus:
            resolved = []
            for s in spans:
                key = registry.resolve(s.key)
                kind = key.partition(":")[0]
                resolved.append(dataclasses.replace(s, key=key, label=s.label if s.kind == kind else LABEL_OF_KIND[kind]))
            spans = resolved
        out.append(spans)
    return out


def errors(gold_articles: list[dict], predictions: list[list]) -> None:
    """What was missed and what was wrong, for reading (not for tuning to one example)."""
    for article, spans in zip(gold_articles, predictions):
        text = article["text"]
        gold = set(article["entities"])
        predicted = {(s.start, s.end, s.kind) for s in spans}
        print(f"== {_label(article)}")
        for s, e, k in sorted(gold - predicted):
            print(f"  missed  {text[s:e]!r} {k}")
        for s, e, k in sorted(predicted - gold):
            print(f"  wrong   {text[s:e]!r} {k}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("sample")
    sh = sub.add_parser("show")
    sh.add_argument("numbers", type=int, nargs="+")
    ad = sub.add_parser("add")
    ad.add_argument("file", type=Path)
    sc = sub.add_parser("score")
    sc.add_argument("--json", action="store_true")
    sc.add_argument("--errors", action="store_true", help="list every miss and wrong span")
    sc.add_argument("--decided", action="append", default=[], metavar="CORPUS=HOME[,FOLDER]",
                    help="resolve the spans of CORPUS's articles as the index in HOME does (its "
                         "corpus-wide decisions), e.g. bbc-news-2005=/tmp/home or "
                         "reuters-21578=/tmp/home,benchmarks/out/reuters-x1")
    args = ap.parse_args()
    if args.command == "sample":
        for n, article in enumerate(sample()):
            print(n, _label(article), len(article["text"]))
    elif args.command == "show":
        show(args.numbers)
    elif args.command == "add":
        add(args.file)
    else:
        from index.entities import recognize_many

        gold = load_gold()
        if not gold:
            sys.exit(f"no annotated articles in {DEVSET}")
        predictions = recognize_many([a["text"] for a in gold])
        for spec in args.decided:
            predictions = with_corpus_decisions(gold, predictions, *spec.split("=", 1))
        if args.errors:
            errors(gold, predictions)
        result = score(gold, predictions)
        print(json.dumps(result, indent=1 if not args.json else None))


if __name__ == "__main__":
    main()
