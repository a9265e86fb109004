"""The engine: search and read one corpus.

Engine keeps one state of the index open (index/view.py) and picks up new commits with
`refresh()`. Each method plans its query once (index/planner.py, the only place a query is
evaluated) and hands the plan to the part that does the job: snippets and hit spans
(index/highlights.py), facets, entity counts and stats (index/facets.py), reading an
article (index/reading.py). Results are the plain types of index/results.py.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from whoosh import query as wq

from . import facets as _facets
from . import highlights, planner, reading
from .article import Article
from .corpus import Corpus, CorpusError, IndexGone
from .duplicates import Appearance
from .errors import internal_error
from .kinds import KINDS
from .lexicon import PATTERN_FIELDS
from .library import Library, LibraryError
from .planner import NO_DATES, Plan  # noqa: F401  (part of the engine's interface)
from .query import QueryError, make_parser
from .results import SORTS, EntityCount, Hit, ResultList, Row, SearchResults, Snippet  # noqa: F401  (the same)
from .results import Story, StoryVersion
from .schema import ranking
from .view import IndexView

if TYPE_CHECKING:
    from .curation import Decision
    from .entity_graph import EntityPage
    from .timeline import Timeline


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

    def __init__(self, corpus: Corpus, library: Library | None = None, one_off: bool = False):
        """`one_off`: a process that asks one question and ends (a CLI command): a query with
        few matches is ranked by Whoosh rather than importing numpy for the ranker (70-80 ms;
        the same order). A process that asks many keeps the ranker, which is faster each time."""
        self.corpus = corpus
        self.one_off = one_off
        self._library = library  # opened on first use: most queries never need it
        self.ix, self.note = corpus.open_index()
        self.parser = make_parser(self.ix.schema)
        self._lock = threading.RLock()
        self.view = IndexView(self.ix.searcher(weighting=ranking()), corpus, whoosh_first=one_off)

    # -- life cycle -------------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up commits made since the searcher was opened. True if anything changed."""
        with self._lock:
            try:
                if self.view.searcher.up_to_date():
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
            self.view = IndexView(fresh, self.corpus, whoosh_first=self.one_off)
            return True

    def warm(self) -> None:
        """Load the word lists fuzzy terms, wildcards and did-you-mean read (0.5 s per field
        at 345k articles) and the ranker's numpy, so the first such query does not pay for
        them. For a background thread: it takes only the word lists' own lock."""
        from . import fastrank  # noqa: F401  (imports numpy: 70 ms kept out of start-up)

        lexicons = self.view.lexicons
        for field in PATTERN_FIELDS:
            lexicons.words(field)

    def warm_entities(self) -> None:
        """Read the entity graph (index/entity_graph.py) before the first entity page asks
        for it: seconds at 345k articles the first time, a second from its cache. For a
        background thread: it takes only the graph's own lock."""
        from .entity_graph import graph_of

        graph_of(self.view)

    def stories_ready(self) -> bool:
        """Whether the stories of the current state are read (a collapsed list is then as
        quick as a flat one; reading them takes a second at 345k articles)."""
        return self.view.stories_read()

    def forget_missing_stories(self) -> bool:
        """After an indexing run: stories read while the index had no usable store (an index
        from before stories, which the run groups without a commit) are forgotten, so the
        next list reads them. True when there were such."""
        with self._lock:
            return self.view.forget_stories_without_store()

    def warm_stories(self) -> None:
        """Read the stories of the current state (for a background thread): the lock is
        taken a segment at a time, not for the second it takes at 345k articles, so the
        list's rows (read on the UI thread, under the lock) keep coming."""
        with self._lock:
            view = self.view
            if view.stories_read():
                return
            view.days()
        view.stories(self._lock)

    def close(self) -> None:
        with self._lock:
            self.view.searcher.close()
            self.ix.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def doc_count(self) -> int:
        return self.view.searcher.doc_count()

    @property
    def registry(self):
        """The entity registry of the current state (names, variants, corpus decisions)."""
        return self.view.registry

    @property
    def library(self) -> Library:
        """The user's library for this corpus (LibraryError if it cannot be opened)."""
        if self._library is None:
            self._library = Library(self.corpus.home, self.corpus.root)
        return self._library

    # -- queries ----------------------------------------------------------------------

    def parse(self, text: str) -> wq.Query:
        """The query as parsed and rewritten (entity spellings, library states), before
        patterns are expanded."""
        return planner.rewrite(self.view, self.parser, text, lambda: self.library)

    def plan(self, text: str | None, sort: str = "relevance", empty_is_every: bool = False) -> Plan:
        return planner.plan(self.view, self.parser, text, sort, lambda: self.library, empty_is_every)

    @_query_guard
    def search(
        self,
        text: str,
        limit: int | None = 20,
        sort: str = "relevance",
        facets: bool = False,
        snippets: bool = True,
        stories: bool = False,
    ) -> SearchResults:
        """Run a query. Raises QueryError for a query that cannot be run. With `stories`,
        one hit per story (index/stories.py) and how many stories the matches tell."""
        with self._lock:
            view = self.view
            p = self.plan(text, sort)
            story_count = None
            if stories:  # every match, to keep each story's best one
                found = planner.evaluate(view, p, None)
                places = self._stories_of(found.docnums).places(found.docnums, by_date=found.sort == "date")
                story_count = len(places)
                places = places[:limit] if limit is not None else places
                docnums = [found.docnums[i] for i in places]
                scores = [found.scores[i] for i in places] if found.scores is not None else [0.0] * len(docnums)
                hits = highlights.hits(view, p, list(zip(docnums, scores)), snippets, False)
            else:
                found = planner.evaluate(view, p, limit, keep_positions=snippets)
                docnums = found.docnums
                scores = found.scores if found.scores is not None else [0.0] * len(found.docnums)
                hits = highlights.hits(view, p, list(zip(docnums, scores)), snippets, found.ranked_by_numpy)
            hits = self._with_stories(hits, docnums)
            out = SearchResults(query=text, total=found.total, hits=hits, sort=found.sort, notes=p.notes,
                                stories=story_count)
            if found.total == 0:
                out.suggestion = planner.suggest(view, self.parser, p, lambda: self.library)
            if facets and found.total:
                out.facets = _facets.facets(view, p, stories=stories)
            return out

    def _stories_of(self, docnums):
        """The stories of these matches: the state's own when the reader has read them,
        else of the matches alone (a one-off search does not read 345k articles' stories)."""
        from .stories import StoryIndex, open_store

        view = self.view
        if view.stories_read():
            return view.stories()
        store = open_store(self.corpus.index_path)
        try:
            return StoryIndex.of_documents(view.reader, docnums, store, view.days())
        finally:
            if store is not None:
                store.close()

    def _story_ids(self, store, docnum: int) -> list[str]:
        """The ids of the article's story, its main version first (itself alone when none)."""
        from .stories import ordered_versions, versions_of

        searcher = self.view.searcher
        members = versions_of(searcher, store, docnum)
        return [searcher.stored_fields(d)["id"] for d in ordered_versions(searcher, members, self.view.days())]

    def _with_stories(self, hits: list[Hit], docnums) -> list[Hit]:
        """Each hit with its story's main version and other versions, when it has some."""
        from dataclasses import replace

        from .stories import open_store

        store = open_store(self.corpus.index_path)
        if store is None:
            return hits
        try:
            out = []
            for hit, docnum in zip(hits, docnums):
                ids = self._story_ids(store, int(docnum))
                out.append(hit if len(ids) < 2 else replace(hit, story=ids[0], versions=tuple(i for i in ids if i != hit.id)))
            return out
        finally:
            store.close()

    @_query_guard
    def story(self, id_or_prefix: str) -> Story:
        """An article's story: its versions, the main one first, each compared with it
        sentence by sentence (index/storydiff.py). An article alone is a story of one."""
        from .storydiff import compare

        with self._lock:
            view = self.view
            articles = [reading.read_article(view, i) for i in self.story_versions(id_or_prefix)]
        main = articles[0]
        return Story(main.id, [StoryVersion(a.id, a.title, a.date, a.source, a.authors, a.path, a is main,
                                            None if a is main else compare(main.text, a.text))
                               for a in articles])

    @_query_guard
    def story_versions(self, id_or_prefix: str) -> list[str]:
        """The ids of an article's story, its main version first (itself alone when none)."""
        from .stories import open_store

        with self._lock:
            view = self.view
            docnum = view.searcher.document_number(id=reading.resolve_id(view, id_or_prefix))
            store = open_store(self.corpus.index_path)
            try:
                return self._story_ids(store, docnum)
            finally:
                if store is not None:
                    store.close()

    @_query_guard
    def result_list(self, text: str | None, sort: str = "relevance", stories: bool = False) -> ResultList:
        """All articles matching `text` (every article when empty), ordered, rows read lazily;
        with `stories`, one row per story (index/stories.py)."""
        if stories:
            self.warm_stories()  # not under the lock: a second at 345k, once per state
        with self._lock:
            view = self.view
            p = self.plan(text, sort, empty_is_every=True)
            found = planner.evaluate(view, p)
            suggestion = planner.suggest(view, self.parser, p, lambda: self.library) if not found.total else None
            undated = view.dated_count() == 0 and view.searcher.doc_count() > 0
            wanted, resolve = p.entity_keys, view.registry.resolve
            return ResultList(text, found.sort, view.searcher, found.docnums, self._lock, suggestion, p.notes,
                              undated, (lambda key: resolve(key) in wanted) if wanted else None,
                              view.stories() if stories else None)

    @_query_guard
    def count(self, text: str) -> int:
        """How many articles match `text` (for saved searches' counts)."""
        with self._lock:
            return planner.count(self.view, self.plan(text))

    def articles(self, text: str | None, sort: str = "relevance") -> Iterator[Article]:
        """Every article matching `text` (every article when empty), in order: for export."""
        results = self.result_list(text, sort)
        for index in range(len(results)):
            yield self.article(results.row(index).id)

    def dated_count(self) -> int:
        """How many articles have a date."""
        with self._lock:
            return self.view.dated_count()

    @_query_guard
    def entities(self, text: str | None = None, kind: str | None = None, top: int = 20) -> list[EntityCount]:
        """Top entities for the whole corpus or a query's results, most articles first."""
        if kind is not None and kind not in KINDS:
            raise QueryError(f"unknown entity kind '{kind}' (use {', '.join(KINDS)})")
        with self._lock:
            docnums = planner.all_matches(self.view, self.plan(text)) if text else None
            by_kind = _facets.entity_counts(self.view, docnums, kind, top)
        merged = [c for counts in by_kind.values() for c in counts]
        merged.sort(key=lambda c: (-c.articles, -c.mentions, c.key))
        if not kind:
            merged = merged[: top * len(by_kind)]
        merged.sort(key=lambda c: c.publisher)
        return merged

    @_query_guard
    def entity_page(self, name: str, kind: str | None = None, top: int = 20, key: str | None = None) -> "EntityPage":
        """An entity's page (index/entity_graph.py): `name` as the user gives it (`Blair`,
        `person:tony blair`), or the `key` an article's span has. Raises EntityNotFound (a
        CorpusError) with the nearest names."""
        if kind is not None and kind not in KINDS:
            raise QueryError(f"unknown entity kind '{kind}' (use {', '.join(KINDS)})")
        from .entity_graph import graph_of  # numpy: not in every command's start-up

        with self._lock:
            graph = graph_of(self.view)
            found = self.view.registry.resolve(key) if key else None
            if found in graph.canon_ids:
                return graph.page(found, top)
            found, others = graph.find(name, kind)
            return graph.page(found, top, others)

    # -- the user's decisions about entities (index/curation.py) ----------------------------

    @property
    def curation_path(self):
        from . import curation

        return curation.path_for(self.corpus)

    def curation_problems(self) -> list[str]:
        """What in the decisions file could not be applied, each with its line."""
        return list(self.view.registry.curation_problems)

    @_query_guard
    def decide(self, action: str, name: str, value: str | None = None) -> "Decision":
        """Record a decision about the entity `name` goes by (as `entity show` finds it) and
        apply it at once: merge (value: the entity it joins, by name), kind (value: the new
        kind), ignore, alias (value: the new name), split (value: a key or spelling joined to
        it, which then stands on its own)."""
        from . import curation
        from .entity_graph import graph_of

        if action == "kind" and value not in KINDS:
            raise QueryError(f"unknown entity kind '{value}' (use {', '.join(KINDS)})")
        with self._lock:
            graph = graph_of(self.view)
            key, _ = graph.find(name)
            if action == "merge":
                value, _ = graph.find(value or "")
                if value == key:
                    raise CorpusError(f"'{name}' and that entity are already one")
            if action == "split":  # the decision is about the key split off
                key, value = self._taken_in(key, value or ""), key
            decision = curation.Decision(action, key, value, 0)
            curation.append(self.curation_path, decision)
            self.reload_entities()
            return decision

    def _taken_in(self, key: str, variant: str) -> str:
        """The key joined to entity `key` that `variant` names (a key, or a spelling of it)."""
        from .aliases import fold

        taken = [k for k, _ in self.view.registry.taken_in(key)]
        kind, sep, rest = variant.partition(":")
        typed_kind = kind.strip().lower() if sep and kind.strip().lower() in KINDS else None
        wanted = fold(rest if typed_kind else variant)
        found = [k for k in taken if k.partition(":")[2] == wanted and typed_kind in (None, k.partition(":")[0])]
        if not found:
            name = self.view.registry.name(key)
            raise CorpusError(
                f"'{variant}' is not a name joined to {name}: "
                + (f"one of {', '.join(taken[:12])} can be split off" if taken
                   else "nothing was joined to it (its spellings were all read as it)"))
        return found[0]

    @_query_guard
    def cross_reference(self, names: list[tuple[str, str | None]], top: int = 3) -> list[dict]:
        """Each (name, kind or None) of a list, as the entity it resolves to (through aliases,
        spellings and decisions): articles, mentions, first and last seen, the entities most
        named with it; or why it was not found, with the nearest names."""
        from .entity_graph import EntityNotFound, graph_of

        rows = []
        with self._lock:
            graph = graph_of(self.view)
            for name, kind in names:
                row: dict = {"name": name, "kind": kind}
                try:
                    key, others = graph.find(name, kind)
                except EntityNotFound as exc:
                    rows.append({**row, "entity": None, "suggestions": exc.suggestions})
                    continue
                page = graph.page(key, top, others)
                rows.append({**row, "entity": {"key": page.key, "name": page.name, "kind": page.kind},
                             "articles": page.articles, "mentions": page.mentions,
                             "first_seen": page.first_seen, "last_seen": page.last_seen,
                             "co_mentions": [c.to_json() for c in page.co_mentions[:top]],
                             "also": [k for k, _, _ in page.others]})
        return rows

    def entity_candidates(self, typed: str, exclude: str | None = None, limit: int = 12) -> list[tuple[str, str, int]]:
        """(key, name, articles) of the entities nearest a name as it is typed (a picker)."""
        from .entity_graph import graph_of

        with self._lock:
            return graph_of(self.view).candidates(typed, limit, exclude)

    def undo_decision(self, name: str | None = None) -> "Decision | None":
        """Take back the last decision (about the entity `name` goes by, when given)."""
        from . import curation
        from .entity_graph import graph_of

        from .aliases import fold
        from .entity_graph import EntityNotFound

        with self._lock:
            decisions = curation.load(self.curation_path).decisions
            if name:
                try:
                    key, _ = graph_of(self.view).find(name)
                    keys = {key, *self.view.registry.merged_into(key)}
                except EntityNotFound:  # marked "not an entity": found by its name alone
                    keys = set()
                folded = fold(name.partition(":")[2] if name.partition(":")[0] in KINDS else name)

                def about(d) -> bool:
                    return bool({d.entity, d.value} & keys) or fold(d.entity.partition(":")[2]) == folded

                decisions = [d for d in decisions if about(d)]
            chosen = decisions
            if not chosen:
                return None
            curation.remove(self.curation_path, chosen[-1])
            self.reload_entities()
            return chosen[-1]

    def reload_entities(self) -> None:
        """Read the registry and the decisions again: what depends on them is made anew."""
        from .view import registry_of

        with self._lock:
            self.view.registry = registry_of(self.corpus)
            self.view.entity_graph = None
            self.view.publishers = None

    @_query_guard
    def timeline(self, text: str | None) -> "Timeline":
        """The matches of `text` (every article when empty) by day, month or year."""
        import numpy as np  # not in every command's start-up

        from .timeline import timeline_of

        with self._lock:
            view = self.view
            p = self.plan(text, empty_is_every=True)
            if p.every:  # every live article: no list of 345k document numbers to make
                return timeline_of(view.days()[view.date_places() < view.searcher.doc_count()])
            docnums = np.fromiter(planner.all_matches(view, p), dtype=np.int64)
            return timeline_of(view.days()[docnums])

    @_query_guard
    def facets(self, text: str, stories: bool = False) -> "_facets.Facets":
        """facet -> [(value, articles)]; with `stories`, `.stories`: facet -> value -> stories."""
        if stories:
            self.warm_stories()
        with self._lock:
            return _facets.facets(self.view, self.plan(text), stories=stories)

    @_query_guard
    def hit_spans(self, article_id: str, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every character span of the query's matches in an article's title and body."""
        with self._lock:
            return highlights.hit_spans(self.view, self.plan(text), article_id)

    # -- articles ---------------------------------------------------------------------

    def resolve_id(self, id_or_prefix: str) -> str:
        """A full article id from an id or a unique prefix of one (at least 4 characters)."""
        with self._lock:
            return reading.resolve_id(self.view, id_or_prefix)

    def article(self, id_or_prefix: str) -> Article:
        with self._lock:
            view = self.view
            return reading.read_article(view, reading.resolve_id(view, id_or_prefix))

    def also_in(self, article_id: str) -> list[Appearance]:
        """Where else the article's text appeared (copies in other files, not indexed again)."""
        with self._lock:
            view = self.view
            fp = reading.fingerprint(view, article_id)
        return reading.also_in(view, fp)

    # -- the corpus as a whole ----------------------------------------------------------

    def stats(self) -> dict:
        """The corpus in numbers (index/facets.py `stats`)."""
        with self._lock:
            return _facets.stats(self.view)
