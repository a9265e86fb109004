"""Turning untrusted article text into what the terminal draws: cleaned, cut by cell width."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from index import sanitize


def fit(text: str, width: int) -> str:
    """One line of `text`, cleaned, cut or padded to exactly `width` terminal cells.

    Cuts by cells, not characters, so wide (CJK, emoji) and right-to-left text cannot push
    a row past its column."""
    if width <= 0:
        return ""
    line = sanitize.clean_line(text)
    if cell_len(line) > width:
        line = set_cell_size(line, max(width - 1, 0)) + "…"
    return set_cell_size(line, width)


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 story", "1,204 stories": a count with its noun."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
