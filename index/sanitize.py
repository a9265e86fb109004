"""The one sanitiser every piece of article text passes before a person sees it.

Article files are untrusted: they can carry terminal escape sequences (cursor moves,
window titles, OSC 52 clipboard writes, hyperlinks), C0/C1 control characters, NULs and
bidirectional controls. `clean` removes all of them and keeps newlines and tabs, so text
can be printed or rendered without acting on the terminal.

Bidirectional text, per output:
- Embeddings, overrides and isolates (U+202A-E, U+2066-9) can reorder what is displayed
  ("Trojan Source"); no Arabic or Hebrew text needs them to read right (the Unicode
  bidirectional algorithm orders the letters), so `clean` removes them from everything,
  the index included.
- The marks (LRM U+200E, RLM U+200F, ALM U+061C) only place neutral characters such as
  punctuation next to right-to-left text. Exports (Markdown, JSON, CSV) keep them, for the
  editors and browsers that lay bidirectional text out; what is drawn in a terminal (the
  reader, the commands' output, the pager, editor and pipes) gets `for_terminal`, where they
  are inert, and one-line fields drop them (`clean_line`).
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL or
# ST, and two-character escapes. The 8-bit C1 forms (U+009B CSI, U+009D OSC, ...) too.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?               # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])          # OSC, DCS, SOS, PM, APC ...
        [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?        # ... up to BEL or ST
  | \x1b[ -/]*[0-~]?                                 # other two-character escapes
    """,
    re.VERBOSE,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls, the bidi embeddings,
# overrides and isolates that can reorder what is displayed, and byte-order marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_BIDI_MARKS = "\u200e\u200f\u061c"
# Same length, so character offsets (hits, entities) still line up: a zero-width space has
# no direction of its own.
_INERT_MARKS = str.maketrans({mark: "\u200b" for mark in _BIDI_MARKS})
_DROP_MARKS = str.maketrans({mark: None for mark in _BIDI_MARKS})


def clean(text: str) -> str:
    """Return `text` with every escape sequence and control character removed.

    Carriage returns become newlines (a bare CR would overwrite the line on a terminal).
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def for_terminal(text: str) -> str:
    """`clean`, with the bidi marks made inert: for text drawn in a terminal. Offsets into
    the text stay valid."""
    return clean(text).translate(_INERT_MARKS)


def clean_line(text: str) -> str:
    """`clean`, for one-line fields (titles, sources, authors): whitespace runs become one
    space, and bidi marks go."""
    return " ".join(clean(text).translate(_DROP_MARKS).split())
