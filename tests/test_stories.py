"""Stories: the same text rewritten the ways syndication rewrites it is one story; different
writers on the same event are not. On real text: the seeds (five writers on Iran's missile
strikes) and, when the corpora are here, BBC articles and their own updates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.corpus import Corpus
from index.ingest import ingest
from index.search import Engine
from index.stories import STORE_NAME
from index.storydiff import compare, sentences
from tui.cli import main
from tui.config import load as load_config

from .conftest import REPO, corpus_path, write

SEEDS = REPO / "seeds"
WIRE = "002_3a44701af45144ca.txt"  # "Iran initiates missile launch against ISIS"
OTHER = "000_d499baee7ba825de.txt"


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def body(text: str) -> list[str]:
    """The seed's paragraphs after its headline and date line."""
    return paragraphs(text)[2:]


# The rewrites a wire story goes through, each on the real text of a seed.
def new_headline(text: str) -> str:
    """A new headline over the same text is a copy (folded since duplicates were, and named
    under "also in"); a syndicator that retitles rewrites the opening line too."""
    lede, *rest = body(text)
    return "\n\n".join(["Tehran fires missiles at Islamic State targets in Iraq", "By Jane Mercer",
                        "Iran has fired missiles at Islamic State positions in eastern Iraq, joining the "
                        "American-led campaign against the group.", *rest])


def trimmed(text: str) -> str:
    kept = body(text)
    return "\n\n".join(["Iran initiates missile launch against ISIS", *kept[:len(kept) * 3 // 5]])


def inserted(text: str) -> str:
    kept = body(text)
    local = other_paragraph()
    return "\n\n".join([*paragraphs(text)[:2], *kept[:4], local, *kept[4:]])


def other_paragraph() -> str:
    """A paragraph of another writer's article on the strikes (its paragraphs are lines)."""
    return seed(OTHER).splitlines()[2]


def changed_quote(text: str) -> str:
    out = text.replace("“It’s up to the Iraqi government to de-conflict that airspace.”",
                       "“It is up to the government in Baghdad to de-conflict the airspace.”")
    assert out != text
    return out


def other_byline(text: str) -> str:
    return "\n\n".join(["Iran initiates missile launch against ISIS", "By Tom Okafor, Example Wire",
                        *body(text), "(Reporting by Tom Okafor; editing by Priya Nair)"])


REWRITES = {"headline": new_headline, "trimmed": trimmed, "inserted": inserted, "quote": changed_quote,
            "byline": other_byline}


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "news"
    shutil.copytree(SEEDS, root)
    return root


def index(folder: Path, home: Path, **kwargs):
    return ingest(Corpus.open(folder, home), entities=False, **kwargs)


def stories_of(engine: Engine) -> list[set[str]]:
    """Each story as the set of its article paths."""
    rows = engine.result_list(None, "date", stories=True)
    out = []
    for i in range(len(rows)):
        out.append({engine.article(a).path for a in engine.story_versions(rows.row(i).id)})
    return out


def test_five_writers_on_one_event_are_five_stories(folder, tmp_path):
    report = index(folder, tmp_path / "home")
    assert report.in_stories == 0
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        found = engine.result_list(None, "date", stories=True)
        assert len(found) == found.total == found.story_total == 5
        assert all(found.row(i).versions == 1 for i in range(5))


@pytest.mark.parametrize("kind", sorted(REWRITES))
def test_each_rewrite_joins_the_story_it_rewrites(kind, folder, tmp_path):
    write(folder, f"wire/{kind}.txt", REWRITES[kind](seed(WIRE)))
    report = index(folder, tmp_path / "home")
    assert report.in_stories == 1
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        stories = stories_of(engine)
        assert {WIRE, f"wire/{kind}.txt"} in stories
        assert sum(len(s) == 1 for s in stories) == 4  # the other seeds stay alone


def test_the_same_text_under_another_headline_is_a_copy_not_a_version(folder, tmp_path):
    lede, *rest = body(seed(WIRE))
    write(folder, "wire/retitled.txt", "\n\n".join(["Tehran fires missiles at Islamic State targets", lede, *rest]))
    report = index(folder, tmp_path / "home")
    assert (report.duplicates, report.in_stories) == (1, 0)
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        wire = next(h.id for h in engine.search("Kirby").hits)
        assert [a.path for a in engine.also_in(wire)] == ["wire/retitled.txt"]


def test_every_rewrite_at_once_is_one_story_of_six(folder, tmp_path):
    for kind, rewrite in REWRITES.items():
        write(folder, f"wire/{kind}.txt", rewrite(seed(WIRE)))
    index(folder, tmp_path / "home")
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        rows = engine.result_list(None, "date", stories=True)
        assert rows.total == 10 and rows.story_total == len(rows) == 5
        story_row = next(rows.row(i) for i in range(len(rows)) if rows.row(i).versions > 1)
        assert story_row.versions == 6
        # The row opens the main version: the earliest (the original and the one with a
        # paragraph inserted keep the date line), and of those the fullest.
        assert engine.article(story_row.id).path == "wire/inserted.txt"
        flat = engine.result_list(None, "date")
        assert len(flat) == 10


def test_bbc_updates_are_versions_and_its_neighbours_stay_apart(tmp_path):
    bbc = corpus_path("bbc-news-2005") / "bbc"
    root = tmp_path / "bbc"
    # The BBC's own update of a story (most of the text kept, a paragraph rewritten), and
    pairs = {"same": ["entertainment/142.txt", "entertainment/229.txt"],
             # Three articles on the Lords' ruling on terror detainees, sharing a fifth of their words at most.
             "apart": ["politics/221.txt", "politics/224.txt", "politics/368.txt"]}
    for names in pairs.values():
        for name in names:
            write(root, name, (bbc / name).read_text(encoding="latin-1"))
    index(root, tmp_path / "home")
    with Engine(Corpus.open(root, tmp_path / "home")) as engine:
        stories = stories_of(engine)
    assert set(pairs["same"]) in stories
    for name in pairs["apart"]:
        assert {name} in stories


def test_stories_follow_the_files_as_they_come_and_go(folder, tmp_path):
    home = tmp_path / "home"
    index(folder, home)
    write(folder, "later/trimmed.txt", trimmed(seed(WIRE)))
    assert index(folder, home).in_stories == 1  # a file arriving later joins its story
    (folder / WIRE).unlink()
    index(folder, home)
    with Engine(Corpus.open(folder, home)) as engine:
        assert {"later/trimmed.txt"} in stories_of(engine)  # alone again: its story's other version left
    write(folder, WIRE, seed(WIRE))
    assert index(folder, home).in_stories == 1
    with Engine(Corpus.open(folder, home)) as engine:
        assert {WIRE, "later/trimmed.txt"} in stories_of(engine)


def test_an_index_made_before_stories_groups_its_articles_on_the_next_run(folder, tmp_path):
    home = tmp_path / "home"
    write(folder, "wire/quote.txt", changed_quote(seed(WIRE)))
    index(folder, home, stories=False)
    corpus = Corpus.open(folder, home)
    assert not (corpus.index_path / STORE_NAME).exists()
    report = index(folder, home)
    assert report.files_indexed == 0  # nothing read again: the stored text is grouped
    with Engine(Corpus.open(folder, home)) as engine:
        assert {WIRE, "wire/quote.txt"} in stories_of(engine)


def test_the_collapsed_list_expands_into_versions_and_folds_back(folder, tmp_path):
    for kind in ("trimmed", "quote"):
        write(folder, f"wire/{kind}.txt", REWRITES[kind](seed(WIRE)))
    index(folder, tmp_path / "home")
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        rows = engine.result_list("iran", "relevance", stories=True)
        story = next(i for i in range(len(rows)) if rows.is_story(i))
        assert rows.row(story).versions == 3 and len(rows) == 5
        assert rows.toggle(story)
        assert len(rows) == 8 and rows.row(story).expanded
        versions = [rows.row(story + k) for k in (1, 2, 3)]
        assert all(v.version_of for v in versions)
        assert engine.article(versions[0].id).path == WIRE  # the main version first
        assert rows.index_of(versions[2].id) == story + 3
        assert rows.story_of_row(story + 2) == story
        assert rows.story_total == 5  # versions listed are not more stories
        assert rows.toggle(story)
        assert len(rows) == 5 and not rows.row(story).expanded
        assert not rows.toggle(next(i for i in range(len(rows)) if not rows.is_story(i)))


def test_a_query_matching_one_version_only_opens_that_version(folder, tmp_path):
    write(folder, "wire/inserted.txt", inserted(seed(WIRE)))
    index(folder, tmp_path / "home")
    local = other_paragraph()
    phrase = " ".join(local.split()[:6]).strip(".,“”\"")
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        rows = engine.result_list(f'"{phrase}"', "relevance", stories=True)
        ids = {rows.row(i).id for i in range(len(rows))}
        paths = {engine.article(i).path for i in ids}
        assert "wire/inserted.txt" in paths and WIRE not in paths


def test_what_each_version_changed_sentence_by_sentence(folder, tmp_path):
    original = seed(WIRE)
    quote = compare(original, changed_quote(original))
    assert quote.counts() == {"added": 0, "dropped": 0, "changed": 1}
    (change,) = quote.changes
    assert change.quote and "Iraqi government" in change.old and "Baghdad" in change.new
    cut = compare(original, trimmed(original))
    assert cut.counts()["dropped"] >= 5 and cut.counts()["added"] == 0
    assert cut.changes[-1].old.startswith("Editor’s Note")  # the ending went
    added = compare(original, inserted(original))
    assert added.counts() == {"added": len(sentences(other_paragraph())), "dropped": 0, "changed": 0}
    assert sentences("Mr. Blair said so. He left.") == ["Mr. Blair said so.", "He left."]
    assert sentences("Rear Adm. John F. Kirby spoke.") == ["Rear Adm. John F. Kirby spoke."]


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_story_lists_versions_with_their_changes(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "80")
    write(folder, "wire/quote.txt", changed_quote(seed(WIRE)))
    write(folder, "wire/trimmed.txt", trimmed(seed(WIRE)))
    code, out, _ = run("search", "Kirby", "--corpus", str(folder), "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] == 3 and data["stories"] == 1 and len(data["hits"]) == 1
    (hit,) = data["hits"]
    assert len(hit["versions"]) == 2 and hit["story"] in {hit["id"], *hit["versions"]}
    code, out, _ = run("search", "Kirby", "--corpus", str(folder), "--json", "--collapse", "none")
    data = json.loads(out)
    assert len(data["hits"]) == 3 and "stories" not in data
    assert all(len(h["versions"]) == 2 for h in data["hits"])

    code, out, _ = run("story", hit["id"][:8], "--corpus", str(folder), "--json")
    story = json.loads(out)
    assert code == 0 and [v["main"] for v in story["versions"]] == [True, False, False]
    by_path = {v["path"]: v for v in story["versions"]}
    assert by_path[WIRE]["changes"] is None
    assert by_path["wire/quote.txt"]["changes"]["changed"] == 1
    assert by_path["wire/trimmed.txt"]["changes"]["dropped"] >= 5

    code, out, _ = run("story", hit["id"][:8], "--corpus", str(folder))
    assert code == 0 and "\x1b" not in out
    assert "A story in 3 versions" in out and "~ changed quote" in out and "- dropped" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    was = next(line for line in out.splitlines() if line.strip().startswith("was"))
    assert "Iraqi government" in out and "Baghdad" in out and was.startswith("    was ")


def test_cli_story_of_an_article_alone_and_of_an_unknown_id(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "home"))
    code, out, _ = run("search", "Kirby", "--json")
    article = json.loads(out)["hits"][0]["id"]
    code, out, _ = run("story", article)
    assert code == 0 and "An article alone" in out
    result = CliRunner().invoke(main, ["story", "ffffffffffff"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_config_collapse_and_read_story(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('collapse = "none"\nread_story = true\n')
    config = load_config(path)
    assert (config.collapse, config.read_story, config.problems) == ("none", True, [])
    path.write_text('collapse = "stories"\nread_story = "yes"\n')
    config = load_config(path)
    assert (config.collapse, config.read_story) == ("story", False)
    assert any("'collapse' must be \"story\" or \"none\"" in p for p in config.problems)
    assert any("'read_story' must be true or false" in p for p in config.problems)


def test_facets_count_articles_and_the_stories_they_tell(folder, tmp_path):
    for kind in ("trimmed", "quote"):
        write(folder, f"wire/{kind}.txt", REWRITES[kind](seed(WIRE)))
    index(folder, tmp_path / "home")
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        found = engine.facets("Kirby", stories=True)
        assert dict(found["year"]) == {"2014": 2}  # the trimmed copy lost its date line
        assert found.stories["year"] == {"2014": 1}
        results = engine.search("Kirby", facets=True, stories=True).to_json()
        assert {"value": "2014", "count": 2, "stories": 1} in results["facets"]["year"]
        assert engine.facets("Kirby").stories == {}  # not asked: not counted


def test_a_big_run_signs_in_a_worker_and_groups_the_same(folder, tmp_path, monkeypatch):
    """Past SIGN_IN_PROCESS articles the texts are signed in a worker process while the
    writer writes: the stories are the same as signed in the writer."""
    from index import ingest as ingest_module

    for kind, rewrite in REWRITES.items():
        write(folder, f"wire/{kind}.txt", rewrite(seed(WIRE)))
    monkeypatch.setattr(ingest_module, "SIGN_IN_PROCESS", 2)
    monkeypatch.setattr(ingest_module, "SIGN_BATCH", 3)
    report = index(folder, tmp_path / "home")
    assert report.in_stories == 5
    with Engine(Corpus.open(folder, tmp_path / "home")) as engine:
        stories = stories_of(engine)
    assert {WIRE, *(f"wire/{kind}.txt" for kind in REWRITES)} in stories
    assert sum(len(s) == 1 for s in stories) == 4


def test_a_store_made_another_way_is_never_read_and_is_made_anew(folder, tmp_path):
    """Signatures made another way (another dossier) match nothing: the reader shows no
    stories rather than wrong ones, and never changes the store; the next run makes it anew."""
    import sqlite3

    home = tmp_path / "home"
    write(folder, "wire/quote.txt", changed_quote(seed(WIRE)))
    index(folder, home)
    path = Corpus.open(folder, home).index_path / STORE_NAME
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'another' WHERE name = 'format'")
    with Engine(Corpus.open(folder, home)) as engine:
        rows = engine.result_list(None, "date", stories=True)
        assert len(rows) == rows.total == 6
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM member").fetchone()[0] == 6  # untouched
    report = index(folder, home)
    assert report.files_indexed == 0
    with Engine(Corpus.open(folder, home)) as engine:
        assert {WIRE, "wire/quote.txt"} in stories_of(engine)


async def test_the_facets_pane_says_articles_and_the_stories_they_tell(folder, tmp_path):
    from tui.widgets.entity_pane import EntityPane

    from .pilot import make_app, search, settle

    for kind in ("trimmed", "quote"):
        write(folder, f"wire/{kind}.txt", REWRITES[kind](seed(WIRE)))
    home = tmp_path / "home"
    index(folder, home)
    async with make_app(Corpus.open(folder, home)).run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await search(pilot, "Kirby")
        await pilot.press("f")
        await settle(pilot)
        pane = pilot.app.query_one(EntityPane)
        assert pane.mode == "facets" and "articles (stories)" in str(pilot.app.query_one("#entity-pane").border_title)
        text = "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())
        assert "2 (1)" in text, text  # 2014: two dated versions (the trimmed one lost its date), one story


def test_the_index_command_says_how_many_articles_joined_a_story(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "home"))
    write(folder, "wire/quote.txt", changed_quote(seed(WIRE)))
    code, out, _ = run("index", str(folder), "--no-entities")
    assert code == 0 and "1 article joined a story already indexed" in out
    code, out, _ = run("index", str(folder), "--json")
    assert json.loads(out)["in_stories"] == 0  # nothing new


@pytest.mark.parametrize("read_story", [False, True])
async def test_reading_a_storys_main_version_marks_the_others_read_when_asked(read_story, folder, tmp_path):
    from tui.config import Config

    from .pilot import make_app, search, settle, wait_for

    for kind in ("trimmed", "quote"):
        write(folder, f"wire/{kind}.txt", REWRITES[kind](seed(WIRE)))
    home = tmp_path / "home"
    index(folder, home)
    async with make_app(Corpus.open(folder, home), config=Config(read_story=read_story)).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "Kirby")
        await pilot.press("enter")  # the story's row: its main version
        await settle(pilot)
        app = pilot.app
        versions = app.main.engine.story_versions(app.main.results.row(0).id)
        main, others = versions[0], set(versions[1:])
        await wait_for(pilot, lambda: main in app.main.library.ids_read(), "the main version marked read")
        if read_story:
            await wait_for(pilot, lambda: others <= app.main.library.ids_read(), "the other versions marked read")
        else:
            await settle(pilot)
            assert not others & app.main.library.ids_read()  # read state stays per article


async def test_an_index_from_before_stories_shows_them_once_the_reader_has_indexed(folder, tmp_path):
    """The reader's background run groups an old index's articles without a commit: the
    list must still come to show them."""
    from tui.config import Config

    from .pilot import make_app, settle, wait_for

    write(folder, "wire/quote.txt", changed_quote(seed(WIRE)))
    home = tmp_path / "home"
    index(folder, home, stories=False)  # as dossier indexed before stories existed
    # Entities off: the run then has nothing to commit (no entity pass to replace articles).
    app = make_app(Corpus.open(folder, home), background=True, config=Config(entities=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: pilot.app.main.results is not None and pilot.app.main.results.story_total == 5,
                       "the six articles listed as five stories")
        assert pilot.app.main.results.total == 6
