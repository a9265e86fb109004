"""The hostile corpus (tests/hostile.py): every file is indexed and searchable with the right
text, or named in the skip report with its reason; nothing crashes; no control sequence from
any article reaches the terminal through the reader, the CLI tables or `show`; JSON escapes."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from index.corpus import Corpus
from index.ingest import ingest
from index.search import Engine
from tui.cli import main
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import READER_MAX_CHARS, ReaderView

from . import hostile
from .pilot import make_app, settle

# Anything that can act on a terminal: C0 controls but tab/newline, DEL, C1, bidi overrides.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    expect = hostile.build(root)
    home = tmp_path_factory.mktemp("hostile-home")
    os.environ["DOSSIER_HOME"] = str(home)  # for the CLI invocations below
    c = Corpus.open(root, home)
    report = ingest(c)
    yield c, expect, report
    (root / "locked" / "secret.txt").chmod(0o644)


def test_every_file_is_indexed_or_skipped_with_its_reason(corpus):
    c, expect, report = corpus
    skipped = {s.relpath: s.reason for s in report.skipped}
    as_root = os.geteuid() == 0
    with Engine(c) as engine:
        for rel, (outcome, detail) in expect.items():
            if outcome == "unreadable":
                outcome = "indexed" if as_root else "skipped"
                detail = detail if as_root else "cannot read"
            if outcome == "skipped":
                assert detail in skipped.get(rel, ""), (rel, skipped.get(rel))
                continue
            assert rel not in skipped, (rel, skipped[rel])
            hits = engine.search(detail, limit=None).hits
            assert [h.path for h in hits] == [rel], (rel, detail, [h.path for h in hits])
            article = engine.article(hits[0].id)
            assert detail in article.text
            assert not CONTROL.search(article.title + article.text), rel
    assert "names/loop" in skipped and "symlink loop" in skipped["names/loop"]


def test_escape_sequences_are_removed_but_the_words_stay(corpus):
    c, _, _ = corpus
    with Engine(c) as engine:
        article = engine.article(engine.search("osc52_clipboardbody").hits[0].id)
        assert article.title == "Title osc52_clipboardtag"
        assert "52;" not in article.text and "cm0gLXJmIH4" not in article.text
        link = engine.article(engine.search("osc_hyperlinkbody").hits[0].id)
        assert "evil.example" not in link.text and "click" in link.text


def test_big_files_are_indexed_whole(corpus):
    c, _, report = corpus
    with Engine(c) as engine:
        big = engine.article(engine.search("hugeword").hits[0].id)
        assert len(big.text) > 19_000_000
    warned = {w.relpath for w in report.warnings}
    assert {"big/twenty-megabytes.txt", "big/one-line.txt"} <= warned  # entities: first part only


def test_cli_output_never_carries_control_sequences(corpus):
    c, expect, _ = corpus
    runner = CliRunner()
    for name in hostile.ESCAPES:
        out = runner.invoke(main, ["search", f"{name}body", "--corpus", str(c.root)])
        assert out.exit_code == 0 and f"{name}tag" in out.stdout
        assert not CONTROL.search(out.stdout), name
        data = json.loads(runner.invoke(main, ["search", f"{name}body", "--corpus", str(c.root), "--json"]).stdout)
        article_id = data["hits"][0]["id"]
        shown = runner.invoke(main, ["show", article_id, "--corpus", str(c.root)]).stdout
        assert f"{name}body" in shown and not CONTROL.search(shown), name
        raw = runner.invoke(main, ["show", article_id, "--corpus", str(c.root), "--json"]).stdout
        assert not CONTROL.search(raw) and json.loads(raw)["id"] == article_id
    markup = runner.invoke(main, ["search", "richword", "--corpus", str(c.root)]).stdout
    assert "[bold red]Rich[/] title" in markup  # shown as written, never interpreted


async def test_reader_shows_hostile_articles_safely(corpus):
    c, _, _ = corpus
    async with make_app(c).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        for query in [f"{n}body" for n in hostile.ESCAPES] + ["richword", "textualword", "htmlword", "hugeword", "linelongword"]:
            await pilot.press("slash", *query, "enter")
            await settle(pilot)
            reader = app.query_one(ReaderView)
            assert reader.article is not None and query in reader.article.text
            drawn = "".join(seg.text for strip in reader._lines for seg in strip)
            assert not CONTROL.search(drawn), query
            assert not any(seg.style and (seg.style.link or seg.style.meta) for strip in reader._lines for seg in strip)
            row = app.query_one(ArticleList).render_line(0).text
            assert not CONTROL.search(row)
        assert f"the reader shows the first {READER_MAX_CHARS:,}" in drawn  # the 4 MB line, capped
