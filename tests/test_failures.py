"""Damaged indexes, unwritable and full data folders, read-only corpora: a clear message,
never a traceback, and the index is rebuilt from the files when it cannot be trusted."""

from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from index.article import article_id
from index.corpus import Corpus, CorpusError
from index.ingest import ingest
from index.search import Engine
from tui.cli import main

from .conftest import write


@pytest.fixture
def indexed(seeds_copy):
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    return corpus


@pytest.mark.parametrize("damage", ["truncate a segment", "delete a segment", "delete the TOC", "garble the TOC", "garble corpus.json"])
def test_damaged_index_is_detected_and_rebuilt_from_the_files(indexed, damage):
    path = indexed.index_path
    segments = sorted(p for p in path.iterdir() if p.suffix in (".seg", ".trm", ".pst", ".vps", ".fdt", ".sto"))
    toc = next(path.glob("_articles_*.toc"))
    if damage == "truncate a segment":
        for p in segments:
            p.write_bytes(p.read_bytes()[: max(len(p.read_bytes()) // 3, 1)])
    elif damage == "delete a segment":
        for p in segments:
            p.unlink()
    elif damage == "delete the TOC":
        toc.unlink()
    elif damage == "garble the TOC":
        toc.write_bytes(b"\x00garbage" * 10)
    else:
        (path / "corpus.json").write_text("{not json")
    report = ingest(indexed)
    assert report.note and report.note.startswith("rebuilt"), report.note
    assert report.total_articles == 5
    with Engine(indexed) as engine:
        assert engine.search("soleimani").total == 1


def test_the_reader_rebuilds_a_damaged_index_on_open(indexed):
    (indexed.index_path / "corpus.json").write_text("{not json")
    with Engine(indexed) as engine:
        assert engine.note.startswith("rebuilt")


def test_read_only_corpus_folder_works(seeds_copy):
    for p in [seeds_copy, *seeds_copy.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        result = CliRunner().invoke(main, ["search", "soleimani", "--corpus", str(seeds_copy), "--json"])
        assert result.exit_code == 0 and '"total": 1' in result.stdout
    finally:
        for p in [seeds_copy, *seeds_copy.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def test_unwritable_data_folder_gives_a_clear_message(tmp_path, seeds_copy):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    result = CliRunner().invoke(main, ["index", str(seeds_copy), "--home", str(a_file / "home")])
    assert result.exit_code == 1
    assert result.stderr.startswith("dossier: cannot write the index in ") and "\n" == result.stderr[-1]
    assert result.stderr.count("\n") == 1


def test_full_disk_mid_run_keeps_what_was_committed(corpus_dir, monkeypatch):
    for i in range(80):
        write(corpus_dir, f"s{i:03d}.txt", f"Story {i}\n\nText zanzibar{i} here.")
    corpus = Corpus.open(corpus_dir)
    monkeypatch.setattr("index.ingest.FIRST_BATCH_ARTICLES", 20)
    monkeypatch.setattr("index.ingest.BATCH_ARTICLES", 20)
    from whoosh.writing import SegmentWriter

    real_commit = SegmentWriter.commit
    commits = {"n": 0}

    def commit(self, *args, **kwargs):
        commits["n"] += 1
        if commits["n"] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(SegmentWriter, "commit", commit)
    with pytest.raises(CorpusError, match="No space left on device.*earlier batches are kept"):
        ingest(corpus, entities=False)
    monkeypatch.setattr(SegmentWriter, "commit", real_commit)
    with Engine(corpus) as engine:  # the batches committed before the disk filled are kept
        kept = engine.doc_count
        assert 20 <= kept < 80
        assert engine.search("zanzibar0").total == 1
    assert ingest(corpus, entities=False).total_articles == 80  # and the next run finishes


def test_full_disk_via_cli_is_one_line(corpus_dir, monkeypatch):
    write(corpus_dir, "a.txt", "A\n\nbody")
    from whoosh.writing import SegmentWriter

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(SegmentWriter, "commit", full)
    result = CliRunner().invoke(main, ["index", str(corpus_dir)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "No space left on device" in result.stderr


@pytest.mark.parametrize("command", [["search", "soleimani", "--json"], ["stats", "--json"], ["export", "soleimani", "--format", "json"],
                                     ["show", "2be4245e5b91c6b1", "--json"]])
def test_every_command_says_the_index_was_damaged_and_answers_from_the_rebuilt_one(indexed, command):
    """They emptied the damaged index and answered "no match", exit 0, without a word."""
    toc = next(indexed.index_path.glob("_articles_*.toc"))
    toc.write_bytes(toc.read_bytes()[:40] + b"\x00" * 50 + toc.read_bytes()[90:])  # 50 bytes of the TOC changed
    if command[0] == "show":  # the Rolling Stone article: ids come from the file's path
        command = ["show", article_id("004_efa60d6eabd65ad3.txt", 0), "--json"]
    result = CliRunner().invoke(main, [*command, "--corpus", str(indexed.root)])
    assert result.exit_code == 0, result.stderr
    assert "index rebuilt: the index is damaged" in result.stderr and "indexing the files again" in result.stderr
    out = result.stdout
    assert ('"total": 1' in out) if command[0] == "search" else ('"articles": 5' in out) if command[0] == "stats" \
        else ('"count": 1' in out) if command[0] == "export" else ("Soleimani" in out)


def test_a_failure_to_open_while_another_process_commits_is_not_damage(indexed, monkeypatch):
    """Opening failed once (a table of contents replaced under it): opened again, not rebuilt."""
    from whoosh import index as whoosh_index

    real_open = whoosh_index.open_dir
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise FileNotFoundError(2, "No such file or directory", "_articles_7.toc")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(whoosh_index, "open_dir", flaky)
    ix, note = indexed.open_index()
    assert note is None and ix.doc_count() == 5 and calls["n"] == 2
    ix.close()


def test_a_damaged_index_is_not_rebuilt_under_another_writer(indexed):
    ix, _ = indexed.open_index()
    writer = ix.writer()  # another dossier is indexing
    try:
        (indexed.index_path / "corpus.json").write_text("{not json")
        with pytest.raises(CorpusError, match="needs rebuilding .* another dossier process is writing"):
            indexed.open_index()
        assert list(indexed.index_path.glob("_articles_*.toc"))  # nothing was removed
    finally:
        writer.cancel()
        ix.close()


async def test_the_index_folder_deleted_under_the_reader_is_made_again(indexed):
    """It ended the reader with an EmptyIndexError traceback."""
    import shutil

    from .pilot import make_app, settle, wait_for
    from .test_app import status

    async with make_app(indexed).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "5 articles" in status(pilot.app)
        shutil.rmtree(indexed.index_path)
        await wait_for(pilot, lambda: any("was deleted: indexing the folder again" in str(n.message)
                                          for n in pilot.app._notifications), "the reader saying the index was deleted")
        await wait_for(pilot, lambda: "5 articles" in status(pilot.app) and "indexing" not in status(pilot.app),
                       "the folder indexed again")
        assert pilot.app.is_running
