"""Small modal dialogs: one line of text (a tag list, a name, a file, a command) or a note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class Prompt(ModalScreen[str | None]):
    """Asks for one line; Enter answers it, Esc answers None."""

    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 80%; max-width: 90; height: auto; background: $surface; border: round $accent; padding: 0 1; }
    Prompt Input { border: none; height: 1; padding: 0; margin: 1 0 0 0; background: $boost; }
    Prompt .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.hint = title, value, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            yield Input(value=self.value, id="answer")
            yield Static(self.hint or "Enter to confirm, Esc to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteEditor(ModalScreen[str | None]):
    """A note in a text area: Ctrl+S saves, Esc leaves it unchanged."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical { width: 90%; max-width: 100; height: 70%; background: $surface; border: round $accent; padding: 0 1; }
    NoteEditor TextArea { height: 1fr; }
    NoteEditor .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", show=False), Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text, self.note = title, note

    def compose(self) -> ComposeResult:
        # Imported here: loading TextArea (and its syntax machinery) cost 25 ms of start-up.
        from textual.widgets import TextArea

        with Vertical():
            yield Static(self.title_text)
            yield TextArea(self.note, id="note", soft_wrap=True)
            yield Static("Ctrl+S saves · Esc cancels · an empty note removes it", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note")
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note").text)

    def action_cancel(self) -> None:
        self.dismiss(None)
