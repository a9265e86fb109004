"""Bugs are reported as bugs: an internal error is never blamed on the user's query.

A failure the user can act on has its own exception (QueryError, CorpusError, LibraryError)
with a message that says what to do. Anything else that escapes is a bug in dossier: its
traceback goes to errors.log in dossier's home, and the user is told that, and where.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

ERRORS_LOG = "errors.log"
MAX_LOG_BYTES = 1_000_000  # the log is cut back to its newest half past this


class InternalError(Exception):
    """A bug in dossier. The message names the error and where its traceback was written."""

    def __init__(self, what: str, exc: BaseException, log: Path | None):
        self.log = log
        where = f"; the traceback is in {log}" if log else ""
        what = f" {what}" if what else ""
        super().__init__(f"internal error{what} ({type(exc).__name__}: {str(exc)[:160]}){where}. "
                         "This is a bug in dossier, not a problem with your query or files.")


def record(home: Path, exc: BaseException, context: str) -> Path | None:
    """Append the exception's traceback to errors.log in `home`; its path, or None if it could
    not be written (the report to the user must not fail too)."""
    path = Path(home) / ERRORS_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            kept = path.read_bytes()[-MAX_LOG_BYTES // 2:]
            path.write_bytes(kept)
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with open(path, "a", encoding="utf-8", errors="replace") as log:
            log.write(f"--- {stamp} pid {os.getpid()} {context}\n{text}\n")
        return path
    except OSError:
        return None


def internal_error(home: Path, exc: BaseException, what: str, context: str) -> InternalError:
    """Record `exc` and make the InternalError to raise in its place."""
    return InternalError(what, exc, record(home, exc, context))
