"""The help screen: every action in the registry, grouped, with its keys."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from index.kinds import KINDS

from ..actions import ACTIONS, key_label, keys_of
from ..keys import Dialog

QUERY_HELP = f"""\
Query syntax: words (all must match, stemmed) · AND OR NOT ( ) · "a phrase"
title: author: source: path: · date:2017 date:2017-06 date:[2014 to 2018] date:>2019
missil* (prefix) · suleimani~ (spelling) · {": ".join(KINDS)}:"…"
Your library: is:unread is:read is:starred tag:followup has:note (combine: iran is:unread)
List: j/k ↑/↓ PgUp/PgDn g/G Home/End · Tab/Shift+Tab cycle panes · ctrl+p commands"""

TWO_COLUMNS = 110  # terminal columns from which the groups are set side by side


def help_rows(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(group, keys, description) for every action in the registry, with the user's keys."""
    return [(a.group, " ".join(key_label(k) for k in keys_of(a, keymap)), a.description) for a in ACTIONS]


def _groups_table(rows: list[tuple[str, str, str]]) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    current = None
    for group, keys, description in rows:
        if group != current:
            if current is not None:
                table.add_row("", "")
            current = group
            table.add_row(Text(group, style="underline"), "")
        table.add_row(keys, description)
    return table


def keys_table(width: int, keymap: dict[str, str]):
    """The registry's keys by group: one column, or two side by side on a wide terminal."""
    rows = help_rows(keymap)
    if width < TWO_COLUMNS:
        return _groups_table(rows)
    groups = list(dict.fromkeys(group for group, _, _ in rows))
    # Split where the two halves are closest in length.
    sizes = [sum(1 for g, _, _ in rows if g == group) + 2 for group in groups]
    best = min(range(1, len(groups)), key=lambda i: abs(sum(sizes[:i]) - sum(sizes[i:])))
    left = [r for r in rows if r[0] in groups[:best]]
    right = [r for r in rows if r[0] in groups[best:]]
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(_groups_table(left), _groups_table(right))
    return grid


class HelpScreen(Dialog):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 94%; max-width: 150; height: 94%; background: $surface; border: round $accent; padding: 0 1; }
    HelpScreen VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    HelpScreen #more { height: 1; color: $text; text-style: bold; background: $boost; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,enter", "dismiss", "Close", show=False),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
        Binding("pagedown,space,ctrl+f", "scroll('page_down')", show=False),
        Binding("pageup,ctrl+b", "scroll('page_up')", show=False),
        Binding("g,home", "scroll('home')", show=False),
        Binding("G,end", "scroll('end')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="help-body", can_focus=True):
                yield Static(Group(
                    Text("dossier — every key", style="bold"),
                    Text(""),
                    keys_table(self.app.size.width, self.app.config.keymap),
                    Text(""),
                    Text(QUERY_HELP, style="dim"),
                ))
            yield Static("", id="more")

    def on_mount(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        self.set_focus(body)
        self.watch(body, "scroll_y", self._show_where, init=False)
        self.watch(body, "max_scroll_y", self._show_where, init=False)
        self.call_after_refresh(self._show_where)

    def _show_where(self, *_args) -> None:
        """The bottom line says whether there is more below, and how to get to it."""
        body = self.query_one("#help-body", VerticalScroll)
        if body.max_scroll_y <= 0:
            text = "Esc, q or ? closes"
        elif body.scroll_y < body.max_scroll_y:
            text = "▼ more below: j ↓ PgDn space scroll down · G the end · Esc, q or ? closes"
        else:
            text = "▲ the end: k ↑ PgUp scroll up · g the top · Esc, q or ? closes"
        self.query_one("#more", Static).update(Text(text))

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        {
            "down": lambda: body.scroll_down(animate=False),
            "up": lambda: body.scroll_up(animate=False),
            "page_down": lambda: body.scroll_page_down(animate=False),
            "page_up": lambda: body.scroll_page_up(animate=False),
            "home": lambda: body.scroll_home(animate=False),
            "end": lambda: body.scroll_end(animate=False),
        }[how]()
