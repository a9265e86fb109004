"""Near-miss words for fuzzy terms and did-you-mean, found in C rather than in Python.

Whoosh finds the words within an edit distance by computing Damerau-Levenshtein in Python
against every word sharing the prefix: 0.7 s for one suggestion on Reuters-21578. Here each
field's words are read once per index generation into a sorted list and rapidfuzz compares
them (about 1 ms for a one-letter prefix, 14 ms for all 51,000 words).
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from array import array
from pathlib import Path

from whoosh import query as wq
from whoosh.fields import TEXT

from .whoosh_internals import segment_words

MAX_SUGGESTION_DISTANCE = 2
# The fields whose words patterns, fuzzy terms and did-you-mean read.
PATTERN_FIELDS = ("body", "title", "spell_body", "spell_title")


def segment_name(leaf) -> str | None:
    """A segment reader's segment id (never reused), or None (an empty index's reader)."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.segment_id() if segment is not None else None


def _read_segment(leaf, field: str) -> tuple[list[bytes], array]:
    """A segment's words of `field` with the number of articles holding each, read from its
    term table in one pass (Whoosh's lexicon() and doc_frequency() per word cost 20x more)."""
    read = segment_words(leaf, field)
    if read is not None:
        return read
    words, counts = [], array("I")  # not Whoosh's W3 codec: its public API
    for word, info in leaf.iter_field(field):
        words.append(word)
        counts.append(info.doc_frequency())
    return words, counts


def leaves_of(reader) -> list:
    return [reader] if reader.is_atomic() else [leaf for leaf, _ in reader.leaf_readers()]


def forget_old_segments(folder: Path, leaves) -> None:
    """Delete the files a cache folder keeps per segment (named `SEGMENT.anything`) for
    segments merged away: their names never come back. Partial files of a killed writer
    go with their segment."""
    live = {segment_name(leaf) for leaf in leaves}
    try:
        paths = list(folder.iterdir())
    except OSError:
        return
    for path in paths:
        if path.name.split(".", 1)[0] not in live:
            path.unlink(missing_ok=True)


class Lexicons:
    """The words of each field of one reader and how many articles hold each, loaded when
    first asked for.

    With a `cache` folder, each segment's words and frequencies are kept there in files once
    read: segments never change, and reading a field's words through Whoosh costs 0.1-0.2 s per
    segment (1.5 s for the first pattern or fuzzy term at 345k articles, on a busy machine)."""

    def __init__(self, reader, cache: Path | None = None):
        self._reader = reader
        self._cache = cache
        self._words: dict[str, list[str]] = {}
        self._frequencies: dict[str, array] = {}
        self._lock = threading.Lock()

    def words(self, field: str) -> list[str]:
        """Every word of `field`, sorted."""
        return self._load(field)[0]

    def frequency(self, field: str, word: str) -> int:
        """How many articles hold `word` in `field` (deleted ones too, as Whoosh counts).
        A lookup in the loaded list: Whoosh's doc_frequency costs 40 us per segment, and
        expanding `a* b* c* d* e*` asked it 9,000 times (5 s at 345k articles)."""
        words, frequencies = self._load(field)
        at = bisect.bisect_left(words, word)
        return frequencies[at] if at < len(words) and words[at] == word else 0

    def _load(self, field: str) -> tuple[list[str], array]:
        with self._lock:
            words = self._words.get(field)
            if words is None:
                totals: dict[bytes, int] = {}
                if field in self._reader.schema:
                    # Each segment's words, summed in a dict: merging the segments' sorted term
                    # lists the way Whoosh's MultiReader does takes 50% longer (Python heap merge).
                    for leaf in leaves_of(self._reader):
                        segment_words, counts = self._segment_words(leaf, field)
                        get = totals.get
                        for word, count in zip(segment_words, counts):
                            totals[word] = get(word, 0) + count
                # UTF-8 byte order is code point order, so sorted bytes decode sorted.
                ordered = sorted(totals)
                words = [w.decode("utf-8", "replace") for w in ordered]
                self._words[field] = words
                self._frequencies[field] = array("q", (totals[w] for w in ordered))
            return words, self._frequencies[field]

    def _segment_words(self, leaf, field: str) -> tuple[list[bytes], array]:
        """One segment's words of `field` and their frequencies: from the cache folder, or
        read and kept there."""
        name = segment_name(leaf)
        if self._cache is None or name is None:
            return _read_segment(leaf, field)
        path = self._cache / f"{name}.{field}.words"
        counts_path = path.with_suffix(".counts")
        try:
            data = path.read_bytes()
            words = data.split(b"\n") if data else []
            counts = array("I")
            counts.frombytes(counts_path.read_bytes())
            if len(counts) == len(words):
                return words, counts
        except (OSError, ValueError):
            pass  # not kept yet, kept by an older version (no counts), or unreadable: read below
        words, counts = _read_segment(leaf, field)
        if any(b"\n" in w for w in words):
            return words, counts  # cannot be kept one per line; rare enough to read each time
        try:
            self._cache.mkdir(exist_ok=True)
            # Counts first, then words: each whole or not at all, and a words file whose counts
            # do not match in length is read again.
            for target, data in ((counts_path, counts.tobytes()), (path, b"\n".join(words))):
                partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.partial")
                partial.write_bytes(data)
                os.replace(partial, target)
            forget_old_segments(self._cache, leaves_of(self._reader))
        except OSError:
            pass  # a read-only home: read from the index every time, as before
        return words, counts

    def within(self, field: str, text: str, maxdist: int, prefix: int = 0) -> list[tuple[str, int]]:
        """(word, distance) for every word of `field` within `maxdist` edits of `text` that
        shares its first `prefix` characters, closest first; `text` itself is left out."""
        words = self.words(field)
        lo, hi = 0, len(words)
        if prefix:
            start = text[:prefix]
            lo = bisect.bisect_left(words, start)
            hi = bisect.bisect_left(words, start + "\U0010ffff", lo)
        if lo >= hi:
            return []
        from rapidfuzz import process  # here: 12 ms of start-up for the fuzzy terms alone
        from rapidfuzz.distance import DamerauLevenshtein

        found = process.extract(text, words[lo:hi], scorer=DamerauLevenshtein.distance,
                                score_cutoff=maxdist, limit=None)
        return sorted(((w, int(d)) for w, d, _ in found if w != text), key=lambda wd: (wd[1], wd[0]))

    def matching(self, field: str, pattern: str, wildcard: bool, limit: int) -> list[str]:
        """Up to `limit` words of `field` starting with `pattern` (a prefix), or matching it
        as a wildcard (* any characters, ? one), from the cached word list."""
        words = self.words(field)
        head = re.split(r"[*?]", pattern, maxsplit=1)[0] if wildcard else pattern
        lo = bisect.bisect_left(words, head)
        hi = bisect.bisect_left(words, head + "\U0010ffff", lo) if head else len(words)
        if not wildcard:
            return words[lo:min(hi, lo + limit)]
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z",
                           re.DOTALL)
        found = []
        for word in words[lo:hi]:
            if regex.match(word):
                found.append(word)
                if len(found) >= limit:
                    break
        return found

    def fuzzy_terms(self, field: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The indexed terms a fuzzy `text~` stands for, closest first.

        Whoosh's parser stems the fuzzy word and compares it with the field's stems only, so
        `inflaton~` missed "inflation" (stored as "inflat", two edits away). Fields indexed as
        stems are also matched through their unstemmed spelling words, then stemmed.
        """
        reader = self._reader
        fieldobj = reader.schema[field]
        near = [(text, 0)] + self.within(field, text, maxdist, prefix)
        spelling = fieldobj.spelling_fieldname(field)
        if spelling != field:
            for word, dist in self.within(spelling, text, maxdist, prefix):
                near.extend((term, dist) for term in fieldobj.process_text(word, mode="query"))
        terms: list[str] = []
        for term, _ in sorted(near, key=lambda td: td[1]):
            if term not in terms and (field, term) in reader:
                terms.append(term)
        return terms


def corrected_query(lexicons: Lexicons, reader, parsed, text: str) -> str | None:
    """`text` with each word the index lacks replaced by the closest common word, or None.

    Distances are measured on the words as typed ("missle" -> "missile", one edit), not on
    their stems ("missl"), against the unstemmed spelling words of the word's fields.
    """
    best: dict[tuple[int, int], tuple[int, float, str]] = {}  # span -> (distance, -frequency, word)
    # Words and phrases only: patterns, fuzzy terms and ranges are not misspellings (and
    # Whoosh's tokens() fails on a range: it has no text).
    tokens = (token for leaf in parsed.leaves() if isinstance(leaf, (wq.Term, wq.Phrase)) for token in leaf.tokens())
    for token in tokens:
        field = token.fieldname
        if field not in reader.schema or not isinstance(reader.schema[field], TEXT):
            continue
        if (field, token.text) in reader or token.startchar is None or token.endchar is None:
            continue
        typed = text[token.startchar:token.endchar]
        if not typed.isalpha():
            continue
        spelling = reader.schema[field].spelling_fieldname(field)
        for word, dist in lexicons.within(spelling, typed.lower(), MAX_SUGGESTION_DISTANCE)[:50]:
            candidate = (dist, -lexicons.frequency(spelling, word), word)
            span = (token.startchar, token.endchar)
            if span not in best or candidate < best[span]:
                best[span] = candidate
    if not best:
        return None
    out = text
    for (start, end), (_, _, word) in sorted(best.items(), reverse=True):
        out = out[:start] + word + out[end:]
    return out
