"""What a search gives back: hits with snippets, result lists read row by row, entity counts.

Plain dataclasses (and one lazy list), so the CLI, the reader and scripts read the same
things; `to_json` is the shape `--json` prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


SORTS = ("relevance", "date")  # how a list of results can be ordered


def to_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: list[tuple[int, int]]  # character offsets into text of the matched words

    def to_json(self) -> dict:
        return {"text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: dt.date | None
    authors: tuple[str, ...]
    source: str | None
    path: str
    score: float
    snippet: Snippet | None
    url: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "authors": list(self.authors),
            "source": self.source,
            "path": self.path,
            "score": round(float(self.score), 4),
            "snippet": (self.snippet or Snippet("", [])).to_json(),
        }


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    sort: str = "relevance"
    suggestion: str | None = None  # "did you mean", when nothing matched
    notes: list[str] = field(default_factory=list)  # e.g. a wildcard that was cut short
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.notes:
            out["notes"] = self.notes
        if self.facets:
            out["facets"] = {k: [{"value": v, "count": c} for v, c in vals] for k, vals in self.facets.items()}
        return out


@dataclass(frozen=True)
class EntityCount:
    key: str
    name: str
    kind: str
    articles: int
    mentions: int
    variants: list[str]
    publisher: bool = False  # the corpus's own publisher (BBC in a folder of BBC stories)

    def to_json(self) -> dict:
        return {"key": self.key, "name": self.name, "kind": self.kind, "articles": self.articles,
                "mentions": self.mentions, "variants": self.variants, "publisher": self.publisher}


@dataclass(frozen=True)
class Row:
    """What the article list shows for one article."""

    id: str
    title: str
    date: dt.date | None
    source: str | None
    mentions: int | None = None  # of the entity asked for (`person:blair`), when there is one


class ResultList:
    """Every article matching a query, in order, for a virtual list: rows are read only when
    shown. It keeps the searcher that produced its document numbers, so a refresh of the
    engine never makes it show the wrong rows."""

    def __init__(self, query: str | None, sort: str, searcher, docnums: list[int], lock,
                 suggestion: str | None = None, notes: list[str] | None = None, undated: bool = False,
                 entity: Callable[[str], bool] | None = None):
        self.query = query
        # Whether an entity key is one the query asked for: each row then says how often its
        # article names it (what an entity query ranks by).
        self._entity = entity
        self.sort = sort
        # No article in the folder has a date: the date order is the order of the file paths.
        self.undated = undated
        self.suggestion = suggestion
        self.notes = notes or []
        self._searcher = searcher
        self._docnums = docnums
        self._lock = lock
        self._rows: dict[int, Row] = {}

    def __len__(self) -> int:
        return len(self._docnums)

    @property
    def total(self) -> int:
        return len(self._docnums)

    def row(self, index: int) -> Row:
        docnum = self._docnums[index]
        row = self._rows.get(docnum)
        if row is None:
            with self._lock:
                stored = self._searcher.stored_fields(docnum)
            mentions = None
            if self._entity is not None:
                mentions = sum(1 for span in stored.get("entities") or () if self._entity(span[3]))
            row = Row(stored["id"], stored.get("title", ""), to_date(stored.get("date")), stored.get("source"), mentions)
            if len(self._rows) > 4096:
                self._rows.clear()
            self._rows[docnum] = row
        return row

    def index_of(self, article_id: str) -> int | None:
        """Where an article is in the list: one id lookup, then a scan of integers (no rows read)."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
        if docnum is None:
            return None
        try:
            return self._docnums.index(docnum)
        except ValueError:
            return None
