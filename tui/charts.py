"""Bar charts drawn with block characters: they read without colour (16-colour terminals,
`NO_COLOR`, a pipe) and at 80 columns. Used by the entity page, the timeline of a search and
`dossier entity show`."""

from __future__ import annotations

from rich.text import Text

EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_width(bars: int, width: int) -> int:
    """Columns per bar, its gap included: as wide as fits, at most 8, at least 1 (the
    timeline keeps to MAX_BARS bars, so one column each always fits at 80)."""
    return max(1, min(8, width // max(bars, 1)))


def bar_rows(counts: list[int], height: int, width: int, selected=(),
             style: str = "", selected_style: str = "bold yellow") -> list[Text]:
    """The chart as `height` lines, the tallest bar the full height; a bar with any articles
    shows at least its bottom eighth. The bars whose indexes are in `selected` are drawn in
    `selected_style` (without colour, `marker_row` shows them)."""
    top = max(counts, default=0) or 1
    each = bar_width(len(counts), width)
    eighths = [0 if c == 0 else max(1, round(c / top * height * 8)) for c in counts]
    rows = []
    for row in range(height, 0, -1):
        line = Text()
        floor = (row - 1) * 8
        for i, amount in enumerate(eighths):
            bar = EIGHTHS[min(8, max(0, amount - floor))] * (each - 1 if each >= 3 else each)
            line.append(bar, selected_style if i in selected else style)
            if each >= 3:
                line.append(" ")  # a gap between wide bars
        rows.append(line)
    return rows


def marker_row(bars: int, width: int, selected) -> Text:
    """A line under the chart marking the selected bars (reads without colour)."""
    each = bar_width(bars, width)
    line = Text()
    for i in range(bars):
        mark = "▔" if i in selected else " "
        line.append(mark * (each - 1 if each >= 3 else each), "bold yellow" if i in selected else "")
        if each >= 3:
            line.append(" ")
    return line


def axis(periods: list[str], width: int) -> Text:
    """The first and last period under the chart's ends."""
    if not periods:
        return Text()
    each = bar_width(len(periods), width)
    span = len(periods) * each
    first, last = periods[0], periods[-1]
    if len(periods) == 1:
        return Text(first, style="dim")
    gap = max(1, span - len(first) - len(last))
    return Text(first + " " * gap + last, style="dim")
