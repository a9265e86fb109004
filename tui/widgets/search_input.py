"""The search field: Textual's Input without a screen relayout per keystroke."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchInput(Input):
    """Input re-sizes its virtual width on every keystroke, and virtual_size is a layout
    reactive: each character re-laid out the whole screen and redrew every pane's
    scrollbar (1.5 KB per character over SSH). A one-line field has no scrollbars and a
    fixed size, so a repaint is enough; its own horizontal scrolling reads the value."""

    virtual_size = Reactive(Size(0, 0), layout=False)
