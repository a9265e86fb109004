"""The main screen: search bar, article list, reading view, entity pane, status line.

It holds what the user is looking at as reactive state: the search shown (`state`), its
results, the indexing progress; the status line and the panes' titles follow them. Its
other jobs are parts in their own modules, mixed in: the library (tui/library_actions.py),
getting text out (tui/out_actions.py) and keeping the index up to date
(tui/background_indexing.py). The keys are the action registry's (tui/actions.py),
bound here; the app (tui/app.py) routes each key to the end before the next (tui/keys.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.widgets.input import Selection
from textual.worker import get_current_worker

from index import sanitize
from index.article import Article
from index.corpus import CorpusError
from index.errors import InternalError, record as record_error
from index.kinds import KINDS
from index.library import Library
from index.query import QueryError
from index.search import Engine, ResultList

from .. import actions, external
from ..background_indexing import BackgroundIndexing
from ..keys import focus_now as _focus
from ..keys import unalt
from ..library_actions import LibraryActions
from ..out_actions import OutActions
from ..widgets.article_list import ArticleList
from ..widgets.entity_pane import EntityPane, Pick
from ..widgets.reader import ReaderView
from ..widgets.search_input import SearchInput
from ..text import counted
from ..widgets.status import StatusBar
from .entity import EntityPage
from .help import HelpScreen
from .names import NamesScreen
from .prompt import Prompt
from .story import StoryScreen
from .timeline import TimelineScreen

WIDE = 120  # columns from which the entity pane is shown beside the others


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
    entity: tuple[Pick, str | None] | None = None  # an entity page open over it: (entity, narrow)


class MainScreen(LibraryActions, OutActions, BackgroundIndexing, Screen):
    BINDINGS = actions.bindings()

    state: var[SearchState] = var(SearchState("", "date"))  # the search whose results are shown
    results: var[ResultList | None] = var(None)
    progress: var[str] = var("")  # indexing, as the status line says it
    # The article in the reading view (None: a message there instead); the entity pane
    # follows it. Set again when the same article is shown again (its pane may be stale).
    open_article: var[Article | None] = var(None, always_update=True, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.engine: Engine | None = None
        self.library: Library = Library.in_memory(self.app.corpus.root)  # the real one opens on mount
        self.requested = self.state  # the latest search asked for (may still be running)
        self.history: list[Place] = []  # earlier searches, for Back
        self._searched_from: Place | None = None  # where the search bar was entered from
        self._going_back_to: Place | None = None  # a place whose results are on their way
        self._results_awaited = False  # keys wait for the search on its way (not one typed)
        self.entity_pane_wanted: bool | None = None  # None: follow the terminal width
        self._search_timer: Timer | None = None
        self._settle_timer: Timer | None = None
        self._open_query: str | None = None  # the query the open article was shown with
        self._loading_id: str | None = None  # an article on its way to the reader
        self._pending_jump = 0  # n/N pressed while it was on its way
        self._warmed = False  # word lists for fuzzy/wildcard searches loaded in the background
        self.watch_listening = threading.Event()  # set: the OS is watching the folder

    # -- reactive state -------------------------------------------------------------------
    def watch_results(self, results: ResultList | None) -> None:
        # The status line is brought up to date once, at the end of _apply_results.
        if results is not None:
            self.query_one("#list-pane").border_title = f"Articles · {_order_label(results)}"

    def watch_progress(self, progress: str) -> None:
        self._update_status()

    def watch_open_article(self, article: Article | None) -> None:
        self._fill_entity_pane()

    def _fill_entity_pane(self) -> None:
        """The open article's entities, into the pane when it is shown: a hidden pane refilled
        on every article ran a layout pass that repainted both panes' edges, a second frame
        of 1.4 KB over SSH for each article opened. Showing the pane fills it."""
        entity_pane = self.query_one("#entities", EntityPane)
        if entity_pane.mode == "article" and self.query_one("#entity-pane").has_class("shown"):
            if entity_pane.article_shown is not self.open_article:
                entity_pane.show_article(self.open_article)

    @property
    def _open_id(self) -> str | None:
        return self.open_article.id if self.open_article is not None else None

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
        search = self.query_one("#search", SearchInput)
        search.cursor_blink = not external.OVER_SSH
        self.query_one("#list-pane").border_title = "Articles"
        self.query_one("#reader-pane").border_title = "Reading"
        self.query_one("#entity-pane").border_title = "Entities"
        self._layout_entity_pane()
        try:
            self.engine = Engine(self.app.corpus)
        except CorpusError as exc:
            self.query_one("#reader", ReaderView).show_message(f"Cannot open the index: {exc}")
            self.app.keys_ready()
            return
        if self.engine.note:
            self.notify(f"Index {self.engine.note}; indexing the files again.", severity="warning", timeout=15)
        self._open_library()
        _focus(self.query_one("#list", ArticleList))
        self.run_search(self.state)
        if self.app.index_in_background:
            self.start_indexing()
        if self.app.watch_on_start:
            self.action_toggle_watch()
        if self.app.names_on_start:
            self.action_cross_reference(self.app.names_on_start)
        # Another `dossier index` may be writing this index: show its commits as they land.
        self.set_interval(self.app.timing.index_poll, self._index_grew)
        self.app.keys_ready()

    def on_resize(self, event: Resize) -> None:
        self._layout_entity_pane()

    @property
    def narrow(self) -> bool:
        return self.app.size.width < WIDE

    def _layout_entity_pane(self) -> None:
        shown = self.entity_pane_wanted if self.entity_pane_wanted is not None else not self.narrow
        self.query_one("#entity-pane").set_class(shown, "shown")
        # Narrow terminals have room for two panes: the entity pane takes the list's place.
        self.query_one("#list-pane").display = not (shown and self.narrow)
        self._fill_entity_pane()

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

        self._search_timer = self.set_timer(self.app.timing.debounce, search_now)

    def _sort_for(self, query: str) -> str:
        return "date" if not query.strip() else (self.state.sort if self.state.query.strip() else self.app.config.default_sort)

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

    async def route_main_key(self, event: events.Key):
        if self.app.focused is self.query_one("#search", Input):
            if event.key in ("enter", "escape"):
                self._leave_search()
                return True
            if (key := unalt(event)) is not None:  # Esc then a key, typed as one motion
                self._leave_search()
                return key
            return False
        if (key := unalt(event)) is not None and event.key not in actions.registry_keys(self.app.config.keymap):
            return key  # Esc means nothing outside the search bar: Esc then j is j
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = actions.BY_METHOD.get(action)
        if entry is None:
            return True
        if self.app.screen is not self:
            return False  # a dialog or the help is open: its own keys only
        return entry.panes is None or self._focused_pane() in entry.panes

    def _focused_pane(self) -> str | None:
        node = self.app.focused
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
        # Stories not read yet for this state of the index (a second at 345k articles): the
        # list comes at once, one row per article, and is collapsed when they are read.
        collapse = self.app.config.collapse == "story"
        stories_later = collapse and not engine.stories_ready()
        try:
            results = engine.result_list(state.query, state.sort, stories=collapse and not stories_later)
            for i in range(min(len(results), 60)):  # the first screens, read off the UI thread
                results.row(i)
        except (QueryError, InternalError) as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_query_error, state, str(exc))
            return
        # A newer search cancels this one, but a thread runs on: its results must not land.
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply_results, state, results)
            if stories_later:
                self.app.call_from_thread(self._collapse_when_read, state)

    @work(thread=True, exclusive=True, group="stories", exit_on_error=False)
    def _collapse_when_read(self, state: SearchState) -> None:
        """Read the stories, then show the list of the search still asked for collapsed, the
        cursor kept on its article."""
        engine = self.engine
        if engine is None:
            return
        engine.warm_stories()
        if state != self.requested or get_current_worker().is_cancelled:
            return
        try:
            results = engine.result_list(state.query, state.sort, stories=True)
            for i in range(min(len(results), 60)):
                results.row(i)
        except (QueryError, InternalError):
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply_results, state, results, True)

    def _show_query_error(self, state: SearchState, message: str) -> None:
        if state != self.requested:
            return
        self.requested = self.state  # answered: the last good results stay
        self._message(message, error=True)
        self._results_awaited = False
        self.app.release_keys()

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
        self.app.release_keys()  # the keys typed after the search act on its results

    def _kept_row(self) -> str | None:
        """The article the cursor stays on when the list is refreshed under it (new articles
        indexed): the one under the cursor once the user has moved it or is reading; until
        then the cursor stays on the first row, the newest article."""
        article_list = self.query_one("#list", ArticleList)
        if article_list.moved or self._focused_pane() in ("reader", "entities"):
            return article_list.current_id
        return None

    def _typing(self) -> bool:
        return self.app.focused is self.query_one("#search", Input)

    def _clear_reader(self) -> None:
        self.query_one("#reader", ReaderView).show_message(self._nothing_to_read())
        self.open_article = None

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(text))
        message.set_class(error, "error")

    def _nothing_to_read(self) -> str:
        """What the reader says when there is no article to show."""
        if self.state.query.strip():
            return "No article to show."
        folder = sanitize.clean_line(str(self.app.corpus.root))
        if self._ingesting:
            return f"Indexing {folder} for the first time: articles appear here as they are indexed."
        return (f"No articles in {folder}. Files that could not be read are listed by: "
                f"dossier index -v {folder}")

    def _update_status(self) -> None:
        total = self.results.total if self.results else 0
        reader = self.query_one("#reader", ReaderView)
        parts = [counted(total, "article")]
        if self.results is not None and self.results.collapsed and self.results.story_total != total:
            parts[0] += f" in {counted(self.results.story_total, 'story', 'stories')}"
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
        self.run_search(SearchState(query, self.app.config.default_sort if query.strip() else "date"))

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        if self._settle_timer:
            self._settle_timer.stop()
            self._settle_timer = None
        # The same article under a new query must reload: its hits are the query's.
        if event.article_id and (event.article_id, self.state.query) != (self._open_id, self._open_query):
            article_id = event.article_id
            delay = self.app.timing.typing_settle if self._typing() else self.app.timing.settle

            def load_now() -> None:
                self._settle_timer = None
                self.load_article(article_id)

            self._settle_timer = self.set_timer(delay, load_now)

    @on(ArticleList.Selected)
    def _selected(self, event: ArticleList.Selected) -> None:
        self.load_article(event.article_id)
        self._mark_opened(event.article_id)

    def _mark_opened(self, article_id: str) -> None:
        """Opening an article marks it read (and, with read_story, its story's other versions
        when it is the main one)."""
        self._set_read([article_id], True)
        if self.app.config.read_story:
            self._read_story(article_id)

    @work(thread=True, exclusive=True, group="read-story", exit_on_error=False)
    def _read_story(self, article_id: str) -> None:
        """read_story = true: reading a story's main version marks its other versions read."""
        engine = self.engine
        if engine is None:
            return
        try:
            versions = engine.story_versions(article_id)
        except (CorpusError, InternalError):
            return
        if len(versions) > 1 and versions[0] == article_id:
            self.app.call_from_thread(self._set_read, versions[1:], True)

    def action_toggle_story(self) -> None:
        article_list = self.query_one("#list", ArticleList)
        if not article_list.toggle_story():
            self.notify("Not a story: no other version of this article's text was found."
                        if self.app.config.collapse == "story" else
                        "Stories are not grouped (collapse = \"none\" or --collapse none): d compares versions.",
                        timeout=3)

    def action_compare_versions(self) -> None:
        article_id = self._open_id if self._focused_pane() == "reader" else \
            self.query_one("#list", ArticleList).current_id
        if article_id is None or self.engine is None:
            return

        def answered(version_id: str | None) -> None:
            if version_id:
                self.load_article(version_id)
                self._mark_opened(version_id)
                _focus(self.query_one("#reader", ReaderView))

        self.app.push_screen(StoryScreen(self.engine, article_id), answered)

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
            self.app.call_from_thread(self._load_failed, article_id, exc)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_article, article, hits, also_in, state)

    def _load_failed(self, article_id: str, exc: Exception) -> None:
        if self._loading_id == article_id:
            self._loading_id = None
            self._pending_jump = 0
        if isinstance(exc, InternalError):
            self._message(str(exc), error=True)

    def _show_article(self, article, hits, also_in=(), state=None) -> None:
        reader = self.query_one("#reader", ReaderView)
        same = article.id == self._open_id and self._open_query == self.state.query and reader.article is not None
        self._open_query = self.state.query
        if article.id == self._loading_id:
            self._loading_id = None
        if not same:
            reader.show_article(article, hits, state, also_in)
        elif article.entities != reader.article.entities:
            reader.replace_entities(article)  # recognised since it was opened: the place stays
        if self._pending_jump and self._loading_id is None:
            step, self._pending_jump = self._pending_jump, 0
            reader.jump_hit(step)
        self.open_article = article
        self._update_status()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, EntityPane):  # an entity page is likely next: its graph now
            self.warm_entities()

    @on(EntityPane.Picked)
    def _picked(self, event: EntityPane.Picked) -> None:  # a click
        self._follow(event.pick, event.narrow)

    def action_open_entity(self) -> None:
        # Here, not through the pane's OptionSelected message: the keys typed after Enter
        # must find the page already open (tui/keys.py).
        pane = self.query_one("#entities", EntityPane)
        pick = pane.highlighted_pick()
        if pick is not None:
            self._follow(pick, pane.mode == "facets")

    def _follow(self, pick: Pick, narrow: bool) -> None:
        """An entity opens its page; a source or a year narrows the search to it."""
        if pick.field in KINDS:
            self.open_entity_page(pick, self.state.query if narrow else None)
            return
        query = pick.query()
        if narrow and self.state.query.strip():
            query = f"{self.state.query} {query}"
        self._search_for(query)
        if self.narrow:  # give the list its place back to show the new results
            self.entity_pane_wanted = None
            self._layout_entity_pane()
        _focus(self.query_one("#list", ArticleList))

    def open_entity_page(self, pick: Pick, narrow: str | None = None) -> None:
        """The entity's page over the main screen; what it answers is searched for, and Back
        from that search comes back to the page."""
        if self.engine is None:
            return

        page = EntityPage(self.engine, pick, narrow)

        def answered(choice) -> None:
            if page.changed:  # decisions made on the page: the pane and the facets anew
                self._reload_open_article()
                if self.query_one("#entities", EntityPane).mode == "facets":
                    self.load_facets()
            if choice is None:
                return
            self.history.append(replace(self._here(), entity=(page.pick, narrow)))
            self._search_for(choice.query, push=False)
            if self.narrow:  # give the list its place back to show the new results
                self.entity_pane_wanted = None
                self._layout_entity_pane()
            _focus(self.query_one("#list", ArticleList))

        self.app.push_screen(page, answered)

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def load_facets(self) -> None:
        engine, query = self.engine, self.state.query
        if engine is None:
            return
        try:
            facets = engine.facets(query if query.strip() else "*", stories=self.app.config.collapse == "story")
        except QueryError:
            facets = {}
        except InternalError as exc:
            self.app.call_from_thread(self._message, str(exc), True)
            facets = {}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.query_one("#entities", EntityPane).show_facets, facets)

    def on_worker_state_changed(self, event) -> None:
        """A worker that failed with an exception no one expected: a bug. It is recorded in
        errors.log and said on the message line; the reader goes on."""
        if event.state.name != "ERROR" or event.worker.error is None:
            return
        error = event.worker.error
        log = record_error(self.app.corpus.home, error, f"reader worker {event.worker.group}")
        where = f"; the traceback is in {log}" if log else ""
        self._message(f"Internal error in the reader's {event.worker.group} ({type(error).__name__}: "
                      f"{str(error)[:120]}){where}. This is a bug in dossier.", error=True)
        if event.worker.group == "search":  # answered, if badly: nothing waits for it any more
            self.requested = self.state
            self._results_awaited = False
            self.app.release_keys()
        elif event.worker.group == "article":
            self._loading_id = None

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
        if place.entity is not None:  # the search was asked for from an entity page: back to it
            self.open_entity_page(*place.entity)

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
            self._mark_opened(article_id)
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
        elif self.app.focused is self.query_one("#entities") or self.app.focused is None:
            _focus(self.query_one("#list", ArticleList))

    def action_toggle_facets(self) -> None:
        pane = self.query_one("#entities", EntityPane)
        if not self.query_one("#entity-pane").has_class("shown"):
            self.entity_pane_wanted = True
            self._layout_entity_pane()
        if pane.mode == "article":
            # "Blair 12 (9)": twelve articles telling nine stories (when stories are grouped).
            self.query_one("#entity-pane").border_title = "Facets · articles (stories)" \
                if self.app.config.collapse == "story" else "Facets of the results"
            pane.mode = "facets"
            self.load_facets()
            self.warm_entities()
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

    def action_cross_reference(self, path: str | None = None) -> None:
        """A list of names looked up in the corpus: asked for, or given (`--xref FILE`)."""
        if self.engine is None:
            return
        from index.names_list import NamesError, read_names

        def open_list(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            try:
                names = read_names(answer.strip())
            except NamesError as exc:
                self._message(str(exc), error=True)
                return

            def answered(choice) -> None:
                if choice is not None:
                    self._search_for(choice.query)
                    _focus(self.query_one("#list", ArticleList))

            self.app.push_screen(NamesScreen(self.engine, names, answer.strip()), answered)

        if path:
            open_list(path)
        else:
            self.app.push_screen(Prompt("A list of names to look up (a file: one name per line, or a CSV "
                                        "with name and kind columns):"), open_list)

    def action_show_timeline(self) -> None:
        if self.engine is None:
            return

        def answered(query: str | None) -> None:
            if query:
                self._search_for(query)  # Back returns to the search before it was narrowed
                _focus(self.query_one("#list", ArticleList))

        self.app.push_screen(TimelineScreen(self.engine, self.state.query), answered)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()


def _order_label(results: ResultList) -> str:
    if results.sort == "relevance":
        return "relevance"
    return "by file path" if results.undated else "newest first"
