"""What a search gives back: hits with snippets, result lists read row by row, entity counts.

Plain dataclasses (and one lazy list), so the CLI, the reader and scripts read the same
things; `to_json` is the shape `--json` prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .storydiff import Comparison


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
    story: str | None = None  # the id of its story's main version, when it is one of several
    versions: tuple[str, ...] = ()  # the ids of the story's other versions

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
            "story": self.story,
            "versions": list(self.versions),
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
    stories: int | None = None  # how many stories the matches tell, when the hits are one per story

    def to_json(self) -> dict:
        out = {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}
        if self.stories is not None:
            out["stories"] = self.stories
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.notes:
            out["notes"] = self.notes
        if self.facets:
            told = getattr(self.facets, "stories", {})

            def entry(name: str, value: str, count: int) -> dict:
                stories = told.get(name, {}).get(value)
                return {"value": value, "count": count, **({"stories": stories} if stories is not None else {})}

            out["facets"] = {k: [entry(k, v, c) for v, c in vals] for k, vals in self.facets.items()}
        return out


@dataclass(frozen=True)
class StoryVersion:
    """One version of a story, and what it changed from the main version."""

    id: str
    title: str
    date: dt.date | None
    source: str | None
    authors: tuple[str, ...]
    path: str
    main: bool
    comparison: "Comparison | None"  # against the main version; None for the main version

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "date": self.date.isoformat() if self.date else None,
                "source": self.source, "authors": list(self.authors), "path": self.path, "main": self.main,
                "changes": self.comparison.to_json() if self.comparison else None}


@dataclass(frozen=True)
class Story:
    """Articles telling the same story (index/stories.py), its main version first."""

    id: str  # the main version's article id
    versions: list[StoryVersion]

    def to_json(self) -> dict:
        return {"story": self.id, "versions": [v.to_json() for v in self.versions]}


@dataclass(frozen=True)
class EntityCount:
    key: str
    name: str
    kind: str
    articles: int
    mentions: int
    variants: list[str]
    publisher: bool = False  # the corpus's own publisher (BBC in a folder of BBC stories)
    stories: int | None = None  # how many stories its articles tell, when counted

    def to_json(self) -> dict:
        out = {"key": self.key, "name": self.name, "kind": self.kind, "articles": self.articles,
               "mentions": self.mentions, "variants": self.variants, "publisher": self.publisher}
        if self.stories is not None:
            out["stories"] = self.stories
        return out


@dataclass(frozen=True)
class Row:
    """What the article list shows for one article."""

    id: str
    title: str
    date: dt.date | None
    source: str | None
    mentions: int | None = None  # of the entity asked for (`person:blair`), when there is one
    versions: int = 1  # of its story, when the row stands for one (index/stories.py)
    version_of: bool = False  # a version listed under its expanded story
    expanded: bool = False  # a story row whose versions are listed under it
    path: str | None = None  # the file, on a version's row (versions often share a headline)


class ResultList:
    """Every article matching a query, in order, for a virtual list: rows are read only when
    shown. It keeps the searcher that produced its document numbers, so a refresh of the
    engine never makes it show the wrong rows."""

    def __init__(self, query: str | None, sort: str, searcher, docnums: list[int], lock,
                 suggestion: str | None = None, notes: list[str] | None = None, undated: bool = False,
                 entity: Callable[[str], bool] | None = None, stories=None):
        """`stories` (index/stories.py StoryIndex): one row per story, at the place of its
        first match (in date order: of its earliest), opening its main version."""
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
        self._matches = docnums  # every match, one per article
        self._stories = stories
        self._docnums = docnums if stories is None else stories.collapse(docnums, by_date=sort == "date")
        self._version_rows = None  # with a story expanded: which rows are its versions (numpy bools)
        self._matching = None  # with stories: which document numbers match (numpy bools), when needed
        self._lock = lock
        self._rows: dict[tuple[int, bool], Row] = {}
        self._mains: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._docnums)

    @property
    def total(self) -> int:
        """Articles matching (a story of three versions counts three)."""
        return len(self._matches)

    @property
    def collapsed(self) -> bool:
        return self._stories is not None

    @property
    def story_total(self) -> int:
        """Stories matching: an article alone is a story of one."""
        if self._stories is None:
            return len(self._matches)
        rows = len(self._docnums)
        return rows - int(self._version_rows.sum()) if self._version_rows is not None else rows

    def _is_version_row(self, index: int) -> bool:
        return self._version_rows is not None and bool(self._version_rows[index])

    def row(self, index: int) -> Row:
        docnum = int(self._docnums[index])
        version_row = self._is_version_row(index)
        versions = self._stories.size(docnum) if self._stories is not None else 1
        shown = docnum if version_row or versions < 2 else self.main_version(docnum)
        key = (docnum, version_row)
        row = self._rows.get(key)
        if row is None:
            with self._lock:
                stored = self._searcher.stored_fields(shown)
            mentions = None
            if self._entity is not None:
                mentions = sum(1 for span in stored.get("entities") or () if self._entity(span[3]))
            row = Row(stored["id"], stored.get("title", ""), to_date(stored.get("date")), stored.get("source"), mentions,
                      versions=1 if version_row else versions, version_of=version_row,
                      path=stored.get("file") if version_row else None)
            if len(self._rows) > 4096:
                self._rows.clear()
            self._rows[key] = row
        if not version_row and versions > 1:
            expanded = index + 1 < len(self._docnums) and self._is_version_row(index + 1)
            if expanded != row.expanded:
                row = dataclasses.replace(row, expanded=expanded)
        return row

    def index_of(self, article_id: str) -> int | None:
        """Where an article is in the list: one id lookup, then a scan of integers (no rows read).
        Collapsed, a version found only inside its story is at its story's row."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
        if docnum is None:
            return None
        if self._stories is None:
            try:
                return self._docnums.index(docnum)
            except ValueError:
                return None
        import numpy as np

        for candidate in [docnum, *self._stories.versions(docnum)]:
            places = np.nonzero(self._docnums == candidate)[0]
            if len(places):
                return int(places[0])
        return None

    # -- stories ----------------------------------------------------------------------------

    def _matched(self):
        """Which document numbers match (numpy bools), or None when every live one does."""
        if self._matching is None:
            import numpy as np

            if len(self._matches) == self._searcher.doc_count():  # every article: nothing to mark
                self._matching = False
                return None
            matching = np.zeros(len(self._stories.dense), dtype=bool)
            matching[np.asarray(self._matches, dtype=np.int64)] = True
            self._matching = matching
        return self._matching if self._matching is not False else None

    def versions(self, docnum: int) -> list[int]:
        """The document numbers of a story's versions, its main version first (the earliest,
        the fullest of the earliest)."""
        from .stories import ordered_versions

        members = self._stories.versions(docnum) if self._stories is not None else [docnum]
        with self._lock:
            return ordered_versions(self._searcher, members, self._stories.days if self._stories is not None else None)

    def main_version(self, docnum: int) -> int:
        """What a story row opens: its main version among the versions the query matched."""
        main = self._mains.get(docnum)
        if main is None:
            matching = self._matched()
            ordered = self.versions(docnum)
            main = next((d for d in ordered if matching is None or matching[d]), docnum)
            self._mains[docnum] = main
        return main

    def is_story(self, index: int) -> bool:
        """Whether the row at `index` stands for a story of several versions."""
        return (self._stories is not None and not self._is_version_row(index)
                and self._stories.size(int(self._docnums[index])) > 1)

    def toggle(self, index: int) -> bool:
        """Expand the story at `index` into its versions, listed under it, or fold them back.
        False when the row is not a story."""
        import numpy as np

        if not self.is_story(index):
            return False
        rows = np.asarray(self._docnums, dtype=np.int64)
        marks = self._version_rows if self._version_rows is not None else np.zeros(len(rows), dtype=bool)
        if index + 1 < len(rows) and marks[index + 1]:  # expanded: fold
            end = index + 1
            while end < len(rows) and marks[end]:
                end += 1
            rows = np.delete(rows, np.s_[index + 1:end])
            marks = np.delete(marks, np.s_[index + 1:end])
        else:
            versions = self.versions(int(rows[index]))
            rows = np.insert(rows, index + 1, versions)
            marks = np.insert(marks, index + 1, np.ones(len(versions), dtype=bool))
        self._docnums = rows
        self._version_rows = marks if marks.any() else None
        return True

    def story_of_row(self, index: int) -> int:
        """The row of the story a row belongs to (itself, for a story or an article alone)."""
        while index > 0 and self._is_version_row(index):
            index -= 1
        return index
