"""The user's library from the reader: read state, stars, tags, notes and saved searches.

A part of the main screen (tui/screens/main.py): its actions are named in the registry
(tui/actions.py) and run on that screen. The library is SQLite (index/library.py); a write
that fails (a full disk, a read-only home) is said on screen, never raised.
"""

from __future__ import annotations

from textual import work

from index import sanitize
from index.errors import InternalError
from index.library import LibraryError
from index.query import QueryError

from . import external
from .keys import focus_now as _focus
from .screens.prompt import NoteEditor, Prompt
from .screens.saved import SavedSearches
from .widgets.article_list import ArticleList
from .widgets.reader import ReaderView
from .widgets.search_input import SearchInput


class LibraryActions:
    """Mixin for the main screen: it provides engine, library, state, _target_id(),
    _target_article(), _search_for() and focus_widget()."""

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

        self.app.push_screen(Prompt("Tags (words separated by spaces; remove one to untag):", " ".join(current),
                                "Enter saves · Esc cancels · search them with tag:name"), done)

    def action_edit_note(self) -> None:
        article = self._target_article()
        if article is None:
            return
        state = self._state_of(article.id)

        def done(note: str | None) -> None:
            if note is not None and self._library_write(lambda: self.library.set_note(article.id, note)):
                self._state_changed(article.id)

        self.app.push_screen(NoteEditor(f"Note on: {sanitize.clean_line(article.title)[:70]}", state.note if state else ""), done)

    def action_edit_note_in_editor(self) -> None:
        article = self._target_article()
        if article is None:
            return
        state = self._state_of(article.id)
        try:
            note = external.edit_text(self.app, state.note if state else "", suffix=".md")
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

        self.app.push_screen(Prompt(f"Save “{sanitize.clean_line(query)}” as:", query[:40]), done)

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
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show_saved, rows)

    def _show_saved(self, rows: list[dict]) -> None:
        def remove(name: str) -> None:
            self._library_write(lambda: self.library.remove_saved(name))

        def done(query: str | None) -> None:
            if query:
                self._search_for(query)
                _focus(self.query_one("#list", ArticleList))

        self.app.push_screen(SavedSearches(rows, remove), done)
