"""A corpus: a folder of articles and the Whoosh index that caches it.

The index can always be rebuilt from the files, so an index that is damaged or was built
by another schema version is rebuilt rather than trusted, and says so; an index that only
looks odd for a moment (another process committing) is opened again, never rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from .paths import bundled_seeds, dossier_home, index_dir
from .schema import SCHEMA_VERSION, build_schema
from .whoosh_internals import apply_fixes, latest_generation

INDEX_NAME = "articles"
OPEN_ATTEMPTS = 3  # a failure to open that repeats this often, with no commit between, is damage
RETRY_PAUSE = 0.2  # seconds, times the attempt
LOCK_WAIT = 5.0  # seconds a rebuild waits for another process's writer


class CorpusError(Exception):
    """A problem with a corpus folder or its index, with a message fit for the user."""


class IndexBusy(CorpusError):
    pass


class IndexGone(CorpusError):
    """The index folder was deleted while it was in use."""


@dataclass
class Corpus:
    root: Path
    home: Path

    @classmethod
    def open(cls, folder: str | os.PathLike | None = None, home: str | os.PathLike | None = None) -> "Corpus":
        root = Path(folder).expanduser() if folder else bundled_seeds()
        if not root.exists():
            raise CorpusError(f"no such folder: {root}")
        if not root.is_dir():
            raise CorpusError(f"not a folder: {root}")
        if not os.access(root, os.R_OK | os.X_OK):
            raise CorpusError(f"cannot read folder: {root} (permission denied)")
        return cls(root=root.resolve(), home=dossier_home(home))

    @property
    def index_path(self) -> Path:
        return index_dir(self.home, self.root)

    @property
    def word_cache(self) -> Path:
        """Where each segment's word list is kept once read (index/lexicon.py)."""
        return self.index_path / "words"

    @property
    def _meta_path(self) -> Path:
        return self.index_path / "corpus.json"

    def has_index(self) -> bool:
        try:
            return self._meta_path.exists() and whoosh_index.exists_in(self.index_path, INDEX_NAME)
        except Exception:  # a garbled table of contents: there is an index, a damaged one
            return self._meta_path.exists()

    def _write_meta(self) -> None:
        meta = {"corpus": str(self.root), "schema_version": SCHEMA_VERSION, "created": time.time()}
        tmp = self._meta_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(meta, indent=2))
        os.replace(tmp, self._meta_path)

    @property
    def _settings_path(self) -> Path:
        """The folder's own settings (kept when the index is rebuilt)."""
        return self.index_path / "settings.json"

    def _settings(self) -> dict:
        try:
            settings = json.loads(self._settings_path.read_text())
            return settings if isinstance(settings, dict) else {}
        except (OSError, ValueError):
            return {}

    @property
    def entities_setting(self) -> bool | None:
        """Named entities on (True) or off (False) for this folder, None when not set here."""
        value = self._settings().get("entities")
        return value if isinstance(value, bool) else None

    def set_entities(self, on: bool) -> None:
        settings = {**self._settings(), "entities": on}
        try:
            self.index_path.mkdir(parents=True, exist_ok=True)
            tmp = self._settings_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(settings, indent=2))
            os.replace(tmp, self._settings_path)
        except OSError as exc:
            raise CorpusError(f"cannot write {self._settings_path} ({exc.strerror or exc})") from None

    @property
    def _last_run_path(self) -> Path:
        return self.index_path / "last-run.json"

    def record_run(self, files_seen: int, skipped: list[tuple[str, str]]) -> None:
        """What the last complete indexing run saw: how many files, which were skipped and why
        (skipped files are read again by every run, so the last run's list is complete)."""
        record = {"files_seen": files_seen, "skipped": [{"path": p, "reason": r} for p, r in skipped],
                  "finished": time.time()}
        tmp = self._last_run_path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(record))
            os.replace(tmp, self._last_run_path)
        except OSError:
            pass  # only stats reads it; the index is what matters

    def last_run(self) -> dict | None:
        try:
            record = json.loads(self._last_run_path.read_text())
            return record if isinstance(record, dict) else None
        except (OSError, ValueError):
            return None

    def _create(self):
        path = self.index_path
        try:
            path.mkdir(parents=True, exist_ok=True)
            ix = whoosh_index.create_in(path, build_schema(), indexname=INDEX_NAME)
            self._write_meta()
        except OSError as exc:
            raise CorpusError(f"cannot write the index in {path} ({exc.strerror or exc})") from None
        return ix

    def open_index(self, create: bool = True):
        """The Whoosh index, created if missing, rebuilt if damaged or outdated.

        Returns (index, note): note says why an index was rebuilt, or is None.

        An index is rebuilt only when it is truly damaged: opening it failed the same way
        OPEN_ATTEMPTS times with no commit in between. A failure while another process commits
        (a table of contents or a segment replaced under the reader) is opened again, not
        taken for damage: a rebuild throws away every article, hours of work at 345k.
        """
        apply_fixes()  # before Whoosh reads or writes a segment of this index
        if not self.has_index():
            if not create:
                raise CorpusError(f"{self.root} has not been indexed yet (run: dossier index {self.root})")
            if self._meta_path.exists():  # an index was here, but its table of contents is gone
                reason = "its table of contents is missing"
                return self.rebuild(reason), f"rebuilt: {reason}"
            return self._create(), None
        try:
            meta = json.loads(self._meta_path.read_text())
        except (OSError, ValueError) as exc:
            return self.rebuild(f"its description (corpus.json) cannot be read: {exc}", exc), \
                "rebuilt: its description was damaged"
        if not isinstance(meta, dict) or meta.get("schema_version") != SCHEMA_VERSION:
            return self.rebuild("it was made by another version of dossier"), "rebuilt (new index format)"
        failure: Exception | None = None
        for attempt in range(OPEN_ATTEMPTS):
            generation = self._generation()
            try:
                ix = whoosh_index.open_dir(self.index_path, indexname=INDEX_NAME)
                # Opening reads only the table of contents; a reader opens every segment.
                with ix.reader() as reader:
                    reader.doc_count()
                return ix, None
            except LockError:
                raise
            except Exception as exc:
                failure = exc
                if self._generation() == generation:
                    time.sleep(RETRY_PAUSE * (attempt + 1))  # the same state: give it a moment, then judge again
        reason = f"the index is damaged ({type(failure).__name__}: {str(failure)[:100]})"
        return self.rebuild(reason, failure), f"rebuilt: {reason}"

    def _generation(self) -> int:
        """The newest table of contents' number (it grows with every commit), -1 if none."""
        try:
            return latest_generation(str(self.index_path), INDEX_NAME)
        except OSError:
            return -1

    def rebuild(self, reason: str, cause: BaseException | None = None):
        """Empty the index (a cache of the files) and start it again, holding the writer's
        lock so that no other dossier is writing to it meanwhile. The reason, and what was
        raised, go to errors.log."""
        from .errors import record

        if cause is not None:
            record(self.home, cause, f"rebuilding the index of {self.root}: {reason}")
        path = self.index_path
        lock = FileStorage(str(path)).lock(f"{INDEX_NAME}_WRITELOCK") if path.is_dir() else None
        if lock is not None and not try_for(lock.acquire, timeout=LOCK_WAIT, delay=0.1):
            raise IndexBusy(f"the index of {self.root} needs rebuilding ({reason}), but another dossier "
                            "process is writing to it; try again when it has finished")
        try:
            for entry in path.iterdir() if path.is_dir() else ():
                if entry.name in (f"{INDEX_NAME}_WRITELOCK", self._settings_path.name):
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            return self._create()
        finally:
            if lock is not None:
                lock.release()
