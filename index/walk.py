"""Walking a corpus folder: every file is either a candidate to read or skipped with a reason."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .formats import SUPPORTED_SUFFIXES


@dataclass(frozen=True)
class FoundFile:
    relpath: str  # relative to the corpus root, forward slashes
    abspath: str
    signature: str  # changes when the file changes: size and modification time


@dataclass(frozen=True)
class Skipped:
    relpath: str
    reason: str


def _rel(root: str, path: str) -> str:
    """The path inside the corpus, as text any store can hold: bytes of a name that are not
    UTF-8 (Python keeps them as lone surrogates, which SQLite and Whoosh refuse) are written
    as \\xNN. It names the file in the index and the reports; the file is read by its
    real path."""
    rel = Path(os.path.relpath(path, root)).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def walk(root: str | os.PathLike) -> tuple[list[FoundFile], list[Skipped]]:
    """All article files under `root`, recursively, in a stable order.

    Hidden folders are not entered; symlinked folders are followed once each (a link
    back to an ancestor cannot loop); files of other types are reported, not read.
    """
    root = os.path.abspath(root)
    found: list[FoundFile] = []
    skipped: list[Skipped] = []
    seen_dirs: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        skipped.append(Skipped(_rel(root, err.filename or root), f"cannot open folder ({err.strerror})"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=on_error):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            skipped.append(Skipped(_rel(root, dirpath), "folder already visited (symlink loop)"))
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = _rel(root, path)
            if name.startswith("."):
                continue  # hidden files, like hidden folders (.DS_Store, editor swap files)
            try:
                st = os.stat(path)
            except FileNotFoundError:
                skipped.append(Skipped(rel, "broken symlink"))
                continue
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot read ({exc.strerror})"))
                continue
            if not os.path.isfile(path):
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            suffix = Path(name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Skipped(rel, f"unsupported file type {suffix or '(no extension)'}"))
                continue
            found.append(FoundFile(rel, path, f"{st.st_size}:{st.st_mtime_ns}"))
    return found, skipped
