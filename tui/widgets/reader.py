"""The reading view: one article, wrapped to the pane, with search hits and entities
highlighted. Lines are wrapped once per article and width, so scrolling and jumping to a
hit only pick lines."""

from __future__ import annotations

import bisect

from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index import sanitize
from index.article import Article
from index.kinds import KIND_NOUNS, KINDS
from index.reflow import reflow

from ..actions import motion_bindings
from ..theme import CURRENT_HIT, HIT, KIND_STYLES, META, STAR, TAG, TITLE


READER_MAX_CHARS = 300_000  # ~4,000 lines: wrapped in about a tenth of a second


class ReaderView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    /* A stable gutter: lines are wrapped before the scrollbar appears, so it must never
       take columns away from them. Always shown: a scrollbar coming and going between a
       short article and a long one ran a layout pass, repainting both panes' edges. */
    ReaderView { background: $surface; scrollbar-gutter: stable; scrollbar-size-vertical: 1; overflow-y: scroll; }
    """
    BINDINGS = motion_bindings("scroll_down", "scroll_up", "page_down", "page_up", "scroll_home", "scroll_end")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.hits: list[tuple[int, int]] = []
        self.title_hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        self.show_entities = True
        self.state = None  # the article's library state (read, star, tags, note)
        self.also_in: list = []  # other files and feeds the same text came from
        self.placeholder = "No article open."
        self._lines: list[Strip] = []
        self._line_starts: list[int] = []  # body offset of each body line
        self._body_top = 0  # index of the first body line
        self._width = 0

    # -- content ------------------------------------------------------------------------
    def show_article(self, article: Article | None, hits: dict | None = None, state=None, also_in=()) -> None:
        self.article = article
        self.state = state
        self.also_in = list(also_in)
        hits = hits or {}
        self.hits = [(a, b) for a, b in hits.get("body", []) if b <= READER_MAX_CHARS]
        self.title_hits = list(hits.get("title", []))
        self.current_hit = None
        self._rewrap()
        self.scroll_to(y=0, animate=False)

    def set_state(self, state) -> None:
        """New library state for the open article: the header changes, the place does not."""
        self.state = state
        self._rewrap_in_place()

    def replace_entities(self, article: Article) -> None:
        """The open article again, with the entities the entity pass found since it was
        shown: its text is the same, so the place in it stays."""
        self.article = article
        self._rewrap_in_place()

    def _rewrap_in_place(self) -> None:
        y = self.scroll_offset.y
        self._rewrap()
        self.scroll_to(y=y, animate=False)

    def show_message(self, message: str) -> None:
        self.placeholder = message
        self.show_article(None)

    def set_entity_highlights(self, on: bool) -> None:
        self.show_entities = on
        self._rewrap()

    @property
    def hit_label(self) -> str:
        if not self.hits:
            return ""
        if self.current_hit is None:
            return f"{len(self.hits)} hit{'s' if len(self.hits) != 1 else ''}"
        return f"hit {self.current_hit + 1} of {len(self.hits)}"

    def jump_hit(self, step: int) -> bool:
        """Move to the next (+1) or previous (-1) hit and scroll it into view."""
        if not self.hits:
            return False
        if self.current_hit is None:
            self.current_hit = 0 if step > 0 else len(self.hits) - 1
        else:
            self.current_hit = (self.current_hit + step) % len(self.hits)
        self._rewrap()
        start = self.hits[self.current_hit][0]
        line = self._body_top + max(bisect.bisect_right(self._line_starts, start) - 1, 0)
        height = max(self.size.height, 1)
        top = self.scroll_offset.y
        if not (top <= line < top + height - 1):
            self.scroll_to(y=max(line - height // 3, 0), animate=False)
        return True

    # -- wrapping -----------------------------------------------------------------------
    def _body_text(self) -> Text:
        article = self.article
        # Hard-wrapped paragraphs flow to the pane's width; offsets stay (index/reflow.py).
        text = Text(sanitize.for_terminal(reflow(article.text[:READER_MAX_CHARS])))
        if self.show_entities:
            for span in article.entities:
                style = KIND_STYLES.get(span.kind)
                if style and span.end <= len(text):
                    text.stylize(style, span.start, span.end)
        for i, (start, end) in enumerate(self.hits):
            text.stylize(CURRENT_HIT if i == self.current_hit else HIT, start, end)
        if len(article.text) > READER_MAX_CHARS:
            text.append(
                f"\n\n… the reader shows the first {READER_MAX_CHARS:,} of {len(article.text):,} characters; "
                f"`dossier show {article.id}` prints the whole article.", META)
        return text

    def _header(self) -> list[Text]:
        article = self.article
        title = Text(sanitize.clean_line(article.title), style=TITLE)
        for start, end in self.title_hits:
            title.stylize(HIT, start, end)
        meta = " · ".join(x for x in (
            ", ".join(article.authors),
            article.source or "",
            article.dateline or "",
            article.date_label() or "undated",
        ) if x)
        lines = [title, Text(sanitize.clean_line(meta), style=META)]
        if self.also_in:
            places = "; ".join(f"{a.path} ({a.source})" if a.source else a.path for a in self.also_in)
            lines.append(Text(sanitize.clean_line(f"also in: {places}"), style=META))
        if self.state is not None and (self.state.starred or self.state.tags or self.state.note):
            mine = Text()
            if self.state.starred:
                mine.append("★ starred  ", STAR)
            if self.state.tags:
                mine.append(" ".join(f"#{t}" for t in self.state.tags) + "  ", TAG)
            if self.state.note:
                first = self.state.note.strip().splitlines()[0]
                mine.append(f"note: {sanitize.clean_line(first)[:80]}", META)
            lines.append(mine)
        if self.show_entities and article.entities:
            legend = Text()
            kinds = {s.kind for s in article.entities}
            for kind in KINDS:
                if kind in kinds:
                    legend.append(KIND_NOUNS[kind], KIND_STYLES[kind])
                    legend.append("  ")
            lines.append(legend)
        lines.append(Text(""))
        return lines

    MARGIN = 1  # a column of space between the list and the text

    def _rewrap(self) -> None:
        width = max(self.scrollable_content_region.width - self.MARGIN, 10)
        self._width = width
        console = self.app.console
        strips: list[Strip] = []
        self._line_starts = []
        if self.article is None:
            for line in Text(self.placeholder, style=META).wrap(console, width):
                strips.append(Strip(list(line.render(console))))
            self._set(strips, 0)
            return
        for part in self._header():
            for line in part.wrap(console, width):
                strips.append(Strip(list(line.render(console))))
        body_top = len(strips)
        body = self._body_text()
        offset = 0
        for paragraph in body.split("\n", include_separator=True):
            plain_length = len(paragraph.plain)
            paragraph.rstrip()
            if not paragraph.plain:
                self._line_starts.append(offset)
                strips.append(Strip.blank(0))
            else:
                position = offset
                for line in paragraph.wrap(console, width):
                    self._line_starts.append(position)
                    position += len(line.plain)
                    strips.append(Strip(list(line.render(console))))
            offset += plain_length
        self._set(strips, body_top)

    def _set(self, strips: list[Strip], body_top: int) -> None:
        before = self._lines
        self._lines = strips
        self._body_top = body_top
        size = Size(0, len(strips))
        if size != self.virtual_size:
            # Not through the reactive, whose layout pass repainted both panes' edges (a
            # second frame of 1.4 KB over SSH for each article of another length): the
            # scroll range reads virtual_size, and the scrollbar is told the new size.
            fitted = max(size.height, self.virtual_size.height) <= self.scrollable_content_region.height
            self.set_reactive(ReaderView.virtual_size, size)
            if not fitted:  # two articles that fit show the same full-height thumb: no repaint
                self._scroll_update(size)
        # Repaint only the rows on screen whose line changed: the next article sends its own
        # text, not the blank rows under a short one again (issue 19: 4.6 KB a key at 100x30,
        # two thirds of it padding and the styles around it).
        top = self.scroll_offset.y
        changed = [row for row in range(self.size.height)
                   if (before[top + row] if top + row < len(before) else None)
                   != (strips[top + row] if top + row < len(strips) else None)]
        if changed:
            # The text's columns only: the scrollbar beside them repaints itself when it moves.
            width = self.scrollable_content_region.width
            self.refresh(Region(0, changed[0], width, changed[-1] - changed[0] + 1))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width - self.MARGIN != self._width:
            self._rewrap()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = Strip.join([Strip.blank(self.MARGIN), self._lines[index]])
        # simplify(): the margin, plain text and padding share one style, so one escape sequence
        # (a third of a line's bytes were the same style set and reset three times).
        return line.adjust_cell_length(width, self.rich_style).apply_style(self.rich_style).simplify()

