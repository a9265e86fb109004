"""A timeline as a bar chart one can move along: articles per day, month or year
(index/timeline.py), a selected period or a range of them, for the entity page and the
timeline of a search."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from ..charts import axis, bar_rows, marker_row
from ..theme import META

SHORT_SCREEN = 30  # below this many rows the bars are 4 rows high, not 6


class TimelineChart(Widget, can_focus=True):
    """The selected period (or range, from `anchor` to `selected`) marked under the bars (and
    in colour) while the chart has the focus; the line under it says what Enter would list."""

    DEFAULT_CSS = """
    TimelineChart { height: auto; padding: 0 1; }
    """
    selected: reactive[int] = reactive(0)
    anchor: reactive[int | None] = reactive(None)  # where a range started (v)

    def __init__(self, hint: str = "Enter lists them", **kwargs) -> None:
        super().__init__(**kwargs)
        self.timeline = None
        self.hint = hint

    def show(self, timeline) -> None:
        self.timeline = timeline
        counts = timeline.counts if timeline else []
        # The busiest period first: it is what a reader looks for.
        self.selected = max(range(len(counts)), key=counts.__getitem__) if counts else 0
        self.anchor = None
        self.refresh(layout=True)

    @property
    def has_bars(self) -> bool:
        return bool(self.timeline and self.timeline.periods)

    def span(self) -> tuple[int, int]:
        """The first and last period chosen (the same one without a range)."""
        if self.anchor is None:
            return self.selected, self.selected
        return min(self.anchor, self.selected), max(self.anchor, self.selected)

    def query(self) -> str:
        first, last = self.span()
        return self.timeline.query(first, last)

    def move(self, step: int) -> None:
        if self.has_bars:
            self.selected = max(0, min(len(self.timeline.periods) - 1, self.selected + step))

    def mark(self) -> None:
        """Start a range at the selected period, or go back to one period."""
        if self.has_bars:
            self.anchor = None if self.anchor is not None else self.selected

    def get_content_height(self, container, viewport, width: int) -> int:
        return self._bar_height() + 3 if self.has_bars else 1

    def _bar_height(self) -> int:
        return 6 if self.app.size.height >= SHORT_SCREEN else 4

    def render(self):
        timeline = self.timeline
        if timeline is None:
            return Text("")
        if not timeline.periods:
            return Text("No dated articles: nothing to draw over time.", style=META)
        width = max(self.size.width - 2, 8)
        first, last = self.span()
        chosen = range(first, last + 1) if self.has_focus else range(0)
        rows = bar_rows(timeline.counts, self._bar_height(), width, chosen)
        count = sum(timeline.counts[first:last + 1])
        period = timeline.periods[first] if first == last else f"{timeline.periods[first]} to {timeline.periods[last]}"
        keys = f" · h/l move · v a range · {self.hint}" if self.has_focus else " · t: the timeline"
        label = Text.assemble((f"{period}: {count:,} article{'s' if count != 1 else ''}", "bold"), (keys, META))
        marks = marker_row(len(timeline.counts), width, chosen)
        return Group(*rows, marks, axis(timeline.periods, width), label)

    def watch_selected(self) -> None:
        self.refresh()

    def watch_anchor(self) -> None:
        self.refresh()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()
