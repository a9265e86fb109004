"""`is:unread`, `is:starred`, `tag:followup`, `has:note`: the user's library in queries.

The state lives in the library (SQLite), not in the index, so starring an article never
rewrites the index and a rebuilt index loses nothing. The parser reads these words as terms
of fields the index does not have; `with_state` swaps each for a query over the set of
article ids the library holds, which Whoosh combines with any other query.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from .library import STATE_WORDS, Library, LibraryError
from .query import QueryError

STATE_FIELDS = tuple(STATE_WORDS)


class DocnumCache:
    """Article id -> document number in each segment, remembered while the segments last.

    A lookup costs ~30 µs; someone who has read 10,000 articles would pay 0.3 s for every
    `is:unread` query (and every keystroke after it) without this. Cleared by the engine
    when it opens new segments; ids the library gains later are looked up as they come."""

    def __init__(self) -> None:
        self._segments: dict[int, tuple[object, dict[str, int]]] = {}

    def clear(self) -> None:
        self._segments.clear()

    def docnums(self, reader, ids: frozenset[str]) -> list[int]:
        entry = self._segments.get(id(reader))
        if entry is None or entry[0] is not reader:
            entry = self._segments[id(reader)] = (reader, {})  # the reader is kept: its id stays unique
        known = entry[1]
        found = []
        for article_id in ids:
            docnum = known.get(article_id)
            if docnum is None:
                docnum = known[article_id] = _lookup(reader, article_id)
            if docnum >= 0:
                found.append(docnum)
        found.sort()
        return found


def _lookup(reader, article_id: str) -> int:
    btext = article_id.encode("ascii", "replace")
    if ("id", btext) not in reader:
        return -1
    # Postings leave out deleted documents (an article re-indexed since).
    live = reader.postings("id", btext).all_ids()
    return next(iter(live), -1)


class ArticleSet(wq.Query):
    """Matches the articles whose ids are in a set. Every match scores the same: being
    starred filters the results, it does not rank them."""

    def __init__(self, label: str, ids: frozenset[str], docnums: "DocnumCache | None" = None, boost: float = 1.0):
        self.label = label  # what the user typed, e.g. "is:starred"
        self.ids = ids
        self.boost = boost
        self._cache = docnums or DocnumCache()

    def __repr__(self) -> str:
        return f"ArticleSet({self.label!r}, {len(self.ids)} articles)"

    def __unicode__(self) -> str:
        return self.label

    __str__ = __unicode__

    def __eq__(self, other) -> bool:
        return isinstance(other, ArticleSet) and self.label == other.label and self.ids == other.ids

    def __hash__(self) -> int:
        return hash((ArticleSet, self.label, len(self.ids)))

    def is_leaf(self) -> bool:
        return True

    def field(self):
        return None

    def estimate_size(self, ixreader) -> int:
        return len(self.ids)

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def matcher(self, searcher, context=None):
        docnums = self._cache.docnums(searcher.reader(), self.ids)
        if not docnums:
            return NullMatcher()
        return ListMatcher(docnums, all_weights=self.boost)


def _state_set(library: Library, field: str, value: str, cache: DocnumCache | None) -> wq.Query:
    label = f"{field}:{value}"
    if field == "is":
        if value == "read":
            return ArticleSet(label, library.ids_read(), cache)
        if value == "unread":
            return wq.Not(ArticleSet("is:read", library.ids_read(), cache))
        if value == "starred":
            return ArticleSet(label, library.ids_starred(), cache)
        if value == "unstarred":
            return wq.Not(ArticleSet("is:starred", library.ids_starred(), cache))
        raise QueryError(f"'is:{value}' is not a state: use is:{', is:'.join(STATE_WORDS['is'])}")
    if field == "has":
        if value == "note":
            return ArticleSet(label, library.ids_with_note(), cache)
        if value in ("tag", "tags"):
            return ArticleSet(label, library.ids_tagged(), cache)
        raise QueryError(f"'has:{value}' is not something an article can have: use has:note or has:tag")
    return ArticleSet(label, library.ids_tagged(value), cache)


def with_state(q: wq.Query, library: Callable[[], Library], cache: DocnumCache | None = None) -> wq.Query:
    """Replace the state terms of a parsed query by the article sets the library holds.
    `library` is called only when the query has such terms."""

    def swap(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Term, wq.Phrase)) and node.field() in STATE_FIELDS:
            value = node.text if isinstance(node, wq.Term) else " ".join(node.words)
            if isinstance(node, wq.Phrase) or not value:
                raise QueryError(f"'{node.field()}:' takes one word, e.g. tag:followup")
            try:
                return _state_set(library(), node.field(), value.lower(), cache)
            except LibraryError as exc:
                raise QueryError(str(exc)) from None
        if node.is_leaf() and node.field() in STATE_FIELDS:  # a pattern, a range, a fuzzy term
            raise QueryError(f"'{node.field()}:' takes a whole word, without wildcards, ranges or ~")
        if node.is_leaf():
            return node
        return node.apply(swap)

    return swap(q)
