"""The timeline of a search: its results as a bar chart by day, month or year, with their
span; h/l move along it, v marks a range, Enter narrows the search to the period or range
(open it again on the narrowed search to see it day by day)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual.worker import get_current_worker

from index import sanitize
from index.corpus import CorpusError
from index.errors import InternalError
from index.query import QueryError

from .. import actions
from ..keys import Dialog
from ..theme import META
from ..widgets.status import footer_keys
from ..widgets.timeline import TimelineChart


class TimelineScreen(Dialog):
    """Answers the query narrowed to the chosen dates, or None."""

    DEFAULT_CSS = """
    TimelineScreen { align: center middle; }
    TimelineScreen > Vertical { width: 100%; max-width: 120; height: auto; background: $surface;
                                border: round $accent; padding: 0 1; }
    TimelineScreen #timeline-head { height: auto; }
    TimelineScreen #timeline-keys { height: 1; background: $panel; margin-top: 1; }
    """
    BINDINGS = actions.bindings("timeline")
    keys_on_mount = False  # keys typed after T wait for the chart

    def __init__(self, engine, query: str) -> None:
        super().__init__()
        self.engine = engine
        self.search = query.strip()
        self.timeline = None

    def pending(self) -> list[str]:
        return [] if self.takes_keys else ["the timeline"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Counting the results by date…", style=META), id="timeline-head")
            yield TimelineChart(hint="Enter narrows the search", id="timeline")
            yield Static(footer_keys(self.app.config.keymap, "timeline"), id="timeline-keys")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#timeline", TimelineChart))
        self.load()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def load(self) -> None:
        try:
            timeline = self.engine.timeline(self.search)
        except (CorpusError, QueryError, InternalError) as exc:
            self.app.call_from_thread(self._show_problem, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, timeline)

    def _show_problem(self, text: str) -> None:
        self.query_one("#timeline-head", Static).update(Text(sanitize.clean_line(text), style="red"))
        self.query_one("#timeline", TimelineChart).show(None)
        self.ready_for_keys()

    def _show(self, timeline) -> None:
        self.timeline = timeline
        what = sanitize.clean_line(self.search) if self.search else "every article"
        head = Text.assemble(("Over time: ", "bold"), (what, "bold"))
        if timeline.periods:
            head.append(f"\n{timeline.total:,} dated articles by {timeline.unit}, "
                        f"{timeline.periods[0]} to {timeline.periods[-1]}", style=META)
        if timeline.undated:
            head.append(f" · {timeline.undated:,} undated (not drawn)", style=META)
        self.query_one("#timeline-head", Static).update(head)
        self.query_one("#timeline", TimelineChart).show(timeline)
        self.ready_for_keys()

    def action_period(self, step: int) -> None:
        self.query_one("#timeline", TimelineChart).move(step)

    def action_mark(self) -> None:
        self.query_one("#timeline", TimelineChart).mark()

    def action_narrow(self) -> None:
        chart = self.query_one("#timeline", TimelineChart)
        if chart.has_bars:
            self.dismiss(f"{self.search} {chart.query()}".strip())

    def action_close(self) -> None:
        self.dismiss(None)
