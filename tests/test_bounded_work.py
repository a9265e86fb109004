"""No file and no query makes dossier work without end: query forms that read every word,
a 20 MB article shown in a terminal, kernel files that block when read, a walk that could
reach the whole disk. (The time each query form takes at 21k and 345k articles is in
benchmarks/RESULTS.md; tests check the shape of the work, never a time.)"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from whoosh import query as wq

from index.corpus import Corpus
from index.ingest import Unreadable, ingest, read_regular_file
from index.query import expand_bounded, parse
from index.search import Engine
from index.walk import walk
from tui import output
from tui.cli import main

from .conftest import SEEDS, write


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = Corpus.open(SEEDS, tmp_path_factory.mktemp("bounded-home"))
    ingest(corpus, entities=False)
    with Engine(corpus) as eng:
        yield eng


def planned(engine: Engine, text: str) -> wq.Query:
    return expand_bounded(parse(engine.parser, text), engine.view.searcher.reader())[0]


def leaves(q: wq.Query) -> list[wq.Query]:
    return [q] if q.is_leaf() else list(q.leaves())


@pytest.mark.parametrize("text", ["oil *", "profit * billion", "mln * stoc*a* person:iran", "(oil OR *) AND gold",
                                  "* OR oil", "NOT *", "oil AND NOT *"])
def test_a_bare_star_beside_other_words_never_reaches_whoosh(engine, text):
    """Whoosh matched `*` by reading the postings of every word of every field: `oil *` took
    11.5 s at 21k articles. It is folded into the query: beside words it adds nothing, in an
    OR it is everything, negated it is nothing."""
    q = planned(engine, text)
    assert not any(isinstance(leaf, wq.Every) and leaf.fieldname for leaf in leaves(q)), q


def test_star_folded_finds_what_the_words_alone_find(engine):
    every = engine.search("*", limit=100).total
    assert every == engine.doc_count
    assert engine.search("iran *", limit=100).total == engine.search("iran", limit=100).total > 0
    assert engine.search("* OR kermanshah", limit=100).total == every
    assert engine.search("NOT *", limit=100).total == 0
    assert engine.search("person:*", limit=100).total <= every  # articles naming anyone: kept as asked


@pytest.mark.parametrize("text,cut", [("[a to z]", True), ("{a to}", True), ("{ to m}", True),
                                      ("title:[a to z] iran", False)])  # titles hold few words
def test_a_range_of_words_is_expanded_like_a_pattern_within_a_budget(engine, text, cut):
    """`[a to z]` read every word's postings (18.9 s at 21k); now its words are chosen like a
    wildcard's, the most useful first, and the user is told when some were left out."""
    q = planned(engine, text)
    assert not any(isinstance(leaf, wq.TermRange) for leaf in leaves(q)), q
    results = engine.search(text, limit=5)
    assert results.total > 0
    assert any("words; searched" in note for note in results.notes) == cut


def test_a_word_range_finds_the_words_inside_it(engine):
    assert engine.search("[kermanshah to kermanshah]", limit=10).total == engine.search("kermanshah", limit=10).total
    assert engine.search("{kermanshah to kermanshaz}", limit=10).total == 0  # both ends left out


def test_a_huge_article_reaches_rich_in_pieces(monkeypatch):
    """Rich wraps one Text in time that grows faster than its length: `dossier show` of a
    20 MB article was still printing after 12 minutes. The body is handed over in pieces."""
    from index.article import Article

    text = "Kunduz " * 300_000 + "\n\n" + "x" * 70_000  # one long line, then a line with no space
    article = Article(id="a", path="big.txt", title="Big", text=text)
    sizes = []
    console = Console(file=io.StringIO(), width=80)
    original = console.print

    def recording(*objects, **kwargs):
        sizes.extend(len(o) for o in objects if hasattr(o, "plain"))
        return original(*objects, **kwargs)

    monkeypatch.setattr(console, "print", recording)
    output.print_article(console, article)
    assert max(sizes) <= output.PIECE_CHARS
    shown = console.file.getvalue()
    assert shown.count("Kunduz") == 300_000 and shown.count("x") >= 70_000


def test_show_prints_every_word_of_a_long_one_line_article(corpus_dir):
    words = [f"w{i}" for i in range(60_000)]
    write(corpus_dir, "long.txt", "Long line\n\n" + " ".join(words))
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(corpus_dir)]).exit_code == 0
    found = runner.invoke(main, ["search", "w59999", "--corpus", str(corpus_dir), "--json"])
    article_id = __import__("json").loads(found.output)["hits"][0]["id"]
    shown = runner.invoke(main, ["show", article_id, "--corpus", str(corpus_dir)])
    assert shown.exit_code == 0
    assert shown.output.split()[-60_000:] == words


def test_links_to_kernel_files_and_to_folders_above_are_not_followed(corpus_dir):
    """A link to /proc/kmsg passed the regular-file check and blocked in read forever, holding
    the index lock; a link to / (or /proc/self/root) walked the whole disk."""
    write(corpus_dir, "ok.txt", "Fine\n\nAn article about Kunduz.\n")
    os.symlink("/proc/kmsg", corpus_dir / "kmsg.txt")
    os.symlink("/proc/self/status", corpus_dir / "status.txt")
    os.symlink("/", corpus_dir / "everything")
    os.symlink(corpus_dir.parent, corpus_dir / "up")
    os.mkfifo(corpus_dir / "pipe.txt")
    found, skipped = walk(corpus_dir)
    reasons = {s.relpath: s.reason for s in skipped}
    assert [f.relpath for f in found] == ["ok.txt"]
    assert "system file" in reasons["kmsg.txt"] and "system file" in reasons["status.txt"]
    assert "not followed" in reasons["everything"] and "not followed" in reasons["up"]
    assert reasons["pipe.txt"] == "not a regular file"


def test_indexing_a_kernel_folder_ends_at_once_with_a_reason(tmp_path):
    """`--corpus /proc/self` walked the whole filesystem through its `root` link. Run in a
    child with a deadline, so that a regression fails instead of hanging the suite."""
    env = dict(os.environ, DOSSIER_HOME=str(tmp_path / "home"))
    out = subprocess.run([sys.executable, "-m", "tui.cli", "index", "/proc/self", "-v"], env=env,
                         capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert "0 files" in out.stdout and "system folder" in out.stdout


def test_a_file_swapped_for_a_fifo_after_the_walk_is_refused_not_waited_on(tmp_path):
    """The walk saw a regular file; by the time it is read it is a FIFO with no writer. Opened
    without waiting and checked after opening, it is refused at once. (In a child process,
    with a deadline: a regression blocks.)"""
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    code = ("import sys; from index.ingest import read_regular_file, Unreadable\n"
            "try: read_regular_file(sys.argv[1])\n"
            "except Unreadable as e: print(e)")
    out = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "not a regular file"


def test_a_kernel_file_that_says_it_is_empty_reads_as_empty():
    """/proc files report size 0 and may stream without end: they are read up to their size."""
    assert read_regular_file("/proc/self/status") == b""
    with pytest.raises(Unreadable):
        read_regular_file("/nonexistent/story.txt")


def test_each_segments_words_are_kept_and_match_the_index(tmp_path, seeds_copy):
    """The first wildcard or fuzzy term read every word of every segment through Whoosh
    (1.5 s at 345k): each segment's words are now kept in a file once read. They must be
    the index's words exactly, and go when their segment is merged away."""
    from index.lexicon import PATTERN_FIELDS, Lexicons

    corpus = Corpus.open(seeds_copy, tmp_path / "home")
    ingest(corpus, entities=False)
    write(seeds_copy, "extra.txt", "Extra\n\nZanzibarian quokkas were seen.\n")
    ingest(corpus, entities=False)  # a second segment
    with corpus.open_index()[0].reader() as reader:
        # Whoosh's public API: every word and how many articles hold it.
        expected = {field: [w.decode() for w in reader.lexicon(field)] for field in PATTERN_FIELDS}
        counts = {field: [reader.doc_frequency(field, w) for w in words] for field, words in expected.items()}
        kept = sorted(p.name for p in corpus.word_cache.glob("*.words"))
        assert len(kept) == len(PATTERN_FIELDS) * len(reader.leaf_readers())
        assert len(list(corpus.word_cache.glob("*.counts"))) == len(kept)
        for lexicons in (Lexicons(reader), Lexicons(reader, corpus.word_cache)):  # read, then kept
            assert {field: lexicons.words(field) for field in PATTERN_FIELDS} == expected
            assert {field: [lexicons.frequency(field, w) for w in words] for field, words in expected.items()} == counts
            assert lexicons.frequency("body", "nosuchwordanywhere") == 0
        # A cache kept by an older version (no counts) or with counts torn short is read again.
        some = sorted(corpus.word_cache.glob("*.body.counts"))
        some[0].unlink()
        some[1].write_bytes(some[1].read_bytes()[:-3])
        assert [Lexicons(reader, corpus.word_cache).frequency("body", w) for w in expected["body"]] == counts["body"]
        assert len(list(corpus.word_cache.glob("*.body.counts"))) == len(some)
    assert "zanzibarian" in expected["body"] and max(counts["body"]) > 1

    ix = corpus.open_index()[0]
    ix.optimize()  # one segment: the old ones' files are left over until words are read again
    with Engine(corpus) as engine:
        assert engine.search("zanzibar*", limit=5).total == 1
        engine.warm()
    with ix.reader() as reader:
        live = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()} if not reader.is_atomic() \
            else {reader.segment().segment_id()}
    assert {p.name.split(".", 1)[0] for p in corpus.word_cache.glob("*.words")} == live


def test_a_word_cache_that_cannot_be_written_is_only_slower(tmp_path, seeds_copy):
    corpus = Corpus.open(seeds_copy, tmp_path / "home")
    ingest(corpus, entities=False)
    for path in corpus.word_cache.glob("*"):
        path.unlink()
    corpus.word_cache.rmdir()
    corpus.word_cache.write_text("not a folder")  # so nothing can be kept there
    with Engine(corpus) as engine:
        assert engine.search("kermansh*", limit=5).total == 1
        assert engine.search("kermanshha~1", limit=5).total == 1
