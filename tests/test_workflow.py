"""The reader's workflow through Textual's Pilot: marks, stars, tags, notes, saved searches,
history, export, pager/editor/pipe, clipboard (OSC 52) and config.toml."""

from __future__ import annotations

import base64
import csv
import json
import sys

import pytest
from textual.widgets import Input, TextArea

from index.corpus import Corpus
from index.ingest import ingest
from index.library import Library
from tui.app import DossierApp
from tui.config import load as load_config
from tui.screens.help import HelpScreen, help_rows
from tui.screens.prompt import NoteEditor, Prompt
from tui.screens.saved import SavedSearches
from tui.theme import KIND_STYLES
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import ReaderView
from tui.widgets.search_input import SearchInput

from .conftest import SEEDS
from .pilot import FAST, burst, wait_for
from .test_app import search, seeds_corpus, settle, status, titles  # noqa: F401 (a fixture)

NEWEST = "Iran Missiles Strike U.S. Targets in Iraq"  # first in the list, newest first
KIRBY = "Iran initiates missile launch against ISIS"


def make_app(corpus, config=None):
    return DossierApp(corpus, index_in_background=False, config=config, timing=FAST)


def library(corpus) -> Library:
    return Library(corpus.home, corpus.root)


def row_text(app, index: int) -> str:
    return "".join(segment.text for segment in app.query_one(ArticleList).render_line(index))


async def type_into_prompt(pilot, text: str, clear: bool = True):
    prompt_input = pilot.app.screen.query_one(Input)
    if clear:
        prompt_input.value = ""
    await burst(pilot, *list(text), "enter")


async def test_opening_marks_read_and_r_toggles(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert row_text(pilot.app, 0).startswith("•")  # unread
        await pilot.press("enter")
        await settle(pilot)
        article_id = pilot.app.query_one(ReaderView).article.id
        assert library(seeds_corpus).state(article_id).read
        assert not row_text(pilot.app, 0).startswith("•")
        await pilot.press("1", "r")  # back to the list, mark unread again
        await settle(pilot)
        assert not library(seeds_corpus).state(article_id).read
        assert row_text(pilot.app, 0).startswith("•")
        await search(pilot, "is:unread")
        assert len(titles(pilot.app)) == 5


async def test_star_tags_and_note_from_the_reader(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk")
        await settle(pilot)
        assert row_text(pilot.app, 0).startswith("★")
        article_id = pilot.app.query_one(ArticleList).current_id
        assert library(seeds_corpus).state(article_id).starred

        await pilot.press("t")
        await settle(pilot, 0.2)
        assert isinstance(pilot.app.screen, Prompt)
        await type_into_prompt(pilot, "followup Iran")
        assert library(seeds_corpus).state(article_id).tags == ["followup", "iran"]
        await pilot.press("t")
        await settle(pilot, 0.2)
        assert pilot.app.screen.query_one(Input).value == "followup iran"  # the current tags to edit
        await type_into_prompt(pilot, "followup")
        assert library(seeds_corpus).state(article_id).tags == ["followup"]

        await pilot.press("a")
        await settle(pilot, 0.2)
        assert isinstance(pilot.app.screen, NoteEditor)
        await pilot.press(*"Call the bureau")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert library(seeds_corpus).state(article_id).note == "Call the bureau\n"

        await pilot.press("enter")  # the reader shows what the user added
        await settle(pilot)
        header = "\n".join("".join(s.text for s in pilot.app.query_one(ReaderView).render_line(y)) for y in range(5))
        assert "★ starred" in header and "#followup" in header and "note: Call the bureau" in header

        await search(pilot, "is:starred tag:followup has:note")
        assert titles(pilot.app) == [NEWEST]
        await pilot.press("asterisk")  # unstar from the list
        await settle(pilot)
        assert not library(seeds_corpus).state(article_id).starred


async def test_escape_leaves_a_note_unchanged(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"draft", "escape")
        await settle(pilot)
        assert library(seeds_corpus).state(pilot.app.query_one(ArticleList).current_id).note == ""


async def test_note_in_editor(seeds_corpus, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('written in the editor\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        article_id = pilot.app.query_one(ArticleList).current_id
        assert library(seeds_corpus).state(article_id).note == "written in the editor\n"


async def test_save_a_search_and_run_it_from_the_list(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "kirby")
        await pilot.press("S")
        await settle(pilot, 0.2)
        await type_into_prompt(pilot, "pentagon")
        assert [s.query for s in library(seeds_corpus).saved()] == ["kirby"]
        await search(pilot, "psaki")
        await pilot.press("enter")  # read it: the saved list counts unread articles
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SavedSearches)
        assert pilot.app.screen.rows == [{"name": "pentagon", "query": "kirby", "articles": 1, "unread": 1}]
        await pilot.press("enter")
        await settle(pilot)
        assert titles(pilot.app) == [KIRBY]
        assert pilot.app.query_one("#search", Input).value == "kirby"


async def test_remove_a_saved_search(seeds_corpus):
    library(seeds_corpus).save_search("old", "iran")
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("d", "escape")
        await settle(pilot)
        assert library(seeds_corpus).saved() == []


async def test_search_history_on_up_and_down_persists(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "kirby")
        await search(pilot, "psaki")
    assert library(seeds_corpus).history() == ["kirby", "psaki"]
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:  # a new session
        await settle(pilot)
        await pilot.press("slash", "up")
        assert pilot.app.query_one(SearchInput).value == "psaki"
        await pilot.press("up")
        assert pilot.app.query_one(SearchInput).value == "kirby"
        await pilot.press("down", "down")
        assert pilot.app.query_one(SearchInput).value == ""  # back to what was being typed
        await pilot.press("up", "up", "enter")
        await settle(pilot)
        assert titles(pilot.app) == [KIRBY]


async def test_export_results_and_article(seeds_corpus, tmp_path):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "missile")
        await pilot.press("x")
        await settle(pilot, 0.2)
        await type_into_prompt(pilot, str(tmp_path / "results.csv"))
        await settle(pilot)
        rows = list(csv.DictReader(open(tmp_path / "results.csv", encoding="utf-8", newline="")))
        assert len(rows) == 5 and rows[0]["title"] == titles(pilot.app)[0]
        await pilot.press("X")
        await settle(pilot, 0.2)
        await type_into_prompt(pilot, str(tmp_path / "one.json"))
        await settle(pilot)
        data = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
        assert data["count"] == 1 and data["articles"][0]["title"] == titles(pilot.app)[0]


async def test_export_to_a_bad_place_says_so(seeds_corpus, tmp_path):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot, 0.2)
        await type_into_prompt(pilot, str(tmp_path / "no" / "such" / "x.md"))
        await settle(pilot)
        messages = [n.message for n in pilot.app._notifications]
        assert any("Cannot export" in m for m in messages)


async def test_pager_editor_and_pipe_get_the_article(seeds_corpus, tmp_path, monkeypatch):
    record = tmp_path / "record.py"
    record.write_text("import sys, shutil\n"
                      "out = open(sys.argv[1], 'w')\n"
                      "out.write(open(sys.argv[2]).read() if len(sys.argv) > 2 else sys.stdin.read())\n")
    monkeypatch.setenv("PAGER", f"{sys.executable} {record} {tmp_path / 'paged'}")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {record} {tmp_path / 'edited'}")
    monkeypatch.delenv("VISUAL", raising=False)
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        article = pilot.app.main.engine.article(pilot.app.query_one(ArticleList).current_id)
        # The article's cleaned text, not its file: a file can hold escape sequences.
        assert (tmp_path / "paged").read_text() == f"{NEWEST}\n\n{article.text}\n"
        await pilot.press("E")
        await settle(pilot)
        assert (tmp_path / "edited").read_text().startswith(NEWEST)
        await pilot.press("vertical_line")
        await settle(pilot, 0.2)
        await type_into_prompt(pilot, f"wc -w > {tmp_path / 'piped'}")
        await settle(pilot)
        assert int((tmp_path / "piped").read_text().split()[0]) == len(f"{NEWEST}\n\n{article.text}".split())


async def test_a_missing_pager_is_a_message(seeds_corpus, monkeypatch):
    monkeypatch.setenv("PAGER", "no-such-pager-anywhere")
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert any("no-such-pager-anywhere" in n.message for n in pilot.app._notifications)


@pytest.fixture
def linked_corpus(home, corpus_dir):
    (corpus_dir / "story.json").write_text(json.dumps({
        "title": "Drone strike at Baghdad airport", "text": "A drone strike killed a general.",
        "url": "https://example.org/news/drone-strike", "source": "Example News",
        "date": "2020-01-03", "authors": ["Jane Reporter"]}), encoding="utf-8")
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    return corpus


async def test_copy_url_and_citation_write_osc52(linked_corpus):
    written = []
    async with make_app(linked_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app._driver.write = written.append  # what goes to the terminal
        article = pilot.app.main.engine.article(pilot.app.query_one(ArticleList).current_id)
        await pilot.press("y")
        await settle(pilot, 0.1)
        await pilot.press("Y")
        await settle(pilot, 0.1)
    osc = [w for w in written if w.startswith("\x1b]52;c;")]
    assert len(osc) == 2
    copied = [base64.b64decode(w[len("\x1b]52;c;"):-1]).decode("utf-8") for w in osc]
    assert copied[0] == "https://example.org/news/drone-strike" == article.url
    assert copied[1] == ("\u201cDrone strike at Baghdad airport\u201d, Jane Reporter, Example News, 2020-01-03, "
                         "https://example.org/news/drone-strike")


async def test_open_url_over_ssh_copies_it(linked_corpus, monkeypatch):
    monkeypatch.setattr("tui.external.OVER_SSH", True)
    written = []
    async with make_app(linked_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pilot.app._driver.write = written.append
        await pilot.press("o")
        await settle(pilot, 0.1)
    osc = [w for w in written if w.startswith("\x1b]52;c;")]
    assert [base64.b64decode(w[len("\x1b]52;c;"):-1]).decode() for w in osc] == ["https://example.org/news/drone-strike"]


async def test_an_article_without_url_says_so(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, 0.1)
        assert any("no URL" in n.message for n in pilot.app._notifications)


# -- config.toml -------------------------------------------------------------------------------
def write_config(home, text: str):
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


async def test_config_keys_take_effect(seeds_corpus, home, monkeypatch):
    monkeypatch.setitem(KIND_STYLES, "person", KIND_STYLES["person"])  # restored after the test
    config = write_config(home, """
theme = "textual-light"
mouse = false
default_sort = "date"
default_folder = "~/news"

[keymap]
star = "s"
toggle_sort = "ctrl+o"

[entity_colours]
person = "#ff8800"
""")
    assert "toggle_sort" in " ".join(config.problems)  # not an action id: the action is "sort"
    config.problems.clear()
    config.keymap["sort"] = "ctrl+o"
    assert config.mouse is False and str(config.default_folder).endswith("news")
    async with make_app(seeds_corpus, config).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "textual-light"
        assert KIND_STYLES["person"].color.name == "#ff8800"
        await pilot.press("s")  # star now, not sort
        await settle(pilot)
        assert library(seeds_corpus).state(pilot.app.query_one(ArticleList).current_id).starred
        await search(pilot, "missile")
        assert pilot.app.main.results.sort == "date"  # default_sort
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert pilot.app.main.results.sort == "relevance"
        rows = {description: keys for _, keys, description in help_rows(pilot.app.config.keymap)}
        assert rows["Star the article, or take its star away"] == "s"


async def test_bad_config_names_line_and_key_and_starts_with_defaults(seeds_corpus, home):
    config = write_config(home, 'theme = "textual-light"\nmouse = "yes"\n\n[keymap]\nnot_an_action = "z"\n')
    assert config.theme == "textual-light" and config.mouse is True
    assert any("line 2" in p and "'mouse'" in p for p in config.problems)
    assert any("line 5" in p and "'keymap.not_an_action'" in p for p in config.problems)
    async with make_app(seeds_corpus, config).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("line 2" in n.message for n in pilot.app._notifications)
        assert "5 articles" in status(pilot.app)

    broken = write_config(home, 'theme = "nord"\ndefault_sort = relevance\n')
    assert broken.theme == "textual-dark"  # not TOML: every default
    assert len(broken.problems) == 1 and "line 2" in broken.problems[0] and "default_sort" in broken.problems[0]


def test_every_config_key_is_checked(home):
    config = write_config(home, """
theme = "no-such-theme"
default_sort = "alphabetical"
default_folder = 3
colour = "red"
[entity_colours]
person = "not a colour"
planet = "red"
[aliases.org]
"Islamic State" = "IS"
""")
    text = "\n".join(config.problems)
    for fragment in ["line 2: 'theme'", "line 3: 'default_sort'", "line 4: 'default_folder'", "line 5: 'colour'",
                     "line 7: 'entity_colours.person'", "line 8: 'entity_colours.planet'",
                     "line 10: 'aliases.org.Islamic State'"]:
        assert fragment in text, fragment


def test_config_aliases_merge_entities(home, monkeypatch):
    from index.aliases import load_aliases

    write_config(home, '[aliases.person]\n"Qasem Soleimani" = ["Haj Qasem"]\n')
    load_aliases.cache_clear()
    try:
        table = load_aliases()
        assert table.by_name[("person", "haj qasem")].name == "Qasem Soleimani"
    finally:
        load_aliases.cache_clear()


def test_readme_documents_every_config_key():
    from tui.config import KEYS

    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for key in KEYS:
        assert f"{key}" in section, key


def test_help_lists_the_library_keys():
    described = {description for _, _, description in help_rows({})}
    assert "Star the article, or take its star away" in described
    assert "Saved searches with their unread counts (Enter runs one)" in described


async def test_up_skips_the_search_already_in_the_bar(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "kirby")
        await search(pilot, "psaki")
        await pilot.press("slash", "up")  # the bar holds "psaki" already
        assert pilot.app.query_one(SearchInput).value == "kirby"


# -- watching the folder -------------------------------------------------------------------------
async def settle_watching(pilot):
    """settle() does not wait for the folder watcher, which runs until it is stopped."""
    await settle(pilot)


async def test_watch_indexes_new_and_changed_files(seeds_copy):
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    async with DossierApp(corpus, index_in_background=False, watch=True, timing=FAST).run_test(size=(100, 30)) as pilot:
        await settle_watching(pilot)
        assert "watching" in status(pilot.app)
        await wait_for(pilot, lambda: pilot.app.main.watch_listening.is_set(), "the watcher listening")
        (seeds_copy / "new-story.txt").write_text("Zanzibar ferry rescue\n\nA ferry ran aground off Zanzibar.",
                                                  encoding="utf-8")
        await wait_for(pilot, lambda: "6 articles" in status(pilot.app), "the new file listed")
        assert "Zanzibar ferry rescue" in titles(pilot.app)
        (seeds_copy / "new-story.txt").write_text("Zanzibar ferry rescue\n\nAll passengers were saved by fishermen.",
                                                  encoding="utf-8")
        await wait_for(pilot, lambda: pilot.app.main.engine.search("fishermen").total == 1, "the changed file indexed")
        assert pilot.app.main.engine.search("fishermen").total == 1 and "6 articles" in status(pilot.app)
        await pilot.press("W")  # stop watching
        await settle_watching(pilot)
        assert "watching" not in status(pilot.app)
        await wait_for(pilot, lambda: not [w for w in pilot.app.workers if w.group in ("watch", "ingest") and w.is_running],
                       "the watcher and indexer stopping")
        (seeds_copy / "later.txt").write_text("Later story\n\nNot picked up while the watch is off.", encoding="utf-8")
        await settle(pilot)
        assert "6 articles" in status(pilot.app)  # no watcher is left to pick it up


async def test_w_starts_watching(seeds_corpus):
    async with make_app(seeds_corpus).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "watching" not in status(pilot.app)
        await pilot.press("W")
        await settle_watching(pilot)
        assert "watching" in status(pilot.app)
