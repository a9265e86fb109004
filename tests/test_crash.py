"""Killing the indexer (SIGKILL, at random points, 20 times) never breaks the index: it opens
and searches every time, a re-run completes, and no article is lost or counted twice."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

from index.corpus import Corpus
from index.ingest import ingest
from index.search import Engine

from .conftest import write

FILES = 160
RUNS = 20
FROM_EMPTY = 5  # the first runs are killed while building a new index


def story(i: int, version: int) -> str:
    return (f"Story number {i} from Tehran\n\nReporters in Baghdad said marker{i:04d}x "
            f"was seen in version v{version}x of the story. ") * 3


def articles(corpus) -> list[str]:
    with Engine(corpus) as engine:  # opening and searching must work after every kill
        ids = [fields["id"] for _, fields in engine._searcher.reader().iter_docs()]
        assert engine.search("tehran", limit=1).total == len(ids)
        return ids


def test_sigkill_during_indexing_never_breaks_the_index(corpus_dir, home):
    for i in range(FILES):
        write(corpus_dir, f"part{i % 7}/story-{i:04d}.txt", story(i, 0))
    corpus = Corpus.open(corpus_dir)
    rng = random.Random(2026)
    env = {**os.environ, "DOSSIER_HOME": str(home)}
    version = {i: 0 for i in range(FILES)}
    partial_builds = []
    interrupted_updates = 0
    for run in range(RUNS):
        if run < FROM_EMPTY:
            shutil.rmtree(corpus.index_path, ignore_errors=True)
        else:
            for i in rng.sample(range(FILES), 60):  # work for this run: rewrite 60 stories
                version[i] = run
                path = corpus_dir / f"part{i % 7}/story-{i:04d}.txt"
                path.write_text(story(i, run))
                os.utime(path, ns=(run * 10**9, run * 10**9 + i))
        proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "index", str(corpus_dir), "--json"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.5, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)  # the indexer and its recognition workers
        proc.wait()
        if not corpus.has_index():
            continue  # killed before the index was created: nothing to check
        ids = articles(corpus)
        assert len(ids) == len(set(ids)), f"run {run}: an article was indexed twice"
        if run < FROM_EMPTY:
            partial_builds.append(len(ids))
        else:
            assert len(ids) == FILES, f"run {run}: {FILES - len(ids)} articles lost"
            with Engine(corpus) as engine:
                interrupted_updates += engine.search(f"v{run}x", limit=1).total < 60
        if run == FROM_EMPTY - 1:
            ingest(corpus)  # finish the build before the update runs
    assert any(0 < n < FILES for n in partial_builds), partial_builds  # some kills hit mid-build
    assert interrupted_updates >= 5, interrupted_updates  # and many hit mid-update

    report = ingest(corpus)
    assert not report.skipped and len(articles(corpus)) == FILES
    with Engine(corpus) as engine:
        for i in rng.sample(range(FILES), 40):
            hits = engine.search(f"marker{i:04d}x", limit=None).hits
            assert len(hits) == 1
            assert f"v{version[i]}x" in engine.article(hits[0].id).text  # the latest text


def test_module_entry_point():
    # The kill test runs the indexer as `python -m tui.cli`; keep that entry point working.
    out = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "dossier" in out.stdout


def test_an_indexer_that_dies_without_a_word_is_reported(monkeypatch, tmp_path):
    """A crash exits with status 1, as a reported error does: without a "done" or "error"
    event the reader must still hear that indexing stopped."""
    import sys

    from tui.background import run

    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nprint('Traceback (most recent call last):', file=sys.stderr)\n"
                     "print('IndexError: array index out of range', file=sys.stderr)\nsys.exit(1)\n")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python-that-crashes"))
    (tmp_path / "python-that-crashes").write_text(f"#!/bin/sh\nexec {sys.__dict__.get('_base_executable', '/usr/bin/python3')} {crash}\n")
    (tmp_path / "python-that-crashes").chmod(0o755)
    events = list(run(str(tmp_path), str(tmp_path / "home")))
    assert events == [{"event": "error", "message": "indexing stopped: IndexError: array index out of range"}]
