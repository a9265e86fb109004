"""The one action registry: key bindings, the footer, the help screen and the command
palette are all generated from ACTIONS (and a user keymap can remap any action by id)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str  # stable name for keymaps, e.g. "search"
    action: str  # the App action it runs, e.g. "focus_search"
    keys: tuple[str, ...]  # default keys, Textual key names
    description: str  # the help text
    footer: str | None = None  # a short label when the action belongs in the footer
    group: str = "General"


ACTIONS: tuple[Action, ...] = (
    Action("search", "focus_search", ("slash",), "Search: type a query, Enter or Esc returns to the list", "search", "Search"),
    Action("back", "back", ("backspace", "b"), "Back to the previous search", "back", "Search"),
    Action("sort", "toggle_sort", ("s",), "Sort the list by relevance or by date", "sort", "Search"),
    Action("clear", "clear_search", ("c",), "Clear the search: list every article", None, "Search"),
    Action("open", "open_article", ("enter",), "Open the article under the cursor", None, "List"),
    Action("focus_list", "focus_pane('list')", ("1",), "Go to the article list", None, "Panes"),
    Action("focus_reader", "focus_pane('reader')", ("2",), "Go to the reading view", None, "Panes"),
    Action("focus_entities", "focus_pane('entities')", ("3",), "Go to the entity pane (shows it if hidden)", None, "Panes"),
    Action("toggle_entities_pane", "toggle_entity_pane", ("e",), "Show or hide the entity pane", "entities", "Panes"),
    Action("facets", "toggle_facets", ("f",), "Entity pane: this article's entities, or facets of the results", "facets", "Panes"),
    Action("next_hit", "next_hit", ("n",), "Next search hit in the article", "next hit", "Reading"),
    Action("previous_hit", "previous_hit", ("N",), "Previous search hit in the article", None, "Reading"),
    Action("highlight_entities", "toggle_entity_highlights", ("H",), "Highlight entities in the article, or not", None, "Reading"),
    Action("help", "help", ("question_mark", "f1"), "Show every key", "help", "General"),
    Action("quit", "quit", ("q", "alt+q"), "Quit (alt+q too: Esc then q arrives as alt+q over SSH)", "quit", "General"),
)

BY_ID = {a.id: a for a in ACTIONS}


def bindings() -> list[Binding]:
    return [
        Binding(",".join(a.keys), a.action, a.description, show=False, id=a.id)
        for a in ACTIONS
    ]


def motion_bindings(down: str, up: str, page_down: str, page_up: str, first: str, last: str) -> list[Binding]:
    """vim keys and arrows for moving inside a pane (the list, the reader): the same keys
    everywhere, each pane naming its own actions."""
    return [
        Binding("j,down", down, "Down", show=False),
        Binding("k,up", up, "Up", show=False),
        Binding("pagedown,ctrl+f,space", page_down, "Page down", show=False),
        Binding("pageup,ctrl+b", page_up, "Page up", show=False),
        Binding("g,home", first, "First", show=False),
        Binding("G,end", last, "Last", show=False),
    ]


def key_label(key: str) -> str:
    return {"slash": "/", "question_mark": "?", "backspace": "⌫", "enter": "⏎", "alt+q": "M-q"}.get(key, key)
