"""Indexing for the reader, in a process of its own:
`python -m tui.background FOLDER HOME [--no-entities]`.

Prints one JSON object per line: {"event": "progress", "done", "total", "articles", "stage"}
while the text ("text": files done of total) and then the named entities ("entities":
articles done of total) go in (batches are committed as they go, so the reader can
refresh), then {"event": "done", ...report} or {"event": "error", "message"}.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

from index.corpus import Corpus, CorpusError, IndexBusy


BUSY_RETRY = 2.0  # seconds between attempts while another process holds the index


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    from index.lifeline import die_with_parent

    die_with_parent()  # a reader killed outright must not leave its indexer (and workers) running
    from index.ingest import ingest  # the child process only: the reader that spawns it never indexes

    args = argv or sys.argv[1:]
    folder, home = args[:2]
    entities = "--no-entities" not in args[2:]
    last = 0.0

    def progress(done: int, total: int, articles: int, stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.25 or done == total:
            last = now
            _emit({"event": "progress", "done": done, "total": total, "articles": articles, "stage": stage})

    said_busy = False
    while True:
        try:
            report = ingest(Corpus.open(folder, home), progress=progress, entities=entities)
            break
        except IndexBusy as exc:
            # Another dossier is indexing this folder: the reader shows its commits as they
            # land; wait for it to finish, then catch up with whatever it left.
            if not said_busy:
                _emit({"event": "busy", "message": str(exc)})
                said_busy = True
            time.sleep(BUSY_RETRY)
        except CorpusError as exc:
            _emit({"event": "error", "message": str(exc)})
            return 1
    _emit({"event": "done", **report.to_json()})
    return 0


def run(folder: str, home: str, entities: bool = True) -> Iterator[dict]:
    """Start the indexing process and yield its events (for the app's worker thread)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.background", folder, home, *([] if entities else ["--no-entities"])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        finished = False  # a "done" or "error" event arrived
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            finished = finished or event.get("event") in ("done", "error")
            yield event
        proc.wait()
        if not finished:
            # A crash (a traceback exits with 1, like a reported error): say so, never nothing.
            last_line = (proc.stderr.read().strip().splitlines() or ["no message"])[-1]
            yield {"event": "error", "message": f"indexing stopped: {last_line}"}
    finally:
        if proc.poll() is None:
            proc.terminate()


if __name__ == "__main__":
    sys.exit(main())
