"""Walking a corpus folder: every file is either a candidate to read or skipped with a reason."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .curation import FILE_NAME as DECISIONS_FILE
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


def _system_devices() -> set[int]:
    """The devices of the kernel's own folders (/proc, /sys, /dev): their files are not
    articles, some block when read (/proc/kmsg), and /proc/self/root leads to everything."""
    devices = set()
    for folder in ("/proc", "/sys", "/dev"):
        try:
            devices.add(os.stat(folder).st_dev)
        except OSError:
            pass
    try:
        devices.discard(os.stat("/").st_dev)  # /dev may be a plain folder of the root disk
    except OSError:
        pass
    return devices


def walk(root: str | os.PathLike) -> tuple[list[FoundFile], list[Skipped]]:
    """All article files under `root`, recursively, in a stable order.

    Hidden folders are not entered; symlinked folders are followed once each (a link
    back to an ancestor cannot loop, and a link to a folder holding the corpus, such as /,
    is not followed); the kernel's folders (/proc, /sys, /dev) are not entered; files of
    other types are reported, not read.
    """
    root = os.path.abspath(root)
    found: list[FoundFile] = []
    skipped: list[Skipped] = []
    seen_dirs: set[tuple[int, int]] = set()
    system = _system_devices()
    real_root = os.path.realpath(root)

    def on_error(err: OSError) -> None:
        skipped.append(Skipped(_rel(root, err.filename or root), f"cannot open folder ({err.strerror})"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=on_error):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if st.st_dev in system:
            skipped.append(Skipped(_rel(root, dirpath), "system folder (/proc, /sys or /dev): not read"))
            dirnames[:] = []
            continue
        if dirpath != root and os.path.islink(dirpath) and _holds(os.path.realpath(dirpath), real_root):
            skipped.append(Skipped(_rel(root, dirpath), "link to a folder that holds this one: not followed"))
            dirnames[:] = []
            continue
        if key in seen_dirs:
            skipped.append(Skipped(_rel(root, dirpath), "folder already visited (symlink loop)"))
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = _rel(root, path)
            if name.startswith(".") or (name == DECISIONS_FILE and dirpath == root):
                continue  # hidden files, like hidden folders (.DS_Store, editor swap files), and dossier's own
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
            if st.st_dev in system:
                skipped.append(Skipped(rel, "system file (/proc, /sys or /dev): not read"))
                continue
            suffix = Path(name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Skipped(rel, f"unsupported file type {suffix or '(no extension)'}"))
                continue
            found.append(FoundFile(rel, path, f"{st.st_size}:{st.st_mtime_ns}"))
    return found, skipped


def _holds(folder: str, inner: str) -> bool:
    """Whether `folder` is one of the folders `inner` is in (a link to `inner` itself is a
    loop, reported as one)."""
    return inner != folder and inner.startswith(folder.rstrip(os.sep) + os.sep)
