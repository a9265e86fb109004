"""Where a query's words are in an article: snippets for the list, spans for the reader.

Both read the same thing, the character positions stored with each word's postings, for
the words the planner's query looks for (index/planner.py `positive_terms`). Snippets take
them from the postings the numpy ranker has just read when it can (a second pass cost a
fifth of a query at 345k articles).
"""

from __future__ import annotations

from whoosh import highlight

from .planner import Plan, matches, positive_terms
from .results import Hit, Snippet, to_date
from .view import IndexView

SNIPPET_CHARS = 220
HIT_FIELDS = ("title", "body")


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


_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=80, autotrim=True),
    formatter=_SpanFormatter(),
)


def hits(view: IndexView, p: Plan, found: list[tuple[int, float]], snippets: bool, ranked_by_numpy: bool) -> list[Hit]:
    """The list's hits for (docnum, score) pairs, with a snippet around the query's words."""
    tokens = _tokens(view, p, "body", [d for d, _ in found], ranked_by_numpy) if snippets else {}
    if ranked_by_numpy:
        view.ranker.forget_positions()
    return [_hit(view.searcher.stored_fields(d), score, snippets, tokens.get(d)) for d, score in found]


def hit_spans(view: IndexView, p: Plan, article_id: str) -> dict[str, list[tuple[int, int]]]:
    """Every character span of the plan's matches in an article's title and body, and the
    mentions of the entities it asks for (after a pivot, n/N walk through a person's
    mentions, whatever the spelling)."""
    spans: dict[str, list[tuple[int, int]]] = {name: [] for name in HIT_FIELDS}
    docnum = view.searcher.document_number(id=article_id)
    if docnum is None or not matches(view, p, article_id):
        return spans
    for name in HIT_FIELDS:
        for tokens in _tokens(view, p, name, [docnum], False).values():
            spans[name].extend((t.startchar, t.endchar) for t in tokens)
    if p.entity_keys:
        resolve = view.registry.resolve
        stored = view.searcher.stored_fields(docnum).get("entities") or ()
        spans["body"].extend((span[0], span[1]) for span in stored if resolve(span[3]) in p.entity_keys)
    return {name: sorted(set(found)) for name, found in spans.items()}


def _tokens(view: IndexView, p: Plan, field: str, docnums: list[int], kept: bool) -> dict[int, list]:
    """docnum -> Tokens with the character spans of the query's words in a field, read from
    the stored positions: one postings pass per word for just these documents."""
    s, reader = view.searcher, view.reader
    words = {text for name, text in positive_terms(p.query) if name == field}
    wanted = sorted(docnums)
    found: dict[int, list] = {d: [] for d in wanted}
    for word in words:
        btext = word.encode("utf-8") if isinstance(word, str) else word
        if (field, btext) not in reader:
            continue
        unread = _kept_characters(view, word, wanted, found) if kept and field == "body" else wanted
        if not unread:
            continue
        postings = s.postings(field, btext)
        for docnum in unread:
            if not postings.is_active():
                break
            if postings.id() < docnum:
                postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                for item in postings.value_as("characters"):
                    pos, start, end = item[0], item[-2], item[-1]
                    found[docnum].append(highlight.Token(text=word, pos=pos, startchar=start, endchar=end, matched=True))
    return found


def _kept_characters(view: IndexView, word, docnums: list[int], found: dict[int, list]) -> list[int]:
    """The word's spans in these documents from the postings the ranking just read; returns
    the documents it did not read the word for (a phrase in the title only, say)."""
    word = word.decode("utf-8") if isinstance(word, bytes) else word
    unread = []
    for docnum in docnums:
        chars = view.ranker.characters(word, docnum)
        if chars is None:
            unread.append(docnum)
            continue
        for pos, start, end in chars:
            found[docnum].append(highlight.Token(text=word, pos=pos, startchar=start, endchar=end, matched=True))
    return unread


def _snippet(body: str, tokens: list) -> Snippet | None:
    if not tokens:
        return None
    tokens.sort(key=lambda t: t.startchar)
    fragments = _HIGHLIGHTER.fragmenter.fragment_matches(body, tokens)
    best = highlight.top_fragments(fragments, 1, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order)
    return _HIGHLIGHTER.formatter.format(best)


def _lead_snippet(body: str) -> Snippet:
    text = body[:SNIPPET_CHARS].replace("\n", " ")
    if len(body) > SNIPPET_CHARS:
        text = text.rsplit(" ", 1)[0] + "…"
    return Snippet(text, [])


def _hit(stored: dict, score: float, snippets: bool, tokens: list | None = None) -> Hit:
    snippet = None
    if snippets:
        body = stored.get("body", "")
        snippet = _snippet(body, tokens or []) or _lead_snippet(body)
    return Hit(
        id=stored["id"],
        title=stored.get("title", ""),
        date=to_date(stored.get("date")),
        authors=tuple(stored.get("authors") or ()),
        source=stored.get("source"),
        path=stored.get("file", ""),
        score=score,
        snippet=snippet,
        url=stored.get("url"),
    )
