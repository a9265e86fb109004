"""Wire datelines and credits become metadata (issue 17): the place and the source, not the
story's first words, its snippet or an entity."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from index import corpus as corpus_module
from index import formats
from index import ingest as ingest_module
from index.dateline import find_dateline
from index.formats import read_articles
from index.schema import build_schema
from index.walk import walk
from tui.cli import main

from .conftest import SEEDS, corpus_path, write


@pytest.mark.parametrize("text,place,source,rest", [
    ("SAN FRANCISCO (Reuters) - Apple said on Monday", "SAN FRANCISCO", "Reuters", "Apple said on Monday"),
    ("LONDON (AP) -- Shares fell", "LONDON", "AP", "Shares fell"),
    ("WASHINGTON, March 3 (Reuters) - The Fed", "WASHINGTON", "Reuters", "The Fed"),
    ("Canadian Press - VANCOUVER (CP) - The city", "VANCOUVER", "Canadian Press", "The city"),
    ("Reuters - Short-sellers, Wall Street's band", None, "Reuters", "Short-sellers, Wall Street's band"),
    ("ST. PAUL, Minn. (AP) \u2014 A judge ruled", "ST. PAUL, Minn.", "AP", "A judge ruled"),
    ("Kuala Lumpur (AFP) - Malaysia said", "Kuala Lumpur", "AFP", "Malaysia said"),
    ("(Reuters) - Oil rose", None, "Reuters", "Oil rose"),
    ("NEW YORK, Feb 26 - Shares of", "NEW YORK", None, "Shares of"),
])
def test_datelines_and_credits_are_found(text, place, source, rest):
    found = find_dateline(text)
    assert (found.place, found.source, text[found.length:]) == (place, source, rest)


@pytest.mark.parametrize("text", [
    "Officials (pictured) - said nothing",      # not an agency
    "The company said (Reuters) - no",          # not at the start
    "Global Research, June 21, 2017",
    "AP - ",                                     # nothing after the credit
    "LONDON (Reuters)\n- a list item",           # a dateline is one line
    "Apple, Feb 26 - a title-case place without an agency",
])
def test_sentences_are_not_datelines(text):
    assert find_dateline(text) is None


def test_a_wire_story_reads_with_its_dateline_as_metadata():
    data = "Apple results\n\nSAN FRANCISCO (Reuters) - Apple Inc said on Monday its profit rose.\n"
    article = read_articles(data.encode(), "apple.txt")[0][0]
    assert article.text == "Apple Inc said on Monday its profit rose."
    assert (article.dateline, article.source) == ("SAN FRANCISCO", "Reuters")
    feed_like = json.dumps({"title": "Rates", "text": "Reuters - Short-sellers are seeing green.", "source": "Yahoo"})
    article = read_articles(feed_like.encode(), "a.json")[0][0]
    assert article.text == "Short-sellers are seeing green." and article.source == "Yahoo"  # the file said


def test_no_seed_or_bbc_article_loses_its_opening():
    for folder in (SEEDS, corpus_path("bbc-news-2005") / "bbc"):
        for found in walk(folder)[0]:
            raw = open(found.abspath, "rb").read()
            for article in read_articles(raw, found.relpath)[0]:
                assert article.dateline is None, found.relpath


def test_an_index_made_before_datelines_gets_them_without_a_rebuild(corpus_dir, monkeypatch):
    """The dateline field is added to an older index when it is next written: its articles
    stay (no rebuild, hours at 345k with entities), new ones carry their dateline."""
    def old_schema():
        schema = build_schema()
        schema.remove("dateline")
        return schema

    write(corpus_dir, "old.txt", "Old story\n\nLONDON (Reuters) - The old one about Herat.\n")
    runner = CliRunner()
    with monkeypatch.context() as patch:
        patch.setattr(corpus_module, "build_schema", old_schema)
        patch.setattr(ingest_module, "build_schema", old_schema)
        patch.setattr(formats, "find_dateline", lambda text: None)  # as a dossier before datelines read it
        assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0
    write(corpus_dir, "new.txt", "New story\n\nPARIS (AFP) - The new one about Kabul.\n")
    result = runner.invoke(main, ["index", str(corpus_dir), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["files_indexed"] == 1, result.output

    def show(query):
        hit = json.loads(runner.invoke(main, ["search", query, "--corpus", str(corpus_dir), "--json"]).output)["hits"][0]
        return json.loads(runner.invoke(main, ["show", hit["id"], "--corpus", str(corpus_dir), "--json"]).output)

    assert show("kabul")["dateline"] == "PARIS" and show("kabul")["text"].startswith("The new one")
    assert show("herat")["dateline"] is None  # read before the field existed: until it is read again
    assert runner.invoke(main, ["index", str(corpus_dir), "--reread"]).exit_code == 0
    assert show("herat")["dateline"] == "LONDON"


def test_show_prints_the_dateline_as_metadata(corpus_dir):
    write(corpus_dir, "apple.txt", "Apple results\n\nSAN FRANCISCO (Reuters) - Apple Inc said its profit rose.\n")
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0
    hit = json.loads(runner.invoke(main, ["search", "apple", "--corpus", str(corpus_dir), "--json"]).output)["hits"][0]
    assert hit["snippet"]["text"].startswith("Apple Inc said") and hit["source"] == "Reuters"
    shown = runner.invoke(main, ["show", hit["id"], "--corpus", str(corpus_dir)]).output
    assert "  from SAN FRANCISCO" in shown and "source Reuters" in shown
    assert "(Reuters) -" not in shown


@pytest.mark.parametrize("path,data,date,origin", [
    ("2017-06-21-missile-strike.txt", "Missile strike\n\nThe strike hit Kermanshah.\n", "2017-06-21", "file name"),
    ("archive/2019/03/03/story.json", '{"title": "Talks", "text": "Talks in Doha."}', "2019-03-03", "file name"),
    ("story.json", '{"title": "Talks", "text": "Published: 3 March 2019\\n\\nTalks in Doha."}', "2019-03-03", "text"),
    ("story.json", '{"title": "Talks", "date": "2020-01-08", "text": "Talks in Doha."}', "2020-01-08", None),
    ("report-2017-13-45.txt", "Report\n\nIn 2019-03-03 the cabinet met.\n", None, None),
])
def test_an_undated_article_is_dated_from_its_text_or_file_name_and_says_so(path, data, date, origin):
    article = read_articles(data.encode(), path)[0][0]
    assert (str(article.date) if article.date else None, article.date_from) == (date, origin)


def test_an_inferred_date_is_shown_as_inferred(corpus_dir):
    write(corpus_dir, "2017-06-21-strike.txt", "Missile strike\n\nThe strike hit Kermanshah.\n")
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0
    hit = json.loads(runner.invoke(main, ["search", "date:2017-06-21", "--corpus", str(corpus_dir), "--json"]).output)["hits"][0]
    shown = runner.invoke(main, ["show", hit["id"], "--corpus", str(corpus_dir)]).output
    assert "2017-06-21 (from the file name)" in shown
    assert json.loads(runner.invoke(main, ["show", hit["id"], "--corpus", str(corpus_dir), "--json"]).output)["date_from"] == "file name"
