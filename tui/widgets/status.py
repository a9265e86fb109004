"""The bottom line: the main keys (from the action registry), the hit count, ingest progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ..actions import key_label, keys_of, of_screen


def footer_keys(keymap: dict[str, str], screen: str = "main") -> Text:
    """The footer's keys of a screen's actions, as the user's keymap has them."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for action in of_screen(screen):
        if action.footer:
            text.append(key_label(keys_of(action, keymap)[0]), "bold reverse")
            text.append(f" {action.footer} ")
    return text


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { dock: bottom; height: 1; background: $panel; }
    StatusBar > #keys { width: 1fr; height: 1; }
    StatusBar > #status { width: auto; height: 1; padding: 0 1; color: $text; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(footer_keys(self.app.config.keymap), id="keys")
        yield Static("", id="status")

    _width: int | None = None  # of the text shown

    def set_status(self, hits: str, progress: str = "") -> None:
        text = " · ".join(p for p in (progress, hits) if p)
        # A layout pass only when the width changes: each one repainted both panes' edges,
        # 1.4 KB over SSH for every article opened.
        self.query_one("#status", Static).update(Text(text), layout=len(text) != self._width)
        self._width = len(text)
