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
    # Where the keys work: in these panes only (None: anywhere on the main screen), and
    # whether also while a text field (the search bar) has the focus.
    panes: tuple[str, ...] | None = None
    while_typing: bool = False
    screen: str = "main"  # the screen whose keys these are: "main" or "entity" (the entity page)


ACTIONS: tuple[Action, ...] = (
    Action("search", "focus_search", ("slash",), "Search: type a query, Enter or Esc returns to the list", "search", "Search"),
    Action("back", "back", ("backspace", "b"), "Back to the previous search", "back", "Search"),
    Action("sort", "toggle_sort", ("s",), "Sort the list by relevance or by date", "sort", "Search"),
    Action("clear", "clear_search", ("c",), "Clear the search: list every article", None, "Search"),
    Action("timeline", "show_timeline", ("T",), "The results over time (by day, month or year): narrow the search "
           "to a period or a range from it", None, "Search"),
    Action("open", "open_article", ("enter",), "Open the article under the cursor", None, "List", panes=("list", "reader")),
    Action("story_versions", "toggle_story", ("z",), "A story's row: list its versions under it, or fold them "
           "(the list shows one row per story unless collapse = \"none\")", None, "List", panes=("list",)),
    Action("focus_list", "focus_pane('list')", ("1",), "Go to the article list", None, "Panes"),
    Action("focus_reader", "focus_pane('reader')", ("2",), "Go to the reading view", None, "Panes"),
    Action("focus_entities", "focus_pane('entities')", ("3",), "Go to the entity pane (shows it if hidden)", None, "Panes"),
    Action("toggle_entities_pane", "toggle_entity_pane", ("e",), "Show or hide the entity pane", "entities", "Panes"),
    Action("facets", "toggle_facets", ("f",), "Entity pane: this article's entities, or facets of the results", "facets", "Panes"),
    Action("open_entity", "open_entity", ("enter",), "Open the page of the entity under the cursor (on a source or "
           "year: narrow the search to it)", None, "Panes", panes=("entities",)),
    Action("next_hit", "next_hit", ("n",), "Next search hit in the article", "next hit", "Reading"),
    Action("previous_hit", "previous_hit", ("N",), "Previous search hit in the article", None, "Reading"),
    Action("highlight_entities", "toggle_entity_highlights", ("H",), "Highlight entities in the article, or not", None, "Reading"),
    Action("compare_versions", "compare_versions", ("d",), "Compare the article with the other versions of its "
           "story, sentence by sentence: added, dropped and changed sentences and quotes", None, "Reading",
           panes=("list", "reader")),
    Action("toggle_read", "toggle_read", ("r",), "Mark the article read or unread (opening it marks it read)", None, "Library"),
    Action("star", "toggle_star", ("asterisk",), "Star the article, or take its star away", "star", "Library"),
    Action("tags", "edit_tags", ("t",), "Edit the article's tags", None, "Library"),
    Action("note", "edit_note", ("a",), "Write a note on the article", None, "Library"),
    Action("note_in_editor", "edit_note_in_editor", ("A",), "Write the note in $EDITOR", None, "Library"),
    Action("names", "cross_reference", ("R",), "Cross-reference a list of names (a file: one per line, or a CSV "
           "with name and kind)", None, "Search"),
    Action("save_search", "save_search", ("S",), "Save the current search under a name", None, "Library"),
    Action("saved_searches", "saved_searches", ("L",), "Saved searches with their unread counts (Enter runs one)", None, "Library"),
    Action("export_results", "export_results", ("x",), "Export the results to a file (.md, .json or .csv)", None, "Out"),
    Action("export_article", "export_article", ("X",), "Export this article to a file", None, "Out"),
    Action("pager", "open_in_pager", ("p",), "Read the article's text in $PAGER", None, "Out"),
    Action("editor", "open_in_editor", ("E",), "Open the article's text in $EDITOR", None, "Out"),
    Action("pipe", "pipe_article", ("vertical_line",), "Pipe the article's text to a shell command", None, "Out"),
    Action("copy_url", "copy_url", ("y",), "Copy the article's URL to your clipboard (works over SSH)", None, "Out"),
    Action("copy_citation", "copy_citation", ("Y",), "Copy a citation: title, authors, source, date, URL", None, "Out"),
    Action("open_url", "open_url", ("o",), "Open the URL in the browser (over SSH: copy it instead)", None, "Out"),
    Action("watch", "toggle_watch", ("W",), "Watch the folder: index new and changed files as they arrive", None, "General"),
    Action("help", "help", ("question_mark", "f1"), "Show every key", "help", "General", while_typing=True),
    # The entity page (tui/screens/entity.py).
    Action("entity_list", "list_articles", ("enter",), "List the articles of the highlighted name or period", "list",
           "Entity page", screen="entity"),
    Action("entity_timeline", "switch_focus", ("t", "tab"), "Move between the timeline and the names", "timeline",
           "Entity page", screen="entity"),
    Action("entity_earlier", "period(-1)", ("h", "left"), "Timeline: the period before", None, "Entity page", screen="entity"),
    Action("entity_later", "period(1)", ("l", "right"), "Timeline: the period after", None, "Entity page", screen="entity"),
    Action("entity_range", "mark", ("v",), "Timeline: start a range of periods here (v again: one period)", None,
           "Entity page", screen="entity"),
    Action("entity_merge", "merge", ("m",), "Merge it into another entity (pick it as you type)", "merge",
           "Entity page", screen="entity"),
    Action("entity_kind", "change_kind", ("K",), "Change its kind (the model called a company a person)", None,
           "Entity page", screen="entity"),
    Action("entity_ignore", "ignore", ("x",), "Mark it not an entity", None, "Entity page", screen="entity"),
    Action("entity_alias", "add_alias", ("a",), "Add another name for it", None, "Entity page", screen="entity"),
    Action("entity_split", "split", ("s",), "Split off a name joined to it (by a close spelling, the corpus or you)",
           "split", "Entity page", screen="entity"),
    Action("entity_undo", "undo", ("u",), "Undo the last decision about it (kept in the folder's "
           "dossier-entities.toml)", "undo", "Entity page", screen="entity"),
    Action("entity_back", "close", ("escape", "backspace", "b", "q"), "Back to where you were", "back", "Entity page",
           screen="entity"),
    # The timeline of a search (tui/screens/timeline.py).
    Action("timeline_earlier", "period(-1)", ("h", "left"), "The period before", None, "Timeline", screen="timeline"),
    Action("timeline_later", "period(1)", ("l", "right"), "The period after", None, "Timeline", screen="timeline"),
    Action("timeline_range", "mark", ("v",), "Start a range of periods here (v again: one period)", "range", "Timeline",
           screen="timeline"),
    Action("timeline_narrow", "narrow", ("enter",), "Narrow the search to the period or range", "narrow", "Timeline",
           screen="timeline"),
    Action("timeline_close", "close", ("escape", "q", "T"), "Close the timeline", "close", "Timeline", screen="timeline"),
    # The versions of a story (tui/screens/story.py).
    Action("story_previous", "version(-1)", ("h", "left"), "The version before", None, "Story", screen="story"),
    Action("story_next", "version(1)", ("l", "right"), "The version after", "next version", "Story", screen="story"),
    Action("story_down", "scroll(1)", ("j", "down"), "Scroll the changes down", None, "Story", screen="story"),
    Action("story_up", "scroll(-1)", ("k", "up"), "Scroll the changes up", None, "Story", screen="story"),
    Action("story_page_down", "scroll(10)", ("space", "pagedown"), "Page down", None, "Story", screen="story"),
    Action("story_page_up", "scroll(-10)", ("pageup",), "Page up", None, "Story", screen="story"),
    Action("story_open", "open_version", ("enter",), "Read this version", "read", "Story", screen="story"),
    Action("story_close", "close", ("escape", "q", "d"), "Close the comparison", "close", "Story", screen="story"),
    Action("quit", "quit", ("q", "alt+q"), "Quit (alt+q too: Esc then q arrives as alt+q over SSH)", "quit", "General",
           while_typing=True),
)


def of_screen(screen: str) -> tuple[Action, ...]:
    return tuple(a for a in ACTIONS if a.screen == screen)


BY_ID = {a.id: a for a in ACTIONS}
BY_METHOD = {a.action.partition("(")[0]: a for a in of_screen("main")}  # "focus_pane" for focus_pane('list')


def keys_of(action: Action, keymap: dict[str, str]) -> tuple[str, ...]:
    """The keys that run an action: the user's keymap (config.toml [keymap], action id ->
    "key,key", the app's `config.keymap`), else the defaults."""
    if action.id in keymap:
        return tuple(k.strip() for k in keymap[action.id].split(",") if k.strip())
    return action.keys


def bindings(screen: str = "main") -> list[Binding]:
    """A screen's bindings. Priority: the app runs them as a key arrives, before the keys after
    it (tui/keys.py); the main screen's check_action says where each one applies."""
    return [
        Binding(",".join(a.keys), a.action, a.description, show=False, id=a.id, priority=True)
        for a in of_screen(screen)
    ]


def registry_keys(keymap: dict[str, str]) -> set[str]:
    """The main screen's keys."""
    return {key for a in of_screen("main") for key in keys_of(a, keymap)}


def typed_keys_taken(keymap: dict[str, str]) -> set[str]:
    """Keys of the main screen's actions that do not work while a text field has the focus:
    there they edit."""
    return {key for a in of_screen("main") if not a.while_typing for key in keys_of(a, keymap)}


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
    return {"slash": "/", "question_mark": "?", "backspace": "⌫", "enter": "⏎", "alt+q": "M-q",
            "asterisk": "*", "vertical_line": "|", "escape": "Esc", "tab": "Tab", "left": "←",
            "right": "→"}.get(key, key)
