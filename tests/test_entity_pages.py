"""Entity pages (index/entity_graph.py): what the corpus says about one entity, checked
against what a search for it lists, through the engine and `dossier entity show`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from index.corpus import Corpus
from index.entity_graph import EntityNotFound
from index.ingest import ingest
from index.search import Engine
from tui.cli import main
from tui.screens.entity import EntityPage
from tui.widgets.entity_pane import EntityPane

from .conftest import write
from .pilot import burst, every_article, make_app, search, settle, wait_for
from .test_app import titles

SUMMIT_GUESTS = ["Angela Merkel", "Jacques Chirac", "Silvio Berlusconi", "Vladimir Putin", "Romano Prodi"]


def _articles() -> list[tuple[str, str | None, str, str]]:
    """(source, date, title, body): Blair and Brown named together in seven articles, Blair
    alone in three, London in nearly every one; one Blair article undated."""
    out = []
    for i in range(6):
        out.append(("herald", f"2005-0{1 + i % 3}-1{i}", f"Budget talks {i}",
                    "Prime Minister Tony Blair met Chancellor Gordon Brown in London on Tuesday to discuss "
                    f"the budget. Mr Blair said the talks had gone well. Gordon Brown told reporters the plan "
                    f"was sound. Item {i}."))
    for i in range(10):
        guest = SUMMIT_GUESTS[i % 5]
        out.append(("courier", f"2005-0{1 + i % 3}-2{i % 8}", f"Summit report {i}",
                    f"{guest} arrived in London for the summit on Monday. Officials in London said {guest} "
                    f"would meet bankers. The visit to London ends on Friday. Item {i}."))
    for i in range(3):
        out.append(("herald", f"2005-04-0{i + 1}", f"Blair speech {i}",
                    f"Tony Blair gave a speech in London about schools. Tony Blair said teachers mattered. Item {i}."))
    out.append(("herald", None, "Undated Blair note", "Tony Blair wrote to Gordon Brown about pensions. Gordon Brown replied."))
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("westminster")
    for n, (source, date, title, body) in enumerate(_articles()):
        front = f"---\ntitle: {title}\nsource: {source}\n" + (f"date: {date}\n" if date else "") + "---\n"
        write(root, f"a{n:02d}.md", front + body + "\n")
    home = tmp_path_factory.mktemp("westminster-home")
    corpus = Corpus.open(root, home)
    report = ingest(corpus)
    assert report.entities_error is None
    return root, home


@pytest.fixture
def engine(folder):
    root, home = folder
    with Engine(Corpus.open(root, home)) as engine:
        yield engine


def test_the_page_counts_what_a_search_for_the_entity_lists(engine):
    page = engine.entity_page("Blair")
    assert (page.name, page.kind, page.key) == ("Tony Blair", "person", "person:tony blair")
    query = 'person:"Tony Blair"'
    listed = engine.result_list(query)
    rows = [listed.row(i) for i in range(len(listed))]
    assert page.articles == len(rows) == 10
    assert page.mentions == sum(row.mentions for row in rows)
    dates = sorted(row.date.isoformat() for row in rows if row.date)
    assert (page.first_seen, page.last_seen) == (dates[0], dates[-1])
    assert page.undated == 1
    assert page.sources == [("herald", 10)]
    assert page.variants[0] == ("Tony Blair", page.variants[0][1]) and page.variants[0][1] > 0


def test_each_bar_of_the_timeline_is_the_search_for_its_period(engine):
    page = engine.entity_page("Tony Blair")
    timeline = page.timeline
    assert timeline.unit == "month" and timeline.periods == ["2005-01", "2005-02", "2005-03", "2005-04"]
    for i in range(len(timeline.periods)):
        assert timeline.counts[i] == engine.count(f'person:"Tony Blair" {timeline.query(i)}')
    assert timeline.total == page.articles - page.undated


def test_named_with_ranks_the_telling_name_above_the_common_one(engine):
    """London is in 9 of Blair's 10 articles and Brown in 7, but London is in nearly every
    article of the corpus: Brown tells more about Blair, and London, named with him no more
    often than chance, is not listed at all."""
    page = engine.entity_page("Blair")
    named = {c.name: c for c in page.co_mentions}
    assert "Gordon Brown" in named and "London" not in named
    brown = named["Gordon Brown"]
    assert brown.together == engine.count('person:"Tony Blair" person:"Gordon Brown"') == 7
    assert brown.articles == engine.entity_page("Gordon Brown").articles
    assert brown.pmi > 0
    # Two-article acquaintances are too few to tell: the summit guests are not London's company.
    assert not {c.name for c in engine.entity_page("London").co_mentions} & set(SUMMIT_GUESTS)


def test_a_name_it_does_not_know_says_what_it_might_be(engine):
    with pytest.raises(EntityNotFound) as found:
        engine.entity_page("Tony Blare")
    assert "Tony Blair" in str(found.value)
    with pytest.raises(EntityNotFound):
        engine.entity_page("London", kind="person")
    assert engine.entity_page("place:london").name == "London"


def test_the_graph_is_kept_per_segment_and_read_back_the_same(folder, tmp_path):
    root, home = folder
    with Engine(Corpus.open(root, home)) as engine:
        first = engine.entity_page("Blair").to_json()
        kept = sorted((engine.corpus.index_path / "graph").glob("*.entities.npz"))
    assert kept  # written on first use
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("Blair").to_json() == first
    for path in kept:  # damaged: read from the index again, the same answer
        path.write_bytes(b"not a numpy file")
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("Blair").to_json() == first


def test_an_article_changed_on_disk_changes_the_page_and_old_segments_are_forgotten(tmp_path):
    root = tmp_path / "folder"
    for n, (source, date, title, body) in enumerate(_articles()[:8]):
        write(root, f"a{n:02d}.md", f"---\ntitle: {title}\nsource: {source}\ndate: {date}\n---\n{body}\n")
    corpus = Corpus.open(root, tmp_path / "home")
    ingest(corpus)
    with Engine(corpus) as engine:
        before = engine.entity_page("Gordon Brown").articles
    write(root, "a00.md", "---\ntitle: Changed\nsource: herald\ndate: 2005-01-10\n---\nNothing about anyone.\n")
    ingest(corpus)
    with Engine(corpus) as engine:
        assert engine.entity_page("Gordon Brown").articles == before - 1
        live = {leaf.segment().segment_id() for leaf, _ in engine.view.leaves()}
    kept = {p.name.split(".", 1)[0] for p in (corpus.index_path / "graph").iterdir()}
    assert kept <= live


def test_dossier_entity_show(folder):
    root, home = folder
    runner = CliRunner()
    shown = runner.invoke(main, ["entity", "show", "Blair", "--corpus", str(root), "--home", str(home)])
    assert shown.exit_code == 0, shown.output
    assert "Tony Blair" in shown.output and "10 articles" in shown.output and "Gordon Brown" in shown.output
    assert "Articles by month, 2005-01 to 2005-04" in shown.output
    as_json = runner.invoke(main, ["entity", "show", "tony", "blair", "--json", "--corpus", str(root), "--home", str(home)])
    data = json.loads(as_json.output)
    assert data["key"] == "person:tony blair" and data["articles"] == 10
    assert sum(p["articles"] for p in data["timeline"]["periods"]) == 9
    assert data["co_mentions"][0]["name"] == "Gordon Brown"
    missing = runner.invoke(main, ["entity", "show", "Nobody Atall", "--corpus", str(root), "--home", str(home)])
    assert missing.exit_code == 1 and "no entity named 'Nobody Atall'" in missing.output
    wrong_kind = runner.invoke(main, ["entity", "show", "x", "--kind", "thing", "--corpus", str(root), "--home", str(home)])
    assert wrong_kind.exit_code == 2


# -- the page in the reader (Pilot; tests/test_journeys.py walks it in a real terminal) -----------

def _page_text(app) -> str:
    """The screen's characters, line by line, as the terminal would show them."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _open_blair(pilot):
    """Search `budget`, open the first article, Enter on Tony Blair in the entity pane."""
    await search(pilot, "budget")
    await pilot.press("enter", "3")
    pane = pilot.app.query_one(EntityPane)
    pane.highlighted = next(i for i, kind, label, _ in pane.entries if label == "Tony Blair")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EntityPage) and pilot.app.screen.page is not None,
                   "Tony Blair's page")
    return pilot.app.screen


async def test_the_page_in_the_reader_and_its_way_back(folder):
    root, home = folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        page = await _open_blair(pilot)
        shown = _page_text(pilot.app)
        for words in ("Tony Blair", "10 articles", "19 mentions", "first seen 2005-01-10, last 2005-04-03",
                      "1 undated", "Spellings", "Sources", "herald (10)", "Articles by month, 2005-01 to 2005-04",
                      "All 10 articles naming Tony Blair", "Gordon Brown", "7 of 7"):
            assert words in shown, words
        assert "London" not in str([o.prompt for o in page.query_one("#named")._options])  # no more than chance
        # Enter on the co-mentioned name: the articles naming both.
        await pilot.press("j", "enter")
        await settle(pilot)
        assert pilot.app.main.state.query == 'person:"Tony Blair" person:"Gordon Brown"'
        assert len(titles(pilot.app)) == 7
        # Back: the page again; back once more: the search it was opened over.
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EntityPage)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, EntityPage) and pilot.app.main.state.query == "budget"


async def test_a_bar_of_the_timeline_lists_its_period(folder):
    root, home = folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        page = await _open_blair(pilot)
        chart = page.query_one("#timeline")
        assert chart.timeline.periods[chart.selected] == "2005-04"  # the busiest month first
        await pilot.press("t", "h")  # to the timeline, one month back
        assert pilot.app.focused is chart and chart.timeline.periods[chart.selected] == "2005-03"
        assert "2005-03: 2 articles" in _page_text(pilot.app)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.main.state.query == 'person:"Tony Blair" date:2005-03'
        assert len(titles(pilot.app)) == 2


async def test_keys_typed_in_one_burst_reach_the_page_when_it_is_ready(folder):
    """Enter on the name, then j and Enter, as SSH delivers them: none lost to the page
    still being read."""
    root, home = folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await search(pilot, "budget")
        await pilot.press("enter", "3")
        pane = pilot.app.query_one(EntityPane)
        pane.highlighted = next(i for i, kind, label, _ in pane.entries if label == "Tony Blair")
        await burst(pilot, "enter", "j", "enter")
        assert pilot.app.main.state.query == 'person:"Tony Blair" person:"Gordon Brown"'


async def test_from_the_facets_the_page_offers_the_search_it_was_opened_from(folder):
    root, home = folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "speech")
        await pilot.press("f")
        await settle(pilot)
        pane = pilot.app.query_one(EntityPane)
        pane.focus()
        pane.highlighted = next(i for i, kind, label, _ in pane.entries if kind == "person" and label == "Tony Blair")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EntityPage) and pilot.app.screen.page is not None,
                       "the page")
        assert "The 3 of them in: speech" in _page_text(pilot.app)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert pilot.app.main.state.query == 'speech person:"Tony Blair"' and len(titles(pilot.app)) == 3
        # A source in the facets (of the new results: the pane still shows facets) still
        # narrows the search at once.
        assert pane.mode == "facets"
        pane.focus()
        pane.highlighted = next(i for i, kind, label, _ in pane.entries if kind == "source")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.main.state.query == 'speech person:"Tony Blair" source:"herald"'


# -- curation: decisions kept in the folder's TOML file, applied at once ---------------------------

@pytest.fixture
def own_folder(folder, tmp_path):
    """A copy of the folder and its index that a test may write decisions into."""
    import shutil

    root, _ = folder
    shutil.copytree(root, tmp_path / "westminster")
    ingest(Corpus.open(tmp_path / "westminster", tmp_path / "home"))  # an index is kept per folder path
    return tmp_path / "westminster", tmp_path / "home"


def _cli(root, home, *args):
    return CliRunner().invoke(main, [*args, "--corpus", str(root), "--home", str(home)])


def test_decisions_from_the_command_line_take_effect_at_once_and_can_be_undone(own_folder):
    root, home = own_folder
    merged = _cli(root, home, "entity", "merge", "Gordon Brown", "Tony Blair")
    assert merged.exit_code == 0, merged.output
    assert "merge person:gordon brown into person:tony blair" in merged.output
    assert (root / "dossier-entities.toml").read_text().count("[[decision]]") == 1
    assert not ingest(Corpus.open(root, home)).skipped  # dossier's own file is not an article to skip
    with Engine(Corpus.open(root, home)) as engine:
        page = engine.entity_page("Tony Blair")
        assert page.articles == 10 and ("Gordon Brown", 14) in page.variants
        assert engine.count('person:"Gordon Brown"') == 10  # the pivot follows the merge
        assert "Gordon Brown" not in [c.name for c in engine.entities(kind="person", top=50)]
    kind = _cli(root, home, "entity", "kind", "London", "org", "--json")
    assert json.loads(kind.output)["decided"]["description"] == "place:london is an organisation"
    ignored = _cli(root, home, "entity", "ignore", "Angela Merkel")
    alias = _cli(root, home, "entity", "alias", "Tony Blair", "The Boss")
    assert ignored.exit_code == alias.exit_code == 0
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("org:london").articles == 19 and engine.count("org:london") == 19
        assert "Angela Merkel" not in [c.name for c in engine.entities(top=50)]
        article = engine.article(engine.search('"Angela Merkel"').hits[0].id)
        assert "Angela Merkel" not in {span.name for span in article.entities}  # not underlined
        assert engine.count('person:"The Boss"') == 10
        assert ("The Boss", None) in engine.entity_page("Blair").variants
    # Undo takes back the last decision about a name, then the last of all.
    assert "undone: person:angela merkel is not an entity" in _cli(root, home, "entity", "undo", "Angela Merkel").output
    for _ in range(3):
        assert _cli(root, home, "entity", "undo").exit_code == 0
    assert _cli(root, home, "entity", "undo").exit_code == 1  # nothing left
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("Gordon Brown").articles == 7
        assert engine.entity_page("London").kind == "place"


def test_a_folder_indexed_again_from_scratch_keeps_the_decisions(own_folder, tmp_path):
    root, home = own_folder
    assert _cli(root, home, "entity", "merge", "Gordon Brown", "Tony Blair").exit_code == 0
    fresh = Corpus.open(root, tmp_path / "fresh-home")
    ingest(fresh)
    with Engine(fresh) as engine:
        assert engine.entity_page("Gordon Brown").key == "person:tony blair"
        assert engine.count('person:"Gordon Brown"') == 10


def test_a_mistake_in_the_hand_edited_file_is_reported_with_its_line_and_the_rest_apply(own_folder):
    root, home = own_folder
    (root / "dossier-entities.toml").write_text(
        "# by hand\n"
        "[[decision]]\n"
        'merge = "person:gordon brown"\n'
        'into = "person:tony blair"\n'
        "\n"
        "[[decision]]\n"
        'kind = "place:london\n'  # line 7: the quote is not closed
        'to = "org"\n'
        "\n"
        "[[decision]]\n"
        'kind = "person:angela merkel"\n'
        'to = "celebrity"\n'  # line 11's decision: not a kind
        "\n"
        "[[decision]]\n"
        'ignore = "person:jacques chirac"\n')
    shown = _cli(root, home, "entity", "show", "Blair")
    assert shown.exit_code == 0
    warnings = [line for line in shown.output.splitlines() if line.startswith("dossier: warning")]
    assert len(warnings) == 2
    assert "line 7" in warnings[0] and "line 10" in warnings[1] and "'celebrity' is not a kind" in warnings[1]
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("Gordon Brown").key == "person:tony blair"  # before the mistakes
        assert "Jacques Chirac" not in [c.name for c in engine.entities(top=50)]  # after them
        assert engine.entity_page("London").kind == "place"


def test_of_two_decisions_that_contradict_each_other_the_later_wins(own_folder):
    root, home = own_folder
    assert _cli(root, home, "entity", "merge", "Gordon Brown", "Tony Blair").exit_code == 0
    # Brown is now part of Blair; the other way round needs Blair's own name for Brown.
    path = root / "dossier-entities.toml"
    path.write_text(path.read_text() + '\n[[decision]]\nmerge = "person:tony blair"\ninto = "person:gordon brown"\n')
    with Engine(Corpus.open(root, home)) as engine:
        assert engine.entity_page("Tony Blair").key == "person:gordon brown"
        assert engine.entity_page("Gordon Brown").articles == 10
    path.write_text(path.read_text() + '\n[[decision]]\nignore = "person:gordon brown"\n'
                    '\n[[decision]]\nmerge = "person:gordon brown"\ninto = "place:london"\n')
    with Engine(Corpus.open(root, home)) as engine:  # merged after it was ignored: counted again, in London
        assert engine.entity_page("London").articles == 20


async def _highlight_in_pane(pilot, query: str, name: str) -> EntityPane:
    """Search, open the first article, and highlight `name` in its entity pane."""
    await search(pilot, query)
    await pilot.press("enter", "3")
    await settle(pilot)
    pane = pilot.app.query_one(EntityPane)
    pane.highlighted = next(i for i, kind, label, _ in pane.entries if label == name)
    return pane


async def test_curating_from_the_page_in_the_reader(own_folder):
    """m, typing a name, Enter: merged, and the page is the merged entity's; u undoes; K
    changes the kind; the entity pane shows the decisions when the page is left."""
    root, home = own_folder
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        pane = await _highlight_in_pane(pilot, "budget", "Gordon Brown")
        await burst(pilot, "enter", "m", *"tony blar", "enter")  # a typo: the nearest name is picked
        page = pilot.app.screen
        await wait_for(pilot, lambda: page.page is not None and page.page.name == "Tony Blair", "Blair's page")
        assert page.page.articles == 10 and ("Gordon Brown", 14) in page.page.variants
        assert "merge person:gordon brown into person:tony blair" in (root / "dossier-entities.toml").read_text().replace(
            '"\ninto = "', " into ").replace('merge = "', "merge ")
        await pilot.press("u")
        await wait_for(pilot, lambda: page.page is not None and page.page.name == "Gordon Brown", "undone: Brown again")
        assert "[[decision]]" not in (root / "dossier-entities.toml").read_text()
        await burst(pilot, "K", "j", "enter")  # organisation, place: the second kind offered
        await wait_for(pilot, lambda: page.page is not None and page.page.kind == "place", "Brown a place")
        await pilot.press("escape")
        await settle(pilot)
        places = [label for _, kind, label, _ in pane.entries if kind == "place"]
        assert "Gordon Brown" in places


def test_cross_referencing_a_list_of_names(folder, tmp_path):
    root, home = folder
    names = tmp_path / "names.txt"
    names.write_text("# people to check\nBlair\nGordon Brwn\n\nLondon\nNobody Atall\n")
    as_json = _cli(root, home, "xref", str(names), "--json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)["names"]
    assert [r["name"] for r in rows] == ["Blair", "Gordon Brwn", "London", "Nobody Atall"]
    blair = rows[0]
    assert blair["entity"]["key"] == "person:tony blair" and blair["articles"] == 10
    assert (blair["first_seen"], blair["last_seen"]) == ("2005-01-10", "2005-04-03")
    assert blair["co_mentions"][0]["name"] == "Gordon Brown"
    assert rows[1]["entity"] is None and "Gordon Brown" in rows[1]["suggestions"]  # a typo: not guessed
    assert rows[2]["entity"]["kind"] == "place" and rows[3]["entity"] is None
    # A CSV with a kind column; the CSV out has a row per name.
    listed = tmp_path / "names.csv"
    listed.write_text("name,kind\nLondon,place\nLondon,person\n")
    as_csv = _cli(root, home, "xref", str(listed), "--format", "csv")
    lines = as_csv.output.strip().splitlines()
    assert lines[0].startswith("name,kind,entity") and len(lines) == 3
    assert lines[1].startswith("London,place,London,place,place:london,19,") and "not found" in lines[2]
    table = _cli(root, home, "xref", str(names))
    assert table.exit_code == 0 and "Tony Blair" in table.output and "not found" in table.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nLondon,city\n")
    wrong = _cli(root, home, "xref", str(bad))
    assert wrong.exit_code == 2 and "line 2: unknown kind 'city'" in wrong.output


async def test_a_list_of_names_in_the_reader(folder, tmp_path):
    """R, the list's path, Enter (one burst): each name with its entity; Enter on one opens
    its page, and Enter there lists its articles."""
    from tui.screens.names import NamesScreen

    root, home = folder
    names = tmp_path / "names.txt"
    names.write_text("Nobody Atall\nBlair\nLondon\n")
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await burst(pilot, "R", *str(names), "enter")
        screen = pilot.app.screen
        assert isinstance(screen, NamesScreen)
        assert [r["entity"] and r["entity"]["name"] for r in screen.rows] == [None, "Tony Blair", "London"]
        assert "2 of 3 names found" in _page_text(pilot.app) and "not found" in _page_text(pilot.app)
        await burst(pilot, "j", "enter")
        assert isinstance(pilot.app.screen, EntityPage) and pilot.app.screen.page.name == "Tony Blair"
        await burst(pilot, "enter")
        assert pilot.app.main.state.query == 'person:"Tony Blair"' and len(titles(pilot.app)) == 10
        # A file that is not there says so on the message line.
        await burst(pilot, "R", *str(tmp_path / "missing.txt"), "enter")
        assert "cannot read" in str(pilot.app.query_one("#message").render())


def test_the_bundled_seeds_page_of_a_name_spelt_four_ways(tmp_path):
    """The seeds spell Soleimani four ways across two articles, six years apart."""
    from .conftest import SEEDS

    shown = CliRunner().invoke(main, ["entity", "show", "Suleimani", "--json", "--corpus", str(SEEDS),
                                      "--home", str(tmp_path / "home")])
    assert shown.exit_code == 0, shown.output
    page = json.loads(shown.output[shown.output.index("{"):])
    assert page["name"] == "Qasem Soleimani" and page["articles"] == 2
    assert {"Soleimani", "Suleimani", "Soliemani"} <= {v["name"] for v in page["variants"]}
    assert (page["first_seen"], page["last_seen"]) == ("2014-12-11", "2020-01-08")
    periods = page["timeline"]["periods"]  # 62 months: within 72 bars, so by month
    assert page["timeline"]["unit"] == "month" and (periods[0]["period"], periods[-1]["period"]) == ("2014-12", "2020-01")
    assert len(periods) == 62 and [p["period"] for p in periods if p["articles"]] == ["2014-12", "2020-01"]


# -- splitting a name off an entity --------------------------------------------------------------

WHITE_HOUSE_1987 = {  # Regan, the chief of staff, is a close spelling of Reagan: the registry joins them
    "veto.md": "# Reagan vetoes the highway bill\n\nPresident Ronald Reagan vetoed the highway bill on Friday. "
               "Reagan said the bill spent too much, and Reagan told Congress he would not sign it.\n",
    "staff.md": "# Regan defends the White House staff\n\nWhite House chief of staff Regan said on Tuesday that the "
                "staff had done nothing wrong. Regan told reporters in Washington that he would stay.\n",
    "summit.md": "# Reagan meets Gorbachev\n\nRonald Reagan met Mikhail Gorbachev in Iceland. Reagan said the talks "
                 "were useful.\n",
    "tax.md": "# Reagan signs the tax bill\n\nThe president signed the tax bill on Monday. Reagan said it was the best "
              "tax law in years, and Reagan thanked the Senate.\n",
    "canada.md": "# Reagan to visit Canada\n\nReagan will visit Ottawa next month, officials said. Reagan is expected "
                 "to discuss acid rain.\n",
}


@pytest.fixture(scope="module")
def white_house(tmp_path_factory):
    root = tmp_path_factory.mktemp("white-house")
    for name, text in WHITE_HOUSE_1987.items():
        write(root, name, text)
    home = tmp_path_factory.mktemp("white-house-home")
    assert ingest(Corpus.open(root, home)).entities_error is None
    return root, home


@pytest.fixture
def own_white_house(white_house, tmp_path):
    import shutil

    root, _ = white_house
    shutil.copytree(root, tmp_path / "white-house")
    ingest(Corpus.open(tmp_path / "white-house", tmp_path / "home"))
    return tmp_path / "white-house", tmp_path / "home"


def _reagan(root, home) -> tuple[dict, int]:
    """Ronald Reagan's page (as JSON) and what a search for him counts."""
    with Engine(Corpus.open(root, home)) as engine:
        return engine.entity_page("Ronald Reagan").to_json(), engine.count('person:"Ronald Reagan"')


def test_a_name_joined_by_spelling_is_split_off_from_the_command_line(own_white_house, tmp_path):
    root, home = own_white_house
    page, listed = _reagan(root, home)
    assert page["articles"] == listed == 5  # Regan's article counted as Reagan's
    # Every spelling written, with how often: together, the mentions.
    assert {v["name"]: v["count"] for v in page["variants"]} == {"Reagan": 7, "Ronald Reagan": 2, "Regan": 2}
    assert page["mentions"] == 11
    assert {"key": "person:regan", "how": "spelling"} in page["joined"]
    assert "Joined to it: person:reagan (by the corpus), person:regan (by spelling)" in _cli(
        root, home, "entity", "show", "Reagan").output

    split = _cli(root, home, "entity", "split", "Reagan", "Regan", "--json")
    assert split.exit_code == 0, split.output
    assert json.loads(split.output)["decided"]["description"] == "person:regan is not person:ronald reagan: split off"
    page, listed = _reagan(root, home)
    assert page["articles"] == listed == 4
    assert {v["name"]: v["count"] for v in page["variants"]} == {"Reagan": 7, "Ronald Reagan": 2}
    assert page["mentions"] == 9
    assert page["joined"] == [{"key": "person:reagan", "how": "corpus"}]
    with Engine(Corpus.open(root, home)) as engine:
        regan = engine.entity_page("person:regan")
        assert (regan.name, regan.articles, regan.variants) == ("Regan", 1, [("Regan", 2)])
        assert engine.count("person:regan") == 1
        counts = {c.name: c for c in engine.entities(kind="person", top=20)}
        assert counts["Ronald Reagan"].articles == 4 and counts["Regan"].articles == 1
        assert "Regan" not in counts["Ronald Reagan"].variants and "Regan" in counts["Regan"].variants
        article = engine.article(engine.search("chief of staff").hits[0].id)
        assert {span.name for span in article.entities if span.kind == "person"} == {"Regan"}  # underlined as himself
    # Kept by an index made again from scratch.
    fresh = Corpus.open(root, tmp_path / "fresh-home")
    ingest(fresh)
    assert _reagan(root, tmp_path / "fresh-home") == (page, 4)
    # Undone: joined again.
    assert "undone: person:regan is not" in _cli(root, home, "entity", "undo", "Reagan").output
    assert _reagan(root, home)[0]["articles"] == 5


def test_only_a_name_joined_to_the_entity_can_be_split_off(own_white_house):
    root, home = own_white_house
    refused = _cli(root, home, "entity", "split", "Reagan", "Gorbachev")
    assert refused.exit_code == 1
    assert "'Gorbachev' is not a name joined to Ronald Reagan: one of person:reagan, person:regan can be split off" \
        in refused.output
    assert _cli(root, home, "entity", "split", "Reagan", "org:regan").exit_code == 1  # Regan the person only
    alone = _cli(root, home, "entity", "split", "Mikhail Gorbachev", "Reagan")
    assert alone.exit_code == 1 and "nothing was joined to it" in alone.output
    assert not (root / "dossier-entities.toml").exists()


def test_a_split_written_by_hand_and_a_merge_after_it(own_white_house):
    root, home = own_white_house
    path = root / "dossier-entities.toml"
    path.write_text('[[decision]]\nsplit = "person:regan"\n')  # `from` may be left out
    assert _reagan(root, home)[0]["articles"] == 4
    # Merged back later: the later decision wins.
    path.write_text(path.read_text() + '\n[[decision]]\nmerge = "person:regan"\ninto = "person:ronald reagan"\n')
    assert _reagan(root, home)[0]["articles"] == 5
    # And split again after that.
    path.write_text(path.read_text() + '\n[[decision]]\nsplit = "person:regan"\nfrom = "person:ronald reagan"\n')
    page, listed = _reagan(root, home)
    assert page["articles"] == listed == 4


async def test_splitting_a_name_off_in_the_reader(own_white_house):
    """s on the page, the start of the name and Enter typed in one burst: the page is the
    entity without it, and the name has its own."""
    root, home = own_white_house
    async with make_app(Corpus.open(root, home), config=every_article()).run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await _highlight_in_pane(pilot, "vetoes", "Ronald Reagan")
        await pilot.press("enter")
        page = pilot.app.screen
        await wait_for(pilot, lambda: isinstance(page, EntityPage) and page.page is not None, "Reagan's page")
        assert "Joined person:reagan (by the corpus), person:regan (by spelling)" in _page_text(pilot.app)
        await burst(pilot, "s", *"reg", "enter")
        await wait_for(pilot, lambda: page.page is not None and page.page.articles == 4, "Reagan without Regan")
        shown = _page_text(pilot.app)
        assert "4 articles" in shown and "Regan" not in shown
        assert 'split = "person:regan"' in (root / "dossier-entities.toml").read_text()
        await pilot.press("enter")  # all its articles: the search agrees with the page
        await settle(pilot)
        assert len(titles(pilot.app)) == 4 and "Regan defends the White House staff" not in titles(pilot.app)
