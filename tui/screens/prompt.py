"""Small modal dialogs: one line of text (a tag list, a name, a file, a command) or a note."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..keys import Dialog


class Prompt(Dialog):
    """Asks for one line; Enter answers it, Esc answers None.

    `explain`, if given, turns what is typed into a line shown under the field as it is
    typed (an export shows the full path it will write)."""

    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 80%; max-width: 90; height: auto; background: $surface; border: round $accent; padding: 0 1; }
    /* compact: no border. A focused Input's own tall border outranked a plain "border: none"
       and, in one row, left no room for the text: typing was invisible. */
    Prompt Input { height: 1; margin: 1 0 0 0; background: $boost; }
    Prompt .explain { color: $text; margin: 1 0 0 0; }
    Prompt .hint { color: $text-muted; }
    """

    def __init__(self, title: str, value: str = "", hint: str = "",
                 explain: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.title_text, self.value, self.hint = title, value, hint
        self.explain = explain

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text))
            yield Input(value=self.value, id="answer", compact=True, select_on_focus=False)
            if self.explain is not None:
                yield Static(Text(self.explain(self.value)), classes="explain", id="explain")
            yield Static(Text(self.hint or "Enter to confirm, Esc to cancel"), classes="hint")

    def on_mount(self) -> None:
        answer = self.query_one("#answer", Input)
        self.set_focus(answer)
        answer.cursor_position = len(answer.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.explain is not None:
            self.query_one("#explain", Static).update(Text(self.explain(event.value)))

    def route_key(self, event: events.Key):
        if event.key == "enter":  # answered at once: the keys after Enter are not typed here
            self.dismiss(self.query_one("#answer", Input).value)
            return True
        return super().route_key(event)


class NoteEditor(Dialog):
    """A note in a text area: Ctrl+S saves, Esc leaves it unchanged."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical { width: 90%; max-width: 100; height: 70%; background: $surface; border: round $accent; padding: 0 1; }
    NoteEditor TextArea { height: 1fr; }
    NoteEditor .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", show=False)]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text, self.note = title, note

    def compose(self) -> ComposeResult:
        # Imported here: loading TextArea (and its syntax machinery) cost 25 ms of start-up.
        from textual.widgets import TextArea

        with Vertical():
            yield Static(Text(self.title_text))
            yield TextArea(self.note, id="note", soft_wrap=True)
            yield Static(Text("Ctrl+S saves · Esc cancels · an empty note removes it"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note")
        self.set_focus(area)
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note").text)
