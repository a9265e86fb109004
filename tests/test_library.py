"""The user's library from the command line and in queries: read state, stars, tags, notes,
saved searches and export; all of it survives a rebuilt index."""

from __future__ import annotations

import csv
import io
import json

import pytest

from index.corpus import Corpus
from index.ingest import ingest
from index.library import Library, LibraryError
from index.query import QueryError
from index.search import Engine

from .conftest import SEEDS
from .test_cli import run

SOLEIMANI = "Iran Missiles Strike U.S. Targets in Iraq"
KIRBY = "Iran initiates missile launch against ISIS"


def ids_by_title() -> dict[str, str]:
    code, out, _ = run("search", "*", "--json", "--limit", "50")
    assert code == 0
    return {hit["title"]: hit["id"] for hit in json.loads(out)["hits"]}


def found(query: str) -> list[str]:
    code, out, err = run("search", query, "--json", "--limit", "50")
    assert code == 0, err
    return sorted(hit["title"] for hit in json.loads(out)["hits"])


def test_star_read_tag_from_the_cli_and_search_on_them():
    ids = ids_by_title()
    code, out, _ = run("star", ids[SOLEIMANI][:6], "--json")  # a unique prefix will do
    assert code == 0
    assert json.loads(out) == [{"id": ids[SOLEIMANI], "read": False, "starred": True, "tags": [], "note": ""}]
    assert run("read", ids[SOLEIMANI], ids[KIRBY])[0] == 0
    code, out, _ = run("tag", ids[KIRBY], "+FollowUp", "+iran", "-nothing", "--json")
    assert code == 0 and json.loads(out)[0]["tags"] == ["followup", "iran"]
    code, out, _ = run("tag", ids[KIRBY], "-iran", "--json")
    assert json.loads(out)[0]["tags"] == ["followup"]

    assert found("is:starred") == [SOLEIMANI]
    assert found("is:read") == sorted([SOLEIMANI, KIRBY])
    assert len(found("is:unread")) == 3 and SOLEIMANI not in found("is:unread")
    assert found("tag:followup") == [KIRBY]
    assert found("tag:FOLLOWUP") == [KIRBY]  # tags ignore case
    assert found("missile is:starred") == [SOLEIMANI]  # combined with any query
    assert found("is:starred OR tag:followup") == sorted([SOLEIMANI, KIRBY])
    assert SOLEIMANI not in found("iran NOT is:starred")
    assert found("soleimani tag:followup") == []

    assert run("unstar", ids[SOLEIMANI])[0] == 0
    assert run("unread", ids[KIRBY])[0] == 0
    assert found("is:starred") == []
    assert found("is:read") == [SOLEIMANI]


def test_human_output_of_a_state_change():
    ids = ids_by_title()
    code, out, _ = run("star", ids[KIRBY])
    assert code == 0
    assert "★" in out and KIRBY in out and ids[KIRBY][:10] in out


def test_state_commands_explain_bad_ids_and_bad_tags():
    code, _, err = run("star", "zzzzzzzz")
    assert code == 1 and "no article with id 'zzzzzzzz'" in err
    ids = ids_by_title()
    code, _, err = run("tag", ids[KIRBY], '+"quoted"')
    assert code == 1 and "cannot be a tag" in err


def test_bad_state_queries_say_what_is_wrong():
    for query, message in [("is:bogus", "is:unread"), ("has:wings", "has:note"), ("tag:foo*", "whole word")]:
        code, _, err = run("search", query)
        assert code == 2 and message in err, (query, err)


def test_has_note_and_state_only_queries_list_newest_first(home):
    corpus = Corpus.open(SEEDS)
    ingest(corpus)
    with Engine(corpus) as engine:
        every = [hit.id for hit in engine.search("*", limit=None).hits]  # newest first
        engine.library.set_note(every[3], "check the casualty figures\n")
        engine.library.set_note(every[1], "ask the bureau")
        engine.library.set_note(every[2], "   ")  # a blank note is no note
        assert [h.id for h in engine.search("has:note", limit=None).hits] == [every[1], every[3]]
        assert engine.library.state(every[3]).note == "check the casualty figures\n"
        assert engine.result_list("has:note").sort == "date"


def test_state_survives_a_rebuilt_index(home):
    corpus = Corpus.open(SEEDS)
    ingest(corpus)
    with Engine(corpus) as engine:
        target = engine.search("kirby").hits[0].id
        engine.library.set_starred([target])
        engine.library.change_tags(target, ["followup"])
        engine.library.set_note(target, "a note")
        engine.library.set_read([target])
    corpus.rebuild("test")  # the index is a cache: thrown away and built again
    ingest(corpus)
    with Engine(corpus) as engine:
        assert [h.id for h in engine.search("is:starred tag:followup has:note is:read").hits] == [target]
        state = engine.library.state(target)
        assert (state.starred, state.read, state.tags, state.note) == (True, True, ["followup"], "a note\n")


def test_state_is_per_corpus(home, seeds_copy):
    for folder in (SEEDS, seeds_copy):
        ingest(Corpus.open(folder))
    with Engine(Corpus.open(SEEDS)) as engine:
        engine.library.set_starred([engine.search("kirby").hits[0].id])
        assert engine.search("is:starred").total == 1
    with Engine(Corpus.open(seeds_copy)) as engine:  # same files, another folder
        assert engine.search("is:starred").total == 0


def test_saved_searches_with_unread_counts():
    ids = ids_by_title()
    code, out, _ = run("saved", "add", "iran war", "iran", "missile", "--json")
    assert code == 0 and json.loads(out) == {"name": "iran war", "query": "iran missile", "articles": 5}
    assert run("read", ids[SOLEIMANI])[0] == 0
    code, out, _ = run("saved", "list", "--json")
    assert json.loads(out) == [{"name": "iran war", "query": "iran missile", "articles": 5, "unread": 4}]
    code, out, _ = run("saved")
    assert "iran war" in out and "4" in out
    code, _, err = run("saved", "add", "broken", "date:2019-13")
    assert code == 2 and "bad query" in err
    assert run("saved", "rm", "iran war")[0] == 0
    code, out, _ = run("saved", "list", "--json")
    assert json.loads(out) == []
    code, _, err = run("saved", "rm", "iran war")
    assert code == 1 and "no saved search named 'iran war'" in err


def test_export_in_three_formats(tmp_path):
    ids = ids_by_title()
    run("tag", ids[KIRBY], "+followup")
    run("star", ids[KIRBY])
    Library_note = Library(Corpus.open(SEEDS).home, SEEDS)
    Library_note.set_note(ids[KIRBY], 'He said "no comment", twice.\nCall back Monday.')

    code, out, _ = run("export", "missile", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    kirby = next(r for r in rows if r["id"] == ids[KIRBY])
    assert kirby["title"] == KIRBY and kirby["tags"] == "followup" and kirby["starred"] == "yes"
    assert kirby["note"] == 'He said "no comment", twice.\nCall back Monday.\n'  # quotes and newlines survive
    assert "Diyala" in kirby["text"] and kirby["date"] == "2014-12-11"

    target = tmp_path / "out.json"
    code, _, _ = run("export", "tag:followup", "-o", str(target))  # format from the file name
    assert code == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["query"] == "tag:followup" and data["count"] == 1
    article = data["articles"][0]
    assert article["title"] == KIRBY and article["tags"] == ["followup"] and article["starred"] is True
    assert article["note"].startswith("He said")

    code, out, _ = run("export", "kirby", "--format", "md")
    assert code == 0
    assert out.startswith("# dossier export: `kirby`")
    assert f"## {KIRBY}" in out and "**tags**: followup" in out and "> Call back Monday." in out


def test_export_never_writes_escape_sequences(corpus_dir):
    (corpus_dir / "evil.txt").write_text("Evil \x1b]0;pwned\x07title\n\nBody \x1b[2J with \x9b31m escapes.", encoding="utf-8")
    for fmt in ("md", "json", "csv"):
        code, out, _ = run("export", "--corpus", str(corpus_dir), "--format", fmt)
        assert code == 0 and "body" in out.lower()
        assert not any(ch in out for ch in "\x1b\x07\x9b"), fmt


def test_export_to_an_unwritable_place_says_so(tmp_path):
    code, _, err = run("export", "missile", "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 1 and "cannot write" in err


def test_a_damaged_library_is_reported_and_left_alone(home):
    path = home / "library.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    code, _, err = run("star", "3d3aa61e")
    assert code == 1 and "library" in err and "Traceback" not in err
    assert path.read_bytes() == b"this is not a database" * 100  # nothing was thrown away
    with pytest.raises(QueryError, match="library"):
        with Engine(Corpus.open(SEEDS)) as engine:
            engine.search("is:starred")


def test_a_read_only_library_folder_gives_a_clear_message(home, tmp_path):
    if __import__("os").geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(LibraryError, match="cannot"):
        Library(locked / "sub")


def test_search_history_is_kept_in_order_without_repeats(home):
    library = Library(home)
    for query in ["iran", "kirby", "iran", "  ", "psaki"]:
        library.remember(query)
    assert library.history() == ["kirby", "iran", "psaki"]
    assert Library(home).history() == ["kirby", "iran", "psaki"]  # persisted


def test_state_queries_follow_new_state_and_reindexed_files(home, seeds_copy):
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    with Engine(corpus) as engine:
        first, second = [h.id for h in engine.search("*", limit=2).hits]
        engine.library.set_starred([first])
        assert [h.id for h in engine.search("is:starred").hits] == [first]
        engine.library.set_starred([second])  # the next query sees it
        assert {h.id for h in engine.search("is:starred").hits} == {first, second}
        # The file is edited and indexed again: a new document, the old one deleted.
        path = seeds_copy / engine.article(first).path
        path.write_text(path.read_text(encoding="utf-8") + "\nA late update: zanzibarian.\n", encoding="utf-8")
        ingest(corpus)
        assert engine.refresh()
        assert {h.id for h in engine.search("is:starred").hits} == {first, second}
        assert [h.id for h in engine.search("zanzibarian is:starred").hits] == [first]
        assert engine.search("is:unstarred").total == 3
