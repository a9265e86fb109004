"""The dossier reader: search bar, article list, reading view, entity pane, status line."""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.timer import Timer
from textual.widgets import Input, Static

from index.corpus import Corpus, CorpusError
from index.query import QueryError
from index.search import Engine, ResultList

from . import actions
from .background import run as run_background_ingest
from .commands import ActionCommands
from .screens.help import HelpScreen
from .widgets.article_list import ArticleList
from .widgets.entity_pane import EntityPane
from .widgets.reader import ReaderView
from .widgets.search_input import SearchInput
from .widgets.status import StatusBar

INDEX_POLL = 2.0  # seconds between checks for commits made by another dossier process
SEARCH_DEBOUNCE = 0.15  # seconds of quiet typing before a search runs
SETTLE_DELAY = 0.2  # seconds the list cursor must rest before the reader follows it
# While a query is being typed the reader waits for a pause: redrawing the article (and its
# entities) for every keystroke tripled the bytes sent per character over SSH.
TYPING_SETTLE_DELAY = 1.0
WIDE = 120  # columns from which the entity pane is shown beside the others
OVER_SSH = bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


@dataclass(frozen=True)
class SearchState:
    query: str
    sort: str


class DossierApp(App):
    TITLE = "dossier"
    CSS = """
    Screen { layout: vertical; }
    #search-bar { height: 1; }
    #search-label { width: 2; height: 1; color: $accent; text-style: bold; }
    #search { height: 1; border: none; padding: 0; width: 1fr; background: $surface; }
    #search:focus { background: $boost; }
    /* Always one row: showing and hiding it moved every pane, so Textual redrew the whole
       screen (20 KB over SSH) each time a search found nothing and then something. */
    #message { height: 1; color: $warning; padding: 0 1; }
    #message.error { color: $error; }
    #panes { height: 1fr; }
    .pane { border-top: hkey $panel; border-title-color: $text-muted; height: 1fr; }
    .pane:focus-within { border-top: hkey $accent; border-title-color: $text; border-title-style: bold; }
    #list-pane { width: 2fr; min-width: 30; }
    #reader-pane { width: 3fr; }
    #entity-pane { width: 34; display: none; }
    #entity-pane.shown { display: block; }
    """
    COMMANDS = App.COMMANDS | {ActionCommands}
    BINDINGS = actions.bindings()

    def __init__(self, corpus: Corpus, index_in_background: bool = True) -> None:
        super().__init__()
        self.corpus = corpus
        self.index_in_background = index_in_background
        self.engine: Engine | None = None
        self.state = SearchState("", "date")  # the search whose results are shown
        self.requested = self.state  # the latest search asked for (may still be running)
        self.history: list[SearchState] = []
        self.results: ResultList | None = None
        self.entity_pane_wanted: bool | None = None  # None: follow the terminal width
        self.progress = ""
        self._search_timer: Timer | None = None
        self._settle_timer: Timer | None = None
        self._open_id: str | None = None
        self._open_query: str | None = None
        self._loading_id: str | None = None  # an article on its way to the reader
        self._pending_jump = 0  # n/N pressed while it was on its way
        self._refresh_pending = False  # the index changed and the list has not caught up yet
        self._warmed = False  # word lists for fuzzy/wildcard searches loaded in the background
        if OVER_SSH:
            self.animation_level = "none"

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Static("/", id="search-label")
            yield SearchInput(placeholder="search — iran date:>2019, person:soleimani, \"missile launch\"", id="search")
        yield Static("", id="message")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane", classes="pane"):
                yield ArticleList(id="list")
            with Vertical(id="reader-pane", classes="pane"):
                yield ReaderView(id="reader")
            with Vertical(id="entity-pane", classes="pane"):
                yield EntityPane(id="entities")
        yield StatusBar(id="statusbar")

    def on_mount(self) -> None:
        search = self.query_one("#search", Input)
        search.cursor_blink = not OVER_SSH
        self.query_one("#list-pane").border_title = "Articles"
        self.query_one("#reader-pane").border_title = "Reading"
        self.query_one("#entity-pane").border_title = "Entities"
        self._layout_entity_pane()
        try:
            self.engine = Engine(self.corpus)
        except CorpusError as exc:
            self.query_one("#reader", ReaderView).show_message(f"Cannot open the index: {exc}")
            return
        if self.engine.note:
            self.notify(f"Index {self.engine.note}", severity="warning")
        self.query_one("#list", ArticleList).focus()
        self.run_search(self.state)
        if self.index_in_background:
            self.index_folder()
        # Another `dossier index` may be writing this index: show its commits as they land.
        self.set_interval(INDEX_POLL, self._index_grew)

    def on_resize(self, event: Resize) -> None:
        self._layout_entity_pane()

    @property
    def narrow(self) -> bool:
        return self.size.width < WIDE

    def _layout_entity_pane(self) -> None:
        shown = self.entity_pane_wanted if self.entity_pane_wanted is not None else not self.narrow
        self.query_one("#entity-pane").set_class(shown, "shown")
        # Narrow terminals have room for two panes: the entity pane takes the list's place.
        self.query_one("#list-pane").display = not (shown and self.narrow)

    # -- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if self._search_timer:
            self._search_timer.stop()
        if self._settle_timer:  # the reader waits for a pause in the typing, not in the results
            self._settle_timer.reset()
        query = event.value
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self.run_search(SearchState(query, self._sort_for(query))))

    def _sort_for(self, query: str) -> str:
        return "date" if not query.strip() else (self.state.sort if self.state.query.strip() else "relevance")

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self._leave_search()

    def _leave_search(self) -> None:
        search = self.query_one("#search", Input)
        if self._search_timer:  # run what was typed now, not after the debounce
            self._search_timer.stop()
            self._search_timer = None
            self.run_search(SearchState(search.value, self._sort_for(search.value)))
        elif self.results is not None and self.results.total == 0:
            self._clear_reader()
        self.query_one("#list", ArticleList).focus()

    def on_key(self, event: Key) -> None:
        if event.key == "escape" and self.focused is self.query_one("#search", Input):
            event.stop()
            self._leave_search()

    def run_search(self, state: SearchState) -> None:
        self.requested = state
        self._search_worker(state)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(self, state: SearchState) -> None:
        engine = self.engine
        if engine is None:
            return
        try:
            results = engine.result_list(state.query, state.sort)
            for i in range(min(len(results), 60)):  # the first screens, read off the UI thread
                results.row(i)
        except QueryError as exc:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._show_query_error, str(exc))
            return
        # A newer search cancels this one, but a thread runs on: its results must not land.
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._apply_results, state, results)

    def _show_query_error(self, message: str) -> None:
        self._message(message, error=True)

    def _apply_results(self, state: SearchState, results: ResultList, keep: bool = False) -> None:
        if state != self.requested:
            return  # results of a search that was superseded while it ran
        self.state = state
        self.results = results
        if not self._warmed:  # after the first paint, which it would otherwise slow down
            self._warmed = True
            self._warm_worker()
        article_list = self.query_one("#list", ArticleList)
        article_list.show(results, keep_id=self._open_id if keep else None)
        pane = self.query_one("#list-pane")
        pane.border_title = f"Articles · {'date' if results.sort == 'date' else 'relevance'}"
        if results.total == 0 and results.suggestion:
            self._message(f"No articles match. Did you mean: {results.suggestion}")
        elif results.total == 0 and state.query.strip():
            self._message("No articles match.")
        elif results.notes:
            self._message("; ".join(results.notes))
        else:
            self._message("")
        self._update_status()
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "facets":
            self.load_facets()
        # While the query is typed, a word on its way ("oi" before "oil") finds nothing: the
        # reader keeps the last article until the search is left rather than flashing empty.
        if results.total == 0 and not self._typing():
            self._clear_reader()

    def _typing(self) -> bool:
        return self.focused is self.query_one("#search", Input)

    def _clear_reader(self) -> None:
        self._open_id = None
        self.query_one("#reader", ReaderView).show_message("No article to show.")
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "article":
            entity_pane.show_article(None)

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(text))
        message.set_class(error, "error")

    def _update_status(self) -> None:
        total = self.results.total if self.results else 0
        reader = self.query_one("#reader", ReaderView)
        parts = [f"{total:,} article{'s' if total != 1 else ''}"]
        if reader.hit_label:
            parts.append(reader.hit_label)
        self.query_one(StatusBar).set_status(" · ".join(parts), self.progress)

    def _search_for(self, query: str, push: bool = True) -> None:
        if push:
            self.history.append(self.state)
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
        self.run_search(SearchState(query, "relevance" if query.strip() else "date"))

    # -- reading --------------------------------------------------------------------------
    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._settle_timer:
            self._settle_timer.stop()
        # The same article under a new query must reload: its hits are the query's.
        if event.article_id and (event.article_id, self.state.query) != (self._open_id, self._open_query):
            article_id = event.article_id
            delay = TYPING_SETTLE_DELAY if self._typing() else SETTLE_DELAY
            self._settle_timer = self.set_timer(delay, lambda: self.load_article(article_id))

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.load_article(event.article_id)

    def load_article(self, article_id: str) -> None:
        self._loading_id = article_id
        self._article_worker(article_id)

    @work(thread=True, exclusive=True, group="article")
    def _article_worker(self, article_id: str) -> None:
        engine = self.engine
        if engine is None:
            return
        try:
            article = engine.article(article_id)
            query = self.state.query
            hits = engine.hit_spans(article_id, query) if query.strip() else {}
        except (CorpusError, QueryError):
            self.call_from_thread(self._load_failed, article_id)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_article, article, hits)

    def _load_failed(self, article_id: str) -> None:
        if self._loading_id == article_id:
            self._loading_id = None
            self._pending_jump = 0

    def _show_article(self, article, hits) -> None:
        reader = self.query_one("#reader", ReaderView)
        same = article.id == self._open_id and self._open_query == self.state.query and reader.article is not None
        self._open_id = article.id
        self._open_query = self.state.query
        if article.id == self._loading_id:
            self._loading_id = None
        if not same:
            reader.show_article(article, hits)
        if self._pending_jump and self._loading_id is None:
            step, self._pending_jump = self._pending_jump, 0
            reader.jump_hit(step)
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "article":
            entity_pane.show_article(article)
        self._update_status()

    # -- entities and facets -----------------------------------------------------------------
    @on(EntityPane.Picked)
    def _picked(self, event: EntityPane.Picked) -> None:
        query = event.pick.query()
        if event.narrow and self.state.query.strip():
            query = f"{self.state.query} {query}"
        self._search_for(query)
        if self.narrow:  # give the list its place back to show the new results
            self.entity_pane_wanted = None
            self._layout_entity_pane()
        self.query_one("#list", ArticleList).focus()

    @work(thread=True, exclusive=True, group="facets")
    def load_facets(self) -> None:
        engine, query = self.engine, self.state.query
        if engine is None:
            return
        try:
            facets = engine.facets(query) if query.strip() else engine.facets("*")
        except QueryError:
            facets = {}
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.query_one("#entities", EntityPane).show_facets, facets)

    # -- background indexing -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="ingest")
    def index_folder(self) -> None:
        seen_articles = -1
        for event in run_background_ingest(str(self.corpus.root), str(self.corpus.home)):
            kind = event.get("event")
            if kind == "progress":
                text = f"indexing {event['done']:,}/{event['total']:,}"
                self.call_from_thread(self._set_progress, text)
                if event["articles"] != seen_articles:
                    seen_articles = event["articles"]
                    self.call_from_thread(self._index_grew)
            elif kind == "done":
                note = event.get("entities_error")
                self.call_from_thread(self._set_progress, "")
                self.call_from_thread(self._index_grew)
                skipped = len(event.get("skipped", []))
                if event.get("files_indexed"):
                    self.call_from_thread(self.notify, f"Indexed {event['articles_indexed']:,} articles"
                                          + (f"; {skipped} files skipped (dossier index shows why)" if skipped else ""))
                if note:
                    self.call_from_thread(self.notify, note, severity="warning", timeout=10)
            elif kind == "busy":
                # Someone else is indexing this folder: their commits arrive through the poll.
                self.call_from_thread(self._set_progress, "another dossier is indexing")
            elif kind == "error":
                self.call_from_thread(self._set_progress, "")
                self.call_from_thread(self.notify, event.get("message", "indexing failed"), severity="error", timeout=10)

    def _set_progress(self, text: str) -> None:
        self.progress = text
        self._update_status()

    def _index_grew(self) -> None:
        if self.engine:
            self._refresh_worker(self.requested)

    @work(thread=True, group="warm")
    def _warm_worker(self) -> None:
        if self.engine is not None:
            self.engine.warm()  # the first fuzzy or wildcard search then answers at once

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_worker(self, state: SearchState) -> None:
        """Off the UI thread: opening new segment readers and reloading the entity registry
        take real time on a big index. Re-runs the latest search asked for, not the one
        shown, so a refresh never replaces what the user has just typed."""
        engine = self.engine
        if engine is None:
            return
        # A newer refresh cancels this one after engine.refresh() has consumed the change, so
        # "changed" is remembered until some worker's results land; otherwise the list could
        # miss a commit for good (the cancelled worker drops them, the newer one sees nothing new).
        if engine.refresh():
            self._refresh_pending = True
        if not self._refresh_pending:
            return
        try:
            results = engine.result_list(state.query, state.sort)
        except QueryError:
            self._refresh_pending = False
            return
        if not get_current_worker().is_cancelled:
            self._refresh_pending = False
            self.call_from_thread(self._apply_results, state, results, True)

    # -- actions (named in the registry) ---------------------------------------------------------
    def action_focus_search(self) -> None:
        # set_focus now, not focus() later: keys typed right after "/" must reach the box.
        self.screen.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        if not self.history:
            self.notify("No earlier search.", timeout=2)
            return
        state = self.history.pop()
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = state.query
        self.run_search(state)

    def action_clear_search(self) -> None:
        self._search_for("")

    def action_toggle_sort(self) -> None:
        if not self.state.query.strip():
            self.notify("Every article is listed newest first; search to sort by relevance.", timeout=3)
            return
        sort = "date" if self.state.sort == "relevance" else "relevance"
        self.run_search(SearchState(self.state.query, sort))

    def action_open_article(self) -> None:
        article_list = self.query_one("#list", ArticleList)
        article_id = article_list.current_id
        if article_id:
            if article_id != self._open_id or self._open_query != self.state.query:
                self.load_article(article_id)
            self.query_one("#reader", ReaderView).focus()

    def action_focus_pane(self, pane: str) -> None:
        if pane == "entities":
            self.entity_pane_wanted = True
        elif pane == "list" and self.narrow:
            self.entity_pane_wanted = None
        self._layout_entity_pane()
        self.query_one(f"#{pane}").focus()

    def action_toggle_entity_pane(self) -> None:
        shown = self.query_one("#entity-pane").has_class("shown")
        self.entity_pane_wanted = not shown
        self._layout_entity_pane()
        if not shown:
            self.query_one("#entities", EntityPane).focus()
        elif self.focused is self.query_one("#entities") or self.focused is None:
            self.query_one("#list", ArticleList).focus()

    def action_toggle_facets(self) -> None:
        pane = self.query_one("#entities", EntityPane)
        if not self.query_one("#entity-pane").has_class("shown"):
            self.entity_pane_wanted = True
            self._layout_entity_pane()
        if pane.mode == "article":
            self.query_one("#entity-pane").border_title = "Facets of the results"
            pane.mode = "facets"
            self.load_facets()
        else:
            self.query_one("#entity-pane").border_title = "Entities"
            reader = self.query_one("#reader", ReaderView)
            pane.show_article(reader.article)

    def action_next_hit(self) -> None:
        self._jump(1)

    def action_previous_hit(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        if self._loading_id is not None:
            self._pending_jump = step  # jump when the article arrives
            return
        reader = self.query_one("#reader", ReaderView)
        if not reader.jump_hit(step):
            self.notify("No search hits in this article.", timeout=2)
        self._update_status()

    def action_toggle_entity_highlights(self) -> None:
        reader = self.query_one("#reader", ReaderView)
        reader.set_entity_highlights(not reader.show_entities)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def run_app(corpus: Corpus, mouse: bool = True) -> None:
    DossierApp(corpus).run(mouse=mouse)
