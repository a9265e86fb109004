"""Hard-wrapped wire stories flow to the reading pane's width (issue 17); the stored text and
the offsets of hits and entities do not change."""

from __future__ import annotations

import json
import textwrap

import pytest

from index.reflow import reflow
from index.walk import walk
from index.formats import read_articles

from .conftest import SEEDS, corpus_path, write
from .terminal import Terminal, available

PARAGRAPHS = [
    "National Westminster Bank Plc said it has cut its base lending rate 0.5 percentage points "
    "to 10.5 pct today, following a signal from the Bank of England earlier this afternoon.",
    "National Westminster said that it was responding to general easing in money market rates, "
    "and that the pound had continued to gain strongly against the dollar since last week.",
    "However, dealers said a further cut was unlikely before the budget next month, when the "
    "chancellor is expected to announce tax cuts worth about three billion pounds sterling.",
]
# As Reuters stores it: wrapped at 70 columns, each paragraph after the first indented.
WIRE = "\n".join(("    " if i else "") + textwrap.fill(p, 70) for i, p in enumerate(PARAGRAPHS))


def test_soft_breaks_become_spaces_and_paragraphs_stay():
    flowed = reflow(WIRE)
    assert len(flowed) == len(WIRE)
    assert flowed.split("\n") == [("    " if i else "") + p for i, p in enumerate(PARAGRAPHS)]


@pytest.mark.parametrize("text", [
    "Semi-annual dividend 4 cts\n    Pay May 29\n    Record April 14\nNote: full name is U.S. Facilities Corp.",
    "Results:\n- revenue rose 5 pct to 1.2 billion dlrs this year\n- profit fell 3 pct to 200 mln dlrs this year\n"
    "- shares rose 2 pct in early trading on Monday morning\n- the dividend stays the same as last year\n",
    "Year      Revenue     Profit    Margin    Staff\n1985      1.2 bln     200 mln   16 pct    1,200\n"
    "1986      1.4 bln     250 mln   18 pct    1,350\n1987      1.6 bln     310 mln   19 pct    1,500\n",
    "A paragraph on one long line that a person wrote without wrapping it at all, as most web text is.\n"
    "Another such paragraph.\nAnd a third one, short.\nAnd a fourth.",
])
def test_real_line_breaks_are_kept(text):
    assert reflow(text) == text


def test_the_seeds_and_bbc_articles_are_shown_as_written():
    """Text written one paragraph per line: nothing changes (a BBC player list, short
    numbered lines, looks wrapped and keeps every break)."""
    for folder in (SEEDS, corpus_path("bbc-news-2005") / "bbc"):
        for found in walk(folder)[0]:
            for article in read_articles(open(found.abspath, "rb").read(), found.relpath)[0]:
                assert reflow(article.text) == article.text, found.relpath


pytestmark_tmux = pytest.mark.skipif(not available(), reason="needs tmux and the installed dossier command")


def reuters_story() -> tuple[str, str]:
    """A real Reuters-21578 story of several wrapped paragraphs that fits one screen."""
    from benchmarks.corpora import reuters_records

    root = corpus_path("reuters-21578")
    for record in reuters_records(root):
        text = record["text"]
        if 3 <= text.count("\n    ") and 10 <= text.count("\n") <= 16 and reflow(text) != text:
            return record["title"], text
    pytest.skip("no such story")


@pytestmark_tmux
@pytest.mark.parametrize("story", ["written", "reuters"])
@pytest.mark.parametrize("width", [80, 100, 160])
def test_the_reading_view_flows_a_wire_story_to_its_width(story, width, tmp_path):
    title, text = ("NatWest cuts base rate", WIRE) if story == "written" else reuters_story()
    folder = tmp_path / "wire"
    write(folder, "story.json", json.dumps({"title": title, "text": text}))
    term = Terminal(tmp_path / "home", [str(folder)], width=width, height=40)
    words = text.split()
    try:
        screen = term.wait(lambda s: words[-2] in s and "indexing" not in s.rstrip().split("\n")[-1],
                           "the story in the reader")
        lines = screen.split("\n")
        header = next(line for line in lines[:4] if "Reading" in line)
        column = header.index("Reading")
        end = header.index("Entities") - 1 if "Entities" in header else None  # the entity pane, when wide
        pane = [line[column:end].rstrip() for line in lines[3:-1]]
        first = next(i for i, line in enumerate(pane) if line.split()[:3] == words[:3])
        last = next(i for i in range(len(pane) - 1, -1, -1) if words[-1] in pane[i].split())
        body = pane[first:last + 1]
        # A short line only where the text really breaks (a paragraph's end): none of the
        # ragged short lines the stored 70-column lines make when the pane wraps them again.
        flowed = " ".join(reflow(text).split(" "))
        hard_ends = {line.split()[-1] for line in flowed.split("\n") if line.strip()}
        pane_width = max(len(line) for line in body)
        for line in body[:-1]:
            if len(line) < pane_width - 15:
                assert line.split()[-1] in hard_ends, "\n".join(body)
        # Every word is there, in order.
        assert " ".join(body).split() == words
        term.keys("q")
        term.wait_exit()
    finally:
        term.close()
