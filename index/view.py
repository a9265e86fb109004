"""One state of the index, and everything worked out from it.

A Whoosh searcher sees the index as it was when it was opened. What dossier derives from
that state (word lists, the numpy ranker, the newest-first order, the entity registry, the
publisher's names, library ids as document numbers) is kept beside it in an IndexView and
thrown away with it: when the engine picks up a commit it makes a new view, and a result
list that still shows rows of the old one keeps reading from the old searcher.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from .aliases import load_aliases
from .entity_registry import REGISTRY_NAME, EntityRegistry
from .lexicon import Lexicons
from .schema import column_value
from .state_query import DocnumCache
from .whoosh_internals import numeric_column

if TYPE_CHECKING:
    from .corpus import Corpus
    from .fastrank import Ranker
    from .stories import StoryIndex


def registry_of(corpus: "Corpus") -> EntityRegistry:
    """The corpus's entity registry with the user's decisions applied (index/curation.py)."""
    from . import curation

    registry = EntityRegistry(load_aliases(), corpus.index_path / REGISTRY_NAME)
    registry.apply_curation(curation.load(curation.path_for(corpus)))
    return registry


class IndexView:
    def __init__(self, searcher, corpus: "Corpus", whoosh_first: bool = False):
        self.searcher = searcher
        self.whoosh_first = whoosh_first  # a one-off process: few matches ranked by Whoosh (index/planner.py)
        self.reader = searcher.reader()
        self.corpus = corpus
        self.lexicons = Lexicons(self.reader, corpus.word_cache)
        self.registry = registry_of(corpus)
        self.docnums = DocnumCache()  # library ids -> document numbers, per segment
        self.publishers: frozenset[str] | None = None  # folded names (index/facets.py), when first needed
        self._ranker: Ranker | None = None
        self._date_order: list[int] | None = None
        self._date_places = None  # each document's place in it, made when first needed
        self._dated_count = 0
        self._days = None
        self.entity_graph = None  # index/entity_graph.py, made when first needed
        self._stories: StoryIndex | None = None

    @property
    def ranker(self) -> "Ranker":
        """The numpy ranker of this state. numpy is imported on first use (or by the engine's
        warm()), not at start-up: it would add 70 ms before the first screen."""
        if self._ranker is None:
            from .fastrank import Ranker

            self._ranker = Ranker(self.searcher)
        return self._ranker

    def leaves(self) -> list[tuple[object, int]]:
        """(segment reader, first document number) of each segment."""
        return [(self.reader, 0)] if self.reader.is_atomic() else self.reader.leaf_readers()

    def date_order(self) -> list[int]:
        """Every live document, newest first; undated ones after them, by file path (a folder
        with no dates at all is listed in the order of its files).

        Dated ties go in descending document order, as Whoosh's own sort by a column gives.
        Each segment's dates are read in one piece and packed with the document number into
        one integer, so the sort compares plain ints (345k articles: 1.5 s through Whoosh's
        column readers, under 0.1 s this way). Shared: never modify the list returned."""
        if self._date_order is None:
            keys: list[int] = []
            for leaf, offset in self.leaves():
                dates = numeric_column(leaf, "sortdate")
                if leaf.has_deletions():
                    keys.extend(dates[d] << 32 | (offset + d) for d in range(leaf.doc_count_all()) if not leaf.is_deleted(d))
                else:
                    keys.extend(date << 32 | (offset + d) for d, date in enumerate(dates))
            keys.sort(reverse=True)
            dated = bisect.bisect_left(keys, 1 - (1 << 32), key=lambda k: -k)  # the first undated key
            order = [key & 0xFFFFFFFF for key in keys[:dated]]
            order.extend(self._by_path([key & 0xFFFFFFFF for key in keys[dated:]]))
            self._date_order = order
            self._dated_count = dated
        return self._date_order

    def date_places(self):
        """Each document number's place in date_order() (a numpy array indexed by document
        number; deleted documents come after every live one)."""
        if self._date_places is None:
            import numpy as np  # loaded by the ranker already

            order = self.date_order()
            places = np.full(self.reader.doc_count_all(), len(order), dtype=np.int64)
            places[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
            self._date_places = places
        return self._date_places

    def days(self):
        """Each document's date as YYYYMMDD (0: undated), a numpy array by document number."""
        if self._days is None:
            import numpy as np

            days = np.zeros(self.reader.doc_count_all(), dtype=np.int64)
            for leaf, offset in self.leaves():
                values = numeric_column(leaf, "sortdate")
                days[offset:offset + len(values)] = values
            self._days = days
        return self._days

    def stories_read(self) -> bool:
        return self._stories is not None

    def forget_stories_without_store(self) -> bool:
        """Forget stories read when there was no usable store; True if there were such."""
        if self._stories is None or not self._stories.without_store:
            return False
        self._stories = None
        return True

    def stories(self, lock=None) -> "StoryIndex":
        """The stories of this state by document number (index/stories.py), read when first
        needed: their store is written before each commit, so it holds every article here.
        `lock`: taken per segment read (StoryIndex.of_index), when the caller does not hold it."""
        if self._stories is None:
            from .stories import StoryIndex, open_store

            store = open_store(self.corpus.index_path)
            try:
                self._stories = StoryIndex.of_index(self.leaves(), self.reader.doc_count_all(), store, self.days(),
                                                    lock)
            finally:
                if store is not None:
                    store.close()
        return self._stories

    def dated_count(self) -> int:
        """How many articles have a date."""
        self.date_order()
        return self._dated_count

    def _by_path(self, docnums: list[int]) -> list[int]:
        if not docnums:
            return docnums
        column = self.reader.column_reader("file")
        return sorted(docnums, key=lambda d: (column_value(column, d) or "", d))
