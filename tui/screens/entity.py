"""The entity page: who an entity is in this corpus. Its name and kind, articles and
mentions, spellings, first and last seen, sources, articles over time (a bar chart: h/l move
along it, Enter lists a period's articles) and the entities named with it more often than
chance (Enter lists the articles naming both). Back returns to where the page was opened.

The page answers with what to search for; the main screen runs it and keeps the way back."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from index import sanitize
from index.corpus import CorpusError
from index.entity_registry import JOINED_BY
from index.errors import InternalError
from index.kinds import ENTITY_KINDS, KIND_BY_NAME
from index.query import QueryError

from .. import actions
from ..keys import Dialog
from .pick import Picker
from .prompt import Prompt
from ..theme import KIND_STYLES, META
from ..widgets.entity_pane import Pick
from ..widgets.status import footer_keys
from ..widgets.timeline import TimelineChart

@dataclass(frozen=True)
class Choice:
    """What the page answers: a query to run (and the page to come back to)."""

    query: str


class EntityPage(Dialog):
    """An entity's page, opened from the entity pane or the facets (`pick`). With `narrow`
    (the search the facets were of), the page also offers the articles of that search only."""

    DEFAULT_CSS = """
    EntityPage { background: $background; }
    EntityPage > Vertical { width: 100%; height: 100%; background: $surface; padding: 0 1; }
    EntityPage #entity-head { height: 1; }
    EntityPage #entity-facts { height: auto; }
    EntityPage #named { height: 1fr; border: none; padding: 0; background: $surface; }
    EntityPage #named:focus { background: $surface; }
    EntityPage #entity-keys { height: 1; background: $panel; }
    """
    BINDINGS = actions.bindings("entity") + [
        Binding("j,down", "cursor('down')", show=False),
        Binding("k,up", "cursor('up')", show=False),
        Binding("g,home", "cursor('first')", show=False),
        Binding("G,end", "cursor('last')", show=False),
        Binding("pagedown,space,ctrl+f", "cursor('page_down')", show=False),
        Binding("pageup,ctrl+b", "cursor('page_up')", show=False),
    ]
    keys_on_mount = False  # keys typed after Enter wait for the page to be filled

    def __init__(self, engine, pick: Pick, narrow: str | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.pick = pick
        self.narrow = narrow.strip() if narrow and narrow.strip() else None
        self.page = None
        self._queries: dict[str, str] = {}  # option id -> the query Enter runs
        self.changed = False  # a decision was made here: the screens below show entities anew
        self._name_now = pick.key or f"{pick.field}:{pick.value}"  # what undo asks about

    def pending(self) -> list[str]:
        """For the app's pending(): the page is still being read."""
        return [] if self.takes_keys else [f"the entity page of {self.pick.value!r}"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(sanitize.clean_line(self.pick.value), style="bold"), id="entity-head")
            yield Static(Text("Reading the corpus…", style=META), id="entity-facts")
            yield TimelineChart(id="timeline")
            yield OptionList(id="named")
            yield Static(footer_keys(self.app.config.keymap, "entity"), id="entity-keys")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#named", OptionList))
        self.load()

    @work(thread=True, exclusive=True, group="entity-page", exit_on_error=False)
    def load(self) -> None:
        pick = self.pick
        try:
            page = self.engine.entity_page(pick.value, kind=pick.field, key=pick.key)
            inside = self.engine.count(f"{self.narrow} {pick.query()}") if self.narrow else None
        except (CorpusError, QueryError, InternalError) as exc:
            self.app.call_from_thread(self._show_problem, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, page, inside)

    def _show_problem(self, text: str) -> None:
        self.query_one("#entity-facts", Static).update(Text(sanitize.clean_line(text), style="red"))
        self.query_one("#timeline", TimelineChart).show(None)
        self.ready_for_keys()

    def _show(self, page, inside: int | None) -> None:
        self.page = page
        self._name_now = page.key
        kind = KIND_BY_NAME.get(page.kind)
        self.query_one("#entity-head", Static).update(Text.assemble(
            (sanitize.clean_line(page.name), KIND_STYLES.get(page.kind, Style()) + Style(bold=True)),
            ("  " + (kind.noun if kind else page.kind), META)))
        self.query_one("#entity-facts", Static).update(self._facts(page))
        self.query_one("#timeline", TimelineChart).show(page.timeline)
        self._fill_names(page, inside)
        self.ready_for_keys()

    @staticmethod
    def _facts(page) -> Group:
        seen = [f"{page.articles:,} article{'s' if page.articles != 1 else ''}", f"{page.mentions:,} mention{'s' if page.mentions != 1 else ''}"]
        if page.first_seen:
            seen.append(f"first seen {page.first_seen}" + (f", last {page.last_seen}" if page.last_seen != page.first_seen else ""))
        if page.undated:
            seen.append(f"{page.undated:,} undated")
        lines = [Text(" · ".join(seen), no_wrap=True, overflow="ellipsis")]
        if page.variants:
            spellings = ", ".join(f"{n} ({c:,})" if c is not None else n for n, c in page.variants[:10])
            lines.append(Text.assemble(("Spellings ", META), sanitize.clean_line(spellings), no_wrap=True, overflow="ellipsis"))
        if page.joined:
            lines.append(Text.assemble(("Joined ", META), sanitize.clean_line(page.joined_text()),
                                       no_wrap=True, overflow="ellipsis"))
        if page.sources:
            sources = ", ".join(f"{s} ({c:,})" for s, c in page.sources[:8])
            lines.append(Text.assemble(("Sources ", META), sanitize.clean_line(sources), no_wrap=True, overflow="ellipsis"))
        timeline = page.timeline
        if timeline.periods:
            lines.append(Text.assemble(("Articles by " + timeline.unit, "bold"),
                                       (f", {timeline.periods[0]} to {timeline.periods[-1]}", META), no_wrap=True))
        return Group(*lines)

    def _fill_names(self, page, inside: int | None) -> None:
        named = self.query_one("#named", OptionList)
        named.clear_options()
        entity = Pick(page.kind, page.name).query()
        self._queries = {"all": entity}
        options = [Option(Text.assemble(("▸ ", META), (f"All {page.articles:,} article{'s' if page.articles != 1 else ''} naming {page.name}", "bold")), id="all")]
        if inside is not None:
            self._queries["narrow"] = f"{self.narrow} {entity}"
            options.append(Option(Text.assemble(("▸ ", META), f"The {inside:,} of them in: ",
                                                (sanitize.clean_line(self.narrow), "bold")), id="narrow"))
        title = "Named with it more often than chance (articles together, of its own)"
        options.append(Option(Text(title if page.co_mentions else "Named with it: no one often enough to tell",
                                   style="bold"), disabled=True))
        for i, other in enumerate(page.co_mentions):
            line = Table.grid(expand=True, padding=(0, 1))
            line.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            line.add_column(no_wrap=True, style=META, width=6)  # every row its own grid: fixed widths align them
            line.add_column(justify="right", no_wrap=True, width=13)
            line.add_row(Text(sanitize.clean_line(other.name), style=KIND_STYLES.get(other.kind, "")),
                         other.kind, f"{other.together:,} of {other.articles:,}")
            self._queries[f"co{i}"] = f"{entity} {Pick(other.kind, other.name).query()}"
            options.append(Option(line, id=f"co{i}"))
        for key, name, count in page.others:
            options.append(Option(Text(f"Also called {name}: {key} ({count:,} articles)", style=META), disabled=True))
        named.add_options(options)
        named.highlighted = 0

    # -- keys (from the registry: tui/actions.py) ------------------------------------------------

    def action_list_articles(self) -> None:
        if self.page is None:
            return
        if self.focused is self.query_one("#timeline", TimelineChart):
            chart = self.query_one("#timeline", TimelineChart)
            if chart.timeline and chart.timeline.periods:
                self.dismiss(Choice(f"{self._queries['all']} {chart.query()}"))
            return
        named = self.query_one("#named", OptionList)
        if named.highlighted is None:
            return
        option = named.get_option_at_index(named.highlighted)
        if option.id in self._queries:
            self.dismiss(Choice(self._queries[option.id]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click: as Enter
        self.action_list_articles()

    def action_switch_focus(self) -> None:
        chart = self.query_one("#timeline", TimelineChart)
        named = self.query_one("#named", OptionList)
        self.set_focus(named if self.focused is chart or not (chart.timeline and chart.timeline.periods) else chart)

    def action_period(self, step: int) -> None:
        chart = self.query_one("#timeline", TimelineChart)
        if self.focused is not chart and chart.timeline and chart.timeline.periods:
            self.set_focus(chart)  # h/l mean the timeline wherever the focus was
        chart.move(step)

    def action_mark(self) -> None:
        chart = self.query_one("#timeline", TimelineChart)
        if self.focused is not chart and chart.timeline and chart.timeline.periods:
            self.set_focus(chart)
        chart.mark()

    def action_cursor(self, how: str) -> None:
        named = self.query_one("#named", OptionList)
        if self.focused is not named:
            self.set_focus(named)
        getattr(named, f"action_{how}" if how in ("first", "last", "page_down", "page_up") else f"action_cursor_{how}")()

    def action_close(self) -> None:
        self.dismiss(None)

    # -- curation (index/curation.py): each decision is applied at once and the page shows the
    # entity as it now is (merged: the entity it joined)

    def action_merge(self) -> None:
        if self.page is None:
            return
        page, engine = self.page, self.engine

        def choices(typed: str) -> list[tuple[str, str]]:
            return [(key, f"{name}  ({key.partition(':')[0]}, {count:,} articles)")
                    for key, name, count in engine.entity_candidates(typed, exclude=page.key)]

        def picked(key: str | None) -> None:
            if key:
                self._decide("merge", key)

        self.app.push_screen(Picker(f"Merge {page.name} into:", choices), picked)

    def action_change_kind(self) -> None:
        if self.page is None:
            return
        kinds = [(k.name, f"{k.noun}  ({k.name})") for k in ENTITY_KINDS if k.name != self.page.kind]
        self.app.push_screen(Picker(f"{self.page.name} is:", lambda _typed: kinds, typing=False),
                             lambda kind: kind and self._decide("kind", kind))

    def action_ignore(self) -> None:
        if self.page is not None:
            self._decide("ignore", None)

    def action_add_alias(self) -> None:
        if self.page is None:
            return
        self.app.push_screen(Prompt(f"Another name for {self.page.name}:", hint="Enter adds it · Esc cancels"),
                             lambda name: name and name.strip() and self._decide("alias", name.strip()))

    def action_split(self) -> None:
        if self.page is None:
            return
        page = self.page
        if not page.joined:
            self.notify(f"Nothing was joined to {page.name}: its spellings were all read as it.", timeout=4)
            return

        def choices(typed: str) -> list[tuple[str, str]]:
            wanted = typed.strip().lower()
            return [(key, f"{key.partition(':')[2]}  ({key}, joined by {JOINED_BY.get(how, how)})")
                    for key, how in page.joined if wanted in key.partition(":")[2]]

        self.app.push_screen(Picker(f"Split off {page.name}:", choices),
                             lambda key: key and self._decide("split", key))

    def action_undo(self) -> None:
        self.changed = True
        self._curate(lambda: self.engine.undo_decision(self._name_now), undo=True)

    def _decide(self, action: str, value: str | None) -> None:
        self.changed = True
        self._curate(lambda: self.engine.decide(action, self.page.key, value))

    @work(thread=True, exclusive=True, group="curation", exit_on_error=False)
    def _curate(self, decide, undo: bool = False) -> None:
        try:
            decision = decide()
        except (CorpusError, QueryError, InternalError, OSError) as exc:
            self.app.call_from_thread(self.notify, sanitize.clean_line(str(exc)), severity="error", timeout=6)
            return
        if decision is None:
            self.app.call_from_thread(self.notify, "No decision about it to undo.", timeout=3)
            return
        said = f"{'Undone' if undo else 'Done'}: {decision.describe()} ({self.engine.curation_path.name}; u undoes)"
        self.app.call_from_thread(self.notify, sanitize.clean_line(said), timeout=5)
        # The page again, for what the entity is now: merged, the entity it joined; split, the
        # entity the name left.
        if decision.action == "split":
            entity = self.engine.registry.resolve(decision.value or self.page.key)
        else:
            entity = decision.entity if undo else self.engine.registry.resolve(decision.entity)
        self.app.call_from_thread(self._reload, entity, decision.action == "ignore" and not undo)

    def _reload(self, key: str, ignored: bool) -> None:
        self.pick = Pick(key.partition(":")[0], self.engine.registry.name(key), key)
        self._name_now = key
        if ignored:
            self.page = None
            self.query_one("#entity-facts", Static).update(Text(
                f"{self.pick.value} is marked not an entity: it is left out of counts, lists and underlining. "
                "u undoes.", style="bold"))
            self.query_one("#timeline", TimelineChart).show(None)
            self.query_one("#named", OptionList).clear_options()
            return
        self.load()
