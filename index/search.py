"""Searching an index: plain results with character spans, facets and corrections.

One long-lived Whoosh searcher per Engine; `refresh()` picks up new commits cheaply.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import sqlite3
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import collectors, highlight, sorting
from whoosh import query as wq

from .aliases import fold, load_aliases, make_key
from .kinds import KIND_OF_LABEL, KINDS, LABEL_OF_KIND
from .article import Article
from .corpus import Corpus, CorpusError, IndexGone
from .duplicates import STORE_NAME, Appearance, DuplicateStore
from .entities import EntitySpan
from .entity_registry import REGISTRY_NAME, EntityRegistry
from .lexicon import PATTERN_FIELDS, Lexicons, corrected_query
from .errors import internal_error
from .library import Library, LibraryError
from .query import QueryError, expand_bounded, make_parser, parse
from .schema import column_value, ranking
from .state_query import ArticleSet, DocnumCache, with_state

if TYPE_CHECKING:
    from .fastrank import Ranker, Scored

SORTS = ("relevance", "date")
SNIPPET_CHARS = 220
# Queries Whoosh must score itself (phrases, ranges) with more matches are listed newest first.
RANK_LIMIT = 50_000


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
            row = Row(stored["id"], stored.get("title", ""), _to_date(stored.get("date")), stored.get("source"), mentions)
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


class _SpanFormatter(highlight.Formatter):
    """Whoosh formatter that returns (text, spans) for the best fragment instead of markup."""

    def format(self, fragments, replace=False):
        if not fragments:
            return None
        frag = fragments[0]
        start, end = frag.startchar, frag.endchar
        text = frag.text[start:end].replace("\n", " ")
        spans = [(t.startchar - start, t.endchar - start) for t in frag.matches]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(frag.text) else ""
        shift = len(prefix)
        return Snippet(prefix + text + suffix, [(a + shift, b + shift) for a, b in spans])


def _positive_terms(q: wq.Query):
    """(field, word) of the terms a query looks for, leaving out those it excludes (NOT)."""
    if isinstance(q, (wq.Not, wq.AndNot)):
        yield from () if isinstance(q, wq.Not) else _positive_terms(q.a)
        return
    if q.is_leaf():
        if isinstance(q, wq.Term):
            yield q.field(), q.text
        elif isinstance(q, wq.Phrase):
            for word in q.words:
                yield q.field(), word
        return
    for child in q.children():
        yield from _positive_terms(child)


def _lead_snippet(body: str) -> Snippet:
    text = body[:SNIPPET_CHARS].replace("\n", " ")
    if len(body) > SNIPPET_CHARS:
        text = text.rsplit(" ", 1)[0] + "…"
    return Snippet(text, [])


def _to_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _numeric_column(leaf, field: str) -> Sequence[int]:
    """Every document's value of a numeric column in one segment, read as one block when
    Whoosh's column is the fixed-width kind (otherwise value by value)."""
    count = leaf.doc_count_all()
    if count == 0:  # an index with no commit yet has no columns at all (EmptyReader)
        return []
    column = leaf.column_reader(field, translate=False)
    try:
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        values = array(column._typecode)
        values.frombytes(raw)
        if sys.byteorder == "little":  # stored big-endian
            values.byteswap()
        values.extend([column._default] * (count - len(values)))  # trailing defaults are not stored
        return values
    except AttributeError:
        return [column_value(column, d) or 0 for d in range(count)]


NO_DATES = "no article in this folder has a date, so a date in the query matches nothing"
_DATE_FIELDS = {"date", "sortdate", "year", "month"}


def _mentions_dates(q: wq.Query) -> bool:
    return any(leaf.field() in _DATE_FIELDS for leaf in q.leaves() if hasattr(leaf, "field"))


def _ranks_nothing(q: wq.Query) -> bool:
    """A query made only of library states (is:starred, tag:x) and exclusions (NOT oil):
    every article it finds scores the same, so they are listed newest first."""
    if all(isinstance(leaf, ArticleSet) for leaf in q.leaves()):
        return True
    if isinstance(q, wq.And):
        return all(_ranks_nothing(child) for child in q.subqueries)
    return isinstance(q, wq.Not)


def _has_not(q: wq.Query) -> bool:
    return isinstance(q, wq.Not) or any(_has_not(child) for child in q.children())


def _estimate(q: wq.Query, reader) -> int:
    """Whoosh's upper bound on the documents a query matches, from term statistics alone."""
    try:
        return q.estimate_size(reader)
    except Exception:
        return 0


def _too_many_to_rank(matches: int) -> str:
    # Scoring costs ~4 µs a match in Whoosh: past RANK_LIMIT a search would take over a
    # second at 345k articles, and a word found in most articles ranks them little anyway.
    return f"{matches:,} matches: newest first (relevance ranks up to {RANK_LIMIT:,})"


def _query_guard(method):
    """No exception escapes a query as a traceback. A query the user can fix raises
    QueryError; anything else is a bug (index/errors.py): its traceback goes to errors.log and
    InternalError says so, never "bad query"."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (QueryError, CorpusError, LibraryError):
            raise
        except RecursionError:
            raise QueryError("the query is nested too deeply") from None
        except Exception as exc:
            query = next((a for a in args if isinstance(a, str)), "")
            raise internal_error(self.corpus.home, exc, "while running the query",
                                 f"{method.__name__}({query!r}) on {self.corpus.root}") from None

    return guarded


class Engine:
    """Search and read one corpus. Thread-safe for one caller at a time per method."""

    def __init__(self, corpus: Corpus, library: Library | None = None):
        self.corpus = corpus
        self._library = library  # opened on first use: most queries never need it
        self._docnums = DocnumCache()  # library ids -> document numbers, per segment
        self.ix, self.note = corpus.open_index()
        self.parser = make_parser(self.ix.schema)
        self._searcher = self.ix.searcher(weighting=ranking())
        self._ranker_of = None  # the searcher _ranker_cache scores with
        self._ranker_cache: Ranker | None = None
        self._lexicons = Lexicons(self._searcher.reader(), self.corpus.word_cache)
        self._date_order_of = None  # the searcher _date_order_cache belongs to
        self._date_order_cache: list[int] = []
        self._date_order_array = None  # the same as a numpy array, made when first needed
        self._dated_count = 0  # how many of them have a date (they come first)
        self._lock = threading.RLock()
        self.registry = EntityRegistry(load_aliases(), corpus.index_path / REGISTRY_NAME)
        self._publishers: frozenset[str] | None = None  # folded names, read when first needed
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=80, autotrim=True),
            formatter=_SpanFormatter(),
        )

    # -- life cycle -------------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up commits made since the searcher was opened. True if anything changed."""
        with self._lock:
            try:
                if self._searcher.up_to_date():
                    return False
                # Not Searcher.refresh(): Whoosh's reader reuse adds the old reader's segments
                # that the new table of contents no longer has, so a file re-indexed by another
                # process could show twice (and it fails outright on an empty index). A new
                # searcher reads the latest table of contents only. The old one is left to
                # result lists that still show its rows.
                fresh = self.ix.searcher(weighting=ranking())
            except Exception:
                if not self.corpus.has_index():  # no table of contents left to read
                    raise IndexGone(f"the index of {self.corpus.root} was deleted") from None
                raise
            changed = True
            self._docnums.clear()
            self._searcher = fresh
            self._lexicons = Lexicons(fresh.reader(), self.corpus.word_cache)
            if changed:
                self.registry = EntityRegistry(load_aliases(), self.corpus.index_path / REGISTRY_NAME)
                self._publishers = None
            return changed

    def warm(self) -> None:
        """Load the word lists fuzzy terms, wildcards and did-you-mean read (0.5 s per field
        at 345k articles) and the ranker's numpy, so the first such query does not pay for
        them. For a background thread: it takes only the word lists' own lock."""
        from . import fastrank  # noqa: F401  (imports numpy: 70 ms kept out of start-up)

        lexicons = self._lexicons
        for field in PATTERN_FIELDS:
            lexicons.words(field)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self.ix.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def doc_count(self) -> int:
        return self._searcher.doc_count()

    # -- queries ----------------------------------------------------------------------
    @property
    def library(self) -> Library:
        """The user's library for this corpus (LibraryError if it cannot be opened)."""
        if self._library is None:
            self._library = Library(self.corpus.home, self.corpus.root)
        return self._library

    def parse(self, text: str) -> wq.Query:
        return with_state(self._with_entity_variants(parse(self.parser, text)), lambda: self.library, self._docnums)

    def _with_entity_variants(self, q: wq.Query) -> wq.Query:
        """`person:soliemani` also finds articles indexed before that spelling was seen: an
        entity term matches the canonical names of every entity it is a variant of."""

        def expand(node: wq.Query) -> wq.Query:
            if isinstance(node, (wq.Term, wq.Phrase)) and node.field() in KINDS:
                words = [node.text] if isinstance(node, wq.Term) else list(node.words)
                found = {self.registry.resolve(k) for k in self.registry.keys_for(node.field(), " ".join(words))}
                alternatives = [node]
                # Articles indexed under a key the registry later took into a canonical one
                # carry the old key's words, in the field of the old key's kind (a "person"
                # Glasgow the corpus decided is the place).
                keys = found.union(*(self.registry.merged_into(key) for key in found))
                for key in sorted(keys):
                    kind, _, name = key.partition(":")
                    canonical = name.split()
                    if canonical and (canonical, kind) != (words, node.field()):
                        alternatives.append(wq.Phrase(kind, canonical) if len(canonical) > 1
                                            else wq.Term(kind, canonical[0]))
                return wq.Or(alternatives) if len(alternatives) > 1 else node
            if node.is_leaf():
                return node
            return node.apply(expand)

        return expand(q)

    @_query_guard
    def search(
        self,
        text: str,
        limit: int | None = 20,
        sort: str = "relevance",
        facets: bool = False,
        snippets: bool = True,
    ) -> SearchResults:
        """Run a query. Raises QueryError for a query that cannot be run."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (use {' or '.join(SORTS)})")
        with self._lock:
            s = self._searcher
            parsed = self.parse(text)
            q, notes = expand_bounded(parsed, s.reader(), self._lexicons)
            # No terms=True: recording every document's matched words doubles the cost of
            # broad queries; snippets take the query's own (already expanded) words instead.
            every = isinstance(q, wq.Every)
            if _ranks_nothing(q):
                sort = "date"
            ranked, allow, deny = self._split_state(q, s)
            scored = self._scored(ranked, allow, deny, snippets) if sort == "relevance" and not every else None
            if scored is not None:
                total = len(scored)
                docnums, scores = scored.ranked(limit)
                found = [(d, s.stored_fields(d), score) for d, score in zip(docnums.tolist(), scores.tolist())]
            elif sort == "relevance" and not every and _estimate(ranked, s.reader()) <= RANK_LIMIT:
                if limit is None:
                    results = s.search(ranked, limit=None, filter=allow, mask=deny)
                else:
                    # Whoosh's block-quality skipping and matcher replacement find the top hits
                    # sooner but drop documents that cannot rank, so its len() ran the whole
                    # query a second time. Visiting every match once, scoring and counting, is
                    # cheaper (replace=0 too: replacement alone undercounted, 120 of 288 for
                    # "film" on BBC).
                    collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
                    if allow is not None or deny is not None:
                        collector = collectors.FilterCollector(collector, allow=allow, restrict=deny)
                    s.search_with_collector(ranked, collector)
                    results = collector.results()
                total = len(results)
                found = [(h.docnum, h.fields(), h.score or 0.0) for h in results]
            else:  # newest first: asked for, every article, or too many matches to rank
                order = self._date_order(s)
                if not every:
                    order = self._in_date_order(q, s)
                    if sort == "relevance":
                        notes.append(_too_many_to_rank(len(order)))
                        sort = "date"
                total = len(order)
                found = [(d, s.stored_fields(d), 0.0) for d in (order if limit is None else order[:limit])]
            chars = self._body_chars(q, [d for d, _, _ in found]) if snippets else {}
            if scored is not None:  # not self._ranker otherwise: it would import numpy for nothing
                self._ranker.forget_positions()
            hits = [self._hit(stored, score, snippets, chars.get(d)) for d, stored, score in found]
            if _mentions_dates(q) and self.dated_count() == 0 and s.doc_count() > 0:
                notes.append(NO_DATES)
            out = SearchResults(query=text, total=total, hits=hits, sort=sort, notes=notes)
            if total == 0:
                out.suggestion = self._suggest(parsed, text)
            if facets and total:
                out.facets = self._facets(q)
            return out

    @_query_guard
    def result_list(self, text: str | None, sort: str = "relevance") -> ResultList:
        """All articles matching `text` (every article when empty), ordered, rows read lazily."""
        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (use {' or '.join(SORTS)})")
        with self._lock:
            s = self._searcher
            notes: list[str] = []
            if text and text.strip():
                parsed = self.parse(text)
                q, notes = expand_bounded(parsed, s.reader(), self._lexicons)
            else:
                parsed, q, sort = None, wq.Every(), "date"
            if _ranks_nothing(q):
                sort = "date"
            ranked, allow, deny = self._split_state(q, s) if sort == "relevance" else (q, None, None)
            scored = self._scored(ranked, allow, deny) if sort == "relevance" else None
            if isinstance(q, wq.Every):
                sort = "date"  # every article scores the same: newest first
                docnums = self._date_order(s)  # shared, never modified
            elif scored is not None:
                docnums = scored.ranked()[0].tolist()
            elif sort == "relevance" and _estimate(ranked, s.reader()) <= RANK_LIMIT:
                docnums = [docnum for _, docnum in s.search(ranked, limit=None, filter=allow, mask=deny).top_n]
            else:
                docnums = self._in_date_order(q, s)
                if sort == "relevance":
                    notes.append(_too_many_to_rank(len(docnums)))
                    sort = "date"
            suggestion = self._suggest(parsed, text) if parsed is not None and not docnums else None
            undated = self.dated_count() == 0 and s.doc_count() > 0
            if undated and _mentions_dates(q):
                notes.append(NO_DATES)
            return ResultList(text, sort, s, docnums, self._lock, suggestion, notes, undated,
                              self._asked_entity(parsed) if parsed is not None else None)

    @_query_guard
    def count(self, text: str) -> int:
        """How many articles match `text` (for saved searches' counts)."""
        with self._lock:
            s = self._searcher
            q, _ = expand_bounded(self.parse(text), s.reader(), self._lexicons)
            if isinstance(q, wq.Every):
                return s.doc_count()
            scored = self._scored_with_states(q, s)
            return len(scored) if scored is not None else sum(1 for _ in s.docs_for_query(q))

    def articles(self, text: str | None, sort: str = "relevance") -> Iterator[Article]:
        """Every article matching `text` (every article when empty), in order: for export."""
        results = self.result_list(text, sort)
        for index in range(len(results)):
            yield self.article(results.row(index).id)

    @property
    def _ranker(self) -> "Ranker":
        """The numpy ranker of the current searcher. numpy is imported on first use (or by
        warm()), not at start-up: it would add 70 ms before the first screen."""
        if self._ranker_of is not self._searcher:
            from .fastrank import Ranker

            self._ranker_cache = Ranker(self._searcher)
            self._ranker_of = self._searcher
        return self._ranker_cache

    def _scored(self, q: wq.Query, allow: set[int] | None, deny: set[int] | None,
                keep_positions: bool = False) -> Scored | None:
        """Every match of q scored at once (index/fastrank.py), or None when only Whoosh can
        run q (open ranges, phrases with a slop, library states not split off)."""
        scored = self._ranker.score_all(q, keep_positions)
        if scored is not None and (allow is not None or deny):
            scored = scored.keep(allow, deny)
        return scored

    def _scored_with_states(self, q: wq.Query, s) -> Scored | None:
        """`_scored` of q with its library states split off as filters (`_split_state`)."""
        ranked, allow, deny = self._split_state(q, s)
        return self._scored(ranked, allow, deny)

    def _state_docnums(self, s, article_set: ArticleSet) -> set[int]:
        reader = s.reader()
        leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
        return {offset + d for leaf, offset in leaves for d in self._docnums.docnums(leaf, article_set.ids)}

    def _split_state(self, q: wq.Query, s) -> tuple[wq.Query, set[int] | None, set[int] | None]:
        """`oil is:unread` as the words to rank and the documents to keep or drop.

        Whoosh would intersect the words' matcher with an inverse matcher over every
        document, scoring as it goes (2-3x the words alone); a filter on the ranked words
        costs a set lookup per match. Returns (q, None, None) when there is nothing to split.
        """
        if not isinstance(q, wq.And):
            return q, None, None
        rest, allow, deny = [], None, set()
        for child in q.subqueries:
            if isinstance(child, ArticleSet):
                docnums = self._state_docnums(s, child)
                allow = docnums if allow is None else allow & docnums
            elif isinstance(child, wq.Not) and isinstance(child.query, ArticleSet):
                deny |= self._state_docnums(s, child.query)
            else:
                rest.append(child)
        if not rest:
            return q, None, None
        if allow is not None and not allow:
            # Nothing is in the state asked for (an empty allow set would read as "no filter").
            return wq.NullQuery, None, None
        return (rest[0] if len(rest) == 1 else wq.And(rest)), allow, deny or None

    def _in_date_order(self, q: wq.Query, s) -> list[int]:
        """The documents matching `q`, newest first. `is:starred` and `is:unread` alone are
        answered from the library's document numbers: walking Whoosh's matchers over the
        330,000 unread articles of a large index took 0.25 s."""
        order = self._date_order(s)
        negate = isinstance(q, wq.Not) and isinstance(q.query, ArticleSet)
        target = q.query if negate else q
        if isinstance(target, ArticleSet):
            chosen = self._state_docnums(s, target)
            return [d for d in order if (d in chosen) != negate]
        scored = self._scored_with_states(q, s)
        if scored is not None:
            import numpy as np  # loaded by the ranker already

            if self._date_order_array is None:
                self._date_order_array = np.array(order, dtype=np.int64)
            ordered = self._date_order_array
            return ordered[np.isin(ordered, scored.docnums, assume_unique=True)].tolist()
        matched = set(s.docs_for_query(q))
        return [d for d in order if d in matched]

    def _date_order(self, s) -> list[int]:
        """Every live document, newest first; undated ones after them, by file path (a folder
        with no dates at all is listed in the order of its files).

        Dated ties go in descending document order, as Whoosh's own sort by a column gives.
        Each segment's dates are read in one piece and packed with the document number into
        one integer, so the sort compares plain ints (345k articles: 1.5 s through Whoosh's
        column readers, under 0.1 s this way)."""
        if self._date_order_of is not s:
            reader = s.reader()
            leaves = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
            keys: list[int] = []
            for leaf, offset in leaves:
                dates = _numeric_column(leaf, "sortdate")
                if leaf.has_deletions():
                    keys.extend(dates[d] << 32 | (offset + d) for d in range(leaf.doc_count_all()) if not leaf.is_deleted(d))
                else:
                    keys.extend(date << 32 | (offset + d) for d, date in enumerate(dates))
            keys.sort(reverse=True)
            dated = bisect.bisect_left(keys, 1 - (1 << 32), key=lambda k: -k)  # the first undated key
            order = [key & 0xFFFFFFFF for key in keys[:dated]]
            order.extend(self._by_path(reader, [key & 0xFFFFFFFF for key in keys[dated:]]))
            self._date_order_cache = order
            self._dated_count = dated
            self._date_order_array = None
            self._date_order_of = s
        return self._date_order_cache

    @staticmethod
    def _by_path(reader, docnums: list[int]) -> list[int]:
        if not docnums:
            return docnums
        column = reader.column_reader("file")
        return sorted(docnums, key=lambda d: (column_value(column, d) or "", d))

    def dated_count(self) -> int:
        """How many articles have a date."""
        with self._lock:
            self._date_order(self._searcher)
            return self._dated_count

    def _body_chars(self, q: wq.Query, docnums: list[int]) -> dict[int, list]:
        """docnum -> Tokens with the character spans of the query's words in the body, read
        from the stored positions: one postings pass per word for just these documents."""
        s = self._searcher
        reader = s.reader()
        words = {text for field, text in _positive_terms(q) if field == "body"}
        wanted = sorted(docnums)
        found: dict[int, list] = {d: [] for d in wanted}
        for word in words:
            btext = word.encode("utf-8") if isinstance(word, str) else word
            if (("body", btext)) not in reader:
                continue
            if self._kept_characters(word, wanted, found):
                continue
            postings = s.postings("body", btext)
            for docnum in wanted:
                if not postings.is_active():
                    break
                if postings.id() < docnum:
                    postings.skip_to(docnum)
                if postings.is_active() and postings.id() == docnum:
                    for pos, start, end in postings.value_as("characters"):
                        found[docnum].append(highlight.Token(text=word, pos=pos, startchar=start, endchar=end, matched=True))
        return found

    def _kept_characters(self, word, docnums: list[int], found: dict[int, list]) -> bool:
        """The word's spans in these documents from the postings the ranking just read (a
        second pass over them cost a fifth of a query at 345k articles). False if not read."""
        word = word.decode("utf-8") if isinstance(word, bytes) else word
        spans = {}
        for docnum in docnums:
            chars = self._ranker.characters(word, docnum)
            if chars is None:
                return False
            spans[docnum] = chars
        for docnum, chars in spans.items():
            for pos, start, end in chars:
                found[docnum].append(highlight.Token(text=word, pos=pos, startchar=start, endchar=end, matched=True))
        return True

    def _snippet(self, body: str, tokens: list) -> Snippet | None:
        if not tokens:
            return None
        tokens.sort(key=lambda t: t.startchar)
        fragments = self._highlighter.fragmenter.fragment_matches(body, tokens)
        best = highlight.top_fragments(fragments, 1, self._highlighter.scorer, self._highlighter.order)
        return self._highlighter.formatter.format(best)

    def _hit(self, stored: dict, score: float, snippets: bool, tokens: list | None = None) -> Hit:
        snippet = None
        if snippets:
            body = stored.get("body", "")
            snippet = self._snippet(body, tokens or []) or _lead_snippet(body)
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            date=_to_date(stored.get("date")),
            authors=tuple(stored.get("authors") or ()),
            source=stored.get("source"),
            path=stored.get("file", ""),
            score=score,
            snippet=snippet,
            url=stored.get("url"),
        )

    def _suggest(self, parsed: wq.Query, text: str) -> str | None:
        """Did-you-mean: the query with unknown words corrected, if that finds anything."""
        s = self._searcher
        suggestion = corrected_query(self._lexicons, s.reader(), parsed, text)
        if not suggestion or suggestion.strip() == text.strip():
            return None
        try:
            q, _ = expand_bounded(self.parse(suggestion), s.reader(), self._lexicons)
        except QueryError:
            return None
        return suggestion if self._matches_any(q, s) else None

    def _matches_any(self, q: wq.Query, s) -> bool:
        """Whether q finds an article. Whoosh stops at the first match, but walks a NOT one
        article at a time (4.7 s at 345k articles for `iran NOT stock`): those are counted
        by the numpy ranker instead."""
        if _has_not(q):
            scored = self._scored_with_states(q, s)
            if scored is not None:
                return len(scored) > 0
        return next(iter(s.docs_for_query(q)), None) is not None

    def _facets(self, q: wq.Query, top: int = 20, entities: bool = True) -> dict[str, list[tuple[str, int]]]:
        groups = {
            "source": sorting.FieldFacet("source_facet", maptype=sorting.Count),
            "year": sorting.FieldFacet("year", maptype=sorting.Count),
        }
        results = self._searcher.search(q, limit=1, groupedby=groups)
        out = {}
        for name in groups:
            counts = [(k, v) for k, v in results.groups(name).items() if k]
            if name == "year":
                counts.sort(key=lambda kv: kv[0], reverse=True)
            else:
                counts.sort(key=lambda kv: (-kv[1], kv[0]))
            out[name] = counts[:top]
        if not entities:
            return out
        for kind, counts in self._entity_counts(q, None, top).items():
            out[kind] = [(c.name, c.articles) for c in counts]
        return out

    def _entity_counts(self, q: wq.Query | None, kind: str | None, top: int | None) -> dict[str, list[EntityCount]]:
        """Per kind, the entities of the articles matching q (all articles for None), by article count."""
        s = self._searcher
        reader = s.reader()
        if reader.doc_count() == 0:
            return {}
        column = reader.column_reader("entity_keys")
        docnums = reader.all_doc_ids() if q is None else s.docs_for_query(q)
        articles: Counter = Counter()
        mentions: Counter = Counter()
        for docnum in docnums:
            value = column_value(column, docnum)  # articles indexed without entities have none
            if not value:
                continue
            in_article: Counter = Counter()
            for line in value.decode("utf-8").split("\n"):
                key, _, count = line.partition("\t")
                key = self.registry.resolve(key)  # taken into another key since it was indexed
                if kind and not key.startswith(kind + ":"):
                    continue
                in_article[key] += int(count or 1)
            articles.update(in_article.keys())
            mentions.update(in_article)
        by_kind: dict[str, list[EntityCount]] = {}
        publisher = self._is_publisher
        # The publisher is named in many of its own stories ("told the BBC"): it is listed
        # when its count earns it a place, after the organisations the stories are about.
        ranked = sorted(articles, key=lambda k: (-articles[k], -mentions[k], k))
        for key in ranked:
            k = key.partition(":")[0]
            bucket = by_kind.setdefault(k, [])
            if top is not None and len(bucket) >= top:
                continue
            bucket.append(EntityCount(key, self.registry.name(key), k, articles[key], mentions[key],
                                      self.registry.all_variants(key), publisher(key)))
        for bucket in by_kind.values():
            bucket.sort(key=lambda c: c.publisher)  # stable: by count within each part
        return by_kind

    def _is_publisher(self, key: str) -> bool:
        """Whether an organisation is the corpus's publisher or one of its outlets: its name
        starts with an article's source, or with a word of the folder's name that the corpus
        names as an organisation (BBC, BBC News, BBC Radio 4 in a folder 'bbc-news-2005')."""
        kind, _, name = key.partition(":")
        if kind != "org":
            return False
        if self._publishers is None:
            names = {fold(term.decode("utf-8", "replace")) for term in self._searcher.reader().lexicon("source_facet")}
            registry, enough = self.registry, self._searcher.doc_count() / 100
            for word in fold(self.corpus.root.name).split():
                key = registry.resolve(f"org:{word}")
                # A word of the folder's name that the corpus often names as an organisation.
                if not word.isdigit() and key in registry.names and sum(registry.seen.get(key, {}).values()) >= enough:
                    names.add(word)
            self._publishers = frozenset(filter(None, names))
        words = name.split()
        return any(" ".join(words[:n]) in self._publishers for n in range(1, min(len(words), 4) + 1))

    @_query_guard
    def entities(self, text: str | None = None, kind: str | None = None, top: int = 20) -> list[EntityCount]:
        """Top entities for the whole corpus or a query's results, most articles first."""
        if kind is not None and kind not in KINDS:
            raise QueryError(f"unknown entity kind '{kind}' (use {', '.join(KINDS)})")
        with self._lock:
            q = None
            if text:
                q, _ = expand_bounded(self.parse(text), self._searcher.reader(), self._lexicons)
            by_kind = self._entity_counts(q, kind, top)
        merged = [c for counts in by_kind.values() for c in counts]
        merged.sort(key=lambda c: (-c.articles, -c.mentions, c.key))
        if not kind:
            merged = merged[: top * len(by_kind)]
        merged.sort(key=lambda c: c.publisher)
        return merged

    @_query_guard
    def facets(self, text: str) -> dict[str, list[tuple[str, int]]]:
        with self._lock:
            q, _ = expand_bounded(self.parse(text), self._searcher.reader(), self._lexicons)
            return self._facets(q)

    # -- articles ---------------------------------------------------------------------
    def resolve_id(self, id_or_prefix: str) -> str:
        """A full article id from an id or a unique prefix of one (at least 4 characters)."""
        key = id_or_prefix.strip().lower()
        with self._lock:
            if self._searcher.document_number(id=key) is not None:
                return key
            if len(key) >= 4:
                ids = [f["id"] for f in self._searcher.search(wq.Prefix("id", key), limit=2)]
                if len(ids) == 1:
                    return ids[0]
                if len(ids) > 1:
                    raise CorpusError(f"'{id_or_prefix}' matches more than one article; give more of the id")
        raise CorpusError(f"no article with id '{id_or_prefix}'")

    def article(self, id_or_prefix: str) -> Article:
        article_id = self.resolve_id(id_or_prefix)
        with self._lock:
            stored = self._searcher.document(id=article_id)
        return Article(
            id=stored["id"],
            path=stored.get("file", ""),
            title=stored.get("title", ""),
            text=stored.get("body", ""),
            authors=tuple(stored.get("authors") or ()),
            date=_to_date(stored.get("date")),
            source=stored.get("source"),
            url=stored.get("url"),
            dateline=stored.get("dateline"),
            date_from=stored.get("date_from"),
            position=stored.get("position") or 0,
            entities=tuple(self._current(EntitySpan(*span)) for span in stored.get("entities") or ()),
        )

    def _asked_entity(self, parsed: wq.Query) -> Callable[[str], bool] | None:
        """For a query that names entities (`person:blair`), a test of whether a stored key
        is one of them (through the registry, as the query itself matches); else None."""
        wanted: set[str] = set()
        for leaf in parsed.leaves():
            if isinstance(leaf, (wq.Term, wq.Phrase)) and leaf.field() in KINDS:
                words = leaf.text if isinstance(leaf, wq.Term) else " ".join(leaf.words)
                wanted |= {self.registry.resolve(k) for k in self.registry.keys_for(leaf.field(), words)}
                wanted.add(self.registry.resolve(make_key(leaf.field(), words)))
        if not wanted:
            return None
        resolve = self.registry.resolve
        return lambda key: resolve(key) in wanted

    def _current(self, span: EntitySpan) -> EntitySpan:
        """A stored span under the key and name the registry gives it now (its key may have
        been taken into another, or its group named otherwise, since the article was indexed)."""
        key = self.registry.resolve(span.key)
        # A registry older than the article (read between an index commit and its save, or
        # lost) does not know the key: the name stored with the span stands.
        name = self.registry.name(key, default=span.name if key == span.key else None)
        if (key, name) == (span.key, span.name):
            return span
        kind = key.partition(":")[0]
        label = span.label if KIND_OF_LABEL.get(span.label) == kind else LABEL_OF_KIND[kind]
        return dataclasses.replace(span, key=key, name=name, label=label)

    def also_in(self, article_id: str) -> list[Appearance]:
        """Where else the article's text appeared (copies in other files, not indexed again)."""
        with self._lock:
            docnum = self._searcher.document_number(id=article_id)
            if docnum is None:
                return []
            fp = column_value(self._searcher.reader().column_reader("fingerprint"), docnum)
        if not fp:
            return []
        path = self.corpus.index_path / STORE_NAME
        if not path.exists():
            return []
        try:
            store = DuplicateStore(self.corpus.index_path)
            try:
                return store.appearances(fp)
            finally:
                store.close()
        except sqlite3.Error:
            return []  # the records are rebuilt by the next indexing run

    @_query_guard
    def hit_spans(self, article_id: str, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every character span of the query's matches in an article's title and body."""
        with self._lock:
            s = self._searcher
            q, _ = expand_bounded(self.parse(text), s.reader(), self._lexicons)
            docnum = s.document_number(id=article_id)
            if docnum is None:
                return {"title": [], "body": []}
            results = s.search(wq.And([q, wq.Term("id", article_id)]), limit=1, terms=True)
            spans: dict[str, list[tuple[int, int]]] = {"title": [], "body": []}
            if results.is_empty():
                return spans
            for fieldname, btext in results[0].matched_terms():
                if fieldname not in spans:
                    continue
                postings = s.postings(fieldname, btext)
                postings.skip_to(docnum)
                if not postings.is_active() or postings.id() != docnum:
                    continue
                for item in postings.value_as("characters"):
                    start, end = item[-2], item[-1]
                    spans[fieldname].append((start, end))
            spans["body"].extend(self._entity_hits(q, docnum))
            for key in spans:
                spans[key] = sorted(set(spans[key]))
            return spans

    def _entity_hits(self, q: wq.Query, docnum: int) -> list[tuple[int, int]]:
        """Mentions of the entities an entity query asks for (person:"qasem soleimani"): after
        a pivot, n/N walk through the person's mentions, whatever the spelling."""
        wanted: set[str] = set()
        for leaf in q.leaves():
            if leaf.field() in KINDS and isinstance(leaf, (wq.Term, wq.Phrase)):
                words = leaf.text if isinstance(leaf, wq.Term) else " ".join(leaf.words)
                wanted |= self.registry.keys_for(leaf.field(), words)
        if not wanted:
            return []
        stored = self._searcher.stored_fields(docnum).get("entities") or ()
        return [(span[0], span[1]) for span in stored if self.registry.resolve(span[3]) in wanted]

    # -- the corpus as a whole ----------------------------------------------------------
    def stats(self) -> dict:
        """The corpus in numbers. Files are counted by what became of them: indexed (holding
        at least one indexed article), only copies of articles indexed from other files, or
        skipped by the last indexing run."""
        with self._lock:
            reader = self._searcher.reader()
            files: set = set()
            if reader.doc_count():
                column = reader.column_reader("file")
                files = {column_value(column, d) for d in reader.all_doc_ids()}
            # Sources and years only: entity counts would scan every article for nothing.
            facets = self._facets(wq.Every(), top=None, entities=False) if reader.doc_count() else {}
            years = sorted(y for y, _ in facets.get("year", []))
            dated = self.dated_count()
        copies, copy_files = self._copies(files)
        last_run = self.corpus.last_run()
        skipped = len(last_run["skipped"]) if last_run and isinstance(last_run.get("skipped"), list) else None
        size = sum(p.stat().st_size for p in self.corpus.index_path.glob("*") if p.is_file())
        return {
            "corpus": str(self.corpus.root),
            "index": str(self.corpus.index_path),
            "articles": self.doc_count,
            "undated": self.doc_count - dated,
            "duplicates": copies,
            "files": {
                "read": len(files) + copy_files + skipped if skipped is not None else None,
                "indexed": len(files),
                "only_copies": copy_files,
                "skipped": skipped,
            },
            "sources": [{"value": v, "count": c} for v, c in facets.get("source", [])[:10]],
            "years": {"first": years[0] if years else None, "last": years[-1] if years else None},
            "index_bytes": size,
        }

    def _copies(self, indexed_files: set) -> tuple[int, int]:
        """(copies recorded, files holding nothing but copies)."""
        if not (self.corpus.index_path / STORE_NAME).exists():
            return 0, 0
        try:
            store = DuplicateStore(self.corpus.index_path)
            try:
                return store.count(), len(set(store.signatures()) - indexed_files)
            finally:
                store.close()
        except sqlite3.Error:
            return 0, 0
