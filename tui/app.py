"""The dossier reader: search bar, article list, reading view, entity pane, status line."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual import events
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.widgets.input import Selection

import datetime as dt
import webbrowser
from pathlib import Path

from index import export, sanitize
from index.corpus import Corpus, CorpusError, IndexGone
from index.errors import InternalError, record as record_error
from index.library import Library, LibraryError
from index.query import QueryError
from index.search import Engine, ResultList
from index.watch import changes as watch_changes

from . import actions, external, theme
from .background import run as run_background_ingest
from .commands import ActionCommands
from .config import Config
from .keys import KeyRouter, unalt
from .screens.help import HelpScreen
from .screens.prompt import NoteEditor, Prompt
from .screens.saved import SavedSearches
from .widgets.article_list import ArticleList
from .widgets.entity_pane import EntityPane
from .widgets.reader import ReaderView
from .widgets.search_input import SearchInput
from .widgets.status import StatusBar


@dataclass(frozen=True)
class Timing:
    """The reader's delays, in seconds (tests make them short)."""

    debounce: float = 0.15  # quiet typing before a search runs
    settle: float = 0.2  # the list cursor must rest this long before the reader follows it
    # While a query is being typed the reader waits for a pause: redrawing the article (and
    # its entities) for every keystroke tripled the bytes sent per character over SSH.
    typing_settle: float = 1.0
    index_poll: float = 2.0  # between checks for commits made by another dossier process


WIDE = 120  # columns from which the entity pane is shown beside the others
OVER_SSH = bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


@dataclass(frozen=True)
class SearchState:
    query: str
    sort: str


@dataclass(frozen=True)
class Place:
    """Where the user was, for Back: the search, the article under the cursor, the scroll."""

    state: SearchState
    cursor_id: str | None = None
    top: int = 0


class DossierApp(KeyRouter, App):
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

    def __init__(self, corpus: Corpus, index_in_background: bool = True, config: Config | None = None,
                 watch: bool = False, timing: Timing = Timing()) -> None:
        self.config = config or Config()
        self.timing = timing
        actions.set_keymap(self.config.keymap)
        for kind, colour in self.config.entity_colours.items():
            theme.set_entity_colour(kind, colour)
        super().__init__()
        self.corpus = corpus
        self.library: Library = Library.in_memory(corpus.root)  # the real one opens on mount
        self.index_in_background = index_in_background
        self.engine: Engine | None = None
        self.state = SearchState("", "date")  # the search whose results are shown
        self.requested = self.state  # the latest search asked for (may still be running)
        self.history: list[Place] = []  # earlier searches, for Back
        self._searched_from: Place | None = None  # where the search bar was entered from
        self._going_back_to: Place | None = None  # a place whose results are on their way
        self._results_awaited = False  # keys wait for the search on its way (not one typed)
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
        self._watch_on_start = watch
        self._watch_stop: threading.Event | None = None  # set: the folder watcher stops
        self.watch_listening = threading.Event()  # set: the OS is watching the folder
        self._ingesting = False  # an indexing run is under way
        self._ingest_again = False  # files changed during that run: run once more after it
        if OVER_SSH:
            self.animation_level = "none"

    def get_driver_class(self):
        from textual import constants

        driver = super().get_driver_class()
        # Linux and macOS terminals get Esc without the lag, unless TEXTUAL_DRIVER names one.
        if driver.__name__ == "LinuxDriver" and constants.DRIVER is None:
            from .driver import PromptEscDriver

            return PromptEscDriver
        return driver

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Static("/", id="search-label")
            yield SearchInput(placeholder="search — iran date:>2019, person:soleimani, \"missile launch\"", id="search",
                              select_on_focus=False)
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
        self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for problem in self.config.problems:
            self.notify(problem, title="config.toml", severity="warning", timeout=15)
        search = self.query_one("#search", SearchInput)
        search.cursor_blink = not OVER_SSH
        self.query_one("#list-pane").border_title = "Articles"
        self.query_one("#reader-pane").border_title = "Reading"
        self.query_one("#entity-pane").border_title = "Entities"
        self._layout_entity_pane()
        try:
            self.engine = Engine(self.corpus)
        except CorpusError as exc:
            self.query_one("#reader", ReaderView).show_message(f"Cannot open the index: {exc}")
            self.keys_ready()
            return
        if self.engine.note:
            self.notify(f"Index {self.engine.note}; indexing the files again.", severity="warning", timeout=15)
        self._open_library()
        _focus(self.query_one("#list", ArticleList))
        self.run_search(self.state)
        if self.index_in_background:
            self.start_indexing()
        if self._watch_on_start:
            self.action_toggle_watch()
        # Another `dossier index` may be writing this index: show its commits as they land.
        self.set_interval(self.timing.index_poll, self._index_grew)
        self.keys_ready()

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
        # The field's value now, not the event's: keys are handled before their Changed
        # messages, so a change can arrive after Enter ran the query, or after `c` cleared it.
        query = self.query_one("#search", Input).value
        self._search_timer = None
        if query == self.requested.query:
            return  # already asked for

        def search_now() -> None:
            self._search_timer = None
            self.run_search(SearchState(query, self._sort_for(query)), as_typed=True)

        self._search_timer = self.set_timer(self.timing.debounce, search_now)

    def _sort_for(self, query: str) -> str:
        return "date" if not query.strip() else (self.state.sort if self.state.query.strip() else self.config.default_sort)

    def _leave_search(self) -> None:
        query = self.query_one("#search", Input).value
        self._remember(query)
        came_from, self._searched_from = self._searched_from, None
        if came_from is not None and query.strip() != came_from.state.query.strip():
            self.history.append(came_from)
        if self._search_timer:
            self._search_timer.stop()
            self._search_timer = None
        _focus(self.query_one("#list", ArticleList))
        if query != self.requested.query:  # run what was typed now, not after the debounce
            self.run_search(SearchState(query, self._sort_for(query)))
        elif self.results is not None and self.results.total == 0 and self.requested == self.state:
            self._clear_reader()

    def pending(self) -> list[str]:
        """What the user asked for that has not reached the screen yet (empty when the screen
        shows everything asked for): tests wait on this instead of sleeping."""
        waiting = []
        if getattr(self, "_held", None):
            waiting.append(f"{len(self._held)} keys held")
        if self._search_timer is not None:
            waiting.append("a search waiting for typing to pause")
        if self.requested != self.state:
            waiting.append(f"the search {self.requested.query!r}")
        if self._settle_timer is not None:
            waiting.append("the reader waiting for the cursor to rest")
        if self._loading_id is not None:
            waiting.append(f"the article {self._loading_id}")
        waiting += [f"worker {w.group}" for w in self.workers
                    if w.group not in ("ingest", "watch") and w.state.name in ("PENDING", "RUNNING")]
        return waiting

    # -- keys (tui/keys.py handles each key to the end before the next) -----------------------
    async def route_main_key(self, event: events.Key):
        if self.focused is self.query_one("#search", Input):
            if event.key in ("enter", "escape"):
                self._leave_search()
                return True
            if (key := unalt(event)) is not None:  # Esc then a key, typed as one motion
                self._leave_search()
                return key
            return False
        if (key := unalt(event)) is not None and event.key not in actions.registry_keys():
            return key  # Esc means nothing outside the search bar: Esc then j is j
        return False

    def binding_allowed_while_typing(self, key: str) -> bool:
        return key not in actions.typed_keys_taken()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = actions.BY_METHOD.get(action)
        if entry is None:
            return True
        if self.screen is not self.screen_stack[0]:
            return False  # a dialog or the help is open: its own keys only
        return entry.panes is None or self._focused_pane() in entry.panes

    def _focused_pane(self) -> str | None:
        node = self.focused
        while node is not None:
            if node.id in ("search", "list", "reader", "entities"):
                return node.id
            node = node.parent
        return None

    def run_search(self, state: SearchState, as_typed: bool = False) -> None:
        """Search in a worker. Unless the search follows typing, the keys typed after the one
        that asked for it wait for its results (tui/keys.py): `/iran⏎jj` moves in iran's
        results, not in the list that was there before."""
        self.requested = state
        self._results_awaited = not as_typed
        self._search_worker(state)

    def keys_wait(self) -> bool:
        return self._results_awaited and (self.requested != self.state or self.results is None)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_worker(self, state: SearchState) -> None:
        engine = self.engine
        if engine is None:
            return
        try:
            results = engine.result_list(state.query, state.sort)
            for i in range(min(len(results), 60)):  # the first screens, read off the UI thread
                results.row(i)
        except (QueryError, InternalError) as exc:
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._show_query_error, state, str(exc))
            return
        # A newer search cancels this one, but a thread runs on: its results must not land.
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._apply_results, state, results)

    def _show_query_error(self, state: SearchState, message: str) -> None:
        if state != self.requested:
            return
        self.requested = self.state  # answered: the last good results stay
        self._message(message, error=True)
        self._results_awaited = False
        self.release_keys()

    def _apply_results(self, state: SearchState, results: ResultList, keep: bool = False) -> None:
        if state != self.requested:
            return  # results of a search that was superseded while it ran
        self.state = state
        self.results = results
        if not self._warmed:  # after the first paint, which it would otherwise slow down
            self._warmed = True
            self._warm_worker()
        article_list = self.query_one("#list", ArticleList)
        place, self._going_back_to = self._going_back_to, None
        if place is not None and place.state == state:  # Back: the cursor and scroll as they were
            article_list.show(results, keep_id=place.cursor_id, top=place.top)
        else:
            article_list.show(results, keep_id=self._kept_row() if keep else None)
        self.query_one("#list-pane").border_title = f"Articles · {_order_label(results)}"
        notes = "; ".join(results.notes)
        if results.total == 0 and state.query.strip():
            found = f"No articles match. Did you mean: {results.suggestion}" if results.suggestion else "No articles match."
            self._message(f"{found} ({notes})" if notes else found)
        else:
            self._message(notes[:1].upper() + notes[1:])
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "facets":
            self.load_facets()
        # While the query is typed, a word on its way ("oi" before "oil") finds nothing: the
        # reader keeps the last article until the search is left rather than flashing empty.
        if results.total == 0 and not self._typing():
            self._clear_reader()
        self._update_status()
        self.release_keys()  # the keys typed after the search act on its results

    def _kept_row(self) -> str | None:
        """The article the cursor stays on when the list is refreshed under it (new articles
        indexed): the one under the cursor once the user has moved it or is reading; until
        then the cursor stays on the first row, the newest article."""
        article_list = self.query_one("#list", ArticleList)
        if article_list.moved or self._focused_pane() in ("reader", "entities"):
            return article_list.current_id
        return None

    def _typing(self) -> bool:
        return self.focused is self.query_one("#search", Input)

    def _clear_reader(self) -> None:
        self._open_id = None
        self.query_one("#reader", ReaderView).show_message(self._nothing_to_read())
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "article":
            entity_pane.show_article(None)

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(text))
        message.set_class(error, "error")

    def _nothing_to_read(self) -> str:
        """What the reader says when there is no article to show."""
        if self.state.query.strip():
            return "No article to show."
        folder = sanitize.clean_line(str(self.corpus.root))
        if self._ingesting:
            return f"Indexing {folder} for the first time: articles appear here as they are indexed."
        return (f"No articles in {folder}. Files that could not be read are listed by: "
                f"dossier index -v {folder}")

    def _update_status(self) -> None:
        total = self.results.total if self.results else 0
        reader = self.query_one("#reader", ReaderView)
        parts = [f"{total:,} article{'s' if total != 1 else ''}"]
        # The hits counted are the open article's under the query it was opened with.
        if reader.hit_label and reader.article is not None and self._open_query == self.state.query and total:
            parts.append(reader.hit_label)
        self.query_one(StatusBar).set_status(" · ".join(parts), self.progress or ("watching" if self.watching else ""))

    def _here(self) -> Place:
        article_list = self.query_one("#list", ArticleList)
        return Place(self.state, article_list.current_id, article_list.scroll_offset.y)

    def _search_for(self, query: str, push: bool = True) -> None:
        if push:
            self.history.append(self._here())
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = query
        self._remember(query)
        self.run_search(SearchState(query, self.config.default_sort if query.strip() else "date"))

    # -- reading --------------------------------------------------------------------------
    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._settle_timer:
            self._settle_timer.stop()
            self._settle_timer = None
        # The same article under a new query must reload: its hits are the query's.
        if event.article_id and (event.article_id, self.state.query) != (self._open_id, self._open_query):
            article_id = event.article_id
            delay = self.timing.typing_settle if self._typing() else self.timing.settle

            def load_now() -> None:
                self._settle_timer = None
                self.load_article(article_id)

            self._settle_timer = self.set_timer(delay, load_now)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.load_article(event.article_id)
        self._set_read([event.article_id], True)

    def load_article(self, article_id: str) -> None:
        self._loading_id = article_id
        self._article_worker(article_id)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _article_worker(self, article_id: str) -> None:
        engine = self.engine
        if engine is None:
            return
        try:
            article = engine.article(article_id)
            query = self.state.query
            hits = engine.hit_spans(article_id, query) if query.strip() else {}
            also_in = engine.also_in(article_id)
            state = self._state_of(article_id)  # a SQLite read: here, not on the UI thread
        except (CorpusError, QueryError, InternalError) as exc:
            self.call_from_thread(self._load_failed, article_id, exc)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_article, article, hits, also_in, state)

    def _load_failed(self, article_id: str, exc: Exception) -> None:
        if self._loading_id == article_id:
            self._loading_id = None
            self._pending_jump = 0
        if isinstance(exc, InternalError):
            self._message(str(exc), error=True)

    def _show_article(self, article, hits, also_in=(), state=None) -> None:
        reader = self.query_one("#reader", ReaderView)
        same = article.id == self._open_id and self._open_query == self.state.query and reader.article is not None
        self._open_id = article.id
        self._open_query = self.state.query
        if article.id == self._loading_id:
            self._loading_id = None
        if not same:
            reader.show_article(article, hits, state, also_in)
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
        _focus(self.query_one("#list", ArticleList))

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def load_facets(self) -> None:
        engine, query = self.engine, self.state.query
        if engine is None:
            return
        try:
            facets = engine.facets(query) if query.strip() else engine.facets("*")
        except QueryError:
            facets = {}
        except InternalError as exc:
            self.call_from_thread(self._message, str(exc), True)
            facets = {}
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.query_one("#entities", EntityPane).show_facets, facets)

    # -- background indexing -------------------------------------------------------------------
    def start_indexing(self) -> None:
        """Index new and changed files in the background; a request during a run is kept for
        one more run after it (the files may have changed after the run read them)."""
        if self._ingesting:
            self._ingest_again = True
            return
        self._ingesting = True
        if self.engine is not None and self.engine.doc_count == 0:
            self._set_progress("indexing: finding files…")  # from the first frame, not an empty screen
        self.index_folder()

    def _indexing_finished(self) -> None:
        self._ingesting = False
        if self._ingest_again:
            self._ingest_again = False
            self.start_indexing()
        elif self.results is not None and self.results.total == 0 and not self.state.query.strip():
            self._clear_reader()  # the reader said "indexing"; now it says what was found

    @work(thread=True, group="ingest", exit_on_error=False)
    def index_folder(self) -> None:
        try:
            self._index_folder()
        finally:
            self.call_from_thread(self._indexing_finished)

    def _index_folder(self) -> None:
        seen_articles = -1
        for event in run_background_ingest(str(self.corpus.root), str(self.corpus.home)):
            kind = event.get("event")
            if kind == "progress":
                text = f"indexing {event['done']:,} of {event['total']:,} files"
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

    # -- watching the folder ---------------------------------------------------------------------
    @property
    def watching(self) -> bool:
        return self._watch_stop is not None

    def action_toggle_watch(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()
            self._watch_stop = None
            self.notify("Stopped watching the folder.", timeout=3)
        else:
            self._watch_stop = threading.Event()
            self.watch_listening.clear()
            self._watch_worker(self._watch_stop)
            self.notify(f"Watching {self.corpus.root}: new and changed files are indexed as they arrive.", timeout=4)
        self._update_status()

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch_worker(self, stop: threading.Event) -> None:
        worker = get_current_worker()

        class Stop:  # the watcher ends when W turns it off or the app cancels its workers (quit)
            @staticmethod
            def is_set() -> bool:
                return stop.is_set() or worker.is_cancelled

        try:
            for _changed in watch_changes(self.corpus.root, Stop, self.watch_listening.set):
                if stop.is_set():
                    break
                self.call_from_thread(self.start_indexing)
        except Exception as exc:  # e.g. inotify watch limit reached: say so, keep the reader
            if not stop.is_set():
                self.call_from_thread(self.notify, f"Cannot watch {self.corpus.root}: {exc}", severity="error", timeout=10)
                self.call_from_thread(self._watch_failed, stop)

    def _watch_failed(self, stop: threading.Event) -> None:
        if self._watch_stop is stop:
            self._watch_stop = None
            self._update_status()

    def on_worker_state_changed(self, event) -> None:
        """A worker that failed with an exception no one expected: a bug. It is recorded in
        errors.log and said on the message line; the reader goes on."""
        if event.state.name != "ERROR" or event.worker.error is None:
            return
        error = event.worker.error
        log = record_error(self.corpus.home, error, f"reader worker {event.worker.group}")
        where = f"; the traceback is in {log}" if log else ""
        self._message(f"Internal error in the reader's {event.worker.group} ({type(error).__name__}: "
                      f"{str(error)[:120]}){where}. This is a bug in dossier.", error=True)
        if event.worker.group == "search":  # answered, if badly: nothing waits for it any more
            self.requested = self.state
            self._results_awaited = False
            self.release_keys()
        elif event.worker.group == "article":
            self._loading_id = None

    def on_unmount(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()

    def _index_grew(self) -> None:
        if self.engine:
            self._refresh_worker(self.requested)

    def _index_gone(self, engine: Engine) -> None:
        """Someone deleted the index folder under the reader: start a new one and index the
        folder again (the index is only a cache of the files; the library is kept apart)."""
        if self.engine is not engine:
            return
        try:
            self.engine = Engine(self.corpus, library=self.library)
        except CorpusError as exc:
            self._message(f"Cannot open the index: {exc}", error=True)
            return
        engine.close()
        self.notify(f"The index of {sanitize.clean_line(str(self.corpus.root))} was deleted: indexing the folder again.",
                    severity="warning", timeout=10)
        self.run_search(SearchState(self.requested.query, self.requested.sort), as_typed=True)
        self.start_indexing()

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_worker(self) -> None:
        if self.engine is not None:
            self.engine.warm()  # the first fuzzy or wildcard search then answers at once

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
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
        try:
            changed = engine.refresh()
        except IndexGone:
            self.call_from_thread(self._index_gone, engine)
            return
        if changed:
            self._refresh_pending = True
        if not self._refresh_pending:
            return
        try:
            results = engine.result_list(state.query, state.sort)
        except (QueryError, InternalError):
            self._refresh_pending = False  # the search itself says what is wrong with it
            return
        if not get_current_worker().is_cancelled:
            self._refresh_pending = False
            self.call_from_thread(self._apply_results, state, results, True)

    # -- actions (named in the registry) ---------------------------------------------------------
    def action_focus_search(self) -> None:
        self._searched_from = self._here()
        search = self.query_one("#search", Input)
        _focus(search)
        # Typing replaces the query that is there: select it now, not when the Focus event
        # is handled (Input's select_on_focus): that came after the keys typed next and ate them.
        search.selection = Selection(0, len(search.value))

    def action_back(self) -> None:
        if not self.history:
            self.notify("No earlier search.", timeout=2)
            return
        place = self.history.pop()
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = place.state.query
        self._going_back_to = place
        self.run_search(place.state)

    def action_clear_search(self) -> None:
        self._search_for("")

    def action_toggle_sort(self) -> None:
        if not self.state.query.strip():
            order = _order_label(self.results) if self.results else "newest first"
            self.notify(f"Every article is listed {order}; search to sort by relevance.", timeout=3)
            return
        sort = "date" if self.state.sort == "relevance" else "relevance"
        self.run_search(SearchState(self.state.query, sort))

    def action_open_article(self) -> None:
        article_list = self.query_one("#list", ArticleList)
        article_id = article_list.current_id
        if article_id:
            if article_id != self._open_id or self._open_query != self.state.query:
                self.load_article(article_id)
            self._set_read([article_id], True)
            _focus(self.query_one("#reader", ReaderView))

    def action_focus_pane(self, pane: str) -> None:
        if pane == "entities":
            self.entity_pane_wanted = True
        elif pane == "list" and self.narrow:
            self.entity_pane_wanted = None
        self._layout_entity_pane()
        _focus(self.query_one(f"#{pane}"))

    def action_toggle_entity_pane(self) -> None:
        shown = self.query_one("#entity-pane").has_class("shown")
        self.entity_pane_wanted = not shown
        self._layout_entity_pane()
        if not shown:
            _focus(self.query_one("#entities", EntityPane))
        elif self.focused is self.query_one("#entities") or self.focused is None:
            _focus(self.query_one("#list", ArticleList))

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


    # -- the user's library ---------------------------------------------------------------------
    def _open_library(self) -> None:
        try:
            self.library = self.engine.library
        except LibraryError as exc:
            # Reading and searching still work; nothing the user marks can be kept.
            self.engine._library = self.library
            self.notify(f"{exc}. Stars, tags and notes will not be kept this session.",
                        severity="error", timeout=20)
        try:
            marks = self.query_one("#list", ArticleList).marks
            marks.read, marks.starred = set(self.library.ids_read()), set(self.library.ids_starred())
            self.query_one("#search", SearchInput).history = self.library.history()
        except LibraryError as exc:
            self.notify(str(exc), severity="error", timeout=20)

    def _library_write(self, change) -> bool:
        """Run a change to the library; a failure (disk full, read-only) is shown, not raised."""
        try:
            change()
            return True
        except LibraryError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False

    def _remember(self, query: str) -> None:
        if query.strip():
            self.query_one("#search", SearchInput).remember(query)
            self._library_write(lambda: self.library.remember(query))

    def _state_of(self, article_id: str):
        try:
            return self.library.state(article_id)
        except LibraryError:
            return None

    def _target_id(self) -> str | None:
        """The article an action is for: the one being read when the reader has the focus,
        else the one under the list's cursor."""
        reader = self.query_one("#reader", ReaderView)
        if self.focused is reader and reader.article is not None:
            return reader.article.id
        return self.query_one("#list", ArticleList).current_id or (reader.article.id if reader.article else None)

    def _target_article(self):
        article_id = self._target_id()
        if article_id is None or self.engine is None:
            self.notify("No article to act on.", timeout=2)
            return None
        reader = self.query_one("#reader", ReaderView)
        if reader.article is not None and reader.article.id == article_id:
            return reader.article
        try:
            return self.engine.article(article_id)
        except CorpusError as exc:
            self.notify(str(exc), severity="error")
            return None

    def _state_changed(self, article_id: str) -> None:
        """Redraw what shows an article's state: its list row and, if open, the reader."""
        marks = self.query_one("#list", ArticleList).marks
        state = self._state_of(article_id)
        if state is not None:
            (marks.read.add if state.read else marks.read.discard)(article_id)
            (marks.starred.add if state.starred else marks.starred.discard)(article_id)
        self.query_one("#list", ArticleList).refresh()
        reader = self.query_one("#reader", ReaderView)
        if reader.article is not None and reader.article.id == article_id:
            reader.set_state(state)

    def _set_read(self, ids: list[str], read: bool) -> None:
        marks = self.query_one("#list", ArticleList).marks
        if all((i in marks.read) == read for i in ids):
            return
        if self._library_write(lambda: self.library.set_read(ids, read)):
            for article_id in ids:
                self._state_changed(article_id)

    def action_toggle_read(self) -> None:
        article_id = self._target_id()
        if article_id:
            read = article_id not in self.query_one("#list", ArticleList).marks.read
            self._set_read([article_id], read)
            self.notify("Marked read." if read else "Marked unread.", timeout=2)

    def action_toggle_star(self) -> None:
        article_id = self._target_id()
        if not article_id:
            return
        starred = article_id not in self.query_one("#list", ArticleList).marks.starred
        if self._library_write(lambda: self.library.set_starred([article_id], starred)):
            self._state_changed(article_id)
            self.notify("Starred." if starred else "Star taken away.", timeout=2)

    def action_edit_tags(self) -> None:
        article_id = self._target_id()
        if not article_id:
            return
        state = self._state_of(article_id)
        current = state.tags if state else []

        def done(answer: str | None) -> None:
            if answer is None:
                return
            wanted = [t for t in answer.replace(",", " ").split() if t.strip("+-")]
            keep = {t.lstrip("+").casefold() for t in wanted if not t.startswith("-")}
            remove = [t for t in current if t not in keep] + [t[1:] for t in wanted if t.startswith("-")]
            if self._library_write(lambda: self.library.change_tags(article_id, keep, remove)):
                self._state_changed(article_id)

        self.push_screen(Prompt("Tags (words separated by spaces; remove one to untag):", " ".join(current),
                                "Enter saves · Esc cancels · search them with tag:name"), done)

    def action_edit_note(self) -> None:
        article = self._target_article()
        if article is None:
            return
        state = self._state_of(article.id)

        def done(note: str | None) -> None:
            if note is not None and self._library_write(lambda: self.library.set_note(article.id, note)):
                self._state_changed(article.id)

        self.push_screen(NoteEditor(f"Note on: {sanitize.clean_line(article.title)[:70]}", state.note if state else ""), done)

    def action_edit_note_in_editor(self) -> None:
        article = self._target_article()
        if article is None:
            return
        state = self._state_of(article.id)
        try:
            note = external.edit_text(self, state.note if state else "", suffix=".md")
        except external.ExternalError as exc:
            self.notify(str(exc), severity="error")
            return
        if note is None:
            self.notify("The editor failed; the note was not changed.", severity="warning")
        elif self._library_write(lambda: self.library.set_note(article.id, note)):
            self._state_changed(article.id)

    def action_save_search(self) -> None:
        query = self.state.query.strip()
        if not query:
            self.notify("Search first: the saved search is the current query.", timeout=3)
            return

        def done(name: str | None) -> None:
            if name and name.strip() and self._library_write(lambda: self.library.save_search(name, query)):
                self.notify(f"Saved as “{sanitize.clean_line(name)}”. L lists saved searches.", timeout=3)

        self.push_screen(Prompt(f"Save “{sanitize.clean_line(query)}” as:", query[:40]), done)

    def action_saved_searches(self) -> None:
        self._saved_worker()

    @work(thread=True, exclusive=True, group="saved", exit_on_error=False)
    def _saved_worker(self) -> None:
        engine = self.engine
        if engine is None:
            return
        rows = []
        try:
            for saved in self.library.saved():
                try:
                    rows.append({**saved.to_json(), "articles": engine.count(saved.query),
                                 "unread": engine.count(f"({saved.query}) is:unread")})
                except (QueryError, InternalError):
                    rows.append({**saved.to_json(), "articles": None, "unread": None})
        except LibraryError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.call_from_thread(self._show_saved, rows)

    def _show_saved(self, rows: list[dict]) -> None:
        def remove(name: str) -> None:
            self._library_write(lambda: self.library.remove_saved(name))

        def done(query: str | None) -> None:
            if query:
                self._search_for(query)
                _focus(self.query_one("#list", ArticleList))

        self.push_screen(SavedSearches(rows, remove), done)

    # -- getting text out ----------------------------------------------------------------------
    def _export_prompt(self, what: str, default_name: str, write) -> None:
        def done(answer: str | None) -> None:
            if answer and answer.strip():
                path = _export_path(answer)
                self._export_worker(path, export.format_for(path.name), write)

        self.push_screen(Prompt(f"Export {what} to (.md, .json or .csv):", default_name,
                                "Enter writes the file · Esc cancels", explain=_export_explained), done)

    def action_export_results(self) -> None:
        query = self.state.query
        sort = self.results.sort if self.results else "date"
        stamp = dt.date.today().isoformat()
        self._export_prompt(f"{self.results.total if self.results else 0:,} results", f"dossier-{stamp}.md",
                            lambda: (list(self.engine.articles(query, sort)), query))

    def action_export_article(self) -> None:
        article = self._target_article()
        if article is not None:
            self._export_prompt("this article", f"dossier-{article.id[:10]}.md", lambda: ([article], None))

    @work(thread=True, group="export", exit_on_error=False)
    def _export_worker(self, path: Path, fmt: str, gather) -> None:
        try:
            articles, query = gather()
            text = export.render(articles, self.library.states(a.id for a in articles), fmt, query)
            path.write_text(text, encoding="utf-8", newline="")
        except (OSError, QueryError, LibraryError, CorpusError, InternalError) as exc:
            message = getattr(exc, "strerror", None) or str(exc)
            self.call_from_thread(self.notify, f"Cannot export to {path}: {message}", severity="error", timeout=10)
            return
        self.call_from_thread(self.notify, f"Exported {len(articles):,} article{'s' if len(articles) != 1 else ''} to {path}")

    def _run_external(self, run) -> None:
        try:
            run()
        except external.ExternalError as exc:
            self.notify(str(exc), severity="error", timeout=10)
        self.refresh()

    def action_open_in_pager(self) -> None:
        # The sanitised text on the pager's standard input: the file on disk can hold escape
        # sequences (a hyperlink's OSC 8 made a spoofed link with `less -R`).
        article = self._target_article()
        if article is not None:
            self._run_external(lambda: external.run(self, external.pager(), stdin_text=_plain_text(article)))

    def action_open_in_editor(self) -> None:
        article = self._target_article()
        if article is not None:
            self._run_external(lambda: external.view_in_editor(self, _plain_text(article), f"{article.id}.txt"))

    def action_pipe_article(self) -> None:
        article = self._target_article()
        if article is None:
            return

        def done(command: str | None) -> None:
            if command and command.strip():
                self._run_external(lambda: external.pipe(self, command, _plain_text(article)))

        self.push_screen(Prompt("Pipe the article's text to:", "", "a shell command, e.g. wc -w or mail -s news me@example.org"), done)

    def action_copy_url(self) -> None:
        article = self._target_article()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no URL; Y copies a citation.", timeout=3)
            return
        self.copy_to_clipboard(sanitize.clean_line(article.url))
        self.notify("URL copied to your clipboard.", timeout=2)

    def action_copy_citation(self) -> None:
        article = self._target_article()
        if article is not None:
            self.copy_to_clipboard(export.citation(article))
            self.notify("Citation copied to your clipboard.", timeout=2)

    def action_open_url(self) -> None:
        article = self._target_article()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no URL.", timeout=3)
            return
        url = sanitize.clean_line(article.url)
        if OVER_SSH or not _has_browser():
            # A browser here would open on the remote machine, out of the user's sight.
            self.copy_to_clipboard(url)
            self.notify("No browser on this machine (over SSH?): the URL is on your clipboard.", timeout=4)
            return
        webbrowser.open(url)


def _export_path(answer: str) -> Path:
    """Where an export lands: a name alone goes in the folder dossier was started from."""
    path = Path(answer.strip()).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def _export_explained(answer: str) -> str:
    """The line under the export prompt, updated as the name is typed: the full path, the
    format, and whether a file there would be replaced."""
    if not answer.strip():
        return "Type a file name (a name alone is written in the folder dossier was started from)."
    path = _export_path(answer)
    fmt = {"md": "Markdown", "json": "JSON", "csv": "CSV"}[export.format_for(path.name)]
    if path.is_dir():
        return f"{sanitize.clean_line(str(path))} is a folder: add a file name."
    if not path.parent.is_dir():
        return f"There is no folder {sanitize.clean_line(str(path.parent))}: nothing can be written there."
    exists = " — a file is already there and will be replaced" if path.exists() else ""
    return f"Writes {fmt} to {sanitize.clean_line(str(path))}{exists}"


def _order_label(results: ResultList) -> str:
    if results.sort == "relevance":
        return "relevance"
    return "by file path" if results.undated else "newest first"


def _focus(widget) -> None:
    """Focus now, not after the current message as Widget.focus() does: the next key typed
    must already find the focus where this key put it."""
    widget.screen.set_focus(widget)


def _plain_text(article) -> str:
    """The article as handed to the pager, an editor or a pipe: title, blank line, text,
    cleaned for a terminal (never the file as it is on disk)."""
    return f"{sanitize.clean_line(article.title)}\n\n{sanitize.for_terminal(article.text)}\n"


def _has_browser() -> bool:
    """A graphical browser can open here. Console browsers (lynx, w3m) would fight the
    reader for the terminal, so without a display the URL is copied instead."""
    import sys

    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_app(corpus: Corpus, config: Config | None = None, mouse: bool = True, watch: bool = False) -> None:
    DossierApp(corpus, config=config, watch=watch).run(mouse=mouse)
