"""Text as it was written: references, written-out markup, backslash breaks (issue 17).
Each rule on small files shaped like what scrapers and archives leave, and on the real
corpora: what changes there is counted in benchmarks/RESULTS.md."""

from __future__ import annotations

import re

import pytest

from index.formats import read_articles
from index.textrepair import RULES, repair, repair_line
from index.walk import walk

from .conftest import SEEDS, corpus_path


def read(name: str, data: str):
    return read_articles(data.encode(), name)[0][0]


@pytest.mark.parametrize("written,meant", [
    ("Utah#39;s Meyer", "Utah's Meyer"),
    ("Utah #39;s Meyer", "Utah's Meyer"),
    ("he said quot;no quot;.", 'he said "no".'),
    ("AT&amp;amp;T results", "AT&T results"),
    ("caf&#233; and communiqu&#xE9;", "café and communiqué"),
    ("&#163;1.8m fine", "£1.8m fine"),
    ("Westpac delivers \\$2.5b profit", "Westpac delivers $2.5b profit"),
    ("Mr Blair\u00bfs government", "Mr Blair's government"),
])
def test_references_and_their_remains_are_read(written, meant):
    assert repair(written) == meant


@pytest.mark.parametrize("text", [
    "ranked #10; then second",            # a number sign, not a lost reference
    "Smith&nothing to see",               # html.unescape alone reads "&not" here
    "shares of <BP>, <A> and <P> rose",   # tickers in wire stories
    "<Mark Resources Inc> said",          # a company's name in a Reuters story
    "Marketing Inc <em>\nfor Crazy Eddie",  # a lower-case ticker, no closing tag
    "if x < y and y > z",
    "\u00bfQu\u00e9 pasa? said Garc\u00eda",  # Spanish: the mark opens a question
    "C:\\Users\\me",
])
def test_text_that_only_looks_like_a_scar_is_left_alone(text):
    assert repair(text) == text


def test_markup_written_out_as_text_keeps_its_words():
    text = ('Google &lt;A HREF="http://www.investor.reuters.com/FullQuote.aspx?ticker=GOOG.O" '
            'target=/stocks/quickinfo/fullquote&gt;GOOG.O&lt;/A&gt; rose. &lt;b&gt;Shares&lt;/b&gt; fell.'
            '<p>Next paragraph<br>and a line</p>')
    assert repair(text) == "Google GOOG.O rose. Shares fell.\nNext paragraph\nand a line\n"


def test_backslashes_used_as_line_breaks_become_line_breaks():
    assert repair("First line \\ second line\\\nthird") == "First line\nsecond line\nthird"


def test_a_title_stays_one_line():
    assert repair_line("Rates &lt;br&gt; rise") == "Rates rise"


def test_every_source_is_repaired_the_same_way():
    body = "Utah #39;s coach said quot;we won quot;. &lt;b&gt;Final&lt;/b&gt; score \\$5."
    expected = 'Utah\'s coach said "we won". Final score $5.'
    assert read("a.txt", f"Utah #39;s Meyer\n\n{body}\n").text == expected
    assert read("a.txt", f"Utah #39;s Meyer\n\n{body}\n").title == "Utah's Meyer"
    assert read("b.json", '{"title": "Utah #39;s Meyer", "text": "%s"}' % body.replace("\\", "\\\\")).text == expected
    assert read("c.md", f"---\ntitle: \"Utah #39;s Meyer\"\n---\n{body}\n").title == "Utah's Meyer"


def test_a_reference_to_a_control_character_is_cleaned_after_it_is_read():
    assert "\x1b" not in read("a.txt", "Title\n\nText &#x1b;]0;owned&#x07; about Herat.\n").text


def test_the_seeds_are_read_exactly_as_before():
    """No rule fires on the bundled seeds: their parsing stays as it is."""
    for found in walk(SEEDS)[0]:
        for article in read_articles(open(found.abspath, "rb").read(), found.relpath)[0]:
            for text in (article.title, article.text):
                assert all(rule(text) == text for _name, applies, rule in RULES if applies(text)), found.relpath


def test_no_bbc_article_shows_a_reference():
    folder = corpus_path("bbc-news-2005")
    for found in walk(folder)[0]:
        for article in read_articles(open(found.abspath, "rb").read(), found.relpath)[0]:
            assert not re.search(r"&#?\w+;|\u00bf", article.title + article.text), found.relpath


def test_reread_brings_repairs_to_an_index_made_before_them(corpus_dir, home, monkeypatch):
    """Files indexed by a dossier without the repairs keep their old text until they change;
    `dossier index --reread` reads them all again: same articles, repaired text, no copies."""
    from click.testing import CliRunner

    from index import formats
    from tui.cli import main

    from .conftest import write

    write(corpus_dir, "cafe.txt", "Internet caf&#233; opens\n\nThe caf&#233; in Kabul opened on Monday.\n")
    write(corpus_dir, "other.txt", "Other story\n\nNothing to repair in Herat.\n")
    runner = CliRunner()
    with monkeypatch.context() as patch:
        patch.setattr(formats, "repair", lambda text: text)
        patch.setattr(formats, "repair_line", lambda text: text)
        assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0

    def search(query):
        out = runner.invoke(main, ["search", query, "--corpus", str(corpus_dir), "--json"])
        return __import__("json").loads(out.output)

    assert search("kabul")["hits"][0]["title"] == "Internet caf&#233; opens"
    assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0  # nothing changed: nothing read
    assert search("kabul")["hits"][0]["title"] == "Internet caf&#233; opens"
    result = runner.invoke(main, ["index", str(corpus_dir), "--reread", "--json"])
    assert result.exit_code == 0 and __import__("json").loads(result.output)["files_indexed"] == 2
    assert search("kabul")["hits"][0]["title"] == "Internet café opens"
    assert search("*")["total"] == 2


@pytest.mark.parametrize("written,meant", [
    ("Caf\u00c3\u00a9 in Kabul", "Caf\u00e9 in Kabul"),
    ("It\u00e2\u20ac\u2122s over", "It\u2019s over"),
    ("A \u00c2\u00a35 fine", "A \u00a35 fine"),
])
def test_text_decoded_the_wrong_way_before_it_reached_the_file_is_repaired(written, meant):
    """UTF-8 read as cp1252 somewhere upstream ("cafÃ©"): ftfy decodes it again, right."""
    article = read_articles(f"Title\n\n{written}.\n".encode("utf-8"), "a.txt")[0][0]
    assert article.text == f"{meant}."


@pytest.mark.parametrize("text", ["caf\u00e9\u2019s menu", "Pok\u00e9mon\u2122 cards", "S\u00e3o Paulo\u2019s mayor",
                                  "r\u00e9sum\u00e9\u2014done", "\u00c5ngstr\u00f6m"])
def test_text_written_right_is_not_touched_by_the_encoding_repair(text):
    from index.textrepair import repair_encoding

    assert repair_encoding(text) == text


def test_no_reuters_story_shows_a_reference_or_a_dateline():
    """Reuters-21578 as dossier's benchmarks read it (JSON records from the SGML): every
    fourth story, through the same reading as `dossier index`."""
    import json

    from benchmarks.corpora import reuters_records
    from index.dateline import find_dateline

    root = corpus_path("reuters-21578")
    for n, record in enumerate(reuters_records(root)):
        if n % 4 or not (record["title"] or record["text"]).strip():
            continue  # (a few archive entries are empty)
        data = json.dumps({k: record[k] for k in ("title", "text", "date", "source")}).encode()
        for article in read_articles(data, f"reuters/{record['id']}.json")[0]:
            assert not re.search(r"&#?\w+;", article.title + article.text), record["id"]
            assert find_dateline(article.text) is None, record["id"]


def test_mis_decoded_text_inside_a_json_value_is_repaired():
    import json

    data = json.dumps({"title": "Caf\u00c3\u00a9 opens", "text": "The caf\u00c3\u00a9 opened."}).encode()  # all \\u escapes
    article = read_articles(data, "a.json")[0][0]
    assert (article.title, article.text) == ("Caf\u00e9 opens", "The caf\u00e9 opened.")
