"""Keeping the reader's index up to date while it is open: indexing new and changed files
in a background process, watching the folder, and picking up commits made by another
dossier (the list refreshes under the cursor without moving it).

A part of the main screen (tui/screens/main.py).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from index import sanitize
from index.corpus import CorpusError, IndexGone
from index.errors import InternalError
from index.query import QueryError
from index.search import Engine
from index.watch import changes as watch_changes

from .background import run as run_background_ingest
from .config import entities_wanted

if TYPE_CHECKING:
    from .screens.main import SearchState


class BackgroundIndexing:
    """Mixin for the main screen: it provides engine, library, state, requested, results,
    run_search(), _apply_results(), _clear_reader(), _update_status() and _message()."""

    _ingesting = False  # an indexing run is under way
    _ingest_again = False  # files changed during that run: run once more after it
    _refresh_pending = False  # the index changed and the list has not caught up yet
    _watch_stop: threading.Event | None = None  # set: the folder watcher stops

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
            self.app.call_from_thread(self._indexing_finished)

    def _index_folder(self) -> None:
        seen = None
        entities = entities_wanted(self.app.config, self.app.corpus)
        for event in run_background_ingest(str(self.app.corpus.root), str(self.app.corpus.home), entities):
            kind = event.get("event")
            if kind == "progress":
                if event.get("stage") == "entities":
                    text = f"entities {event['done']:,} of {event['total']:,} articles"
                else:
                    text = f"indexing {event['done']:,} of {event['total']:,} files"
                self.app.call_from_thread(self._set_progress, text)
                if (event.get("stage"), event["articles"]) != seen:  # a commit may have landed
                    seen = (event.get("stage"), event["articles"])
                    self.app.call_from_thread(self._index_grew)
            elif kind == "done":
                note = event.get("entities_error")
                self.app.call_from_thread(self._set_progress, "")
                self.app.call_from_thread(self._stories_may_have_come)
                self.app.call_from_thread(self._index_grew)
                skipped = len(event.get("skipped", []))
                if event.get("files_indexed"):
                    self.app.call_from_thread(self.notify, f"Indexed {event['articles_indexed']:,} articles"
                                          + (f"; {skipped} files skipped (dossier index shows why)" if skipped else ""))
                if note:
                    self.app.call_from_thread(self.notify, note, severity="warning", timeout=10)
            elif kind == "busy":
                # Someone else is indexing this folder: their commits arrive through the poll.
                self.app.call_from_thread(self._set_progress, "another dossier is indexing")
            elif kind == "error":
                self.app.call_from_thread(self._set_progress, "")
                self.app.call_from_thread(self.notify, event.get("message", "indexing failed"), severity="error", timeout=10)

    def _reload_open_article(self) -> None:
        if self._open_id is not None and self._loading_id is None:
            self.load_article(self._open_id)

    def _set_progress(self, text: str) -> None:
        self.progress = text  # the status line follows (MainScreen.watch_progress)

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
            self.notify(f"Watching {self.app.corpus.root}: new and changed files are indexed as they arrive.", timeout=4)
        self._update_status()

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch_worker(self, stop: threading.Event) -> None:
        worker = get_current_worker()

        class Stop:  # the watcher ends when W turns it off or the app cancels its workers (quit)
            @staticmethod
            def is_set() -> bool:
                return stop.is_set() or worker.is_cancelled

        try:
            for _changed in watch_changes(self.app.corpus.root, Stop, self.watch_listening.set):
                if stop.is_set():
                    break
                self.app.call_from_thread(self.start_indexing)
        except Exception as exc:  # e.g. inotify watch limit reached: say so, keep the reader
            if not stop.is_set():
                self.app.call_from_thread(self.notify, f"Cannot watch {self.app.corpus.root}: {exc}", severity="error", timeout=10)
                self.app.call_from_thread(self._watch_failed, stop)

    def _watch_failed(self, stop: threading.Event) -> None:
        if self._watch_stop is stop:
            self._watch_stop = None
            self._update_status()

    def on_unmount(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()

    def _stories_may_have_come(self) -> None:
        """An index from before stories is grouped by the run without a commit: the list is
        refreshed to show them."""
        if self.engine is not None and self.engine.forget_missing_stories():
            self._refresh_pending = True

    def _index_grew(self) -> None:
        if self.engine:
            self._refresh_worker(self.requested)

    def _index_gone(self, engine: Engine) -> None:
        """Someone deleted the index folder under the reader: start a new one and index the
        folder again (the index is only a cache of the files; the library is kept apart)."""
        if self.engine is not engine:
            return
        try:
            self.engine = Engine(self.app.corpus, library=self.library)
        except CorpusError as exc:
            self._message(f"Cannot open the index: {exc}", error=True)
            return
        engine.close()
        self.notify(f"The index of {sanitize.clean_line(str(self.app.corpus.root))} was deleted: indexing the folder again.",
                    severity="warning", timeout=10)
        self.run_search(self.requested, as_typed=True)
        self.start_indexing()

    @work(thread=True, group="warm", exit_on_error=False)
    def _warm_worker(self) -> None:
        if self.engine is not None:
            self.engine.warm()  # the first fuzzy or wildcard search then answers at once

    @work(thread=True, exclusive=True, group="warm-entities", exit_on_error=False)
    def warm_entities(self) -> None:
        """When the entity pane or the facets are shown: an entity page is likely next."""
        if self.engine is not None:
            self.engine.warm_entities()

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
            self.app.call_from_thread(self._index_gone, engine)
            return
        if changed:
            self._refresh_pending = True
        if not self._refresh_pending:
            return
        try:
            results = engine.result_list(state.query, state.sort, stories=self.app.config.collapse == "story")
        except (QueryError, InternalError):
            self._refresh_pending = False  # the search itself says what is wrong with it
            return
        if not get_current_worker().is_cancelled:
            self._refresh_pending = False
            self.app.call_from_thread(self._apply_results, state, results, True)
            # The entity pass replaces articles already shown: the open one gets its names.
            self.app.call_from_thread(self._reload_open_article)
