"""The help screen: every action in the registry, grouped, with its keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..actions import ACTIONS, key_label, keys_of

QUERY_HELP = """\
Query syntax: words (all must match, stemmed) · AND OR NOT ( ) · "a phrase"
title: author: source: path: · date:2017 date:2017-06 date:[2014 to 2018] date:>2019
missil* (prefix) · suleimani~ (spelling) · person: org: place: group: event:"…"
Your library: is:unread is:read is:starred tag:followup has:note (combine: iran is:unread)
List: j/k ↑/↓ PgUp/PgDn g/G Home/End · Tab/Shift+Tab cycle panes · ctrl+p commands"""


def help_rows() -> list[tuple[str, str, str]]:
    """(group, keys, description) for every action in the registry."""
    return [(a.group, " ".join(key_label(k) for k in keys_of(a)), a.description) for a in ACTIONS]


class HelpScreen(ModalScreen):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; background: $surface; border: round $accent; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,enter", "dismiss", "Close", show=False)]

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        current = None
        for group, keys, description in help_rows():
            if group != current:
                current = group
                table.add_row(Text(group, style="underline"), "")
            table.add_row(keys, description)
        with VerticalScroll():
            yield Static(Text("dossier — keys (Esc, q or ? closes)", style="bold"))
            yield Static(table)
            yield Static(Text(QUERY_HELP, style="dim"))
