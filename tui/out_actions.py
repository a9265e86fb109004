"""Getting text out of the reader: export to a file, the pager, an editor, a pipe, the
clipboard (OSC 52, so it works over SSH) and the browser.

A part of the main screen (tui/screens/main.py); its actions are named in the registry
(tui/actions.py). Other programs get the article's cleaned text, never the file on disk.
"""

from __future__ import annotations

import datetime as dt
import os
import webbrowser
from pathlib import Path

from textual import work

from index import export, sanitize
from index.corpus import CorpusError
from index.errors import InternalError
from index.library import LibraryError
from index.query import QueryError

from . import external
from .screens.prompt import Prompt
from .widgets.article_list import ArticleList
from .widgets.reader import ReaderView

class OutActions:
    """Mixin for the main screen: it provides engine, library, state and results."""

    def _target_id(self) -> str | None:
        """The article an action is for: the one being read when the reader has the focus,
        else the one under the list's cursor."""
        reader = self.query_one("#reader", ReaderView)
        if self.app.focused is reader and reader.article is not None:
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

    def _export_prompt(self, what: str, default_name: str, write) -> None:
        def done(answer: str | None) -> None:
            if answer and answer.strip():
                path = _export_path(answer)
                self._export_worker(path, export.format_for(path.name), write)

        self.app.push_screen(Prompt(f"Export {what} to (.md, .json or .csv):", default_name,
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
            self.app.call_from_thread(self.notify, f"Cannot export to {path}: {message}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Exported {len(articles):,} article{'s' if len(articles) != 1 else ''} to {path}")

    def _run_external(self, run) -> None:
        try:
            run()
        except external.ExternalError as exc:
            self.notify(str(exc), severity="error", timeout=10)
        self.app.refresh()

    def action_open_in_pager(self) -> None:
        # The sanitised text on the pager's standard input: the file on disk can hold escape
        # sequences (a hyperlink's OSC 8 made a spoofed link with `less -R`).
        article = self._target_article()
        if article is not None:
            self._run_external(lambda: external.run(self.app, external.pager(), stdin_text=_plain_text(article)))

    def action_open_in_editor(self) -> None:
        article = self._target_article()
        if article is not None:
            self._run_external(lambda: external.view_in_editor(self.app, _plain_text(article), f"{article.id}.txt"))

    def action_pipe_article(self) -> None:
        article = self._target_article()
        if article is None:
            return

        def done(command: str | None) -> None:
            if command and command.strip():
                self._run_external(lambda: external.pipe(self.app, command, _plain_text(article)))

        self.app.push_screen(Prompt("Pipe the article's text to:", "", "a shell command, e.g. wc -w or mail -s news me@example.org"), done)

    def action_copy_url(self) -> None:
        article = self._target_article()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no URL; Y copies a citation.", timeout=3)
            return
        self.app.copy_to_clipboard(sanitize.clean_line(article.url))
        self.notify("URL copied to your clipboard.", timeout=2)

    def action_copy_citation(self) -> None:
        article = self._target_article()
        if article is not None:
            self.app.copy_to_clipboard(export.citation(article))
            self.notify("Citation copied to your clipboard.", timeout=2)

    def action_open_url(self) -> None:
        article = self._target_article()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no URL.", timeout=3)
            return
        url = sanitize.clean_line(article.url)
        if external.OVER_SSH or not _has_browser():
            # A browser here would open on the remote machine, out of the user's sight.
            self.app.copy_to_clipboard(url)
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


def _plain_text(article) -> str:
    """The article as handed to the pager, an editor or a pipe: title, blank line, text,
    cleaned for a terminal (never the file as it is on disk)."""
    return f"{sanitize.clean_line(article.title)}\n\n{sanitize.for_terminal(article.text)}\n"


def _has_browser() -> bool:
    """A graphical browser can open here. Console browsers (lynx, w3m) would fight the
    reader for the terminal, so without a display the URL is copied instead."""
    import sys

    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
