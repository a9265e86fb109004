"""Keys sent in one burst, as SSH delivers typing, are handled in the order typed.

Textual forwards each key to the focused widget's queue and runs the app's bindings only
when it bubbles back: a burst was forwarded before any key of it was handled, so keys after
"/" went to the list, "/" then ctrl+u then a word left the bar empty, Esc then j typed "j"
into the query, and the keys after "t" reached no one. These tests post the whole burst
before the app handles any of it (Pilot.press would wait after each key)."""

from __future__ import annotations

from textual.widgets import Input

from index.library import Library
from tui.screens.prompt import Prompt
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderView

from .pilot import burst, make_app, settle
from .test_app import seeds_corpus, status, titles  # noqa: F401 (a fixture)

KIRBY = "Iran initiates missile launch against ISIS"


def query(app) -> str:
    return app.query_one("#search", Input).value


async def test_slash_then_a_word_in_one_burst(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"kirby", "enter")  # k and j are list keys: they must not move it
        assert query(pilot.app) == "kirby" and titles(pilot.app) == [KIRBY]
        assert isinstance(pilot.app.focused, ArticleList)


async def test_slash_ctrl_u_and_a_word_in_one_burst(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"psaki", "enter")
        await burst(pilot, "slash", "ctrl+u", *"kirby", "enter")
        assert query(pilot.app) == "kirby" and titles(pilot.app) == [KIRBY]


async def test_keys_typed_before_the_first_screen_are_kept(seeds_corpus):
    """Typed while the reader is still starting: held, then handled in order."""
    app = make_app(seeds_corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await burst(pilot, "slash", *"kirby", "enter", "j")  # at once, before anything settled
        assert query(app) == "kirby" and titles(app) == [KIRBY]


async def test_escape_then_a_key_leaves_the_search_and_acts_on_the_list(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"iran")
        # Esc then j typed as one motion arrives as alt+j (ESC j in one read).
        await burst(pilot, "alt+j")
        assert query(pilot.app) == "iran"
        assert isinstance(pilot.app.focused, ArticleList) and pilot.app.query_one(ArticleList).cursor == 1
        await burst(pilot, "slash", "ctrl+u", *"brown", "escape", "c")  # Esc, then c clears
        assert query(pilot.app) == "" and len(titles(pilot.app)) == 5
        library = Library(seeds_corpus.home, seeds_corpus.root)
        assert "brownc" not in library.history() and "brown" in library.history()


async def test_escape_then_q_quits_from_the_search_bar(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"iran", "alt+q")
        assert not pilot.app.is_running or pilot.app.return_code == 0


async def test_enter_then_keys_for_the_list(seeds_corpus):
    """The keys after Enter are the list's, not more of the query."""
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *"iran", "enter", "j", "j", "enter")
        assert query(pilot.app) == "iran"
        article_list = pilot.app.query_one(ArticleList)
        assert article_list.cursor == 2
        assert pilot.app.query_one(ReaderView).article.id == article_list.current_id
        assert isinstance(pilot.app.focused, ReaderView)


async def test_a_prompt_takes_the_keys_typed_right_after_its_key(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_id = pilot.app.query_one(ArticleList).current_id
        await burst(pilot, "t", *"followup urgent", "enter", "j")
        library = Library(seeds_corpus.home, seeds_corpus.root)
        assert library.state(article_id).tags == ["followup", "urgent"]
        assert not isinstance(pilot.app.screen, Prompt) and pilot.app.query_one(ArticleList).cursor == 1


async def test_escape_then_a_key_in_a_prompt_cancels_it_and_acts_below(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_id = pilot.app.query_one(ArticleList).current_id
        await burst(pilot, "t", *"never", "alt+j")
        assert Library(seeds_corpus.home, seeds_corpus.root).state(article_id).tags == []
        assert pilot.app.query_one(ArticleList).cursor == 1


async def test_star_after_moves_stars_the_article_moved_to(seeds_corpus):
    """A key that acts on "the article under the cursor" sees the moves typed before it."""
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "j", "j", "j", "asterisk")
        article_list = pilot.app.query_one(ArticleList)
        starred = Library(seeds_corpus.home, seeds_corpus.root).ids_starred()
        assert list(starred) == [article_list.results.row(3).id]
