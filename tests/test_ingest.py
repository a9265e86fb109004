"""Walking folders and incremental indexing."""

import json
import os

import pytest

from index.corpus import Corpus, IndexBusy
from index.ingest import ingest
from index.search import Engine
from index.walk import walk

from .conftest import write


def test_walk_skips_hidden_reports_unsupported_and_survives_symlink_loops(corpus_dir):
    write(corpus_dir, "a.txt", "A\n\nbody")
    write(corpus_dir, "deep/er/b.md", "B\n\nbody")
    write(corpus_dir, ".hidden/c.txt", "C\n\nbody")
    write(corpus_dir, "photo.jpg", b"\xff\xd8\xff")
    os.symlink(corpus_dir, corpus_dir / "deep" / "loop")
    os.symlink(corpus_dir / "missing.txt", corpus_dir / "dangling.txt")
    found, skipped = walk(corpus_dir)
    assert [f.relpath for f in found] == ["a.txt", "deep/er/b.md"]
    reasons = {s.relpath: s.reason for s in skipped}
    assert reasons["photo.jpg"] == "unsupported file type .jpg"
    assert reasons["dangling.txt"] == "broken symlink"
    assert reasons["deep/loop"] == "folder already visited (symlink loop)"


def test_symlinked_folder_is_followed(corpus_dir, tmp_path):
    outside = tmp_path / "outside"
    write(outside, "x.txt", "X\n\nbody")
    os.symlink(outside, corpus_dir / "linked")
    found, _ = walk(corpus_dir)
    assert [f.relpath for f in found] == ["linked/x.txt"]


def counts(report):
    return (report.files_indexed, report.unchanged, report.removed, len(report.skipped), report.total_articles)


def test_incremental_add_change_delete(seeds_copy):
    corpus = Corpus.open(seeds_copy)
    assert counts(ingest(corpus)) == (5, 0, 0, 0, 5)
    assert counts(ingest(corpus)) == (0, 5, 0, 0, 5)

    write(seeds_copy, "new.txt", "Brand new story\n\nAbout zanzibar.")
    assert counts(ingest(corpus)) == (1, 5, 0, 0, 6)

    changed = seeds_copy / "new.txt"
    changed.write_text("Brand new story\n\nNow about kathmandu instead.")
    os.utime(changed, ns=(1, 1_000_000_000))  # a different mtime even on coarse clocks
    assert counts(ingest(corpus)) == (1, 5, 0, 0, 6)

    next(seeds_copy.glob("000_*.txt")).unlink()
    assert counts(ingest(corpus)) == (0, 5, 1, 0, 5)

    with Engine(corpus) as engine:
        assert engine.search("zanzibar").total == 0
        assert engine.search("kathmandu").total == 1
        assert engine.search("thirteen").total == 0  # only seed 000 said "thirteen"
        assert engine.doc_count == 5


def test_multi_article_file_shrinks(corpus_dir):
    path = write(corpus_dir, "feed.jsonl", "\n".join(json.dumps({"title": f"T{i}", "text": f"word{i}"}) for i in range(3)))
    corpus = Corpus.open(corpus_dir)
    assert ingest(corpus).total_articles == 3
    path.write_text(json.dumps({"title": "T0", "text": "word0"}))
    os.utime(path, ns=(1, 2_000_000_000))
    assert ingest(corpus).total_articles == 1


def test_broken_files_are_named_and_the_rest_indexed(corpus_dir):
    write(corpus_dir, "good.txt", "Good\n\nbody")
    write(corpus_dir, "empty.txt", "")
    write(corpus_dir, "bad.json", "{")
    report = ingest(Corpus.open(corpus_dir))
    assert report.total_articles == 1
    assert {s.relpath: s.reason for s in report.skipped} == {
        "empty.txt": "empty file",
        "bad.json": "invalid JSON (line 1, column 2: Expecting property name enclosed in double quotes)",
    }


def test_second_writer_gets_a_clear_message(seeds_copy, monkeypatch):
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    write(seeds_copy, "another.txt", "Another\n\nbody")
    monkeypatch.setattr("index.ingest.LOCK_TIMEOUT", 0.2)
    ix, _ = corpus.open_index()
    holder = ix.writer()
    try:
        with pytest.raises(IndexBusy, match="another dossier process is indexing this corpus"):
            ingest(corpus)
    finally:
        holder.cancel()


def test_damaged_index_is_rebuilt_from_the_files(seeds_copy):
    corpus = Corpus.open(seeds_copy)
    ingest(corpus)
    for segment in corpus.index_path.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])
    report = ingest(corpus)
    assert report.note and report.note.startswith("rebuilt")
    assert report.total_articles == 5


def test_each_corpus_has_its_own_index_under_dossier_home(seeds_copy, corpus_dir, home):
    write(corpus_dir, "a.txt", "A\n\nbody")
    first, second = Corpus.open(seeds_copy), Corpus.open(corpus_dir)
    ingest(first), ingest(second)
    assert first.index_path != second.index_path
    assert first.index_path.parent == home / "indexes" == second.index_path.parent


def test_a_file_name_that_is_not_utf8_is_indexed_with_its_bytes_escaped(corpus_dir):
    """`x\\xff.txt` raised UnicodeEncodeError on every run (SQLite and Whoosh refuse the lone
    surrogate Python reads such a byte as), and nothing after it was ever indexed."""
    name = os.fsencode(corpus_dir) + b"/x\xff\xfe.txt"
    try:
        with open(name, "wb") as fh:
            fh.write(b"Strange name\n\nBody about Kunduz.\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    write(corpus_dir, "z-after.txt", "After\n\nBody about Herat.")
    corpus = Corpus.open(corpus_dir)
    report = ingest(corpus)
    assert report.files_indexed == 2 and not report.skipped
    with Engine(corpus) as engine:
        hit = engine.search("kunduz").hits[0]
        assert hit.path == "x\\xff\\xfe.txt" and engine.search("herat").total == 1
    again = ingest(corpus)  # the next run knows the file: unchanged, not read again
    assert again.unchanged == 2 and again.files_indexed == 0
    os.remove(name)
    assert ingest(corpus).removed == 1
