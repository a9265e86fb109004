"""Hard-wrapped paragraphs joined again, for display only.

Wire archives (Reuters among them) keep the line breaks their system made at about 70
columns, so a reading pane shows ragged short lines at any width. `reflow` turns each of
those soft breaks into a space and keeps every real one: paragraph starts (an indented or
blank line), lists, tables, short lines that end a thought (addresses, datelines, "Pay May
29"). It changes one character for one character, so the offsets of hits and entities into
the stored text stay valid, and the stored text is never changed.
"""

from __future__ import annotations

import re

MIN_LINES = 4          # fewer lines: nothing to tell a wrap width from
WRAPPED_SHARE = 0.5    # this share of the lines, or more, end near one width: the text was wrapped
NEAR_WIDTH = 20        # "near": within this many columns of the widest lines (a long word moved down)
MAX_WRAP_WIDTH = 100   # lines longer than this were not wrapped by a program

_LIST_OR_TABLE = re.compile(r"^(?:[-*\u2022+>#|]|\d{1,3}[.)]\s|[A-Za-z][.)]\s)|\S {3,}\S|\t")
_STARTS_A_CONTINUATION = re.compile(r"^[a-z0-9(\"'\u2018\u201c$\u00a3\u20ac-]")


def wrap_width(lines: list[str]) -> int | None:
    """The width a program wrapped these lines at, or None if they were not wrapped."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < MIN_LINES:
        return None
    width = lengths[int(len(lengths) * 0.9)]  # the widest lines, leaving out a few outliers
    if width > MAX_WRAP_WIDTH or width < 30:
        return None
    near = sum(width - NEAR_WIDTH <= n <= width for n in lengths)
    return width if near >= WRAPPED_SHARE * len(lengths) else None


def reflow(text: str) -> str:
    """`text` with its soft line breaks as spaces; the same length, the same offsets."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out = [lines[0]]
    for previous, following in zip(lines, lines[1:]):
        out += (" " if _soft(previous, following, width) else "\n", following)
    return "".join(out)


def _soft(previous: str, following: str, width: int) -> bool:
    if not previous.strip() or not following.strip():
        return False  # a blank line is a paragraph break
    if following[0].isspace():
        return False  # an indented line starts a paragraph
    if _LIST_OR_TABLE.search(previous) or _LIST_OR_TABLE.search(following):
        return False
    if len(previous.rstrip()) >= width - NEAR_WIDTH:
        return True  # the line was full: the next word did not fit
    # A short line was wrapped only if the sentence goes on in lower case ("said it has /
    # cut its rate"), not when it ends a thought ("Record April 14 / Note: ...").
    return not previous.rstrip().endswith((".", ":", "!", "?", '"')) and bool(_STARTS_A_CONTINUATION.match(following))
