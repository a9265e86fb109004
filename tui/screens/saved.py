"""The saved searches ("query feeds"), with unread and article counts: Enter runs one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index import sanitize


class SavedSearches(ModalScreen[str | None]):
    """Answers the query to run, or None. `d` removes the highlighted search."""

    DEFAULT_CSS = """
    SavedSearches { align: center middle; }
    SavedSearches > Vertical { width: 80%; max-width: 100; height: 70%; background: $surface; border: round $accent; padding: 0 1; }
    SavedSearches OptionList { height: 1fr; border: none; }
    SavedSearches .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,q", "cancel", "Close", show=False),
        Binding("d,delete", "remove", "Remove", show=False),
        Binding("j", "down", show=False),
        Binding("k", "up", show=False),
    ]

    def __init__(self, rows: list[dict], remove) -> None:
        super().__init__()
        self.rows = rows  # {"name", "query", "articles", "unread"}
        self._forget = remove  # called with a name to delete it from the library

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Saved searches", style="bold"))
            yield OptionList(*[self._option(row) for row in self.rows], id="saved")
            yield Static("Enter runs · d removes · Esc closes · to add one, search and press S",
                         classes="hint")

    @staticmethod
    def _option(row: dict) -> Option:
        counts = (Text(f"{row['unread']:>6,} unread of {row['articles']:<7,} ", style="bold" if row["unread"] else "dim")
                  if row.get("articles") is not None else Text(f"{'(cannot run)':<25} ", style="red"))
        prompt = Text.assemble(counts, (sanitize.clean_line(row["name"]), "bold"), "  ",
                               (sanitize.clean_line(row["query"]), "dim"))
        return Option(prompt, id=row["name"])

    def on_mount(self) -> None:
        option_list = self.query_one("#saved", OptionList)
        if not self.rows:
            option_list.add_option(Option(Text("No saved searches yet: press S after a search to save it.",
                                               style="dim"), disabled=True))
        self.set_focus(option_list)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = next((r for r in self.rows if r["name"] == event.option.id), None)
        self.dismiss(row["query"] if row else None)

    def action_remove(self) -> None:
        option_list = self.query_one("#saved", OptionList)
        index = option_list.highlighted
        if index is None or not self.rows:
            return
        option = option_list.get_option_at_index(index)
        if option.id is None:
            return
        self._forget(option.id)
        self.rows = [r for r in self.rows if r["name"] != option.id]
        option_list.remove_option_at_index(index)

    def action_down(self) -> None:
        self.query_one("#saved", OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one("#saved", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
