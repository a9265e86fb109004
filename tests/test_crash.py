"""Killing dossier never loses what was committed, never makes it rebuild, never leaves
processes behind: SIGKILL at named moments of indexing (after a committed batch, in the
middle of a commit, during a segment merge) and of a library write, the reader killed while
it indexes, and the indexer killed on its own while its workers run. Every test runs with
both cores busy (tests/terminal.py's Load), as on the machines where a random-time kill test
kept failing.

The moments are index/crashpoints.py's: DOSSIER_CRASH_AT=NAME:N makes the process kill
itself the Nth time it reaches NAME, so each kill lands where it is meant to, however busy
the machine is."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from whoosh.writing import SegmentWriter

from index.corpus import Corpus
from index.ingest import ingest
from index.library import Library
from index.search import Engine
from index.walk import walk

from .conftest import write
from .terminal import Load, Terminal, available

FILES = 60  # more than IN_PROCESS_FILES: recognition runs in worker processes
DEADLINE = 60.0


@pytest.fixture(autouse=True, scope="module")
def busy():
    with Load():
        yield


def story(i: int, version: int) -> str:
    return (f"Story number {i} from Tehran\n\nReporters in Baghdad said marker{i:04d}x "
            f"was seen in version v{version}x of the story. ") * 3


def make_folder(corpus_dir, version: int = 0, files: int = FILES) -> None:
    for i in range(files):
        write(corpus_dir, f"part{i % 7}/story-{i:04d}.txt", story(i, version))


def rewrite(corpus_dir, numbers, version: int) -> None:
    for i in numbers:
        path = corpus_dir / f"part{i % 7}/story-{i:04d}.txt"
        path.write_text(story(i, version))
        os.utime(path, ns=(version * 10**9, version * 10**9 + i))


def run_indexer(corpus_dir, home, crash_at: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DOSSIER_HOME": str(home)}
    env.pop("DOSSIER_CRASH_AT", None)
    if crash_at:
        env["DOSSIER_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "tui.cli", "index", str(corpus_dir), "--json"], env=env,
                          capture_output=True, text=True, timeout=600)


def indexed(corpus) -> dict[str, int]:
    """file -> version of every article, after checking that the index opens as it is (no
    rebuild), searches, and holds each file once."""
    with Engine(corpus) as engine:
        assert engine.note is None, f"the index was rebuilt: {engine.note}"
        stored = [fields for _, fields in engine.view.searcher.reader().iter_docs()]
        files = [fields["file"] for fields in stored]
        assert len(files) == len(set(files)), "an article is in the index twice"
        assert engine.search("tehran", limit=1).total == len(files)
        return {fields["file"]: int(fields["body"].split(" version v")[1].split("x")[0]) for fields in stored}


def finish(corpus, versions: dict[int, int]) -> None:
    """The next run completes without a rebuild and holds every file's latest text, and
    the stories know exactly the texts the index holds."""
    report = ingest(corpus)
    assert report.note is None and not report.skipped
    assert indexed(corpus) == {f"part{i % 7}/story-{i:04d}.txt": v for i, v in versions.items()}
    store = sqlite3.connect(corpus.index_path / "stories.sqlite")
    try:
        members = {fp for (fp,) in store.execute("SELECT fp FROM member")}
    finally:
        store.close()
    with Engine(corpus) as engine:
        reader = engine.view.searcher.reader()
        prints = reader.column_reader("fingerprint")
        texts = {prints[d] for d in reader.all_doc_ids()}
    assert members == texts, "the stories hold texts the index does not, or miss some it does"


def killed(result: subprocess.CompletedProcess, point: str) -> None:
    assert result.returncode == -signal.SIGKILL, (
        f"the indexer never reached {point} (exit {result.returncode}): the kill tested nothing\n{result.stderr[-2000:]}")


@pytest.mark.parametrize("point", ["batch-committed:1", "batch-committed:2", "commit-before-toc:1",
                                   "commit-before-toc:2", "commit-before-clean:1", "commit-before-clean:2"])
def test_a_kill_while_building_keeps_every_committed_batch(point, corpus_dir, home):
    make_folder(corpus_dir)
    corpus = Corpus.open(corpus_dir)
    killed(run_indexer(corpus_dir, home, point), point)
    order = [f.relpath for f in walk(corpus_dir)[0]]
    if not corpus.has_index():
        assert point == "commit-before-toc:1"  # the very first commit never finished
    else:
        files = indexed(corpus)
        committed = order[:len(files)]  # batches go in the folder's order: a prefix of it
        assert sorted(files) == sorted(committed), "the index holds files of a batch that was never committed"
        if point.startswith("batch-committed") or point.startswith("commit-before-clean"):
            assert files, "a committed batch is missing"
    finish(corpus, {i: 0 for i in range(FILES)})


@pytest.mark.parametrize("point", ["batch-committed:1", "commit-before-toc:1", "commit-before-toc:2",
                                   "commit-before-clean:1"])
def test_a_kill_while_updating_loses_nothing(point, corpus_dir, home):
    make_folder(corpus_dir)
    corpus = Corpus.open(corpus_dir)
    ingest(corpus)
    versions = {i: 0 for i in range(FILES)}
    changed = list(range(0, FILES, 2))
    rewrite(corpus_dir, changed, 1)
    versions.update({i: 1 for i in changed})
    killed(run_indexer(corpus_dir, home, point), point)
    files = indexed(corpus)
    assert len(files) == FILES, f"{FILES - len(files)} articles lost"
    finish(corpus, versions)


def test_a_kill_during_a_segment_merge_loses_nothing(corpus_dir, home, monkeypatch):
    make_folder(corpus_dir, files=8)
    corpus = Corpus.open(corpus_dir)
    commit = SegmentWriter.commit
    monkeypatch.setattr(SegmentWriter, "commit", lambda self, **kw: commit(self, merge=False))
    for step in range(12):  # twelve small segments, each one commit
        for i in range(8 + 4 * step, 12 + 4 * step):
            write(corpus_dir, f"part{i % 7}/story-{i:04d}.txt", story(i, 0))
        ingest(corpus, entities=False)
    versions = {i: 0 for i in range(56)}
    monkeypatch.setattr(SegmentWriter, "commit", commit)
    with Engine(corpus) as engine:
        assert len(engine.view.searcher.reader().leaf_readers()) >= 10
    rewrite(corpus_dir, range(0, 56, 5), 1)
    versions.update({i: 1 for i in range(0, 56, 5)})
    killed(run_indexer(corpus_dir, home, "merge-segment:3"), "merge-segment:3")
    assert len(indexed(corpus)) == 56
    finish(corpus, versions)


def test_a_kill_during_a_library_write_keeps_the_library(corpus_dir, home):
    make_folder(corpus_dir, files=30)
    corpus = Corpus.open(corpus_dir)
    ingest(corpus, entities=False)
    with Engine(corpus) as engine:
        ids = [fields["id"] for _, fields in engine.view.searcher.reader().iter_docs()]
    library = Library(home, corpus_dir)
    library.set_starred(ids[:3], True)
    library.change_tags(ids[0], ["kept"])
    library.close()
    env = {**os.environ, "DOSSIER_HOME": str(home), "DOSSIER_CRASH_AT": "library-write:1"}
    result = subprocess.run([sys.executable, "-m", "tui.cli", "read", *ids, "--corpus", str(corpus_dir)],
                            env=env, capture_output=True, text=True, timeout=300)
    killed(result, "library-write:1")
    db = sqlite3.connect(home / "library.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    library = Library(home, corpus_dir)
    assert sorted(library.ids_starred()) == sorted(ids[:3]) and library.state(ids[0]).tags == ["kept"]
    assert not library.ids_read()  # the half-written change is not there: all or nothing
    library.set_read(ids, True)  # and the library takes the next change
    assert len(library.ids_read()) == len(ids)


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, theirs, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def _wait_gone(pids: set[int], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pids), f"{what}: {len(_alive(pids))} processes still running"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_indexers_workers_end_when_it_is_killed_alone(corpus_dir, home):
    """SIGKILL to the indexer only, not its process group: its recognition workers (about
    150 MB each) lived on for minutes."""
    make_folder(corpus_dir, files=120)
    env = {**os.environ, "DOSSIER_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "index", str(corpus_dir)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + DEADLINE
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _descendants(proc.pid)
        if len(workers) >= 2:  # a recognition worker and multiprocessing's helper
            break
        time.sleep(0.05)
    assert workers, "the indexer never started its workers"
    proc.kill()
    proc.wait()
    _wait_gone(workers, "the killed indexer's workers")
    assert Corpus.open(corpus_dir, home).open_index()[1] is None


@pytest.mark.skipif(not available() or not sys.platform.startswith("linux"), reason="needs tmux, the installed dossier, /proc")
def test_the_reader_killed_while_indexing_leaves_no_process_and_no_damage(corpus_dir, home):
    make_folder(corpus_dir, files=400)  # enough to be still indexing when the first rows show
    term = Terminal(home, [str(corpus_dir)], width=100, height=30)
    try:
        term.wait_status(lambda s: "indexing" in s and re.search(r"[1-9][\d,]* articles", s) is not None,
                         "articles listed while the folder is indexed")
        pid = int(subprocess.run(["tmux", "display-message", "-p", "-t", term.target, "#{pane_pid}"],
                                 capture_output=True, text=True).stdout)
        below = _descendants(pid)
        assert below, "the reader had no indexing process"
        os.kill(pid, signal.SIGKILL)
        _wait_gone(below | {pid}, "the killed reader's indexer and its workers")
    finally:
        term.close()
    corpus = Corpus.open(corpus_dir, home)
    files = indexed(corpus)
    assert 0 < len(files) <= 400
    finish(corpus, {i: 0 for i in range(400)})


def test_module_entry_point():
    # The crash tests run the indexer as `python -m tui.cli`; keep that entry point working.
    out = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "dossier" in out.stdout


def test_an_indexer_that_dies_without_a_word_is_reported(monkeypatch, tmp_path):
    """A crash exits with status 1, as a reported error does: without a "done" or "error"
    event the reader must still hear that indexing stopped."""
    from tui.background import run

    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nprint('Traceback (most recent call last):', file=sys.stderr)\n"
                     "print('IndexError: array index out of range', file=sys.stderr)\nsys.exit(1)\n")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python-that-crashes"))
    (tmp_path / "python-that-crashes").write_text(f"#!/bin/sh\nexec {sys.__dict__.get('_base_executable', '/usr/bin/python3')} {crash}\n")
    (tmp_path / "python-that-crashes").chmod(0o755)
    events = list(run(str(tmp_path), str(tmp_path / "home")))
    assert events == [{"event": "error", "message": "indexing stopped: IndexError: array index out of range"}]
