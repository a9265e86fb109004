"""The reader, driven with the keyboard through Textual's Pilot, as a person would use it."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from index.corpus import Corpus
from index.ingest import ingest
from tui.actions import ACTIONS
from tui.app import DossierApp, Timing
from tui.screens.help import HelpScreen, help_rows
from tui.widgets.article_list import ArticleList
from tui.screens.entity import EntityPage
from tui.widgets.entity_pane import EntityPane
from tui.widgets.reader import ReaderView

from .conftest import SEEDS, write
from .pilot import burst, make_app, search, settle, wait_for  # noqa: F401 (test_workflow imports them from here)


@pytest.fixture
def seeds_corpus(home):
    corpus = Corpus.open(SEEDS)
    ingest(corpus)
    return corpus


def titles(app):
    article_list = app.query_one(ArticleList)
    return [article_list.results.row(i).title for i in range(article_list.count)]


def status(app):
    return str(app.query_one("#status", Static).render())


async def test_opens_with_every_article_newest_first(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(titles(pilot.app)) == 5
        assert titles(pilot.app)[0] == "Iran Missiles Strike U.S. Targets in Iraq"
        assert "5 articles" in status(pilot.app)
        assert isinstance(pilot.app.focused, ArticleList)


async def test_keys_typed_right_after_slash_reach_the_search_box(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "k", "i", "r", "b", "y")  # no pause: k and j must not move the list
        assert pilot.app.query_one("#search", Input).value == "kirby"
        await settle(pilot)
        assert titles(pilot.app) == ["Iran initiates missile launch against ISIS"]
        assert "1 article" in status(pilot.app)


async def test_results_update_as_you_type(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"psaki")
        await settle(pilot)
        assert titles(pilot.app) == ["Mutual bombing between US forces and Iranian militias in Syria"]
        assert isinstance(pilot.app.focused, Input)  # still typing


async def test_enter_and_escape_return_to_the_list(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"iran", "enter")
        assert isinstance(pilot.app.focused, ArticleList)
        await pilot.press("slash", *"syria", "escape")  # "/" starts a new search, as in less
        await settle(pilot)
        assert isinstance(pilot.app.focused, ArticleList)
        assert pilot.app.main.state.query == "syria"


async def test_bad_query_shows_its_error_inline_and_keeps_the_text(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"(iran OR iraq")
        await settle(pilot)
        message = pilot.app.query_one("#message", Static)
        assert message.has_class("error")
        assert "'(' is never closed" in str(message.render())
        assert pilot.app.query_one("#search", Input).value == "(iran OR iraq"
        assert len(titles(pilot.app)) == 5  # the last good results stay
        await pilot.press(")")
        await settle(pilot)
        assert not message.has_class("error") and not str(message.render()).strip()


async def test_no_hits_offers_did_you_mean(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "missle")
        message = str(pilot.app.query_one("#message", Static).render())
        assert "Did you mean: missile" in message
        assert titles(pilot.app) == []


async def test_reader_keeps_its_article_while_a_query_is_typed_and_clears_when_left(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        assert reader.article is not None
        await pilot.press("slash", *"kermanshahx")  # nothing matches on the way
        await settle(pilot)
        assert titles(pilot.app) == []
        assert reader.article is not None  # no flash to an empty reader per keystroke
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is None


async def test_list_navigation_and_opening(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = pilot.app.query_one(ArticleList)
        await pilot.press("j", "j")
        assert article_list.cursor == 2
        await pilot.press("k")
        assert article_list.cursor == 1
        await pilot.press("G")
        assert article_list.cursor == 4
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("end", "home", "down", "pagedown")
        assert article_list.cursor == 4
        await pilot.press("up", "enter")
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        assert isinstance(pilot.app.focused, ReaderView)
        assert reader.article.id == article_list.current_id


async def test_reader_follows_the_cursor_once_it_settles(seeds_corpus):
    async with make_app(seeds_corpus, timing=Timing(settle=0.5)).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        first = reader.article.id
        await pilot.press("j", "j", "j")  # moves quicker than the settle delay: the reader waits
        assert reader.article.id == first and "the reader waiting for the cursor to rest" in pilot.app.pending()
        await settle(pilot)
        assert reader.article.id == pilot.app.query_one(ArticleList).current_id != first


async def test_hits_are_highlighted_and_n_jumps_between_them(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "soleimani")
        await pilot.press("enter")
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        assert [reader.article.text[a:b] for a, b in reader.hits] == ["Soleimani"] * 3
        await pilot.press("n")
        assert reader.hit_label == "hit 1 of 3" and "hit 1 of 3" in status(pilot.app)
        await pilot.press("n", "n")
        assert reader.hit_label == "hit 3 of 3"
        assert reader.scroll_offset.y > 0  # the last hit is far down: it was scrolled into view
        await pilot.press("N")
        assert reader.hit_label == "hit 2 of 3"


async def test_entity_highlighting_toggles(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        underlined = lambda: sum(1 for strip in reader._lines for seg in strip if seg.style and seg.style.underline)
        assert underlined() > 10
        await pilot.press("H")
        assert not reader.show_entities and underlined() == 0
        await pilot.press("H")
        assert underlined() > 10


async def test_entity_pane_pivot_and_back(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await search(pilot, "soleimani")
        await pilot.press("enter")
        await settle(pilot)
        pane = pilot.app.query_one(EntityPane)
        assert pane.entries[0][1:] == ("person", "Qasem Soleimani", 4)  # most mentioned person first
        await pilot.press("3")
        assert pilot.app.focused is pane
        assert pane.highlighted == pane.entries[0][0]
        await pilot.press("enter", "enter")  # his page, then every article naming him (keys in one burst)
        await settle(pilot)
        assert pilot.app.main.state.query == 'person:"Qasem Soleimani"'
        assert len(titles(pilot.app)) == 2  # 002 spells it Suleimani
        await settle(pilot)
        await pilot.press("n")  # the pivot's hits are the person's mentions, whatever the spelling
        reader = pilot.app.query_one(ReaderView)
        assert reader.hit_label.startswith("hit 1 of")
        assert {reader.article.text[a:b].split()[-1] for a, b in reader.hits} <= {"Soleimani", "Suleimani", "Soliemani"}
        await pilot.press("backspace")  # back to his page, over the search it was opened from
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EntityPage) and pilot.app.screen.page is not None,
                       "the entity page again")
        await pilot.press("backspace")
        await settle(pilot)
        assert pilot.app.main.state.query == "soleimani"
        assert pilot.app.query_one("#search", Input).value == "soleimani"


async def test_facets_narrow_the_search(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await search(pilot, "iran")
        await pilot.press("f")
        await settle(pilot)
        pane = pilot.app.query_one(EntityPane)
        assert pane.mode == "facets"
        kinds = {kind for _, kind, _, _ in pane.entries}
        assert {"person", "org", "place", "source", "year"} <= kinds
        assert ("year", "2020", 1) in [e[1:] for e in pane.entries]
        index = next(i for i, kind, label, _ in pane.entries if label == "Rolling Stone")
        pane.focus()
        pane.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.main.state.query == 'iran source:"Rolling Stone"'
        assert titles(pilot.app) == ["Iran Missiles Strike U.S. Targets in Iraq"]
        await pilot.press("b")  # the plain key for back
        await settle(pilot)
        assert pilot.app.main.state.query == "iran"


async def test_sort_toggles_between_relevance_and_date(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "iran")
        assert pilot.app.main.state.sort == "relevance"
        await pilot.press("s")
        await settle(pilot)
        assert pilot.app.main.state.sort == "date"
        assert titles(pilot.app)[:3] == [
            "Iran Missiles Strike U.S. Targets in Iraq",
            "Dangerous Development: Iranian Missile Launch into Syria Against ISIS Puts US in Precarious Position",
            "Iran initiates missile launch against ISIS",
        ]


async def test_narrow_terminal_hides_the_entity_pane_behind_a_key(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pilot.app.query_one("#entity-pane")
        list_pane = pilot.app.query_one("#list-pane")
        assert not pane.has_class("shown") and list_pane.display
        await pilot.press("e")  # the entity pane takes the list's place: the reader keeps its width
        assert pane.has_class("shown") and not list_pane.display
        assert pilot.app.focused is pilot.app.query_one(EntityPane)
        await pilot.press("e")
        assert not pane.has_class("shown") and list_pane.display
        assert isinstance(pilot.app.focused, ArticleList)
        await pilot.press("3", "enter", "enter")  # a pivot from the entity's page brings the list back
        await settle(pilot)
        assert list_pane.display and not pane.has_class("shown")
        assert pilot.app.main.state.query.startswith(("person:", "org:", "place:", "group:", "event:"))


async def test_tab_cycles_focus_and_pane_keys_jump(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        assert isinstance(pilot.app.focused, ReaderView)
        await pilot.press("1")
        assert isinstance(pilot.app.focused, ArticleList)
        seen = set()
        for _ in range(4):
            await pilot.press("tab")
            seen.add(type(pilot.app.focused).__name__)
        assert {"ReaderView", "EntityPane", "SearchInput", "ArticleList"} <= seen


async def test_help_screen_lists_every_action(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        assert [d for _, _, d in help_rows(pilot.app.config.keymap)] == [a.description for a in ACTIONS]
        screen = pilot.app.export_screenshot().replace("&#160;", " ")
        for words in ("Next search hit in the article", "Back to the previous search"):
            assert words in screen
        await pilot.press("G")  # the registry is longer than the screen: the end, as the help says
        await settle(pilot)
        assert "Show every key" in pilot.app.export_screenshot().replace("&#160;", " ")
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_bindings_come_from_the_registry(seeds_corpus):
    app = make_app(seeds_corpus)
    from tui.screens.main import MainScreen

    ids = {b.id for b in MainScreen.BINDINGS}
    assert ids == {a.id for a in ACTIONS if a.screen == "main"}
    assert {b.id for b in EntityPage.BINDINGS if b.id} == {a.id for a in ACTIONS if a.screen == "entity"}
    from tui.widgets.status import footer_keys

    for screen in ("main", "entity"):
        footer = footer_keys({}, screen).plain
        assert all(a.footer in footer for a in ACTIONS if a.footer and a.screen == screen)


async def test_command_palette_offers_registry_actions(seeds_corpus):
    from tui.commands import ActionCommands

    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        provider = ActionCommands(pilot.app.screen)
        found = [hit async for hit in provider.search("facets")]
        assert found and "facets" in str(found[0].match_display).lower()


async def test_a_command_chosen_in_the_palette_runs_on_the_main_screen(seeds_corpus):
    # The registry's actions are the main screen's: the palette must run them there, not on
    # the app (where they do not exist) nor on the palette's own screen.
    async with make_app(seeds_corpus).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(EntityPane).mode == "article"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: pilot.app.screen is not pilot.app.main, "the palette open")
        await pilot.press(*"facets of the results")
        await wait_for(pilot, lambda: pilot.app.screen.query("CommandList").first().option_count > 0,
                       "the palette listing the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is pilot.app.main
                       and pilot.app.query_one(EntityPane).mode == "facets", "the facets shown")


async def test_quit_key(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert pilot.app.return_code == 0 or not pilot.app.is_running


async def test_new_folder_indexes_in_the_background_and_fills_the_list(corpus_dir, home):
    for i in range(6):
        write(corpus_dir, f"{i}.txt", f"Story number {i}\n\nA report from Tehran, item {i}.")
    corpus = Corpus.open(corpus_dir)
    async with make_app(corpus, background=True).run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: pilot.app.query_one(ArticleList).count == 6 and not pilot.app.main.progress,
                       "the six articles listed and indexing done")
        await search(pilot, "tehran")
        assert len(titles(pilot.app)) == 6


async def test_the_status_line_says_text_first_then_entities_and_both_arrive(corpus_dir, home, monkeypatch):
    for i in range(6):
        write(corpus_dir, f"{i}.txt", f"Story number {i}\n\nQasem Soleimani met officials in Tehran, item {i}.")
    said = []
    from tui.screens.main import MainScreen

    real = MainScreen._set_progress
    monkeypatch.setattr(MainScreen, "_set_progress", lambda self, text: (said.append(text), real(self, text)))
    corpus = Corpus.open(corpus_dir)
    async with make_app(corpus, background=True).run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: said and not pilot.app.main.progress and pilot.app.main._ingesting is False,
                       "indexing done")
        # The article opened while only its text was indexed gets its entities where it is.
        reader = pilot.app.query_one(ReaderView)
        await wait_for(pilot, lambda: reader.article is not None and reader.article.entities,
                       "the open article's entities underlined without moving")
        await search(pilot, "person:soleimani")
        assert len(titles(pilot.app)) == 6
    text = [i for i, t in enumerate(said) if t.startswith("indexing") and t.endswith("files")]
    entities = [i for i, t in enumerate(said) if t.startswith("entities") and t.endswith("of 6 articles")]
    assert text and entities and max(text) < min(entities), said


async def test_article_text_cannot_reach_the_terminal(corpus_dir, home):
    write(corpus_dir, "evil.txt", "Evil \x1b]0;owned\x07title [bold]x[/bold]\n\n"
          "Body \x1b[2J\x1b[31mred\x1b]52;c;Zm9v\x07 and [link=http://x]markup[/link] \x9b31m.")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    async with make_app(corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        reader = pilot.app.query_one(ReaderView)
        rendered = "".join(seg.text for strip in reader._lines for seg in strip)
        assert "\x1b" not in rendered and "\x9b" not in rendered
        assert "[link=http://x]markup[/link]" in rendered  # shown as text, never interpreted
        assert not any(seg.style and seg.style.link for strip in reader._lines for seg in strip)
        row = pilot.app.query_one(ArticleList).render_line(0)
        assert "\x1b" not in row.text and "Evil title [bold]x[/bold]" in row.text


async def test_usable_while_another_process_indexes(corpus_dir, home):
    """Another `dossier index` holds the writer: no LockError reaches the user, the reader
    says so, and its new articles appear as they are committed."""
    import subprocess
    import sys

    for i in range(3):
        write(corpus_dir, f"old-{i}.txt", f"Old story {i}\n\nAbout Tehran {i}.")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    for i in range(30):
        write(corpus_dir, f"new-{i:02d}.txt", f"New story {i}\n\nAbout Baghdad {i}.")
    ix, _ = corpus.open_index()
    holder = ix.writer()  # "another process" is indexing: it holds the lock
    try:
        async with make_app(corpus, background=True).run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: "another dossier is indexing" in status(pilot.app),
                           "the status line saying another dossier is indexing")
            await pilot.press("j", "k")  # still usable
            assert pilot.app.query_one(ArticleList).count == 3
            # The other process commits its work and lets go of the lock.
            from index.ingest import to_document
            from index.formats import read_articles

            for path in sorted(corpus_dir.glob("new-*.txt")):
                for article in read_articles(path.read_bytes(), path.name)[0]:
                    holder.add_document(**to_document(article, "0:0"))
            holder.commit()
            holder = None
            await wait_for(pilot, lambda: pilot.app.query_one(ArticleList).count == 33 and "another" not in status(pilot.app),
                           "the other process's 30 articles listed")
            assert "another dossier is indexing" not in status(pilot.app)
    finally:
        if holder is not None:
            holder.cancel()


async def test_a_query_longer_than_the_search_field_scrolls_to_its_end(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "slash", *("alpha " * 20 + "omega"))
        field = pilot.app.query_one("#search")
        await wait_for(pilot, lambda: "omega" in field.render_line(0).text, "the end of the query in view")
        await pilot.press("home")
        await wait_for(pilot, lambda: field.render_line(0).text.startswith("alpha") and "omega" not in field.render_line(0).text,
                       "the start of the query in view")


async def test_slash_in_an_empty_search_bar_is_not_typed(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "slash", "k", "i", "r", "b", "y")  # "/" pressed twice
        assert pilot.app.query_one("#search", Input).value == "kirby"
        await pilot.press("slash")  # inside a query it is a character like any other
        assert pilot.app.query_one("#search", Input).value == "kirby/"
