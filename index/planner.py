"""From the text of a query to document numbers: the one place a query is evaluated.

`plan()` parses and rewrites a query (an entity name also finds its other spellings and
the keys the corpus took it into, library words become sets of articles, wildcards and
fuzzy terms become the words they stand for within a budget) and decides how it is to be
ordered. `evaluate()` turns a plan into document numbers and scores, choosing in one place
between the numpy ranker (index/fastrank.py: words, phrases, AND/OR/NOT), Whoosh's own
search (what the ranker cannot score) and newest-first (a date sort, every article, or more
matches than are worth ranking). Searching, the reader's list, counts, facets, did-you-mean
and the reader's hit positions all go through here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from whoosh import collectors
from whoosh import query as wq

from .aliases import make_key
from .kinds import KINDS
from .lexicon import corrected_query
from .library import Library
from .query import QueryError, expand_bounded, parse
from .results import SORTS
from .state_query import ArticleSet, with_state
from .view import IndexView

# Queries Whoosh must score itself (phrases, ranges) with more matches are listed newest first.
RANK_LIMIT = 50_000
# Whoosh ranks ~5 µs a match: up to this many it is done before numpy would be imported.
WHOOSH_FIRST = 5_000
NO_DATES = "no article in this folder has a date, so a date in the query matches nothing"
_DATE_FIELDS = {"date", "sortdate", "year", "month"}


@dataclass
class Plan:
    """A query made ready to evaluate."""

    text: str | None
    parsed: wq.Query | None  # as parsed and rewritten, patterns not yet expanded (None: every article)
    query: wq.Query  # what is evaluated: patterns expanded into words
    sort: str  # "relevance" or "date", as asked or as the query allows
    notes: list[str] = field(default_factory=list)  # said to the user (a pattern cut short, ...)
    # The words to rank and the library's sets as filters (`oil is:unread`): a set lookup
    # per match instead of Whoosh intersecting the words with every unread article.
    ranked: wq.Query | None = None
    allow: set[int] | None = None
    deny: set[int] | None = None
    entity_keys: frozenset[str] = frozenset()  # the entities it asks for (`person:blair`), resolved

    @property
    def every(self) -> bool:
        return isinstance(self.query, wq.Every)


@dataclass
class Evaluation:
    """A plan's matches, in the order they are listed."""

    docnums: list[int]  # the first `limit` of them
    scores: list[float] | None  # beside docnums; None when listed newest first (nothing scored)
    total: int  # how many match in all
    sort: str
    ranked_by_numpy: bool  # the numpy ranker kept the body positions it read (snippets use them)


def check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}' (use {' or '.join(SORTS)})")


def rewrite(view: IndexView, parser, text: str, library) -> wq.Query:
    """The query as parsed, with entity spellings and library words rewritten."""
    return with_state(with_entity_variants(view, parse(parser, text)), library, view.docnums)


def plan(view: IndexView, parser, text: str | None, sort: str = "relevance", library=None,
         empty_is_every: bool = False) -> Plan:
    """`library` is a callable returning the user's Library, called only when the query
    names library states (is:unread). An empty query is every article for a list (the
    reader's first screen), and a QueryError for a search."""
    check_sort(sort)
    if empty_is_every and not (text and text.strip()):
        return Plan(text, None, wq.Every(), "date")
    parsed = rewrite(view, parser, text, library or _no_library)
    q, notes = expand_bounded(parsed, view.reader, view.lexicons)
    out = Plan(text, parsed, q, sort, notes, entity_keys=asked_entities(view, q))
    if isinstance(q, wq.Every) or _ranks_nothing(q):
        out.sort = "date"  # every match scores the same: newest first
    out.ranked, out.allow, out.deny = _split_state(view, q)
    if _mentions_dates(q) and view.dated_count() == 0 and view.reader.doc_count() > 0:
        out.notes.append(NO_DATES)
    return out


def _no_library() -> Library:
    raise QueryError("this search cannot read your library (is:, tag:, has:)")


def evaluate(view: IndexView, p: Plan, limit: int | None = None, keep_positions: bool = False) -> Evaluation:
    """The plan's matches in order: the first `limit` of them (all for None) and the total."""
    if p.every:
        order = view.date_order()
        return _newest_first(order, limit, "date")
    sort = p.sort
    if sort == "relevance" and view.whoosh_first and not _numpy_loaded() and _estimate(p.ranked, view.reader) <= WHOOSH_FIRST:
        # A one-off command has not imported numpy, 70-80 ms: Whoosh ranks a query with few
        # matches sooner, in the same order (tests/test_fastrank.py). A process that asks
        # many questions (the reader, the API) imports it once and ranks faster each time.
        results = _whoosh_search(view, p, limit)
        found = [(docnum, score or 0.0) for score, docnum in results.top_n]
        return Evaluation([d for d, _ in found], [s for _, s in found], len(results), sort, False)
    if sort == "relevance":
        scored = _scored(view, p.ranked, p.allow, p.deny, keep_positions)
        if scored is not None:
            docnums, scores = scored.ranked(limit)
            return Evaluation(docnums.tolist(), scores.tolist(), len(scored), sort, True)
        if _estimate(p.ranked, view.reader) <= RANK_LIMIT:
            results = _whoosh_search(view, p, limit)
            found = [(docnum, score or 0.0) for score, docnum in results.top_n]
            return Evaluation([d for d, _ in found], [s for _, s in found], len(results), sort, False)
        sort = "date"
    chosen, total = in_date_order(view, p.query, (p.ranked, p.allow, p.deny), limit)
    if p.sort == "relevance":  # too many matches for Whoosh to rank
        p.notes.append(_too_many_to_rank(total))
    return Evaluation(chosen, None, total, sort, False)


def _newest_first(order: list[int], limit: int | None, sort: str) -> Evaluation:
    # The shared order itself when every match is asked for (the reader's list at 345k
    # articles): no copy, and no scores to carry.
    chosen = order if limit is None else order[:limit]
    return Evaluation(chosen, None, len(order), sort, False)


def all_matches(view: IndexView, p: Plan):
    """Every document the plan matches, in no particular order (for counting facets)."""
    if p.every:
        return view.reader.all_doc_ids()
    scored = _scored(view, p.ranked, p.allow, p.deny)
    if scored is not None:
        return scored.docnums.tolist()
    return view.searcher.docs_for_query(p.query)


def count(view: IndexView, p: Plan) -> int:
    """How many articles match, without ordering them."""
    if p.every:
        return view.searcher.doc_count()
    scored = _scored(view, p.ranked, p.allow, p.deny)
    return len(scored) if scored is not None else sum(1 for _ in view.searcher.docs_for_query(p.query))


def matches(view: IndexView, p: Plan, article_id: str) -> bool:
    """Whether one article matches the plan: Whoosh skips each word's postings to it."""
    if p.every:
        return view.searcher.document_number(id=article_id) is not None
    return not view.searcher.search(wq.And([p.query, wq.Term("id", article_id)]), limit=1).is_empty()


def matches_any(view: IndexView, p: Plan) -> bool:
    """Whether the plan finds an article. Whoosh stops at the first match, but walks a NOT
    one article at a time (4.7 s at 345k articles for `iran NOT stock`): those are counted
    by the numpy ranker instead."""
    if _has_not(p.query):
        scored = _scored(view, p.ranked, p.allow, p.deny)
        if scored is not None:
            return len(scored) > 0
    return next(iter(view.searcher.docs_for_query(p.query)), None) is not None


def suggest(view: IndexView, parser, p: Plan, library=None) -> str | None:
    """Did-you-mean: the query with unknown words corrected, if that finds anything."""
    if p.parsed is None or not p.text:
        return None
    suggestion = corrected_query(view.lexicons, view.reader, p.parsed, p.text)
    if not suggestion or suggestion.strip() == p.text.strip():
        return None
    try:
        corrected = plan(view, parser, suggestion, "relevance", library)
    except QueryError:
        return None
    return suggestion if matches_any(view, corrected) else None


def in_date_order(view: IndexView, q: wq.Query, split: tuple | None = None,
                  limit: int | None = None) -> tuple[list[int], int]:
    """The first `limit` documents matching `q` newest first (all for None), and how many
    match. `is:starred` and `is:unread` alone are answered from the library's document
    numbers: walking Whoosh's matchers over the 330,000 unread articles of a large index
    took 0.25 s."""
    order = view.date_order()
    negate = isinstance(q, wq.Not) and isinstance(q.query, ArticleSet)
    target = q.query if negate else q
    if isinstance(target, ArticleSet):
        chosen = _state_docnums(view, target)
        found = [d for d in order if (d in chosen) != negate]
        return found[:limit] if limit is not None else found, len(found)
    ranked, allow, deny = split or _split_state(view, q)
    scored = _scored(view, ranked, allow, deny)
    if scored is not None:
        import numpy as np  # loaded by the ranker already

        # Each match's place in the date order: a day's 1,000 matches are put in order
        # without walking the 345,000 places (4 ms).
        docnums = scored.docnums
        places = view.date_places()[docnums]
        if limit is not None and len(docnums) > limit:
            first = np.argpartition(places, limit)[:limit]
            return docnums[first[np.argsort(places[first])]].tolist(), len(docnums)
        return docnums[np.argsort(places)].tolist(), len(docnums)
    matched = set(view.searcher.docs_for_query(q))
    found = [d for d in order if d in matched]
    return found[:limit] if limit is not None else found, len(found)


def positive_terms(q: wq.Query):
    """(field, word) of the terms a query looks for, leaving out those it excludes (NOT)."""
    if isinstance(q, (wq.Not, wq.AndNot)):
        yield from () if isinstance(q, wq.Not) else positive_terms(q.a)
        return
    if q.is_leaf():
        if isinstance(q, wq.Term):
            yield q.field(), q.text
        elif isinstance(q, wq.Phrase):
            for word in q.words:
                yield q.field(), word
        return
    for child in q.children():
        yield from positive_terms(child)


# -- rewriting ----------------------------------------------------------------------------

def with_entity_variants(view: IndexView, q: wq.Query) -> wq.Query:
    """`person:soliemani` also finds articles indexed before that spelling was seen: an
    entity term matches the canonical names of every entity it is a variant of."""
    registry = view.registry

    def expand(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Term, wq.Phrase)) and node.field() in KINDS:
            words = [node.text] if isinstance(node, wq.Term) else list(node.words)
            found = {registry.resolve(k) for k in registry.keys_for(node.field(), " ".join(words))}
            alternatives = [node]
            # Articles indexed under a key the registry later took into a canonical one
            # carry the old key's words, in the field of the old key's kind (a "person"
            # Glasgow the corpus decided is the place).
            keys = found.union(*(registry.merged_into(key) for key in found))
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


def asked_entities(view: IndexView, q: wq.Query) -> frozenset[str]:
    """The registry keys of the entities a query names (`person:blair`): each row of the
    list says how often its article names them, and n/N in the reader walk their mentions."""
    registry = view.registry
    wanted: set[str] = set()
    for leaf in q.leaves():
        if isinstance(leaf, (wq.Term, wq.Phrase)) and leaf.field() in KINDS:
            words = leaf.text if isinstance(leaf, wq.Term) else " ".join(leaf.words)
            wanted |= {registry.resolve(k) for k in registry.keys_for(leaf.field(), words)}
            wanted.add(registry.resolve(make_key(leaf.field(), words)))
    return frozenset(wanted)


# -- evaluating ---------------------------------------------------------------------------

def _scored(view: IndexView, q: wq.Query, allow: set[int] | None, deny: set[int] | None,
            keep_positions: bool = False):
    """Every match of q scored at once (index/fastrank.py), or None when only Whoosh can
    run q (open ranges, phrases with a slop, library states not split off)."""
    scored = view.ranker.score_all(q, keep_positions)
    if scored is not None and (allow is not None or deny):
        scored = scored.keep(allow, deny)
    return scored


def _whoosh_search(view: IndexView, p: Plan, limit: int | None):
    s = view.searcher
    if limit is None:
        return s.search(p.ranked, limit=None, filter=p.allow, mask=p.deny)
    # Whoosh's block-quality skipping and matcher replacement find the top hits sooner but
    # drop documents that cannot rank, so its len() ran the whole query a second time.
    # Visiting every match once, scoring and counting, is cheaper (replace=0 too:
    # replacement alone undercounted, 120 of 288 for "film" on BBC).
    collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    if p.allow is not None or p.deny is not None:
        collector = collectors.FilterCollector(collector, allow=p.allow, restrict=p.deny)
    s.search_with_collector(p.ranked, collector)
    return collector.results()


def _state_docnums(view: IndexView, article_set: ArticleSet) -> set[int]:
    return {offset + d for leaf, offset in view.leaves() for d in view.docnums.docnums(leaf, article_set.ids)}


def _split_state(view: IndexView, q: wq.Query) -> tuple[wq.Query, set[int] | None, set[int] | None]:
    """`oil is:unread` as the words to rank and the documents to keep or drop.

    Whoosh would intersect the words' matcher with an inverse matcher over every document,
    scoring as it goes (2-3x the words alone); a filter on the ranked words costs a set
    lookup per match. Returns (q, None, None) when there is nothing to split.
    """
    if not isinstance(q, wq.And):
        return q, None, None
    rest, allow, deny = [], None, set()
    for child in q.subqueries:
        if isinstance(child, ArticleSet):
            docnums = _state_docnums(view, child)
            allow = docnums if allow is None else allow & docnums
        elif isinstance(child, wq.Not) and isinstance(child.query, ArticleSet):
            deny |= _state_docnums(view, child.query)
        else:
            rest.append(child)
    if not rest:
        return q, None, None
    if allow is not None and not allow:
        # Nothing is in the state asked for (an empty allow set would read as "no filter").
        return wq.NullQuery, None, None
    return (rest[0] if len(rest) == 1 else wq.And(rest)), allow, deny or None


def _mentions_dates(q: wq.Query) -> bool:
    return any(leaf.field() in _DATE_FIELDS for leaf in q.leaves() if hasattr(leaf, "field"))


def _ranks_nothing(q: wq.Query) -> bool:
    """A query made only of library states (is:starred, tag:x), dates (date:2005-03-17) and
    exclusions (NOT oil): every article it finds scores the same, so they are listed newest
    first."""
    if all(isinstance(leaf, ArticleSet) or _is_date(leaf) for leaf in q.leaves()):
        return True
    if isinstance(q, wq.And):
        return all(_ranks_nothing(child) for child in q.subqueries)
    return isinstance(q, wq.Not)


def _is_date(leaf: wq.Query) -> bool:
    return getattr(leaf, "fieldname", None) in _DATE_FIELDS


def _numpy_loaded() -> bool:
    return "numpy" in sys.modules


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
