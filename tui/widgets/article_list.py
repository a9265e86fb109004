"""The article list: a Line-API ScrollView that renders only the visible rows.

It shows a ResultList (ordered document numbers, rows read lazily), so half a million
articles open and scroll as fast as five."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.search import ResultList

from ..actions import motion_bindings
from ..text import fit


@dataclass
class Marks:
    """What the list marks from the user's library: read articles and stars."""

    read: set[str] = field(default_factory=set)
    starred: set[str] = field(default_factory=set)


class ArticleList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    ArticleList { background: $surface; scrollbar-size-vertical: 1; }
    ArticleList > .article-list--cursor { background: $accent 40%; text-style: bold; }
    ArticleList:focus > .article-list--cursor { background: $accent; color: $text; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--source { color: $secondary; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--mark { color: $warning; }
    """
    COMPONENT_CLASSES = {"article-list--cursor", "article-list--date", "article-list--source",
                         "article-list--unread", "article-list--mark"}
    BINDINGS = motion_bindings("cursor_down", "cursor_up", "page_down", "page_up", "first", "last")

    cursor = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor moved to an article."""

        def __init__(self, article_id: str | None) -> None:
            self.article_id = article_id
            super().__init__()

    class Selected(Message):
        """Enter on an article."""

        def __init__(self, article_id: str) -> None:
            self.article_id = article_id
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.results: ResultList | None = None
        self.marks = Marks()
        self.moved = False  # the user has moved the cursor since these results were shown

    # -- data ---------------------------------------------------------------------------
    def show(self, results: ResultList, keep_id: str | None = None, top: int | None = None) -> None:
        """Show new results; keep the cursor on `keep_id` if it is still there, on the same
        screen row (or with the row `top` at the top of the view, to go back to a place)."""
        before = self._visible_rows()
        row_on_screen = self.cursor - self.scroll_offset.y
        self.results = results
        # Width 0: a virtual width would add a horizontal scrollbar re-sent on every key.
        self.virtual_size = Size(0, len(results))
        index = results.index_of(keep_id) if keep_id else None
        if keep_id is None:
            self.moved = False
        cursor = index or 0
        self.set_reactive(ArticleList.cursor, cursor)
        height = max(self.size.height, 1)
        y = (top if top is not None else cursor - row_on_screen) if index is not None else 0
        self.scroll_to(y=max(0, min(y, cursor), cursor - height + 1), animate=False)
        after = self._visible_rows()
        if len(before) == len(after):
            # Only the rows that differ are redrawn: over SSH every redrawn row costs bytes,
            # and a query refined by a letter often keeps most of its top rows.
            for y, (old, new) in enumerate(zip(before, after)):
                if old != new:
                    self.refresh_line(self.scroll_offset.y + y)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self.current_id))

    def _visible_rows(self) -> list:
        """What each visible line shows: (row, is the cursor), or None past the end."""
        top = self.scroll_offset.y
        out = []
        for index in range(top, top + self.size.height):
            out.append((self.results.row(index), index == self.cursor) if index < self.count else None)
        return out

    @property
    def count(self) -> int:
        return len(self.results) if self.results else 0

    @property
    def current_id(self) -> str | None:
        if not self.count:
            return None
        return self.results.row(min(self.cursor, self.count - 1)).id

    # -- drawing ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= self.count:
            return Strip.blank(width, self.rich_style)
        row = self.results.row(index)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        date = row.date.isoformat() if row.date else "—"
        unread = row.id not in self.marks.read
        # A star, else a dot for unread (as newsboat's N): the mark column reads in monochrome.
        mark = "★" if row.id in self.marks.starred else ("•" if unread else " ")
        # On the cursor row the mark takes the row's own colour: the mark colour ($warning)
        # is the cursor's background ($accent) in the default themes, so it vanished there.
        mark_style = base if index == self.cursor else base + self.get_component_rich_style("article-list--mark", partial=True)
        segments = [Segment(mark + " ", mark_style)]
        width -= 2
        used = 0
        # A folder without dates (the BBC set) would show a column of dashes: the title takes it.
        if width >= 36 and not self.results.undated:
            segments.append(Segment(fit(date, 10) + " ", base + self.get_component_rich_style("article-list--date", partial=True)))
            used += 11
        # A story's row says how many other versions it has ("Reuters +6"); the count is
        # never cut off, the source is.
        more = f" +{row.versions - 1}" if row.versions > 1 else ""
        if width >= 60:
            source_width = min(16, width // 5)
            source = fit(row.source or "", max(source_width - len(more), 0)).rstrip() + more if more else row.source or ""
            segments.append(Segment(fit(source, source_width) + " ",
                                    base + self.get_component_rich_style("article-list--source", partial=True)))
            used += source_width + 1
        elif more:
            segments.append(Segment(more.strip() + " ", base + self.get_component_rich_style("article-list--source", partial=True)))
            used += len(more)
        if row.version_of:  # a version listed under its story
            segments.append(Segment("  └ ", base + self.get_component_rich_style("article-list--date", partial=True)))
            used += 4
        if row.mentions is not None and width - used >= 21:  # the title keeps 16 columns
            # An entity query: how often each article names the entity (what it ranks by).
            segments.append(Segment(f"{row.mentions:>3}× ", base + self.get_component_rich_style("article-list--date", partial=True)))
            used += 5
        title_style = base + self.get_component_rich_style("article-list--unread", partial=True) if unread else base
        # Versions of a story often share their headline: where each came from goes first.
        title = f"{row.path}: {row.title}" if row.version_of and row.path else row.title
        segments.append(Segment(fit(title, max(width - used, 0)), title_style))
        return Strip(segments, width + 2).crop(0, width + 2)

    # -- moving -------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        # Past an edge the list moves half a page, not a row: every scroll repaints the whole
        # list (Textual has no terminal scrolling), 3.5 KB over SSH at 100x30, and reading
        # down a list of articles one by one then scrolls on one key in height/2, not each.
        if new < top:
            self.scroll_to(y=max(0, min(new, new - height // 2 + 1)), animate=False)
        elif new >= top + height:
            self.scroll_to(y=max(new - height + 1, new - height // 2), animate=False)
        self.post_message(self.Highlighted(self.current_id))

    def _move(self, to: int) -> None:
        if self.count:
            self.moved = True
            self.cursor = max(0, min(to, self.count - 1))

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        self._move(self.cursor - max(self.size.height - 1, 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.count - 1)

    def toggle_story(self) -> bool:
        """List the versions of the story under the cursor under it, or fold them (from a
        version too); False when the row is not a story."""
        if not self.count:
            return False
        index = self.results.story_of_row(min(self.cursor, self.count - 1))
        if not self.results.toggle(index):
            return False
        self.virtual_size = Size(0, len(self.results))
        self.set_reactive(ArticleList.cursor, index)
        self.refresh()
        self.post_message(self.Highlighted(self.current_id))
        return True

    def on_click(self, event: events.Click) -> None:
        self._move(self.scroll_offset.y + event.y)
