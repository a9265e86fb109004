"""The command line as scripts and people use it: the JSON contract, messages and exit codes."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tui.cli import main

from .conftest import write


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_search_json_contract():
    code, out, _ = run("search", "missile", "--json", "--limit", "3")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"query", "total", "stories", "hits"}
    # The five seeds are five writers' articles on Iran's missile strikes: five stories.
    assert data["query"] == "missile" and data["total"] == 5 and data["stories"] == 5 and len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) == {"id", "title", "date", "authors", "source", "path", "score", "snippet", "story", "versions"}
        assert hit["story"] is None and hit["versions"] == []
        assert isinstance(hit["id"], str) and isinstance(hit["title"], str)
        assert hit["date"] is None or (len(hit["date"]) == 10 and hit["date"][4] == "-")
        assert isinstance(hit["authors"], list)
        assert hit["source"] is None or isinstance(hit["source"], str)
        assert isinstance(hit["score"], float)
        snippet = hit["snippet"]
        assert set(snippet) == {"text", "spans"}
        for start, end in snippet["spans"]:
            assert snippet["text"][start:end].lower().startswith("missil")


def test_search_sort_by_date_json():
    code, out, _ = run("search", "iran", "--sort", "date", "--json")
    dates = [h["date"] for h in json.loads(out)["hits"]]
    assert dates == ["2020-01-08", "2017-06-21", "2014-12-11", None, None]


def test_show_json_contract():
    _, out, _ = run("search", "author:henningsen", "--json")
    article_id = json.loads(out)["hits"][0]["id"]
    code, out, _ = run("show", article_id, "--json")
    assert code == 0
    article = json.loads(out)
    assert {"id", "title", "date", "authors", "source", "url", "path", "text"} <= set(article)
    assert article["authors"] == ["Patrick Henningsen"]
    assert article["source"] == "Global Research"
    assert article["date"] == "2017-06-21"
    assert article["text"].startswith("Yesterday, Iran")


def test_human_search_output():
    code, out, _ = run("search", "soleimani")
    assert code == 0
    assert "Iran Missiles Strike U.S. Targets in Iraq" in out
    assert "1 article matches" in out


def test_no_hits_is_success_with_suggestion():
    code, out, _ = run("search", "missle")
    assert code == 0
    assert "No articles match missle." in out and "Did you mean missile?" in out
    code, out, _ = run("search", "missle", "--json")
    assert json.loads(out) == {"query": "missle", "total": 0, "stories": 0, "hits": [], "suggestion": "missile"}


def test_bad_query_exits_2_with_one_line():
    code, out, err = run("search", "(iran")
    assert code == 2 and out == ""
    assert err == "dossier: bad query: unbalanced parentheses: '(' is never closed\n"


def test_bad_arguments_exit_2():
    code, _, err = run("search", "iran", "--sort", "sideways")
    assert code == 2 and "Invalid value for '--sort'" in err


def test_missing_and_unreadable_folders_exit_1(tmp_path):
    code, _, err = run("index", str(tmp_path / "nope"))
    assert code == 1 and err == f"dossier: no such folder: {tmp_path / 'nope'}\n"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        code, _, err = run("index", str(locked))
        assert code == 1 and "permission denied" in err
    finally:
        locked.chmod(0o755)


def test_unknown_article_exits_1():
    code, _, err = run("show", "ffffffff")
    assert code == 1 and err == "dossier: no article with id 'ffffffff'\n"


def test_index_summary_and_search_indexes_first(corpus_dir):
    write(corpus_dir, "a.txt", "Alpha story\n\nAbout zanzibar.")
    write(corpus_dir, "b.bin", b"\x00\x01")
    code, out, err = run("search", "zanzibar", "--corpus", str(corpus_dir), "--json")
    assert code == 0 and json.loads(out)["total"] == 1
    assert err == ""
    code, out, _ = run("index", str(corpus_dir))
    assert code == 0
    assert "indexed 0 files (0 articles), 1 unchanged, 0 removed, 1 skipped" in out
    assert "b.bin: unsupported file type .bin" in out


def test_index_json_report(corpus_dir):
    write(corpus_dir, "a.txt", "Alpha\n\nbody")
    code, out, _ = run("index", str(corpus_dir), "--json")
    report = json.loads(out)
    assert code == 0 and report["files_indexed"] == 1 and report["total_articles"] == 1


def test_stats_json():
    code, out, _ = run("stats", "--json")
    stats = json.loads(out)
    assert code == 0 and stats["articles"] == 5 and stats["undated"] == 2 and stats["duplicates"] == 0
    assert stats["files"] == {"read": 5, "indexed": 5, "only_copies": 0, "skipped": 0}
    assert stats["years"] == {"first": "2014", "last": "2020"}


def test_searching_an_index_still_being_built_finds_nothing_and_succeeds(corpus_dir):
    """The reader's background indexer has created the index but committed nothing yet."""
    from index.corpus import Corpus

    write(corpus_dir, "a.txt", "Headline\n\nBody.")
    ix, _ = Corpus.open(corpus_dir).open_index()  # created, no segment yet
    ix.close()
    for query in ["*", "iran", "date:2020"]:
        code, out, err = run("search", query, "--corpus", str(corpus_dir), "--json")
        assert code == 0 and json.loads(out)["total"] == 0 and err == "", query
    code, out, _ = run("search", "*", "--corpus", str(corpus_dir))
    assert code == 0 and "No articles match" in out


def test_stats_counts_files_by_what_became_of_them(corpus_dir):
    """Files read = indexed + holding only copies + skipped (the BBC set said "files 2089"
    after reading 2,227: copies and skipped files were nowhere)."""
    text = "The same long story about a ferry in Zanzibar. " * 12
    write(corpus_dir, "a.txt", f"Ferry story\n\n{text}")
    write(corpus_dir, "b.txt", f"Ferry story again\n\n{text}")  # a copy: indexed once
    write(corpus_dir, "c.txt", "Other story\n\nA different text about Dodoma.")
    write(corpus_dir, "d.txt", b"\x00\x01\x02binary\x00" * 40)  # skipped
    write(corpus_dir, "e.bin", b"\x00\x01")  # not an article type: skipped
    run("index", str(corpus_dir))
    code, out, _ = run("stats", "--corpus", str(corpus_dir), "--json")
    stats = json.loads(out)
    assert code == 0 and stats["articles"] == 2 and stats["duplicates"] == 1
    assert stats["files"] == {"read": 5, "indexed": 2, "only_copies": 1, "skipped": 2}
    code, out, _ = run("stats", "--corpus", str(corpus_dir))
    assert "5 read · 2 indexed · 1 only copies · 2 skipped" in out


def test_stats_years_span_the_whole_corpus(corpus_dir):
    """The first and last years, however many years there are (they came from a top-10 list:
    14 articles dated 2008-2021 gave 2012 as the first)."""
    for year in range(2008, 2022):
        write(corpus_dir, f"{year}.md", f"---\ntitle: Story of {year}\ndate: {year}-05-01\n---\nIt happened in {year}.\n")
    run("index", str(corpus_dir))
    stats = json.loads(run("stats", "--corpus", str(corpus_dir), "--json")[1])
    assert stats["years"] == {"first": "2008", "last": "2021"} and stats["undated"] == 0


def test_home_option_overrides_environment(tmp_path):
    home = tmp_path / "elsewhere"
    code, _, _ = run("index", "--home", str(home))
    assert code == 0 and any((home / "indexes").iterdir())


def test_escape_sequences_do_not_reach_human_output(corpus_dir):
    write(corpus_dir, "evil.txt", "Evil \x1b]0;owned\x07title\n\nBody \x1b[2J with \x1b]52;c;Zm9v\x07 clipboard.")
    code, out, _ = run("search", "clipboard", "--corpus", str(corpus_dir))
    assert code == 0 and "\x1b" not in out and "Evil title" in out
    code, out, _ = run("search", "clipboard", "--corpus", str(corpus_dir), "--json")
    assert "\x1b" not in out and "\\u001b" not in out


@pytest.mark.skipif(shutil.which("dossier") is None, reason="the dossier command is not installed")
def test_installed_command_exit_codes(tmp_path):
    env = {**os.environ, "DOSSIER_HOME": str(tmp_path)}
    ok = subprocess.run(["dossier", "search", "iran", "--json"], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["total"] == 5
    bad = subprocess.run(["dossier", "search", 'x"'], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("dossier: bad query:")


@pytest.mark.skipif(shutil.which("dossier") is None or not os.path.exists("/dev/full"), reason="needs the dossier command and /dev/full")
@pytest.mark.parametrize("args", [["search", "iran"], ["show", "2be4245e5b91c6b1"], ["export"], ["stats", "--json"]])
def test_output_to_a_full_disk_is_one_line(tmp_path, args):
    """`> /dev/full` gave a traceback from export, search and show."""
    env = {**os.environ, "DOSSIER_HOME": str(tmp_path)}
    subprocess.run(["dossier", "index"], env=env, capture_output=True, check=True)
    with open("/dev/full", "w") as full:
        result = subprocess.run(["dossier", *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr == "dossier: cannot write the output (No space left on device)\n"


@pytest.mark.skipif(shutil.which("dossier") is None, reason="the dossier command is not installed")
def test_a_bug_is_reported_as_a_bug_not_a_bad_query(tmp_path):
    """An internal error exits 1 and says where its traceback went; exit 2 is for queries the
    user can fix."""
    env = {**os.environ, "DOSSIER_HOME": str(tmp_path), "PYTHONPATH": str(tmp_path / "inject")}
    (tmp_path / "inject").mkdir()
    # A sitecustomize that breaks the ranker, as a bug would.
    (tmp_path / "inject" / "sitecustomize.py").write_text(
        "import index.fastrank as f\n"
        "def broken(*a, **k):\n    raise IndexError('array index out of range')\n"
        "f.Ranker._term = broken\n")
    result = subprocess.run(["dossier", "search", "iran"], capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("dossier: internal error while running the query (IndexError: array index out of range)")
    assert "This is a bug in dossier" in result.stderr and "bad query" not in result.stderr
    log = tmp_path / "errors.log"
    assert log.exists() and "Traceback" in log.read_text() and "broken" in log.read_text()
    assert str(log) in result.stderr
