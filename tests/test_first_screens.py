"""What a new user meets first, through Pilot: the first frame, the cursor, Back, the row
marks, the help screen, folders without dates. (tests/test_journeys.py does the same
through a real terminal.)"""

from __future__ import annotations

import threading

from rich.color import ColorSystem
from textual.widgets import Input, Static

from index.corpus import Corpus
from index.ingest import ingest
from index.search import NO_DATES
from tui import background_indexing
from tui.screens.help import HelpScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderView

from .conftest import write
from .pilot import DEADLINE, burst, make_app, search, settle, wait_for
from .test_app import seeds_corpus, status, titles  # noqa: F401 (a fixture)

NEWEST = "Iran Missiles Strike U.S. Targets in Iraq"


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


def reader_text(app) -> str:
    reader = app.query_one(ReaderView)
    return "\n".join("".join(segment.text for segment in strip) for strip in reader._lines)


async def test_the_first_frame_of_a_new_folder_says_it_is_indexing(seeds_copy, monkeypatch):
    """Not an exception's name ("cannot run this query (NotImplementedError: )") and an empty
    list until the first batch lands."""
    # The indexer is held until the first frame is checked: on a busy machine its first batch
    # can otherwise land before the app's first frame, and then the reader rightly shows it.
    first_frame_seen = threading.Event()
    indexer = background_indexing.run_background_ingest

    def held_indexer(*args, **kwargs):
        first_frame_seen.wait(DEADLINE)
        yield from indexer(*args, **kwargs)

    monkeypatch.setattr(background_indexing, "run_background_ingest", held_indexer)
    corpus = Corpus.open(seeds_copy)
    async with make_app(corpus, background=True).run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the first frame
        assert "indexing" in status(pilot.app) and not message(pilot.app).strip()
        assert "Indexing" in reader_text(pilot.app)
        first_frame_seen.set()
        await wait_for(pilot, lambda: "5 articles" in status(pilot.app) and "indexing" not in status(pilot.app),
                       "the five seeds indexed")
        await settle(pilot)
        assert not message(pilot.app).strip()
        assert pilot.app.query_one(ArticleList).cursor == 0 and titles(pilot.app)[0] == NEWEST
        assert pilot.app.query_one(ReaderView).article.title == NEWEST


async def test_a_folder_with_nothing_to_read_says_so(corpus_dir):
    write(corpus_dir, "picture.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    async with make_app(Corpus.open(corpus_dir), background=True).run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "No articles in" in reader_text(pilot.app), "the reader saying the folder is empty")
        assert "dossier index -v" in reader_text(pilot.app) and not message(pilot.app).strip()


async def test_new_articles_arriving_leave_the_cursor_on_the_newest_until_it_is_moved(seeds_copy):
    newest = seeds_copy / "004_efa60d6eabd65ad3.txt"
    held = newest.read_bytes()
    newest.unlink()
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    async with make_app(corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = titles(pilot.app)[0]
        newest.write_bytes(held)
        ingest(corpus)  # another batch lands: the newest article goes on top
        await wait_for(pilot, lambda: len(titles(pilot.app)) == 5, "the fifth article listed")
        await settle(pilot)
        article_list = pilot.app.query_one(ArticleList)
        assert titles(pilot.app)[0] == NEWEST and article_list.cursor == 0
        assert pilot.app.query_one(ReaderView).article.title == NEWEST  # the reader follows the cursor
        # Once the user has moved, the cursor stays on their article as rows come in.
        await pilot.press("j")
        moved_to = article_list.current_id
        (seeds_copy / "zz-new.md").write_text("---\ntitle: Even newer\ndate: 2024-01-01\n---\nText.\n")
        ingest(corpus)
        await wait_for(pilot, lambda: len(titles(pilot.app)) == 6, "the sixth article listed")
        await settle(pilot)
        assert article_list.current_id == moved_to and article_list.cursor == 2
        assert first != NEWEST


async def test_back_returns_to_the_cursor_and_scroll_of_the_earlier_search(corpus_dir):
    for i in range(80):
        write(corpus_dir, f"{i:03d}.md", f"---\ntitle: Harbour report {i}\ndate: 2020-01-{1 + i % 28:02d}\n---\n"
                                         f"The harbour of {'Mombasa' if i % 2 else 'Lamu'} was busy, report {i}.\n")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    async with make_app(corpus).run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        article_list = pilot.app.query_one(ArticleList)
        await pilot.press(*["j"] * 45)
        await settle(pilot)
        place = (article_list.current_id, article_list.cursor, article_list.scroll_offset.y)
        assert place[2] > 0  # scrolled
        await search(pilot, "mombasa")  # a new search...
        await pilot.press("j", "j")
        await pilot.press("b")  # ...and back
        await settle(pilot)
        assert pilot.app.query_one("#search", Input).value == ""
        assert (article_list.current_id, article_list.cursor, article_list.scroll_offset.y) == place
        await pilot.press("b")
        await settle(pilot)
        assert "No earlier search" in " ".join(str(n.message) for n in pilot.app._notifications)


def _cells_readable(strip, colour_system: ColorSystem) -> bool:
    """Every non-blank cell's colour differs from its background once the colours are reduced
    to what the terminal shows."""
    for segment in strip:
        style = segment.style
        if not segment.text.strip() or style is None or style.color is None or style.bgcolor is None:
            continue
        fg, bg = style.color, style.bgcolor
        if style.reverse:
            fg, bg = bg, fg
        if fg.downgrade(colour_system) == bg.downgrade(colour_system):
            return False
    return True


async def test_the_cursor_row_shows_its_unread_and_star_marks(seeds_corpus):
    """The mark was drawn in $warning on the cursor's $accent: the same colour in the
    default themes, in every colour mode."""
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = pilot.app.query_one(ArticleList)
        for focused in (True, False):
            pilot.app.screen.set_focus(article_list if focused else pilot.app.query_one(ReaderView))
            await settle(pilot)
            for mark_key in (None, "asterisk"):
                if mark_key:
                    await pilot.press("1", mark_key)
                    await settle(pilot)
                row = article_list.render_line(0)
                assert row.text[0] in "•★"
                for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR):
                    assert _cells_readable(row, system), (focused, mark_key, system, list(row))


async def test_help_scrolls_to_its_end_with_the_reader_keys(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one("#help-body")
        more = help_screen.query_one("#more", Static)
        await wait_for(pilot, lambda: "more below" in str(more.render()), "the help saying there is more below")
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("j")
        await wait_for(pilot, lambda: body.scroll_y == 1, "j scrolling one line")
        await pilot.press("k")
        await wait_for(pilot, lambda: body.scroll_y == 0, "k scrolling back")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: body.scroll_y > 10, "PgDn scrolling a page")
        await pilot.press("G")
        await wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y, "G scrolling to the end")
        assert "the end" in str(more.render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_a_folder_without_dates_is_listed_by_path_and_says_why_dates_find_nothing(corpus_dir):
    for name in ["tech/002.txt", "business/010.txt", "tech/001.txt"]:
        write(corpus_dir, name, f"Story {name}\n\nMarkets in Lagos moved, says file {name}.")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    async with make_app(corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.query_one("#list-pane").border_title == "Articles · by file path"
        assert titles(pilot.app) == ["Story business/010.txt", "Story tech/001.txt", "Story tech/002.txt"]
        row = pilot.app.query_one(ArticleList).render_line(0).text
        assert row.startswith("• Story business/010.txt") and "—" not in row  # no column of dashes for dates
        await search(pilot, "date:2005")
        assert "No articles match" in message(pilot.app) and NO_DATES in message(pilot.app)


async def test_a_search_that_finds_nothing_leaves_no_stale_count_or_article(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "soleimani")
        await pilot.press("enter")
        await settle(pilot)
        assert "3 hits" in status(pilot.app)
        await burst(pilot, "slash", "ctrl+u", *"xyzzy")  # still typing: the reader keeps its article...
        assert status(pilot.app).startswith("0 articles") and "hit" not in status(pilot.app)
        await burst(pilot, "enter")  # ...until the search is left
        assert pilot.app.query_one(ReaderView).article is None
        assert "No article to show" in reader_text(pilot.app) and "hit" not in status(pilot.app)
