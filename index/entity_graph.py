"""Entities across the corpus: for one entity, its articles and mentions, its spellings, when
it was first and last seen, the sources that name it, a timeline, and the entities named with
it more often than chance would have them.

Read from the `entity_keys` column (each article's keys with their mention counts), segment
by segment, and kept in the index folder as numpy arrays per segment: segments never change,
and reading the column through Whoosh costs seconds at 345k articles. Keys are made canonical
through the registry when the graph is loaded, so merges made since indexing (by spelling,
by the corpus's evidence, or by hand) count without rewriting anything.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field

import numpy as np

from .aliases import fold
from .corpus import CorpusError
from .entity_registry import JOINED_BY
from .kinds import KINDS
from .lexicon import forget_old_segments, segment_name
from .schema import column_value
from .timeline import Timeline, timeline_of

CACHE_SUFFIX = ".entities.npz"
# Co-mentions: an entity is listed with another only when they share at least this many
# articles (and this share of the entity's own): below it PMI ranks flukes first.
MIN_TOGETHER = 3
MIN_TOGETHER_SHARE = 0.005
# PMI gives every name seen only beside the entity the same top score (3 articles of 3 ties
# with 18 of 18); ranked as if each other entity had this many more articles, the ones named
# with it often and mostly with it come first (BBC, Chelsea: Mourinho 18/18, Carling Cup
# 12/13, Stamford Bridge 9/9 ahead of 3-of-3 names; Blair: Peston, Milburn, Howard).
SMOOTHING_ARTICLES = 5


class EntityNotFound(CorpusError):
    """No entity goes by that name; `suggestions` are the nearest names there are."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no entity named '{name}' in this corpus{hint}")


@dataclass(frozen=True)
class CoMention:
    key: str
    name: str
    kind: str
    together: int  # articles naming both
    articles: int  # articles naming this one
    pmi: float  # log2 of how much more often they are named together than chance (smoothed: SMOOTHING_ARTICLES)

    def to_json(self) -> dict:
        return {"key": self.key, "name": self.name, "kind": self.kind, "together": self.together,
                "articles": self.articles, "pmi": round(self.pmi, 3)}


@dataclass
class EntityPage:
    key: str
    name: str
    kind: str
    articles: int
    mentions: int
    variants: list[tuple[str, int | None]]  # (spelling, times given or None), most often first
    first_seen: str | None  # YYYY-MM-DD
    last_seen: str | None
    sources: list[tuple[str, int]]  # (source, articles)
    timeline: Timeline
    co_mentions: list[CoMention]
    undated: int = 0  # articles without a date (not on the timeline)
    others: list[tuple[str, str, int]] = field(default_factory=list)  # (key, name, articles) of the same name
    # The keys joined to it that a split can take out again, with how: spelling, corpus or you
    joined: list[tuple[str, str]] = field(default_factory=list)

    def joined_text(self, most: int = 12) -> str:
        """The keys joined to it, each with how: `person:regan (by spelling)`."""
        text = ", ".join(f"{key} (by {JOINED_BY.get(how, how)})" for key, how in self.joined[:most])
        return text + (f", {len(self.joined) - most:,} more" if len(self.joined) > most else "")

    def to_json(self) -> dict:
        return {
            "key": self.key, "name": self.name, "kind": self.kind,
            "articles": self.articles, "mentions": self.mentions,
            "variants": [{"name": n, "count": c} for n, c in self.variants],
            "first_seen": self.first_seen, "last_seen": self.last_seen, "undated": self.undated,
            "sources": [{"source": s, "articles": c} for s, c in self.sources],
            "timeline": self.timeline.to_json(),
            "co_mentions": [c.to_json() for c in self.co_mentions],
            "others": [{"key": k, "name": n, "articles": c} for k, n, c in self.others],
            "joined": [{"key": k, "how": how} for k, how in self.joined],
        }


class _Segment:
    """One segment's entity entries, as kept on disk: entry -> (local document, key, count),
    the segment's keys as written at indexing, and each document's source."""

    __slots__ = ("docs", "keys", "counts", "names", "sources", "source_names")

    def __init__(self, docs, keys, counts, names, sources, source_names):
        self.docs, self.keys, self.counts, self.names = docs, keys, counts, names
        self.sources, self.source_names = sources, source_names


def _read_segment(leaf) -> _Segment:
    count = leaf.doc_count_all()
    docs, keys, counts = [], [], []
    names: dict[str, int] = {}
    sources = np.full(count, -1, dtype=np.int32)
    source_names: dict[str, int] = {}
    if count and "entity_keys" in leaf.schema:
        column = leaf.column_reader("entity_keys")
        source_column = leaf.column_reader("source_facet")
        for docnum in range(count):
            source = column_value(source_column, docnum)
            if source:
                sources[docnum] = source_names.setdefault(source, len(source_names))
            value = column_value(column, docnum)
            if not value:
                continue
            for line in value.decode("utf-8").split("\n"):
                key, _, mentions = line.partition("\t")
                if key:
                    docs.append(docnum)
                    keys.append(names.setdefault(key, len(names)))
                    counts.append(int(mentions or 1))
    return _Segment(np.array(docs, dtype=np.int32), np.array(keys, dtype=np.int32),
                    np.array(counts, dtype=np.int32), list(names), sources, list(source_names))


def _joined(strings: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _split(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _segment(leaf, cache) -> _Segment:
    """A segment's entries, from the cache folder or read and kept there."""
    name = segment_name(leaf)
    path = cache / f"{name}{CACHE_SUFFIX}" if cache is not None and name is not None else None
    if path is not None:
        try:
            with np.load(path) as data:
                kept = _Segment(data["docs"], data["keys"], data["counts"], _split(data["names"]),
                                data["sources"], _split(data["source_names"]))
            if len(kept.sources) == leaf.doc_count_all():
                return kept
        except (OSError, ValueError, KeyError, UnicodeDecodeError):
            pass  # not kept yet or damaged: read again below
    read = _read_segment(leaf)
    if path is not None and not any("\n" in n for n in [*read.names, *read.source_names]):
        try:
            cache.mkdir(exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            with open(partial, "wb") as out:
                np.savez(out, docs=read.docs, keys=read.keys, counts=read.counts, names=_joined(read.names),
                         sources=read.sources, source_names=_joined(read.source_names))
            os.replace(partial, path)
        except OSError:
            pass  # a read-only home: read from the index each time
    return read


class EntityGraph:
    """Every article's canonical entities in arrays, for one state of the index (IndexView)."""

    def __init__(self, view):
        self.view = view
        registry = view.registry
        cache = view.corpus.index_path / "graph"
        canon_ids: dict[str, int] = {}
        self.keys: list[str] = []  # canonical id -> key
        source_ids: dict[str, int] = {}
        self.source_names: list[str] = []
        doc_parts, canon_parts, count_parts = [], [], []
        total = view.reader.doc_count_all()
        self.sources = np.full(total, -1, dtype=np.int32)
        leaves = view.leaves()
        raw_ids: dict[str, int] = {}  # a key as indexed -> its canonical id (segments share keys)

        def canonical_id(raw: str) -> int:
            key = registry.resolve(raw)
            found = canon_ids.get(key)
            if found is None:
                found = canon_ids[key] = len(self.keys)
                self.keys.append(key)
            raw_ids[raw] = found
            return found

        for leaf, offset in leaves:
            seg = _segment(leaf, cache)
            get = raw_ids.get
            to_canon = np.array([get(raw) if raw in raw_ids else canonical_id(raw) for raw in seg.names],
                                dtype=np.int32)
            to_source = np.array([source_ids.setdefault(s, len(source_ids)) for s in seg.source_names] + [-1],
                                 dtype=np.int32)
            count = len(seg.sources)
            self.sources[offset:offset + count] = to_source[seg.sources]  # -1 picks the last: none
            docs = seg.docs
            keep = slice(None)
            if leaf.has_deletions():
                live = np.ones(count, dtype=bool)
                live[np.fromiter(leaf.deleted_docs_set, dtype=np.int64)] = False
                keep = live[docs]
            doc_parts.append(docs[keep] + np.int32(offset))
            canon_parts.append(to_canon[seg.keys[keep]])
            count_parts.append(seg.counts[keep])
        self.source_names = list(source_ids)
        forget_old_segments(cache, [leaf for leaf, _ in leaves])
        doc = np.concatenate(doc_parts) if doc_parts else np.empty(0, dtype=np.int32)
        canon = np.concatenate(canon_parts) if canon_parts else np.empty(0, dtype=np.int32)
        counts = np.concatenate(count_parts) if count_parts else np.empty(0, dtype=np.int32)
        ignored = [canon_ids[k] for k in registry.ignored if k in canon_ids]
        if ignored:  # marked "not an entity": in no page, count or co-mention list
            keep = ~np.isin(canon, ignored)
            doc, canon, counts = doc[keep], canon[keep], counts[keep]
        # One entry per (article, canonical entity): two keys merged since indexing add up.
        order = np.lexsort((canon, doc))
        doc, canon, counts = doc[order], canon[order], counts[order]
        if len(doc):
            first = np.ones(len(doc), dtype=bool)
            first[1:] = (doc[1:] != doc[:-1]) | (canon[1:] != canon[:-1])
            starts = np.flatnonzero(first)
            counts = np.add.reduceat(counts, starts)
            doc, canon = doc[starts], canon[starts]
        self.entry_doc, self.entry_canon, self.entry_count = doc, canon, counts
        self.doc_start = np.searchsorted(doc, np.arange(total + 1))  # each article's entries
        self.articles_of = np.bincount(canon, minlength=len(self.keys))
        self.mentions_of = np.bincount(canon, weights=counts, minlength=len(self.keys)).astype(np.int64)
        self.by_canon = np.argsort(canon, kind="stable").astype(np.int32)  # entries of one entity, in article order
        self.canon_start = np.searchsorted(canon[self.by_canon], np.arange(len(self.keys) + 1))
        self.canon_ids = canon_ids
        self.articles_with_entities = int(np.count_nonzero(np.diff(self.doc_start)))
        self._folded_names: dict[int, str] | None = None  # for candidates(), made when first asked

    # -- finding an entity ---------------------------------------------------------------------

    def find(self, name: str, kind: str | None = None) -> tuple[str, list[str]]:
        """The canonical key an entity goes by (`Tony Blair`, `blair`, `person:tony blair`), and
        the other keys of that name (a person and a place called Jordan), most articles first.
        Raises EntityNotFound with the nearest names."""
        registry = self.view.registry
        text = name.strip()
        head, sep, rest = text.partition(":")
        if sep and head.strip().lower() in KINDS and kind is None:
            kind, text = head.strip().lower(), rest.strip()
        folded = fold(text.strip('"'))
        kinds = [kind] if kind else list(KINDS)
        found = {registry.resolve(k) for each in kinds for k in registry.keys_for(each, folded)}
        found |= {k for k in (registry.resolve(f"{each}:{folded}") for each in kinds) if k in self.canon_ids}
        found = [k for k in found if k in self.canon_ids and self.articles_of[self.canon_ids[k]]
                 and k.partition(":")[0] in kinds]  # "person:london" may resolve to the place
        if not found:
            raise EntityNotFound(name, self.nearest(folded, kinds))
        found.sort(key=lambda k: (-self.articles_of[self.canon_ids[k]], k))
        exact = f"{kind}:{folded}" if sep and kind else None
        if exact in found:  # asked for by its key (`person:regan`): that entity, not a bigger one spelt so
            found.remove(exact)
            found.insert(0, exact)
        return found[0], found[1:]

    def nearest(self, folded: str, kinds, limit: int = 3) -> list[str]:
        """The names nearest a name not found (as the merge picker finds them)."""
        found = [name for key, name, _ in self.candidates(folded, limit * 4) if key.partition(":")[0] in kinds]
        return list(dict.fromkeys(found))[:limit]

    def candidates(self, typed: str, limit: int = 12, exclude: str | None = None) -> list[tuple[str, str, int]]:
        """(key, name, articles) of the entities whose names hold what is typed, closest first
        and then the most named (the most named of all when nothing is typed): for picking
        one to merge into."""
        registry = self.view.registry
        if self._folded_names is None:  # once per graph: 26,000 names at 21k articles
            self._folded_names = {i: fold(registry.name(key)) for i, key in enumerate(self.keys) if self.articles_of[i]}
        wanted = fold(typed)
        if not wanted:
            chosen = sorted(self._folded_names, key=lambda i: -self.articles_of[i])[:limit + 1]
        else:
            from rapidfuzz import fuzz

            # Each typed word against the start of the name's words, typos allowed: "reagn"
            # finds Ronald Reagan, "fed reserve" the Federal Reserve (rapidfuzz's whole-string
            # scorers put "AG" and "Korean" first).
            typed_words = wanted.split()
            scored = []
            for i, name in self._folded_names.items():
                words = name.split()
                score = sum(max(fuzz.ratio(t, w[:len(t) + 1]) for w in words) for t in typed_words) / len(typed_words)
                if score >= 60:
                    scored.append((-round(score), -int(self.articles_of[i]), i))
            chosen = [i for _, _, i in sorted(scored)[:limit + 1]]
        out = [(self.keys[i], registry.name(self.keys[i]), int(self.articles_of[i])) for i in chosen]
        return [c for c in out if c[0] != exclude][:limit]

    # -- what the corpus says about it -------------------------------------------------------------

    def docs_of(self, key: str) -> np.ndarray:
        """The document numbers of the live articles naming the entity, ascending."""
        i = self.canon_ids.get(key)
        if i is None:
            return np.empty(0, dtype=np.int32)
        return self.entry_doc[self.by_canon[self.canon_start[i]:self.canon_start[i + 1]]]

    def page(self, key: str, top: int = 20, others: list[str] = ()) -> EntityPage:
        registry = self.view.registry
        i = self.canon_ids[key]
        entries = self.by_canon[self.canon_start[i]:self.canon_start[i + 1]]
        docs = self.entry_doc[entries]
        days = self.view.days()[docs]
        dated = days[days > 0]
        by_source = np.bincount(self.sources[docs] + 1, minlength=len(self.source_names) + 1)[1:]
        sources = sorted(((self.source_names[s], int(c)) for s, c in enumerate(by_source) if c),
                         key=lambda sc: (-sc[1], sc[0]))
        kind = key.partition(":")[0]
        return EntityPage(
            key=key, name=registry.name(key), kind=kind,
            articles=len(docs), mentions=int(self.entry_count[entries].sum()),
            variants=self.variants(key),
            first_seen=_day(int(dated.min())) if len(dated) else None,
            last_seen=_day(int(dated.max())) if len(dated) else None,
            sources=sources[:top], timeline=timeline_of(dated), co_mentions=self.co_mentions(key, docs, top),
            undated=int(len(days) - len(dated)),
            others=[(k, registry.name(k), int(self.articles_of[self.canon_ids[k]])) for k in others],
            joined=registry.taken_in(key),
        )

    def variants(self, key: str) -> list[tuple[str, int | None]]:
        """Each spelling the articles wrote for the entity, with how many times, over the keys
        taken into it; most often first, then the names added by hand (None: no count). A
        registry saved before spellings were counted gives the names the recogniser made of
        them instead. The alias table's spellings the corpus never used are left out."""
        registry = self.view.registry
        joined = [key, *registry.merged_into(key)]
        counted = registry.spelled if any(registry.spelled.get(each) for each in joined) else registry.seen
        counts: dict[str, int] = {}
        surfaces: set[str] = set()
        for each in joined:
            for name, count in counted.get(each, {}).items():
                counts[name] = counts.get(name, 0) + count
            surfaces |= registry.variants.get(each, set()) | registry.added_names.get(each, set())
        out: list[tuple[str, int | None]] = sorted(counts.items(), key=lambda nc: (-nc[1], nc[0]))
        out.extend((surface, None) for surface in sorted(surfaces - set(counts)))
        return out

    def co_mentions(self, key: str, docs: np.ndarray, top: int = 20) -> list[CoMention]:
        """The entities named in the same articles more often than chance would have them,
        by pointwise mutual information, among those sharing enough articles to tell."""
        i = self.canon_ids[key]
        if not len(docs):
            return []
        starts, ends = self.doc_start[docs], self.doc_start[docs + 1]
        lengths = ends - starts
        at = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(lengths.sum())
        together = np.bincount(self.entry_canon[at], minlength=len(self.keys))
        together[i] = 0
        least = max(MIN_TOGETHER, math.ceil(MIN_TOGETHER_SHARE * len(docs)))
        candidates = np.flatnonzero(together >= least)
        if not len(candidates):
            return []
        n = max(self.articles_with_entities, 1)
        chance = len(docs) * self.articles_of[candidates] / n  # articles together if unrelated
        above = together[candidates] > chance  # no more often than chance: not a relation
        candidates = candidates[above]
        pmi = np.log2(together[candidates] * n / (len(docs) * (self.articles_of[candidates] + SMOOTHING_ARTICLES)))
        order = np.lexsort((-together[candidates], -pmi))[:top]
        registry = self.view.registry
        out = []
        for j in order:
            c = int(candidates[j])
            other = self.keys[c]
            out.append(CoMention(other, registry.name(other), other.partition(":")[0], int(together[c]),
                                 int(self.articles_of[c]), float(pmi[j])))
        return out


def _day(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


_graphs_lock = threading.Lock()


def graph_of(view) -> EntityGraph:
    """The view's entity graph, made on first use (one at a time: it is big)."""
    with _graphs_lock:
        if view.entity_graph is None:
            view.entity_graph = EntityGraph(view)
        return view.entity_graph
