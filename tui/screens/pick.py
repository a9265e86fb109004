"""Choosing from a list: an entity by name as you type (the list narrows, closest first), or
one of a few fixed choices (a kind). Enter answers with the highlighted entry, Esc with None."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index import sanitize

from ..keys import Dialog


class Picker(Dialog):
    """`choices(typed)` gives (answer, label) pairs for what is typed so far; without a field
    (`typing=False`) the list is fixed and j/k move in it (typed, they go into the field)."""

    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > Vertical { width: 80%; max-width: 90; height: auto; max-height: 80%; background: $surface;
                        border: round $accent; padding: 0 1; }
    Picker Input { height: 1; margin: 1 0 0 0; background: $boost; }
    Picker OptionList { height: auto; max-height: 16; border: none; margin: 1 0 0 0; }
    Picker .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]

    def __init__(self, title: str, choices: Callable[[str], list[tuple[str, str]]], typing: bool = True,
                 hint: str = "") -> None:
        super().__init__()
        self.title_text, self.choices, self.typing = title, choices, typing
        self.hint = hint or ("type to narrow · ↑ ↓ move · Enter picks · Esc cancels" if typing
                             else "j k move · Enter picks · Esc cancels")
        self._answers: list[str] = []
        self._shown_for = ""  # what was typed when the list was filled

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            if self.typing:
                yield Input(id="typed", compact=True, select_on_focus=False)
            yield OptionList(id="choices")
            yield Static(Text(self.hint), classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.set_focus(self.query_one("#typed", Input) if self.typing else self.query_one("#choices", OptionList))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        self._shown_for = typed
        found = self.choices(typed)
        self._answers = [answer for answer, _ in found]
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options([Option(Text(sanitize.clean_line(label))) for _, label in found]
                            or [Option(Text("nothing matches", style="dim"), disabled=True)])
        options.highlighted = 0 if found else None

    def route_key(self, event: events.Key):
        if event.key == "enter":
            if self.typing and self.query_one("#typed", Input).value != self._shown_for:
                # Typed in the same burst as Enter: the list has not caught up (its Changed
                # messages come after this key); answer for what is typed, not what is shown.
                self._fill(self.query_one("#typed", Input).value)
            options = self.query_one("#choices", OptionList)
            index = options.highlighted
            self.dismiss(self._answers[index] if index is not None and index < len(self._answers) else None)
            return True
        return super().route_key(event)

    def action_move(self, step: int) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None and options.option_count:
            options.highlighted = max(0, min(options.option_count - 1, options.highlighted + step))
