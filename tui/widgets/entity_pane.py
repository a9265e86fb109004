"""The entity pane: the open article's entities by kind, or the facets of the results.
Enter on an entry asks the app to search for it (or to narrow the search to it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index import sanitize
from index.article import Article

from index.kinds import KIND_TITLES, KINDS

from ..theme import KIND_STYLES, META

KIND_ORDER = KINDS
FACET_TITLES = {**KIND_TITLES, "source": "Sources", "year": "Years"}


@dataclass(frozen=True)
class Pick:
    """What Enter on an entry means: a field and a value to search for."""

    field: str  # person, org, place, group, event, source, year
    value: str
    key: str | None = None  # an article's entity: its key as recognised (`person:tony blair`)

    def query(self) -> str:
        if self.field == "year":
            return f"date:{self.value}"
        value = self.value.replace('"', "")
        return f'{self.field}:"{value}"'


class EntityPane(OptionList):
    DEFAULT_CSS = """
    EntityPane, EntityPane:focus { background: $surface; border: none; padding: 0; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    class Picked(Message):
        def __init__(self, pick: Pick, narrow: bool) -> None:
            self.pick = pick
            self.narrow = narrow  # facets narrow the current search; entities start a new one
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.mode = "article"  # or "facets"
        self._picks: dict[str, Pick] = {}
        self.entries: list[tuple[int, str, str, int]] = []  # (option index, kind, label, count)
        # Whose entities the pane lists in mode "article" (Ellipsis: none yet, not even "no article").
        self.article_shown: Article | None | type(Ellipsis) = ...

    def _fill(self, groups: list[tuple[str, list[tuple[str, str, int]]]], empty: str,
              keys: dict[tuple[str, str], str] | None = None, shown: dict[tuple[str, str], str] | None = None) -> None:
        """groups: (kind, [(value, label, count)]); keys: (kind, value) -> entity key, where
        known; shown: (kind, value) -> the count as shown, where it is not the number alone."""
        self.clear_options()
        self._picks = {}
        self.entries = []
        options: list[Option] = []
        for kind, entries in groups:
            if not entries:
                continue
            options.append(Option(Text(FACET_TITLES.get(kind, kind), style="bold"), disabled=True, id=f"title\x1f{kind}"))
            for i, (value, label, count) in enumerate(entries):
                option_id = f"{kind}\x1f{i}"
                self._picks[option_id] = Pick(kind, value, (keys or {}).get((kind, value)))
                self.entries.append((len(options), kind, label, count))
                # A grid fits the entry to the pane's width whenever it is drawn.
                line = Table.grid(expand=True, padding=(0, 1))
                line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
                line.add_column(justify="right", no_wrap=True)
                name = Text(sanitize.clean_line(label), style=KIND_STYLES.get(kind, ""))
                line.add_row(Text.assemble(" ", name), Text((shown or {}).get((kind, value), str(count)), style=META))
                options.append(Option(line, id=option_id))
        if not options:
            options.append(Option(Text(empty, style=META), disabled=True))
        self.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first
        # Highlighting scrolls the entry into view, which can hide its kind's heading: a
        # refilled pane always starts at the top.
        self.call_after_refresh(self.scroll_home, animate=False)

    def show_article(self, article: Article | None) -> None:
        self.mode = "article"
        self.article_shown = article
        if article is None:
            self._fill([], "No article open.")
            return
        mentions: dict[str, Counter] = {k: Counter() for k in KIND_ORDER}
        names: dict[str, str] = {}
        for span in article.entities:
            mentions[span.kind][span.key] += 1
            names[span.key] = span.name
        groups = [
            (kind, [(names[key], names[key], n) for key, n in mentions[kind].most_common()])
            for kind in KIND_ORDER
        ]
        self._fill(groups, "No entities in this article.", {(key.partition(":")[0], name): key for key, name in names.items()})

    def show_facets(self, facets: dict[str, list[tuple[str, int]]]) -> None:
        """Each value with its articles, and "(stories)" when they tell fewer stories."""
        self.mode = "facets"
        told = getattr(facets, "stories", {})

        groups = [(kind, [(v, v, n) for v, n in facets.get(kind, [])[:12]])
                  for kind in ("person", "org", "place", "source", "year")]
        shown = {(kind, value): f"{n} ({stories})" for kind, entries in groups for value, _, n in entries
                 if (stories := told.get(kind, {}).get(value)) is not None and stories != n}
        self._fill(groups, "No results to facet.", shown=shown)

    def action_first(self) -> None:
        self.highlighted = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)

    def action_last(self) -> None:
        self.highlighted = next((i for i in reversed(range(self.option_count)) if not self.get_option_at_index(i).disabled), None)

    def highlighted_pick(self) -> Pick | None:
        """What Enter would pick now."""
        if self.highlighted is None:
            return None
        return self._picks.get(self.get_option_at_index(self.highlighted).id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pick = self._picks.get(event.option.id or "")
        if pick:
            self.post_message(self.Picked(pick, narrow=self.mode == "facets"))
