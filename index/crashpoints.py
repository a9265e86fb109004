"""Named moments at which the crash tests kill the indexer, instead of at a random time.

With DOSSIER_CRASH_AT=NAME:N in its environment, a process kills itself with SIGKILL the Nth
time it reaches the point NAME (tests/test_crash.py). Without it, reaching a point costs a
dictionary lookup. Points inside Whoosh's commit are wrapped around Whoosh's own functions
only when a crash is asked for.

    batch-committed       an indexing batch was committed (and its duplicate records saved)
    commit-before-toc     a commit has written its segment files, not yet the table of contents
    commit-before-clean   the new table of contents is in place, the old files not yet removed
    merge-segment         a commit is merging an older segment into the new one
    library-write         a library change is half written inside its transaction
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "DOSSIER_CRASH_AT"
_wanted = os.environ.get(ENV) or None
_seen: Counter = Counter()


def reached(point: str) -> None:
    if _wanted is None:
        return
    _seen[point] += 1
    if _wanted == f"{point}:{_seen[point]}":
        os.kill(os.getpid(), signal.SIGKILL)


def _wrap_whoosh() -> None:
    from .whoosh_internals import wrap_commit_points

    def before(point, function):
        def wrapped(*args, **kwargs):
            reached(point)
            return function(*args, **kwargs)

        return wrapped

    wrap_commit_points(before)


if _wanted is not None:
    _wrap_whoosh()
