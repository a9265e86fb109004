"""Watching a corpus folder: batches of changed article files, from the OS's file events.

watchfiles (inotify on Linux, FSEvents on macOS, with polling only where the OS has no
events) groups the events of a burst into one batch, so copying 500 files in starts one
incremental index run, not 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

DEBOUNCE_MS = 800  # events this close together make one batch


def relevant(root: Path, path: str) -> bool:
    """An article file the indexer would read: a supported type, not hidden (nor in a hidden
    folder), and not dossier's own temporary files."""
    from .formats import SUPPORTED_SUFFIXES  # the readers' imports are not start-up's business
    try:
        parts = Path(path).resolve().relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") for part in parts):
        return False
    return Path(parts[-1]).suffix.lower() in SUPPORTED_SUFFIXES


def changes(root: str | Path, stop_event, listening=None) -> Iterator[set[str]]:
    """Yield the relative paths of article files added, changed or deleted, one batch at a
    time, until `stop_event.is_set()`. `listening()` is called once the OS is watching."""
    import watchfiles

    root = Path(root).resolve()
    # yield_on_timeout: an empty batch after a quiet half second says the watch is in place.
    for batch in watchfiles.watch(root, stop_event=stop_event, debounce=DEBOUNCE_MS, rust_timeout=500,
                                  yield_on_timeout=True, raise_interrupt=False, ignore_permission_denied=True):
        if listening is not None:
            listening()
            listening = None
        paths = {Path(path).resolve().relative_to(root).as_posix() for _change, path in batch if relevant(root, path)}
        if paths:
            yield paths
