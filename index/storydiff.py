"""What one version of a story changed from another, sentence by sentence.

Sentences are aligned with difflib (the standard library's sequence matcher, on sentences
compared by their words); a replaced run is paired sentence to sentence where the two are
mostly the same words ("changed"), and the rest is "added" or "dropped". Sentences with a
quote are marked, because a changed quote is what a reader comparing sources looks for.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Words ending in a full stop that do not end a sentence in news copy.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st sr jr gen maj brig adm cmdr col lt sgt capt gov sen rep rev hon fr det supt insp
no nos vs etc inc corp ltd co plc bros jan feb mar apr jun jul aug sep sept oct nov dec mt ft
u.s u.k u.n e.g i.e a.m p.m
""".split())
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_QUOTE = re.compile(r"[\"“”]")
# A replaced run is paired within this many sentences ahead: a whole text rewritten (or two
# long texts compared) costs a window per sentence, never every pair.
PAIR_WINDOW = 12
MAX_SENTENCES = 4000  # of each version compared (a 400-page file is not a news version)
MAX_CHARS = 1_000_000  # read of each version to find them
SAME_SENTENCE = 0.5  # word overlap from which a replaced sentence is "changed", not dropped and added


def sentences(text: str) -> list[str]:
    """The text's sentences, in order, each on one line (wrapped lines joined); a paragraph
    without a full stop (a headline, a dateline, a byline) is a sentence of its own."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        out.extend(_split(" ".join(paragraph.split())))
    return out


def _split(flat: str) -> list[str]:
    out, start = [], 0
    for m in _BOUNDARY.finditer(flat):
        before = flat[start:m.start()].rsplit(" ", 1)[-1].lstrip("\"'“‘([").casefold()
        if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            continue  # "Mr. Blair", "George W. Bush"
        end = m.end()
        out.append(flat[start:end].strip())
        start = end
    if flat[start:].strip():
        out.append(flat[start:].strip())
    return out


def _words(sentence: str) -> list[str]:
    return re.findall(r"\w+", sentence.casefold())


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "dropped", "changed"
    old: str | None  # the sentence in the version compared against
    new: str | None  # the sentence in this version
    quote: bool  # either side holds a quotation

    def to_json(self) -> dict:
        return {"kind": self.kind, "old": self.old, "new": self.new, "quote": self.quote}


@dataclass(frozen=True)
class Comparison:
    """How `new` differs from `old` (two versions of one story)."""

    old_sentences: int
    new_sentences: int
    same: int  # sentences both have word for word
    changes: list[Change]

    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "dropped": 0, "changed": 0}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    def summary(self) -> str:
        """"2 added, 1 dropped, 1 changed (a quote); 14 the same"."""
        counts = self.counts()
        parts = [f"{n} {kind}" for kind, n in counts.items() if n]
        quotes = sum(c.quote and c.kind == "changed" for c in self.changes)
        text = ", ".join(parts) if parts else "no sentence changed"
        if quotes:
            text += f" ({quotes} quote{'s' if quotes != 1 else ''} changed)"
        return f"{text}; {self.same} the same"

    def to_json(self) -> dict:
        return {"sentences": {"old": self.old_sentences, "new": self.new_sentences, "same": self.same},
                **self.counts(), "changes": [c.to_json() for c in self.changes]}


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def compare(old_text: str, new_text: str) -> Comparison:
    old = sentences(old_text[:MAX_CHARS])[:MAX_SENTENCES]
    new = sentences(new_text[:MAX_CHARS])[:MAX_SENTENCES]
    matcher = difflib.SequenceMatcher(None, [tuple(_words(s)) for s in old], [tuple(_words(s)) for s in new],
                                      autojunk=False)
    changes: list[Change] = []
    same = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same += i2 - i1
            continue
        changes.extend(_pair(old[i1:i2], new[j1:j2]))
    return Comparison(len(old), len(new), same, changes)


def _pair(olds: list[str], news: list[str]) -> list[Change]:
    """A replaced run: each old sentence paired with the first new one that is mostly its
    words, in order; what is left over was dropped or added where it stands."""
    out: list[Change] = []
    j = 0
    for old in olds:
        ahead = range(j, min(len(news), j + PAIR_WINDOW))
        match = next((k for k in ahead if _similarity(old, news[k]) >= SAME_SENTENCE), None)
        if match is None:
            out.append(Change("dropped", old, None, bool(_QUOTE.search(old))))
            continue
        out.extend(Change("added", None, s, bool(_QUOTE.search(s))) for s in news[j:match])
        new = news[match]
        out.append(Change("changed", old, new, bool(_QUOTE.search(old) or _QUOTE.search(new))))
        j = match + 1
    out.extend(Change("added", None, s, bool(_QUOTE.search(s))) for s in news[j:])
    return out


def word_marks(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words only in `old` and only in `new` (to point at in a
    changed sentence)."""
    ow = [(m.start(), m.end(), m.group().casefold()) for m in re.finditer(r"\w+", old)]
    nw = [(m.start(), m.end(), m.group().casefold()) for m in re.finditer(r"\w+", new)]
    matcher = difflib.SequenceMatcher(None, [w for *_, w in ow], [w for *_, w in nw], autojunk=False)
    gone, came = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "delete") and i2 > i1:
            gone.append((ow[i1][0], ow[i2 - 1][1]))
        if op in ("replace", "insert") and j2 > j1:
            came.append((nw[j1][0], nw[j2 - 1][1]))
    return gone, came
