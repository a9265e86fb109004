"""A list of names cross-referenced with the corpus (R in the reader, or `dossier FOLDER
--xref FILE`): per name, the entity it resolves to, its articles, first and last seen and
who is most named with it. Enter opens a name's entity page; what that page lists is searched
for on the main screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from index import sanitize
from index.corpus import CorpusError
from index.errors import InternalError
from index.query import QueryError

from ..keys import Dialog
from ..theme import KIND_STYLES, META
from ..widgets.entity_pane import Pick
from .entity import EntityPage


class NamesScreen(Dialog):
    """Answers with what an entity page opened from it answered (a Choice), or None."""

    DEFAULT_CSS = """
    NamesScreen { background: $background; }
    NamesScreen > Vertical { width: 100%; height: 100%; background: $surface; padding: 0 1; }
    NamesScreen #names-head { height: auto; }
    NamesScreen #names { height: 1fr; border: none; background: $surface; }
    NamesScreen .hint { height: 1; background: $panel; }
    """
    BINDINGS = [
        Binding("escape,q,b,backspace", "close", "Close", show=False),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]
    keys_on_mount = False  # keys wait for the names to be looked up

    def __init__(self, engine, names: list[tuple[str, str | None]], label: str) -> None:
        super().__init__()
        self.engine, self.names, self.label = engine, names, label
        self.rows: list[dict] = []

    def pending(self) -> list[str]:
        return [] if self.takes_keys else ["the names looked up"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Looking up {len(self.names):,} names…", style=META), id="names-head")
            yield OptionList(id="names")
            yield Static(Text("⏎ the entity's page · j k move · Esc back"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#names", OptionList))
        self.load()

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = self.engine.cross_reference(self.names)
        except (CorpusError, QueryError, InternalError) as exc:
            rows, problem = [], str(exc)
        else:
            problem = None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, rows, problem)

    def _show(self, rows: list[dict], problem: str | None) -> None:
        self.rows = rows
        found = sum(1 for r in rows if r.get("entity"))
        head = Text.assemble((sanitize.clean_line(self.label), "bold"),
                             (f" · {found:,} of {len(rows):,} names found in this corpus", META))
        if problem:
            head = Text(sanitize.clean_line(problem), style="red")
        self.query_one("#names-head", Static).update(head)
        options = self.query_one("#names", OptionList)
        options.clear_options()
        for i, row in enumerate(rows):
            line = Table.grid(expand=True, padding=(0, 1))
            line.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
            line.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
            line.add_column(justify="right", no_wrap=True, width=9)
            line.add_column(no_wrap=True, width=23)
            entity = row.get("entity")
            if entity is None:
                nearest = ", ".join(row.get("suggestions") or [])
                line.add_row(Text(sanitize.clean_line(row["name"])),
                             Text("not found" + (f" (nearest: {nearest})" if nearest else ""), style="yellow"), "", "")
                options.add_option(Option(line, id=f"row{i}", disabled=False))
                continue
            seen = f"{row['first_seen']} – {row['last_seen']}" if row.get("first_seen") else ""
            line.add_row(Text(sanitize.clean_line(row["name"])),
                         Text(sanitize.clean_line(entity["name"]), style=KIND_STYLES.get(entity["kind"], "")),
                         f"{row['articles']:,}", Text(seen, style=META))
            options.add_option(Option(line, id=f"row{i}"))
        options.highlighted = 0 if rows else None
        self.ready_for_keys()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.rows[int((event.option.id or "row0")[3:])]
        entity = row.get("entity")
        if entity is None:
            self.notify(f"'{sanitize.clean_line(row['name'])}' is not an entity of this corpus.", timeout=3)
            return

        def answered(choice) -> None:
            if choice is not None:
                self.dismiss(choice)

        self.app.push_screen(EntityPage(self.engine, Pick(entity["kind"], entity["name"], entity["key"])), answered)

    def action_move(self, step: int) -> None:
        options = self.query_one("#names", OptionList)
        if options.highlighted is not None:
            options.highlighted = max(0, min(options.option_count - 1, options.highlighted + step))

    def action_close(self) -> None:
        self.dismiss(None)
