"""The versions of a story and what each changed from its main version: `d` on an article.

The versions are listed at the top, the main one first; below, the one chosen is compared
with the main version sentence by sentence (tui/story_text.py, as `dossier story` prints
it). h/l choose the version, Enter reads it, Esc closes."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static
from textual.worker import get_current_worker

from index import sanitize
from index.corpus import CorpusError
from index.errors import InternalError
from index.query import QueryError

from .. import actions
from ..keys import Dialog
from ..story_text import comparison_parts, version_line
from ..theme import META
from ..widgets.status import footer_keys


class StoryScreen(Dialog):
    """Answers the id of the version to read, or None."""

    DEFAULT_CSS = """
    StoryScreen { align: center middle; }
    StoryScreen > Vertical { width: 100%; max-width: 120; height: 100%; background: $surface;
                             border: round $accent; padding: 0 1; }
    StoryScreen #story-versions { height: auto; max-height: 40%; }
    StoryScreen #story-changes { height: 1fr; border-top: solid $panel-lighten-2; }
    StoryScreen #story-keys { height: 1; background: $panel; }
    """
    BINDINGS = actions.bindings("story")
    keys_on_mount = False  # keys typed after d wait for the versions

    def __init__(self, engine, article_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.article_id = article_id
        self.story = None
        self.chosen = 0  # the version compared with the main one

    def pending(self) -> list[str]:
        return [] if self.takes_keys else ["the story's versions"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Finding the story's versions…", style=META), id="story-versions")
            with VerticalScroll(id="story-changes"):
                yield Static("", id="story-text")
            yield Static(footer_keys(self.app.config.keymap, "story"), id="story-keys")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#story-changes", VerticalScroll))
        self.load()

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def load(self) -> None:
        try:
            story = self.engine.story(self.article_id)
        except (CorpusError, QueryError, InternalError) as exc:
            self.app.call_from_thread(self._show_problem, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, story)

    def _show_problem(self, text: str) -> None:
        self.query_one("#story-versions", Static).update(Text(sanitize.clean_line(text), style="red"))
        self.ready_for_keys()

    def _show(self, story) -> None:
        self.story = story
        ids = [v.id for v in story.versions]
        # The article the user was on, unless it is the main version: then the next one.
        here = ids.index(self.article_id) if self.article_id in ids else 0
        self.chosen = here if here else min(1, len(ids) - 1)
        self._draw()
        self.ready_for_keys()

    def _draw(self) -> None:
        story = self.story
        count = len(story.versions)
        head = Text(f"A story in {count} versions" if count > 1 else
                    "An article alone: no other version of its text was found in this folder", style="bold")
        lines = [head]
        for number, version in enumerate(story.versions):
            pointer = "▶ " if number == self.chosen and count > 1 else "  "
            line = Text(pointer, style="bold")
            line.append_text(version_line(version, "  ", alone=count == 1))
            lines.append(line)
        self.query_one("#story-versions", Static).update(Group(*lines))
        chosen = story.versions[self.chosen]
        if count == 1:
            body = [Text("Nothing to compare: no other article in this folder has most of this one's text. "
                         "Versions of a story (a wire story under other headlines, trimmed, with a paragraph "
                         "added or a quote changed) are compared here, sentence by sentence.", style=META)]
        elif chosen.comparison is None:
            body = [Text("This is the main version: the earliest (the fullest of the earliest). "
                         "l chooses another version, to see what it changed.", style=META)]
        else:
            body = comparison_parts(chosen.comparison)
        self.query_one("#story-text", Static).update(Group(*body))
        self.query_one("#story-changes", VerticalScroll).scroll_home(animate=False)

    def action_version(self, step: int) -> None:
        if self.story is not None and len(self.story.versions) > 1:
            self.chosen = (self.chosen + step) % len(self.story.versions)
            self._draw()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#story-changes", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_open_version(self) -> None:
        if self.story is not None:
            self.dismiss(self.story.versions[self.chosen].id)

    def action_close(self) -> None:
        self.dismiss(None)
