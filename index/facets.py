"""Counting over the articles a query finds: sources, years and entities (facets), and the
corpus in numbers (stats)."""

from __future__ import annotations

import sqlite3
from collections import Counter

from whoosh import query as wq

from .aliases import fold
from .duplicates import STORE_NAME, DuplicateStore
from .planner import Plan, all_matches
from .results import EntityCount
from .schema import column_value
from .view import IndexView


FACET_COLUMNS = {"source": "source_facet", "year": "year"}


class Facets(dict):
    """facet -> [(value, articles)], and, when asked for, `stories`: facet -> value -> how
    many stories those articles tell (index/stories.py; an article alone is one)."""

    stories: dict[str, dict[str, int]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stories = {}


def facets(view: IndexView, p: Plan, top: int | None = 20, entities: bool = True, stories: bool = False) -> Facets:
    """Per facet (source, year, and each entity kind), its values with article counts, over
    the articles the plan matches (index/planner.py); with `stories`, story counts too."""
    docnums = list(all_matches(view, p))
    story_of = _story_keys(view, docnums) if stories and docnums else None
    out = Facets()
    for name, field in FACET_COLUMNS.items():
        found: Counter = Counter()
        told: dict[str, set] = {}
        if docnums:  # an index with no commit yet has no columns to read (EmptyReader)
            column = view.reader.column_reader(field)
            values = [column_value(column, d) for d in docnums]
            found.update(values)
            if story_of is not None:
                for value, story in zip(values, story_of):
                    told.setdefault(value, set()).add(story)
        if story_of is not None:
            out.stories[name] = {value: len(s) for value, s in told.items() if value}
        counts = [(k, v) for k, v in found.items() if k]
        if name == "year":
            counts.sort(key=lambda kv: kv[0], reverse=True)
        else:
            counts.sort(key=lambda kv: (-kv[1], kv[0]))
        out[name] = counts[:top]
    if not entities:
        return out
    for kind, counts in entity_counts(view, docnums, None, top, story_of).items():
        out[kind] = [(c.name, c.articles) for c in counts]
        if story_of is not None:
            out.stories[kind] = {c.name: c.stories for c in counts}
    return out


def _story_keys(view: IndexView, docnums: list[int]) -> list[int]:
    """Each document's story, as a number: its story's, or -1 - docnum for an article alone."""
    import numpy as np

    order = np.asarray(docnums, dtype=np.int64)
    dense = view.stories().dense[order]
    return np.where(dense >= 0, dense, -1 - order).tolist()


def entity_counts(view: IndexView, docnums, kind: str | None, top: int | None,
                  story_of: list[int] | None = None) -> dict[str, list[EntityCount]]:
    """Per kind, the entities of these articles (all articles for None), by article count;
    with `story_of` (each document's story, in the order of `docnums`), how many stories."""
    reader, registry = view.reader, view.registry
    if reader.doc_count() == 0:
        return {}
    column = reader.column_reader("entity_keys")
    if docnums is None:
        docnums = reader.all_doc_ids()
    articles: Counter = Counter()
    mentions: Counter = Counter()
    told: dict[str, set] = {}
    for n, docnum in enumerate(docnums):
        value = column_value(column, docnum)  # articles indexed without entities have none
        if not value:
            continue
        in_article: Counter = Counter()
        for line in value.decode("utf-8").split("\n"):
            key, _, count = line.partition("\t")
            key = registry.resolve(key)  # taken into another key since it was indexed
            if (kind and not key.startswith(kind + ":")) or key in registry.ignored:
                continue
            in_article[key] += int(count or 1)
        articles.update(in_article.keys())
        mentions.update(in_article)
        if story_of is not None:
            for key in in_article:
                told.setdefault(key, set()).add(story_of[n])
    by_kind: dict[str, list[EntityCount]] = {}
    # The publisher is named in many of its own stories ("told the BBC"): it is listed
    # when its count earns it a place, after the organisations the stories are about.
    ranked = sorted(articles, key=lambda k: (-articles[k], -mentions[k], k))
    for key in ranked:
        k = key.partition(":")[0]
        bucket = by_kind.setdefault(k, [])
        if top is not None and len(bucket) >= top:
            continue
        bucket.append(EntityCount(key, registry.name(key), k, articles[key], mentions[key],
                                  registry.all_variants(key), is_publisher(view, key),
                                  len(told[key]) if story_of is not None else None))
    for bucket in by_kind.values():
        bucket.sort(key=lambda c: c.publisher)  # stable: by count within each part
    return by_kind


def is_publisher(view: IndexView, key: str) -> bool:
    """Whether an organisation is the corpus's publisher or one of its outlets: its name
    starts with an article's source, or with a word of the folder's name that the corpus
    names as an organisation (BBC, BBC News, BBC Radio 4 in a folder 'bbc-news-2005')."""
    kind, _, name = key.partition(":")
    if kind != "org":
        return False
    if view.publishers is None:
        names = {fold(term.decode("utf-8", "replace")) for term in view.reader.lexicon("source_facet")}
        registry, enough = view.registry, view.searcher.doc_count() / 100
        for word in fold(view.corpus.root.name).split():
            key = registry.resolve(f"org:{word}")
            # A word of the folder's name that the corpus often names as an organisation.
            if not word.isdigit() and key in registry.names and sum(registry.seen.get(key, {}).values()) >= enough:
                names.add(word)
        view.publishers = frozenset(filter(None, names))
    words = name.split()
    return any(" ".join(words[:n]) in view.publishers for n in range(1, min(len(words), 4) + 1))


def stats(view: IndexView) -> dict:
    """The corpus in numbers. Files are counted by what became of them: indexed (holding at
    least one indexed article), only copies of articles indexed from other files, or
    skipped by the last indexing run."""
    corpus, reader = view.corpus, view.reader
    files: set = set()
    if reader.doc_count():
        column = reader.column_reader("file")
        files = {column_value(column, d) for d in reader.all_doc_ids()}
    # Sources and years only: entity counts would scan every article for nothing.
    every = Plan(None, None, wq.Every(), "date")
    found = facets(view, every, top=None, entities=False) if reader.doc_count() else {}
    years = sorted(y for y, _ in found.get("year", []))
    dated = view.dated_count()
    articles = view.searcher.doc_count()
    copies, copy_files = _copies(view, files)
    last_run = corpus.last_run()
    skipped = len(last_run["skipped"]) if last_run and isinstance(last_run.get("skipped"), list) else None
    size = sum(p.stat().st_size for p in corpus.index_path.glob("*") if p.is_file())
    return {
        "corpus": str(corpus.root),
        "index": str(corpus.index_path),
        "articles": articles,
        "undated": articles - dated,
        "duplicates": copies,
        "files": {
            "read": len(files) + copy_files + skipped if skipped is not None else None,
            "indexed": len(files),
            "only_copies": copy_files,
            "skipped": skipped,
        },
        "sources": [{"value": v, "count": c} for v, c in found.get("source", [])[:10]],
        "years": {"first": years[0] if years else None, "last": years[-1] if years else None},
        "index_bytes": size,
    }


def _copies(view: IndexView, indexed_files: set) -> tuple[int, int]:
    """(copies recorded, files holding nothing but copies)."""
    if not (view.corpus.index_path / STORE_NAME).exists():
        return 0, 0
    try:
        store = DuplicateStore(view.corpus.index_path)
        try:
            return store.count(), len(set(store.signatures()) - indexed_files)
        finally:
            store.close()
    except sqlite3.Error:
        return 0, 0
