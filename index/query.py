"""The query language: Whoosh's parser plus checks that turn silent failures into messages.

Whoosh quietly returns nothing for unbalanced parentheses or quotes, unknown fields and
bad dates; a reader needs to be told instead. Wildcards and fuzzy terms are bounded here so
no query can expand to the whole vocabulary.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import KEYWORD, TEXT
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.util.times import datetime_to_long, long_to_datetime

from .lexicon import Lexicons
from .library import STATE_FIELD_NAMES, STATE_WORDS
from .schema import ENTITY_FIELDS
from .whoosh_internals import pattern_words, schema_with_fields

DEFAULT_FIELDS = ("title", "body")
# What a user may type before a colon, and the field it means.
FIELD_ALIASES = {
    "title": "title",
    "body": "body",
    "text": "body",
    "author": "author",
    "authors": "author",
    "by": "author",
    "source": "source",
    "path": "path",
    "file": "path",
    "date": "date",
    "year": "year",
    "month": "month",
    "id": "id",
    **{kind: kind for kind in ENTITY_FIELDS},
    # The user's library (index/state_query.py): is:unread, is:starred, tag:x, has:note.
    **STATE_FIELD_NAMES,
}
MAX_FUZZY_DISTANCE = 2
MAX_EXPANSION = 64  # words a wildcard, prefix or fuzzy term may stand for
POSTINGS_BUDGET = 60_000  # documents the expanded words may match in all, shared by a query's patterns
MIN_BUDGET = 2_000  # each pattern may always read this many, however many a query has
MAX_CANDIDATES = 1024  # words looked at to find the most common ones
MAX_QUERY_CHARS = 2000

_FIELD_PREFIX = re.compile(r"(?<![\w\-.:/])([A-Za-z_]+):(?!//)")
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?$")


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong and how to fix it."""


def _check_balance(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError('unbalanced quote: a phrase needs a closing "')
    depth = 0
    in_quote = False
    for ch in text:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "(":
            depth += 1
        elif not in_quote and ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses: ')' without a matching '('")
    if depth > 0:
        raise QueryError("unbalanced parentheses: '(' is never closed")
    depth_limit = 50
    if text.count("(") > depth_limit:
        raise QueryError(f"too many parentheses (at most {depth_limit})")


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"', lambda m: " " * len(m.group(0)), text)


def _rewrite_fields(text: str) -> Rewrite:
    """Map field aliases to schema names; reject unknown fields with the list of known ones."""
    visible = _outside_quotes(text)
    replacements = []
    for m in _FIELD_PREFIX.finditer(visible):
        name = m.group(1).lower()
        rest = text[m.end():]
        bare = not rest or rest[0].isspace() or rest[0] == ")"
        if name not in FIELD_ALIASES:
            if bare:  # "Development: Iranian ..." pasted from a title: the colon is punctuation
                replacements.append((m.start(), m.end(), m.group(1) + " "))
                continue
            known = ", ".join(sorted({"title", "author", "source", "path", "date", "year",
                                      *STATE_WORDS, *ENTITY_FIELDS}))
            raise QueryError(f"unknown field '{m.group(1)}:' (fields: {known})")
        if bare:
            raise QueryError(f"'{m.group(0)}' needs a value, e.g. {name}:iran")
        replacements.append((m.start(), m.end(), FIELD_ALIASES[name] + ":"))
    return _rewritten(text, replacements)


def _date_values(text: str) -> list[str]:
    visible = _outside_quotes(text)
    values = []
    for m in re.finditer(r"\bdate:(\[[^\]]*\]?|[<>]=?\S+|\S+)", visible):
        values.append(m.group(1))
    return values


def _compact(pieces: list[int]) -> str:
    return "".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(pieces))


def _step(pieces: list[int], direction: int) -> list[int]:
    """The year, month or day after (1) or before (-1) the one given, at the same precision."""
    if len(pieces) == 1:
        return [pieces[0] + direction]
    if len(pieces) == 2:
        months = pieces[0] * 12 + pieces[1] - 1 + direction
        return [months // 12, months % 12 + 1]
    day = dt.date(*pieces) + dt.timedelta(days=direction)
    return [day.year, day.month, day.day]


def _normalise_date(value: str) -> str:
    """Rewrite a checked date value into a form Whoosh's date parser reads correctly.

    Whoosh reads `2014-11` inside a range or after > as the year 2014, and treats `>2019` as
    "2019 or later" and `<2015` as "2015 or earlier". Dates are passed without dashes, and
    strict comparisons become ranges from the next (or up to the previous) period.
    """
    def pieces(part: str) -> list[int]:
        return [int(p) for p in part.split("-")]

    if value.startswith("["):
        parts = [p.strip() for p in re.split(r"\s*\bto\b\s*", value.strip("[]"), flags=re.IGNORECASE)]
        if len(parts) != 2:
            return value
        lo, hi = (_compact(pieces(p)) if p else "" for p in parts)
        return f"[{lo} to {hi}]".replace("[ to", "[to").replace(" to ]", " to]")
    for op, direction, template in ((">=", 0, "[{} to]"), ("<=", 0, "[to {}]"), (">", 1, "[{} to]"), ("<", -1, "[to {}]")):
        if value.startswith(op):
            when = pieces(value[len(op):])
            return template.format(_compact(_step(when, direction) if direction else when))
    return value


def _rewrite_dates(text: str) -> Rewrite:
    visible = _outside_quotes(text)
    return _rewritten(text, [(m.start(1), m.end(1), _normalise_date(m.group(1)))
                             for m in re.finditer(r"\bdate:(\[[^\]]*\]|[<>]=?\S+)", visible)])


def _check_date_value(value: str) -> None:
    help_text = "use date:2017, date:2017-06, date:2017-06-21, date:[2014 to 2018] or date:>2019"
    raw = value.strip("[]<>=")
    parts = [p.strip() for p in re.split(r"\s*\bto\b\s*", raw, flags=re.IGNORECASE)] if value.startswith("[") else [raw]
    for part in parts:
        if part == "" and value.startswith("["):
            continue  # open-ended range: [2014 to]
        if not _DATE_VALUE.match(part):
            raise QueryError(f"cannot read the date '{part}': {help_text}")
        pieces = [int(p) for p in part.split("-")]
        try:
            dt.date(pieces[0], pieces[1] if len(pieces) > 1 else 1, pieces[2] if len(pieces) > 2 else 1)
        except ValueError:
            raise QueryError(f"'{part}' is not a real date: {help_text}") from None


def make_parser(schema) -> qparser.QueryParser:
    # The library's fields exist only for the parser: their terms become sets of articles.
    schema = schema_with_fields(schema, {name: KEYWORD(lowercase=True) for name in STATE_WORDS})
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(DateParserPlugin(basedate=dt.datetime.now()))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


def parse(parser: qparser.QueryParser, text: str) -> wq.Query:
    """Parse a user's query, or raise QueryError with a message fit to show them. Words'
    character positions (did-you-mean replaces them) are in `text` as given."""
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not text:
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    simple = _simple_query(parser, text)
    if simple is not None:
        return _calendar_terms(_typed_positions(simple, [_stripped(lead)]))
    _check_balance(text)
    fields = _rewrite_fields(text)
    for value in _date_values(fields.text):
        _check_date_value(value)
    dates = _rewrite_dates(fields.text)
    text = dates.text
    try:
        q = parser.parse(text)
    except Exception:  # Whoosh's parser fails in assorted ways on odd input; say what we can
        if re.search(r"(?:^|[\s(])[<>]=?", _outside_quotes(text)):
            raise QueryError("a comparison needs a field before it, e.g. date:>2019 or date:<=2015-06") from None
        raise QueryError("cannot understand the query (? shows the query syntax)") from None
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError("the query has no words to search for (only stop words or operators?)")
    return _calendar_terms(_bound(_typed_positions(q, [dates, fields, _stripped(lead)])))


@dataclass
class Rewrite:
    """A query's text after a rewrite, and where its unchanged stretches came from:
    (position in the new text, position in the old) at the start of each."""

    text: str
    anchors: list[tuple[int, int]]

    def old_position(self, position: int) -> int:
        new, old = self.anchors[bisect.bisect_right(self.anchors, (position, 1 << 62)) - 1]
        return old + position - new


def _stripped(lead: int) -> Rewrite:
    """The rewrite that took `lead` spaces off the front."""
    return Rewrite("", [(0, lead)])


def _rewritten(text: str, replacements: list[tuple[int, int, str]]) -> Rewrite:
    """`text` with each (start, end) span replaced, in order."""
    pieces, anchors, last, length = [], [(0, 0)], 0, 0
    for start, end, new in replacements:
        pieces.append(text[last:start])
        length += start - last
        pieces.append(new)
        length += len(new)
        last = end
        anchors.append((length, end))
    pieces.append(text[last:])
    return Rewrite("".join(pieces), anchors)


def _typed_positions(q: wq.Query, rewrites: list[Rewrite]) -> wq.Query:
    """Move the words' character positions from the text the parser read back to the text
    the user typed, through the rewrites (latest first)."""
    def typed(position):
        if position is None:
            return None
        for rewrite in rewrites:
            position = rewrite.old_position(position)
        return position

    for leaf in q.leaves():
        if getattr(leaf, "startchar", None) is not None:
            leaf.startchar, leaf.endchar = typed(leaf.startchar), typed(leaf.endchar)
        if getattr(leaf, "char_ranges", None):
            leaf.char_ranges = [(typed(a), typed(b)) for a, b in leaf.char_ranges]
    return q


# What most queries are: words, "phrases of words", title:word, a day or a range of days,
# side by side. Whoosh's parser takes ~1 ms over them (half a rare word's search, most of
# a day's); these are built here with the parser's own term and field methods instead, the
# same query objects (tests/test_query.py compares them), and anything else is parsed.
_SIMPLE_PIECE = re.compile(r"""\s*(?:
      "(?P<phrase>[^\W_]+(?:[ ][^\W_]+)*)"
    | date:(?P<day>\d{4}-\d\d-\d\d)
    | date:(?P<period>\d{4}(?:-\d\d)?)
    | date:\[(?P<first>\d{4}-\d\d-\d\d)[ ]to[ ](?P<last>\d{4}-\d\d-\d\d)\]
    | (?:(?P<field>title|body):)?(?P<word>[^\W_]+)
    )(?=\s|$)""", re.VERBOSE)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_ONE_DAY = dt.timedelta(days=1)


def _simple_query(parser: qparser.QueryParser, text: str) -> wq.Query | None:
    """The query Whoosh's parser makes of a simple query, or None for any other."""
    parts: list[wq.Query] = []
    at = 0
    while at < len(text):
        m = _SIMPLE_PIECE.match(text, at)
        if m is None:
            return None
        at = m.end()
        if m["word"] is not None:
            if m["word"] in _OPERATORS:
                return None
            fields = (m["field"],) if m["field"] else DEFAULT_FIELDS
            terms = [_simple_term(parser, field, m["word"], m.start("word"), m.end()) for field in fields]
            if None in terms:
                return None  # a stop word, or a word the analyzer splits: the parser decides
            parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
        elif m["phrase"] is not None:
            phrases = [_simple_phrase(parser, field, m["phrase"], m.start("phrase")) for field in DEFAULT_FIELDS]
            if None in phrases:
                return None
            parts.append(wq.Or(phrases))
        elif m["period"] is not None:  # a year or a month: the year's or month's term
            year, _, month = m["period"].partition("-")
            if int(year) < 1 or (month and not 1 <= int(month) <= 12):
                return None
            field, value = ("month", m["period"]) if month else ("year", year)
            parts.append(wq.ConstantScoreQuery(wq.Term(field, value), score=1.0))
        else:
            try:
                first = dt.datetime.strptime(m["day"] or m["first"], "%Y-%m-%d")
                last = dt.datetime.strptime(m["day"] or m["last"], "%Y-%m-%d")
            except ValueError:
                return None  # not a real day: the slow path says so
            if last < first:
                return None
            end = last + _ONE_DAY - dt.timedelta(microseconds=1)
            if m["day"]:  # the parser's shape for one day
                day = wq.NumericRange("date", datetime_to_long(first), datetime_to_long(end), constantscore=True)
                day.startchar, day.endchar = m.start("day"), m.end()
                parts.append(day)
            else:
                parts.append(wq.DateRange("date", first, end))
    if not parts:
        return None
    return (parts[0] if len(parts) == 1 else wq.And(parts)).normalize()


def _simple_term(parser, field: str, word: str, start: int, end: int) -> wq.Term | None:
    q = parser.term_query(field, word, parser.termclass)
    if type(q) is not parser.termclass:
        return None
    q.startchar, q.endchar = start, end
    return q


def _simple_phrase(parser, field: str, text: str, start: int) -> wq.Phrase | None:
    """As Whoosh's PhrasePlugin makes a phrase of one field."""
    words, char_ranges = [], []
    for token in parser.schema[field].tokenize(text, mode="query", chars=True):
        words.append(token.text)
        char_ranges.append((start + token.startchar, start + token.endchar))
    if not words:
        return None
    return parser.phraseclass(field, words, slop=1, boost=1.0, char_ranges=char_ranges)


MAX_CALENDAR_TERMS = 60


def _calendar_terms(q: wq.Query) -> wq.Query:
    """A date range made of whole months or years becomes those months' or years' terms.

    Whoosh matches a date range through dozens of numeric trie terms; `date:1987` is one term
    of the year field (`date:1987-03` one month term) and runs several times faster.
    Ranges that start or end inside a month, or are open, stay numeric ranges.
    """
    if isinstance(q, (wq.DateRange, wq.NumericRange)) and q.field() == "date":
        start, end = q.start, q.end
        if isinstance(start, int):
            start = long_to_datetime(start)
        if isinstance(end, int):
            end = long_to_datetime(end)
        if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime) or q.startexcl or q.endexcl:
            return q
        after = end + dt.timedelta(microseconds=1)
        if start != dt.datetime(start.year, start.month, 1) or after != dt.datetime(after.year, after.month, 1):
            return q
        terms: list[wq.Query] = []
        year, month = start.year, start.month
        while (year, month) < (after.year, after.month) and len(terms) <= MAX_CALENDAR_TERMS:
            if month == 1 and (year + 1, 1) <= (after.year, after.month):
                terms.append(wq.Term("year", f"{year:04d}"))
                year += 1
            else:
                terms.append(wq.Term("month", f"{year:04d}-{month:02d}"))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if not terms or len(terms) > MAX_CALENDAR_TERMS:
            return q
        # A date condition filters; it must not rank (a rare year would otherwise score high).
        return wq.ConstantScoreQuery(terms[0] if len(terms) == 1 else wq.Or(terms), score=q.boost)
    if q.is_leaf():
        return q
    return q.apply(_calendar_terms)


def _bound(q: wq.Query) -> wq.Query:
    """Cap fuzzy distances and require a one-letter prefix so fuzzy terms stay fast."""
    if isinstance(q, wq.FuzzyTerm):
        q.maxdist = min(max(q.maxdist, 1), MAX_FUZZY_DISTANCE)
        q.prefixlength = max(q.prefixlength, 1)
        return q
    if q.is_leaf():
        return q
    return q.apply(_bound)


def expand_bounded(q: wq.Query, reader, lexicons: Lexicons | None = None) -> tuple[wq.Query, list[str]]:
    """Replace wildcard, prefix and fuzzy terms by an Or of at most MAX_EXPANSION real words.

    The most frequent words that fit the pattern's share of POSTINGS_BUDGET win when a
    pattern matches more. Returns the new query and one note per pattern that was cut.
    With `lexicons`, candidates come from the cached word lists (fuzzy terms compared in C by
    rapidfuzz); without, from Whoosh's own term enumeration.
    """
    cut: dict[str, tuple[int, str]] = {}  # pattern -> (words it matched, note)
    patterns = [n for n in q.leaves() if isinstance(n, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm, wq.Regex))
                or _is_word_range(n, reader)]
    budget = max(POSTINGS_BUDGET // max(len(patterns), 1), MIN_BUDGET)

    def expand(node: wq.Query) -> wq.Query:
        if _is_word_range(node, reader):
            # A range of words ([a to z], {a to}) is a pattern too: its words, bounded alike.
            node = _RangePattern(node)
        if isinstance(node, (wq.Wildcard, wq.Regex)) and not re.search(r"\w", node.text.replace("_", "")):
            if node.text.strip("*") == "":
                return wq.Every()  # "*" on its own: every article
            raise QueryError(f"'{node.text}' has no letters, so it would match every word: "
                             "add a few letters, e.g. missil* or ?ran")
        if isinstance(node, (wq.Wildcard, wq.Prefix, wq.FuzzyTerm, wq.Regex, _RangePattern)):
            field = node.field()
            words = []
            try:
                if isinstance(node, wq.FuzzyTerm) and lexicons is not None:
                    words = lexicons.fuzzy_terms(field, node.text, node.maxdist, node.prefixlength)[:MAX_CANDIDATES]
                elif isinstance(node, (wq.Prefix, wq.Wildcard)) and lexicons is not None:
                    words = lexicons.matching(field, node.text, wildcard=isinstance(node, wq.Wildcard),
                                              limit=MAX_CANDIDATES)
                elif isinstance(node, _RangePattern):
                    words = node.words(reader, lexicons, MAX_CANDIDATES)
                else:
                    for i, btext in enumerate(pattern_words(node, reader)):
                        words.append(btext)
                        if i >= MAX_CANDIDATES:
                            break
            except Exception:
                words = []
            if not words:
                return wq.NullQuery
            # The cost of a search is the postings it reads, not the number of words: take the
            # most common words that fit the budget. A word in more articles than the budget
            # allows is left out (unless it is the only one), or `s*` would read "said" in
            # 250,000 articles at 345k.
            frequency = {w: lexicons.frequency(field, w) if lexicons is not None and isinstance(w, str)
                         else reader.doc_frequency(field, w) for w in words}
            words.sort(key=lambda w: frequency[w], reverse=True)
            chosen, postings, too_common = [], 0, 0
            for w in words:
                if len(chosen) >= MAX_EXPANSION:
                    break
                if postings + frequency[w] > budget and len(words) > 1:
                    too_common += frequency[w] > budget
                    continue
                chosen.append(w)
                postings += frequency[w]
            if not chosen:
                chosen = [min(words, key=lambda w: frequency[w])]
            if len(chosen) < len(words):
                more = "+" if len(words) >= MAX_CANDIDATES else ""
                note = f"'{node.text}' matches {len(words):,}{more} words; searched {len(chosen)} of them"
                if too_common:
                    note += f" (left out {too_common} found in over {budget:,} articles)"
                # One note per pattern (it is expanded once per field): the field with most words.
                if len(words) >= cut.get(node.text, (0, ""))[0]:
                    cut[node.text] = (len(words), note)
            words = chosen
            schema_field = reader.schema[field]
            texts = [schema_field.from_bytes(w) if isinstance(w, bytes) else w for w in words]
            terms = [wq.Term(field, t, boost=node.boost) for t in texts]
            if len(terms) == 1:
                return terms[0]
            # One pattern, one score: scoring each expanded word costs far more than it tells.
            return wq.ConstantScoreQuery(wq.Or(terms), score=node.boost)
        if node.is_leaf():
            return node
        return node.apply(expand)

    expanded = _without_every(expand(q))
    return expanded, [note for _, note in cut.values()]


def _without_every(q: wq.Query) -> wq.Query:
    """`*` ("every article") folded into the query around it: `oil *` is `oil`, `* OR oil` is
    every article, `NOT *` nothing. Left in, Whoosh matched `*` field by field by reading the
    postings of every word of the field: `oil *` took 11 s at 21k articles."""
    if _is_everything(q):
        return wq.Every()
    if q.is_leaf():
        return q
    if isinstance(q, wq.Not):
        inner = _without_every(q.query)
        return wq.NullQuery if isinstance(inner, wq.Every) else wq.Not(inner)
    if isinstance(q, wq.AndNot):
        positive, negative = _without_every(q.a), _without_every(q.b)
        if isinstance(negative, wq.Every):
            return wq.NullQuery
        if isinstance(positive, wq.Every):
            return wq.Not(negative)
        return wq.AndNot(positive, negative)
    if isinstance(q, (wq.And, wq.Or)):
        parts = [_without_every(sub) for sub in q.subqueries]
        if isinstance(q, wq.Or):
            if any(isinstance(p, wq.Every) for p in parts):
                return wq.Every()
        else:
            parts = [p for p in parts if not isinstance(p, wq.Every)]
            if not parts:
                return wq.Every()
        parts = [p for p in parts if p is not wq.NullQuery] if isinstance(q, wq.Or) else parts
        if isinstance(q, wq.And) and any(p is wq.NullQuery for p in parts):
            return wq.NullQuery
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else type(q)(parts, boost=q.boost)
    return q.apply(_without_every)


def _is_everything(node: wq.Query) -> bool:
    """`*` in the text fields: every article. (`person:*`, articles naming any person, is not.)"""
    return isinstance(node, wq.Every) and node.fieldname in (None, *DEFAULT_FIELDS)


def _is_word_range(node: wq.Query, reader) -> bool:
    """A range over the words of a text field ([a to z]); dates and numbers are ranges too but
    read one number column, not thousands of words' postings."""
    return (isinstance(node, wq.TermRange) and node.field() in reader.schema
            and isinstance(reader.schema[node.field()], TEXT))


class _RangePattern:
    """A word range, expanded like a wildcard: the words between its ends, from the cached
    word list (sorted) or Whoosh's own term list."""

    def __init__(self, node: wq.TermRange):
        self.node = node
        self.boost = node.boost
        start, end = node.start or "", node.end or ""
        ends = " ".join(filter(None, (start, "to", end)))
        self.text = f"{'{' if node.startexcl else '['}{ends}{'}' if node.endexcl else ']'}"

    def field(self) -> str:
        return self.node.field()

    def words(self, reader, lexicons, limit: int) -> list:
        node = self.node
        if lexicons is None:
            return [w for _, w in zip(range(limit), pattern_words(node, reader))]
        words = lexicons.words(node.field())
        start = node.start or ""
        lo = bisect.bisect_right(words, start) if node.startexcl and start else bisect.bisect_left(words, start)
        hi = len(words)
        if node.end:
            hi = bisect.bisect_left(words, node.end) if node.endexcl else bisect.bisect_right(words, node.end)
        return words[lo:min(hi, lo + limit)]
