"""The search field: Textual's Input without a screen relayout per keystroke, and with the
search history on Up and Down."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchInput(Input):
    """Input re-sizes its virtual width on every keystroke, and virtual_size is a layout
    reactive: each character re-laid out the whole screen and redrew every pane's
    scrollbar (1.5 KB per character over SSH). A one-line field has no scrollbars and a
    fixed size, so a repaint is enough; its own horizontal scrolling reads the value."""

    virtual_size = Reactive(Size(0, 0), layout=False)
    BINDINGS = [
        Binding("up", "history(-1)", "Earlier search", show=False),
        Binding("down", "history(1)", "Later search", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.history: list[str] = []  # oldest first, filled from the library
        self._place: int | None = None  # where in the history Up/Down have got to
        self._draft = ""  # what was typed before Up was first pressed

    def accepts(self, text: str) -> bool:
        """Whether typed text goes in (tui/keys.py asks). "/" into an empty bar is the search
        key pressed twice, not the start of a query: no query begins with "/"."""
        return not (text == "/" and not self.value.strip())

    def remember(self, query: str) -> None:
        query = query.strip()
        if query:
            if query in self.history:
                self.history.remove(query)
            self.history.append(query)
        self._place = None

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._place is None:
            if step > 0:
                return
            self._draft = self.value
            place = len(self.history) - 1
            if self.history[place] == self.value.strip():  # Up shows an earlier search, not this one
                place -= 1
        else:
            place = self._place + step
        if place < 0:
            return
        if place >= len(self.history):
            self._place = None
            self.value = self._draft
        else:
            self._place = place
            self.value = self.history[place]
        self.cursor_position = len(self.value)
