"""Scoring every match of a query at once, with numpy.

Whoosh scores match by match in Python, about 4 µs a match: the reader's list for
"interest rate" (13,872 matches at 345k articles) took 190 ms, "said" (246,960) over a
second. Queries made of words and phrases joined by AND, OR and NOT, fields and constant-score
pattern expansions, which is what a reader types, are scored here instead: each word's postings are
read into arrays one segment at a time and BM25F is computed for all matches in one go, with
Whoosh's own statistics and formula, so scores and order are Whoosh's
(tests/test_fastrank.py compares them). Any other query (phrases, ranges, library states)
(ranges, phrases with a slop, library states) gets None and is left to Whoosh.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import long_to_datetime

from .whoosh_internals import field_b, length_bytes, numeric_column, posting_blocks, term_matcher

_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
KEPT_FIELD = "body"  # whose positions are kept for snippets
_NOT_WEIGHT = 1.0  # a NOT's score in Whoosh (its InverseMatcher's weight), added inside an AND


class Unsupported(Exception):
    """Met while scoring: a part of the query only Whoosh can run (or explain)."""


@dataclass(frozen=True)
class Scored:
    """Matching documents (ascending document numbers) and their scores."""

    docnums: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.docnums)

    def ranked(self, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, scores) best first, at most `limit`; equal scores in document
        order, as Whoosh orders them."""
        docnums, scores = self.docnums, self.scores
        if limit is not None and len(scores) > 4 * limit:
            # Only what can make the top `limit`: everything scoring at least the limit-th best.
            cutoff = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= cutoff
            docnums, scores = docnums[keep], scores[keep]
        order = np.lexsort((docnums, -scores))
        if limit is not None:
            order = order[:limit]
        return docnums[order], scores[order]

    def keep(self, allow: set[int] | None, deny: set[int] | None) -> "Scored":
        """Only the documents in `allow` (when given) and not in `deny`: library states."""
        mask = np.ones(len(self.docnums), dtype=bool)
        if allow is not None:
            mask &= np.isin(self.docnums, np.fromiter(allow, dtype=np.int64, count=len(allow)))
        if deny:
            mask &= ~np.isin(self.docnums, np.fromiter(deny, dtype=np.int64, count=len(deny)))
        return Scored(self.docnums[mask], self.scores[mask])


def supported(q: wq.Query) -> bool:
    """Whether score_all can run this query (else Whoosh must)."""
    kind = type(q)
    if kind is wq.Term:
        return True
    if kind is wq.Phrase:
        return q.slop == 1 and bool(q.words)  # Whoosh's default: the words next to each other
    if kind is wq.ConstantScoreQuery:
        return supported(q.child)
    if kind is wq.AndNot:
        return supported(q.a) and supported(q.b)
    if kind is wq.Or:
        return not q.scale and all(supported(c) for c in q.subqueries)
    if kind is wq.And:
        return bool(q.subqueries) and all(supported(c) for c in q.subqueries)
    if kind is wq.Not:
        return supported(q.query)
    if kind is wq.DateRange or kind is wq.NumericRange:
        return q.field() == "date" and q.constantscore
    return q is wq.NullQuery


class Ranker:
    """Scores queries against one searcher. Field lengths are read once per segment."""

    def __init__(self, searcher):
        self._searcher = searcher
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise TypeError("the numpy ranker implements BM25F only")
        self._weighting = weighting
        reader = searcher.reader()
        if reader.is_atomic():
            self._leaves = [(reader, 0)]
        else:
            self._leaves = list(reader.leaf_readers())
        self._lengths: dict[tuple[int, str], np.ndarray] = {}
        self._deleted: dict[int, np.ndarray | None] = {}
        self._days: dict[int, np.ndarray] = {}  # each segment's sortdate column (YYYYMMDD, 0: undated)
        self._by_day: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # (days sorted, their documents)
        self._offsets = np.array([offset for _, offset in self._leaves], dtype=np.int64)
        # With keep_positions, the body words' positions the query read, so its snippets
        # need no second pass over the postings (until forget_positions()).
        self._keep_positions = False
        self._kept: dict[tuple[int, bytes], tuple[np.ndarray, list, np.ndarray | None]] = {}

    def score_all(self, q: wq.Query, keep_positions: bool = False) -> Scored | None:
        """Every document matching q with its score, or None if q is not a supported shape."""
        if not supported(q):
            return None
        self._kept = {}
        self._keep_positions = keep_positions
        parts_ids, parts_scores = [], []
        for index, (leaf, offset) in enumerate(self._leaves):
            try:
                ids, scores = self._evaluate(q, index, leaf)
            except Unsupported:
                return None
            if len(ids):
                parts_ids.append(ids + offset)
                parts_scores.append(scores)
        if not parts_ids:
            return Scored(_EMPTY_IDS, _EMPTY_SCORES)
        return Scored(np.concatenate(parts_ids), np.concatenate(parts_scores))

    # -- one segment ------------------------------------------------------------------
    # `within`: the documents an AND still wants (ascending), or None for all. Every
    # document of `within` that matches is returned with its exact score; documents outside
    # it may be left out or scored in part, and the AND that asked drops them. A word's
    # posting blocks holding none of `within` are skipped undecoded: "oil AND kuwait"
    # decodes oil's few blocks where Kuwait is, not all of them.
    def _evaluate(self, q: wq.Query, index: int, leaf, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        kind = type(q)
        if kind is wq.Term:
            ids, scores = self._term(q, index, leaf, within)
        elif kind is wq.Phrase:
            ids, scores = self._phrase(q, index, leaf, within)
        elif kind is wq.ConstantScoreQuery:
            ids, _ = self._evaluate(q.child, index, leaf, within)
            return ids, np.full(len(ids), float(q.score))
        elif kind is wq.AndNot:
            ids, scores = self._evaluate(q.a, index, leaf, within)
            if len(ids):
                gone, _ = self._evaluate(q.b, index, leaf, ids)
                keep = ~np.isin(ids, gone, assume_unique=True)
                ids, scores = ids[keep], scores[keep]
        elif kind is wq.Or:
            ids, scores = _union([self._evaluate(child, index, leaf, within) for child in q.subqueries])
        elif kind is wq.And:
            ids, scores = self._and(q, index, leaf, within)
        elif kind is wq.Not:
            # Whoosh's InverseMatcher: every live article the query does not match, each
            # scored 1.0 whatever the boost.
            ids = self._live_of(index, leaf, within)
            gone, _ = self._evaluate(q.query, index, leaf, ids)
            ids = ids[~np.isin(ids, gone, assume_unique=True)]
            return ids, np.full(len(ids), _NOT_WEIGHT)
        elif kind is wq.DateRange or kind is wq.NumericRange:
            # A day or a range of days (whole months and years are terms already): read from
            # the day column, a constant score as Whoosh gives (it walked dozens of trie terms).
            ids = self._in_days(q, index, leaf, within)
            return ids, np.full(len(ids), float(q.boost))
        else:  # NullQuery
            return _EMPTY_IDS, _EMPTY_SCORES
        if q.boost != 1.0 and kind is not wq.ConstantScoreQuery:
            scores = scores * q.boost
        return ids, scores

    def _and(self, q: wq.And, index: int, leaf, within: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The rarest part first, each next part read only where the ones before matched;
        the scores are then summed in the query's order, as Whoosh sums them."""
        positive = [c for c in q.subqueries if type(c) is not wq.Not]
        negative = [c.query for c in q.subqueries if type(c) is wq.Not]
        if positive:
            ids, found = within, {}
            for n in sorted(range(len(positive)), key=lambda n: self._estimate(positive[n], leaf)):
                found[n] = self._evaluate(positive[n], index, leaf, ids)
                ids = found[n][0] if ids is None else np.intersect1d(ids, found[n][0], assume_unique=True)
                if not len(ids):
                    return _EMPTY_IDS, _EMPTY_SCORES
            scores = None
            for n in range(len(positive)):
                part_ids, part_scores = found[n]
                part = part_scores[np.searchsorted(part_ids, ids)]
                scores = part if scores is None else scores + part
        else:  # NOT a AND NOT b: what is left of every live article
            ids = self._live_of(index, leaf, within)
            scores = np.zeros(len(ids))
        for child in negative:
            if not len(ids):
                break
            gone, _ = self._evaluate(child, index, leaf, ids)
            keep = ~np.isin(ids, gone, assume_unique=True)
            ids, scores = ids[keep], scores[keep] + _NOT_WEIGHT
        return ids, scores

    def _estimate(self, q: wq.Query, leaf) -> int:
        """About how many documents of a segment q matches: which part of an AND to read first."""
        kind = type(q)
        if kind is wq.Term:
            if q.fieldname not in leaf.schema:
                return 0
            return leaf.doc_frequency(q.fieldname, leaf.schema[q.fieldname].to_bytes(q.text))
        if kind is wq.Phrase:
            return min((self._estimate(wq.Term(q.fieldname, w), leaf) for w in q.words), default=0)
        if kind is wq.ConstantScoreQuery:
            return self._estimate(q.child, leaf)
        if kind is wq.AndNot:
            return self._estimate(q.a, leaf)
        if kind is wq.Or:
            return sum(self._estimate(c, leaf) for c in q.subqueries)
        if kind is wq.And:
            return min((self._estimate(c, leaf) for c in q.subqueries), default=0)
        if q is wq.NullQuery:
            return 0
        return leaf.doc_count_all()  # NOT, dates: filtered cheaply once there are candidates

    def _term(self, q: wq.Term, index: int, leaf, within: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        field = q.fieldname
        if field not in leaf.schema:
            return _EMPTY_IDS, _EMPTY_SCORES
        btext = leaf.schema[field].to_bytes(q.text)
        ids, weights, _ = self._postings(index, leaf, field, btext, within,
                                         values=self._keep_positions and field == KEPT_FIELD)
        return ids, self._score(index, leaf, field, btext, ids, weights)

    def _phrase(self, q: wq.Phrase, index: int, leaf, within: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Whoosh's phrase (SpanNear2, slop 1, ordered): the documents where word k stands at
        position p + k for some p, scored as the sum of the words' scores."""
        field = q.fieldname
        fieldobj = leaf.schema[field] if field in leaf.schema else None
        if fieldobj is None or not fieldobj.format or not fieldobj.format.supports("positions"):
            raise Unsupported(field)  # Whoosh says what is wrong
        words = [fieldobj.to_bytes(w) for w in q.words]
        postings, ids = {}, within
        for k in sorted(range(len(words)), key=lambda k: leaf.doc_frequency(field, words[k])):
            postings[k] = self._postings(index, leaf, field, words[k], ids, values=True)
            ids = postings[k][0] if ids is None else np.intersect1d(ids, postings[k][0], assume_unique=True)
            if not len(ids):
                return _EMPTY_IDS, _EMPTY_SCORES
        scores = np.zeros(len(ids))
        places = []
        for k, word in enumerate(words):
            word_ids, weights, _ = postings[k]
            at = np.searchsorted(word_ids, ids)
            scores += self._score(index, leaf, field, word, word_ids, weights)[at]
            places.append(at.tolist())
        decode = fieldobj.format.decode_positions
        values = [postings[k][2] for k in range(len(words))]
        keep = np.zeros(len(ids), dtype=bool)
        for n in range(len(ids)):
            starts = set(decode(values[0][places[0][n]]))
            for k in range(1, len(words)):
                starts.intersection_update(p - k for p in decode(values[k][places[k][n]]))
                if not starts:
                    break
            keep[n] = bool(starts)
        return ids[keep], scores[keep]

    def _postings(self, index: int, leaf, field: str, btext: bytes, within: np.ndarray | None, values: bool = False):
        """(ids, weights, values or None) of a word in one segment, without deleted documents:
        every posting, or (with `within`) those of the blocks holding any of `within`."""
        if (field, btext) not in leaf:
            return _EMPTY_IDS, _EMPTY_SCORES, []
        ids, weights, vals = _postings(term_matcher(leaf, field, btext), values, within)
        deleted = self._deleted_of(index, leaf)
        if deleted is not None and len(ids):
            keep = ~np.isin(ids, deleted, assume_unique=True)
            ids, weights = ids[keep], weights[keep]
            if values:
                vals = [v for v, kept in zip(vals, keep.tolist()) if kept]
        if values and self._keep_positions and field == KEPT_FIELD:
            # Read in part, they answer only for `within`; never in place of a whole reading.
            if within is None or self._kept.get((index, btext), (None, None, True))[2] is not None:
                self._kept[(index, btext)] = (ids, vals, within)
        return ids, weights, vals

    def forget_positions(self) -> None:
        """Let go of kept positions ("said" at 345k: 250,000 values, ~20 MB)."""
        self._kept = {}

    def characters(self, word: str, docnum: int) -> list | None:
        """(position, start, end) of each occurrence of a body word in a document, from the
        postings the last query read; None when it did not read that word."""
        index = int(np.searchsorted(self._offsets, docnum, side="right")) - 1
        leaf, offset = self._leaves[index]
        kept = self._kept.get((index, leaf.schema[KEPT_FIELD].to_bytes(word)))
        if kept is None:
            return None
        ids, values, within = kept
        local = docnum - offset
        if within is not None:
            w = int(np.searchsorted(within, local))
            if w == len(within) or within[w] != local:
                return None  # not among the documents it was read for
        at = int(np.searchsorted(ids, local))
        if at == len(ids) or ids[at] != local:
            return []
        return leaf.schema[KEPT_FIELD].format.decode_characters(values[at])

    def _score(self, index: int, leaf, field: str, btext: bytes, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        if not len(ids):
            return _EMPTY_SCORES
        if not leaf.schema[field].scorable:
            return weights  # Whoosh's WeightScorer: the posting's weight
        s = self._searcher
        idf = s.idf(field, btext)
        avgfl = s.avg_field_length(field) or 1
        B = field_b(self._weighting, field)
        K1 = self._weighting.K1
        fl = self._lengths_of(index, leaf, field)[ids]
        # whoosh.scoring.bm25, term for term, so each score is the one Whoosh computes.
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))

    def _lengths_of(self, index: int, leaf, field: str) -> np.ndarray:
        key = (index, field)
        lengths = self._lengths.get(key)
        if lengths is None:
            count = leaf.doc_count_all()
            codes = np.zeros(count, dtype=np.uint8)
            stored = length_bytes(leaf, field)
            if stored is not None:
                raw = np.frombuffer(stored, dtype=np.uint8)
                codes[: len(raw)] = raw[:count]
            lengths = _LENGTH_OF_BYTE[codes]
            self._lengths[key] = lengths
        return lengths

    def _in_days(self, q: wq.NumericRange, index: int, leaf, within: np.ndarray | None) -> np.ndarray:
        """The live documents of a segment whose date falls in the range. Every article's date
        is a midnight (index/ingest.py), so a range of instants is a range of whole days."""
        if index not in self._days:
            self._days[index] = np.asarray(numeric_column(leaf, "sortdate"), dtype=np.int64)
        days = self._days[index]
        first, last = day_bounds(q)
        if within is not None:  # only the candidates' days
            their_days = days[within]
            return within[(their_days >= first) & (their_days <= last)]
        if index not in self._by_day:  # sorted once: a day is then found, not scanned for
            order = np.argsort(days, kind="stable")
            self._by_day[index] = (days[order], order.astype(np.int64))
        sorted_days, their_ids = self._by_day[index]
        lo, hi = np.searchsorted(sorted_days, first, "left"), np.searchsorted(sorted_days, last, "right")
        ids = np.sort(their_ids[lo:hi])
        deleted = self._deleted_of(index, leaf)
        return ids if deleted is None else ids[~np.isin(ids, deleted, assume_unique=True)]

    def _live_of(self, index: int, leaf, within: np.ndarray | None = None) -> np.ndarray:
        """Every document number of a segment (or of `within`) that is not deleted."""
        ids = np.arange(leaf.doc_count_all(), dtype=np.int64) if within is None else within
        deleted = self._deleted_of(index, leaf)
        return ids if deleted is None else ids[~np.isin(ids, deleted, assume_unique=True)]

    def _deleted_of(self, index: int, leaf) -> np.ndarray | None:
        if index not in self._deleted:
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
            self._deleted[index] = np.array(sorted(deleted), dtype=np.int64) if deleted else None
        return self._deleted[index]


def day_bounds(q: wq.NumericRange) -> tuple[int, int]:
    """The first and last day (YYYYMMDD) whose midnight falls in a date range; an open end
    stops at the first or last day there is (never 0: undated articles match no range)."""
    one_day = dt.timedelta(days=1)
    first, last = 1, 99_991_231
    if q.start is not None:
        start = q.start if isinstance(q.start, dt.datetime) else long_to_datetime(q.start)
        day = start.date() if start.time() == dt.time() and not q.startexcl else start.date() + one_day
        first = int(day.strftime("%Y%m%d")) if day.year > 0 else 1
    if q.end is not None:
        end = q.end if isinstance(q.end, dt.datetime) else long_to_datetime(q.end)
        day = end.date() - one_day if end.time() == dt.time() and q.endexcl else end.date()
        last = int(day.strftime("%Y%m%d"))
    return first, last


def _union(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Every document of the parts, with the sum of its scores (Whoosh's OR)."""
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return _EMPTY_IDS, _EMPTY_SCORES
    if len(parts) == 1:
        return parts[0]
    # One sort of all the parts' documents, not a union per part (np.union1d hashes each time).
    ids = np.concatenate([part[0] for part in parts])
    scores = np.concatenate([part[1] for part in parts])
    order = np.argsort(ids, kind="stable")
    ids, scores = ids[order], scores[order]
    starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    return ids[starts], np.add.reduceat(scores, starts)


def _postings(matcher, values: bool = False, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list]:
    """A word's document numbers, weights and (if asked) encoded positions in one segment,
    read block by block: with `within`, only the blocks where one of those documents falls."""
    blocks = posting_blocks(matcher)
    if blocks is not None:
        ids_parts, weight_parts, value_parts = [], [], []
        wanted = within.tolist() if within is not None else None
        next_wanted = 0  # the first of `wanted` past the blocks already passed
        for last_id, read in blocks:
            if wanted is not None:
                if next_wanted == len(wanted):
                    break
                if wanted[next_wanted] > last_id:
                    continue  # none of them in this block
                next_wanted = bisect.bisect_right(wanted, last_id, next_wanted)
            block_ids, block_weights, block_values, count = read()
            ids_parts.append(np.cumsum(np.array(block_ids, dtype=np.int64)))  # stored as gaps
            if block_weights is None:
                weight_parts.append(np.ones(count))
            elif isinstance(block_weights, float):
                weight_parts.append(np.full(count, block_weights))
            else:
                weight_parts.append(np.array(block_weights, dtype=np.float64))
            if values:
                value_parts.extend(block_values)
        if not ids_parts:
            return _EMPTY_IDS, _EMPTY_SCORES, []
        return np.concatenate(ids_parts), np.concatenate(weight_parts), value_parts
    ids, weights, vals = [], [], []
    while matcher.is_active():  # postings kept inside the term's entry (a rare word)
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            vals.append(matcher.value())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), vals
